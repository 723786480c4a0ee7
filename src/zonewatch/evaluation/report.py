"""Score an analysis run against a generated city's truth, beside the two baselines.

Properties: precision at k (k = true fraud properties present and valid), average
precision, recall per fraud kind within the top k, look-alikes wrongly in the top k.
Owners and officials: precision at k (k = labelled rows). Networks: share of planted rings
whose properties are mostly inside one reported network.
"""

from __future__ import annotations

from pathlib import Path

from zonewatch.evaluation.baselines import as_of_from_db, baseline_rankings
from zonewatch.evaluation.inputs import (
    EvaluationError,
    Ranking,
    read_labels,
    read_networks,
    read_ranking,
    valid_property_ids,
)
from zonewatch.evaluation.metrics import (
    average_precision,
    count_by_group,
    precision_at_k,
    recall_by_group,
    ring_recovery,
)

FRAUD_KINDS = ["mass_registration", "nominee_ring", "conveyor", "commercial",
               "services_elsewhere"]
LOOKALIKES = ["dormitory", "hostel", "nursing_home", "large_family", "landlord", "new_building"]
SHORT = {"mass_registration": "mass", "nominee_ring": "ring", "services_elsewhere": "elsewhere",
         "nursing_home": "nursing", "large_family": "big family", "new_building": "new bldg"}


def property_scores(ranked: list[str], fraud_kind: dict[str, str],
                    lookalike: dict[str, str]) -> dict:
    """All property figures for one ranking."""
    truth = set(fraud_kind)
    k = len(truth)
    recall = recall_by_group(ranked, k, fraud_kind)
    fp = count_by_group(ranked, k, lookalike)
    return {
        "precision_at_k": round(precision_at_k(ranked, truth, k), 4),
        "average_precision": round(average_precision(ranked, truth), 4),
        "recall_at_k": {kind: round(recall.get(kind, 0.0), 4) for kind in FRAUD_KINDS
                        if kind in set(fraud_kind.values())},
        "lookalikes_in_top_k": {kind: fp.get(kind, 0) for kind in LOOKALIKES
                                if kind in set(lookalike.values())},
    }


def evaluate_run(run: Path, labels_dir: Path, extract: Path | None = None,
                 as_of: str | None = None) -> dict:
    """Every figure as a dict (what evaluation.json holds)."""
    run, labels_dir = Path(run), Path(labels_dir)
    if not run.is_dir():
        raise EvaluationError(f"run dir {run} does not exist")
    labels = read_labels(labels_dir)
    db = run / "zonewatch.duckdb"
    notes: list[str] = []
    valid = valid_property_ids(db, extract, labels)
    props = labels.properties
    fraud = props[props["is_fraud"].str.lower() == "true"]
    if valid is not None:
        dropped = set(fraud["property_id"]) - valid
        if dropped:
            notes.append(f"{len(dropped)} fraud properties are not in the valid extract")
        fraud = fraud[fraud["property_id"].isin(valid)]
    fraud_kind = dict(zip(fraud["property_id"], fraud["fraud_kind"], strict=True))
    look = props[props["lookalike"].notna()]
    lookalike = dict(zip(look["property_id"], look["lookalike"], strict=True))

    result: dict = {"run": str(run), "labels": str(labels_dir), "k_properties": len(fraud_kind),
                    "outputs": {}, "properties": {}, "notes": notes}
    rankings: dict[str, Ranking] = {w: read_ranking(run, w) for w in ("properties", "owners",
                                                                     "officials")}
    for what, r in rankings.items():
        result["outputs"][what] = r.status
        if r.status != "ok":
            notes.append(f"{what}: output file {r.status}")
    result["properties"]["zonewatch"] = property_scores(rankings["properties"].ids, fraud_kind,
                                                        lookalike)
    as_of = as_of or as_of_from_db(db) or labels.summary.get("as_of")
    if as_of is None:
        notes.append("baselines skipped: no as-of date (give --as-of)")
    else:
        try:
            for name, ranked in baseline_rankings(as_of, db, extract).items():
                result["properties"][name] = property_scores(ranked, fraud_kind, lookalike)
        except FileNotFoundError as exc:
            notes.append(f"baselines skipped: {exc}")
    result["as_of"] = as_of

    owners = set(labels.owners["owner_id"])
    officials = set(labels.officials["official_id"])
    result["owners"] = {"k": len(owners), "precision_at_k": round(
        precision_at_k(rankings["owners"].ids, owners, len(owners)), 4)}
    result["officials"] = {"k": len(officials), "precision_at_k": round(
        precision_at_k(rankings["officials"].ids, officials, len(officials)), 4)}
    nets, status = read_networks(run)
    result["outputs"]["networks"] = status
    if status != "ok":
        notes.append(f"networks: output file {status}")
    rings = [set(str(p).split(";")) & (valid if valid is not None else set(str(p).split(";")))
             for p in labels.rings["property_ids"].dropna()]
    found, total = ring_recovery(rings, nets)
    result["rings"] = {"recovered": found, "total": total,
                       "share": round(found / total, 4) if total else 0.0}
    return result


def format_report(result: dict) -> str:
    """The figures as a plain-text table."""
    lines = [f"evaluation of {result['run']} (as of {result.get('as_of')})",
             f"properties: k = {result['k_properties']} true fraud properties"]
    methods = result["properties"]
    kinds = sorted({k for m in methods.values() for k in m["recall_at_k"]},
                   key=FRAUD_KINDS.index)
    looks = sorted({k for m in methods.values() for k in m["lookalikes_in_top_k"]},
                   key=LOOKALIKES.index)
    head = (f"{'method':<18}{'P@k':>7}{'AP':>7}"
            + "".join(f"{SHORT.get(k, k):>11}" for k in kinds)
            + " | FP " + "".join(f"{SHORT.get(k, k):>11}" for k in looks))
    lines += ["", "recall within top k per fraud kind; look-alikes (FP) within top k", head]
    for name, m in methods.items():
        lines.append(f"{name:<18}{m['precision_at_k']:>7.3f}{m['average_precision']:>7.3f}"
                     + "".join(f"{m['recall_at_k'].get(k, 0):>11.2f}" for k in kinds)
                     + " |    " + "".join(f"{m['lookalikes_in_top_k'].get(k, 0):>11d}"
                                         for k in looks))
    o, f, r = result["owners"], result["officials"], result["rings"]
    lines += ["",
              f"owners     P@k = {o['precision_at_k']:.3f} (k = {o['k']})",
              f"officials  P@k = {f['precision_at_k']:.3f} (k = {f['k']})",
              f"rings mostly inside one network: {r['recovered']} of {r['total']} "
              f"({r['share']:.0%})"]
    lines += [f"note: {n}" for n in result["notes"]]
    return "\n".join(lines)

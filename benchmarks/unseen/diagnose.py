"""Why a run misses fraud or flags look-alikes: examples with their explanation strings.

For the detection engineers: per fraud kind, the planted properties outside the top k with
the indicator sets they got; per look-alike kind, those inside the top k; and the owners
wrongly in (or missing from) the owners' top k, by the kind of flat they own.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from unseen.score import read


def _ranked(run: Path, name: str) -> pd.DataFrame:
    df = read(run / name)
    return df.assign(rank=pd.to_numeric(df["rank"]).astype(int)).sort_values("rank")


def properties(run: Path, labels_dir: Path, examples: int = 2, width: int = 400) -> list[str]:
    """Misses per fraud kind and look-alikes in the top k, with examples."""
    labels = read(labels_dir / "property_labels.csv").fillna("")
    m = _ranked(run, "properties_ranked.csv").merge(labels, on="property_id")
    k = int((labels["is_fraud"] == "true").sum())
    out = [f"properties: k = {k}, score at rank k = {m['score'].iloc[k - 1]}"]
    for kind, group in m[(m["is_fraud"] == "true") & (m["rank"] > k)].groupby("fraud_kind"):
        sets = group["indicators"].fillna("(none)").value_counts().head(4).to_dict()
        out.append(f"  missed {kind}: {len(group)}; indicator sets {sets}")
        out += [f"    #{r.rank} {r.property_id} score {r.score}: {str(r.explanation)[:width]}"
                for r in group.head(examples).itertuples()]
    fp = m[(m["rank"] <= k) & (m["is_fraud"] != "true")]
    for kind, group in fp.groupby(fp["lookalike"].replace("", "plain")):
        out.append(f"  false positive {kind}: {len(group)}")
        out += [f"    #{r.rank} {r.property_id} score {r.score}: {str(r.explanation)[:width]}"
                for r in group.head(examples).itertuples()]
    return out


def owners(run: Path, extract: Path, labels_dir: Path, examples: int = 2,
           width: int = 300) -> list[str]:
    """Owners wrongly in or missing from the top k, by what their flats are."""
    truth = set(read(labels_dir / "owner_labels.csv")["owner_id"])
    ranked = _ranked(run, "owners_ranked.csv")
    if ranked.empty:
        return ["owners: owners_ranked.csv is empty"]
    labels = read(labels_dir / "property_labels.csv").fillna("")
    own = read(extract / "ownerships.csv")
    own = own[own["end_date"].isna()].merge(labels, on="property_id")
    own["what"] = own["fraud_kind"].where(own["fraud_kind"] != "", own["lookalike"])
    what = own.groupby("owner_id")["what"].agg(
        lambda s: ",".join(sorted(set(s) - {""})) or "plain")
    ranked["what"] = ranked["owner_id"].map(what).fillna("owns nothing now")
    k = len(truth)
    inside = ranked["rank"] <= k
    is_true = ranked["owner_id"].isin(truth)
    out = [f"owners: k = {k}"]
    for label, mask in (("false positive", inside & ~is_true), ("missed", ~inside & is_true)):
        for kind, group in ranked[mask].groupby("what"):
            out.append(f"  {label} owning {kind}: {len(group)}")
            out += [f"    #{r.rank} {r.owner_id} score {r.score}: {str(r.explanation)[:width]}"
                    for r in group.head(examples).itertuples()]
    return out

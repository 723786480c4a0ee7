"""Scoring an analysis run against the unseen city's labels, computed here from scratch.

Figures: precision at k (k = true fraud properties), recall per fraud kind within the top k,
look-alikes per kind within the top k, for zonewatch and for the police baseline (most
registrants on the as-of date first); owners and officials precision at k; rings mostly
inside one reported network (and inside one that is mostly theirs). Also checks the output
files against the data contract (columns, ranks 1..n, every property present).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

COLUMNS = {
    "properties_ranked.csv": ["rank", "property_id", "score", "registered", "area_m2",
                              "indicators", "explanation"],
    "owners_ranked.csv": ["rank", "owner_id", "score", "properties", "indicators",
                          "explanation"],
    "officials_ranked.csv": ["rank", "official_id", "office_id", "score", "indicators",
                             "explanation"],
    "networks.csv": ["network_id", "score", "members", "explanation"],
}


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def accepted_properties(run: Path, extract: Path) -> set[str]:
    """Property ids the ingest accepted (the run's database), else every id in the extract."""
    db = run / "zonewatch.duckdb"
    if db.is_file():
        with duckdb.connect(str(db), read_only=True) as con:
            return {r[0] for r in con.execute("SELECT property_id FROM properties").fetchall()}
    return set(read(extract / "properties.csv")["property_id"])


def contract_problems(run: Path, extract: Path) -> list[str]:
    """Violations of the output contract, as sentences (empty when all is well)."""
    problems = []
    for name, cols in COLUMNS.items():
        path = run / name
        if not path.is_file():
            problems.append(f"{name} missing")
            continue
        df = read(path)
        if list(df.columns[: len(cols)]) != cols:
            problems.append(f"{name} columns {list(df.columns)} != {cols}")
        if "rank" in df.columns:
            ranks = pd.to_numeric(df["rank"], errors="coerce")
            if ranks.isna().any() or sorted(ranks.astype(int)) != list(range(1, len(df) + 1)):
                problems.append(f"{name} ranks are not 1..{len(df)}")
        key = cols[1] if cols[0] == "rank" else cols[0]
        if df[key].duplicated().any():
            problems.append(f"{name} has duplicate {key}")
    if (run / "properties_ranked.csv").is_file():
        ranked = set(read(run / "properties_ranked.csv")["property_id"])
        props = accepted_properties(run, extract)
        missing = props - ranked
        if missing:
            problems.append(f"properties_ranked.csv lacks {len(missing)} properties, "
                            f"e.g. {sorted(missing)[:3]}")
    return problems


def figure_problems(run: Path, extract: Path, as_of: dt.date) -> list[str]:
    """`registered` must be the registrations active on the as-of day, `area_m2` as given."""
    ranked = read(run / "properties_ranked.csv").set_index("property_id")
    props = read(extract / "properties.csv").set_index("property_id")
    problems = []
    area = pd.to_numeric(props["area_m2"]).reindex(ranked.index)
    bad = (pd.to_numeric(ranked["area_m2"]) != area) & area.notna()
    if bad.any():
        problems.append(f"area_m2 differs from the extract for {bad.sum()} properties")
    if (extract / "registrations.csv").is_file():
        counts = pd.Series(police_counts(extract, as_of)).reindex(ranked.index).fillna(0)
        bad = pd.to_numeric(ranked["registered"]).fillna(0) != counts
        if bad.any():
            problems.append(f"registered differs from the registrations active on {as_of} "
                            f"for {bad.sum()} properties, e.g. {list(ranked.index[bad][:3])}")
    return problems


def police_counts(extract: Path, as_of: dt.date) -> dict[str, int]:
    """Registrants per property on the as-of date."""
    regs = read(extract / "registrations.csv")
    d = as_of.isoformat()
    active = regs[(regs["start_date"] <= d) & (regs["end_date"].isna() | (regs["end_date"] > d))]
    return active.groupby("property_id").size().to_dict()


def police_ranking(extract: Path, as_of: dt.date) -> list[str]:
    """Most registrants on the as-of date first (ties by property id)."""
    counts = sorted(police_counts(extract, as_of).items(), key=lambda kv: (-kv[1], kv[0]))
    return [p for p, _ in counts]


def property_figures(ranked: list[str], labels: pd.DataFrame) -> dict:
    """P@k, recall per fraud kind and look-alikes per kind within the top k."""
    fraud = labels[labels["is_fraud"] == "true"]
    k = len(fraud)
    top = set(ranked[:k])
    kinds = fraud.groupby("fraud_kind")["property_id"].apply(set)
    looks = labels[labels["lookalike"].notna()].groupby("lookalike")["property_id"].apply(set)
    return {
        "k": k, "precision_at_k": len(top & set(fraud["property_id"])) / k if k else 0.0,
        "recall": {kind: len(ids & top) / len(ids) for kind, ids in kinds.items()},
        "lookalikes": {kind: len(ids & top) for kind, ids in looks.items()},
    }


def precision_at_k(ranked: list[str], truth: set[str]) -> float:
    k = len(truth)
    return len(set(ranked[:k]) & truth) / k if k else 0.0


def ring_share(run: Path, labels_dir: Path) -> float:
    """Share of planted rings whose flats are mostly (>50%) inside one reported network."""
    rings = [set(r.split(";")) for r in read(labels_dir / "rings.csv")["property_ids"].dropna()]
    path = run / "networks.csv"
    nets = [set(m.split(";")) for m in read(path)["members"].dropna()] if path.is_file() else []
    found = sum(1 for r in rings if any(len(r & n) * 2 > len(r) for n in nets))
    return found / len(rings) if rings else 0.0


def ring_own_network(run: Path, labels_dir: Path) -> float:
    """Share of planted rings mostly (>50%) inside one reported network that is mostly theirs
    (more than half of that network's properties are the ring's flats)."""
    rings = [set(r.split(";")) for r in read(labels_dir / "rings.csv")["property_ids"].dropna()]
    path = run / "networks.csv"
    if not rings or not path.is_file():
        return 0.0
    props = set(read(labels_dir / "property_labels.csv")["property_id"])
    nets = [{m for m in members.split(";") if m in props}
            for members in read(path)["members"].dropna()]
    found = sum(1 for r in rings if any(len(r & n) * 2 > len(r) and len(r & n) * 2 > len(n)
                                        for n in nets))
    return found / len(rings)


def score_run(run: Path, extract: Path, labels_dir: Path, as_of: dt.date,
              police: list[str] | None = None) -> dict:
    """Every figure of one run, plus contract problems (police: the baseline ranking, by
    default counted from the extract's registrations)."""
    labels = read(labels_dir / "property_labels.csv")
    out: dict = {"problems": contract_problems(run, extract)
                 + figure_problems(run, extract, as_of)}
    ranked = read(run / "properties_ranked.csv").assign(
        r=lambda d: pd.to_numeric(d["rank"])).sort_values("r")["property_id"].tolist()
    out["zonewatch"] = property_figures(ranked, labels)
    out["police"] = property_figures(police or police_ranking(extract, as_of), labels)
    owners = set(read(labels_dir / "owner_labels.csv")["owner_id"])
    officials = set(read(labels_dir / "official_labels.csv")["official_id"])
    for name, col, truth in (("owners", "owner_id", owners),
                             ("officials", "official_id", officials)):
        path = run / f"{name}_ranked.csv"
        df = read(path) if path.is_file() else pd.DataFrame(columns=["rank", col])
        df = df.assign(r=pd.to_numeric(df["rank"])).sort_values("r")
        out[name] = {"k": len(truth), "precision_at_k": precision_at_k(df[col].tolist(), truth)}
    out["rings"] = ring_share(run, labels_dir)
    out["rings_own"] = ring_own_network(run, labels_dir)
    return out

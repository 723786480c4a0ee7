"""Reading an analysis run's output files and the generator's labels for evaluation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

OUTPUTS = {
    "properties": ("properties_ranked.csv", "property_id"),
    "owners": ("owners_ranked.csv", "owner_id"),
    "officials": ("officials_ranked.csv", "official_id"),
}


class EvaluationError(Exception):
    """Evaluation cannot run at all (labels missing or unreadable)."""


@dataclass
class Ranking:
    """One output file's ids in rank order, or why there are none."""

    ids: list[str] = field(default_factory=list)
    status: str = "ok"  # ok, missing, empty


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def read_ranking(run: Path, what: str) -> Ranking:
    """Ids of one ranked output, sorted by its rank column (file order when absent)."""
    name, column = OUTPUTS[what]
    path = run / name
    if not path.is_file():
        return Ranking(status="missing")
    try:
        df = _read(path)
    except pd.errors.EmptyDataError:
        return Ranking(status="empty")
    if column not in df.columns:
        raise EvaluationError(f"{path} has no column {column!r} (columns: {list(df.columns)})")
    if df.empty:
        return Ranking(status="empty")
    if "rank" in df.columns:
        df = df.assign(_r=pd.to_numeric(df["rank"], errors="coerce")).sort_values(
            "_r", kind="stable")
    return Ranking(ids=df[column].dropna().tolist())


def read_networks(run: Path) -> tuple[list[set[str]], str]:
    path = run / "networks.csv"
    if not path.is_file():
        return [], "missing"
    try:
        df = _read(path)
    except pd.errors.EmptyDataError:
        return [], "empty"
    if "members" not in df.columns:
        raise EvaluationError(f"{path} has no column 'members'")
    nets = [set(str(m).split(";")) for m in df["members"].dropna()]
    return nets, ("ok" if nets else "empty")


@dataclass
class Labels:
    """The truth of a generated city."""

    properties: pd.DataFrame
    owners: pd.DataFrame
    officials: pd.DataFrame
    rings: pd.DataFrame
    broken: pd.DataFrame
    summary: dict


def read_labels(labels: Path) -> Labels:
    """Load labels/*.csv and summary.json, with a clear error for what is missing."""
    need = ["property_labels", "owner_labels", "official_labels", "rings"]
    missing = [n for n in need if not (labels / f"{n}.csv").is_file()]
    if missing:
        lacking = ", ".join(m + ".csv" for m in missing)
        raise EvaluationError(f"labels dir {labels} lacks: {lacking}")
    broken = labels / "broken_rows.csv"
    summary = labels / "summary.json"
    return Labels(
        properties=_read(labels / "property_labels.csv"),
        owners=_read(labels / "owner_labels.csv"),
        officials=_read(labels / "official_labels.csv"),
        rings=_read(labels / "rings.csv"),
        broken=_read(broken) if broken.is_file() else pd.DataFrame(columns=["table", "row_key",
                                                                             "rule"]),
        summary=json.loads(summary.read_text()) if summary.is_file() else {},
    )


def valid_property_ids(db: Path | None, extract: Path | None, labels: Labels) -> set[str] | None:
    """Property ids that made it into the analysis (ingested valid rows), when knowable."""
    if db is not None and db.is_file():
        con = duckdb.connect(str(db), read_only=True)
        try:
            return {r[0] for r in con.sql("SELECT property_id FROM properties").fetchall()}
        finally:
            con.close()
    if extract is not None and (extract / "properties.csv").is_file():
        ids = set(_read(extract / "properties.csv")["property_id"].dropna())
        b = labels.broken
        bad = b[(b["table"] == "properties") & (b["rule"] != "duplicate_key")]["row_key"]
        return ids - set(bad)
    return None

"""Reading an analysis run's output files and the generator's labels for evaluation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from zonewatch.contract.run_files import ranked_lists
from zonewatch.errors import Invalid, NotFound, Unavailable
from zonewatch.rundir import open_run


class EvaluationError(Exception):
    """Evaluation cannot run at all (labels missing or unreadable)."""


@dataclass
class Ranking:
    """One output file's ids in rank order, or why there are none."""

    ids: list[str] = field(default_factory=list)
    status: str = "ok"  # ok, missing, empty


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _ranked(run: Path, what: str) -> pd.DataFrame | None:
    """The ranked list `what` of the run (the one reader, `zonewatch.rundir`), None when its
    file is missing (or the folder holds no properties_ranked.csv at all)."""
    try:
        return open_run(run).ranked(what)
    except (Invalid, NotFound):
        return None
    except Unavailable as exc:
        raise EvaluationError(f"{run}: {exc}") from exc


def read_ranking(run: Path, what: str) -> Ranking:
    """Ids of one ranked output, sorted by its rank column (file order where it is empty)."""
    df = _ranked(run, what)
    if df is None:
        return Ranking(status="missing")
    if df.empty:
        return Ranking(status="empty")
    df = df.sort_values("rank", kind="stable", na_position="last")
    return Ranking(ids=df[ranked_lists()[what].id].dropna().astype(str).tolist())


def read_networks(run: Path) -> tuple[list[set[str]], str]:
    """The broker networks' member sets and the file's status (ok, missing, empty)."""
    df = _ranked(run, "networks")
    if df is None:
        return [], "missing"
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

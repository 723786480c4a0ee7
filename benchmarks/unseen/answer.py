"""Field inspections answered truthfully from a built city's labels (for closed-loop runs).

`answer(labels_dir, property_ids, inspected_on)` returns the rows an inspector would write
after visiting each property on that day, in the data contract's `inspections` columns:
- `persons_found`: people registered there that day who really live there;
- `fictitious_count`: registered there that day but living elsewhere (for a planted fraud
  property with nobody fictitious registered that very day, e.g. a conveyor between stays,
  those registered in the year before: the house book shows them);
- `outcome`: `violation` where fictitious registrations are found, else `no_violation`
  (a planted property visited before its fraud began is clean that day); every visit gains
  access (`no_access` is never answered);
- `brokering`: True with every violation (every planted fraud kind is a paid registration; a
  hijacked flat's strangers paid the official), else False.
It reads `labels/property_labels.csv` and `labels/registration_truth.csv` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

COLUMNS = ["inspection_id", "property_id", "inspected_on", "outcome", "persons_found",
           "fictitious_count", "brokering", "notes"]
LOOKBACK = dt.timedelta(days=365)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _active(regs: pd.DataFrame, lo: str, hi: str) -> pd.Series:
    """Registrations active at some time in [lo, hi] (contract: start <= D < end or end null)."""
    return (regs["start_date"] <= hi) & (regs["end_date"].isna() | (regs["end_date"] > lo))


def answer(labels_dir: Path, property_ids: Iterable[str],
           inspected_on: dt.date | str, id_prefix: str = "L") -> pd.DataFrame:
    """One inspection row per property (in the given order; duplicates answered once), ids
    `<prefix><YYYYMMDD>-<n>` so rounds on different days never collide."""
    day = dt.date.fromisoformat(str(inspected_on))
    ids = list(dict.fromkeys(property_ids))
    labels = _read(Path(labels_dir) / "property_labels.csv").set_index("property_id")
    unknown = [p for p in ids if p not in labels.index]
    if unknown:
        raise ValueError(f"{len(unknown)} properties not in the labels, e.g. {unknown[:3]}")
    regs = _read(Path(labels_dir) / "registration_truth.csv")
    regs = regs[regs["property_id"].isin(set(ids))]
    fict = regs["fictitious"] == "True"
    d = day.isoformat()
    now = _active(regs, d, d)
    year = _active(regs, (day - LOOKBACK).isoformat(), d)
    found = regs[now & ~fict].groupby("property_id").size()
    fake_now = regs[now & fict].groupby("property_id").size()
    fake_year = regs[year & fict].groupby("property_id").size()
    rows = []
    for i, p in enumerate(ids):
        fraud = labels.at[p, "is_fraud"] == "true"
        n_fake = int(fake_now.get(p, 0)) or (int(fake_year.get(p, 0)) if fraud else 0)
        violation = n_fake > 0
        kind = labels.at[p, "fraud_kind"] if fraud else None
        rows.append({
            "inspection_id": f"{id_prefix}{day:%Y%m%d}-{i + 1:05d}", "property_id": p,
            "inspected_on": d, "outcome": "violation" if violation else "no_violation",
            "persons_found": int(found.get(p, 0)), "fictitious_count": n_fake,
            "brokering": violation,
            "notes": f"answered from labels ({kind})" if kind else "answered from labels"})
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("persons_found", "fictitious_count"):
        out[col] = out[col].astype("Int64")
    return out

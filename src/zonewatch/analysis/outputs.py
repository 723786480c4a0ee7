"""Write the contract's output files (columns and order as declared in
`contract/run_files.yaml`, exactly as in DATA_CONTRACT.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from zonewatch.contract import run_files as declared

PROPERTY_COLUMNS = declared.columns("properties_ranked.csv")
# file -> the PeopleResults frame written into it
PEOPLE_FILES = {name: (spec.kind, spec.column_names) for name, spec in declared.run_files().items()
                if spec.kind and spec.kind != "properties"}
EVIDENCE_COLUMNS = declared.columns("evidence.csv")


def _csv(frame: pd.DataFrame, path: Path, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: result lacks column(s) {missing}")
    frame[columns].to_csv(path, index=False, encoding="utf-8")


def write_all(out: Path, scores: pd.DataFrame, hits: pd.DataFrame, people: Any) -> None:
    """properties_ranked, the people files (header only without results), evidence.csv."""
    _csv(scores, out / "properties_ranked.csv", PROPERTY_COLUMNS)
    evidence = [hits[EVIDENCE_COLUMNS]]
    for filename, (attr, columns) in PEOPLE_FILES.items():
        frame = getattr(people, attr, None) if people is not None else None
        if frame is None:
            frame = pd.DataFrame(columns=columns)
        _csv(frame, out / filename, columns)
    extra = getattr(people, "evidence", None) if people is not None else None
    if extra is not None and len(extra):
        evidence.append(extra[EVIDENCE_COLUMNS])
    merged = pd.concat([e for e in evidence if len(e)] or [evidence[0]], ignore_index=True)
    merged = merged.drop_duplicates(["entity_type", "entity_id", "indicator_id"])
    _csv(merged, out / "evidence.csv", EVIDENCE_COLUMNS)


def write_run(out: Path, run: dict[str, Any]) -> None:
    """run.json: as-of, indicators run and skipped, weights, calibration, timings."""
    (out / "run.json").write_text(json.dumps(run, indent=2, ensure_ascii=False, default=str),
                                  encoding="utf-8")

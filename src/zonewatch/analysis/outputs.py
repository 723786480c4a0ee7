"""Write the contract's output files (columns and order exactly as in DATA_CONTRACT.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

PROPERTY_COLUMNS = ["rank", "property_id", "score", "registered", "area_m2", "indicators",
                    "explanation"]
PEOPLE_FILES = {
    "owners_ranked.csv": ("owners", ["rank", "owner_id", "score", "properties", "indicators",
                                     "explanation"]),
    "officials_ranked.csv": ("officials", ["rank", "official_id", "office_id", "score",
                                           "indicators", "explanation"]),
    "offices_ranked.csv": ("offices", ["rank", "office_id", "score", "indicators",
                                       "explanation"]),
    "networks.csv": ("networks", ["network_id", "score", "members", "explanation"]),
}
EVIDENCE_COLUMNS = ["entity_type", "entity_id", "indicator_id", "value", "threshold", "score",
                    "evidence"]


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

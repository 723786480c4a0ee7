"""One body, two engines: the whole analysis gives identical results on DuckDB and Spark.

`analyze(engine="spark")` picks up the shared session (getOrCreate), copies the ingested
tables into it, builds the working tables and runs every indicator there, and hands the
network room its declared inputs from Spark; every output file must match DuckDB's byte
for byte after sorting its lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "indicators"))
from golden_extract import AS_OF, golden_city  # noqa: E402

from zonewatch.analysis import analyze  # noqa: E402

pytestmark = [pytest.mark.spark, pytest.mark.slow]
NUMERIC = ("value", "threshold", "score")
CONTRACT_FILES = ("properties_ranked.csv", "owners_ranked.csv", "officials_ranked.csv",
                  "offices_ranked.csv", "networks.csv", "evidence.csv")


def _evidence(out: Path) -> pd.DataFrame:
    frame = pd.read_csv(out / "evidence.csv", dtype={"entity_id": str})
    frame = frame.sort_values(["entity_type", "indicator_id", "entity_id"]).reset_index(drop=True)
    for col in NUMERIC:
        frame[col] = pd.to_numeric(frame[col]).astype(float).round(6)
    return frame


def _outcomes(ext: Path, path: Path) -> Path:
    """A round of inspections: violations where strangers are registered, clean elsewhere,
    enough to learn weights and patterns (the outcome step runs on the engine too)."""
    props = pd.read_csv(ext / "properties.csv", dtype=str)["property_id"]
    crowded = props.str.contains("RUBBER|FOREIGN|SMALLD|COMMERCIAL|SERVICES|TURNOVER")
    pd.DataFrame({"inspection_id": [f"S{i}" for i in range(len(props))],
                  "property_id": props, "inspected_on": "2026-11-20",
                  "outcome": ["violation" if c else "no_violation" for c in crowded],
                  }).to_csv(path, index=False)
    return path


def test_duckdb_and_spark_agree(tmp_path, spark_session):
    ext = golden_city().write(tmp_path / "ext")
    outcomes = _outcomes(ext, tmp_path / "outcomes.csv")
    runs = {engine: analyze(ext, tmp_path / engine, AS_OF, engine=engine,
                            inspections=(outcomes,))
            for engine in ("duckdb", "spark")}
    for engine, result in runs.items():
        skipped = result.run["indicators_skipped"]
        assert set(skipped) <= {"network_member"}, (engine, skipped)
    assert runs["duckdb"].run["indicators_run"] == runs["spark"].run["indicators_run"]
    duck, spark = _evidence(tmp_path / "duckdb"), _evidence(tmp_path / "spark")
    assert len(duck) > 10
    pd.testing.assert_frame_equal(duck, spark)
    for name in CONTRACT_FILES:  # byte for byte after sorting the lines
        lines = {e: sorted((tmp_path / e / name).read_text(encoding="utf-8").splitlines())
                 for e in runs}
        assert lines["duckdb"] == lines["spark"], name
    people = {e: pd.read_csv(tmp_path / e / "owners_ranked.csv") for e in runs}
    assert len(people["spark"]) > 0  # the network room ran on the engine's kinship tables
    ranked = {e: pd.read_csv(tmp_path / e / "properties_ranked.csv") for e in runs}
    pd.testing.assert_frame_equal(ranked["duckdb"], ranked["spark"])
    run = json.loads((tmp_path / "spark" / "run.json").read_text(encoding="utf-8"))
    assert run["engine"] == "spark"
    assert run["calibration"].get("reason") is None, run["calibration"]  # outcomes learned
    assert ranked["spark"]["indicators"].fillna("").str.contains("inspection_violation").any()

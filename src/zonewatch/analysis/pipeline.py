"""`analyze`: extract -> ingested DuckDB -> indicators -> scores (calibrated when outcomes
allow) -> owners, officials, offices, networks -> the contract's output files.

Everything heavy is set-based SQL on the engine; Python only glues frames of hits.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from zonewatch.analysis import feedback, inputs, outputs
from zonewatch.analysis.scores import PropertyScoring
from zonewatch.analysis.settings import AnalysisSettings, load_analysis_settings
from zonewatch.atomic import directory_beside
from zonewatch.config import SettingsError
from zonewatch.engine.base import Backend, EngineError
from zonewatch.engine.resources import connect
from zonewatch.indicators import (
    HIT_COLUMNS,
    load_indicators,
    prepare,
    run_indicators,
    weight_of,
)
from zonewatch.ingest import IngestError, ingest_extract

LATER_ENTITIES = ("owner", "official", "office")


class AnalysisError(Exception):
    """The extract cannot be analysed at all; the message says why."""


@dataclass
class AnalysisResult:
    """Where the files went and what the run decided."""

    out_dir: Path
    as_of: dt.date
    properties: pd.DataFrame
    run: dict[str, Any] = field(default_factory=dict)


def analyze(
    extract_dir: str | Path,
    out_dir: str | Path,
    as_of: dt.date | str | None = None,
    engine: str = "duckdb",
    inspections: tuple[str | Path, ...] = (),
    settings_path: str | Path | None = None,
    on_stage: Callable[[str, float], None] | None = None,
    spark_master: str | None = None,
) -> AnalysisResult:
    """Analyse the extract in `extract_dir` and write the output files into `out_dir`.

    `on_stage(name, seconds)` is called as each stage (the keys of timings_s) ends;
    `spark_master` is where `engine="spark"` runs (default local[*]). The files are
    written into a sibling directory swapped in for `out_dir` only when complete
    (zonewatch.atomic): a failed or killed run leaves the previous `out_dir` as it was.
    """
    with directory_beside(out_dir) as work:
        result = _analyze_into(work, Path(out_dir), extract_dir, as_of, engine, inspections,
                               settings_path, on_stage, spark_master)
    result.out_dir = Path(out_dir)
    return result


def _analyze_into(
    out: Path,
    final: Path,
    extract_dir: str | Path,
    as_of: dt.date | str | None,
    engine: str,
    inspections: tuple[str | Path, ...],
    settings_path: str | Path | None,
    on_stage: Callable[[str, float], None] | None,
    spark_master: str | None,
) -> AnalysisResult:
    """`analyze` writing into the fresh directory `out`, to be moved to `final`."""
    clock = _Clock(on_stage)
    try:
        settings = load_analysis_settings(settings_path)
        indicators = load_indicators()
        extra = inputs.read_inspection_files(tuple(inspections))
        report = ingest_extract(extract_dir, out / "zonewatch.duckdb", as_of)
    except (IngestError, SettingsError, inputs.InputError, ValueError) as exc:
        raise AnalysisError(str(exc)) from exc
    report.db_path = str(final / "zonewatch.duckdb")  # where it will be once swapped in
    (out / "ingest_report.json").write_text(report.to_json(), encoding="utf-8")
    clock.lap("ingest")
    day = report.as_of
    con = connect(out / "zonewatch.duckdb")  # memory limit, spill dir, threads
    try:
        tables = inputs.present_tables(con)
        _check_analysable(con, tables)
        backend = inputs.make_backend(engine, con, tables, spark_master)
        try:
            prepare(backend, tables, day, settings)
        except (EngineError, ValueError) as exc:
            raise AnalysisError(f"cannot prepare the analysis tables: {exc}") from exc
        clock.lap("prepare")
        props = [i for i in indicators if i.entity == "property" and i.stage == "main"]
        prop_run = run_indicators(backend, props, tables, day, settings)
        clock.lap("property_indicators")
        base = backend.fetch(
            "SELECT property_id, registered, area_m2, norm_m2, kind, exempt FROM zw_property_base "
            "ORDER BY property_id")
        declared = {i.id: weight_of(i, settings) for i in props if i.id in prop_run.ran}
        scoring = PropertyScoring(
            backend, base, {i.id: i.family for i in indicators}, settings,
            inputs.all_inspections(con, extra))
        scores, prop_hits = scoring.first_pass(scoring.evidence(prop_run.hits), declared)
        clock.lap("scoring")
        later = [i for i in indicators if i.entity in LATER_ENTITIES and i.stage == "main"]
        _store(con, backend, scores, prop_hits)
        later_run = run_indicators(backend, later, tables, day, settings)
        hits = pd.concat([h for h in (prop_hits, later_run.hits) if len(h)] or
                         [prop_hits], ignore_index=True)
        _store(con, backend, scores, hits)
        clock.lap("entity_indicators")
        people = _rank_people(con, backend, day, settings)
        clock.lap("people")
        post = [i for i in indicators if i.entity == "property" and i.stage != "main"]
        post_run, post_weights = feedback.after_networks(con, backend, post, tables, day,
                                                         settings, people)
        if len(post_run.hits) or len(scoring.outcomes):
            scores, prop_hits = scoring.second_pass(scoring.evidence(post_run.hits),
                                                    post_weights)
            hits = pd.concat([h for h in (prop_hits, later_run.hits) if len(h)],
                             ignore_index=True)
            _store(con, backend, scores, hits)
        clock.lap("network_feedback")
        run = {
            "as_of": day.isoformat(),
            "engine": engine,
            "extract": str(Path(extract_dir).resolve()),
            "tables": sorted(tables),
            "indicators_run": prop_run.ran + later_run.ran + post_run.ran,
            "indicators_skipped": {**prop_run.skipped, **later_run.skipped,
                                   **post_run.skipped},
            "people_skipped": people.skipped if people else ["network room not installed"],
            "weights_declared": declared,
            "weights_used": scoring.weights_used(),
            "calibration": scoring.summary,
            "ranking_change": scoring.change,
            "inspection_estimate": scoring.estimate(scores),
            "counts": {"properties": len(scores),
                       "flagged_properties": int((scores["indicators"] != "").sum()),
                       "hits": len(hits)},
            "indicator_timings_s": {**prop_run.timings, **later_run.timings,
                                    **post_run.timings},
        }
        outputs.write_all(out, scores, hits, people)
        clock.lap("write")
        run["timings_s"] = clock.laps
        outputs.write_run(out, run)
        return AnalysisResult(out, day, scores, run)
    finally:
        con.close()


def _check_analysable(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    if "properties" not in tables:
        raise AnalysisError("the extract has no properties table (required)")
    n = con.execute("SELECT count(*) FROM properties").fetchall()[0][0]
    if not n:
        raise AnalysisError("no valid property rows: every row of properties was quarantined "
                            "or the file is empty (see ingest_report.json)")
    if not ({"persons", "registrations"} <= tables or "occupancy" in tables):
        raise AnalysisError("the extract needs persons with registrations, or occupancy")


def _store(con: duckdb.DuckDBPyConnection, backend: Backend, scores: pd.DataFrame,
           hits: pd.DataFrame) -> None:
    """Leave property_scores and indicator_hits in the database (and on the engine)."""
    frames = {"property_scores": scores, "indicator_hits": hits[HIT_COLUMNS]}
    for name, frame in frames.items():
        con.register("__zw_frame", frame)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM __zw_frame")
        con.unregister("__zw_frame")
        if backend.dialect != "duckdb":
            backend.register_table(name, frame)


def _rank_people(con: duckdb.DuckDBPyConnection, backend: Backend, day: dt.date,
                 settings: AnalysisSettings) -> Any:
    """The network room's rankings, on its declared inputs (network.inputs) handed over from
    the engine; a missing input is an error, another failure there must not cost the
    property ranking."""
    try:
        from zonewatch.network import MissingInput, input_names, rank_people
    except ModuleNotFoundError as exc:  # the network room is not installed in this build
        if exc.name != "zonewatch.network":
            return _FailedPeople([f"network failed to import: {exc}"])
        return None
    inputs.hand_over(backend, con, input_names())
    try:
        return rank_people(con, day, settings.network)
    except MissingInput as exc:
        raise AnalysisError(f"the analysis did not build the network room's inputs: {exc}"
                            ) from exc
    except Exception as exc:  # another room's bug must not sink the property ranking
        return _FailedPeople([f"network failed: {type(exc).__name__}: {exc}"])


@dataclass
class _FailedPeople:
    """Stands in for PeopleResults when ranking people failed: files get headers only."""

    skipped: list[str]


class _Clock:
    def __init__(self, on_lap: Callable[[str, float], None] | None = None) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}
        self.on_lap = on_lap

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.laps["total"] = round(now - self.started, 3)
        self.last = now
        if self.on_lap is not None:
            self.on_lap(name, self.laps[name])

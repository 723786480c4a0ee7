"""The run directory reader: declared types, missing and broken files, and which version of
a folder `open_run` serves while `zonewatch analyze` rewrites it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from tiny_run import make_tiny_run

from zonewatch.contract.run_files import ranked_lists, run_files
from zonewatch.errors import Invalid, NotFound, Unavailable
from zonewatch.rundir import SETTLE_SECONDS, RunDir, open_run


def _settle(run_dir: Path) -> None:
    """Age every file of the folder as if the analysis had finished a while ago."""
    old = time.time() - SETTLE_SECONDS - 1
    for file in run_dir.iterdir():
        os.utime(file, (old, old))


def _as_of(run: RunDir) -> str:
    return run.one("SELECT value FROM extract_meta WHERE key = 'as_of'")["value"]


def test_tables_have_the_declared_columns_and_types(tmp_path: Path) -> None:
    run = RunDir(make_tiny_run(tmp_path / "run"))
    for spec in run_files().values():
        if not spec.table:
            continue
        rows = run.query(f"DESCRIBE {spec.table}")
        described = {r["column_name"]: r["column_type"] for r in rows}
        for column in spec.columns:
            assert described[column] == spec.sql_type(column), (spec.name, column)
    top = run.ranked("properties").iloc[0]
    assert (top["property_id"], int(top["rank"]), float(top["score"])) == ("P1", 1, 9.5)
    # the ingested tables are there by their own names and under db.
    assert run.one("SELECT count(*) AS n FROM persons")["n"] == run.one(
        "SELECT count(*) AS n FROM db.persons")["n"] > 0
    assert run.as_of() == date(2026, 11, 1)


def test_missing_and_broken_files_are_named(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run")
    (run_dir / "networks.csv").unlink()
    (run_dir / "offices_ranked.csv").write_text("rank,score\n1,2.0\n", encoding="utf-8")
    run = RunDir(run_dir)
    with pytest.raises(NotFound, match="networks.csv"):
        run.ranked("networks")
    with pytest.raises(Unavailable, match="office_id"):
        run.ranked("offices")
    # SQL still sees every declared table (empty), so pages degrade instead of failing
    assert run.query("SELECT * FROM r_networks") == []
    assert len(run.ranked("owners")) == 2
    with pytest.raises(Invalid, match="unknown list"):
        run.ranked("cats")
    ev = run.evidence()
    first = ev.iloc[0]
    found = run.evidence_for(first["entity_type"], first["entity_id"])
    same = ev[(ev["entity_type"] == first["entity_type"]) & (ev["entity_id"] == first["entity_id"])]
    assert len(found) == len(same) >= 1
    assert set(ranked_lists()) == {"properties", "owners", "officials", "offices", "networks"}


def test_a_folder_without_ranked_properties_is_not_a_run(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run")
    (run_dir / "properties_ranked.csv").unlink()
    with pytest.raises(Invalid, match="not an analysis run"):
        RunDir(run_dir)
    with pytest.raises(Invalid, match="does not exist"):
        open_run(tmp_path / "nowhere")


def test_a_rewrite_in_place_is_served_once_it_settles(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run", as_of=date(2026, 6, 1))
    _settle(run_dir)
    first = open_run(run_dir)
    assert open_run(run_dir) is first  # one shared version per folder
    make_tiny_run(run_dir, as_of=date(2026, 11, 1))  # a new analysis rewrites the files
    # still young: the previous version keeps being served, the writer keeps its lock
    assert _as_of(open_run(run_dir)) == "2026-06-01"
    _settle(run_dir)
    second = open_run(run_dir)
    assert second is not first and _as_of(second) == "2026-11-01"
    assert second.version > first.version
    assert _as_of(first) == "2026-06-01"  # a request holding the old version still reads it


def test_a_half_written_version_keeps_the_served_one(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run")
    _settle(run_dir)
    served = open_run(run_dir)
    ranked = run_dir / "properties_ranked.csv"
    ranked.write_text("rank,prop", encoding="utf-8")  # a writer has just begun
    _settle(run_dir)  # even once old: it lacks property_id, so it is refused
    assert open_run(run_dir) is served and len(served.ranked("properties")) == 6
    ranked.write_text("rank,property_id\n", encoding="utf-8")  # the writer finished
    _settle(run_dir)
    assert len(open_run(run_dir).ranked("properties")) == 0


def test_a_folder_swapped_in_whole_is_served_at_once(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run", as_of=date(2026, 6, 1))
    _settle(run_dir)
    assert _as_of(open_run(run_dir)) == "2026-06-01"
    beside = make_tiny_run(tmp_path / "run.new", as_of=date(2026, 11, 1))  # young files
    shutil.move(run_dir, tmp_path / "run.old")
    beside.rename(run_dir)
    assert _as_of(open_run(run_dir)) == "2026-11-01"


def test_a_locked_database_is_a_clear_error(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run")
    # another process (an analysis) holds the file open for writing
    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', "
            "flush=True); time.sleep(60)")
    writer = subprocess.Popen([sys.executable, "-c", code, str(run_dir / "zonewatch.duckdb")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        with pytest.raises(Unavailable, match="is being written"):
            RunDir(run_dir)
    finally:
        writer.kill()
        writer.wait()
    (run_dir / "zonewatch.duckdb").unlink()
    run = RunDir(run_dir)  # the ranked files alone still serve the lists
    assert run.has_table("properties") is False and len(run.ranked("properties")) == 6

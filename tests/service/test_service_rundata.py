"""Reading a run that `zonewatch analyze` rewrites while the service runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from tiny_run import make_tiny_run

from zonewatch.store.errors import NotFound, Unavailable
from zonewatch.store.rundata import SETTLE_SECONDS, RunData


def test_rewritten_run_is_picked_up_after_it_settles(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run", as_of=date(2026, 6, 1))
    run = RunData(run_dir)
    assert run.query("SELECT value FROM extract_meta WHERE key = 'as_of'")[0]["value"] == (
        "2026-06-01")
    make_tiny_run(run_dir, as_of=date(2026, 11, 1))  # a new analysis replaces the file
    # still young: the previous version keeps being served, the writer keeps its lock
    assert run.query("SELECT value FROM extract_meta WHERE key = 'as_of'")[0]["value"] == (
        "2026-06-01")
    old = time.time() - SETTLE_SECONDS - 1
    os.utime(run.duckdb_path, (old, old))
    assert run.query("SELECT value FROM extract_meta WHERE key = 'as_of'")[0]["value"] == (
        "2026-11-01")
    run.close()


def test_locked_or_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run")
    # another process (an analysis) holds the file open for writing
    code = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', "
            "flush=True); time.sleep(60)")
    writer = subprocess.Popen([sys.executable, "-c", code, str(run_dir / "zonewatch.duckdb")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        with pytest.raises(Unavailable, match="is being written"):
            RunData(run_dir).query("SELECT 1")
    finally:
        writer.kill()
        writer.wait()
    (run_dir / "zonewatch.duckdb").unlink()
    with pytest.raises(NotFound, match="zonewatch.duckdb is missing"):
        RunData(run_dir).query("SELECT 1")
    assert RunData(run_dir).has_table("properties") is False


def test_ranked_csv_being_rewritten_keeps_the_cached_version(tmp_path: Path) -> None:
    run_dir = make_tiny_run(tmp_path / "run")
    run = RunData(run_dir)
    assert len(run.ranked("properties")) == 6
    ranked = run_dir / "properties_ranked.csv"
    ranked.write_text(ranked.read_text().splitlines()[0] + "\n")  # a writer has just begun
    assert len(run.ranked("properties")) == 6
    old = time.time() - SETTLE_SECONDS - 1
    os.utime(ranked, (old, old))
    assert len(run.ranked("properties")) == 0


def test_warming_reads_what_it_can_and_leaves_broken_files_to_their_requests(
    tmp_path: Path,
) -> None:
    run_dir = make_tiny_run(tmp_path / "run", as_of=date(2026, 6, 1))
    (run_dir / "networks.csv").unlink()
    (run_dir / "offices_ranked.csv").write_text("rank,office_id\n1,OF1\n", encoding="utf-8")
    run = RunData(run_dir)
    run.warm()  # neither the missing nor the broken file stops it
    ev = run.evidence()
    first = ev.iloc[0]
    found = run.evidence_for(first["entity_type"], first["entity_id"])
    same = ev[(ev["entity_type"] == first["entity_type"]) & (ev["entity_id"] == first["entity_id"])]
    assert len(found) == len(same) >= 1
    assert len(run.ranked("owners")) > 0
    with pytest.raises(NotFound, match="networks.csv"):
        run.ranked("networks")
    with pytest.raises(Unavailable, match="score"):
        run.ranked("offices")
    run.close()

"""kill -9 during `ingest` and `analyze` into existing targets: the old result survives.

Each run is a real `zonewatch` subprocess told by ZONEWATCH_TEST_PAUSE_AT to wait at a
named point (zonewatch.atomic.pause_point); the test SIGKILLs it there, checks the
previous database or run directory byte for byte and as the server reads it, then reruns.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from zonewatch.atomic import PAUSE_ENV, directory_beside
from zonewatch.rundir import RunDir

SRC = Path(__file__).resolve().parents[2] / "src"
CLI = "from zonewatch.cli import main; main()"
PAUSE_TIMEOUT_S = 180
INGEST_POINTS = ["ingest:read persons", "ingest:load registrations", "before swap city.duckdb"]
ANALYZE_POINTS = ["analyze:ingest", "before swap zonewatch.duckdb", "analyze:people",
                  "analyze:write", "before swap run"]


def _cli(*args: str, pause_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.pop(PAUSE_ENV, None)
    if pause_at:
        env[PAUSE_ENV] = pause_at
    return subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _run_ok(*args: str) -> None:
    proc = _cli(*args)
    _, err = proc.communicate(timeout=PAUSE_TIMEOUT_S)
    assert proc.returncode == 0, err


def _kill_at(point: str, *args: str) -> None:
    """Start the command, wait until it pauses at `point`, SIGKILL it."""
    proc = _cli(*args, pause_at=point)
    watchdog = threading.Timer(PAUSE_TIMEOUT_S, proc.kill)  # never wait forever
    watchdog.start()
    seen = []
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            seen.append(line)
            if line.strip() == f"zonewatch: paused at {point}":
                break
        else:
            proc.wait()
            pytest.fail(f"exited {proc.returncode} before {point!r}: {''.join(seen)}")
    finally:
        watchdog.cancel()
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def _digest(path: Path) -> dict[str, str]:
    """sha256 of every file under `path` (or of the file itself)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files}


def _siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.glob(f".{target.name}.*"))


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from zonewatch.generate import generate_city

    city = tmp_path_factory.mktemp("crash_city")
    generate_city(city, persons=500, seed=11)
    return city / "extract"


def test_killed_ingest_keeps_the_previous_database(extract: Path, tmp_path: Path) -> None:
    db = tmp_path / "city.duckdb"
    _run_ok("ingest", str(extract), "--db", str(db), "--as-of", "2026-10-01")
    before = _digest(db)
    for point in INGEST_POINTS:
        _kill_at(point, "ingest", str(extract), "--db", str(db))
        assert _digest(db) == before, f"database changed by a kill at {point!r}"
        assert _siblings(db), "a killed ingest leaves its temporary file (removed next time)"
    _run_ok("ingest", str(extract), "--db", str(db))
    assert _digest(db) != before
    assert _siblings(db) == [], "the rerun removes the killed ingests' temporaries"


def test_killed_analyze_keeps_the_previous_run(extract: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    _run_ok("analyze", str(extract), "--out", str(run), "--as-of", "2026-10-01")
    (run / "my_notes.txt").write_text("kept across reruns")  # not written by analyze
    before = _digest(run)
    for point in ANALYZE_POINTS:
        _kill_at(point, "analyze", str(extract), "--out", str(run))
        assert _digest(run) == before, f"run changed by a kill at {point!r}"
        served = RunDir(run)  # what the server reads from that directory
        assert served.info()["as_of"] == "2026-10-01"
        assert served.query("SELECT value FROM extract_meta WHERE key = 'as_of'") == [
            {"value": "2026-10-01"}]
        served.close()
    _run_ok("analyze", str(extract), "--out", str(run))
    assert RunDir(run).info()["as_of"] != "2026-10-01"
    assert (run / "my_notes.txt").read_text() == "kept across reruns"
    assert _siblings(run) == [], "the rerun removes the killed runs' temporaries"


def test_kill_after_the_swap_leaves_the_new_run(extract: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    _run_ok("analyze", str(extract), "--out", str(run), "--as-of", "2026-10-01")
    _kill_at("after swap run", "analyze", str(extract), "--out", str(run))
    assert RunDir(run).info()["as_of"] != "2026-10-01"  # the new run, complete
    assert (run / "properties_ranked.csv").is_file() and (run / "zonewatch.duckdb").is_file()
    assert len(_siblings(run)) == 1  # the old run, not yet removed when killed
    _run_ok("analyze", str(extract), "--out", str(run))
    assert _siblings(run) == []


def test_failed_analyze_leaves_no_folder_and_keeps_an_old_run(extract: Path,
                                                              tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "persons.csv").write_bytes((extract / "persons.csv").read_bytes())
    fresh = tmp_path / "fresh"
    proc = _cli("analyze", str(broken), "--out", str(fresh))
    _, err = proc.communicate(timeout=PAUSE_TIMEOUT_S)
    assert proc.returncode == 1 and "missing required table" in err
    assert not fresh.exists() and _siblings(fresh) == []
    run = tmp_path / "run"
    _run_ok("analyze", str(extract), "--out", str(run), "--as-of", "2026-10-01")
    before = _digest(run)
    proc = _cli("analyze", str(broken), "--out", str(run))
    proc.communicate(timeout=PAUSE_TIMEOUT_S)
    assert proc.returncode == 1
    assert _digest(run) == before and _siblings(run) == []


def test_a_directory_moved_aside_by_a_killed_writer_is_put_back(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid whose process has ended, as after a kill
    target = tmp_path / "run"
    aside = tmp_path / f".run.{gone.pid}.old"
    aside.mkdir()
    (aside / "run.json").write_text("{}")
    with directory_beside(target) as work:
        assert target.is_dir() and (target / "run.json").read_text() == "{}"
        (work / "run.json").write_text('{"new": 1}')
    assert (target / "run.json").read_text() == '{"new": 1}'
    assert _siblings(target) == []

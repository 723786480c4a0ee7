"""DuckDB connections sized to the machine: limit parsing, the override, real settings."""

from __future__ import annotations

import duckdb
import pytest

from zonewatch.engine.resources import (
    ENV_MEMORY,
    MEMORY_SHARE,
    configure,
    connect,
    cores,
    machine_memory,
    memory_limit,
    remove_spill,
    spill_dir,
)


def _mb(size: str) -> int:
    assert size.endswith("MB"), size
    return int(size[:-2])


def test_default_limit_is_a_share_of_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MEMORY, raising=False)
    expected = int(machine_memory() * MEMORY_SHARE) // 2**20
    assert _mb(memory_limit()) == expected
    assert expected > 0


def test_explicit_value_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_MEMORY, "3GB")
    assert memory_limit() == "3GB"
    assert memory_limit("750mb") == "750MB"
    assert _mb(memory_limit("50%")) == int(machine_memory() * 0.5) // 2**20


@pytest.mark.parametrize("bad", ["lots", "8XB", "0%", "150%", "-1GB"])
def test_bad_sizes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="memory limit"):
        memory_limit(bad)


def test_connection_gets_limit_threads_and_spill_dir(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(ENV_MEMORY, raising=False)
    db = tmp_path / "x.duckdb"
    con = connect(db, "256MB")
    try:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        temp = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    finally:
        con.close()
    assert limit.replace(" ", "") in ("256.0MiB", "244.1MiB")  # DuckDB prints MiB
    assert int(threads) == cores()
    assert temp == str(spill_dir(db)) and spill_dir(db).name == "x.duckdb.spill"


@pytest.mark.slow
def test_work_beyond_the_limit_spills_and_the_spill_dir_goes(tmp_path) -> None:
    """A sort far larger than the cap completes by spilling beside the database."""
    db = tmp_path / "big.duckdb"
    con = configure(duckdb.connect(str(db)), db, "200MB")
    try:
        con.execute("SET preserve_insertion_order = false")
        con.execute(
            "CREATE TABLE t AS SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s "
            "FROM range(4000000) r(i) ORDER BY s"
        )
        assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 4_000_000
        size = con.execute("SELECT sum(length(s)) FROM t").fetchone()[0]
    finally:
        con.close()
    assert size > 200 * 2**20  # the sorted data alone exceeds the cap: it had to spill
    remove_spill(db)
    assert not spill_dir(db).exists()

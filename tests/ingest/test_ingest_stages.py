"""ingest_extract reports its stages and runs under a memory cap with the same result."""

from __future__ import annotations

import duckdb

from zonewatch.ingest import ingest_extract


def _tables(db) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {n: con.execute(f'SELECT * FROM "{n}"').fetchall() for n in names
                if n != "extract_meta"}
    finally:
        con.close()


def test_stages_and_a_small_memory_cap(small_city, tmp_path) -> None:
    seen: list[str] = []
    capped = ingest_extract(small_city / "extract", tmp_path / "capped.duckdb",
                            memory_limit="100MB", on_stage=seen.append)
    plain = ingest_extract(small_city / "extract", tmp_path / "plain.duckdb")
    order = list(plain.tables)
    assert seen == [f"read {t}" for t in order] + ["as-of"] + [f"load {t}" for t in order]
    assert capped.to_dict()["tables"] == plain.to_dict()["tables"]
    for t in plain.tables.values():
        assert t.rows_read == t.rows_accepted + t.rows_quarantined
    assert plain.rows_quarantined > 0
    assert _tables(tmp_path / "capped.duckdb") == _tables(tmp_path / "plain.duckdb")
    assert not list(tmp_path.glob("*.spill")) and not list(tmp_path.glob(".*.tmp"))

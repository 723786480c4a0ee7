"""The ingested database: atomic replacement, repeatability, as-of, unchecked references."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import duckdb
import pytest

from zonewatch.ingest import IngestError, ingest_extract

TABLES_SQL = "SELECT table_name FROM information_schema.tables ORDER BY 1"


def _dump(db) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute(TABLES_SQL).fetchall()]
        dump = {n: con.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}
    dump["extract_meta"] = [r for r in dump["extract_meta"] if r[0] != "ingested_at"]
    return dump


def test_failing_ingest_leaves_previous_db_intact(base_tables, write_extract, tmp_path):
    db = tmp_path / "z.duckdb"
    ingest_extract(write_extract(base_tables, "good"), db)
    before = _dump(db)
    for row in base_tables["registrations"]:
        del row["person_id"]
    with pytest.raises(IngestError):
        ingest_extract(write_extract(base_tables, "broken"), db)
    assert _dump(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "good", "z.duckdb"]


def test_ingesting_twice_gives_the_same_db(base_tables, write_extract, tmp_path):
    base_tables["properties"][1]["area_m2"] = "0"
    base_tables["persons"][0]["sex"] = "F"
    extract = write_extract(base_tables)
    db = tmp_path / "z.duckdb"
    ingest_extract(extract, db)
    first = _dump(db)
    ingest_extract(extract, db)
    assert _dump(db) == first
    assert len(first["quarantine"]) > 2


def test_db_holds_meta_and_only_present_tables(base_tables, write_extract, tmp_path):
    db = tmp_path / "z.duckdb"
    ingest_extract(write_extract(base_tables), db, "2021-07-01")
    dump = _dump(db)
    assert "occupancy" not in dump
    meta = dict(dump["extract_meta"])
    assert meta["as_of"] == "2021-07-01" and meta["as_of_given"] == "true"
    with duckdb.connect(str(db), read_only=True) as con:
        cols = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                           "WHERE table_name = 'quarantine'").fetchall()  # fmt: skip
    assert [c[0] for c in cols] == [
        "table_name", "row_key", "line_number", "rule", "column_name", "value"
    ]  # fmt: skip


def test_default_as_of_is_latest_start_approval_inspection_or_service_use(
    base_tables, write_extract, tmp_path
):
    report = ingest_extract(write_extract(base_tables, "a"), tmp_path / "a.duckdb")
    assert report.as_of == dt.date(2021, 7, 1)  # the service event
    del base_tables["service_events"]
    report = ingest_extract(write_extract(base_tables, "b"), tmp_path / "b.duckdb")
    assert report.as_of == dt.date(2021, 5, 5)  # the inspection
    del base_tables["inspections"]
    base_tables["registrations"][1]["processed_at"] = "2020-02-03T09:00:00"
    report = ingest_extract(write_extract(base_tables, "c"), tmp_path / "c.duckdb")
    # R3's permanent end 2021-06-30 and R2's temporary end 2027-02-01 may be planned: not used
    assert report.as_of == dt.date(2020, 2, 3)


def test_reference_into_absent_table_is_reported_unchecked(base_tables, write_extract, tmp_path):
    del base_tables["officials"], base_tables["organizations"]
    report = ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")
    assert report.tables["registrations"].unchecked_references == [
        "official_id -> officials.official_id"
    ]
    assert report.tables["ownerships"].unchecked_references == [
        "owner_id -> organizations.org_id (owner_type=organization)"
    ]
    assert report.rows_quarantined == 0


def test_stray_future_date_sets_as_of_but_is_flagged(base_tables, write_extract, tmp_path):
    rows = base_tables["service_events"]
    rows += [dict(rows[0], event_date=f"2021-{m:02d}-01") for m in range(1, 7)] * 200
    rows.append(dict(rows[0], event_date="2031-01-01"))
    report = ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")
    assert report.as_of == dt.date(2031, 1, 1)  # the contract: the latest date in the extract
    assert len(report.warnings) == 1 and "2031-01-01" in report.warnings[0]
    report = ingest_extract(
        write_extract(base_tables, "given"), tmp_path / "y.duckdb", "2021-07-01"
    )
    assert report.warnings == []
    assert report.tables["service_events"].quarantined_by_rule == {"future_date": 1}


def test_temp_file_of_a_killed_ingest_is_cleaned_up(base_tables, write_extract, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".z.duckdb.{dead}.tmp"
    stale.write_bytes(b"half-written database")
    ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")
    assert not stale.exists()
    assert (tmp_path / "z.duckdb").is_file()


def test_db_path_that_is_a_directory_is_refused(base_tables, write_extract, tmp_path):
    with pytest.raises(IngestError, match="is a directory"):
        ingest_extract(write_extract(base_tables), tmp_path)


def test_dates_of_broken_rows_do_not_move_the_as_of(base_tables, write_extract, tmp_path):
    base_tables["persons"][0]["birth_date"] = "2031-05-15"  # disagrees with the IIN
    base_tables["registrations"][1]["start_date"] = "2032-01-01"  # and so is quarantined
    base_tables["registrations"][1]["kind"] = "forever"
    report = ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")
    assert report.as_of == dt.date(2021, 7, 1)
    assert report.tables["persons"].quarantined_by_rule == {
        "future_date": 1,
        "iin_birth_date_mismatch": 1,
    }
    assert report.tables["registrations"].quarantined_by_rule["future_date"] == 1

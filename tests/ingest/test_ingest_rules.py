"""One case per validity rule: a value that breaks it is quarantined, a near value passes."""

from __future__ import annotations

import duckdb
import pytest

from zonewatch.ingest import ingest_extract

AS_OF = "2021-07-01"

# (table, row index, column, breaking value, passing value, rule)
CASES = [
    ("persons", 0, "last_name", "", "Ахметов", "missing_value"),
    ("properties", 0, "address", " ", "ул. Абая 1", "missing_value"),
    ("registrations", 0, "start_date", "10.01.2016", "2016-01-11", "bad_date"),
    ("registrations", 0, "start_date", "2016-02-30", "2016-02-28", "bad_date"),
    ("registrations", 0, "processed_at", "yesterday", "2016-01-10T10:15:00+06:00", "bad_timestamp"),
    ("properties", 0, "area_m2", "38,5", "38.5", "bad_number"),
    ("properties", 0, "area_m2", "nan", "12", "bad_number"),
    ("properties", 0, "rooms", "1.5", "2", "bad_integer"),
    ("inspections", 0, "brokering", "maybe", "true", "bad_boolean"),
    ("properties", 0, "kind", "flat", "dormitory", "bad_enum"),
    ("registrations", 0, "kind", "Permanent", "temporary", "bad_enum"),
    ("persons", 2, "sex", "W", "F", "bad_enum"),
    ("persons", 0, "iin", "900515300019", "900515300018", "bad_iin"),
    ("persons", 0, "iin", "90051530001", "900515300018", "bad_iin"),
    ("organizations", 0, "bin", "12345", "000000000001", "bad_bin"),
    ("persons", 1, "citizenship", "UZ", "UZB", "bad_country"),
    ("properties", 0, "area_m2", "0", "0.5", "out_of_range"),
    ("properties", 0, "rooms", "0", "1", "out_of_range"),
    ("properties", 0, "lat", "91", "-90", "out_of_range"),
    ("properties", 0, "lon", "-180.5", "180", "out_of_range"),
    ("ownerships", 1, "share", "1.2", "1", "out_of_range"),
    ("ownerships", 1, "share", "0", "0.01", "out_of_range"),
    ("inspections", 0, "persons_found", "-1", "0", "out_of_range"),
    ("registrations", 0, "start_date", "2021-07-02", "2021-07-01", "future_date"),
    ("persons", 2, "birth_date", "2022-01-01", "2001-01-01", "future_date"),
    ("registrations", 2, "end_date", "2019-05-31", "2019-06-01", "end_before_start"),
    ("ownerships", 0, "end_date", "2014-01-01", "2030-01-01", "end_before_start"),
    ("persons", 0, "birth_date", "1990-05-16", "", "iin_birth_date_mismatch"),
    ("persons", 0, "sex", "F", "", "iin_sex_mismatch"),
    ("registrations", 0, "property_id", "H9", "H2", "dangling_reference"),
    ("registrations", 0, "official_id", "F9", "", "dangling_reference"),
    ("officials", 0, "office_id", "O9", "O2", "dangling_reference"),
    ("ownerships", 1, "owner_id", "P1", "G1", "dangling_reference"),
    ("relations", 0, "relative_id", "P9", "P2", "dangling_reference"),
]


def _quarantine(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT table_name, rule, column_name, value FROM quarantine").fetchall()


@pytest.mark.parametrize(("table", "index", "column", "bad", "good", "rule"), CASES)
def test_rule_breaks_and_passes(
    base_tables, write_extract, tmp_path, table, index, column, bad, good, rule
):
    base_tables[table][index][column] = bad
    db = tmp_path / "bad.duckdb"
    report = ingest_extract(write_extract(base_tables, "bad"), db, AS_OF)
    found = _quarantine(db)
    assert (table, rule, column) in [row[:3] for row in found]
    assert report.tables[table].quarantined_by_rule[rule] == 1
    assert report.tables[table].rows_accepted == len(base_tables[table]) - 1

    base_tables[table][index][column] = good
    report = ingest_extract(write_extract(base_tables, "good"), tmp_path / "good.duckdb", AS_OF)
    assert report.rows_quarantined == 0


def test_base_extract_loads_completely(base_tables, write_extract, tmp_path):
    report = ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")
    assert report.rows_quarantined == 0
    assert report.rows_read == sum(len(rows) for rows in base_tables.values())
    assert report.tables_missing == ["occupancy"]


def test_duplicate_key_keeps_first_copy(base_tables, write_extract, tmp_path):
    copy = dict(base_tables["registrations"][0], start_date="2017-01-01")
    base_tables["registrations"].append(copy)
    db = tmp_path / "z.duckdb"
    report = ingest_extract(write_extract(base_tables), db, AS_OF)
    assert report.tables["registrations"].quarantined_by_rule == {"duplicate_key": 1}
    with duckdb.connect(str(db), read_only=True) as con:
        kept = con.execute("SELECT start_date FROM registrations WHERE registration_id = 'R1'")
        assert str(kept.fetchall()[0][0]) == "2016-01-10"
        line = con.execute("SELECT line_number, row_key FROM quarantine").fetchall()
    assert line == [(5, "R1")]  # header + 3 rows, the copy is on line 5


def test_quarantined_person_cascades_to_registrations(base_tables, write_extract, tmp_path):
    base_tables["persons"][0]["iin"] = "900515300019"
    db = tmp_path / "z.duckdb"
    report = ingest_extract(write_extract(base_tables), db, AS_OF)
    assert report.tables["registrations"].quarantined_by_rule == {"dangling_reference": 1}
    assert report.tables["relations"].quarantined_by_rule == {"dangling_reference": 1}
    assert report.tables["service_events"].quarantined_by_rule == {"dangling_reference": 1}
    assert report.tables["ownerships"].quarantined_by_rule == {"dangling_reference": 1}
    with duckdb.connect(str(db), read_only=True) as con:
        ids = con.execute("SELECT registration_id FROM registrations ORDER BY 1").fetchall()
    assert ids == [("R2",), ("R3",)]


def test_row_breaking_several_rules_counts_once(base_tables, write_extract, tmp_path):
    base_tables["properties"][0].update(area_m2="-3", rooms="0", kind="flat")
    db = tmp_path / "z.duckdb"
    report = ingest_extract(write_extract(base_tables), db, AS_OF)
    t = report.tables["properties"]
    assert t.rows_quarantined == 1 and t.rows_accepted == 1
    assert t.quarantined_by_rule == {"bad_enum": 1, "out_of_range": 1}
    own = [row for row in _quarantine(db) if row[0] == "properties"]
    assert len(own) == 3  # one quarantine row per rule and column broken


def test_planned_end_of_temporary_registration_may_be_future(base_tables, write_extract, tmp_path):
    base_tables["registrations"][1]["end_date"] = "2031-01-01"
    report = ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb", AS_OF)
    assert report.rows_quarantined == 0


def test_row_key_names_the_row_even_with_missing_parts(base_tables, write_extract, tmp_path):
    base_tables["ownerships"][0]["owner_id"] = ""
    base_tables["registrations"][0]["registration_id"] = ""
    db = tmp_path / "z.duckdb"
    ingest_extract(write_extract(base_tables), db, AS_OF)
    with duckdb.connect(str(db), read_only=True) as con:
        keys = con.execute(
            "SELECT table_name, row_key, line_number FROM quarantine WHERE rule = 'missing_value'"
            " ORDER BY 1"
        ).fetchall()
    assert keys == [("ownerships", "H1||2015-03-01", 2), ("registrations", None, 2)]


def test_line_numbers_count_line_breaks_inside_quoted_cells(base_tables, write_extract, tmp_path):
    base_tables["properties"][0]["address"] = "ул. Абая 1,\nкв. 5\n(во дворе)"
    base_tables["properties"][1]["kind"] = "castle"
    db = tmp_path / "z.duckdb"
    ingest_extract(write_extract(base_tables), db, AS_OF)
    with duckdb.connect(str(db), read_only=True) as con:
        lines = con.execute(
            "SELECT line_number FROM quarantine WHERE table_name = 'properties'"
        ).fetchall()
        address = con.execute("SELECT address FROM properties").fetchone()[0]
    assert lines == [(5,)]  # header 1, first record lines 2-4, second record line 5
    assert address.count("\n") == 2

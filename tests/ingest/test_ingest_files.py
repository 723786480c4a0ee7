"""Reading extracts: CSV and Parquet, free column order, extra columns, and clear errors."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from zonewatch.cli import main
from zonewatch.ingest import IngestError, ingest_extract


def _rows(db, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_csv_and_parquet_give_the_same_tables(base_tables, write_extract, tmp_path):
    csv_dir = write_extract(base_tables, "csv")
    pq_dir = write_extract({t: r for t, r in base_tables.items() if t != "registrations"}, "pq")
    regs = pa.Table.from_pylist(base_tables["registrations"])
    pq.write_table(regs, pq_dir / "registrations.parquet")
    ingest_extract(csv_dir, tmp_path / "a.duckdb")
    report = ingest_extract(pq_dir, tmp_path / "b.duckdb")
    assert report.tables["registrations"].file == "registrations.parquet"
    sql = "SELECT * FROM registrations ORDER BY registration_id"
    assert _rows(tmp_path / "a.duckdb", sql) == _rows(tmp_path / "b.duckdb", sql)


def test_typed_parquet_columns_are_validated_too(base_tables, write_extract, tmp_path):
    extract = write_extract({t: r for t, r in base_tables.items() if t != "properties"})
    props = pa.table({
        "property_id": ["H1", "H2"], "address": ["a", "b"], "district": ["D1", "D1"],
        "kind": ["apartment", "house"], "area_m2": [38.5, 0.0], "rooms": [1, 2],
    })  # fmt: skip
    pq.write_table(props, extract / "properties.parquet")
    report = ingest_extract(extract, tmp_path / "z.duckdb")
    assert report.tables["properties"].quarantined_by_rule == {"out_of_range": 1}
    assert report.tables["properties"].columns_absent == ["building_id", "lat", "lon"]


def test_column_order_is_free_and_extra_columns_are_kept(base_tables, write_extract, tmp_path):
    base_tables["properties"] = [
        {"note": "x", **dict(reversed(list(row.items())))} for row in base_tables["properties"]
    ]
    db = tmp_path / "z.duckdb"
    report = ingest_extract(write_extract(base_tables), db)
    assert report.tables["properties"].extra_columns == ["note"]
    cols = _rows(db, "SELECT column_name, data_type FROM information_schema.columns "
                     "WHERE table_name = 'properties' ORDER BY ordinal_position")  # fmt: skip
    assert cols[0] == ("property_id", "VARCHAR")
    assert ("area_m2", "DOUBLE") in cols and ("rooms", "BIGINT") in cols
    assert cols[-1] == ("note", "VARCHAR")


def test_missing_required_file_names_it(base_tables, write_extract, tmp_path):
    del base_tables["registrations"]
    with pytest.raises(IngestError, match=r"registrations.*occupancy"):
        ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")


def test_occupancy_alone_is_enough(base_tables, write_extract, tmp_path):
    tables = {
        "properties": base_tables["properties"],
        "occupancy": [
            {"property_id": "H1", "as_of": "2014-03-23", "registered": "31", "source": ""},
            {"property_id": "H2", "as_of": "2014-03-23", "registered": "-2", "source": "x"},
        ],
    }
    report = ingest_extract(write_extract(tables), tmp_path / "z.duckdb")
    assert report.as_of.isoformat() == "2014-03-23"
    assert report.tables["occupancy"].quarantined_by_rule == {"out_of_range": 1}
    assert "persons" in report.tables_missing


def test_missing_required_column_names_file_and_column(base_tables, write_extract, tmp_path):
    for row in base_tables["persons"]:
        del row["last_name"]
    with pytest.raises(IngestError,
                       match=r"persons\.csv: line 1: missing required column 'last_name'"):
        ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")


def test_missing_nullable_column_is_loaded_as_null(base_tables, write_extract, tmp_path):
    for row in base_tables["persons"]:
        del row["patronymic"]
    db = tmp_path / "z.duckdb"
    report = ingest_extract(write_extract(base_tables), db)
    assert report.tables["persons"].columns_absent == ["patronymic"]
    assert _rows(db, "SELECT count(patronymic), count(*) FROM persons") == [(0, 3)]


def test_garbled_csv_names_the_file_and_line(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    with (extract / "properties.csv").open("a", encoding="utf-8") as fh:
        fh.write('H3,"unterminated,D1,,apartment,1,1,,\n')
    with pytest.raises(IngestError, match=r"properties\.csv: cannot read as CSV: line 4"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_row_with_too_many_fields_names_its_line(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    with (extract / "registrations.csv").open("a", encoding="utf-8", newline="") as fh:
        fh.write("R9,P1,H1,permanent,2016-01-10,,psc,O1,F1,sms,,surplus\r\n")
    with pytest.raises(IngestError, match=r"registrations\.csv: .*line 5: 12 fields, the header"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_not_utf8_is_an_error(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    path = extract / "properties.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    with pytest.raises(IngestError, match=r"properties\.csv"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_parquet_that_is_not_parquet_is_an_error(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    (extract / "inspections.csv").rename(extract / "inspections.parquet")
    with pytest.raises(IngestError, match=r"inspections\.parquet: cannot read as PARQUET"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_table_in_another_format_is_an_error(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    (extract / "inspections.csv").rename(extract / "inspections.xlsx")
    with pytest.raises(IngestError, match=r"inspections\.xlsx: table 'inspections' must be"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_csv_and_parquet_for_one_table_is_an_error(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    pq.write_table(pa.Table.from_pylist(base_tables["offices"]), extract / "offices.parquet")
    with pytest.raises(IngestError, match=r"'offices' given twice"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_empty_file_is_an_error(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    (extract / "relations.csv").write_text("", encoding="utf-8")
    with pytest.raises(IngestError, match=r"relations\.csv: file is empty"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_unknown_files_are_ignored_and_reported(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    (extract / "README.txt").write_text("notes", encoding="utf-8")
    report = ingest_extract(extract, tmp_path / "z.duckdb")
    assert report.files_ignored == ["README.txt"]


def test_cli_writes_report_and_fails_cleanly(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    runner = CliRunner()
    out = tmp_path / "report.json"
    ok = runner.invoke(main, ["ingest", str(extract), "--db", str(tmp_path / "z.duckdb"),
                              "--report", str(out)])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "registrations" in ok.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["tables"]["registrations"]["rows_accepted"] == 3
    assert set(report["tables"]["persons"]) >= {
        "file", "rows_read", "rows_accepted", "rows_quarantined", "quarantined_by_rule"
    }  # fmt: skip
    (extract / "properties.csv").unlink()
    bad = runner.invoke(main, ["ingest", str(extract), "--db", str(tmp_path / "z.duckdb")])
    assert bad.exit_code != 0
    assert "missing required table file(s): properties" in bad.output
    assert "Traceback" not in bad.output


def test_header_names_are_stripped_and_unnamed_columns_refused(
    base_tables, write_extract, tmp_path
):
    extract = write_extract(base_tables)
    path = extract / "offices.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("office_id,name", " office_id , name", 1), encoding="utf-8")
    report = ingest_extract(extract, tmp_path / "z.duckdb")
    assert report.tables["offices"].rows_accepted == 2
    path.write_text(text.replace("office_id,name", "office_id,,name", 1), encoding="utf-8")
    with pytest.raises(IngestError, match=r"offices\.csv: line 1: column 2 has no name"):
        ingest_extract(extract, tmp_path / "z.duckdb")


def test_semicolon_separated_file_is_explained(base_tables, write_extract, tmp_path):
    extract = write_extract(base_tables)
    path = extract / "offices.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    with pytest.raises(IngestError, match=r"offices\.csv: line 1: one column .*comma-separated"):
        ingest_extract(extract, tmp_path / "z.duckdb")

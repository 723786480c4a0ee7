"""What the fuzzer found, one case each: each used to crash ingest or to say too little."""

from __future__ import annotations

import gzip

import duckdb
import pytest

from zonewatch.ingest import IngestError, ingest_extract


def test_a_cut_gzip_stream_is_an_error_naming_file_and_line(base_tables, write_extract,
                                                            tmp_path):
    ext = write_extract(base_tables)
    data = gzip.compress((ext / "persons.csv").read_bytes())
    (ext / "persons.csv").unlink()
    (ext / "persons.csv.gz").write_bytes(data[: len(data) - 12])
    with pytest.raises(IngestError, match=r"persons\.csv\.gz: .*line \d+: Compressed file"):
        ingest_extract(ext, tmp_path / "z.duckdb")


def test_an_extra_column_named_rowid_keeps_file_order_and_lines(base_tables, write_extract,
                                                                tmp_path):
    for i, row in enumerate(base_tables["persons"]):
        row["rowid"] = str(100 - i)
    base_tables["persons"][1]["sex"] = "X"
    ext = write_extract(base_tables)
    ingest_extract(ext, tmp_path / "z.duckdb")
    with duckdb.connect(str(tmp_path / "z.duckdb"), read_only=True) as con:
        assert con.execute("SELECT person_id, rowid FROM persons").fetchall() == [
            ("P1", "100"), ("P3", "98")]
        assert con.execute("SELECT line_number, rule FROM quarantine "
                           "WHERE table_name = 'persons'").fetchall() == [(3, "bad_enum")]


@pytest.mark.parametrize(("extra", "message"), [
    ("__zw_f0", r"line 1: column '__zw_f0': names starting with '__zw_' are reserved"),
    ("SEX", r"line 1: columns 'sex' and 'SEX' differ only in case"),
])
def test_names_ingest_cannot_load_are_refused(base_tables, write_extract, tmp_path, extra,
                                              message):
    for row in base_tables["persons"]:
        row[extra] = "1"
    with pytest.raises(IngestError, match=r"persons\.csv: " + message):
        ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")


def test_a_contract_column_in_other_case_is_refused_not_doubled(base_tables, write_extract,
                                                                tmp_path):
    for row in base_tables["persons"]:
        row["CITIZENSHIP"] = row.pop("citizenship")
    with pytest.raises(IngestError, match=r"column 'CITIZENSHIP' differs from the contract's "
                                          r"'citizenship' only in case"):
        ingest_extract(write_extract(base_tables), tmp_path / "z.duckdb")


def test_non_utf8_text_is_reported_on_its_own_line(base_tables, write_extract, tmp_path):
    ext = write_extract(base_tables)
    path = ext / "persons.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace("Иванова".encode(), "Иванова".encode("cp1251"))
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(IngestError, match=r"persons\.csv: line 4: not UTF-8 text \(byte 0x"):
        ingest_extract(ext, tmp_path / "z.duckdb")


def test_no_valid_date_names_the_files_and_columns_looked_in(write_extract, tmp_path):
    ext = write_extract({
        "properties": [{"property_id": "H1", "address": "a", "district": "D1",
                        "kind": "house"}],
        "occupancy": [{"property_id": "H1", "as_of": "2026-02-30", "registered": "3"}],
    })
    with pytest.raises(IngestError, match=r"no valid row holds a valid date in "
                                          r"occupancy\.csv column as_of; pass --as-of"):
        ingest_extract(ext, tmp_path / "z.duckdb")

"""The reformagkh importer: a hand-made register, then the real Moscow file when present."""

from __future__ import annotations

import csv
import gzip

import duckdb
import pytest
from click.testing import CliRunner

from zonewatch.cli import main
from zonewatch.ingest import ingest_extract
from zonewatch.realdata import import_reformagkh

HEADER = ["HOUSE_ID", "ADDRESS", "AREA", "AREA_LIVE_TOTAL", "APTS", "PEOPLE", "HOUSE_TYPE",
          "YEAR", "LEVELS", "LVL2_NAME", "HOUSE_LINK"]  # fmt: skip
ROWS = [
    ["1", "г Москва ул А д.1", "3535.70", "3000.00", "80", "170", "Многоквартирный дом",
     "1961", "5", "муниципальный округ Коптево", "http://x/1"],
    ["2", "г Москва ул А д.2", "900.00", "нет данных", "нет данных", "300", "Общежитие",
     "1970", "3", "муниципальный округ Коптево", "http://x/2"],
    ["3", "г Москва ул Б д.3", "500.00", "0.00", "10", "20", "Многоквартирный дом",
     "1980", "4", "муниципальный округ Басманный", "http://x/3"],
    ["4", "г Москва ул Б д.4", "нет данных", "нет данных", "0", "нет данных", "Нет данных",
     "19983", "нет данных", "муниципальный округ Басманный", "http://x/4"],
]  # fmt: skip


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "housedata.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def test_import_writes_through_errors_for_ingest_to_quarantine(register, tmp_path):
    out = tmp_path / "extract"
    report = import_reformagkh(register, out)
    assert report.area_from_fallback == 1  # building 2: AREA_LIVE_TOTAL missing, AREA used
    assert report.nulled_missing == {"building_id": 0, "area_m2": 1, "rooms": 1}
    assert report.kinds == {"apartment": 2, "dormitory": 1, "Нет данных": 1}

    db = tmp_path / "msk.duckdb"
    ingest = ingest_extract(out, db)
    assert ingest.as_of.isoformat() == "2014-03-23"
    props = ingest.tables["properties"]
    assert props.quarantined_by_rule == {"bad_enum": 1, "out_of_range": 2}
    occ = ingest.tables["occupancy"]
    assert occ.quarantined_by_rule == {"bad_integer": 1, "dangling_reference": 2}
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT p.property_id, kind, area_m2, rooms, registered, apts FROM properties p "
            "JOIN occupancy USING (property_id) ORDER BY 1"
        ).fetchall()
        rules = con.execute(
            "SELECT row_key, rule, column_name FROM quarantine WHERE table_name = 'properties' "
            "ORDER BY 1, 2, 3"
        ).fetchall()
    assert rows == [
        ("1", "apartment", 3000.0, 80, 170, "80"),
        ("2", "dormitory", 900.0, None, 300, "нет данных"),
    ]
    assert rules == [
        ("3", "out_of_range", "area_m2"),
        ("4", "bad_enum", "kind"),
        ("4", "out_of_range", "rooms"),
    ]


def test_unknown_kind_option_maps_to_other(register, tmp_path):
    report = import_reformagkh(register, tmp_path / "x", unknown_kind="other")
    assert report.kinds["other"] == 1


def test_cli_rejects_a_file_without_register_columns(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import-reformagkh", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "missing column(s)" in result.output and "HOUSE_ID" in result.output


def test_real_moscow_register_imports_and_ingests(shared_dir, tmp_path):
    src = shared_dir / "data" / "real" / "housedata_msk_20140323.csv.gz"
    if not src.exists():
        pytest.skip(f"{src} is absent")
    out = tmp_path / "msk"
    result = CliRunner().invoke(main, ["import-reformagkh", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = ingest_extract(out, tmp_path / "msk.duckdb")
    props, occ = report.tables["properties"], report.tables["occupancy"]
    assert props.rows_read == occ.rows_read == 30404
    # every quarantined building is one the importer reported as written through
    assert props.quarantined_by_rule["bad_enum"] > 0
    assert props.quarantined_by_rule["out_of_range"] > 0
    assert occ.quarantined_by_rule["dangling_reference"] == props.rows_quarantined
    assert props.rows_accepted > 20000
    with duckdb.connect(str(tmp_path / "msk.duckdb"), read_only=True) as con:
        median = con.execute(
            "SELECT median(area_m2 / registered) FROM properties JOIN occupancy USING "
            "(property_id) WHERE registered > 0"
        ).fetchone()[0]
    assert 15 < median < 30  # README: median about 23 m2 per resident

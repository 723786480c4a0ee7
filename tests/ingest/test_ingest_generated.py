"""A generated city: ingest quarantines exactly the rows the generator broke on purpose."""

from __future__ import annotations

import json

import duckdb

from zonewatch.ingest import ingest_extract

# generator label -> ingest rule (the generator names some rules more specifically)
GENERATOR_RULES = {
    "area_nonpositive": "out_of_range",
    "rooms_below_one": "out_of_range",
    "lat_out_of_range": "out_of_range",
    "lon_out_of_range": "out_of_range",
    "share_out_of_range": "out_of_range",
    "iin_check_digit": "bad_iin",
    "iin_format": "bad_iin",
    "missing_required": "missing_value",
    "unparseable_date": "bad_date",
    "unparseable_number": ("bad_number", "bad_integer"),
}


def test_quarantine_matches_the_generators_broken_rows(small_city, tmp_path):
    db = tmp_path / "city.duckdb"
    report = ingest_extract(small_city / "extract", db)
    summary = json.loads((small_city / "labels" / "summary.json").read_text(encoding="utf-8"))
    assert report.as_of.isoformat() == summary["as_of"]
    with duckdb.connect(str(db), read_only=True) as con:
        broken = con.execute(
            'SELECT "table", row_key, rule FROM read_csv(?, all_varchar = true)',
            [str(small_city / "labels" / "broken_rows.csv")],
        ).fetchall()
        found = con.execute("SELECT table_name, row_key, rule FROM quarantine").fetchall()
    assert broken, "the generator planted no broken rows"
    assert {(t, k) for t, k, _ in found} == {(t, k) for t, k, _ in broken}
    rules = {(t, k): set() for t, k, _ in found}
    for t, k, r in found:
        rules[(t, k)].add(r)
    for t, k, r in broken:
        expected = GENERATOR_RULES.get(r, r)
        expected = {expected} if isinstance(expected, str) else set(expected)
        assert rules[(t, k)] & expected, (t, k, r, rules[(t, k)])

"""no_consent: clerical slips grow with the number of registrations at an address."""

from __future__ import annotations

from golden_extract import AS_OF

from zonewatch.engine import DuckDBBackend
from zonewatch.indicators import load_indicators, run_indicators
from zonewatch.indicators.settings import indicator_settings


def _fired(con, params: dict) -> dict[str, float]:
    settings = indicator_settings({"params": {"no_consent": params}})
    ind = next(i for i in load_indicators() if i.id == "no_consent")
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    run = run_indicators(DuckDBBackend(con=con), [ind], tables, AS_OF, settings)
    return dict(zip(run.hits["entity_id"], run.hits["threshold"], strict=True))


def test_a_few_slips_in_a_large_dormitory_are_tolerated_many_in_a_flat_are_not(golden_run):
    _, con = golden_run
    registered = con.execute("SELECT registered FROM zw_property_base "
                             "WHERE property_id = 'DORM'").fetchone()[0]
    con.execute("BEGIN TRANSACTION")
    try:  # three of the dormitory's registrations lost their consent
        con.execute("UPDATE zw_current_reg SET owner_consent = 'none' WHERE person_id IN ("
                    "SELECT person_id FROM zw_current_reg WHERE property_id = 'DORM' "
                    "ORDER BY person_id LIMIT 3)")
        strict = _fired(con, {"slip_share": 0.0})
        lenient = _fired(con, {"slip_share": 3.5 / registered})
    finally:
        con.execute("ROLLBACK")
    assert strict["DORM"] == 1  # only the fixed tolerance of one slip
    assert "DORM" not in lenient  # 3 slips among this many registrations are expected
    assert lenient["RUBBER"] == 3  # twelve strangers without consent still fire
    assert _fired(con, {})["RUBBER"] == 1

"""The police's way and a slightly smarter one, to beat: rankings computed from the data.

`most_registrants`: addresses with most people registered on the as-of date first (what the
"Beware - the Broker!" raids did). `most_per_m2`: most registrants per m² of area first.
Counted in the ingested database (valid rows only) when the run has one, else in the
extract's CSV files (all rows that parse).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

BASELINES = {
    "most_registrants": "n DESC",
    "most_per_m2": "n / area DESC NULLS LAST, n DESC",
}


def _counts_sql(registrations: str, properties: str, as_of: str) -> str:
    return f"""
    WITH reg AS (
      SELECT property_id, count(*) AS n FROM {registrations}
      WHERE start_date <= DATE '{as_of}' AND (end_date IS NULL OR end_date > DATE '{as_of}')
      GROUP BY property_id),
    prop AS (
      SELECT property_id, any_value(area_m2) AS area FROM {properties} GROUP BY property_id)
    SELECT reg.property_id, reg.n, CASE WHEN prop.area > 0 THEN prop.area END AS area
    FROM reg LEFT JOIN prop USING (property_id)
    """


def _csv(extract: Path, table: str, casts: dict[str, str]) -> str:
    # trim() keeps DuckDB from pushing the cast into the reader, which then fails on bad rows
    cols = ", ".join(f"TRY_CAST(trim({c}) AS {t}) AS {c}" for c, t in casts.items())
    path = str(extract / f"{table}.csv").replace("'", "''")
    return f"(SELECT property_id, {cols} FROM read_csv('{path}', all_varchar = true))"


def baseline_rankings(as_of: str, db: Path | None = None,
                      extract: Path | None = None) -> dict[str, list[str]]:
    """Property ids ranked by each baseline, from the run's database or the extract's CSVs."""
    if db is not None and db.is_file():
        con = duckdb.connect(str(db), read_only=True)
        sql = _counts_sql("registrations", "properties", as_of)
    elif extract is not None and (extract / "registrations.csv").is_file():
        con = duckdb.connect()
        sql = _counts_sql(
            _csv(extract, "registrations", {"start_date": "DATE", "end_date": "DATE"}),
            _csv(extract, "properties", {"area_m2": "DOUBLE"}), as_of)
    else:
        raise FileNotFoundError(
            "baselines need the run's zonewatch.duckdb or an extract with registrations.csv "
            f"(looked for {db} and {extract})")
    try:
        out = {}
        for name, order in BASELINES.items():
            rows = con.sql(f"SELECT property_id FROM ({sql}) ORDER BY {order}, property_id")
            out[name] = [r[0] for r in rows.fetchall()]
        return out
    finally:
        con.close()


def as_of_from_db(db: Path) -> str | None:
    """The as-of date recorded by ingest in extract_meta, if any."""
    if not db.is_file():
        return None
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql("SELECT value FROM extract_meta WHERE key = 'as_of'").fetchall()
        return str(rows[0][0])[:10] if rows else None
    except duckdb.Error:
        return None
    finally:
        con.close()

"""The yardstick for `analyze`: one bare DuckDB query computing the core figures.

Usage: python benchmarks/bench_bare_query.py EXTRACT_DIR [--as-of YYYY-MM-DD]

Straight from the extract's CSV files, with no validation and no other indicator: per
property the people registered on the as-of date, square metres per registered person,
the most registrations started within any 7 days, and the per-district robust z of
registered per m² (median and MAD). `bench_analyze.py` runs it in its own process and
prints analyze's time as a multiple of it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import time
from pathlib import Path

import duckdb

CORE_SQL = """
WITH props AS (
    SELECT property_id, district, TRY_CAST(area_m2 AS DOUBLE) AS area_m2
    FROM {properties}
), regs AS (
    SELECT property_id, TRY_CAST(start_date AS DATE) AS start_date,
           TRY_CAST(end_date AS DATE) AS end_date
    FROM {registrations}
), current AS (
    SELECT property_id, count(*) AS registered FROM regs
    WHERE start_date <= DATE '{as_of}' AND (end_date IS NULL OR end_date > DATE '{as_of}')
    GROUP BY property_id
), bursts AS (
    SELECT property_id, max(n7) AS burst_7d FROM (
        SELECT property_id, count(*) OVER (
            PARTITION BY property_id ORDER BY start_date
            RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW) AS n7
        FROM regs WHERE start_date <= DATE '{as_of}')
    GROUP BY property_id
), figures AS (
    SELECT p.property_id, p.district, p.area_m2, coalesce(c.registered, 0) AS registered,
           p.area_m2 / nullif(c.registered, 0) AS m2_per_person,
           coalesce(c.registered, 0) / nullif(p.area_m2, 0) AS per_m2,
           coalesce(b.burst_7d, 0) AS burst_7d
    FROM props p LEFT JOIN current c USING (property_id) LEFT JOIN bursts b USING (property_id)
), medians AS (
    SELECT district, median(per_m2) AS med FROM figures GROUP BY district
), spread AS (
    SELECT f.district, m.med, median(abs(f.per_m2 - m.med)) AS mad
    FROM figures f JOIN medians m USING (district) GROUP BY f.district, m.med
)
SELECT f.*, (f.per_m2 - s.med) / nullif(1.4826 * s.mad, 0) AS robust_z
FROM figures f JOIN spread s USING (district)
"""


def as_of_of(con: duckdb.DuckDBPyConnection, extract: Path) -> dt.date:
    """The latest registration start: the extract's date, as ingest would derive it."""
    return con.execute(
        f"SELECT max(TRY_CAST(start_date AS DATE)) FROM {_csv(extract, 'registrations')}"
    ).fetchone()[0]


def _csv(extract: Path, table: str) -> str:
    """read_csv of one table, every column VARCHAR (as ingest reads it).

    The connection disables DuckDB 2.0's type_pushdown, which turns a TRY_CAST over the
    scan into a strict cast inside the reader and fails on the extract's broken rows.
    """
    path = extract / f"{table}.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    columns = ", ".join(f"'{h}': 'VARCHAR'" for h in header)
    where = str(path).replace("'", "''")
    return f"read_csv('{where}', auto_detect = false, header = true, columns = {{{columns}}})"


def bare_query(extract: Path, as_of: dt.date | None = None) -> dict[str, float]:
    """Run the core query in this process: seconds, CPU seconds, rows, peak RSS in MB so far."""
    started, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    con.execute("SET disabled_optimizers = 'type_pushdown'")
    try:
        day = as_of or as_of_of(con, extract)
        sql = CORE_SQL.format(properties=_csv(extract, "properties"), as_of=day.isoformat(),
                              registrations=_csv(extract, "registrations"))
        con.execute(f"CREATE TEMP TABLE core AS {sql}")
        rows = con.execute("SELECT count(*) FROM core").fetchone()[0]
    finally:
        con.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "rows": rows, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", type=Path)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    args = parser.parse_args()
    result = bare_query(args.extract, args.as_of)
    print(f"bare core query: {result['rows']} properties in {result['seconds']:.2f} s "
          f"({result['cpu']:.2f} s CPU), peak {result['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()

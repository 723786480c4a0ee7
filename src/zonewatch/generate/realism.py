"""Compare a generated city with the real housing register: m² of dwellings per resident.

Both sides are measured per apartment building (sum of dwelling areas / residents), the
only level the real register (reformagkh Moscow 2014, building rows) allows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


def real_m2_per_resident(path: Path) -> np.ndarray:
    """AREA_LIVE_TOTAL / PEOPLE for blocks of flats with both figures positive."""
    d = pd.read_csv(path, usecols=["AREA_LIVE_TOTAL", "PEOPLE", "HOUSE_TYPE"], low_memory=False)
    area = pd.to_numeric(d["AREA_LIVE_TOTAL"], errors="coerce")
    people = pd.to_numeric(d["PEOPLE"], errors="coerce")
    ok = (area > 0) & (people > 0) & (d["HOUSE_TYPE"] == "Многоквартирный дом")
    return (area[ok] / people[ok]).to_numpy()


def generated_m2_per_resident(extract: Path, as_of: str) -> np.ndarray:
    """Per building: apartment area / persons registered on the as-of date."""
    sql = f"""
    with reg as (
      select property_id, count(*) as n
      from read_csv('{extract}/registrations.csv', all_varchar = true)
      where try_cast(trim(start_date) as date) <= date '{as_of}'
        and (end_date is null or try_cast(trim(end_date) as date) > date '{as_of}')
      group by 1),
    p as (
      select property_id, building_id, try_cast(trim(area_m2) as double) as area
      from read_csv('{extract}/properties.csv', all_varchar = true)
      where kind = 'apartment' and building_id is not null),
    b as (
      select building_id, sum(area) as area, sum(coalesce(n, 0)) as residents
      from p left join reg using (property_id) where area > 0 group by 1)
    select area / residents as m2 from b where residents > 0
    """
    with duckdb.connect() as con:
        return con.sql(sql).fetchnumpy()["m2"]


def quantile_table(real: np.ndarray, generated: np.ndarray) -> pd.DataFrame:
    """Quantiles side by side (m² per resident)."""
    return pd.DataFrame({
        "quantile": QUANTILES,
        "real": np.round(np.quantile(real, QUANTILES), 1),
        "generated": np.round(np.quantile(generated, QUANTILES), 1),
    })

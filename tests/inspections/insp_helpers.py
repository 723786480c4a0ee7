"""A hand-made run directory for planner tests."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import duckdb


def town(out: Path, n: int = 90, seed: int = 3) -> Path:
    """A run dir: n ranked properties in 3 districts, 2-4 flats per building, coordinates."""
    rng = random.Random(seed)
    out.mkdir()
    rows, props = [], []
    for i in range(n):
        district = f"D{i % 3}"
        building = f"B{i // 3 % 12}-{district}"
        lat = 51.0 + 0.1 * (i % 3) + 0.01 * (i // 3 % 12)
        lon = 71.0 + 0.01 * (i // 3 % 12)
        props.append((f"H{i:03d}", district, building, lat, lon))
    order = list(range(n))
    rng.shuffle(order)
    for rank, i in enumerate(order, start=1):
        rows.append((rank, props[i][0], round(100 - rank * 0.5, 2), 3, 40.0, "norm_area", "x"))
    with (out / "properties_ranked.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["rank", "property_id", "score", "registered", "area_m2", "indicators",
                    "explanation"])
        w.writerows(rows)
    con = duckdb.connect(str(out / "zonewatch.duckdb"))
    con.execute("CREATE TABLE properties (property_id VARCHAR, district VARCHAR, "
                "building_id VARCHAR, lat DOUBLE, lon DOUBLE)")
    con.executemany("INSERT INTO properties VALUES (?, ?, ?, ?, ?)", props)
    con.close()
    return out

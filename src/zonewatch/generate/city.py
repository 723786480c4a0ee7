"""Generate a whole synthetic city: extract in DIR/extract, truth in DIR/labels.

The steps run in a fixed order from one seeded generator, so a seed always gives the same
files. `generate_city` is what the CLI, the tests' `small_city` fixture and the benchmarks
call.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from zonewatch.generate import housing, institutions, observations, offices
from zonewatch.generate.broken import plant_broken
from zonewatch.generate.fraud import expected_persons, fraud_plan, plant_fraud
from zonewatch.generate.history import FLATSHARE_PERSONS, FLATSHARE_SHARE, settle_households
from zonewatch.generate.labels import label_tables
from zonewatch.generate.names import build_name_bank
from zonewatch.generate.shuffle import shuffle_ids
from zonewatch.generate.state import FRAUD_KINDS, City
from zonewatch.generate.tables import table_sources
from zonewatch.generate.writer import append_rows, write_in_slices, write_table

DEFAULT_PERSONS = 1_100_000
DEFAULT_AS_OF = "2026-11-01"
MIN_PERSONS = 500
STEPS = (  # the stages `progress` is told of, in order
    "districts, offices and institutions",
    "households and ten years of history",
    "planting fraud",
    "processing channels, inspections, service use",
    "writing tables",
)


def _quiet(_: str) -> None:
    return None


def generate_city(out: Path, persons: int = DEFAULT_PERSONS, seed: int = 1,
                  as_of: str = DEFAULT_AS_OF,
                  progress: Callable[[str], None] = _quiet) -> dict:
    """Write DIR/extract/*.csv and DIR/labels/*; return the summary (also summary.json)."""
    if persons < MIN_PERSONS:
        raise ValueError(f"--persons must be at least {MIN_PERSONS} (got {persons})")
    try:
        as_of_day = np.datetime64(as_of, "D")
    except ValueError as exc:
        raise ValueError(f"--as-of must be a date YYYY-MM-DD (got {as_of!r})") from exc
    t0 = time.perf_counter()
    out = Path(out)
    city = City(rng=np.random.default_rng(seed), as_of=as_of_day, n_persons=persons,
                names=build_name_bank())
    progress(STEPS[0])
    housing.make_districts(city)
    offices.make_offices(city)
    special = institutions.dormitories(city) + institutions.hostels(city)
    special += institutions.nursing_homes(city)
    institutions.commercial_premises(city)
    plan = fraud_plan(int(persons / 2.6))
    progress(STEPS[1])
    shares = int(persons / 2.6 * FLATSHARE_SHARE * FLATSHARE_PERSONS)
    settled = settle_households(city, max(persons - special - expected_persons(plan) - shares,
                                          persons // 2))
    progress(STEPS[2])
    plant_fraud(city, settled, plan)

    progress(STEPS[3])
    props = city.properties.take()
    housing.finalize_buildings(city, props)
    reg = city.registrations.take()
    offices.assign_processing(city, reg, props["district"])
    persons_cols = city.persons.take()
    observations.inspections(city, reg, props)
    observations.service_events(city, persons_cols, reg, props)
    city.final["ownerships"] = city.ownerships.take()
    city.final["organizations"] = city.organizations.take()
    city.final["relations"] = city.relations.take()
    shuffle_ids(city, props, persons_cols, reg)

    progress(STEPS[4])
    sources = table_sources(city, persons_cols, props, reg)
    extract = out / "extract"
    columns = {name: write_in_slices(src.build, src.n_rows, extract / f"{name}.csv")
               for name, src in sources.items()}
    labels = label_tables(city, props)
    broken_rows, broken_labels = plant_broken(sources, city.rng)
    for name, rows in broken_rows.items():
        append_rows(extract / f"{name}.csv", columns[name], rows)
    for name, table in labels.items():
        write_table(table, out / "labels" / f"{name}.csv")
    write_table(pa.Table.from_pylist(broken_labels, schema=pa.schema(
        [(c, pa.string()) for c in ("table", "row_key", "rule", "column", "ingest_rule")])),
        out / "labels" / "broken_rows.csv")
    summary = {
        "seed": seed, "persons": sources["persons"].n_rows, "as_of": str(as_of_day),
        "tables": {k: v.n_rows + len(broken_rows.get(k, [])) for k, v in sources.items()},
        "broken_rows": len(broken_labels),
        "fraud_properties": {k: int((props["fraud"] == FRAUD_KINDS.index(k)).sum())
                             for k in FRAUD_KINDS if k},
        "rings": len(city.rings),
        "corrupt_officials": int(city.officials["corrupt"].sum()),
        "districts": city.district_names,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    (out / "labels" / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary

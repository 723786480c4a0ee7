"""Open data: the run's aggregates per district, property kind, indicator and office, with
small-cell suppression, packed as a zip of CSVs and a Frictionless `datapackage.json`.

Rule: a count from 1 to k-1 (k = `min_cell`, 10 by default) is published as empty and
marked suppressed, and so is every share computed from it. Within a district, when exactly
one kind's flagged count is suppressed, the next smallest non-zero one is suppressed too
(secondary suppression), so the district total cannot give the hidden cell away. Zeros are
published. No file names a person, an official or a property.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from zonewatch.products.geo import district_stats
from zonewatch.products.source import frame, ranked
from zonewatch.rundir import RunDir

MIN_CELL = 10


def _small(n: int | None, k: int) -> bool:
    return n is not None and 0 < n < k


def districts(run: RunDir, k: int = MIN_CELL) -> list[dict[str, Any]]:
    """Per district: properties, flagged, flagged share, people registered (suppressed)."""
    out = []
    for s in district_stats(run):
        row = {"district": s["district"], "properties": s["properties"],
               "flagged": s["flagged"], "flagged_share": s["flagged_share"],
               "registered": s["registered"], "suppressed": ""}
        hidden = [c for c in ("properties", "flagged", "registered") if _small(row[c], k)]
        for column in hidden:
            row[column] = None
        if "flagged" in hidden or "properties" in hidden:
            row["flagged_share"] = None
        row["suppressed"] = ";".join(hidden)
        out.append(row)
    return out


def district_kinds(run: RunDir, k: int = MIN_CELL) -> list[dict[str, Any]]:
    """Per district and property kind: properties and flagged, with secondary suppression."""
    places = frame(run, "properties", "SELECT property_id, district, kind FROM properties")
    props = ranked(run, "properties")
    if places.empty:
        return []
    if not props.empty:
        places = places.merge(props[["property_id", "flagged"]], on="property_id", how="left")
    else:
        places["flagged"] = False
    places["flagged"] = places["flagged"].fillna(False).astype(bool)
    grouped = places.groupby(["district", "kind"], sort=True)["flagged"].agg(["size", "sum"])
    rows = [{"district": d, "kind": kind, "properties": int(n), "flagged": int(f),
             "suppressed": ""} for (d, kind), (n, f) in grouped.iterrows()]
    by_district: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_district.setdefault(row["district"], []).append(row)
    for group in by_district.values():
        for column in ("properties", "flagged"):
            hidden = [r for r in group if _small(r[column], k)]
            if len(hidden) == 1:  # secondary: hide the next smallest non-zero cell too
                rest = sorted((r for r in group if r not in hidden and r[column]),
                              key=lambda r: r[column])
                hidden += rest[:1]
            for r in hidden:
                r[column] = None
                r["suppressed"] = ";".join(x for x in (r["suppressed"], column) if x)
    return rows


def indicators(run: RunDir, k: int = MIN_CELL) -> list[dict[str, Any]]:
    """Per district and indicator: how many properties the indicator flagged."""
    places = frame(run, "properties", "SELECT property_id, district FROM properties")
    props = ranked(run, "properties")
    if places.empty or props.empty:
        return []
    hits = props[props["flagged"]][["property_id", "indicators"]].merge(places, on="property_id")
    hits = hits.assign(indicator=hits["indicators"].str.split(";")).explode("indicator")
    counts = hits.groupby(["district", "indicator"], sort=True).size()
    return [{"district": d, "indicator": i, "properties": None if _small(int(n), k) else int(n),
             "suppressed": "properties" if _small(int(n), k) else ""}
            for (d, i), n in counts.items()]


def offices(run: RunDir, k: int = MIN_CELL) -> list[dict[str, Any]]:
    """Per office: registrations processed and those at flagged properties (suppressed)."""
    regs = frame(run, "registrations", "SELECT office_id, property_id FROM registrations "
                 "WHERE office_id IS NOT NULL")
    props = ranked(run, "properties")
    if regs.empty:
        return []
    flagged = set(props.loc[props["flagged"], "property_id"]) if not props.empty else set()
    regs["at_flagged"] = regs["property_id"].isin(flagged)
    out = []
    for office, group in regs.groupby("office_id", sort=True):
        row = {"office_id": office, "registrations": len(group),
               "at_flagged": int(group["at_flagged"].sum()), "suppressed": ""}
        hidden = [c for c in ("registrations", "at_flagged") if _small(row[c], k)]
        for c in hidden:
            row[c] = None
        row["suppressed"] = ";".join(hidden)
        out.append(row)
    return out


TABLES = {
    "districts": (districts, {"district": "string", "properties": "integer",
                              "flagged": "integer", "flagged_share": "number",
                              "registered": "integer", "suppressed": "string"}),
    "district_kinds": (district_kinds, {"district": "string", "kind": "string",
                                        "properties": "integer", "flagged": "integer",
                                        "suppressed": "string"}),
    "indicators": (indicators, {"district": "string", "indicator": "string",
                                "properties": "integer", "suppressed": "string"}),
    "offices": (offices, {"office_id": "string", "registrations": "integer",
                          "at_flagged": "integer", "suppressed": "string"}),
}


def tables(run: RunDir, k: int = MIN_CELL) -> dict[str, list[dict[str, Any]]]:
    """Every open-data table, suppressed with threshold `k`."""
    return {name: build(run, k) for name, (build, _) in TABLES.items()}


def to_zip(run: RunDir, k: int = MIN_CELL) -> bytes:
    """A zip of one CSV per table and datapackage.json (schema, suppression rule)."""
    as_of = run.as_of()
    resources = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables(run, k).items():
            fields = TABLES[name][1]
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(fields), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
            resources.append({"name": name, "path": f"{name}.csv", "format": "csv",
                              "schema": {"fields": [{"name": f, "type": t}
                                                    for f, t in fields.items()]}})
        package = {"name": "zonewatch-aggregates", "title": "zonewatch: flagged registration "
                   "addresses, aggregated", "created_from_run_as_of":
                   as_of.isoformat() if as_of else None,
                   "suppression": {"min_cell": k, "rule": __doc__.split("\n\n")[1].strip()},
                   "licenses": [{"name": "CC-BY-4.0"}], "resources": resources}
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
    return out.getvalue()

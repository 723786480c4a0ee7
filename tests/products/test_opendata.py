"""Open data: small cells suppressed (with secondary suppression), the rest exact."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from zonewatch.products import opendata

COUNTS = {"districts": ("properties", "flagged", "registered"),
          "district_kinds": ("properties", "flagged"), "indicators": ("properties",),
          "offices": ("registrations", "at_flagged")}


@pytest.mark.parametrize("k", [3, 10, 50])
def test_no_small_cell_is_published(run, k: int) -> None:
    for name, rows in opendata.tables(run, k).items():
        for row in rows:
            for column in COUNTS[name]:
                value = row[column]
                assert value is None or value == 0 or value >= k, (name, row)
                assert (value is None) == (column in row["suppressed"].split(";")), row


@pytest.mark.parametrize("k", [3, 10])
def test_published_counts_are_exact_and_hidden_cells_stay_hidden(run, ranked, extract,
                                                                 k: int) -> None:
    places = extract("properties").merge(ranked[["property_id", "flagged"]],
                                         on="property_id", how="left")
    places["flagged"] = places["flagged"].fillna(False).astype(bool)
    for row in opendata.districts(run, k):
        own = places[places["district"] == row["district"]]
        if row["properties"] is not None:
            assert row["properties"] == len(own)
        if row["flagged"] is not None:
            assert row["flagged"] == own["flagged"].sum()
    kinds = opendata.district_kinds(run, k)
    for district in {r["district"] for r in kinds}:
        cells = [r for r in kinds if r["district"] == district]
        for column in ("properties", "flagged"):
            hidden = [r for r in cells if r[column] is None]
            nonzero_others = [r for r in cells if r[column]]
            # one hidden cell next to published ones could be derived from the total
            assert len(hidden) != 1 or not nonzero_others, (district, column, cells)
        for r in cells:
            own = places[(places["district"] == district) & (places["kind"] == r["kind"])]
            if r["flagged"] is not None:
                assert r["flagged"] == own["flagged"].sum()


def test_zip_holds_csvs_described_by_the_datapackage(run) -> None:
    archive = zipfile.ZipFile(io.BytesIO(opendata.to_zip(run, 10)))
    package = json.loads(archive.read("datapackage.json"))
    assert package["suppression"]["min_cell"] == 10
    assert {r["path"] for r in package["resources"]} | {"datapackage.json"} == set(
        archive.namelist())
    for resource in package["resources"]:
        reader = csv.DictReader(io.StringIO(archive.read(resource["path"]).decode("utf-8")))
        assert reader.fieldnames == [f["name"] for f in resource["schema"]["fields"]]
        rows = list(reader)
        assert rows, resource["name"]
    text = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    assert "P000" not in text and "H000" not in text  # no person, no property named

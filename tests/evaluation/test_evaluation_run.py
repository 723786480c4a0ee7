"""`zonewatch evaluate` on hand-made run dirs and on a generated city."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from zonewatch.cli import main
from zonewatch.evaluation import evaluate_run

AS_OF = "2026-11-01"


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)


@pytest.fixture()
def tiny(tmp_path: Path) -> dict[str, Path]:
    """Four flats: F1, F2 fraud (ring R1), D1 a dormitory, N1 normal; hand-made outputs."""
    labels, extract, run = tmp_path / "labels", tmp_path / "extract", tmp_path / "run"
    _write(labels / "property_labels.csv", [
        {"property_id": "F1", "is_fraud": "true", "fraud_kind": "nominee_ring",
         "ring_id": "R1", "lookalike": None},
        {"property_id": "F2", "is_fraud": "true", "fraud_kind": "mass_registration",
         "ring_id": None, "lookalike": None},
        {"property_id": "D1", "is_fraud": "false", "fraud_kind": None, "ring_id": None,
         "lookalike": "dormitory"}])
    _write(labels / "owner_labels.csv", [{"owner_id": "P1", "owner_type": "person",
                                          "role": "controller", "ring_id": "R1",
                                          "fraud_kind": "nominee_ring"}])
    _write(labels / "official_labels.csv", [{"official_id": "U1", "office_id": "O1",
                                             "pattern": "brokered_approvals"}])
    _write(labels / "rings.csv", [{"ring_id": "R1", "controller_id": "P1", "owner_ids": "P1",
                                   "property_ids": "F1;F3", "official_ids": "U1"}])
    _write(extract / "properties.csv", [
        {"property_id": p, "area_m2": a} for p, a in
        (("F1", 40), ("F2", 30), ("D1", 900), ("N1", 60), ("F3", 50))])
    regs = ([("F1", 6), ("F2", 8), ("D1", 100), ("N1", 3), ("F3", 1)])
    _write(extract / "registrations.csv", [
        {"registration_id": f"{p}-{i}", "person_id": f"X{p}{i}", "property_id": p,
         "start_date": "2025-01-01", "end_date": None} for p, n in regs for i in range(n)]
        + [{"registration_id": "old", "person_id": "Y", "property_id": "N1",
            "start_date": "2020-01-01", "end_date": "2021-01-01"}])
    _write(run / "properties_ranked.csv", [
        {"rank": 2, "property_id": "D1"}, {"rank": 1, "property_id": "F1"},
        {"rank": 3, "property_id": "F2"}])
    _write(run / "owners_ranked.csv", [{"rank": 1, "owner_id": "P1"}])
    _write(run / "networks.csv", [{"network_id": "N", "members": "P1;F1;F3;U1"}])
    return {"labels": labels, "extract": extract, "run": run}


def test_hand_made_run_scores_as_worked_out(tiny: dict[str, Path]) -> None:
    r = evaluate_run(tiny["run"], tiny["labels"], extract=tiny["extract"], as_of=AS_OF)
    assert r["k_properties"] == 2
    z = r["properties"]["zonewatch"]
    assert z["precision_at_k"] == 0.5  # F1, D1 in the top 2
    assert z["average_precision"] == pytest.approx(round((1 + 2 / 3) / 2, 4))
    assert z["recall_at_k"] == {"mass_registration": 0.0, "nominee_ring": 1.0}
    assert z["lookalikes_in_top_k"] == {"dormitory": 1}
    # most registrants: D1 100, F2 8, F1 6 -> top 2 = D1, F2
    assert r["properties"]["most_registrants"]["precision_at_k"] == 0.5
    # per m²: F2 8/30, F1 6/40, D1 100/900, N1 3/60 -> top 2 = F2, F1
    assert r["properties"]["most_per_m2"]["precision_at_k"] == 1.0
    assert r["owners"] == {"k": 1, "precision_at_k": 1.0}
    assert r["officials"] == {"k": 1, "precision_at_k": 0.0}
    assert r["rings"] == {"recovered": 1, "total": 1, "share": 1.0}
    assert any("officials: output file missing" in n for n in r["notes"])


def test_cli_writes_evaluation_json_and_says_what_is_missing(tiny: dict[str, Path]) -> None:
    (tiny["run"] / "networks.csv").unlink()
    (tiny["run"] / "owners_ranked.csv").write_text("")
    res = CliRunner().invoke(main, ["evaluate", str(tiny["run"]), "--labels",
                                    str(tiny["labels"]), "--extract", str(tiny["extract"]),
                                    "--as-of", AS_OF])
    assert res.exit_code == 0, res.output
    assert "networks: output file missing" in res.output
    assert "owners: output file empty" in res.output
    saved = json.loads((tiny["run"] / "evaluation.json").read_text())
    assert saved["rings"]["recovered"] == 0 and saved["outputs"]["owners"] == "empty"


def test_missing_labels_give_a_clear_error(tmp_path: Path, tiny: dict[str, Path]) -> None:
    (tiny["labels"] / "rings.csv").unlink()
    res = CliRunner().invoke(main, ["evaluate", str(tiny["run"]), "--labels",
                                    str(tiny["labels"])])
    assert res.exit_code != 0 and "rings.csv" in res.output


def test_perfect_ranking_on_a_generated_city(small_city: Path, tmp_path: Path) -> None:
    labels = pd.read_csv(small_city / "labels" / "property_labels.csv", dtype=str)
    fraud = labels[labels["is_fraud"] == "true"]["property_id"].tolist()
    run = tmp_path / "run"
    _write(run / "properties_ranked.csv", [{"rank": i + 1, "property_id": p}
                                           for i, p in enumerate(fraud)])
    r = evaluate_run(run, small_city / "labels", extract=small_city / "extract")
    assert r["k_properties"] == len(fraud)
    assert r["properties"]["zonewatch"]["precision_at_k"] == 1.0
    assert set(r["properties"]["zonewatch"]["recall_at_k"].values()) == {1.0}
    # the police baseline is fooled by look-alikes: it is well below a perfect ranking
    police = r["properties"]["most_registrants"]
    assert police["precision_at_k"] < 1.0
    assert sum(police["lookalikes_in_top_k"].values()) > 0

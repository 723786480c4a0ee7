"""`zonewatch analyze` end to end through the real CLI: files, columns, errors, calibration."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "indicators"))
from golden_extract import golden_city  # noqa: E402

from zonewatch.cli import main  # noqa: E402
from zonewatch.indicators import load_indicators  # noqa: E402

CONTRACT = {
    "properties_ranked.csv": ["rank", "property_id", "score", "registered", "area_m2",
                              "indicators", "explanation"],
    "owners_ranked.csv": ["rank", "owner_id", "score", "properties", "indicators",
                          "explanation"],
    "officials_ranked.csv": ["rank", "official_id", "office_id", "score", "indicators",
                             "explanation"],
    "networks.csv": ["network_id", "score", "members", "explanation"],
    "offices_ranked.csv": ["rank", "office_id", "score", "indicators", "explanation"],
    "evidence.csv": ["entity_type", "entity_id", "indicator_id", "value", "threshold", "score",
                     "evidence"],
}
IDS = {i.id for i in load_indicators()}


def _analyze(*args: str):
    return CliRunner().invoke(main, ["analyze", *args], catch_exceptions=False)


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return next(csv.reader(fh))


@pytest.fixture(scope="module")
def golden_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("analysis")
    ext = golden_city().write(root / "extract")
    result = _analyze(str(ext), "--out", str(root / "out"), "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.output
    return root / "out", result.output, ext


def test_files_and_columns_follow_the_contract(golden_out):
    out, _, ext = golden_out
    for name, columns in CONTRACT.items():
        assert _header(out / name) == columns, name
    report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    assert report["tables"]["persons"]["rows_accepted"] > 0
    ranked = pd.read_csv(out / "properties_ranked.csv", dtype={"indicators": str})
    n_props = len(pd.read_csv(ext / "properties.csv"))
    assert len(ranked) == n_props and ranked["property_id"].is_unique
    assert ranked["rank"].tolist() == list(range(1, n_props + 1))
    assert ranked["score"].is_monotonic_decreasing
    assert ranked.iloc[0]["property_id"] == "RUBBER"
    fired = {i for cell in ranked["indicators"].dropna() for i in cell.split(";")}
    assert fired and fired <= IDS
    assert ranked["explanation"].str.len().gt(10).all()
    assert ranked["explanation"].str.endswith(".").all()


def test_run_json_and_database(golden_out):
    out, stdout, _ = golden_out
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["as_of"] == "2026-11-27"
    # the golden city has no broker network, so only the second-pass indicator is skipped
    assert run["indicators_skipped"] == {
        "network_member": "no broker networks found (or the network room did not run)"}
    assert set(run["weights_used"]) <= IDS and run["calibration"]["outcomes"] == 0
    assert run["timings_s"]["total"] > 0
    con = duckdb.connect(str(out / "zonewatch.duckdb"), read_only=True)
    n_scores = con.execute("SELECT count(*) FROM property_scores").fetchall()[0][0]
    n_hits = con.execute("SELECT count(*) FROM indicator_hits").fetchall()[0][0]
    con.close()
    assert n_scores == run["counts"]["properties"] and n_hits == run["counts"]["hits"]
    assert "top 10:" in stdout and "RUBBER" in stdout.split("top 10:")[1]


def test_missing_optional_tables_are_skipped_with_reason(tmp_path):
    ext = golden_city().write(tmp_path / "ext", skip=("service_events", "relations",
                                                      "ownerships", "offices", "officials"))
    result = _analyze(str(ext), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["indicators_skipped"]["services_elsewhere"] == "missing table service_events"
    assert "norm_area" in run["indicators_run"]
    assert _header(tmp_path / "out" / "owners_ranked.csv") == CONTRACT["owners_ranked.csv"]


def test_occupancy_only_extract(tmp_path):
    city = golden_city()
    ext = city.write(tmp_path / "ext", skip=("persons", "registrations", "relations",
                                             "service_events", "ownerships"))
    with (ext / "occupancy.csv").open("w", encoding="utf-8") as fh:
        fh.write("property_id,as_of,registered,source\n")
        for i, row in enumerate(city.rows["properties"]):
            fh.write(f"{row['property_id']},2026-11-01,{30 if i == 3 else 2},\n")
    result = _analyze(str(ext), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    ranked = pd.read_csv(tmp_path / "out" / "properties_ranked.csv")
    assert ranked.iloc[0]["property_id"] == city.rows["properties"][3]["property_id"]
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert "unrelated_registrants" in run["indicators_skipped"]


@pytest.mark.parametrize("case", ["empty", "no_valid_properties"])
def test_unanalysable_extract_fails_cleanly(tmp_path, case):
    ext = tmp_path / "ext"
    ext.mkdir()
    if case == "no_valid_properties":
        (ext / "properties.csv").write_text(
            "property_id,address,district,kind,area_m2\nX,a,D,castle,-3\n", encoding="utf-8")
        (ext / "occupancy.csv").write_text("property_id,as_of,registered\nX,2026-01-01,3\n",
                                           encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(ext), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "cannot analyse" in result.output and "Traceback" not in result.output


def test_inspections_file_calibrates_and_records_change(tmp_path, golden_out):
    _, _, ext = golden_out
    ranked = pd.read_csv(golden_out[0] / "properties_ranked.csv", dtype={"indicators": str})
    strangers = ranked["indicators"].fillna("").str.contains("unrelated_registrants")
    rows = pd.DataFrame({
        "inspection_id": [f"I{i}" for i in range(len(ranked))],
        "property_id": ranked["property_id"],
        "inspected_on": "2026-11-20",
        # violations where strangers are registered, and at three flats nobody flagged
        "outcome": ["violation" if s else "no_violation" for s in strangers],
    })
    rows.loc[ranked["property_id"].isin(["NORMAL01", "NORMAL02", "NORMAL03"]), "outcome"] = (
        "violation")
    path = tmp_path / "insp.csv"
    rows.to_csv(path, index=False)
    result = _analyze(str(ext), "--out", str(tmp_path / "out"), "--as-of", "2026-11-27",
                      "--inspections", str(path),
                      "--settings", str(_settings(tmp_path, "calibration: {min_outcomes: 20, "
                                                            "min_per_class: 3}\n")))
    assert result.exit_code == 0, result.output
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["calibration"]["outcomes"] == len(rows)
    assert run["weights_used"] != run["weights_declared"]
    assert set(run["ranking_change"]) == {"spearman", "spearman_flagged", "top100_overlap", "top"}
    assert run["calibration"]["patterns"]  # what each pattern's outcomes said
    after = pd.read_csv(tmp_path / "out" / "properties_ranked.csv", dtype={"indicators": str})
    # confirmed violations lead the list, the flats nobody flagged among them
    confirmed = after["indicators"].fillna("").str.contains("inspection_violation")
    assert confirmed.sum() >= 4 and confirmed.head(int(confirmed.sum())).all()
    assert {"NORMAL01", "NORMAL02", "NORMAL03"} <= set(after.loc[confirmed, "property_id"])


def test_strangers_living_elsewhere_rank_above_a_family_of_six(golden_out):
    ranked = pd.read_csv(golden_out[0] / "properties_ranked.csv",
                         dtype={"indicators": str}).set_index("property_id")
    assert "services_elsewhere" in ranked.loc["SERVICES", "indicators"]
    assert ranked.loc["SERVICES", "rank"] < ranked.loc["NEWBORN", "rank"]
    assert ranked.loc["SERVICES", "rank"] < ranked.loc["BIGFAMILY", "rank"]
    # explanations say how rare the finding is among this extract's peers
    assert " 1 in " in ranked.loc["SERVICES", "explanation"]


def test_a_clean_visit_cancels_most_evidence_until_newcomers_arrive(tmp_path, golden_out):
    _, _, ext = golden_out
    ranked = pd.read_csv(golden_out[0] / "properties_ranked.csv").set_index("property_id")
    path = tmp_path / "insp.csv"
    pd.DataFrame({"inspection_id": ["C1", "C2"], "property_id": ["RUBBER", "FOREIGN"],
                  "inspected_on": ["2026-11-20", "2025-01-01"],
                  "outcome": ["no_violation", "no_violation"]}).to_csv(path, index=False)
    result = _analyze(str(ext), "--out", str(tmp_path / "out"), "--as-of", "2026-11-27",
                      "--inspections", str(path))
    assert result.exit_code == 0, result.output
    after = pd.read_csv(tmp_path / "out" / "properties_ranked.csv").set_index("property_id")
    # everyone at RUBBER was there on the day of the clean visit: 90% of its score goes
    assert after.loc["RUBBER", "score"] < 0.2 * ranked.loc["RUBBER", "score"]
    assert "inspection_clean" in after.loc["RUBBER", "indicators"]
    # FOREIGN was visited before its registrants arrived: the visit says nothing about them
    assert after.loc["FOREIGN", "score"] == pytest.approx(ranked.loc["FOREIGN", "score"],
                                                          abs=0.01)


def test_bad_inspections_file_is_a_clear_error(tmp_path, golden_out):
    path = tmp_path / "bad.csv"
    path.write_text("property_id,inspected_on,outcome\nRUBBER,2026-11-01,guilty\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(golden_out[2]), "--out",
                                       str(tmp_path / "out"), "--inspections", str(path)])
    assert result.exit_code != 0 and "'guilty'" in result.output
    assert "Traceback" not in result.output


def _settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_evidence_scores_follow_the_weights_used(tmp_path, golden_out):
    _, _, ext = golden_out
    settings = _settings(tmp_path, "weights: {norm_area: 10}\n")
    result = _analyze(str(ext), "--out", str(tmp_path / "out"), "--as-of", "2026-11-27",
                      "--settings", str(settings))
    assert result.exit_code == 0, result.output
    evidence = pd.read_csv(tmp_path / "out" / "evidence.csv", dtype={"entity_id": str})
    ranked = pd.read_csv(tmp_path / "out" / "properties_ranked.csv").set_index("property_id")
    rubber = evidence[(evidence["entity_id"] == "RUBBER") & (evidence["entity_type"] == "property")]
    norm = rubber.loc[rubber["indicator_id"] == "norm_area", "score"].iloc[0]
    assert 5 < norm <= 10  # weight 10 x strength
    assert ranked.loc["RUBBER", "score"] == pytest.approx(rubber["score"].sum(), abs=0.01)


def test_bad_norm_in_settings_is_a_clear_error(tmp_path, golden_out):
    settings = _settings(tmp_path, "norms: [{district: '*', m2_per_person: 0, "
                                   "effective_from: 2026-01-01}]\n")
    result = CliRunner().invoke(main, ["analyze", str(golden_out[2]), "--out",
                                       str(tmp_path / "out"), "--settings", str(settings)])
    assert result.exit_code != 0 and "m2_per_person must be > 0" in result.output
    assert "Traceback" not in result.output


def test_registrants_seen_living_here_take_evidence_away(golden_out):
    out, _, _ = golden_out
    evidence = pd.read_csv(out / "evidence.csv", dtype={"entity_id": str})
    workers = evidence[(evidence["entity_id"] == "WORKERS")
                       & (evidence["entity_type"] == "property")].set_index("indicator_id")
    assert workers.loc["seen_living_here", "score"] < 0
    assert (workers.drop("seen_living_here")["score"] > 0).any()  # crowded, so flagged
    ranked = pd.read_csv(out / "properties_ranked.csv").set_index("property_id")
    assert ranked.loc["WORKERS", "score"] == pytest.approx(workers["score"].sum(), abs=0.01)
    assert ranked.loc["WORKERS", "rank"] > ranked.loc["RUBBER", "rank"]
    # counter-evidence alone flags nothing: no flat is listed for its locals only
    lone = evidence[evidence["indicator_id"] == "seen_living_here"]["entity_id"]
    others = evidence[(evidence["indicator_id"] != "seen_living_here")
                      & (evidence["entity_type"] == "property")]["entity_id"]
    assert set(lone) <= set(others)

"""Register CRUD, history and versions, seed, import/export, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from zonewatch.cli import main
from zonewatch.register import entries
from zonewatch.register.io import dumps, export_documents, import_documents
from zonewatch.register.seed import seed_documents, seed_register
from zonewatch.store import Store
from zonewatch.store.errors import Conflict, Invalid, NotFound

ENTRY = {
    "code": "REG-TEST",
    "title": "Test reason",
    "summary": "Something happens.",
    "zone": "registration",
    "nature": "opportunistic",
    "likelihood": 4,
    "impact": 3,
    "status": "identified",
    "indicators": ["norm_area", "no_such_indicator"],
    "measures": [{"title": "Do X", "status": "proposed", "effective_on": "2026-08-01"}],
}


@pytest.fixture
def store(store_url: str):  # noqa: ANN201
    s = Store(store_url)
    yield s
    s.dispose()


def test_create_read_update_history_and_versions(store: Store) -> None:
    with store.session() as db:
        created = entries.create_entry(db, ENTRY, "ann", "found in the field")
    assert created["version"] == 1
    assert created["inherent_risk"] == 12 and created["residual_risk"] == 12
    with store.session() as db:
        after = entries.update_entry(
            db, "REG-TEST", {"residual_likelihood": 2, "status": "mitigating"}, "bob",
            "measure X in force", expected_version=1,
        )
    assert after["version"] == 2 and after["residual_risk"] == 6
    assert after["risk_level"] == "medium"
    with store.session() as db:
        hist = entries.history(db, "REG-TEST")
        old = entries.version(db, "REG-TEST", 1)
        now = entries.get_entry(db, "REG-TEST")
    assert [h["version"] for h in hist] == [1, 2]
    assert hist[1]["changed_by"] == "bob" and hist[1]["reason"] == "measure X in force"
    changed = {c["field"]: (c["before"], c["after"]) for c in hist[1]["changes"]}
    assert changed == {"residual_likelihood": (None, 2), "status": ("identified", "mitigating")}
    assert old["status"] == "identified" and "residual_likelihood" not in old
    assert now["status"] == "mitigating"
    assert now["measures"][0]["effective_on"] == "2026-08-01"


@pytest.mark.parametrize(
    ("patch", "reason", "error", "match"),
    [
        ({"likelihood": 6}, "r", Invalid, "likelihood: must be an integer from 1 to 5"),
        ({"status": "done"}, "r", Invalid, "status: 'done' is not one of"),
        ({"title": "x"}, "  ", Invalid, "every change needs a reason"),
        ({"code": "REG-OTHER"}, "r", Invalid, "code never changes"),
        ({"measures": [{"title": "m"}]}, "r", Invalid, r"measures\[0\].status: is required"),
        ({"colour": "red"}, "r", Invalid, "unknown field"),
        ({"title": "Test reason"}, "r", Invalid, "nothing changed"),
    ],
)
def test_bad_updates_are_refused_and_nothing_is_written(
    store: Store, patch: dict, reason: str, error: type, match: str
) -> None:
    with store.session() as db:
        entries.create_entry(db, ENTRY, "ann", "new")
    with pytest.raises(error, match=match):
        with store.session() as db:
            entries.update_entry(db, "REG-TEST", patch, "ann", reason)
    with store.session() as db:
        assert entries.get_entry(db, "REG-TEST")["version"] == 1
        assert len(entries.history(db, "REG-TEST")) == 1


def test_conflicts_and_missing(store: Store) -> None:
    with store.session() as db:
        entries.create_entry(db, ENTRY, "ann", "new")
    with pytest.raises(Conflict, match="already exists"):
        with store.session() as db:
            entries.create_entry(db, ENTRY, "ann", "again")
    with store.session() as db:
        entries.update_entry(db, "REG-TEST", {"impact": 2}, "bob", "review")
    with pytest.raises(Conflict, match="at version 2, not 1"):
        with store.session() as db:
            entries.update_entry(db, "REG-TEST", {"impact": 1}, "eve", "late", 1)
    with pytest.raises(NotFound):
        with store.session() as db:
            entries.get_entry(db, "REG-NONE")
    with pytest.raises(NotFound, match="no version 9"):
        with store.session() as db:
            entries.version(db, "REG-TEST", 9)


def test_seed_from_the_article(store: Store) -> None:
    with store.session() as db:
        created = seed_register(db)
        again = seed_register(db)
        rubber = entries.get_entry(db, "REG-RUBBER-FLATS")
    assert again == []
    assert set(created) >= {"REG-RUBBER-FLATS", "REG-STATE-PROPERTY", "REG-CLANS",
                            "REG-STATE-BACKING"}
    assert rubber["nature"] == "opportunistic"
    assert "norm_area" in rubber["indicators"]
    effective = {m.get("effective_on") for m in rubber["measures"]}
    assert {"2025-11-01", "2026-08-01"} <= effective
    titles = " ".join(m["title"] for m in rubber["measures"]).lower()
    assert "sms" in titles and "online only" in titles
    with store.session() as db:
        backing = entries.get_entry(db, "REG-STATE-BACKING")
    titles = " ".join(m["title"] for m in backing["measures"]).lower()
    assert "public service centres" in titles and "liquidation" in titles
    assert all(doc["code"] in created for doc in seed_documents())


def test_public_export_leaves_out_internal_parts(store: Store) -> None:
    secret = {**ENTRY, "code": "REG-SECRET", "internal": True}
    partly = {
        **ENTRY, "code": "REG-PARTLY", "mechanism": "how brokers pay", "internal_fields":
        ["mechanism"], "measures": [{"title": "open", "status": "proposed"},
                                    {"title": "covert", "status": "proposed", "internal": True}],
    }
    with store.session() as db:
        for doc in (ENTRY, secret, partly):
            entries.create_entry(db, doc, "ann", "new")
        public = export_documents(db, public=True)
        full = export_documents(db)
    codes = [d["code"] for d in public]
    assert codes == ["REG-PARTLY", "REG-TEST"]
    p = next(d for d in public if d["code"] == "REG-PARTLY")
    assert "mechanism" not in p and "internal_fields" not in p
    assert [m["title"] for m in p["measures"]] == ["open"]
    assert len(full) == 3
    assert next(d for d in full if d["code"] == "REG-PARTLY")["mechanism"] == "how brokers pay"
    # the serialised forms parse back to the same documents
    assert json.loads(dumps(public, "json")) == public
    assert yaml.safe_load(dumps(public, "yaml")) == public


def test_import_round_trip_and_public_reimport_keeps_internal_fields(store: Store) -> None:
    partly = {**ENTRY, "mechanism": "hidden", "internal_fields": ["mechanism"]}
    with store.session() as db:
        entries.create_entry(db, partly, "ann", "new")
        full = export_documents(db)
        public = export_documents(db, public=True)
    with store.session() as db:
        assert import_documents(db, full, "ann", "same")["unchanged"] == ["REG-TEST"]
        assert import_documents(db, public, "ann", "public")["unchanged"] == ["REG-TEST"]
        edited = [{**public[0], "impact": 1}]
        new = [{**ENTRY, "code": "REG-NEW"}]
        assert import_documents(db, edited + new, "ann", "edit") == {
            "created": ["REG-NEW"], "updated": ["REG-TEST"], "unchanged": [],
            "internal_changed": []}
        now = entries.get_entry(db, "REG-TEST")
    assert now["impact"] == 1 and now["mechanism"] == "hidden" and now["version"] == 2


def test_import_is_all_or_nothing(store: Store) -> None:
    bad = [{**ENTRY, "code": "REG-GOOD"}, {**ENTRY, "code": "REG-BAD", "impact": 0}]
    with pytest.raises(Invalid, match="impact"):
        with store.session() as db:
            import_documents(db, bad, "ann", "batch")
    with store.session() as db:
        assert entries.list_entries(db) == []


def test_register_cli(store_url: str, tmp_path) -> None:  # noqa: ANN001
    run = CliRunner()
    s = ["--store", store_url]
    assert run.invoke(main, ["register", "seed", *s]).exit_code == 0
    res = run.invoke(main, ["register", "set", "REG-CLANS", "likelihood=2", "--reason", "review",
                            "--who", "ann", *s])
    assert res.exit_code == 0, res.output
    hist = run.invoke(main, ["register", "history", "REG-CLANS", *s]).output
    assert "v2" in hist and "ann" in hist and "[likelihood]" in hist
    shown = json.loads(run.invoke(main, ["register", "show", "REG-CLANS", "--version", "1",
                                         *s]).output)
    assert shown["likelihood"] == 4
    bad = run.invoke(main, ["register", "set", "REG-CLANS", "likelihood=9", "--reason", "x", *s])
    assert bad.exit_code != 0 and "likelihood: must be an integer from 1 to 5" in bad.output
    out = tmp_path / "public.json"
    res = run.invoke(main, ["register", "export", "--out", str(out), "--public", *s])
    assert res.exit_code == 0
    public = json.loads(out.read_text())
    consent = next(d for d in public if d["code"] == "REG-CONSENT-BYPASS")
    assert "mechanism" not in consent


def test_every_register_field_is_documented() -> None:
    from pathlib import Path

    from zonewatch.register.fields import FIELDS, MEASURE_FIELDS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "register.md").read_text()
    missing = [f for f in [*FIELDS, *MEASURE_FIELDS] if f"`{f}`" not in doc]
    assert not missing, f"docs/register.md lacks {missing}"


def test_overdue_reviews_and_measures(store: Store) -> None:
    from datetime import date

    due = {**ENTRY, "code": "REG-DUE", "next_review_due": "2026-01-01"}
    closed = {**due, "code": "REG-CLOSED", "status": "closed"}
    later = {**ENTRY, "code": "REG-LATER", "next_review_due": "2027-01-01",
             "measures": [{"title": "early", "status": "in_force", "effective_on": "2020-01-01"}]}
    with store.session() as db:
        for doc in (ENTRY, due, closed, later):
            entries.create_entry(db, doc, "ann", "new")
        overdue = entries.list_entries(db, overdue_on=date(2026, 11, 27))
        measures = entries.list_measures(db)
        in_force = entries.list_measures(db, status="in_force")
    assert [e["code"] for e in overdue] == ["REG-DUE"]
    assert [(m["code"], m["effective_on"]) for m in measures] == [
        ("REG-LATER", "2020-01-01"), ("REG-CLOSED", "2026-08-01"), ("REG-DUE", "2026-08-01"),
        ("REG-TEST", "2026-08-01")]
    assert [m["title"] for m in in_force] == ["early"]


def test_concurrent_edits_of_one_entry_both_land(store: Store) -> None:
    """Two sessions edit the same entry at once: versions 2 and 3, none lost, no collision."""
    import threading

    with store.session() as db:
        entries.create_entry(db, ENTRY, "ann", "new")
    errors: list[Exception] = []

    def edit(who: str, impact: int) -> None:
        try:
            with store.session() as db:
                entries.update_entry(db, "REG-TEST", {"impact": impact}, who, "parallel")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(w, i)) for w, i in (("a", 1), ("b", 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with store.session() as db:
        hist = entries.history(db, "REG-TEST")
    if store.engine.dialect.name == "postgresql":
        assert not errors and [h["version"] for h in hist] == [1, 2, 3]
    else:  # SQLite serialises writers; a busy writer may be refused, never half-written
        assert len(hist) == 3 - len(errors)
        assert [h["version"] for h in hist] == list(range(1, len(hist) + 1))

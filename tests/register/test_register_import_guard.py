"""Register import: a stale file never reverts newer edits, and never flips `internal` silently.

On SQLite and PostgreSQL (the `store_url` fixture); the CLI changes are audited in the chain.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from zonewatch.cli import main
from zonewatch.register import entries
from zonewatch.register.io import export_documents, import_documents
from zonewatch.store import Store
from zonewatch.store.audit import verify
from zonewatch.store.errors import Conflict, Invalid
from zonewatch.store.models import AuditEvent

ENTRY = {"code": "REG-G", "title": "Guarded", "summary": "s", "zone": "registration",
         "nature": "systemic", "likelihood": 3, "impact": 3, "status": "identified",
         "internal": True, "mechanism": "how", "internal_fields": ["mechanism"]}


@pytest.fixture
def store(store_url: str):  # noqa: ANN201
    s = Store(store_url)
    with s.session() as db:
        entries.create_entry(db, ENTRY, "ann", "new")
    yield s
    s.dispose()


def test_stale_file_is_refused_and_changes_nothing(store: Store) -> None:
    with store.session() as db:
        old = export_documents(db)  # at version 1
        entries.update_entry(db, "REG-G", {"impact": 5}, "bob", "newer edit")
    stale = [{**old[0], "likelihood": 1}]
    with pytest.raises(Conflict, match="version 1 but the register is at version 2"):
        with store.session() as db:
            import_documents(db, stale, "ann", "old file")
    with pytest.raises(Conflict, match="newer than the register's 2"):
        with store.session() as db:
            import_documents(db, [{**old[0], "version": 7}], "ann", "odd file")
    with pytest.raises(Invalid, match="version must be a whole number"):
        with store.session() as db:
            import_documents(db, [{**old[0], "version": "2"}], "ann", "odd file")
    with store.session() as db:
        now = entries.get_entry(db, "REG-G")
        assert (now["version"], now["impact"], now["likelihood"]) == (2, 5, 3)
        fresh = export_documents(db)  # at version 2: accepted
        done = import_documents(db, [{**fresh[0], "likelihood": 1}], "ann", "fresh file")
        assert done["updated"] == ["REG-G"]
        assert entries.get_entry(db, "REG-G")["version"] == 3


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"internal": False}, "internal true -> false"),
        ({"internal": None}, "internal true -> false"),  # null removes the field
        ({"internal_fields": []}, "fields made public: mechanism"),
    ],
)
def test_internal_flip_needs_the_flag_and_is_reported(
    store: Store, change: dict, says: str
) -> None:
    with store.session() as db:
        doc = {**export_documents(db)[0], **change}
    with pytest.raises(Conflict, match=f"REG-G: {says}: refused"):
        with store.session() as db:
            import_documents(db, [doc], "ann", "publish")
    with store.session() as db:
        assert entries.get_entry(db, "REG-G")["internal"] is True
        done = import_documents(db, [doc], "ann", "publish", allow_internal_change=True)
    assert done["internal_changed"] == [f"REG-G: {says}"]


def test_cli_import_guard_and_audit(store: Store, store_url: str, tmp_path: Path) -> None:
    cli, s = CliRunner(), ["--store", store_url]
    file = tmp_path / "reg.json"
    res = cli.invoke(main, ["register", "export", "--out", str(file), *s])
    assert res.exit_code == 0, res.output
    res = cli.invoke(main, ["register", "set", "REG-G", "impact=1", "--reason", "r",
                            "--who", "bob", *s])
    assert res.exit_code == 0, res.output
    res = cli.invoke(main, ["register", "import", str(file), "--reason", "old", *s])
    assert res.exit_code == 1 and "edited since the export" in res.output
    docs = json.loads(file.read_text())
    docs[0].update(version=2, internal=False)
    file.write_text(json.dumps(docs))
    res = cli.invoke(main, ["register", "import", str(file), "--reason", "pub", *s])
    assert res.exit_code == 1 and "--allow-internal-change" in res.output
    res = cli.invoke(main, ["register", "import", str(file), "--reason", "pub",
                            "--allow-internal-change", "--who", "ann", *s])
    assert res.exit_code == 0, res.output
    assert "internal changed: REG-G: internal true -> false" in res.output
    with store.session() as db:
        rows = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        got = [(r.username, r.role, r.action, r.target_type) for r in rows]
        assert verify(db).ok
    assert got == [
        (got[0][0], "cli", "export", "register"),
        ("bob", "cli", "update", "register_entry"),
        ("ann", "cli", "import", "register"),
    ]
    assert rows[2].detail["internal_changed"] == ["REG-G: internal true -> false"]
    assert rows[1].detail == {"version": 2, "reason": "r", "fields": ["impact"], "via": "cli"}

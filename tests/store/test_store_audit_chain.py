"""The audit hash chain: appends from many threads stay one chain; any deleted, altered or
cut-off row is found by `zonewatch audit verify`. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, text, update

from zonewatch.cli import main
from zonewatch.store import Store
from zonewatch.store.audit import GENESIS, append, verify
from zonewatch.store.db import make_engine, upgrade
from zonewatch.store.models import AuditEvent


@pytest.fixture
def store(store_url: str):  # noqa: ANN201
    s = Store(store_url)
    yield s
    s.dispose()


def _fill(store: Store, n: int) -> list[int]:
    ids = []
    for i in range(n):
        with store.session() as db:
            row = append(db, username=f"u{i}", role="analyst", action="read",
                         target_type="owner", target_id=f"X{i}",
                         detail={"persons": [f"X{i}"], "on": date(2026, 12, i + 1)})
            ids.append(row.id)
    return ids


def _verify_cli(url: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["audit", "verify", "--store", url])
    return res.exit_code, res.output


def test_chain_holds_and_details_are_json(store: Store, store_url: str) -> None:
    ids = _fill(store, 5)
    with store.session() as db:
        rows = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert rows[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.row_hash for a, b in zip(rows, rows[1:], strict=False))
        assert rows[0].detail == {"persons": ["X0"], "on": "2026-12-01"}  # a date as text
        assert verify(db).ok and verify(db).rows == 5
    assert _verify_cli(store_url) == (0, "audit chain intact: 5 rows\n")
    assert len(ids) == 5


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("alter_detail", "content altered"),  # row 2 named
        ("alter_user", "content altered"),  # row 2
        ("delete_middle", "prev_hash does not match"),  # row 2 gone: row 3 named
        ("delete_first", "prev_hash does not match"),  # row 2 named
        ("delete_last", "newest rows up to id"),  # the head still names row 4
        ("rehash_one", "prev_hash does not match"),  # a forger rehashes row 2: row 3 named
    ],
)
def test_tampering_is_found(store: Store, store_url: str, tamper: str, reason: str) -> None:
    ids = _fill(store, 4)
    with store.session() as db:
        target = ids[1] if tamper != "delete_last" else ids[3]
        if tamper == "alter_detail":
            db.execute(update(AuditEvent).where(AuditEvent.id == target)
                       .values(detail={"persons": []}))
        elif tamper == "alter_user":
            db.execute(update(AuditEvent).where(AuditEvent.id == target).values(username="x"))
        elif tamper == "delete_first":
            db.execute(delete(AuditEvent).where(AuditEvent.id == ids[0]))
        elif tamper == "rehash_one":
            from zonewatch.store.audit import row_hash

            row = db.get(AuditEvent, target)
            row.username = "someone else"
            row.row_hash = row_hash(row.prev_hash, row)
        else:
            db.execute(delete(AuditEvent).where(AuditEvent.id == target))
    expected = {"delete_middle": ids[2], "delete_first": ids[1], "delete_last": ids[3],
                "rehash_one": ids[2]}.get(tamper, ids[1])
    with store.session() as db:
        verdict = verify(db)
    assert not verdict.ok and verdict.broken_id == expected and reason in verdict.reason
    code, out = _verify_cli(store_url)
    assert code == 1 and f"audit chain broken at row {expected}: " in out and reason in out


def test_concurrent_appends_form_one_chain(store: Store) -> None:
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(8):
                with store.session() as db:
                    append(db, username=f"t{k}", role="analyst", action="read",
                           target_type="property", target_id=f"P{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with store.session() as db:
        verdict = verify(db)
    assert verdict.ok and verdict.rows == 48


def test_a_rolled_back_operation_leaves_no_audit_row(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.session() as db:
            append(db, username="u", role="analyst", action="update",
                   target_type="register_entry", target_id="R")
            raise RuntimeError("the change failed")
    _fill(store, 1)
    with store.session() as db:
        assert verify(db).ok and verify(db).rows == 1


def test_upgrade_chains_rows_written_before_the_chain(store_url: str) -> None:
    engine = make_engine(store_url)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        for i in range(3):
            conn.execute(text(
                "INSERT INTO audit_log (at, username, role, action, target_type, target_id, "
                "detail) VALUES (:at, :u, 'admin', 'read', 'owner', :t, :d)"),
                {"at": datetime(2026, 11, 1, 9, i), "u": f"old{i}", "t": f"X{i}",
                 "d": '{"masked": false}'})
    upgrade(engine)
    engine.dispose()
    store = Store(store_url)
    _fill(store, 2)
    with store.session() as db:
        verdict = verify(db)
        old = db.scalars(select(AuditEvent).order_by(AuditEvent.id).limit(1)).one()
    store.dispose()
    assert verdict.ok and verdict.rows == 5
    assert old.detail == {"masked": False} and old.prev_hash == GENESIS

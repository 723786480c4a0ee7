"""The API scrubs person ids out of free text for masked roles and hides server paths."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from svc_helpers import build_service

from zonewatch.rundir import SETTLE_SECONDS
from zonewatch.service.masking import Masker
from zonewatch.service.scrub import scrub_person_ids


def _texts(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_auditor_never_sees_owner_ids_in_explanations(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    for path in ("/api/networks", "/api/networks/N1", "/api/owners", "/api/properties/P1"):
        clear = client.get(path, headers=h["analyst"]).json()
        masked = client.get(path, headers=h["auditor"]).json()
        if path.startswith("/api/networks"):
            assert "owner X1 and" in _texts(clear)  # the analyst reads the explanation as is
        assert "X1" not in _texts(masked), path
    nets = client.get("/api/networks", headers=h["auditor"]).json()["items"]
    members = nets[0]["members"].split(";")
    # the pseudonym in the text is the one in the members column: text and ids agree
    assert nets[0]["explanation"] == f"owner {members[0]} and official F1 share property P1"


def test_scrub_replaces_only_person_tokens() -> None:
    masker = Masker(b"k")
    data = {"a": ["P0001 and P0002 met at FLAT9", ("P0001",)], "n": 3}
    def persons(toks: list[str]) -> list[str]:
        return [t for t in toks if t.startswith("P")]

    out = scrub_person_ids(data, persons, masker)
    p1, p2 = masker.pseudonym("P0001"), masker.pseudonym("P0002")
    assert out == {"a": [f"{p1} and {p2} met at FLAT9", [p1]], "n": 3}
    assert scrub_person_ids(out, persons, masker) == out  # pseudonyms are never re-masked


def test_not_found_messages_do_not_leak_the_run_path(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    run_dir = tmp_path / "run"
    (run_dir / "networks.csv").unlink()
    settled = time.time() - SETTLE_SECONDS - 1  # a finished analysis left no networks.csv
    for file in run_dir.iterdir():
        os.utime(file, (settled, settled))
    for path in ("/api/properties/NOPE", "/api/owners/NOPE", "/api/officials/NOPE",
                 "/api/networks/NOPE", "/api/networks"):
        res = client.get(path, headers=h["analyst"])
        assert res.status_code == 404, (path, res.text)
        assert str(tmp_path) not in res.text and "/tmp" not in res.text, res.text
        assert res.json()["detail"], path

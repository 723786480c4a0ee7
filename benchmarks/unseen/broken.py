"""Rows that break the data contract, added to a copy of an extract, and what ingest must say.

Each broken row is a fresh row (new key) so the city's truth is untouched; the expected
quarantine counts are returned per table and rule so the benchmark can compare them with
`ingest_report.json`. Rules are named as the ingest names them in its report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def add_broken(ext: Path) -> dict[str, dict[str, int]]:
    """Append broken rows to ext's CSV files; returns {table: {rule: rows}} expected."""
    persons, regs, props = (_read(ext / f"{t}.csv") for t in
                            ("persons", "registrations", "properties"))
    person = persons.iloc[0].to_dict()
    bad_persons = [
        {**person, "person_id": "BAD-P1", "iin": person["iin"][:11] + str(
            (int(person["iin"][11]) + 1) % 10) if isinstance(person["iin"], str) else "1"},
        {**person, "person_id": "BAD-P2", "sex": "X"},
    ]
    reg = regs.iloc[0].to_dict()
    bad_regs = [
        {**reg, "registration_id": "BAD-R1", "property_id": "NO-SUCH-FLAT"},
        {**reg, "registration_id": "BAD-R2", "start_date": "2026-05-01",
         "end_date": "2026-04-01"},
        {**reg, "registration_id": "BAD-R3", "kind": "forever"},
        {**reg, "registration_id": reg["registration_id"]},  # duplicate key
    ]
    prop = props.iloc[0].to_dict()
    bad_props = [{**prop, "property_id": "BAD-F1", "area_m2": "0"},
                 {**prop, "property_id": "BAD-F2", "kind": "castle"}]
    for name, df, rows in (("persons", persons, bad_persons), ("registrations", regs, bad_regs),
                           ("properties", props, bad_props)):
        pd.concat([df, pd.DataFrame(rows)]).to_csv(ext / f"{name}.csv", index=False)
    return {"persons": {"bad_iin": 1, "bad_enum": 1},
            "registrations": {"dangling_reference": 1, "end_before_start": 1, "bad_enum": 1,
                              "duplicate_key": 1},
            "properties": {"out_of_range": 1, "bad_enum": 1}}


def compare(report: dict, expected: dict[str, dict[str, int]]) -> list[str]:
    """Differences between the ingest report's quarantine counts and the expected ones."""
    problems = []
    for table, rules in expected.items():
        got = report["tables"].get(table, {}).get("quarantined_by_rule", {})
        for rule, n in rules.items():
            if got.get(rule, 0) < n:
                problems.append(f"{table}: expected {n} row(s) quarantined as {rule}, "
                                f"report says {got.get(rule, 0)} (all: {got})")
    return problems

"""The contract YAML matches DATA_CONTRACT.md and documents every column."""

from __future__ import annotations

import re

from zonewatch.contract import load_contract


def test_every_column_has_a_meaning_and_known_references():
    contract = load_contract()
    for table in contract.tables.values():
        assert table.meaning, table.name
        for col in table.columns:
            assert col.meaning, f"{table.name}.{col.name}"
            if col.type == "enum":
                assert col.values, f"{table.name}.{col.name}"
            if col.reference:
                for target in col.reference.targets.values():
                    t, c = target.split(".")
                    assert c in contract.tables[t].column_names
                    # load order: a table only references tables declared before it
                    assert list(contract.tables).index(t) < list(contract.tables).index(table.name)


def test_yaml_and_markdown_name_the_same_columns(shared_dir):
    text = (shared_dir / "DATA_CONTRACT.md").read_text(encoding="utf-8")
    contract = load_contract()
    for name, table in contract.tables.items():
        section = re.search(rf"### [^\n]*\b{name}\b[^\n]*\n(.*?)(?=\n### |\n## )", text, re.S)
        assert section, name
        body = section.group(1)
        cells = re.findall(r"^\| ([a-z_0-9, ]+) \|", body, re.M)
        in_table = {c.strip() for cell in cells for c in cell.split(",")} - {"column"}
        assert in_table <= set(table.column_names), (name, in_table - set(table.column_names))
        for col in table.column_names:
            assert re.search(rf"\b{col}\b", body), f"{name}.{col} not in DATA_CONTRACT.md"


def test_required_tables_rule():
    contract = load_contract()
    assert contract.missing_required({"properties", "occupancy"}) is None
    assert contract.missing_required({"properties", "persons", "registrations"}) is None
    assert "registrations" in contract.missing_required({"properties", "persons"})
    assert contract.missing_required({"occupancy"}).startswith("properties")

"""Turn the reformagkh Moscow housing register into a zonewatch extract.

Writes `properties.csv` and `occupancy.csv`. Nothing is repaired: real errors (zero
areas, zero dwellings, missing resident counts, unknown building types) are written
through for ingest to quarantine with its rule; missing values go out as empty cells only
where the contract allows null. The importer's own report counts each such decision.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from zonewatch.realdata import mapping


@dataclass
class ImportReport:
    """What the importer did, and which questionable values it passed on unchanged."""

    source: str
    buildings: int = 0
    properties_written: int = 0
    occupancy_written: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    nulled_missing: dict[str, int] = field(default_factory=dict)
    area_from_fallback: int = 0
    written_through: dict[str, int] = field(default_factory=dict)
    suspicious_loaded: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        """The report as pretty JSON."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


class RegisterError(ValueError):
    """The source file is not the register we expect (missing column, unreadable)."""


def _missing(values: pd.Series) -> pd.Series:
    return values.str.strip().str.lower().isin(mapping.MISSING)


def read_register(src: Path) -> pd.DataFrame:
    """Read the register as text (every column a string, nothing converted)."""
    try:
        frame = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise RegisterError(f"{src}: cannot read as a UTF-8 CSV: {exc}") from None
    needed = {c for cols in mapping.PROPERTY_COLUMNS.values() for c in cols}
    needed |= {"HOUSE_TYPE", "PEOPLE"}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise RegisterError(f"{src}: missing column(s) {', '.join(missing)}")
    return frame


def convert(frame: pd.DataFrame, unknown_kind: str | None = None) -> tuple[
    pd.DataFrame, pd.DataFrame, ImportReport
]:  # fmt: skip
    """Map the register to (properties, occupancy, report); text values stay as written."""
    report = ImportReport(source=mapping.SOURCE, buildings=len(frame))
    props = pd.DataFrame(index=frame.index)
    for col, sources in mapping.PROPERTY_COLUMNS.items():
        value = frame[sources[0]].copy()
        for fallback in sources[1:]:
            use = _missing(value) & ~_missing(frame[fallback])
            if col == "area_m2":
                report.area_from_fallback = int(use.sum())
            value[use] = frame[fallback][use]
        if col in mapping.NULLABLE:
            gone = _missing(value)
            report.nulled_missing[col] = int(gone.sum())
            value[gone] = ""
        props[col] = value
    kind = frame["HOUSE_TYPE"].map(mapping.KINDS)
    unknown = kind.isna()
    kind[unknown] = unknown_kind if unknown_kind else frame["HOUSE_TYPE"][unknown]
    props.insert(4, "kind", kind)
    report.kinds = {str(k): int(n) for k, n in kind.value_counts().items()}
    if not unknown_kind:
        report.written_through["kind (unknown HOUSE_TYPE, -> bad_enum)"] = int(unknown.sum())
    for col, src in mapping.EXTRA_COLUMNS.items():
        props[col] = frame[src] if src in frame.columns else ""

    area = pd.to_numeric(props["area_m2"], errors="coerce")
    rooms = pd.to_numeric(props["rooms"], errors="coerce")
    people = pd.to_numeric(frame["PEOPLE"], errors="coerce")
    report.written_through["area_m2 <= 0 (-> out_of_range)"] = int((area <= 0).sum())
    report.written_through["rooms (APTS) < 1 (-> out_of_range)"] = int((rooms < 1).sum())
    report.written_through["PEOPLE missing (-> bad_integer)"] = int(_missing(frame["PEOPLE"]).sum())
    report.suspicious_loaded = {
        "people = 0 in a building with positive area": int(((people == 0) & (area > 0)).sum()),
        "under 10 m2 per dwelling (APTS too high?)": int((area / rooms < 10).sum()),
        "under 5 m2 per resident": int((area / people < 5).sum()),
    }
    occupancy = pd.DataFrame(
        {
            "property_id": frame["HOUSE_ID"],
            "as_of": mapping.AS_OF.isoformat(),
            "registered": frame["PEOPLE"],
            "source": mapping.SOURCE,
        }
    )
    report.properties_written = len(props)
    report.occupancy_written = len(occupancy)
    return props, occupancy, report


def import_reformagkh(src: Path, out: Path, unknown_kind: str | None = None) -> ImportReport:
    """Read `src` and write `out/properties.csv`, `out/occupancy.csv`, `out/import_report.json`."""
    props, occupancy, report = convert(read_register(src), unknown_kind)
    report.source = f"{mapping.SOURCE} ({Path(src).name})"
    out.mkdir(parents=True, exist_ok=True)
    props.to_csv(out / "properties.csv", index=False, lineterminator="\n")
    occupancy.to_csv(out / "occupancy.csv", index=False, lineterminator="\n")
    (out / "import_report.json").write_text(report.to_json() + "\n", encoding="utf-8")
    return report

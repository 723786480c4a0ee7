"""The ingest report: what was read, accepted and quarantined per table and rule."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field


@dataclass
class TableReport:
    """Counts for one table file."""

    file: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    quarantined_by_rule: dict[str, int] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    columns_absent: list[str] = field(default_factory=list)  # nullable, loaded as NULL
    unchecked_references: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    """The result of `ingest_extract`: as-of date, per-table counts, missing tables."""

    as_of: dt.date
    as_of_given: bool
    source: str
    db_path: str
    ingested_at: str
    tables: dict[str, TableReport] = field(default_factory=dict)
    tables_missing: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_read(self) -> int:
        """Rows read over all tables."""
        return sum(t.rows_read for t in self.tables.values())

    @property
    def rows_quarantined(self) -> int:
        """Rows quarantined over all tables."""
        return sum(t.rows_quarantined for t in self.tables.values())

    def to_dict(self) -> dict:
        """A JSON-ready dict (as_of as ISO date)."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data

    def to_json(self) -> str:
        """The report as pretty JSON: the contract's `ingest_report.json`."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, sort_keys=False)

    def summary(self) -> str:
        """A short fixed-width table for terminals."""
        lines = [
            f"as-of {self.as_of.isoformat()} ({'given' if self.as_of_given else 'from extract'})",
            f"{'table':<16}{'read':>10}{'accepted':>10}{'quarantined':>13}  top rules",
        ]
        for name, t in self.tables.items():
            top = sorted(t.quarantined_by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            rules = ", ".join(f"{r} {n}" for r, n in top)
            lines.append(
                f"{name:<16}{t.rows_read:>10}{t.rows_accepted:>10}{t.rows_quarantined:>13}  {rules}"
            )
        if self.tables_missing:
            lines.append(f"absent (optional): {', '.join(self.tables_missing)}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

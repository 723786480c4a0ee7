"""Officials and offices ranked by how their approvals deviate from their peers'.

An official is compared with the other officials of the same office: share of
approvals that went to flagged flats (empirical-Bayes shrunk, binomial test), approvals
without owner consent and out of working hours (vs the office in the same year, Poisson
test), and sudden jumps in monthly volume. Offices are compared with the rest of the city.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd

from zonewatch.network.deviation import count_excess, flagged_share, pct, pvalue_text
from zonewatch.network.results import EVIDENCE_COLUMNS, OFFICE_COLUMNS, OFFICIAL_COLUMNS


def _volume(con: duckdb.DuckDBPyConnection, p: dict[str, Any]) -> pd.DataFrame:
    df = con.execute(
        """
        WITH m AS (SELECT official_id, month, count(*) AS c FROM nw_appr GROUP BY ALL)
        SELECT official_id, max(c) AS peak, median(c) AS typical,
               arg_max(month, c) AS peak_month
        FROM m GROUP BY official_id
        """
    ).df()
    ratio = df["peak"] / df["typical"].clip(lower=1)
    fired = (ratio >= p["volume_ratio_min"]) & (df["peak"] >= p["volume_min_month"])
    return df.assign(ratio=ratio, fired=fired, score=np.where(fired, np.log2(ratio) / 2, 0.0))


def _ev(kind: str, entity: str, indicator: str, value: float, threshold: float,
        score: float, text: str) -> dict[str, Any]:
    return {"entity_type": kind, "entity_id": entity, "indicator_id": indicator,
            "value": round(float(value), 6), "threshold": round(float(threshold), 6),
            "score": round(float(score), 4), "evidence": text}


def _rank(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    frame = frame.sort_values(["score", key], ascending=[False, True]).reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    frame["score"] = frame["score"].round(4)
    return frame


def _excess_text(row: Any, what: str, peers: str) -> str:
    return (f"{int(row.observed)} approvals {what} vs {row.expected:.1f} expected from "
            f"{peers} in the same years ({pvalue_text(row.pvalue)})")


def rank_officials(
    con: duckdb.DuckDBPyConnection, p: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ranked officials (contract columns) and their evidence rows, from nw_appr."""
    stats = con.execute(
        "SELECT official_id, any_value(office_id) AS office_id, count(*) AS n, "
        "count(*) FILTER (flagged) AS k FROM nw_appr GROUP BY official_id"
    ).df()
    if stats.empty:
        return pd.DataFrame(columns=OFFICIAL_COLUMNS), pd.DataFrame(columns=EVIDENCE_COLUMNS)
    share = flagged_share(stats, "office_id", p).set_index("official_id")
    w = p["official_weights"]
    parts = {
        "official_flagged_share": (share, w["flagged_share"]),
        "official_no_consent": (count_excess(con, "official_id", "office_id", "no_consent",
                                             "consent_known", p).set_index("unit"),
                                w["no_consent"]),
        "official_out_of_hours": (count_excess(con, "official_id", "office_id", "out_of_hours",
                                               "hours_known", p).set_index("unit"),
                                  w["out_of_hours"]),
        "official_volume_jump": (_volume(con, p).set_index("official_id"), w["volume_jump"]),
    }
    evidence, rows = [], []
    for off in share.index:
        s = share.loc[off]
        notes = [
            f"{int(s.k)} of {int(s.n)} approvals ({pct(s.k / s.n)}) went to flagged flats vs "
            f"{pct(s.p0)} for peers in office {s.office_id} (shrunk {pct(s.post)}, "
            f"{pvalue_text(s.pvalue)})"
        ]
        total, fired = 0.0, []
        for ind, (frame, weight) in parts.items():
            if off not in frame.index:
                continue
            r = frame.loc[off]
            if ind == "official_no_consent" and r.observed:
                notes.append(_excess_text(r, "without owner consent", "office peers"))
            elif ind == "official_out_of_hours" and r.observed:
                notes.append(_excess_text(r, "out of working hours", "office peers"))
            elif ind == "official_volume_jump" and r.fired:
                notes.append(f"{int(r.peak)} approvals in {r.peak_month:%Y-%m} vs a typical "
                             f"month of {r.typical:.0f}")
            if not r.fired:
                continue
            fired.append(ind)
            total += weight * r.score
            value, thr = {
                "official_flagged_share": (r.get("post", 0), p["official_lift_min"] * s.p0),
                "official_volume_jump": (r.get("ratio", 0), p["volume_ratio_min"]),
            }.get(ind, (r.get("observed", 0), r.get("expected", 0)))
            evidence.append(_ev("official", off, ind, value, thr, weight * r.score, notes[-1]
                                if ind != "official_flagged_share" else notes[0]))
        rows.append({"official_id": off, "office_id": s.office_id, "score": total,
                     "indicators": ";".join(fired),
                     "explanation": f"Official {off}: " + "; ".join(notes) + "."})
    out = _rank(pd.DataFrame(rows), "official_id")
    return out[OFFICIAL_COLUMNS], pd.DataFrame(evidence, columns=EVIDENCE_COLUMNS)


def rank_offices(
    con: duckdb.DuckDBPyConnection, p: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ranked offices (office share of flagged approvals and no-consent vs the city)."""
    stats = con.execute(
        "SELECT office_id, count(*) AS n, count(*) FILTER (flagged) AS k, "
        "count(DISTINCT official_id) AS officials FROM nw_appr GROUP BY office_id"
    ).df()
    if stats.empty:
        return pd.DataFrame(columns=OFFICE_COLUMNS), pd.DataFrame(columns=EVIDENCE_COLUMNS)
    share = flagged_share(stats, None, p).set_index("office_id")
    consent = count_excess(con, "office_id", None, "no_consent", "consent_known",
                           p).set_index("unit")
    w = p["official_weights"]
    evidence, rows = [], []
    for office in share.index:
        s = share.loc[office]
        notes = [f"{int(s.k)} of {int(s.n)} approvals by {int(s.officials)} officials "
                 f"({pct(s.k / s.n)}) went to flagged flats vs {pct(s.p0)} in the rest of the "
                 f"city (shrunk {pct(s.post)}, {pvalue_text(s.pvalue)})"]
        total, fired = 0.0, []
        if s.fired:
            fired.append("office_flagged_share")
            total += w["flagged_share"] * s.score
            evidence.append(_ev("office", office, "office_flagged_share", s.post,
                                p["official_lift_min"] * s.p0, w["flagged_share"] * s.score,
                                notes[0]))
        if office in consent.index and consent.loc[office].observed:
            r = consent.loc[office]
            notes.append(_excess_text(r, "without owner consent", "the rest of the city"))
            if r.fired:
                fired.append("office_no_consent")
                total += w["no_consent"] * r.score
                evidence.append(_ev("office", office, "office_no_consent", r.observed,
                                    r.expected, w["no_consent"] * r.score, notes[-1]))
        rows.append({"office_id": office, "score": total, "indicators": ";".join(fired),
                     "explanation": f"Office {office}: " + "; ".join(notes) + "."})
    out = _rank(pd.DataFrame(rows), "office_id")
    return out[OFFICE_COLUMNS], pd.DataFrame(evidence, columns=EVIDENCE_COLUMNS)

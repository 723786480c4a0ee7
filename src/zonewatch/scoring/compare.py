"""How much a change of weights changed the ranking: Spearman and top-k overlap."""

from __future__ import annotations

import pandas as pd
from scipy.stats import spearmanr


def ranking_change(before: pd.DataFrame, after: pd.DataFrame, top: int = 100) -> dict[str, float]:
    """Compare two property_scores frames (property_id, score, rank)."""
    merged = before[["property_id", "score", "rank"]].merge(
        after[["property_id", "score", "rank"]], on="property_id", suffixes=("_a", "_b"))
    if len(merged) < 2:
        return {"spearman": 1.0, f"top{top}_overlap": 1.0, "top": top}
    rho = spearmanr(merged["score_a"], merged["score_b"]).statistic
    k = min(top, len(merged))
    top_a = set(merged.nsmallest(k, "rank_a")["property_id"])
    top_b = set(merged.nsmallest(k, "rank_b")["property_id"])
    # most properties are unflagged and keep their order; judge the flagged ones alone too
    flagged = merged[(merged["score_a"] >= 0.01) | (merged["score_b"] >= 0.01)]
    rho_f = (spearmanr(flagged["score_a"], flagged["score_b"]).statistic
             if len(flagged) > 2 else 1.0)
    return {
        "spearman": round(float(rho), 4) if rho == rho else 1.0,
        "spearman_flagged": round(float(rho_f), 4) if rho_f == rho_f else 1.0,
        f"top{top}_overlap": round(len(top_a & top_b) / k, 4),
        "top": k,
    }

"""Learning from outcomes per pattern: properties flagged the same way share their fate.

A weighted sum of indicators cannot say "turnover with network membership alone is ordinary
renting here" when each indicator is predictive in other company. The combination of
indicators that fired (the property's *pattern*) can: the inverse-propensity-weighted share
of violations among inspected properties of one pattern, shrunk towards what the calibrated
model predicted for them (`prior_visits` pseudo-visits), is that pattern's learned rate.
Every property of the pattern, inspected or not, moves by the log odds ratio of the learned
rate to the predicted one, in score points (`points_per_log_odds`). A confirmed pattern
rises, a refuted one falls, a pattern nobody inspected stays where the model put it.
Rates are compared as the calibration observes outcomes: a share `label_noise` of visits may
be wrong, so a pattern predicted certain is expected to show `1 - label_noise` violations, and
one clean visit among eight there is noise, not a refutation (compared on the model's own
certainty, 7 of 8 moved such a pattern by 4 points).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from zonewatch.indicators.settings import CalibrationSettings
from zonewatch.scoring.combine import HIT_WEIGHT

PATTERN_ID = "pattern_outcomes"
EXCLUDED = ("inspection_violation", "inspection_clean", PATTERN_ID)



def patterns(hits: pd.DataFrame) -> pd.Series:
    """Pattern (sorted `;`-joined indicator ids) per flagged property_id."""
    prop = hits[(hits["entity_type"] == "property") & ~hits["indicator_id"].isin(EXCLUDED)]
    return prop.groupby(prop["entity_id"].astype(str))["indicator_id"].agg(
        lambda ids: ";".join(sorted(set(ids))))


def pattern_hits(hits: pd.DataFrame, scores: pd.Series, outcomes: pd.DataFrame,
                 model: dict[str, Any], settings: CalibrationSettings) -> tuple[pd.DataFrame, dict]:
    """`pattern_outcomes` hits (strength = score points to add, may be negative) and a
    summary per pattern. `scores` by property_id; `outcomes` has property_id, y, ipw;
    `model` the calibration's intercept and points_per_log_odds."""
    pattern = patterns(hits)
    seen = outcomes[outcomes["property_id"].isin(pattern.index)].copy()
    if not len(seen) or not model:
        return pd.DataFrame(columns=list(hits.columns)), {}
    per_point = float(model["log_odds_per_point"])
    seen["pattern"] = seen["property_id"].map(pattern)
    z = model["intercept"] + per_point * scores.reindex(seen["property_id"]).fillna(0).to_numpy()
    seen["p"] = 1.0 / (1.0 + np.exp(-z))
    m = settings.pattern_prior_visits
    noise = settings.label_noise
    seen["p"] = noise + (1 - 2 * noise) * seen["p"]  # the rate visits would show
    rows, summary = [], {}
    for name, group in seen.groupby("pattern"):
        w = group["ipw"].to_numpy() / group["ipw"].mean()
        visits = len(group)
        observed = float((w * group["y"]).sum())
        predicted = float((w * group["p"]).sum())
        rate = (observed + m * predicted / visits) / (visits + m)
        expected = min(max(predicted / visits, 1e-4), 1 - 1e-4)
        rate = min(max(rate, 1e-4), 1 - 1e-4)
        shift = (np.log(rate / (1 - rate)) - np.log(expected / (1 - expected))) / per_point
        limit = settings.pattern_max_points
        shift = float(np.clip(shift, -limit, limit))
        violations = int(group["y"].sum())
        summary[name] = {"visits": visits, "violations": violations,
                         "predicted_rate": round(expected, 3), "learned_rate": round(rate, 3),
                         "points": round(shift, 3)}
        if abs(shift) < 1e-3:
            continue
        flags = name.replace(";", ", ")
        text = (f"inspections of {visits} properties flagged the same way ({flags}) found"
                f" {violations} in violation, where {expected:.0%} was expected: "
                f"{'raised' if shift > 0 else 'lowered'} by {abs(shift):.2f} points")
        for pid in pattern.index[pattern == name]:
            if pid in scores.index:
                rows.append({"entity_type": "property", "entity_id": pid,
                             "indicator_id": PATTERN_ID, "value": violations,
                             "threshold": visits, "strength": round(shift, 6),
                             "own_strength": round(shift, 6), "evidence": text})
    return pd.DataFrame(rows, columns=list(hits.columns)), summary


def keep_prior_where_alone(hits: pd.DataFrame, declared: dict[str, float],
                           learned: dict[str, float], borrowed: set[str]) -> pd.DataFrame:
    """Hits of properties flagged by one indicator alone carry that indicator's declared weight
    (column `weight`, read by `contributions`) when it learned less than declared, or when
    it is `borrowed` (its strength comes from other properties' evidence: `network_member`);
    their pattern's own outcomes (`pattern_hits`) move them from there.

    A learned weight is the indicator's effect beside the evidence it was inspected with:
    raids go to the fullest addresses and plans down the list, so a flat flagged by one
    indicator is seldom visited, and the model extrapolates to it. Two ways that went wrong
    on the generated 1,100,000-person city (seed 7) with its 2,245 raid outcomes: every
    inspected flat with services elsewhere was also crowded and unconsented, so the
    indicator added nothing there and was refuted (weight 3.0 -> 0: small groups living
    elsewhere, flagged by it alone, fell out of the top k, recall 0.85 -> 0.23); and network
    membership, seen only beside a member's own evidence, rose 2.0 -> 4.5 and lifted
    hundreds of bare members of owners' networks into the top k. A weight lost beside
    companions was explained away by them, and a lone flat has none; a weight gained is kept
    (on the scenario family, where outcomes raised services elsewhere, flats it flags alone
    need that: resetting them too cost scenario 8 0.598 -> 0.581)."""
    pattern = patterns(hits)
    lone = pattern[~pattern.str.contains(";", regex=False)]
    lone = lone[lone.map(lambda i: declared.get(i, 0) > 0 and (
        learned.get(i, 0) < declared[i] or (i in borrowed and learned.get(i, 0) != declared[i])))]
    out = hits.copy()
    if HIT_WEIGHT not in out:
        out[HIT_WEIGHT] = np.nan
    rows = (out["entity_type"] == "property") & out["entity_id"].astype(str).isin(
        lone.index) & out["indicator_id"].isin(set(lone))
    out.loc[rows, HIT_WEIGHT] = out.loc[rows, "indicator_id"].map(declared).astype(float)
    return out

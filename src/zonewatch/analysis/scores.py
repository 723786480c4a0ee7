"""The property-scoring step of `analyze`: evidence measured against the extract's own peers,
weights learned from inspection outcomes, and the outcomes' direct effect on the properties
inspected. Run once before the network room (whose rankings read these scores) and once
after it, with the hits that need the networks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zonewatch.engine.base import Backend
from zonewatch.indicators.settings import IndicatorSettings
from zonewatch.scoring import (
    calibrate,
    contributions,
    ranking_change,
    score_properties,
    strength_matrix,
)
from zonewatch.scoring.calibrate import outcomes_frame
from zonewatch.scoring.estimate import estimate_from_inspections
from zonewatch.scoring.outcomes import (
    OWNER_ID,
    own_outcome_hits,
    own_outcome_weights,
    owner_hits,
)
from zonewatch.scoring.patterns import PATTERN_ID, keep_prior_where_alone, pattern_hits
from zonewatch.scoring.rarity import measure, peer_groups


@dataclass
class PropertyScoring:
    """Scores properties from their hits; keeps what the second pass needs."""

    backend: Backend  # the engine holding the zw_* working tables
    base: pd.DataFrame  # property_id, registered, area_m2, norm_m2, kind, exempt
    families: dict[str, str]
    settings: IndicatorSettings
    inspections: pd.DataFrame  # every inspection known (extract and --inspections files)
    weights: dict[str, float] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    change: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.rarity = self.settings.scoring.rarity
        self.groups = peer_groups(self.base, self.rarity)
        self.rule = {"scoring": self.settings.scoring, "families": self.families}
        outcomes = outcomes_frame(self.inspections)
        known = outcomes["property_id"].isin(self.base["property_id"].astype(str).to_numpy())
        self.outcomes = outcomes[known.to_numpy()]

    def evidence(self, hits: pd.DataFrame) -> pd.DataFrame:
        """Property hits measured against their peers (other entities' hits unchanged)."""
        return measure(hits, self.groups, self.rarity)

    def first_pass(self, hits: pd.DataFrame, declared: dict[str, float]
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Scores and scored hits from the main-stage property hits (already measured):
        adds the owners' outcomes as evidence, learns the weights, applies own outcomes."""
        calibration = self.settings.calibration
        hits = without_lone_counter_evidence(hits, declared)
        flagged = set(hits.loc[hits["entity_type"] == "property", "entity_id"].astype(str))
        owner = owner_hits(self.backend, self.outcomes, flagged)
        if len(owner):
            hits = pd.concat([hits, self.evidence(owner)], ignore_index=True)
            declared = {**declared, OWNER_ID: calibration.owner_violation_weight}
        plain = score_properties(self.base, hits, declared, **self.rule)
        matrix = strength_matrix(self.base, hits, list(declared))
        self.declared, self.plain = declared, plain
        calib = calibrate(matrix, self._selection(), self.inspections, declared,
                          calibration)
        self.weights, self.summary = dict(calib.weights), calib.summary
        self.evidence_hits = hits
        return self._with_own_outcomes(hits)

    def second_pass(self, post_hits: pd.DataFrame, post_weights: dict[str, float]
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Final scores: with the hits that needed the networks (already measured), weights
        learned again over every property indicator, then the outcomes per pattern."""
        declared = {**self.declared, **post_weights}
        hits = pd.concat([self.evidence_hits, post_hits], ignore_index=True)
        matrix = strength_matrix(self.base, hits, list(declared))
        calib = calibrate(matrix, self._selection(), self.inspections, declared,
                          self.settings.calibration)
        self.weights, self.summary = dict(calib.weights), calib.summary
        if calib.used:
            plain = score_properties(self.base, hits, declared, **self.rule)
            hits = keep_prior_where_alone(hits, declared, self.weights, set(post_weights))
            tuned = score_properties(self.base, hits, self.weights, **self.rule)
            learned, self.summary["patterns"] = pattern_hits(
                hits, tuned.set_index("property_id")["score"], calib.outcomes, calib.model,
                self.settings.calibration)
            if len(learned):
                hits = pd.concat([hits, learned], ignore_index=True)
                self.weights[PATTERN_ID] = 1.0
                tuned = score_properties(self.base, hits, self.weights, **self.rule)
            self.change = ranking_change(plain, tuned)
            return self._with_own_outcomes(hits, tuned)
        return self._with_own_outcomes(hits)

    def estimate(self, scores: pd.DataFrame) -> dict[str, Any]:
        """How common fictitious registration is, from the latest plan's probability sample
        (`scoring.estimate`)."""
        ids = scores["property_id"].astype(str)
        return estimate_from_inspections(
            self.inspections, len(scores),
            registered=pd.Series(scores["registered"].to_numpy(), index=ids),
            flagged=set(ids[scores["indicators"].fillna("") != ""]))

    def _selection(self) -> pd.DataFrame:
        """What chose the visits: the uncalibrated rank, the registrant count."""
        return self.plain.set_index(self.plain["property_id"].astype(str))[["rank", "registered"]]

    def weights_used(self) -> dict[str, float]:
        """Every property weight in force, the own-outcome flags' included when they fired."""
        extra = own_outcome_weights(self.settings.calibration) if len(self.outcomes) else {}
        return {**self.weights, **extra}

    def _with_own_outcomes(self, hits: pd.DataFrame, scores: pd.DataFrame | None = None
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Scores with the outcomes' own flags; `scores` are those of `hits` under the
        current weights when the caller has them already."""
        if scores is None:
            scores = score_properties(self.base, hits, self.weights, **self.rule)
        flagged = set(scores.loc[scores["indicators"].fillna("") != "", "property_id"]
                      .astype(str))
        own = own_outcome_hits(self.backend, self.outcomes,
                               scores.set_index("property_id")["score"], flagged,
                               self.settings.calibration)
        weights = self.weights_used()
        if len(own):
            hits = pd.concat([hits, own], ignore_index=True)
            scores = score_properties(self.base, hits, weights, **self.rule)
        hits = hits.copy()
        if len(hits):
            hits["score"] = contributions(hits, weights, self.families,
                                          self.settings.scoring.family_discount)
        return scores, hits


def without_lone_counter_evidence(hits: pd.DataFrame, weights: dict[str, float]
                                  ) -> pd.DataFrame:
    """Property hits of negative-weight indicators (counter-evidence) only where some
    positive evidence fired too: a flat nothing flags needs no excuse."""
    if not len(hits):
        return hits
    prop = hits["entity_type"] == "property"
    counter = prop & (hits["indicator_id"].map(weights).fillna(0) < 0)
    flagged = set(hits.loc[prop & ~counter, "entity_id"].astype(str))
    return hits[~counter | hits["entity_id"].astype(str).isin(flagged)].reset_index(drop=True)

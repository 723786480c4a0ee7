"""Sanity check on a generated city: the ranking beats "most registrants first".

The city's planted fraud is never used to set thresholds; this only guards against a
ranking that is no better than the police baseline.
"""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from zonewatch.cli import main


def test_ranking_beats_most_registrants_first(small_city, tmp_path):
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["analyze", str(small_city / "extract"), "--out",
                                       str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ranked = pd.read_csv(out / "properties_ranked.csv", dtype={"property_id": str})
    labels = pd.read_csv(small_city / "labels" / "property_labels.csv",
                         dtype={"property_id": str})
    truth = labels.set_index("property_id")["is_fraud"].astype(str).str.lower().eq("true")
    k = int(truth.sum())
    assert k > 0
    ours = truth.reindex(ranked["property_id"].head(k)).fillna(False).mean()
    baseline = ranked.sort_values(["registered", "property_id"], ascending=[False, True])
    police = truth.reindex(baseline["property_id"].head(k)).fillna(False).mean()
    assert ours > police + 0.1, (ours, police)

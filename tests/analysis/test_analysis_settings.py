"""One settings file for the whole analysis: parsed and checked before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonewatch.analysis.settings import load_analysis_settings
from zonewatch.config import SettingsError


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_file_sets_every_room_and_the_kinship_rule_once(tmp_path: Path) -> None:
    path = _file(tmp_path, "kinship: {parent_age_gap: [16, 50]}\n"
                           "network: {flag_quantile: 0.9}\nscoring: {family_discount: 0.3}\n")
    settings = load_analysis_settings(path)
    assert settings.network.flag_quantile == 0.9
    assert settings.scoring.family_discount == 0.3
    # the SQL households and the network ties read one declaration
    assert settings.kinship.parent_age_gap == settings.network.kinship.parent_age_gap == (16, 50)
    defaults = load_analysis_settings()
    assert defaults.kinship.parent_age_gap == (15, 55)
    assert defaults.scoring.family_discount == 0.5


@pytest.mark.parametrize(("text", "message"), [
    ("network: {flag_quantle: 0.9}\n", "unknown setting network.flag_quantle"),
    ("network: {parent_age_gap: [14, 55]}\n",
     "network.parent_age_gap is now kinship.parent_age_gap"),
    ("network: {recent_days: soon}\n", "network.recent_days must be an integer"),
    ("norms: [{district: '*', m2_per_person: 0, effective_from: 2026-08-01}]\n",
     r"norms\[0\].m2_per_person must be > 0"),
    ("norms: [{m2_per_person: 15, effective_from: 2026-08-01}]\n",
     r"missing setting\(s\) \['norms\[0\].district'\]"),
])
def test_a_wrong_key_or_value_names_the_file_and_the_key(tmp_path: Path, text: str,
                                                         message: str) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(SettingsError, match=f"settings file {path}: .*{message}"):
        load_analysis_settings(path)

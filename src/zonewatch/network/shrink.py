"""Empirical-Bayes shrinkage and one-sided tests, so small samples are not ranked on luck.

A rate k/n is pulled towards its peers' rate p0 with a beta prior of strength m fitted
from how much the rates of all units really vary beyond binomial noise (method of
moments); the deviation must also pass a one-sided binomial test.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def prior_strength(k: np.ndarray, n: np.ndarray, bounds: tuple[float, float]) -> float:
    """Beta prior strength m = a + b from the spread of rates beyond binomial noise."""
    ok = n > 0
    if ok.sum() < 3:
        return float(bounds[1])
    rate = k[ok] / n[ok]
    mean = float(np.average(rate, weights=n[ok]))
    noise = float(np.mean(mean * (1 - mean) / n[ok]))
    spread = float(np.var(rate)) - noise
    if spread <= 0 or mean in (0.0, 1.0):
        return float(bounds[1])
    return float(np.clip(mean * (1 - mean) / spread - 1, *bounds))


def shrunk_rate(k: np.ndarray, n: np.ndarray, p0: np.ndarray, m: float) -> np.ndarray:
    """Posterior mean rate (k + m*p0) / (n + m)."""
    return (k + m * p0) / (n + m)


def binom_pvalue(k: np.ndarray, n: np.ndarray, p0: np.ndarray) -> np.ndarray:
    """One-sided P(X >= k) for X ~ Binomial(n, p0)."""
    p0 = np.clip(p0, 1e-9, 1 - 1e-9)
    return stats.binom.sf(k - 1, n, p0)


def leave_one_out(total_k: np.ndarray, total_n: np.ndarray, k: np.ndarray, n: np.ndarray,
                  fallback: float) -> np.ndarray:
    """The peers' rate without the unit itself; `fallback` where it has no peers."""
    rest_n = total_n - n
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(rest_n > 0, (total_k - k) / rest_n, fallback)
    return rate

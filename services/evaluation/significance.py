"""Statistics for A/B results: per-variant summaries, Welch's t-test, a seeded bootstrap, and
the sample-ratio-mismatch check. Pure functions over per-subject values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    standard_deviation: float
    ci_lower: float
    ci_upper: float


@dataclass(frozen=True)
class Comparison:
    difference: float
    relative_difference: float
    ci_lower: float
    ci_upper: float
    p_value: float
    significant: bool
    insufficient_data: bool


def summarize(values: Sequence[float], alpha: float) -> Summary:
    """Mean with a t-interval at 1 - alpha (unbounded below two values)."""
    n = len(values)
    if n == 0:
        return Summary(0, 0.0, 0.0, -math.inf, math.inf)
    data = np.asarray(values, dtype=np.float64)
    mean = float(data.mean())
    if n < 2:
        return Summary(n, mean, 0.0, -math.inf, math.inf)
    sd = float(data.std(ddof=1))
    half = float(stats.t.ppf(1 - alpha / 2, n - 1)) * sd / math.sqrt(n)
    return Summary(n, mean, sd, mean - half, mean + half)


def _insufficient(difference: float, relative: float) -> Comparison:
    return Comparison(difference, relative, -math.inf, math.inf, 1.0, False, True)


def _relative(difference: float, control_mean: float) -> float:
    return difference / abs(control_mean) if control_mean else 0.0


def welch(control: Sequence[float], treatment: Sequence[float], alpha: float) -> Comparison:
    """Welch's unequal-variance t-test of treatment mean minus control mean."""
    c = np.asarray(control, dtype=np.float64)
    t = np.asarray(treatment, dtype=np.float64)
    if len(c) < 2 or len(t) < 2:
        diff = float(t.mean() - c.mean()) if len(c) and len(t) else 0.0
        return _insufficient(diff, _relative(diff, float(c.mean()) if len(c) else 0.0))
    diff = float(t.mean() - c.mean())
    vc, vt = float(c.var(ddof=1)) / len(c), float(t.var(ddof=1)) / len(t)
    se = math.sqrt(vc + vt)
    if se == 0.0:
        # No variance in either arm: the difference is exact.
        p = 1.0 if diff == 0.0 else 0.0
        return Comparison(diff, _relative(diff, float(c.mean())), diff, diff, p, p < alpha, False)
    df = (vc + vt) ** 2 / (vc**2 / (len(c) - 1) + vt**2 / (len(t) - 1))
    statistic = diff / se
    p = float(2 * stats.t.sf(abs(statistic), df))
    half = float(stats.t.ppf(1 - alpha / 2, df)) * se
    return Comparison(
        diff, _relative(diff, float(c.mean())), diff - half, diff + half, p, p < alpha, False
    )


def bootstrap(
    control: Sequence[float],
    treatment: Sequence[float],
    alpha: float,
    resamples: int,
    seed: int,
) -> Comparison:
    """Percentile bootstrap of the difference of means, resampling subjects in each arm.

    The p-value tests "no difference" by shifting the bootstrap distribution to 0: the
    share of resampled differences at least as far from the observed one as the observed
    one is from 0 (with the +1 correction, so it is never exactly 0). The RNG is seeded:
    the same data give the same answer.
    """
    c = np.asarray(control, dtype=np.float64)
    t = np.asarray(treatment, dtype=np.float64)
    if len(c) < 2 or len(t) < 2:
        diff = float(t.mean() - c.mean()) if len(c) and len(t) else 0.0
        return _insufficient(diff, _relative(diff, float(c.mean()) if len(c) else 0.0))
    diff = float(t.mean() - c.mean())
    rng = np.random.default_rng(seed)
    # Resample in blocks to bound memory (resamples x n floats).
    block = max(1, 2_000_000 // max(len(c), len(t)))
    diffs = np.empty(resamples, dtype=np.float64)
    for start in range(0, resamples, block):
        size = min(block, resamples - start)
        rc = c[rng.integers(0, len(c), size=(size, len(c)))].mean(axis=1)
        rt = t[rng.integers(0, len(t), size=(size, len(t)))].mean(axis=1)
        diffs[start : start + size] = rt - rc
    lower, upper = np.quantile(diffs, [alpha / 2, 1 - alpha / 2])
    extreme = int(np.count_nonzero(np.abs(diffs - diff) >= abs(diff)))
    p = min(1.0, (extreme + 1) / (resamples + 1))
    return Comparison(
        diff, _relative(diff, float(c.mean())), float(lower), float(upper), p, p < alpha, False
    )


def sample_ratio_p_value(
    counts: Sequence[int], weights: Sequence[int], minimum: int = 100
) -> float:
    """Chi-square goodness of fit of enrolled counts to the traffic weights; 1 below ``minimum``."""
    total = sum(counts)
    if total < minimum:
        return 1.0
    expected = [total * w / sum(weights) for w in weights]
    return float(stats.chisquare(counts, expected).pvalue)

"""Significance tests: a seeded A/A test is not called a win; a real effect is."""

from __future__ import annotations

import math

import numpy as np
import pytest

from services.evaluation.significance import bootstrap, sample_ratio_p_value, summarize, welch


def arms(seed: int, n: int, shift: float) -> tuple[list[float], list[float]]:
    rng = np.random.default_rng(seed)
    control = rng.normal(0.6, 0.2, n)
    treatment = rng.normal(0.6 + shift, 0.2, n)
    return control.tolist(), treatment.tolist()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aa_test_finds_no_significant_difference(seed: int) -> None:
    control, treatment = arms(seed, 400, 0.0)
    for result in (
        welch(control, treatment, 0.05),
        bootstrap(control, treatment, 0.05, 2000, seed=7),
    ):
        assert not result.significant
        assert result.p_value > 0.05
        assert result.ci_lower < 0 < result.ci_upper


def test_aa_false_positive_rate_is_near_alpha() -> None:
    """Many seeded A/A tests: about alpha of them (not more) come out 'significant'."""
    hits = sum(welch(*arms(seed, 200, 0.0), 0.05).significant for seed in range(300))
    assert hits / 300 < 0.09


def test_a_real_difference_is_significant_with_both_tests() -> None:
    control, treatment = arms(11, 400, 0.08)
    w = welch(control, treatment, 0.05)
    b = bootstrap(control, treatment, 0.05, 2000, seed=7)
    for result in (w, b):
        assert result.significant
        assert result.ci_lower > 0
        assert result.difference == pytest.approx(np.mean(treatment) - np.mean(control))
    assert w.relative_difference == pytest.approx(w.difference / abs(np.mean(control)))
    # Welch's interval and the bootstrap's agree roughly on a normal metric.
    assert b.ci_lower == pytest.approx(w.ci_lower, abs=0.01)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    control, treatment = arms(5, 50, 0.05)
    assert bootstrap(control, treatment, 0.05, 500, seed=3) == bootstrap(
        control, treatment, 0.05, 500, seed=3
    )


def test_insufficient_data() -> None:
    for result in (welch([1.0], [0.0, 1.0], 0.05), bootstrap([], [1.0, 2.0], 0.05, 200, 1)):
        assert result.insufficient_data
        assert result.p_value == 1.0
        assert not result.significant
        assert math.isinf(result.ci_lower) and math.isinf(result.ci_upper)


def test_summary_interval_and_zero_variance() -> None:
    summary = summarize([1.0, 2.0, 3.0, 4.0], 0.05)
    assert summary.mean == 2.5
    assert summary.ci_lower < 2.5 < summary.ci_upper
    same = welch([1.0, 1.0, 1.0], [1.0, 1.0], 0.05)
    assert same.p_value == 1.0 and not same.significant


def test_sample_ratio_mismatch() -> None:
    assert sample_ratio_p_value([10, 5], [1, 1]) == 1.0  # too few subjects to judge
    assert sample_ratio_p_value([500, 510], [1, 1]) > 0.5
    assert sample_ratio_p_value([900, 100], [1, 1]) < 0.001
    assert sample_ratio_p_value([900, 100], [9, 1]) > 0.5

"""Experiment results: per-variant summaries and comparisons with the control, per metric.

The unit of analysis is the subject: each subject's values for a metric are averaged first,
so every observation in a test is independent of the others.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Sequence
from dataclasses import dataclass

from services.evaluation.experiments import ExperimentData, State
from services.evaluation.significance import (
    Comparison,
    Summary,
    bootstrap,
    sample_ratio_p_value,
    summarize,
    welch,
)
from services.runtime.errors import invalid_field

MIN_RESAMPLES = 100
MAX_RESAMPLES = 100_000


class SignificanceTest(enum.Enum):
    WELCH_T = "welch_t"
    BOOTSTRAP = "bootstrap"


@dataclass(frozen=True)
class VariantSummary:
    variant: str
    outcome_count: int
    summary: Summary


@dataclass(frozen=True)
class VariantComparison:
    variant: str
    control_variant: str
    comparison: Comparison


@dataclass(frozen=True)
class MetricResults:
    metric_name: str
    variants: list[VariantSummary]
    comparisons: list[VariantComparison]


@dataclass(frozen=True)
class Enrollment:
    variant: str
    enrolled: int
    expected_share: float
    observed_share: float


@dataclass(frozen=True)
class Results:
    experiment_id: str
    state: State
    alpha: float
    test: SignificanceTest
    metrics: list[MetricResults]
    enrollments: list[Enrollment]
    sample_ratio_mismatch_p_value: float
    compute_time: float


def check_parameters(alpha: float, resamples: int, default_resamples: int) -> tuple[float, int]:
    alpha = alpha or 0.05
    if not 0 < alpha <= 0.5:
        raise invalid_field("alpha", "must be in (0, 0.5]")
    if resamples < 0 or (resamples and not MIN_RESAMPLES <= resamples <= MAX_RESAMPLES):
        raise invalid_field(
            "bootstrap_resamples", f"must be {MIN_RESAMPLES}-{MAX_RESAMPLES} (0 = default)"
        )
    return alpha, resamples or default_resamples


def compute(
    data: ExperimentData, alpha: float, test: SignificanceTest, resamples: int, seed: int
) -> Results:
    experiment = data.experiment
    names = [v.name for v in experiment.variants]
    control = experiment.control_variant
    metrics: list[MetricResults] = []
    for metric in sorted(data.values):
        per_variant = data.values[metric]
        subject_means = {
            name: [sum(vs) / len(vs) for _, vs in sorted(per_variant[name].items())]
            for name in names
            if name in per_variant
        }
        summaries = [
            VariantSummary(
                name,
                sum(len(vs) for vs in per_variant[name].values()),
                summarize(subject_means[name], alpha),
            )
            for name in names
            if name in subject_means
        ]
        comparisons = []
        for name in names:
            if name == control:
                continue
            treated = subject_means.get(name, [])
            baseline = subject_means.get(control, [])
            if test is SignificanceTest.BOOTSTRAP:
                result = bootstrap(baseline, treated, alpha, resamples, seed)
            else:
                result = welch(baseline, treated, alpha)
            comparisons.append(VariantComparison(name, control, result))
        metrics.append(MetricResults(metric, summaries, comparisons))
    counts = [data.enrolled.get(name, 0) for name in names]
    weights = [v.traffic_weight for v in experiment.variants]
    total = sum(counts)
    enrollments = [
        Enrollment(
            name,
            count,
            weight / sum(weights),
            count / total if total else 0.0,
        )
        for name, count, weight in zip(names, counts, weights, strict=True)
    ]
    return Results(
        experiment_id=experiment.id,
        state=experiment.state,
        alpha=alpha,
        test=test,
        metrics=metrics,
        enrollments=enrollments,
        sample_ratio_mismatch_p_value=sample_ratio_p_value(counts, weights),
        compute_time=time.time(),
    )


def select_metrics(names: Sequence[str]) -> list[str]:
    for i, name in enumerate(names):
        if not name:
            raise invalid_field(f"metric_names[{i}]", "must not be empty")
    return list(names)

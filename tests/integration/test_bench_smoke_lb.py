"""`python -m bench.lb --smoke` runs end to end and its RESULT line has every key, finite.

Only that the benchmark works is checked here; its numbers are for people (a smoke run is
far too small to judge a balancing strategy).
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
KEYS = (
    "weighted_p99_ratio_max",
    "lr_p99_ratio_max",
    "rr_p99_ratio_max",
    "weighted_vs_lr_p99_worst",
    "weighted_vs_lr_rps_min",
    "failing_attempt_share",
    "failing_retry_ratio",
    "recovery_s",
    "envoy_overhead_p50_ms",
    "envoy_over_bare_p50_ms",
    "envoy_cpu_over_bare_ms",
    "envoy_overhead_at_once_p50_ms",
    "weighted_vs_lr_step_p99_worst",
)


def test_bench_lb_smoke_prints_every_result_key_finite() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.lb", "--smoke"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    last = run.stdout.strip().splitlines()[-1]
    result = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    values = dict(part.split("=", 1) for part in result.removeprefix("RESULT ").split())
    assert tuple(values) == KEYS, result
    for key, value in values.items():
        assert math.isfinite(float(value)), f"{key}={value}"
    assert last.startswith(("RESULT", "bench.lb took")), last

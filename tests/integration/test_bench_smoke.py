"""Benchmarks cannot rot: every ``bench/*`` module runs with ``--smoke`` and reports.

One case per benchmark module (every ``bench/*.py`` but the shared helpers): it runs
``python -m bench.<name> --smoke`` (tiny sizes, seconds) from the repository root and
checks the last ``RESULT key=value ...`` line: every expected key is there and every value
is a finite number inside the key's range (ratios positive, fractions in [0, 1], rates and
durations not negative). Never a timing threshold: the smoke proves the bench still runs
end to end and reports, not what it measures. A new bench needs an entry in ``EXPECTED``.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.support.processes import REPO

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

HELPERS = {"__init__", "harness", "scifact"}  # shared by the benches, not benches
BENCHES = sorted(p.stem for p in (REPO / "bench").glob("*.py") if p.stem not in HELPERS)
SMOKE_TIMEOUT_S = 600


@dataclass(frozen=True)
class Key:
    """A RESULT key (a regular expression, whole key) and the range its value must lie in."""

    pattern: str
    low: float = -math.inf
    high: float = math.inf
    positive: bool = False  # strictly above ``low`` (ratios and rates)


def ratio(pattern: str) -> Key:
    return Key(pattern, 0.0, positive=True)


def non_negative(pattern: str) -> Key:
    return Key(pattern, 0.0)


def fraction(pattern: str) -> Key:
    return Key(pattern, 0.0, 1.0)


def difference(pattern: str) -> Key:
    return Key(pattern)  # an added cost can come out negative on a noisy machine


EXPECTED: dict[str, list[Key]] = {
    "ask": [
        non_negative(rf"{name}_\d+")
        for name in ("ask_p50_ms", "ask_p99_ms", "embed_p50_ms", "retrieve_p50_ms", "client_cpu_ms")
    ],
    "autoscale": [
        non_negative("scale_out_s"),
        non_negative("scale_in_s"),
        non_negative("p99_before_ms"),
        non_negative("p99_after_ms"),
        non_negative("failed"),
    ],
    "auth": [
        ratio("envoy_p50_ratio"),
        ratio("direct_p50_ratio"),
        difference("envoy_added_p50_ms"),
    ],
    "embed": [
        ratio("torch_long_per_s"),
        ratio("best_long_per_s"),
        ratio("speedup_long"),
        ratio("speedup_short"),
        Key("ndcg_delta_dense", -1.0, 1.0),
        Key("ndcg_delta_hybrid", -1.0, 1.0),
    ],
    "freshness": [
        non_negative("idle_p95_s"),
        non_negative("loaded_p95_s"),
        non_negative("folder_bulk_p95_s"),
        non_negative("pg_p95_s"),
    ],
    "ingest": [
        ratio("mesh_chunks_per_s"),
        ratio("raw_chunks_per_s"),
        ratio("ratio"),
        ratio("bulk_chunks_per_s"),
        ratio("bulk_ratio"),
    ],
    "lb": [
        ratio("weighted_p99_ratio_max"),
        ratio("lr_p99_ratio_max"),
        ratio("rr_p99_ratio_max"),
        ratio("weighted_vs_lr_p99_worst"),
        ratio("weighted_vs_lr_rps_min"),
        fraction("failing_attempt_share"),
        non_negative("failing_retry_ratio"),
        non_negative("recovery_s"),
        difference("envoy_overhead_p50_ms"),
    ],
    "multi_modal": [
        non_negative(f"{kind}_s_per_part")
        for kind in ("png", "scanned_pdf", "text_pdf", "csv", "xlsx", "html")
    ],
    "multihop": [fraction(f"{arm}_both@{k}") for arm in ("plain", "graph") for k in (5, 10)],
    "retrieval": [
        fraction("hybrid_ndcg10"),
        fraction("hybrid_recall100"),
        fraction("baseline_ndcg10"),
        fraction("p_value"),
        non_negative("wall_s"),
    ],
    "tracing": [
        ratio("envoy_p50_ratio"),
        ratio("direct_p50_ratio"),
        difference("envoy_added_p50_ms"),
        Key("spans_exported", 1.0),  # tracing on exported something
    ],
    "upsert": [
        ratio("upsert_chunks_per_s"),
        ratio("sequential_chunks_per_s"),
        ratio(r"grpc_\d+_in_flight_chunks_per_s"),
        ratio("batch_chunks_per_s"),
    ],
}


def result_line(output: str) -> dict[str, str]:
    lines = [line for line in output.splitlines() if line.startswith("RESULT ")]
    assert lines, "no RESULT line"
    pairs = lines[-1].removeprefix("RESULT ").split()
    assert all("=" in p for p in pairs), lines[-1]
    return dict(p.split("=", 1) for p in pairs)


def test_every_bench_has_expected_keys() -> None:
    assert set(BENCHES) == set(EXPECTED), (
        f"benches without expected RESULT keys: {sorted(set(BENCHES) - set(EXPECTED))}; "
        f"expected keys for missing benches: {sorted(set(EXPECTED) - set(BENCHES))}"
    )


@pytest.mark.parametrize("bench", BENCHES)
def test_bench_smoke_reports_every_key_with_a_sane_value(bench: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{bench}", "--smoke"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
    assert done.returncode == 0, f"bench.{bench} --smoke exited {done.returncode}:\n{tail}"
    result = result_line(done.stdout)
    values: dict[str, float] = {}
    for key, raw in result.items():
        try:
            values[key] = float(raw)
        except ValueError:
            pytest.fail(f"bench.{bench}: {key}={raw} is not a number\n{tail}")
        assert math.isfinite(values[key]), f"bench.{bench}: {key}={raw}"
    for expected in EXPECTED[bench]:
        matched = [k for k in values if re.fullmatch(expected.pattern, k)]
        assert matched, f"bench.{bench}: no key {expected.pattern} in {sorted(values)}"
        for key in matched:
            value = values[key]
            above = value > expected.low if expected.positive else value >= expected.low
            assert above and value <= expected.high, (
                f"bench.{bench}: {key}={value} outside "
                f"{'(' if expected.positive else '['}{expected.low}, {expected.high}]"
            )

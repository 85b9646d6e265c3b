"""deploy/prometheus/rules: promtool's syntax check, its rule unit tests, and metric names."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.promql import (
    REPO,
    RULES,
    known_metric_names,
    metric_names,
    recorded_names,
    rule_exprs,
    rules,
)

RULE_TESTS = REPO / "deploy" / "prometheus" / "tests" / "ragmesh_test.yml"
promtool = pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool missing")
REQUIRED_ALERTS = {
    "RagHighErrorRatio",  # error ratio
    "RagHighLatencyP99",  # p99 latency
    "RagReplicaDown",  # up == 0
    "RagMeshEndpointDegraded",  # a replica DEGRADED for 5 minutes (issue 13)
    "RagIndexerFreshnessLagHigh",  # indexer freshness lag
    "RagIndexerQueueBacklog",  # queue depth
}


def promtool_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["promtool", *args], capture_output=True, text=True, check=False)


@promtool
def test_rules_pass_promtool_check() -> None:
    result = promtool_run("check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr


@promtool
def test_rule_unit_tests_pass() -> None:
    result = promtool_run("test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_required_alerts_exist_and_each_says_what_to_do() -> None:
    alerts = {rule["alert"]: rule for rule in rules() if "alert" in rule}
    assert set(alerts) >= REQUIRED_ALERTS
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in {"page", "warn"}, name
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], name


def test_every_rule_reads_metrics_that_exist() -> None:
    known = known_metric_names() | recorded_names()
    unknown = {(name, m) for name, expr in rule_exprs() for m in metric_names(expr) - known}
    assert unknown == set()


def test_metric_name_extraction_skips_functions_labels_and_keywords() -> None:
    expr = (
        'sum by (service, le) (rate(foo_bucket{code=~"a|b"}[5m])) > 1 '
        "and on (service) bar_total offset 5m unless baz:rate5m"
    )
    assert metric_names(expr) == {"foo_bucket", "bar_total", "baz:rate5m"}

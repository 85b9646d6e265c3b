"""The metric names that PromQL expressions in deploy/ (alert rules, Grafana dashboard) use."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "deploy" / "prometheus" / "rules" / "ragmesh.yml"
DASHBOARD = REPO / "deploy" / "grafana" / "ragmesh-dashboard.json"

_KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
             "group_left", "group_right", "inf", "nan"}  # fmt: skip
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENTIFIER = re.compile(r"(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?")


def metric_names(expr: str) -> set[str]:
    """Series selectors in `expr`: identifiers that are not functions, keywords or labels."""
    text = _STRINGS.sub('""', expr)
    text = _MATCHERS.sub("", text)
    text = _RANGES.sub("", text)
    text = _GROUPING.sub("", text)
    names = set()
    for match in _IDENTIFIER.finditer(text):
        name, call = match.group(1), match.group(2)
        if call or name.lower() in _KEYWORDS:
            continue
        names.add(name)
    return names


def rules() -> list[dict[str, Any]]:
    data = yaml.safe_load(RULES.read_text())
    return [rule for group in data["groups"] for rule in group["rules"]]


def recorded_names() -> set[str]:
    return {rule["record"] for rule in rules() if "record" in rule}


def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return data


def panels(board: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in board["panels"]:
        yield panel
        yield from panel.get("panels", [])  # panels inside a collapsed row


def dashboard_exprs(board: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """(panel title, expr) of every query in the dashboard."""
    board = board or dashboard()
    return [
        (panel.get("title", ""), target["expr"])
        for panel in panels(board)
        for target in panel.get("targets", [])
        if "expr" in target
    ]


def rule_exprs() -> list[tuple[str, str]]:
    return [(rule.get("alert") or rule["record"], rule["expr"]) for rule in rules()]


# Envoy's names as /stats/prometheus spells them (checked against a running Envoy by
# tests/integration/test_prometheus_mesh.py).
ENVOY_METRICS = frozenset({
    "envoy_cluster_upstream_rq_total", "envoy_cluster_upstream_rq_time_bucket",
    "envoy_cluster_upstream_rq_retry", "envoy_cluster_upstream_rq_timeout",
    "envoy_cluster_membership_healthy", "envoy_cluster_membership_total",
})  # fmt: skip
# Being added to services/indexer by another engineer; names agreed in issue 8.
INDEXER_METRICS = frozenset({
    "rag_indexer_queue_depth", "rag_indexer_freshness_lag_seconds_bucket",
    "rag_indexer_freshness_lag_seconds_sum", "rag_indexer_freshness_lag_seconds_count",
    "rag_indexer_source_lag_bytes", "rag_indexer_source_errors_total",
    "rag_indexer_source_events_total",
})  # fmt: skip
# Prometheus' own series.
PROMETHEUS_METRICS = frozenset({"up", "ALERTS"})

_SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "gauge": ("",),
    "summary": ("", "_sum", "_count"),
}


def exported_names(registry: Any) -> set[str]:
    """Series names a prometheus_client registry exports, with or without samples yet."""
    names: set[str] = set()
    for family in registry.collect():
        names.update(family.name + suffix for suffix in _SUFFIXES.get(family.type, ("",)))
    return names


def known_metric_names() -> set[str]:
    """Every metric the mesh exports: the services' registry (with the modules that define
    domain metrics imported), the control plane's, Envoy's, the indexer's, Prometheus'."""
    import importlib

    from prometheus_client import REGISTRY

    from mesh.metrics import ControlPlaneMetrics

    for module in ("services.runtime.metrics", "services.vector_store.core"):
        importlib.import_module(module)
    names = exported_names(REGISTRY) | exported_names(ControlPlaneMetrics().registry)
    return names | ENVOY_METRICS | INDEXER_METRICS | PROMETHEUS_METRICS

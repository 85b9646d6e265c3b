"""deploy/grafana: the dashboard loads and every query reads metrics that exist."""

from __future__ import annotations

from tests.support.promql import (
    dashboard,
    dashboard_exprs,
    known_metric_names,
    metric_names,
    panels,
    recorded_names,
)


def test_dashboard_is_importable_grafana_json() -> None:
    board = dashboard()
    assert board["uid"] and board["title"]
    ids = [panel["id"] for panel in panels(board)]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    variables = {v["name"] for v in board["templating"]["list"]}
    assert {"datasource", "service"} <= variables
    for panel in panels(board):
        if panel["type"] == "row":
            continue
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]


def test_panels_do_not_overlap() -> None:
    cells: dict[tuple[int, int], str] = {}
    for panel in panels(dashboard()):
        pos = panel["gridPos"]
        assert pos["x"] + pos["w"] <= 24, panel["title"]
        for x in range(pos["x"], pos["x"] + pos["w"]):
            for y in range(pos["y"], pos["y"] + pos["h"]):
                assert (x, y) not in cells, f"{panel['title']} overlaps {cells[(x, y)]}"
                cells[(x, y)] = panel["title"]


def test_every_query_reads_metrics_that_exist() -> None:
    known = known_metric_names() | recorded_names()
    unknown = {(title, m) for title, expr in dashboard_exprs() for m in metric_names(expr) - known}
    assert unknown == set()


def test_dashboard_covers_the_mesh_and_the_pipeline() -> None:
    used = set().union(*(metric_names(expr) for _, expr in dashboard_exprs()))
    assert {
        "rag_requests_total",  # request rate, error ratio
        "rag_request_duration_seconds_bucket",  # p50 / p99
        "envoy_cluster_upstream_rq_total",  # Envoy upstream requests
        "ragmesh_endpoint_weight",  # pushed weights
        "rag_indexer_queue_depth",
        "rag_indexer_freshness_lag_seconds_bucket",
    } <= used

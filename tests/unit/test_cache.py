"""Snapshot versions and consistency; the per-node cache."""

from __future__ import annotations

import pytest

from mesh.xds.cache import (
    ANY_NODE,
    CLUSTER_TYPE,
    ENDPOINT_TYPE,
    LISTENER_TYPE,
    Snapshot,
    SnapshotCache,
)
from mesh.xds.resources import MeshSettings, build_resources

from .xds_fixtures import SMALL, small_registry, snapshot


def test_versions_follow_content_per_type() -> None:
    registry = small_registry()
    first = snapshot(registry)
    same = snapshot(registry, previous=first)
    assert {t: same.version(t) for t in same.resources} == {
        t: first.version(t) for t in first.resources
    }
    reweighted = snapshot(registry, {"embedding-1": 7}, previous=first)
    assert reweighted.version(ENDPOINT_TYPE) != first.version(ENDPOINT_TYPE)
    assert reweighted.version(ENDPOINT_TYPE).startswith("2-")
    assert reweighted.version(CLUSTER_TYPE) == first.version(CLUSTER_TYPE)
    assert reweighted.version(LISTENER_TYPE) == first.version(LISTENER_TYPE)


def test_resources_are_named() -> None:
    snap = snapshot(small_registry())
    assert set(snap.items(CLUSTER_TYPE)) == {"embedding", "rag"}
    assert set(snap.items(ENDPOINT_TYPE)) == {"embedding", "rag"}
    assert set(snap.items(LISTENER_TYPE)) == {"ragmesh_ingress"}


def test_consistency_finds_a_cluster_without_assignment() -> None:
    registry = small_registry()
    resources = build_resources(
        SMALL, registry.endpoints(), {e.key: 1 for e in registry.endpoints()}, MeshSettings()
    )
    resources[ENDPOINT_TYPE] = [
        a
        for a in resources[ENDPOINT_TYPE]
        if a.cluster_name != "rag"  # type: ignore[attr-defined]
    ]
    problems = Snapshot.build(resources).consistent()
    assert problems == ["cluster 'rag' has no ClusterLoadAssignment 'rag'"]
    with pytest.raises(ValueError):
        SnapshotCache().set_snapshot(ANY_NODE, Snapshot.build(resources))


def test_consistency_finds_a_route_to_an_unknown_cluster() -> None:
    registry = small_registry()
    settings = MeshSettings(reflection_cluster="nowhere")
    problems = snapshot(registry, settings=settings).consistent()
    assert any("unknown cluster 'nowhere'" in p for p in problems)


async def test_cache_falls_back_to_any_node_and_wakes_watchers() -> None:
    cache = SnapshotCache()
    assert cache.get_snapshot("envoy-a") is None
    event = cache.watch()
    common = snapshot(small_registry())
    cache.set_snapshot(ANY_NODE, common)
    assert event.is_set()
    own = snapshot(small_registry(), {"rag-0": 5})
    cache.set_snapshot("envoy-b", own)
    assert cache.get_snapshot("envoy-a") is common
    assert cache.get_snapshot("envoy-b") is own
    cache.clear_snapshot("envoy-b")
    assert cache.get_snapshot("envoy-b") is common
    cache.unwatch(event)

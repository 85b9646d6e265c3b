"""Small snapshots for the cache and xDS server tests."""

from __future__ import annotations

from mesh.catalog import CATALOG
from mesh.registry import EndpointRegistry
from mesh.xds.cache import Snapshot
from mesh.xds.resources import MeshSettings, build_resources

SMALL = CATALOG.subset(["EmbeddingService", "RagService"])


def small_registry() -> EndpointRegistry:
    registry = EndpointRegistry(SMALL)
    registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    registry.register("EmbeddingService", "embedding-1", "127.0.0.1", 50052)
    registry.register("RagService", "rag-0", "127.0.0.1", 50061)
    return registry


def snapshot(
    registry: EndpointRegistry,
    weights: dict[str, int] | None = None,
    previous: Snapshot | None = None,
    settings: MeshSettings | None = None,
) -> Snapshot:
    """weights by replica id; 100 when not given."""
    weights = weights or {}
    by_key = {ep.key: weights.get(ep.replica_id, 100) for ep in registry.endpoints()}
    resources = build_resources(SMALL, registry.endpoints(), by_key, settings or MeshSettings())
    return Snapshot.build(resources, previous)

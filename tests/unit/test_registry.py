"""EndpointRegistry: membership, operator intent, change notification."""

from __future__ import annotations

import pytest

from mesh.catalog import CATALOG
from mesh.registry import EndpointKey, EndpointRegistry, Health, UnknownEndpointError


def test_register_drain_override_deregister_notify() -> None:
    registry = EndpointRegistry(CATALOG)
    changes: list[int] = []
    registry.add_listener(lambda: changes.append(registry.generation))
    ep = registry.register("rag.v1.EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    assert ep.cluster == "embedding" and ep.key == EndpointKey("embedding", "127.0.0.1:50051")
    assert registry.find(ep.key) == ep
    registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50051)  # same: no change
    assert changes == [1]
    registry.set_draining("embedding", "embedding-0", True)
    registry.set_weight_override("embedding", "embedding-0", 50)
    registry.set_health("embedding", "embedding-0", Health.SERVING)
    assert changes == [1, 2, 3, 4]
    # Re-registering (a restarted replica) keeps operator intent, resets health.
    again = registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50055)
    assert again.draining and again.weight_override == 50 and again.health is Health.UNKNOWN
    registry.deregister("embedding", "embedding-0")
    assert registry.endpoints("embedding") == []
    assert changes[-1] == registry.generation == 6


def test_invalid_registrations() -> None:
    registry = EndpointRegistry(CATALOG)
    with pytest.raises(KeyError):
        registry.register("NopeService", "x", "127.0.0.1", 1)
    with pytest.raises(ValueError):
        registry.register("EmbeddingService", "x", "localhost", 1)  # EDS needs an IP
    with pytest.raises(ValueError):
        registry.register("EmbeddingService", "x", "127.0.0.1", 0)
    registry.register("EmbeddingService", "a", "127.0.0.1", 7000)
    with pytest.raises(ValueError):
        registry.register("EmbeddingService", "b", "127.0.0.1", 7000)
    with pytest.raises(ValueError):
        registry.set_weight_override("embedding", "a", 0)
    with pytest.raises(UnknownEndpointError):
        registry.deregister("embedding", "missing")


def test_endpoints_are_listed_in_a_stable_order() -> None:
    registry = EndpointRegistry(CATALOG)
    registry.register("RagService", "rag-1", "127.0.0.1", 7002)
    registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 7003)
    registry.register("RagService", "rag-0", "127.0.0.1", 7001)
    assert [e.replica_id for e in registry.endpoints()] == ["embedding-0", "rag-0", "rag-1"]
    assert len(registry.clusters()) == len(CATALOG.services)

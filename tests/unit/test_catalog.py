"""The service catalog against the contracts (generated descriptors)."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from mesh.catalog import CATALOG, Catalog, ServiceSpec

EXPECTED = {
    "DocumentProcessorService",
    "EmbeddingService",
    "VectorStoreService",
    "QueryEnhancementService",
    "GenerationService",
    "RagService",
    "EvaluationService",
    "GraphService",
    "AgentService",
    "MultiModalService",
    "IndexerService",
    "MeshControlService",
}


def _contract_services() -> dict[str, object]:
    package = pytest.importorskip("rag.v1")
    found: dict[str, object] = {}
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.endswith("_pb2"):
            descriptor = importlib.import_module(f"rag.v1.{module.name}").DESCRIPTOR
            found.update(descriptor.services_by_name)
    return found


def test_every_service_is_in_the_catalog_once() -> None:
    assert {s.short_name for s in CATALOG} == EXPECTED
    for spec in CATALOG:
        assert spec.name == f"rag.v1.{spec.short_name}"
        assert re.fullmatch(r"[a-z][a-z_]*", spec.cluster)
        assert spec.timeout_s > 0


def test_the_catalog_matches_the_generated_contracts() -> None:
    services = _contract_services()
    if not services:
        pytest.skip("no generated rag.v1 stubs (run make generate)")
    for name, service in services.items():
        spec = CATALOG.by_name(f"rag.v1.{name}")
        methods = {m.name: m for m in service.methods}  # type: ignore[attr-defined]
        assert set(methods) == spec.methods, f"{name}: update mesh/catalog.py"
        streaming = {n for n, m in methods.items() if m.client_streaming or m.server_streaming}
        assert streaming == spec.streaming, f"{name}: streaming methods are never retried"


def test_lookups() -> None:
    assert CATALOG.by_name("EmbeddingService") is CATALOG.by_name("rag.v1.EmbeddingService")
    assert CATALOG.by_cluster("embedding").short_name == "EmbeddingService"
    assert (
        CATALOG.by_name("EmbeddingService").method_path("Embed") == "/rag.v1.EmbeddingService/Embed"
    )
    with pytest.raises(KeyError):
        CATALOG.by_name("NopeService")
    assert [s.short_name for s in CATALOG.subset(["RagService", "EmbeddingService"])] == [
        "EmbeddingService",
        "RagService",
    ]


def test_a_method_cannot_be_both_retried_and_streaming() -> None:
    with pytest.raises(ValueError):
        ServiceSpec("rag.v1.X", "x", 1.0, idempotent=frozenset({"A"}), streaming=frozenset({"A"}))
    with pytest.raises(ValueError):
        Catalog((ServiceSpec("rag.v1.X", "x", 1.0), ServiceSpec("rag.v1.Y", "x", 1.0)))


def test_the_readme_lists_the_catalog() -> None:
    # The catalogue is the one list of services: the README's table names each service once
    # with the package `ragmesh up` runs it from (mesh/ for the control plane's own).
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = re.findall(r"^\| `(rag\.v1\.\w+)` \|.*\| `([\w/]+)` \|$", readme, re.MULTILINE)
    assert sorted(name for name, _ in rows) == sorted(s.name for s in CATALOG)
    for name, package in rows:
        module = CATALOG.by_name(name).module
        assert package.rstrip("/") == (module.replace(".", "/") if module else "mesh"), name

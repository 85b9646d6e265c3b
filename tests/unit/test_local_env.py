"""`ragmesh up` gives each replica what its service declares (local_env in its settings)."""

from __future__ import annotations

from pathlib import Path

from mesh.catalog import CATALOG
from mesh.local.supervisor import service_env
from services.runtime.local_run import LocalRun


def test_each_service_declares_its_own_local_environment() -> None:
    state = Path("/tmp/mesh-state")
    run = LocalRun(
        state,
        replica_index=1,
        replicas=3,
        shared_chroma=("127.0.0.1", 8123),
        watch=(Path("docs"), Path("/srv/wiki")),
        webhook_port=8089,
    )
    declared = {spec.module: service_env(spec.module, run) for spec in CATALOG.launchable()}
    assert declared == {
        "services.vector_store": {
            "RAGMESH_VECTOR_STORE_PERSIST_PATH": str(state / "chroma"),
            "RAGMESH_VECTOR_STORE_CHROMA_HOST": "127.0.0.1",
            "RAGMESH_VECTOR_STORE_CHROMA_PORT": "8123",
        },
        "services.graph": {"RAGMESH_GRAPH_DATABASE_PATH": str(state / "graph.sqlite3")},
        "services.evaluation": {
            "RAGMESH_EVALUATION_DATABASE_PATH": str(state / "evaluation.sqlite3")
        },
        "services.embedding": {"RAGMESH_EMBEDDING_REPLICAS_PER_HOST": "3"},
        "services.indexer": {
            "RAGMESH_INDEXER_STATE_PATH": str(state / "indexer" / "queue.sqlite3"),
            "RAGMESH_INDEXER_WATCH_PATHS": '["docs", "/srv/wiki"]',
            "RAGMESH_INDEXER_WEBHOOK_PORT": "8089",
        },
        **{
            module: {}
            for module in (
                "services.multi_modal",
                "services.document_processor",
                "services.generation",
                "services.query_enhancement",
                "services.gateway",
                "services.agent",
            )
        },
    }


def test_one_vector_store_replica_keeps_its_embedded_store() -> None:
    run = LocalRun(Path("/s"), replica_index=0, replicas=1)
    assert service_env("services.vector_store", run) == {
        "RAGMESH_VECTOR_STORE_PERSIST_PATH": str(Path("/s") / "chroma")
    }


def test_a_module_outside_the_catalogue_declares_nothing() -> None:
    assert service_env("tests.support.probe_service", LocalRun(Path("/s"), 0, 2)) == {}

"""GraphService as a real process over gRPC: index, traverse, read, delete, error codes,
and a graph that survives a restart of the process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from rag.v1 import common_pb2, graph_pb2, graph_pb2_grpc
from tests.support.processes import ServiceProcess

Code = grpc.StatusCode
CHUNKS = [
    common_pb2.Chunk(
        id="widget#0", document_id="widget",
        text="In 2014 Widget Inc was acquired by Halvard Marine Group.",
    ),
    common_pb2.Chunk(
        id="halvard#0", document_id="halvard",
        text="Halvard Marine Group has its head office in Kvalvik.",
    ),
]  # fmt: skip
QUESTION = "In which town is the company that acquired Widget Inc headquartered?"


def start(database: Path) -> ServiceProcess:
    return ServiceProcess(
        "services.graph",
        {
            "RAGMESH_GRAPH_DATABASE_PATH": str(database),
            "RAGMESH_PORT": "0",
            "RAGMESH_METRICS_PORT": "-1",
            "RAGMESH_GRACE_PERIOD_S": "0",
            "RAGMESH_AUTH_MODE": "disabled",
        },
    ).wait_ready()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "graph.sqlite3"


@pytest.fixture
def service(database: Path) -> Iterator[ServiceProcess]:
    process = start(database)
    yield process
    process.stop()


async def expect(call: object, code: Code, field: str | None = None) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call  # type: ignore[misc]
    assert err.value.code() == code, err.value.details()
    if field is not None:
        status = rpc_status.from_call(err.value)
        assert status is not None
        violations = [
            v.field
            for d in status.details
            if d.Is(error_details_pb2.BadRequest.DESCRIPTOR)
            for v in _unpack(d).field_violations
        ]
        assert violations == [field]


def _unpack(detail: object) -> error_details_pb2.BadRequest:
    message = error_details_pb2.BadRequest()
    detail.Unpack(message)  # type: ignore[attr-defined]
    return message


async def test_index_traverse_delete_over_grpc(service: ServiceProcess, database: Path) -> None:
    async with grpc.aio.insecure_channel(service.address) as channel:
        stub = graph_pb2_grpc.GraphServiceStub(channel)
        indexed = await stub.IndexChunks(
            graph_pb2.IndexChunksRequest(chunks=CHUNKS, replace_documents=True)
        )
        assert indexed.indexed_chunk_count == 2 and indexed.new_entity_count == 3
        found = await stub.TraverseGraph(graph_pb2.TraverseGraphRequest(question=QUESTION))
        assert [e.name for e in found.seed_entities] == ["Widget Inc"]
        assert {c.document_id for c in found.supporting_chunks} == {"widget", "halvard"}
        two_hops = [p for p in found.paths if len(p.relations) == 2]
        assert [[e.name for e in p.entities] for p in two_hops] == [
            ["Widget Inc", "Halvard Marine Group", "Kvalvik"]
        ]
        assert two_hops[0].relations[0].subject_name == "Halvard Marine Group"
        assert two_hops[0].relations[0].predicate == "acquired"
        assert list(two_hops[0].relations[1].supporting_chunk_ids) == ["halvard#0"]
        entity = await stub.GetEntity(graph_pb2.GetEntityRequest(name="halvard marine group"))
        assert entity.entity.type == graph_pb2.ENTITY_TYPE_ORGANIZATION
        assert sorted(entity.entity.document_ids) == ["halvard", "widget"]
        listed = await stub.ListRelations(
            graph_pb2.ListRelationsRequest(entity_id=entity.entity.id, predicate="acquired")
        )
        assert [r.object_name for r in listed.relations] == ["Widget Inc"]
        extracted = await stub.ExtractEntities(graph_pb2.ExtractEntitiesRequest(text=QUESTION))
        assert [m.text for m in extracted.mentions] == ["Widget Inc"]
        deleted = await stub.DeleteDocumentGraph(
            graph_pb2.DeleteDocumentGraphRequest(document_id="halvard")
        )
        assert deleted.removed_entity_count == 1  # Kvalvik
        found = await stub.TraverseGraph(graph_pb2.TraverseGraphRequest(question=QUESTION))
        assert {c.document_id for c in found.supporting_chunks} == {"widget"}
    service.stop()
    restarted = start(database)
    try:
        async with grpc.aio.insecure_channel(restarted.address) as channel:
            stub = graph_pb2_grpc.GraphServiceStub(channel)
            page = await stub.ListEntities(graph_pb2.ListEntitiesRequest())
            assert [e.name for e in page.entities] == ["Halvard Marine Group", "Widget Inc"]
    finally:
        restarted.stop()


async def test_error_codes(service: ServiceProcess) -> None:
    async with grpc.aio.insecure_channel(service.address) as channel:
        stub = graph_pb2_grpc.GraphServiceStub(channel)
        await expect(
            stub.IndexChunks(graph_pb2.IndexChunksRequest()), Code.INVALID_ARGUMENT, "chunks"
        )
        await expect(
            stub.IndexChunks(
                graph_pb2.IndexChunksRequest(chunks=[common_pb2.Chunk(id="c", document_id="d")])
            ),
            Code.INVALID_ARGUMENT,
            "chunks[0].text",
        )
        await expect(stub.TraverseGraph(graph_pb2.TraverseGraphRequest()), Code.INVALID_ARGUMENT)
        await expect(
            stub.TraverseGraph(graph_pb2.TraverseGraphRequest(question="Who?", max_hops=5)),
            Code.INVALID_ARGUMENT,
            "max_hops",
        )
        await expect(stub.GetEntity(graph_pb2.GetEntityRequest(name="Nobody")), Code.NOT_FOUND)
        await expect(
            stub.ListEntities(graph_pb2.ListEntitiesRequest(page_token="junk")),
            Code.INVALID_ARGUMENT,
            "page_token",
        )
        await expect(
            stub.DeleteDocumentGraph(graph_pb2.DeleteDocumentGraphRequest()),
            Code.INVALID_ARGUMENT,
            "document_id",
        )

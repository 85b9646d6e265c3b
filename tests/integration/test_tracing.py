"""Distributed tracing for real: a mesh (supervisor, control plane, Envoy, replicas) that
exports OTLP/gRPC to a test collector.

One Ask through Envoy must give one trace: Envoy's spans and the gateway's, embedding's,
vector store's and generation's server spans, all with the same trace id and linked
parent -> child into a single tree; the gateway's log lines for it carry the trace id.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import pytest_asyncio

from mesh.local.supervisor import SERVICES, Supervisor, UpSettings
from rag.v1 import common_pb2, mesh_control_pb2, mesh_control_pb2_grpc, rag_pb2, rag_pb2_grpc
from ragmesh.cli import SAMPLE_CORPUS, content_type
from tests.support.otlp_collector import CollectedSpan, TestTraceCollector
from tests.support.processes import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

# What an Ask needs, and nothing else (the machine is small): no graph, no answer scoring.
ASK_SERVICES = {
    "rag.v1.EmbeddingService",
    "rag.v1.DocumentProcessorService",
    "rag.v1.VectorStoreService",
    "rag.v1.GenerationService",
    "rag.v1.RagService",
}
GATEWAY_ENV = {
    "RAGMESH_GATEWAY_GRAPH_ENABLED": "false",
    "RAGMESH_GATEWAY_SCORE_ANSWERS": "false",
    # The per-call line is DEBUG: it is the gateway's log line for the Ask we look for.
    "RAGMESH_LOG_LEVEL": "DEBUG",
}
SPAN_KIND_SERVER = 2
SPAN_KIND_CLIENT = 3


@dataclass
class TracedMesh:
    supervisor: Supervisor
    collector: TestTraceCollector


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TracedMesh]:
    collector = TestTraceCollector().start()
    launches = [
        s if s.service != "rag.v1.RagService" else type(s)(s.service, s.module, GATEWAY_ENV)
        for s in SERVICES
        if s.service in ASK_SERVICES
    ]
    settings = UpSettings(
        replicas=1,
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=Path(tmp_path_factory.mktemp("traced-mesh")),
        drain_delay_s=0.0,
        services=launches,
        otlp_endpoint=collector.endpoint,
        replica_env={"RAGMESH_TRACE_EXPORT_INTERVAL_MS": "200"},
    )
    supervisor = Supervisor(settings)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        async with grpc.aio.insecure_channel(supervisor.envoy_address) as channel:
            stub = rag_pb2_grpc.RagServiceStub(channel)
            path = SAMPLE_CORPUS / "retrieval.md"
            await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(
                    document=common_pb2.Document(
                        id=path.stem, content=path.read_bytes(), content_type=content_type(path)
                    )
                ),
                timeout=120,
            )
        yield TracedMesh(supervisor, collector)
    finally:
        await supervisor.stop()
        collector.stop()


def is_complete_tree(spans: list[CollectedSpan], services: set[str]) -> bool:
    ids = {s.span_id for s in spans}
    orphans = [s for s in spans if s.parent_span_id and s.parent_span_id not in ids]
    return services <= {s.service for s in spans} and len(orphans) <= 1


def ancestors(span: CollectedSpan, by_id: dict[str, CollectedSpan]) -> list[CollectedSpan]:
    chain = []
    while span.parent_span_id in by_id:
        span = by_id[span.parent_span_id]
        chain.append(span)
    return chain


def server_span(spans: list[CollectedSpan], service: str, method: str) -> CollectedSpan:
    matches = [s for s in spans if s.service == service and s.name == f"/{service}/{method}"]
    assert matches, f"no span of {service}/{method} in {sorted({s.name for s in spans})}"
    return matches[0]


@pytest.mark.asyncio(loop_scope="module")
async def test_one_ask_through_envoy_is_one_trace_across_every_hop(mesh: TracedMesh) -> None:
    async with grpc.aio.insecure_channel(mesh.supervisor.envoy_address) as channel:
        answer = await rag_pb2_grpc.RagServiceStub(channel).Ask(
            rag_pb2.AskRequest(question="How does the vector store fuse dense and BM25 rankings?"),
            timeout=60,
        )
    assert answer.citations  # a real answer, from real retrieval

    asks = await mesh.collector.wait_for(
        lambda spans: any(s.name == "/rag.v1.RagService/Ask" and s.service != "envoy"
                          for s in spans)
    )  # fmt: skip
    [gateway] = [s for s in asks if s.name == "/rag.v1.RagService/Ask" and s.service != "envoy"]
    wanted = {"envoy", *(ASK_SERVICES - {"rag.v1.DocumentProcessorService"})}
    spans = await mesh.collector.wait_for(
        lambda spans: is_complete_tree(spans, wanted), trace_id=gateway.trace_id
    )
    by_id = {s.span_id: s for s in spans}

    # One tree: a single root, Envoy's span for the client's request; every other span's
    # parent is in the trace.
    roots = [s for s in spans if not s.parent_span_id]
    assert len(roots) == 1, roots
    [root] = roots
    assert root.service == "envoy" and root.kind == SPAN_KIND_SERVER
    assert root.name == "/rag.v1.RagService/Ask"
    assert all(s.parent_span_id in by_id for s in spans if s is not root)
    assert len(by_id) == len(spans)  # no span exported twice

    # Envoy sits on every hop: the gateway's parent is Envoy's upstream span for the call,
    # and each downstream service's span descends from the gateway's span through Envoy.
    parent = by_id[gateway.parent_span_id]
    assert parent.service == "envoy" and parent.kind == SPAN_KIND_CLIENT
    assert gateway.attributes["ragmesh.replica"] == "rag-0"
    assert gateway.attributes["rpc.grpc.status_code"] == 0
    hops = {
        "rag.v1.EmbeddingService": "Embed",
        "rag.v1.VectorStoreService": "SearchChunks",
        "rag.v1.GenerationService": "Generate",
    }
    for service, method in hops.items():
        span = server_span(spans, service, method)
        chain = ancestors(span, by_id)
        assert chain[0].service == "envoy" and chain[0].kind == SPAN_KIND_CLIENT, service
        assert chain[1].service == "envoy" and chain[1].kind == SPAN_KIND_SERVER, service
        assert chain[1].name == f"/{service}/{method}"
        assert chain[2] == gateway, service
        assert chain[-1] == root
        assert span.attributes["rpc.system"] == "grpc"
        assert span.attributes["rpc.service"] == service
        assert span.attributes["rpc.method"] == method
    # ... and so did every other call the Ask made, whichever service made it: each service's
    # server span hangs under Envoy's upstream span under Envoy's span for that same call.
    for span in spans:
        if span.service == "envoy" or span.kind != SPAN_KIND_SERVER or span is gateway:
            continue
        chain = ancestors(span, by_id)
        assert chain[0].service == "envoy" and chain[0].kind == SPAN_KIND_CLIENT, span.name
        assert chain[1].service == "envoy" and chain[1].kind == SPAN_KIND_SERVER, span.name
        assert chain[1].name == span.name

    # The gateway's log lines for this request carry its trace id (and its span id).
    log_path = mesh.supervisor.logs / "rag-0.log"
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    mine = [e for e in lines if e.get("trace_id") == gateway.trace_id]
    assert mine, f"no gateway log line with trace_id {gateway.trace_id}"
    assert any(e.get("span_id") == gateway.span_id for e in mine)
    assert all(e.get("replica") == "rag-0" for e in mine)


def entry_spans(spans: list[CollectedSpan], client_span: str) -> list[CollectedSpan]:
    """Envoy's spans for requests of the client's span."""
    return [s for s in spans if s.service == "envoy" and s.parent_span_id == client_span]


@pytest.mark.asyncio(loop_scope="module")
async def test_envoy_continues_a_trace_the_client_started(mesh: TracedMesh) -> None:
    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    metadata = (("traceparent", f"00-{trace_id}-{client_span}-01"),)
    async with grpc.aio.insecure_channel(mesh.supervisor.envoy_address) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await rag_pb2_grpc.RagServiceStub(channel).GetDocument(
                rag_pb2.GetDocumentRequest(document_id="no-such-document"),
                metadata=metadata,
                timeout=30,
            )
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
        # The control plane serves MeshControlService through Envoy too, and traces it.
        await mesh_control_pb2_grpc.MeshControlServiceStub(channel).ListEndpoints(
            mesh_control_pb2.ListEndpointsRequest(), metadata=metadata, timeout=30
        )
    spans = await mesh.collector.wait_for(
        lambda spans: (
            {"rag.v1.RagService", "rag.v1.MeshControlService"} <= {s.service for s in spans}
            and len(entry_spans(spans, client_span)) == 2
        ),
        trace_id=trace_id,
    )
    entries = entry_spans(spans, client_span)
    assert {s.name for s in entries} == {
        "/rag.v1.RagService/GetDocument",
        "/rag.v1.MeshControlService/ListEndpoints",
    }
    get = server_span(spans, "rag.v1.RagService", "GetDocument")
    # A caller's mistake is recorded, but is not the server's error.
    assert get.attributes["rpc.grpc.status_code"] == grpc.StatusCode.NOT_FOUND.value[0]
    assert get.status_code != 2  # STATUS_CODE_ERROR
    control = server_span(spans, "rag.v1.MeshControlService", "ListEndpoints")
    assert control.attributes["ragmesh.replica"] == "control-plane"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_streamed_answer_is_traced_like_a_unary_one(mesh: TracedMesh) -> None:
    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    async with grpc.aio.insecure_channel(mesh.supervisor.envoy_address) as channel:
        events = [
            e
            async for e in rag_pb2_grpc.RagServiceStub(channel).AskStream(
                rag_pb2.AskStreamRequest(question="What does reciprocal rank fusion combine?"),
                metadata=(("traceparent", f"00-{trace_id}-{client_span}-01"),),
                timeout=60,
            )
        ]
    assert events and events[-1].WhichOneof("event") == "summary"
    spans = await mesh.collector.wait_for(
        lambda spans: (
            any(s.name == "/rag.v1.GenerationService/GenerateStream" for s in spans)
            and is_complete_tree(spans, {"envoy", "rag.v1.RagService"})
        ),
        trace_id=trace_id,
    )
    by_id = {s.span_id: s for s in spans}
    gateway = server_span(spans, "rag.v1.RagService", "AskStream")
    generation = server_span(spans, "rag.v1.GenerationService", "GenerateStream")
    assert gateway in ancestors(generation, by_id)
    assert ancestors(gateway, by_id)[-1].parent_span_id == client_span
    # The span context was detached where it was attached, streams included.
    assert "Failed to detach context" not in (mesh.supervisor.logs / "rag-0.log").read_text()

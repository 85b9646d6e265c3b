"""The whole mesh for real: supervisor, control plane, Envoy and one replica per service.

Ingest the sample corpus through Envoy, ask, and check the answer, its citations, that
every hop between services went through Envoy (each replica served exactly the requests
Envoy sent to its cluster), and that reflection works through it.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
import pytest_asyncio

from mesh.catalog import CATALOG
from mesh.local.supervisor import Supervisor, UpSettings
from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from ragmesh.cli import SAMPLE_CORPUS, content_type
from tests.support.processes import REPO, free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Supervisor]:
    settings = UpSettings(
        replicas=1,
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=Path(tmp_path_factory.mktemp("mesh")),
        drain_delay_s=0.0,
    )
    supervisor = Supervisor(settings)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()


def stats(supervisor: Supervisor) -> dict[str, int]:
    with urllib.request.urlopen(f"{supervisor.admin_url}/stats", timeout=5) as response:
        lines = response.read().decode().splitlines()
    out = {}
    for line in lines:
        name, _, value = line.partition(": ")
        if value.strip().isdigit():
            out[name] = int(value)
    return out


def served(mesh: Supervisor, service: str) -> int:
    """rag.v1 requests the replicas of ``service`` handled (their rag_requests_total)."""
    total = 0.0
    for replica in mesh.replicas:
        if replica.launch.service != service:
            continue
        url = f"http://127.0.0.1:{replica.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
        for labels, value in re.findall(r"^rag_requests_total\{([^}]*)\} (\S+)$", text, re.M):
            if f'service="{service}"' in labels:
                total += float(value)
    return int(total)


def hops(mesh: Supervisor) -> dict[str, tuple[int, int]]:
    """Per cluster: (requests Envoy sent to it, requests its replicas served)."""
    counters = stats(mesh)
    services = {r.launch.service for r in mesh.replicas}
    return {
        CATALOG.by_name(s).cluster: (
            counters.get(f"cluster.{CATALOG.by_name(s).cluster}.upstream_rq_total", 0),
            served(mesh, s),
        )
        for s in sorted(services)
    }


@pytest.mark.asyncio(loop_scope="module")
async def test_ingest_then_ask_answers_with_citations_through_envoy(mesh: Supervisor) -> None:
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        for path in sorted(SAMPLE_CORPUS.glob("*.md")):
            response = await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(
                    document=common_pb2.Document(
                        id=path.stem, content=path.read_bytes(), content_type=content_type(path)
                    )
                ),
                timeout=60,
            )
            assert response.result.chunk_count > 0
        again = await stub.IngestDocument(
            rag_pb2.IngestDocumentRequest(
                document=common_pb2.Document(
                    id="security",
                    content=(SAMPLE_CORPUS / "security.md").read_bytes(),
                    content_type="text/markdown",
                )
            ),
            timeout=60,
        )
        assert again.result.unchanged
        answer = await stub.Ask(
            rag_pb2.AskRequest(question="How does the vector store fuse dense and BM25 rankings?"),
            timeout=30,
        )
    assert "reciprocal rank fusion" in answer.answer.lower()
    assert answer.citations and answer.citations[0].document_id == "retrieval"
    assert {t.stage for t in answer.timings} >= {"embed", "retrieve", "generate"}
    # Every hop went through Envoy: each replica served exactly what Envoy sent its cluster
    # (a call that bypassed Envoy would make a replica count more). Background work (answer
    # scoring) may still be in flight, so the two settle within a few seconds.
    deadline = time.monotonic() + 15
    while (counts := hops(mesh)) and time.monotonic() < deadline:
        if all(sent == got for sent, got in counts.values()):
            break
        await asyncio.sleep(0.5)
    assert all(sent == got for sent, got in counts.values()), counts
    # ... and the gateway reached each service the Ask needs.
    for cluster in ("rag", "document_processor", "embedding", "vector_store", "generation"):
        assert counts[cluster][0] > 0, cluster


@pytest.mark.asyncio(loop_scope="module")
async def test_ask_stream_through_envoy(mesh: Supervisor) -> None:
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        events = [
            e
            async for e in stub.AskStream(
                rag_pb2.AskStreamRequest(question="What happens when a replica crashes?"),
                timeout=30,
            )
        ]
    kinds = [e.WhichOneof("event") for e in events]
    assert kinds[0] == "stage_event" and kinds[-1] == "summary"
    text = "".join(e.answer_delta for e in events if e.WhichOneof("event") == "answer_delta")
    assert "restart" in text.lower()


@pytest.mark.asyncio(loop_scope="module")
async def test_bad_input_through_envoy_keeps_its_status(mesh: Supervisor) -> None:
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.Ask(rag_pb2.AskRequest(question=""), timeout=10)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetDocument(rag_pb2.GetDocumentRequest(document_id="nope"), timeout=10)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.skipif(
    not (shutil.which("grpcurl") or (REPO / ".venv/bin/grpcurl").exists()), reason="make setup"
)
async def test_grpcurl_through_envoy_sees_every_contract(mesh: Supervisor) -> None:
    grpcurl = shutil.which("grpcurl") or str(REPO / ".venv/bin/grpcurl")
    proc = await asyncio.create_subprocess_exec(
        grpcurl, "-plaintext", mesh.envoy_address, "list",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 30)
    listed = set(out.decode().split())
    assert proc.returncode == 0, out.decode()
    contracts = {
        f"rag.v1.{name}"
        for proto in (REPO / "protos" / "rag" / "v1").glob("*.proto")
        for name in re.findall(r"^service (\w+)", proto.read_text(), re.M)
    }
    assert "rag.v1.MeshControlService" in contracts and len(contracts) > 10
    assert contracts <= listed, sorted(contracts - listed)


@pytest.mark.asyncio(loop_scope="module")
async def test_mesh_control_through_envoy_lists_drains_and_pins(mesh: Supervisor) -> None:
    from rag.v1 import mesh_control_pb2, mesh_control_pb2_grpc

    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(channel)
        listed = await stub.ListEndpoints(mesh_control_pb2.ListEndpointsRequest(), timeout=10)
        services = {e.service_name for e in listed.endpoints}
        assert {
            "rag.v1.RagService",
            "rag.v1.EmbeddingService",
            "rag.v1.MeshControlService",
        } <= services
        assert all(e.current_weight >= 1 for e in listed.endpoints)
        page = await stub.ListEndpoints(
            mesh_control_pb2.ListEndpointsRequest(page_size=2), timeout=10
        )
        assert len(page.endpoints) == 2 and page.next_page_token
        embedding = next(e for e in listed.endpoints if e.service_name == "rag.v1.EmbeddingService")
        # The only embedding replica: draining it needs force.
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.DrainEndpoint(
                mesh_control_pb2.DrainEndpointRequest(replica_id=embedding.replica_id), timeout=10
            )
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        pinned = await stub.SetWeightOverride(
            mesh_control_pb2.SetWeightOverrideRequest(replica_id=embedding.replica_id, weight=7),
            timeout=10,
        )
        assert pinned.endpoint.weight_override == 7 and pinned.endpoint.current_weight == 7
        cleared = await stub.ClearWeightOverride(
            mesh_control_pb2.ClearWeightOverrideRequest(replica_id=embedding.replica_id), timeout=10
        )
        assert cleared.endpoint.weight_override == 0
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetEndpoint(
                mesh_control_pb2.GetEndpointRequest(replica_id="nope"), timeout=10
            )
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
        status = await stub.GetMeshStatus(mesh_control_pb2.GetMeshStatusRequest(), timeout=10)
        assert status.nodes and status.endpoint_count == len(listed.endpoints)


@pytest.mark.asyncio(loop_scope="module")
async def test_ragmesh_status_prints_every_replica(mesh: Supervisor) -> None:
    import sys

    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ragmesh", "status", "--address", mesh.envoy_address,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=REPO,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    text = out.decode()
    assert proc.returncode == 0, text
    assert text.splitlines()[0].split() == [
        "SERVICE",
        "REPLICA",
        "ADDRESS",
        "HEALTH",
        "STATE",
        "LATENCY",
        "ERRORS",
        "WEIGHT",
        "WHY",
    ]
    rows = {(row[0], row[1]): row[3] for row in map(str.split, text.splitlines()[1:]) if row}
    for replica in mesh.replicas:
        key = (replica.launch.service.removeprefix("rag.v1."), replica.replica_id)
        assert rows.get(key) == "SERVING", (key, text)


async def _search_texts(channel: grpc.aio.Channel, query: str) -> list[str]:
    from rag.v1 import vector_store_pb2, vector_store_pb2_grpc

    store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
    response = await store.SearchChunks(
        vector_store_pb2.SearchChunksRequest(
            query=query,
            options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD, top_k=20),
        ),
        timeout=10,
    )
    return [s.chunk.text for s in response.scored_chunks]


@pytest.mark.asyncio(loop_scope="module")
async def test_reingesting_a_changed_document_leaves_no_stale_chunk(mesh: Supervisor) -> None:
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)

        async def ingest(text: str) -> rag_pb2.IngestResult:
            response = await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(
                    document=common_pb2.Document(id="zoo", content=text.encode())
                ),
                timeout=60,
            )
            return response.result

        first = await ingest("The zoo keeps a zebra named Quagga. " * 40)
        assert first.chunk_count > 1
        assert any("zebra" in t for t in await _search_texts(channel, "zebra Quagga"))
        second = await ingest("The zoo now keeps a giraffe named Tallulah.")
        assert not second.unchanged and second.chunk_count == 1
        assert not any("zebra" in t for t in await _search_texts(channel, "zebra Quagga"))
        assert any("giraffe" in t for t in await _search_texts(channel, "giraffe Tallulah"))
        deleted = await stub.DeleteDocument(
            rag_pb2.DeleteDocumentRequest(document_id="zoo"), timeout=10
        )
        assert deleted.deleted_chunk_count == 1
        assert not any("giraffe" in t for t in await _search_texts(channel, "giraffe Tallulah"))
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.DeleteDocument(rag_pb2.DeleteDocumentRequest(document_id="zoo"), timeout=10)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.asyncio(loop_scope="module")
async def test_gateway_bad_input_batches_and_streams(mesh: Supervisor) -> None:
    async with grpc.aio.insecure_channel(
        mesh.envoy_address, options=[("grpc.max_send_message_length", 64 * 1024 * 1024)]
    ) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        cases = [
            (common_pb2.Document(id="e", content=b""), grpc.StatusCode.INVALID_ARGUMENT),
            (common_pb2.Document(id="bad id", content=b"x"), grpc.StatusCode.INVALID_ARGUMENT),
            (common_pb2.Document(id="enc", content=b"\xff\xfe\xfd"), grpc.StatusCode.INVALID_ARGUMENT),
            (common_pb2.Document(id="big", content=b"a" * (17 * 1024 * 1024)), grpc.StatusCode.RESOURCE_EXHAUSTED),
        ]  # fmt: skip
        for document, code in cases:
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.IngestDocument(
                    rag_pb2.IngestDocumentRequest(document=document), timeout=30
                )
            assert err.value.code() == code, document.id
        batch = await stub.BatchIngestDocuments(
            rag_pb2.BatchIngestDocumentsRequest(
                documents=[
                    common_pb2.Document(id="ok-1", content=b"A fine document about otters."),
                    common_pb2.Document(id="bad-1", content=b"\xff\xfe"),
                ]
            ),
            timeout=60,
        )
        outcomes = {r.document_id: r.WhichOneof("outcome") for r in batch.results}
        assert outcomes == {"ok-1": "result", "bad-1": "error"}
        assert batch.results[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]

        async def pieces() -> AsyncIterator[rag_pb2.IngestDocumentStreamRequest]:
            body = b"Streamed documents arrive in pieces about beavers. " * 50
            yield rag_pb2.IngestDocumentStreamRequest(
                header=rag_pb2.IngestDocumentStreamHeader(
                    document=common_pb2.Document(id="streamed"), content_length=len(body)
                )
            )
            for start in range(0, len(body), 1000):
                yield rag_pb2.IngestDocumentStreamRequest(content_piece=body[start : start + 1000])

        streamed = await stub.IngestDocumentStream(pieces(), timeout=60)
        assert streamed.result.document_id == "streamed" and streamed.result.chunk_count >= 2

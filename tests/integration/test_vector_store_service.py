"""VectorStoreService over real gRPC: contract codes, token groups, query embedding through
EmbeddingService, and two replicas sharing one real `chroma run` server."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import grpc
import numpy as np
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from rag.v1 import common_pb2, embedding_pb2_grpc, vector_store_pb2, vector_store_pb2_grpc
from services.embedding.core import EmbeddingModel, MicroBatcher, SentenceEncoder
from services.embedding.servicer import EmbeddingServicer
from services.runtime.server import ServiceBinding, ServiceHost, create_server
from services.runtime.settings import RuntimeSettings
from services.vector_store.__main__ import binding
from services.vector_store.core import ChunkStore, QueryEmbedder, VectorStore, open_client
from services.vector_store.query_embedding import EmbeddingServiceEmbedder
from services.vector_store.settings import VectorStoreSettings
from tests.support.local_issuer import LocalIssuer
from tests.support.processes import REPO, free_port, wait_until

RUNTIME = RuntimeSettings(port=0, metrics_port=-1, grace_period_s=0)
HASH = hashlib.sha256(b"content").hexdigest()
DIMS = 4
Code = grpc.StatusCode
Stub = vector_store_pb2_grpc.VectorStoreServiceStub


def unit(*values: float) -> list[float]:
    v = np.asarray(values, dtype=np.float32)
    return (v / np.linalg.norm(v)).tolist()  # type: ignore[no-any-return]


def upsert_request(
    doc: str, *texts: str, groups: Sequence[str] = (), vectors: Sequence[Sequence[float]] = ()
) -> vector_store_pb2.UpsertDocumentRequest:
    return vector_store_pb2.UpsertDocumentRequest(
        document=common_pb2.Document(
            id=doc, title=doc.title(), content_hash=HASH, access_groups=list(groups)
        ),
        chunks=[
            vector_store_pb2.EmbeddedChunk(
                chunk=common_pb2.Chunk(id=f"{doc}#{i}", position=i, text=t),
                embedding=vectors[i] if vectors else unit(1, i, 0, 0.5),
            )
            for i, t in enumerate(texts)
        ],
    )


async def serve_store(store: VectorStore) -> ServiceHost:
    host = await create_server([binding(store)], RUNTIME)
    await host.start()
    return host


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[tuple[Stub, VectorStore]]:
    settings = VectorStoreSettings(
        persist_path=str(tmp_path), dimensions=DIMS, max_chunks_per_document=5
    )  # fmt: skip
    store = VectorStore(ChunkStore(open_client(settings), settings), None)
    host = await serve_store(store)
    async with grpc.aio.insecure_channel(host.address) as channel:
        yield Stub(channel), store
    await host.stop(grace=0)
    await store.close()


async def test_happy_path_over_grpc(service: tuple[Stub, VectorStore]) -> None:
    stub, _ = service
    stored = await stub.UpsertDocument(upsert_request("guide", "nebula dust clouds", "star birth"))
    assert stored.document.chunk_count == 2 and stored.document.update_time.seconds > 0
    await stub.UpsertDocument(upsert_request("notes", "unrelated shopping list"))
    got = await stub.GetDocument(
        vector_store_pb2.VectorStoreServiceGetDocumentRequest(document_id="guide")
    )
    assert got.document.content_hash == HASH and got.document.title == "Guide"
    listed = await stub.ListDocuments(vector_store_pb2.VectorStoreServiceListDocumentsRequest())
    assert [d.id for d in listed.documents] == ["guide", "notes"]
    chunks = await stub.ListChunks(vector_store_pb2.ListChunksRequest(document_id="guide"))
    assert [c.text for c in chunks.chunks] == ["nebula dust clouds", "star birth"]
    counted = await stub.CountChunks(vector_store_pb2.CountChunksRequest())
    assert (counted.chunk_count, counted.document_count) == (3, 2)
    for mode in (common_pb2.RETRIEVAL_MODE_DENSE, common_pb2.RETRIEVAL_MODE_KEYWORD, 0):
        found = await stub.SearchChunks(
            vector_store_pb2.SearchChunksRequest(
                query="nebula", query_embedding=unit(1, 0, 0, 0.5),
                options=common_pb2.RetrievalOptions(mode=mode, top_k=1),
            )
        )  # fmt: skip
        assert [c.chunk.id for c in found.scored_chunks] == ["guide#0"]
        assert found.scored_chunks[0].rank == 1
    deleted = await stub.DeleteDocument(
        vector_store_pb2.VectorStoreServiceDeleteDocumentRequest(document_id="guide")
    )
    assert deleted.deleted_chunk_count == 2
    found = await stub.SearchChunks(
        vector_store_pb2.SearchChunksRequest(
            query="nebula",
            options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD),
        )
    )
    assert list(found.scored_chunks) == []


async def expect(call: object, code: Code, reason: str | None = None) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call  # type: ignore[misc]
    assert err.value.code() == code, err.value.details()
    if reason is not None:
        status = rpc_status.from_call(err.value)  # type: ignore[arg-type]
        assert status is not None
        info = error_details_pb2.ErrorInfo()
        assert any(d.Unpack(info) for d in status.details)
        assert info.reason == reason


async def test_bad_input_gets_the_contract_codes(service: tuple[Stub, VectorStore]) -> None:
    stub, _ = service
    vs = vector_store_pb2
    await stub.UpsertDocument(upsert_request("doc", "text"))
    await expect(stub.UpsertDocument(upsert_request("", "text")), Code.INVALID_ARGUMENT)
    with_content = upsert_request("doc", "text")
    with_content.document.content = b"raw"
    await expect(stub.UpsertDocument(with_content), Code.INVALID_ARGUMENT)
    await expect(
        stub.UpsertDocument(upsert_request("doc", "text", vectors=[[1.0, 0.0]])),
        Code.FAILED_PRECONDITION,
        "EMBEDDING_DIMENSION_MISMATCH",
    )
    other_model = upsert_request("doc", "text")
    other_model.embedding_model_id = "some/other-model"
    await expect(
        stub.UpsertDocument(other_model), Code.FAILED_PRECONDITION, "EMBEDDING_MODEL_MISMATCH"
    )
    await expect(
        stub.UpsertDocument(upsert_request("doc", *[f"t{i}" for i in range(6)])),
        Code.RESOURCE_EXHAUSTED,
    )
    await expect(
        stub.GetDocument(vs.VectorStoreServiceGetDocumentRequest(document_id="nope")),
        Code.NOT_FOUND,
    )
    await expect(stub.GetDocument(vs.VectorStoreServiceGetDocumentRequest()), Code.INVALID_ARGUMENT)
    await expect(
        stub.DeleteDocument(vs.VectorStoreServiceDeleteDocumentRequest(document_id="nope")),
        Code.NOT_FOUND,
    )
    missing_ok = await stub.DeleteDocument(
        vs.VectorStoreServiceDeleteDocumentRequest(document_id="nope", allow_missing=True)
    )
    assert missing_ok.deleted_chunk_count == 0
    await expect(stub.ListChunks(vs.ListChunksRequest(document_id="nope")), Code.NOT_FOUND)
    await expect(
        stub.ListDocuments(vs.VectorStoreServiceListDocumentsRequest(page_size=-1)),
        Code.INVALID_ARGUMENT,
    )
    await expect(
        stub.ListDocuments(vs.VectorStoreServiceListDocumentsRequest(page_token="garbage")),
        Code.INVALID_ARGUMENT,
    )
    await expect(
        stub.CountChunks(
            vs.CountChunksRequest(filters=[common_pb2.MetadataFilter(key="k", values=["v"])])
        ),
        Code.INVALID_ARGUMENT,
    )
    await expect(stub.SearchChunks(vs.SearchChunksRequest()), Code.INVALID_ARGUMENT)
    await expect(
        stub.SearchChunks(vs.SearchChunksRequest(query="x", query_embedding=[1.0, 2.0])),
        Code.INVALID_ARGUMENT,
    )
    # Dense without a vector needs EmbeddingService; this replica has none.
    await expect(
        stub.SearchChunks(
            vs.SearchChunksRequest(
                query="x", options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_DENSE)
            )
        ),
        Code.UNAVAILABLE,
    )


@pytest.fixture
async def secured(tmp_path: Path) -> AsyncIterator[tuple[Stub, LocalIssuer]]:
    """The store behind token checks, trusting a FAKE issuer (tests/support/local_issuer.py)."""
    issuer = LocalIssuer()
    settings = VectorStoreSettings(persist_path=str(tmp_path), dimensions=DIMS)
    store = VectorStore(ChunkStore(open_client(settings), settings), None)
    host = await create_server(
        [binding(store)], issuer.runtime_settings(port=0, metrics_port=-1, grace_period_s=0)
    )
    await host.start()
    async with grpc.aio.insecure_channel(host.address) as channel:
        yield Stub(channel), issuer
    await host.stop(grace=0)
    await store.close()
    issuer.close()


async def test_token_groups_limit_what_a_caller_sees(secured: tuple[Stub, LocalIssuer]) -> None:
    stub, issuer = secured
    writer = ["rag-writer", "rag-reader"]
    admin = issuer.metadata("carol", ["rag-admin", *writer], [])
    await stub.UpsertDocument(upsert_request("open", "budget overview"), metadata=admin)
    await stub.UpsertDocument(
        upsert_request("secret", "budget salaries", groups=["hr"]), metadata=admin
    )
    eng = issuer.metadata("erin", writer, ["eng", "ops"])
    hr = issuer.metadata("hal", ["rag-reader"], ["hr"])
    nobody = issuer.metadata("nina", ["rag-reader"], [])
    request = vector_store_pb2.SearchChunksRequest(
        query="budget salaries", query_embedding=unit(1, 0, 0, 0.5)
    )
    seen = await stub.SearchChunks(request, metadata=eng)
    assert [c.chunk.document_id for c in seen.scored_chunks] == ["open"]
    assert seen.dense_candidate_count == 1 and seen.keyword_candidate_count == 1
    seen_hr = await stub.SearchChunks(request, metadata=hr)
    assert {c.chunk.document_id for c in seen_hr.scored_chunks} == {"open", "secret"}
    groups = {c.chunk.document_id: list(c.chunk.access_groups) for c in seen_hr.scored_chunks}
    assert groups == {"open": [], "secret": ["hr"]}
    count = await stub.CountChunks(vector_store_pb2.CountChunksRequest(), metadata=eng)
    assert count.chunk_count == 1
    no_groups = await stub.CountChunks(vector_store_pb2.CountChunksRequest(), metadata=nobody)
    assert no_groups.chunk_count == 1  # public documents only
    everything = await stub.CountChunks(vector_store_pb2.CountChunksRequest(), metadata=admin)
    assert everything.chunk_count == 2  # admins are unrestricted
    await expect(stub.CountChunks(vector_store_pb2.CountChunksRequest()), Code.UNAUTHENTICATED)
    await expect(
        stub.UpsertDocument(upsert_request("x", "reader writes"), metadata=hr),
        Code.PERMISSION_DENIED,
    )
    await expect(
        stub.GetDocument(
            vector_store_pb2.VectorStoreServiceGetDocumentRequest(document_id="secret"),
            metadata=eng,
        ),
        Code.NOT_FOUND,
    )
    await expect(
        stub.UpsertDocument(upsert_request("secret", "overwrite"), metadata=eng),
        Code.PERMISSION_DENIED,
    )


async def test_a_writer_reaching_the_store_directly_grants_only_their_own_groups(
    secured: tuple[Stub, LocalIssuer],
) -> None:
    """The store is the authority for who may grant access (issue 18), whoever calls it:
    a writer's own groups only, no "everyone" by default, and no replacing or deleting a
    document a group they are not in reads. Refusals name the group."""
    stub, issuer = secured
    writer = ["rag-writer", "rag-reader"]
    admin = issuer.metadata("carol", ["rag-admin", *writer], [])
    erin = issuer.metadata("erin", writer, ["eng", "ops"])
    await stub.UpsertDocument(
        upsert_request("shared", "eng and hr", groups=["eng", "hr"]), metadata=admin
    )
    await stub.UpsertDocument(upsert_request("open", "for everyone"), metadata=admin)
    refused = [
        (upsert_request("plant", "finance numbers", groups=["eng", "finance"]), "'finance'"),
        (upsert_request("plant", "to everyone"), "everyone"),
        (upsert_request("shared", "mine now", groups=["eng"]), "'hr'"),
        (upsert_request("open", "mine now", groups=["eng"]), "everyone"),
    ]
    for request, named in refused:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.UpsertDocument(request, metadata=erin)
        assert err.value.code() == Code.PERMISSION_DENIED
        assert named in (err.value.details() or ""), err.value.details()
    for doc in ("shared", "open"):
        await expect(
            stub.DeleteDocument(
                vector_store_pb2.VectorStoreServiceDeleteDocumentRequest(document_id=doc),
                metadata=erin,
            ),
            Code.PERMISSION_DENIED,
            "ACCESS_GRANT_DENIED",
        )
    # Nothing refused was written; her own group is hers to give.
    await expect(
        stub.GetDocument(
            vector_store_pb2.VectorStoreServiceGetDocumentRequest(document_id="plant"),
            metadata=admin,
        ),
        Code.NOT_FOUND,
    )
    shared = await stub.GetDocument(
        vector_store_pb2.VectorStoreServiceGetDocumentRequest(document_id="shared"), metadata=admin
    )
    assert sorted(shared.document.access_groups) == ["eng", "hr"]
    await stub.UpsertDocument(upsert_request("team", "ops notes", groups=["ops"]), metadata=erin)
    await stub.DeleteDocument(
        vector_store_pb2.VectorStoreServiceDeleteDocumentRequest(document_id="team"), metadata=erin
    )


async def test_text_query_is_embedded_through_embedding_service(
    tmp_path: Path, encoder: SentenceEncoder
) -> None:
    batcher = MicroBatcher(encoder, 64, 0.001)
    model = EmbeddingModel(batcher, "sentence-transformers/all-MiniLM-L6-v2", 384, 256, 64, 16_000)
    embedding_host = await create_server(
        [ServiceBinding("rag.v1.EmbeddingService", EmbeddingServicer(model), embedding_pb2_grpc.add_EmbeddingServiceServicer_to_server)],
        RUNTIME,
    )  # fmt: skip
    await embedding_host.start()
    settings = VectorStoreSettings(persist_path=str(tmp_path))
    embedder: QueryEmbedder = EmbeddingServiceEmbedder(RUNTIME, embedding_host.address)
    store = VectorStore(ChunkStore(open_client(settings), settings), embedder)
    host = await serve_store(store)
    try:
        texts = ["The volcano erupted and lava flowed.", "Interest rates were raised by the bank."]
        vectors = [e.vector.tolist() for e in encoder.encode(texts)]
        async with grpc.aio.insecure_channel(host.address) as channel:
            stub = Stub(channel)
            for doc, text, vector in zip(("geo", "econ"), texts, vectors, strict=True):
                await stub.UpsertDocument(upsert_request(doc, text, vectors=[vector]))
            found = await stub.SearchChunks(
                vector_store_pb2.SearchChunksRequest(
                    query="magma from a mountain",
                    options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_DENSE),
                )
            )
            assert found.scored_chunks[0].chunk.document_id == "geo"
            assert found.scored_chunks[0].dense_score > 0.3
            await embedding_host.stop(grace=0)
            await expect(
                stub.SearchChunks(vector_store_pb2.SearchChunksRequest(query="magma")),
                Code.UNAVAILABLE,
            )
    finally:
        await host.stop(grace=0)
        await embedding_host.stop(grace=0)
        await store.close()
        await batcher.close()


# ---- two replicas, one real Chroma server ---------------------------------------------------


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    chroma = REPO / ".venv" / "bin" / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma CLI comes with the chromadb package (`make setup`)")
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    try:
        import chromadb
        from chromadb.config import Settings

        def ready() -> bool:
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / "chroma.log").read_text())
            try:
                client = chromadb.HttpClient(
                    host="127.0.0.1", port=port, settings=Settings(anonymized_telemetry=False)
                )
                return bool(client.heartbeat())
            except Exception:
                return False

        wait_until(ready, timeout=30, interval=0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.mark.integration
async def test_two_replicas_share_one_chroma_server(chroma_server: int) -> None:
    settings = VectorStoreSettings(
        chroma_host="127.0.0.1", chroma_port=chroma_server, dimensions=DIMS,
        collection_prefix=f"t{int(time.time())}",
    )  # fmt: skip
    replicas = [VectorStore(ChunkStore(open_client(settings), settings), None) for _ in range(2)]
    hosts = [await serve_store(r) for r in replicas]
    try:
        async with (
            grpc.aio.insecure_channel(hosts[0].address) as a_channel,
            grpc.aio.insecure_channel(hosts[1].address) as b_channel,
        ):
            a, b = Stub(a_channel), Stub(b_channel)
            await a.UpsertDocument(
                upsert_request("shared", "aurora borealis lights", "polar night")
            )
            dense = vector_store_pb2.SearchChunksRequest(
                query="aurora", query_embedding=unit(1, 0, 0, 0.5),
                options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_DENSE),
            )  # fmt: skip
            keyword = vector_store_pb2.SearchChunksRequest(
                query="aurora",
                options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD),
            )
            # Dense reads go straight to the shared server: consistent at once.
            assert (await b.SearchChunks(dense)).scored_chunks[0].chunk.id == "shared#0"
            # The keyword side of replica B converges after its poll.
            replicas[1].store.sync_keyword_index()
            assert [c.chunk.id for c in (await b.SearchChunks(keyword)).scored_chunks] == [
                "shared#0"
            ]
            await a.UpsertDocument(upsert_request("shared", "solar eclipse"))
            # B has not polled: its old keyword entry is dropped by the version check.
            assert list((await b.SearchChunks(keyword)).scored_chunks) == []
            texts = [c.chunk.text for c in (await b.SearchChunks(dense)).scored_chunks]
            assert texts == ["solar eclipse"]
            await a.DeleteDocument(
                vector_store_pb2.VectorStoreServiceDeleteDocumentRequest(document_id="shared")
            )
            assert list((await b.SearchChunks(dense)).scored_chunks) == []
            await expect(
                b.GetDocument(
                    vector_store_pb2.VectorStoreServiceGetDocumentRequest(document_id="shared")
                ),
                Code.NOT_FOUND,
            )
            replicas[1].store.sync_keyword_index()
            assert replicas[1].store.keyword.versions() == {}
    finally:
        for host in hosts:
            await host.stop(grace=0)
        for r in replicas:
            await r.close()


async def test_service_process_starts_serves_and_stops(tmp_path: Path) -> None:
    from tests.support.processes import ServiceProcess

    process = ServiceProcess(
        "services.vector_store",
        {"RAGMESH_VECTOR_STORE_PERSIST_PATH": str(tmp_path), "RAGMESH_METRICS_PORT": "-1"},
    ).wait_ready()
    try:
        async with grpc.aio.insecure_channel(process.address) as channel:
            counted = await Stub(channel).CountChunks(
                vector_store_pb2.CountChunksRequest(), timeout=10
            )
            assert counted.chunk_count == 0
    finally:
        assert process.stop() == 0, "".join(process.output)

"""RagServiceSink and RagServiceAccess against in-process RagService stand-ins: per-document
batch outcomes, and the stored access lists NotifyChange checks a writer against."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest

from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from services.indexer.model import DocumentToIndex
from services.indexer.rag_sink import RagServiceAccess, RagServiceSink
from services.runtime.errors import PermissionDenied


class BatchGateway(rag_pb2_grpc.RagServiceServicer):
    """Answers BatchIngestDocuments per document: ids starting with "bad" or "busy" fail."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.refuse_whole = False

    async def BatchIngestDocuments(
        self, request: rag_pb2.BatchIngestDocumentsRequest, context: grpc.aio.ServicerContext
    ) -> rag_pb2.BatchIngestDocumentsResponse:
        if self.refuse_whole:
            await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "request too large")
        self.batches.append([d.id for d in request.documents])
        results = []
        for document in request.documents:
            if document.id.startswith("bad"):
                error = rag_pb2.IngestError(
                    code=3, message="unsupported content type", reason="UNSUPPORTED_CONTENT_TYPE"
                )
                results.append(
                    rag_pb2.BatchIngestDocumentsResult(document_id=document.id, error=error)
                )
            elif document.id.startswith("busy"):
                error = rag_pb2.IngestError(code=14, message="embedding unavailable")
                results.append(
                    rag_pb2.BatchIngestDocumentsResult(document_id=document.id, error=error)
                )
            else:
                result = rag_pb2.IngestResult(document_id=document.id, chunk_count=1)
                results.append(
                    rag_pb2.BatchIngestDocumentsResult(document_id=document.id, result=result)
                )
        return rag_pb2.BatchIngestDocumentsResponse(results=results)


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[BatchGateway, grpc.aio.Channel]]:
    servicer = BatchGateway()
    server = grpc.aio.server()
    rag_pb2_grpc.add_RagServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield servicer, channel
    finally:
        await channel.close()
        await server.stop(None)


def doc(document_id: str) -> DocumentToIndex:
    return DocumentToIndex(id=document_id, content=b"text of " + document_id.encode())


async def test_batch_outcomes_are_per_document(
    gateway: tuple[BatchGateway, grpc.aio.Channel],
) -> None:
    servicer, channel = gateway
    sink = RagServiceSink(channel, timeout_s=10)
    outcomes = await sink.upsert_many([doc("a"), doc("bad-1"), doc("busy-1"), doc("b")])
    assert servicer.batches == [["a", "bad-1", "busy-1", "b"]]
    assert outcomes[0] is None and outcomes[3] is None
    rejected, busy = outcomes[1], outcomes[2]
    assert rejected is not None and rejected.permanent  # retrying cannot help
    assert "INVALID_ARGUMENT" in rejected.message and "UNSUPPORTED_CONTENT_TYPE" in rejected.message
    assert busy is not None and not busy.permanent  # may succeed when retried
    assert "UNAVAILABLE" in busy.message


async def test_a_batch_refused_whole_raises(
    gateway: tuple[BatchGateway, grpc.aio.Channel],
) -> None:
    servicer, channel = gateway
    servicer.refuse_whole = True
    sink = RagServiceSink(channel, timeout_s=10)
    with pytest.raises(Exception, match="RESOURCE_EXHAUSTED"):
        await sink.upsert_many([doc("a"), doc("b")])


class DocumentsGateway(rag_pb2_grpc.RagServiceServicer):
    """Answers GetDocument as the store would: the indexer's own token sees every stored
    document, any other caller only those of group eng."""

    STORED = {"team": ["eng"], "payroll": ["hr"]}

    async def GetDocument(
        self, request: rag_pb2.GetDocumentRequest, context: grpc.aio.ServicerContext
    ) -> rag_pb2.GetDocumentResponse:
        service = dict(context.invocation_metadata()).get("authorization") == "Bearer indexer"
        groups = self.STORED.get(request.document_id)
        if groups is None or not (service or "eng" in groups):
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such document")
        return rag_pb2.GetDocumentResponse(
            document=common_pb2.Document(id=request.document_id, access_groups=groups)
        )


class IndexerToken:
    async def authorization(self) -> str:
        return "Bearer indexer"


async def test_stored_groups_tell_hidden_from_missing() -> None:
    """What NotifyChange checks a writer's change against (who may grant access): the
    stored access list, PERMISSION_DENIED for a document hidden from the caller, None for
    one that does not exist."""
    server = grpc.aio.server()
    rag_pb2_grpc.add_RagServiceServicer_to_server(DocumentsGateway(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            access = RagServiceAccess(channel, IndexerToken())  # type: ignore[arg-type]
            assert await access.stored_groups("team") == ("eng",)
            assert await access.stored_groups("new") is None
            with pytest.raises(PermissionDenied, match="may not read it"):
                await access.stored_groups("payroll")
            # Without its own token the indexer cannot tell; the store checks on apply.
            assert await RagServiceAccess(channel, None).stored_groups("payroll") is None
    finally:
        await server.stop(None)

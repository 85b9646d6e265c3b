"""RagServiceSink against an in-process RagService stand-in: per-document batch outcomes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest

from rag.v1 import rag_pb2, rag_pb2_grpc
from services.indexer.model import DocumentToIndex
from services.indexer.rag_sink import RagServiceSink


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

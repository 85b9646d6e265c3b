"""gRPC surface of RagService: each call goes to the domain once (Asker for questions,
RagPipeline for documents) and its result back."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from google.protobuf import timestamp_pb2

from rag.v1 import (
    common_pb2,
    rag_pb2,
    rag_pb2_grpc,
)
from services.gateway.asking import Asker, timings
from services.gateway.pipeline import IngestOutcome, RagPipeline, StreamedDocument
from services.gateway.settings import GatewaySettings
from services.runtime.errors import DomainError
from services.runtime.server import RpcContext
from services.runtime.status import grpc_code


def ingest_result(outcome: IngestOutcome) -> rag_pb2.IngestResult:
    result = rag_pb2.IngestResult(
        document_id=outcome.document_id,
        chunk_count=outcome.chunk_count,
        content_hash=outcome.content_hash,
        unchanged=outcome.unchanged,
        timings=timings(outcome.stages),
    )
    if outcome.document is not None and outcome.document.HasField("update_time"):
        result.update_time.CopyFrom(outcome.document.update_time)
    else:
        result.update_time.CopyFrom(timestamp_pb2.Timestamp(seconds=int(time.time())))
    return result


class RagServicer(rag_pb2_grpc.RagServiceServicer):
    def __init__(self, asker: Asker, pipeline: RagPipeline, settings: GatewaySettings) -> None:
        self._asker = asker
        self._pipeline = pipeline
        self._settings = settings

    async def Ask(self, request: rag_pb2.AskRequest, context: RpcContext) -> rag_pb2.AskResponse:
        return await self._asker.ask(request)

    async def AskStream(
        self, request: rag_pb2.AskStreamRequest, context: RpcContext
    ) -> AsyncIterator[rag_pb2.AskStreamResponse]:
        async for event in self._asker.ask_stream(request):
            yield event

    async def IngestDocument(
        self, request: rag_pb2.IngestDocumentRequest, context: RpcContext
    ) -> rag_pb2.IngestDocumentResponse:
        outcome = await self._pipeline.ingest(request.document, request.chunking, request.force)
        return rag_pb2.IngestDocumentResponse(result=ingest_result(outcome))

    async def BatchIngestDocuments(
        self, request: rag_pb2.BatchIngestDocumentsRequest, context: RpcContext
    ) -> rag_pb2.BatchIngestDocumentsResponse:
        outcomes = await self._pipeline.ingest_batch(
            list(request.documents), request.chunking, request.force
        )
        results = []
        for document, outcome in zip(request.documents, outcomes, strict=True):
            if isinstance(outcome, DomainError):
                results.append(
                    rag_pb2.BatchIngestDocumentsResult(
                        document_id=document.id,
                        error=rag_pb2.IngestError(
                            code=grpc_code(outcome).value[0],
                            message=outcome.message,
                            reason=outcome.reason,
                        ),
                    )
                )
            else:
                results.append(
                    rag_pb2.BatchIngestDocumentsResult(
                        document_id=document.id, result=ingest_result(outcome)
                    )
                )
        return rag_pb2.BatchIngestDocumentsResponse(results=results)

    async def IngestDocumentStream(
        self,
        request_iterator: AsyncIterator[rag_pb2.IngestDocumentStreamRequest],
        context: RpcContext,
    ) -> rag_pb2.IngestDocumentStreamResponse:
        upload = StreamedDocument(self._settings.max_stream_document_bytes)
        header: rag_pb2.IngestDocumentStreamHeader | None = None
        async for message in request_iterator:
            part = message.WhichOneof("part")
            if part == "header":
                upload.start(message.header.content_length)
                header = message.header
            elif part == "content_piece":
                upload.add(message.content_piece)
        content = upload.finish()
        assert header is not None  # finish() fails without a header
        document = common_pb2.Document()
        document.CopyFrom(header.document)
        document.content = content
        outcome = await self._pipeline.ingest(document, header.chunking, header.force)
        return rag_pb2.IngestDocumentStreamResponse(result=ingest_result(outcome))

    async def DeleteDocument(
        self, request: rag_pb2.DeleteDocumentRequest, context: RpcContext
    ) -> rag_pb2.DeleteDocumentResponse:
        response = await self._pipeline.delete(request.document_id, request.allow_missing)
        return rag_pb2.DeleteDocumentResponse(
            document_id=response.document_id, deleted_chunk_count=response.deleted_chunk_count
        )

    async def GetDocument(
        self, request: rag_pb2.GetDocumentRequest, context: RpcContext
    ) -> rag_pb2.GetDocumentResponse:
        document = await self._pipeline.get(request.document_id)
        return rag_pb2.GetDocumentResponse(document=document)

    async def ListDocuments(
        self, request: rag_pb2.ListDocumentsRequest, context: RpcContext
    ) -> rag_pb2.ListDocumentsResponse:
        response = await self._pipeline.list_documents(
            request.page_size, request.page_token, list(request.filters)
        )
        return rag_pb2.ListDocumentsResponse(
            documents=response.documents, next_page_token=response.next_page_token
        )

"""gRPC surface of DocumentProcessorService."""

from __future__ import annotations

from rag.v1 import document_processor_pb2, document_processor_pb2_grpc
from services.common.convert import document_input
from services.document_processor import convert
from services.document_processor.core import DocumentProcessor
from services.runtime.server import RpcContext


class DocumentProcessorServicer(document_processor_pb2_grpc.DocumentProcessorServiceServicer):
    def __init__(self, processor: DocumentProcessor) -> None:
        self._processor = processor

    async def ProcessDocument(
        self, request: document_processor_pb2.ProcessDocumentRequest, context: RpcContext
    ) -> document_processor_pb2.ProcessDocumentResponse:
        document = document_input(request.document)
        processed = await self._processor.process(
            document, convert.chunking_config(request.chunking)
        )
        parsed = convert.parsed_message(processed.parsed)
        title = processed.parsed.title or document.title
        return document_processor_pb2.ProcessDocumentResponse(
            chunks=[
                convert.chunk_message(c, title, document.access_groups, dict(document.metadata))
                for c in processed.chunks
            ],
            stats=document_processor_pb2.ParseStats(
                character_count=parsed.character_count,
                detected_title=processed.parsed.title,
                section_count=len(processed.parsed.sections),
                page_count=parsed.page_count,
            ),
        )

    async def ParseDocument(
        self, request: document_processor_pb2.ParseDocumentRequest, context: RpcContext
    ) -> document_processor_pb2.ParseDocumentResponse:
        parsed = await self._processor.parse(document_input(request.document))
        return document_processor_pb2.ParseDocumentResponse(
            parsed_document=convert.parsed_message(parsed)
        )

    async def ChunkText(
        self, request: document_processor_pb2.ChunkTextRequest, context: RpcContext
    ) -> document_processor_pb2.ChunkTextResponse:
        chunks = await self._processor.chunk_text(
            request.document_id, request.text, convert.chunking_config(request.chunking)
        )
        return document_processor_pb2.ChunkTextResponse(
            chunks=[convert.chunk_message(c, request.title) for c in chunks]
        )

"""ExtractContent through the mesh, turned into the processor's parsed text and chunks."""

from __future__ import annotations

import logging

from rag.v1 import common_pb2, multi_modal_pb2, multi_modal_pb2_grpc
from services.common.chunking import ParsedDocument, Section, TextChunk
from services.common.convert import document_message
from services.common.documents import DocumentInput
from services.document_processor.multi_modal_routing import ContentExtractor, ExtractedDocument
from services.runtime.downstream import calling

log = logging.getLogger(__name__)

# MultiModalService's chunk size range; the processor's chunk_size is clamped into it.
_MIN_CHUNK_CHARS, _MAX_CHUNK_CHARS = 200, 32_000

_MODALITIES = {
    common_pb2.MODALITY_TEXT: "text",
    common_pb2.MODALITY_PDF: "pdf",
    common_pb2.MODALITY_IMAGE: "image",
    common_pb2.MODALITY_TABLE: "table",
}


def text_chunk(chunk: common_pb2.Chunk) -> TextChunk:
    return TextChunk(
        id=chunk.id,
        document_id=chunk.document_id,
        position=chunk.position,
        text=chunk.text,
        section_path=tuple(chunk.section_path),
        start=chunk.start_offset,
        end=chunk.end_offset,
        modality=_MODALITIES.get(chunk.modality, "text"),
        location=chunk.location,
        metadata=dict(chunk.metadata),
    )


def extracted_document(response: multi_modal_pb2.ExtractContentResponse) -> ExtractedDocument:
    chunks = [text_chunk(c) for c in response.chunks]
    sections: list[Section] = []
    for chunk in chunks:
        if sections and sections[-1].heading_path == chunk.section_path:
            sections[-1] = Section(chunk.section_path, sections[-1].start, chunk.end)
        else:
            sections.append(Section(chunk.section_path, chunk.start, chunk.end))
    text = "\n\n".join(c.text for c in chunks)
    title = response.extracted_metadata.get("pdf.Title", "")
    return ExtractedDocument(ParsedDocument(text=text, title=title, sections=sections), chunks)


def mesh_extractor(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub, timeout_s: float
) -> ContentExtractor:
    """ExtractContent through the mesh; its errors reach our caller with their own codes."""

    async def extract(document: DocumentInput, max_chunk_chars: int) -> ExtractedDocument:
        request = multi_modal_pb2.ExtractContentRequest(
            document=document_message(document),
            options=multi_modal_pb2.ContentExtractionOptions(
                max_chunk_chars=min(max(max_chunk_chars, _MIN_CHUNK_CHARS), _MAX_CHUNK_CHARS)
            ),
        )
        with calling("MultiModalService"):
            response = await stub.ExtractContent(request, timeout=timeout_s)
        for warning in response.warnings:
            log.info(
                "document %s: %s at %s: %s",
                document.id,
                multi_modal_pb2.ContentExtractionWarningCode.Name(warning.code),
                warning.location or "-",
                warning.message,
            )
        return extracted_document(response)

    return extract

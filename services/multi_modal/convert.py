"""rag.v1 messages <-> multi-modal domain types. No logic beyond the mapping."""

from __future__ import annotations

from rag.v1 import common_pb2, multi_modal_pb2
from services.common.documents import DocumentInput
from services.multi_modal.core import RequestedOptions, SupportedTypes
from services.multi_modal.extraction import (
    ExtractedChunk,
    ExtractedContent,
    ExtractionWarning,
    Modality,
    OcrMode,
    WarningCode,
)

MODALITIES = {
    Modality.TEXT: common_pb2.MODALITY_TEXT,
    Modality.PDF: common_pb2.MODALITY_PDF,
    Modality.IMAGE: common_pb2.MODALITY_IMAGE,
    Modality.TABLE: common_pb2.MODALITY_TABLE,
}
_OCR_MODES = {
    multi_modal_pb2.OCR_MODE_UNSPECIFIED: None,
    multi_modal_pb2.OCR_MODE_AUTO: OcrMode.AUTO,
    multi_modal_pb2.OCR_MODE_OFF: OcrMode.OFF,
    multi_modal_pb2.OCR_MODE_FORCE: OcrMode.FORCE,
}
_WARNING_CODES = {
    WarningCode.NO_TEXT: multi_modal_pb2.CONTENT_EXTRACTION_WARNING_CODE_NO_TEXT,
    WarningCode.OCR_UNAVAILABLE: multi_modal_pb2.CONTENT_EXTRACTION_WARNING_CODE_OCR_UNAVAILABLE,
    WarningCode.OCR_LOW_CONFIDENCE: (
        multi_modal_pb2.CONTENT_EXTRACTION_WARNING_CODE_OCR_LOW_CONFIDENCE
    ),
    WarningCode.PARSE_ERROR: multi_modal_pb2.CONTENT_EXTRACTION_WARNING_CODE_PARSE_ERROR,
    WarningCode.TRUNCATED: multi_modal_pb2.CONTENT_EXTRACTION_WARNING_CODE_TRUNCATED,
    WarningCode.UNSUPPORTED_ELEMENT: (
        multi_modal_pb2.CONTENT_EXTRACTION_WARNING_CODE_UNSUPPORTED_ELEMENT
    ),
}


def requested_options(options: multi_modal_pb2.ContentExtractionOptions) -> RequestedOptions:
    return RequestedOptions(
        ocr_language=options.ocr_language,
        # An enum value from a newer client that we do not know: treat as the default.
        ocr_mode=_OCR_MODES.get(options.ocr_mode),
        max_pages=options.max_pages,
        max_chunk_chars=options.max_chunk_chars,
    )


def chunk_message(chunk: ExtractedChunk, document: DocumentInput) -> common_pb2.Chunk:
    return common_pb2.Chunk(
        id=chunk.id,
        document_id=chunk.document_id,
        position=chunk.position,
        text=chunk.text,
        title=document.title,
        section_path=list(chunk.section_path),
        start_offset=chunk.start,
        end_offset=chunk.end,
        modality=MODALITIES[chunk.modality],
        location=chunk.location,
        metadata={**document.metadata, **chunk.metadata},
        access_groups=list(document.access_groups),
    )


def warning_message(warning: ExtractionWarning) -> multi_modal_pb2.ContentExtractionWarning:
    return multi_modal_pb2.ContentExtractionWarning(
        location=warning.location, code=_WARNING_CODES[warning.code], message=warning.message
    )


def extract_response(
    content: ExtractedContent, document: DocumentInput
) -> multi_modal_pb2.ExtractContentResponse:
    return multi_modal_pb2.ExtractContentResponse(
        chunks=[chunk_message(c, document) for c in content.chunks],
        extracted_metadata=content.metadata,
        warnings=[warning_message(w) for w in content.warnings],
        content_type=content.content_type,
        part_count=content.part_count,
    )


def supported_types_response(
    supported: SupportedTypes,
) -> multi_modal_pb2.ListSupportedTypesResponse:
    return multi_modal_pb2.ListSupportedTypesResponse(
        content_types=[
            multi_modal_pb2.SupportedContentType(
                content_type=t.content_type,
                file_extensions=list(t.extensions),
                modality=MODALITIES[t.modality],
                available=t.available,
                ocr_available=t.ocr_available,
                unavailable_reason=t.unavailable_reason,
            )
            for t in supported.types
        ],
        ocr_languages=list(supported.ocr_languages),
        max_content_bytes=supported.max_content_bytes,
    )

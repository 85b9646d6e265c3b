"""MultiModalExtractor: validate a request, pick the reader for its type, run it off the event
loop with bounded concurrency, and turn the parts into chunks. No gRPC here."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass

from services.common.documents import DocumentInput, validate_document_id, validate_metadata
from services.multi_modal import formats, images, pdf, tables
from services.multi_modal.extraction import (
    DEFAULT_MAX_CHUNK_CHARS,
    MAX_CHUNK_CHARS,
    MIN_CHUNK_CHARS,
    ExtractedContent,
    Extraction,
    ExtractionOptions,
    Modality,
    OcrMode,
    build_chunks,
    unreadable,
)
from services.multi_modal.ocr import INSTALL_HINT, OcrSession, Tesseract
from services.multi_modal.settings import MultiModalSettings
from services.runtime.call_context import current_call
from services.runtime.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
    invalid_field,
)

_LANGUAGES = re.compile(r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$")
IMAGE_TYPES = (formats.PNG, formats.JPEG, formats.TIFF)


@dataclass(frozen=True)
class RequestedOptions:
    """Options as the caller sent them (0 / empty = default); ``resolve_options`` checks them."""

    ocr_language: str = ""
    ocr_mode: OcrMode | None = None
    max_pages: int = 0
    max_chunk_chars: int = 0


@dataclass(frozen=True)
class SupportedType:
    content_type: str
    extensions: tuple[str, ...]
    modality: Modality
    available: bool
    ocr_available: bool
    unavailable_reason: str


@dataclass(frozen=True)
class SupportedTypes:
    types: list[SupportedType]
    ocr_languages: tuple[str, ...]
    max_content_bytes: int


def resolve_options(
    requested: RequestedOptions, max_pages_limit: int, installed_languages: tuple[str, ...]
) -> ExtractionOptions:
    if requested.max_pages < 0:
        raise invalid_field("options.max_pages", "must be >= 0 (0 means the server limit)")
    if requested.max_chunk_chars and not (
        MIN_CHUNK_CHARS <= requested.max_chunk_chars <= MAX_CHUNK_CHARS
    ):
        raise invalid_field(
            "options.max_chunk_chars",
            f"must be 0 (default {DEFAULT_MAX_CHUNK_CHARS}) or between {MIN_CHUNK_CHARS} and "
            f"{MAX_CHUNK_CHARS}",
        )
    languages = requested.ocr_language.strip() or "eng"
    if not _LANGUAGES.match(languages):
        raise invalid_field(
            "options.ocr_language",
            f"{languages[:40]!r} is not a Tesseract language list such as 'eng' or 'eng+fra'",
            reason="UNKNOWN_OCR_LANGUAGE",
        )
    # Unknown languages can only be told when OCR is installed; without it, OCR is skipped.
    missing = [code for code in languages.split("+") if code not in installed_languages]
    if installed_languages and missing:
        raise invalid_field(
            "options.ocr_language",
            f"language(s) {', '.join(missing)} not installed on this server; installed: "
            f"{', '.join(installed_languages)}",
            reason="UNKNOWN_OCR_LANGUAGE",
        )
    return ExtractionOptions(
        ocr_languages=languages,
        ocr_mode=requested.ocr_mode or OcrMode.AUTO,
        max_pages=min(requested.max_pages or max_pages_limit, max_pages_limit),
        max_chunk_chars=requested.max_chunk_chars or DEFAULT_MAX_CHUNK_CHARS,
    )


class MultiModalExtractor:
    def __init__(self, settings: MultiModalSettings, tesseract: Tesseract | None = None) -> None:
        self._settings = settings
        self._tesseract = tesseract or Tesseract(
            settings.tesseract_command, settings.ocr_timeout_s, settings.ocr_max_pixels
        )
        self._slots = asyncio.Semaphore(settings.max_parallel_extractions)
        self._admitted = 0  # running plus waiting extractions

    async def supported_types(self) -> SupportedTypes:
        status = await asyncio.to_thread(self._tesseract.status)
        reason = "" if status.available else status.reason
        return SupportedTypes(
            types=[
                SupportedType(
                    content_type=f.content_type,
                    extensions=f.extensions,
                    modality=f.modality,
                    # Images are only readable through OCR; PDFs still have their text layer.
                    available=status.available or f.content_type not in IMAGE_TYPES,
                    ocr_available=f.needs_ocr and status.available,
                    unavailable_reason=reason if f.needs_ocr else "",
                )
                for f in formats.FORMATS
            ],
            ocr_languages=status.languages if status.available else (),
            max_content_bytes=self._settings.max_content_bytes,
        )

    async def extract(
        self, document: DocumentInput, requested: RequestedOptions
    ) -> ExtractedContent:
        content_type, parameters = self._validate(document)
        status = await asyncio.to_thread(self._tesseract.status)
        options = resolve_options(requested, self._settings.max_pages, status.languages)
        needs_ocr_throughout = (
            content_type in IMAGE_TYPES and options.ocr_mode is not OcrMode.OFF
        ) or (content_type == formats.PDF and options.ocr_mode is OcrMode.FORCE)
        if needs_ocr_throughout and not status.available:
            raise FailedPrecondition(
                message=f"{content_type} needs OCR, and OCR is not available on this server: "
                f"{status.reason}",
                reason="OCR_UNAVAILABLE",
                metadata={"content_type": content_type, "install": INSTALL_HINT},
            )
        call = current_call()
        ocr = OcrSession(
            tesseract=self._tesseract if status.available else None,
            languages=options.ocr_languages,
            available=status.available,
            unavailable_reason=status.reason,
            deadline=call.deadline if call else None,
        )
        if self._admitted >= self._settings.max_parallel_extractions + (
            self._settings.max_queued_extractions
        ):
            raise ResourceExhausted(
                message="the server is busy extracting other documents; retry shortly",
                reason="SERVER_BUSY",
                retry_after_s=2.0,
            )
        self._admitted += 1
        try:
            async with self._slots:
                extraction = await asyncio.to_thread(
                    self._read, document.content, content_type, parameters, options, ocr
                )
        finally:
            self._admitted -= 1
        if extraction.part_count and extraction.failed_parts >= extraction.part_count:
            first = extraction.warnings[0].message if extraction.warnings else "no detail"
            raise unreadable(
                f"no part of the {content_type} content could be read ({first})", content_type
            )
        chunks = build_chunks(document.id, extraction.parts, options.max_chunk_chars)
        return ExtractedContent(
            chunks=chunks,
            metadata=extraction.metadata,
            warnings=extraction.warnings,
            content_type=content_type,
            part_count=extraction.part_count,
        )

    def _validate(self, document: DocumentInput) -> tuple[str, dict[str, str]]:
        validate_document_id(document.id)
        if not document.content:
            raise InvalidArgument(
                message="document.content is empty: nothing to extract",
                reason="EMPTY_CONTENT",
                field_violations=[FieldViolation("document.content", "must not be empty")],
            )
        limit = self._settings.max_content_bytes
        if len(document.content) > limit:
            raise InvalidArgument(
                message=f"document.content is {len(document.content)} bytes; the limit is "
                f"{limit} bytes (split the document)",
                reason="CONTENT_TOO_LARGE",
                metadata={"limit_bytes": str(limit), "size_bytes": str(len(document.content))},
                field_violations=[FieldViolation("document.content", f"at most {limit} bytes")],
            )
        validate_metadata(document.metadata, document.access_groups)
        content_type, parameters = formats.split_content_type(document.content_type)
        supported = ", ".join(formats.SUPPORTED)
        if not content_type:
            detected = formats.detect(document.content)
            if detected is None:
                raise _unsupported(
                    "",
                    "document.content_type is empty and the content is not recognisable as a "
                    f"supported type; set it to one of {supported}",
                )
            content_type = detected
        if content_type not in formats.SUPPORTED:
            raise _unsupported(
                content_type,
                f"document.content_type {content_type!r} is not supported; use one of {supported}",
            )
        return content_type, parameters

    def _read(
        self,
        content: bytes,
        content_type: str,
        parameters: Mapping[str, str],
        options: ExtractionOptions,
        ocr: OcrSession,
    ) -> Extraction:
        s = self._settings
        if content_type == formats.PDF:
            return pdf.extract_pdf(
                content, options, ocr, s.ocr_dpi, s.ocr_max_pixels, s.min_text_layer_chars
            )
        if content_type in IMAGE_TYPES:
            return images.extract_image(content, content_type, options, ocr)
        if content_type == formats.CSV:
            return tables.extract_csv(content, dict(parameters), options, s.max_table_cells)
        if content_type == formats.XLSX:
            return tables.extract_xlsx(content, options, s.max_table_cells)
        return tables.extract_html(content, dict(parameters), options, s.max_table_cells)


def _unsupported(content_type: str, message: str) -> InvalidArgument:
    return InvalidArgument(
        message=message,
        reason="UNSUPPORTED_CONTENT_TYPE",
        metadata={"content_type": content_type, "supported": ",".join(formats.SUPPORTED)},
        field_violations=[FieldViolation("document.content_type", "unsupported type")],
    )

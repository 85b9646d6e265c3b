"""Which documents go to MultiModalService (the call itself is in multi_modal_client.py).

Images and spreadsheets always go (OCR and table rendering live there); a PDF goes only
when one of its pages has no usable text layer (a scanned page needs OCR). Plain text,
Markdown, HTML and text-layer PDFs stay local: no extra hop, no copy of the content.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.common.chunking import ParsedDocument, TextChunk
from services.common.documents import DocumentInput

PDF = "application/pdf"
# Types only MultiModalService can read.
ROUTED_TYPES = (
    "image/png",
    "image/jpeg",
    "image/tiff",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
# A PDF page with fewer visible characters than this has no usable text layer (as in
# MultiModalService's own rule).
MIN_TEXT_LAYER_CHARS = 16


@dataclass(frozen=True)
class ExtractedDocument:
    parsed: ParsedDocument
    chunks: list[TextChunk]


# (document, maximum chunk characters) -> what MultiModalService made of it.
ContentExtractor = Callable[[DocumentInput, int], Awaitable[ExtractedDocument]]


def base_type(content_type: str) -> str:
    return (content_type or "text/plain").split(";")[0].strip().lower()


def is_routed(content_type: str) -> bool:
    return base_type(content_type) in ROUTED_TYPES


def needs_ocr(parsed: ParsedDocument) -> bool:
    """Whether a locally parsed PDF has a page without a usable text layer."""
    return any(
        sum(1 for ch in parsed.text[s.start : s.end] if not ch.isspace()) < MIN_TEXT_LAYER_CHARS
        for s in parsed.sections
    )

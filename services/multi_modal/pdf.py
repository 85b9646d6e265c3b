"""PDF pages into text parts: the text layer where there is one, OCR of the rendered page
where there is not (scanned pages), or everywhere with OCR_MODE_FORCE.

pypdf reads text layers and metadata (as the document processor does); pypdfium2 renders
pages to pixels for OCR. PDFium is not thread-safe, so rendering holds a process-wide lock.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from PIL import Image

from services.multi_modal.extraction import (
    Extraction,
    ExtractionOptions,
    Modality,
    OcrMode,
    TextPart,
    WarningCode,
    unreadable,
)
from services.multi_modal.formats import PDF
from services.multi_modal.images import ocr_part
from services.multi_modal.ocr import OcrSession

_PDFIUM_LOCK = threading.Lock()
_METADATA_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate")


class _PageRenderer:
    """Opens the PDF in PDFium on first use; renders one page at a time to grayscale."""

    def __init__(self, content: bytes, dpi: int, max_pixels: int) -> None:
        self._content = content
        self._dpi = dpi
        self._max_pixels = max_pixels
        self._document: Any = None

    def render(self, index: int) -> tuple[Image.Image, int]:
        """(image of page ``index``, the dpi it was rendered at)."""
        import pypdfium2  # type: ignore[import-untyped]

        with _PDFIUM_LOCK:
            if self._document is None:
                self._document = pypdfium2.PdfDocument(self._content)
            page = self._document[index]
            try:
                width_pt, height_pt = page.get_size()
                scale = self._dpi / 72
                pixels = width_pt * scale * height_pt * scale
                if pixels > self._max_pixels:
                    # A poster-sized page: lower the resolution rather than the coverage.
                    scale *= (self._max_pixels / pixels) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                image = bitmap.to_pil()
            finally:
                page.close()
        return image, max(1, round(scale * 72))

    def close(self) -> None:
        with _PDFIUM_LOCK:
            if self._document is not None:
                self._document.close()
                self._document = None


def _visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def extract_pdf(
    content: bytes,
    options: ExtractionOptions,
    ocr: OcrSession,
    dpi: int,
    max_pixels: int,
    min_text_chars: int,
) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise unreadable(
                "the PDF is encrypted with a password; remove the password and send it again",
                PDF,
            )
        pages = list(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        message = str(exc) or type(exc).__name__
        if "crypt" in message.lower():
            message = f"it is encrypted ({message})"
        raise unreadable(f"the content is not a readable PDF: {message}", PDF) from exc
    extraction = Extraction(part_count=len(pages))
    extraction.metadata["pdf.page_count"] = str(len(pages))
    try:
        info: Any = reader.metadata or {}
        for key in _METADATA_KEYS:
            value = info.get(f"/{key}")
            if value:
                extraction.metadata[f"pdf.{key}"] = str(value).strip()[:1024]
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError):
        pass  # a broken info dictionary does not make the pages unreadable
    renderer = _PageRenderer(content, dpi, max_pixels)
    try:
        for index, page in enumerate(pages):
            number = index + 1
            if index >= options.max_pages:
                extraction.warn(
                    f"page={number}",
                    WarningCode.TRUNCATED,
                    f"pages after the first {options.max_pages} were not extracted",
                )
                break
            part = _page_part(extraction, page, number, options, ocr, renderer, min_text_chars)
            if part is not None:
                extraction.parts.append(part)
    finally:
        renderer.close()
    return extraction


def _page_part(
    extraction: Extraction,
    page: Any,
    number: int,
    options: ExtractionOptions,
    ocr: OcrSession,
    renderer: _PageRenderer,
    min_text_chars: int,
) -> TextPart | None:
    location = f"page={number}"
    section = (f"page {number}",)
    metadata = {"page": str(number)}
    try:
        text = (page.extract_text() or "").replace("\x00", "").strip()
    except Exception as exc:  # pypdf raises many types on broken content streams
        text = ""
        layer_error: Exception | None = exc
    else:
        layer_error = None
    scanned = _visible_chars(text) < min_text_chars
    wants_ocr = options.ocr_mode is OcrMode.FORCE or (options.ocr_mode is OcrMode.AUTO and scanned)
    if wants_ocr and ocr.available:
        try:
            image, rendered_dpi = renderer.render(number - 1)
        except Exception as exc:  # PDFium reports broken pages with its own error types
            extraction.failed_parts += 1
            extraction.warn(location, WarningCode.PARSE_ERROR, f"page cannot be rendered ({exc})")
            return None
        part = ocr_part(extraction, ocr, image, rendered_dpi, location, section, metadata)
        if part is not None or not text:
            return part
        # OCR found nothing but the page has a little text layer: keep that.
    elif wants_ocr:
        extraction.warn(
            location,
            WarningCode.OCR_UNAVAILABLE,
            f"the page has no text layer and OCR is unavailable ({ocr.unavailable_reason})",
        )
    if layer_error is not None and not text:
        extraction.failed_parts += 1
        extraction.warn(location, WarningCode.PARSE_ERROR, f"text layer unreadable ({layer_error})")
        return None
    if not text:
        if not wants_ocr:
            reason = "OCR is off" if options.ocr_mode is OcrMode.OFF else "blank page"
            extraction.warn(location, WarningCode.NO_TEXT, f"the page has no text layer ({reason})")
        return None
    return TextPart(text, Modality.PDF, location, section, metadata)

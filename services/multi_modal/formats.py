"""The content types this service reads, their aliases, and detection from the bytes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from services.multi_modal.extraction import Modality

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = "text/html"


@dataclass(frozen=True)
class ContentFormat:
    content_type: str
    extensions: tuple[str, ...]
    modality: Modality
    needs_ocr: bool  # whether OCR can apply to this type (images, scanned PDF pages)


FORMATS: tuple[ContentFormat, ...] = (
    ContentFormat(PDF, ("pdf",), Modality.PDF, True),
    ContentFormat(PNG, ("png",), Modality.IMAGE, True),
    ContentFormat(JPEG, ("jpg", "jpeg"), Modality.IMAGE, True),
    ContentFormat(TIFF, ("tif", "tiff"), Modality.IMAGE, True),
    ContentFormat(CSV, ("csv",), Modality.TABLE, False),
    ContentFormat(XLSX, ("xlsx",), Modality.TABLE, False),
    ContentFormat(HTML, ("html", "htm"), Modality.TABLE, False),
)
SUPPORTED = tuple(f.content_type for f in FORMATS)
# Common spellings of the same types (browsers and old tools send these).
_ALIASES = {
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
    "image/tif": TIFF,
    "image/x-tiff": TIFF,
    "application/csv": CSV,
    "text/comma-separated-values": CSV,
    "application/xhtml+xml": HTML,
}


def split_content_type(content_type: str) -> tuple[str, dict[str, str]]:
    """("text/csv; charset=latin-1") -> ("text/csv", {"charset": "latin-1"})."""
    kind, *params = content_type.split(";")
    parameters: dict[str, str] = {}
    for param in params:
        key, _, value = param.partition("=")
        if key.strip():
            parameters[key.strip().lower()] = value.strip().strip('"')
    base = kind.strip().lower()
    return _ALIASES.get(base, base), parameters


def detect(content: bytes) -> str | None:
    """The supported type the bytes look like, or None."""
    head = content[:1024]
    if head.startswith(b"%PDF-") or b"%PDF-" in head:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return XLSX
        except zipfile.BadZipFile:
            return None
        return None
    try:
        text = head.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        # The 1 KiB cut may split a multi-byte character; retry without the last bytes.
        try:
            text = head[:-3].decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html", "<table")) or "<table" in lowered:
        return HTML
    first_line = text.splitlines()[0] if text.strip() else ""
    if any(sep in first_line for sep in (",", ";", "\t")):
        return CSV
    return None

"""Domain types of content extraction and the one place where parts become chunks.

Every format reader (PDF, images, tables) produces *parts* (a page's text, one table) plus
warnings and extracted metadata; ``build_chunks`` splits parts to the size limit and gives
each chunk its id, position and offsets, so every format chunks the same way.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from services.common.chunking import chunk_id, pack, recursive_units
from services.runtime.errors import InvalidArgument

# Separator between parts in the document text that chunk offsets index into.
PART_SEPARATOR = "\n\n"
DEFAULT_MAX_CHUNK_CHARS = 4000
MIN_CHUNK_CHARS = 200
MAX_CHUNK_CHARS = 32_000
# Mean word confidence (0-100) under which OCR text is flagged as unreliable.
LOW_CONFIDENCE = 60.0


class Modality(enum.Enum):
    TEXT = "text"
    PDF = "pdf"
    IMAGE = "image"
    TABLE = "table"


class OcrMode(enum.Enum):
    AUTO = "auto"
    OFF = "off"
    FORCE = "force"


class WarningCode(enum.Enum):
    NO_TEXT = "no_text"
    OCR_UNAVAILABLE = "ocr_unavailable"
    OCR_LOW_CONFIDENCE = "ocr_low_confidence"
    PARSE_ERROR = "parse_error"
    TRUNCATED = "truncated"
    UNSUPPORTED_ELEMENT = "unsupported_element"


@dataclass(frozen=True)
class ExtractionOptions:
    """Options after defaults are applied and limits checked (see ``core.resolve_options``)."""

    ocr_languages: str = "eng"
    ocr_mode: OcrMode = OcrMode.AUTO
    max_pages: int = 1000
    max_chunk_chars: int = DEFAULT_MAX_CHUNK_CHARS


@dataclass(frozen=True)
class ExtractionWarning:
    location: str
    code: WarningCode
    message: str


@dataclass(frozen=True)
class TextPart:
    """Running text of one part (a PDF page, an OCRed image)."""

    text: str
    modality: Modality
    location: str
    section_path: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableRow:
    number: int  # row number in the source (1-based line, sheet row or <tr> index)
    cells: tuple[str, ...]


@dataclass(frozen=True)
class TablePart:
    """A table; rendered as a Markdown pipe table, split at rows with the header repeated."""

    header: TableRow | None
    rows: Sequence[TableRow]
    # (first source row, last source row) of a chunk -> its location, e.g. "sheet=Q1!A1:D20".
    locate: Callable[[int, int], str]
    section_path: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)


Part = TextPart | TablePart


@dataclass
class Extraction:
    """What a format reader found: parts in source order, warnings, metadata, part count."""

    parts: list[Part] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    part_count: int = 0
    # Parts that failed to parse; when every part failed, the content is unreadable.
    failed_parts: int = 0

    def warn(self, location: str, code: WarningCode, message: str) -> None:
        self.warnings.append(ExtractionWarning(location, code, message))


@dataclass(frozen=True)
class ExtractedChunk:
    id: str
    document_id: str
    position: int
    text: str
    modality: Modality
    location: str
    section_path: tuple[str, ...]
    start: int
    end: int
    metadata: Mapping[str, str]


@dataclass(frozen=True)
class ExtractedContent:
    chunks: list[ExtractedChunk]
    metadata: dict[str, str]
    warnings: list[ExtractionWarning]
    content_type: str
    part_count: int


def unreadable(message: str, content_type: str) -> InvalidArgument:
    """The content cannot be read as its type: corrupt, truncated or encrypted."""
    return InvalidArgument(
        message=message,
        reason="CONTENT_UNREADABLE",
        metadata={"content_type": content_type},
    )


def build_chunks(document_id: str, parts: Sequence[Part], max_chars: int) -> list[ExtractedChunk]:
    """Split every part to at most ``max_chars`` and number the pieces in source order."""
    chunks: list[ExtractedChunk] = []
    offset = 0
    for part in parts:
        pieces = (
            _text_pieces(part, max_chars)
            if isinstance(part, TextPart)
            else _table_pieces(part, max_chars)
        )
        for text, location, extra in pieces:
            if chunks:
                offset += len(PART_SEPARATOR)
            position = len(chunks)
            chunks.append(
                ExtractedChunk(
                    id=chunk_id(document_id, position, text),
                    document_id=document_id,
                    position=position,
                    text=text,
                    modality=Modality.TABLE if isinstance(part, TablePart) else part.modality,
                    location=location,
                    section_path=part.section_path,
                    start=offset,
                    end=offset + len(text),
                    metadata={**part.metadata, **extra},
                )
            )
            offset += len(text)
    return chunks


Piece = tuple[str, str, dict[str, str]]  # text, location, chunk-level metadata


def _text_pieces(part: TextPart, max_chars: int) -> list[Piece]:
    text = part.text.strip()
    if not text:
        return []
    units = recursive_units(text, 0, len(text), max_chars)
    spans = pack(units, max_chars, 0)
    pieces = (text[start:end].strip() for start, end in spans)
    return [(piece, part.location, {}) for piece in pieces if piece]


def _cell(value: str) -> str:
    # A pipe or a line break inside a cell would break the Markdown table's structure.
    return " ".join(value.replace("|", "\\|").split())


def _markdown_row(cells: Sequence[str], width: int) -> str:
    padded = [*(_cell(c) for c in cells), *([""] * (width - len(cells)))]
    return "| " + " | ".join(padded) + " |"


def _table_pieces(part: TablePart, max_chars: int) -> list[Piece]:
    widths = [len(r.cells) for r in part.rows]
    if part.header is not None:
        widths.append(len(part.header.cells))
    width = max(widths, default=0)
    if width == 0:
        return []
    head_lines: list[str] = []
    if part.header is not None:
        # The separator line under the header is what makes it a Markdown table.
        head_lines = [_markdown_row(part.header.cells, width), "|" + "---|" * width]
    head_size = sum(len(line) + 1 for line in head_lines)
    if not part.rows:
        assert part.header is not None
        n = part.header.number
        return [("\n".join(head_lines), part.locate(n, n), {"rows": f"{n}-{n}"})]
    pieces: list[Piece] = []
    lines: list[str] = []
    size = head_size
    # The first chunk also covers the header row; later ones repeat it as a copy.
    first: int | None = part.header.number if part.header is not None else None
    last = 0

    def flush() -> None:
        nonlocal lines, first, size
        if lines:
            start = first if first is not None else last
            body = "\n".join([*head_lines, *lines])
            pieces.append((body, part.locate(start, last), {"rows": f"{start}-{last}"}))
        lines, first, size = [], None, head_size

    for row in part.rows:
        line = _markdown_row(row.cells, width)
        if head_size + len(line) > max_chars:
            # One row longer than a chunk: keep its text, split like running text.
            flush()
            for start, end in pack(recursive_units(line, 0, len(line), max_chars), max_chars, 0):
                location = part.locate(row.number, row.number)
                pieces.append((line[start:end], location, {"rows": f"{row.number}-{row.number}"}))
            continue
        if lines and size + len(line) > max_chars:
            flush()
        if first is None:
            first = row.number
        lines.append(line)
        size += len(line) + 1
        last = row.number
    flush()
    return pieces

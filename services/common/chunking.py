"""Chunking strategies: fixed, recursive, sentence and semantic, each with overlap (shared:
the document processor chunks parsed documents, the multi-modal service chunks extracted text).

Every strategy works on spans (start, end) of the parsed text inside one section, so a
chunk never straddles two sections and its offsets point back into the parsed text.
Sizes are in characters.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from services.runtime.errors import invalid_field

Span = tuple[int, int]
# Embeds sentences for the semantic strategy; returns L2-normalised row vectors.
SentenceEmbedder = Callable[[list[str]], np.ndarray]

MIN_CHUNK_SIZE = 100
MAX_CHUNK_SIZE = 8000
DEFAULT_CHUNK_SIZE = 1000
DEFAULT_OVERLAP = 100


@dataclass(frozen=True)
class Section:
    """A stretch of text under one heading path (outermost heading first)."""

    heading_path: tuple[str, ...]
    start: int
    end: int


@dataclass
class ParsedDocument:
    text: str
    title: str = ""
    sections: list[Section] = field(default_factory=list)


class Strategy(enum.Enum):
    FIXED = "fixed"
    RECURSIVE = "recursive"
    SENTENCE = "sentence"
    SEMANTIC = "semantic"


@dataclass(frozen=True)
class ChunkingConfig:
    strategy: Strategy = Strategy.RECURSIVE
    chunk_size: int = DEFAULT_CHUNK_SIZE
    chunk_overlap: int = DEFAULT_OVERLAP
    # SEMANTIC: split where the cosine distance between adjacent sentences exceeds this
    # quantile of the document's distances (higher = fewer, longer chunks).
    semantic_quantile: float = 0.95

    def validated(self) -> ChunkingConfig:
        if not MIN_CHUNK_SIZE <= self.chunk_size <= MAX_CHUNK_SIZE:
            raise invalid_field(
                "chunking.chunk_size",
                f"must be between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE} characters",
            )
        if not 0 <= self.chunk_overlap < self.chunk_size:
            raise invalid_field(
                "chunking.chunk_overlap", "must be >= 0 and smaller than chunking.chunk_size"
            )
        if not 0 <= self.semantic_quantile < 1:
            raise invalid_field("chunking.semantic_threshold", "must be in [0, 1)")
        return self


@dataclass(frozen=True)
class TextChunk:
    id: str
    document_id: str
    position: int
    text: str
    section_path: tuple[str, ...]
    start: int
    end: int
    # Set for chunks made by MultiModalService or from PDF pages: "text", "pdf", "image",
    # "table"; the location in the source ("page=3", "sheet=Q1!A1:D20"); chunk-level metadata.
    modality: str = "text"
    location: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


def chunk_id(document_id: str, position: int, text: str) -> str:
    """Stable id: same document, position and content -> same id."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"{document_id}#{position}-{digest}"


def chunk_document(
    document_id: str,
    parsed: ParsedDocument,
    config: ChunkingConfig,
    embed: SentenceEmbedder | None = None,
) -> list[TextChunk]:
    config = config.validated()
    text = parsed.text
    sections = parsed.sections or [Section((), 0, len(text))]
    chunks: list[TextChunk] = []
    for section in sections:
        for start, end in _section_spans(text, section, config, embed):
            start, end = _trim(text, start, end)
            if end <= start:
                continue
            body = text[start:end]
            position = len(chunks)
            chunks.append(
                TextChunk(
                    id=chunk_id(document_id, position, body),
                    document_id=document_id,
                    position=position,
                    text=body,
                    section_path=section.heading_path,
                    start=start,
                    end=end,
                )
            )
    return chunks


def _section_spans(
    text: str, section: Section, config: ChunkingConfig, embed: SentenceEmbedder | None
) -> list[Span]:
    start, end = _trim(text, section.start, section.end)
    if end <= start:
        return []
    if config.strategy is Strategy.FIXED:
        return fixed_spans(text, start, end, config.chunk_size, config.chunk_overlap)
    if config.strategy is Strategy.RECURSIVE:
        units = recursive_units(text, start, end, config.chunk_size)
        return pack(units, config.chunk_size, config.chunk_overlap)
    sentences = sentence_spans(text, start, end)
    units = [u for s in sentences for u in _fit(text, s, config.chunk_size)]
    if config.strategy is Strategy.SENTENCE or embed is None or len(units) < 3:
        return pack(units, config.chunk_size, config.chunk_overlap)
    return semantic_spans(text, units, config, embed)


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def fixed_spans(text: str, start: int, end: int, size: int, overlap: int) -> list[Span]:
    """Windows of ``size`` characters, cut at whitespace when one is near the cut."""
    spans: list[Span] = []
    pos = start
    while pos < end:
        stop = min(pos + size, end)
        if stop < end:
            cut = text.rfind(" ", pos + size // 2, stop)
            cut = max(cut, text.rfind("\n", pos + size // 2, stop))
            if cut > pos:
                stop = cut
        spans.append((pos, stop))
        if stop >= end:
            break
        nxt = max(stop - overlap, pos + 1)
        # Start the overlap at a word boundary so no chunk begins mid-word.
        if overlap and nxt < stop:
            space = text.find(" ", nxt, stop)
            nxt = space + 1 if space != -1 else nxt
        pos = nxt
    return spans


_SEPARATORS = ("\n\n", "\n", ". ", "; ", ", ", " ")


def recursive_units(text: str, start: int, end: int, size: int, level: int = 0) -> list[Span]:
    """Split by paragraphs, then lines, sentences, clauses and words until pieces fit."""
    if end - start <= size:
        return [(start, end)]
    if level >= len(_SEPARATORS):
        return [(s, min(s + size, end)) for s in range(start, end, size)]
    sep = _SEPARATORS[level]
    pieces: list[Span] = []
    pos = start
    while pos < end:
        found = text.find(sep, pos, end)
        stop = end if found == -1 else found + len(sep)
        pieces.append((pos, stop))
        pos = stop
    units: list[Span] = []
    for piece in pieces:
        if piece[1] - piece[0] > size:
            units.extend(recursive_units(text, piece[0], piece[1], size, level + 1))
        else:
            units.append(piece)
    return units


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n{2,}")


def sentence_spans(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.start() > pos:
            spans.append((pos, match.start()))
        pos = match.end()
    if pos < end:
        spans.append((pos, end))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _fit(text: str, span: Span, size: int) -> list[Span]:
    if span[1] - span[0] <= size:
        return [span]
    return recursive_units(text, span[0], span[1], size, level=2)


def pack(units: Sequence[Span], size: int, overlap: int) -> list[Span]:
    """Greedily join consecutive units up to ``size``; repeat trailing units as overlap."""
    spans: list[Span] = []
    i = 0
    while i < len(units):
        j = i
        while j < len(units) and units[j][1] - units[i][0] <= size:
            j += 1
        j = max(j, i + 1)  # a single over-long unit still forms a chunk
        spans.append((units[i][0], units[j - 1][1]))
        if j >= len(units):
            break
        # Next chunk starts at the earliest unit that lies within the overlap window.
        k = j
        while k - 1 > i and units[j - 1][1] - units[k - 1][0] <= overlap:
            k -= 1
        i = k
    return spans


def semantic_spans(
    text: str, units: list[Span], config: ChunkingConfig, embed: SentenceEmbedder
) -> list[Span]:
    """Split where adjacent sentences stop being similar, then pack each group by size."""
    vectors = embed([text[s:e] for s, e in units])
    similarity = np.einsum("ij,ij->i", vectors[:-1], vectors[1:])
    distance = 1.0 - similarity
    threshold = float(np.quantile(distance, config.semantic_quantile))
    groups: list[list[Span]] = [[units[0]]]
    for unit, gap in zip(units[1:], distance, strict=True):
        if gap > threshold:
            groups.append([unit])
        else:
            groups[-1].append(unit)
    spans: list[Span] = []
    for group in groups:
        spans.extend(pack(group, config.chunk_size, config.chunk_overlap))
    return spans

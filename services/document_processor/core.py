"""Parse and chunk documents (no gRPC). CPU work runs in worker threads, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from services.common.chunking import (
    DEFAULT_CHUNK_SIZE,
    ChunkingConfig,
    ParsedDocument,
    Section,
    TextChunk,
    chunk_document,
)
from services.common.documents import DocumentInput, validate_document, validate_document_id
from services.document_processor.multi_modal_routing import (
    PDF,
    ContentExtractor,
    base_type,
    is_routed,
    needs_ocr,
)
from services.document_processor.parsing import parse
from services.runtime.errors import InvalidArgument, ResourceExhausted

# Embeds sentences (semantic chunking) through EmbeddingService; rows L2-normalised.
AsyncEmbedder = Callable[[list[str]], Coroutine[Any, Any, np.ndarray]]


@dataclass(frozen=True)
class ProcessedDocument:
    parsed: ParsedDocument
    chunks: list[TextChunk]


class DocumentProcessor:
    def __init__(
        self,
        max_document_bytes: int,
        max_chunks: int,
        max_parallel: int,
        embed: AsyncEmbedder | None = None,
        extract: ContentExtractor | None = None,
    ) -> None:
        self._max_bytes = max_document_bytes
        self._max_chunks = max_chunks
        self._slots = asyncio.Semaphore(max_parallel)
        self._embed = embed
        # MultiModalService, for images, spreadsheets and scanned PDFs; None: local only.
        self._extract = extract

    async def parse(self, document: DocumentInput) -> ParsedDocument:
        parsed, _ = await self._read(document, DEFAULT_CHUNK_SIZE)
        return parsed

    async def _read(
        self, document: DocumentInput, chunk_size: int
    ) -> tuple[ParsedDocument, list[TextChunk] | None]:
        """The parsed document, plus its chunks when MultiModalService made them."""
        validate_document(document, self._max_bytes)
        if self._extract is not None and is_routed(document.content_type):
            extracted = await self._extract(document, chunk_size)
            return extracted.parsed, extracted.chunks
        async with self._slots:
            parsed = await asyncio.to_thread(parse, document.content, document.content_type)
        pdf = base_type(document.content_type) == PDF
        if pdf and self._extract is not None and needs_ocr(parsed):
            extracted = await self._extract(document, chunk_size)
            return extracted.parsed, extracted.chunks
        return parsed, None

    async def process(self, document: DocumentInput, config: ChunkingConfig) -> ProcessedDocument:
        config = config.validated()
        parsed, extracted = await self._read(document, config.chunk_size)
        if not parsed.title and document.title:
            parsed.title = document.title
        if extracted is not None:
            self._check_count(extracted)
            return ProcessedDocument(parsed=parsed, chunks=extracted)
        chunks = await self._chunk(document.id, parsed, config)
        if base_type(document.content_type) == PDF:
            chunks = [_page_tagged(c) for c in chunks]
        return ProcessedDocument(parsed=parsed, chunks=chunks)

    async def chunk_text(
        self, document_id: str, text: str, config: ChunkingConfig
    ) -> list[TextChunk]:
        validate_document_id(document_id, "document_id")
        config = config.validated()
        if not text.strip():
            raise InvalidArgument(message="text is empty: nothing to chunk", reason="EMPTY_CONTENT")
        if len(text.encode("utf-8")) > self._max_bytes:
            raise ResourceExhausted(
                message=f"text is larger than {self._max_bytes} bytes",
                reason="CONTENT_TOO_LARGE",
            )
        parsed = ParsedDocument(text=text, sections=[Section((), 0, len(text))])
        return await self._chunk(document_id, parsed, config)

    async def _chunk(
        self, document_id: str, parsed: ParsedDocument, config: ChunkingConfig
    ) -> list[TextChunk]:
        loop = asyncio.get_running_loop()
        embed = self._embed

        def embed_sync(texts: list[str]) -> np.ndarray:
            # Called from the chunking thread; the embedding call itself runs on the loop.
            assert embed is not None
            return asyncio.run_coroutine_threadsafe(embed(texts), loop).result()

        async with self._slots:
            chunks = await asyncio.to_thread(
                chunk_document, document_id, parsed, config, embed_sync if embed else None
            )
        self._check_count(chunks)
        return chunks

    def _check_count(self, chunks: list[TextChunk]) -> None:
        if len(chunks) > self._max_chunks:
            raise ResourceExhausted(
                message=f"document produced {len(chunks)} chunks; the limit is "
                f"{self._max_chunks} (raise chunking.chunk_size)",
                reason="TOO_MANY_CHUNKS",
            )


def _page_tagged(chunk: TextChunk) -> TextChunk:
    """A chunk of a PDF's text layer: modality "pdf" and its page, from its section."""
    heading = chunk.section_path[0] if chunk.section_path else ""
    if not heading.startswith("page "):
        return chunk
    page = heading.removeprefix("page ")
    return replace(chunk, modality="pdf", location=f"page={page}", metadata={"page": page})

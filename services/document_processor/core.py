"""Parse and chunk documents (no gRPC). CPU work runs in worker threads, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import numpy as np

from services.common.documents import DocumentInput, validate_document, validate_document_id
from services.document_processor.chunking import ChunkingConfig, TextChunk, chunk_document
from services.document_processor.parsing import ParsedDocument, Section, parse
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
    ) -> None:
        self._max_bytes = max_document_bytes
        self._max_chunks = max_chunks
        self._slots = asyncio.Semaphore(max_parallel)
        self._embed = embed

    async def parse(self, document: DocumentInput) -> ParsedDocument:
        validate_document(document, self._max_bytes)
        async with self._slots:
            return await asyncio.to_thread(parse, document.content, document.content_type)

    async def process(self, document: DocumentInput, config: ChunkingConfig) -> ProcessedDocument:
        config = config.validated()
        parsed = await self.parse(document)
        if not parsed.title and document.title:
            parsed.title = document.title
        chunks = await self._chunk(document.id, parsed, config)
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
        if len(chunks) > self._max_chunks:
            raise ResourceExhausted(
                message=f"document produced {len(chunks)} chunks; the limit is "
                f"{self._max_chunks} (raise chunking.chunk_size)",
                reason="TOO_MANY_CHUNKS",
            )
        return chunks

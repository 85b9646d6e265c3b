"""The documents side of the gateway: process -> embed -> upsert (and the graph index),
delete, get, list. Every step is a call to another service through Envoy. Asking is
services/gateway/asking.py over the one retrieval path (services/common/retrieval.py).

Messages are the rag.v1 contract types (the gateway's domain is the contracts); errors
from downstream services become domain errors with the caller-facing code (see
services.runtime.downstream.calling).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.v1 import (
    common_pb2,
    document_processor_pb2,
    document_processor_pb2_grpc,
    embedding_pb2,
    embedding_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from services.common.convert import document_input
from services.common.documents import content_hash, validate_document
from services.common.retrieval import Stages
from services.gateway.settings import GatewaySettings
from services.runtime.downstream import calling
from services.runtime.errors import (
    DomainError,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    invalid_field,
)
from services.runtime.grants import Grantor
from services.runtime.identity import current_identity

if TYPE_CHECKING:
    from services.gateway.graph_expansion import GraphExpansion


@dataclass
class IngestOutcome:
    document_id: str
    chunk_count: int
    content_hash: str
    unchanged: bool
    stages: Stages
    document: common_pb2.Document | None = None


@dataclass
class _Prepared:
    """A document processed and waiting for its vectors: the record to store (content
    cleared, hash and detected title set) and its chunks."""

    document: common_pb2.Document
    chunks: list[common_pb2.Chunk]
    stages: Stages


@dataclass(frozen=True)
class Clients:
    """Stubs of the services the gateway calls (all through Envoy in the mesh)."""

    processor: document_processor_pb2_grpc.DocumentProcessorServiceStub
    embedding: embedding_pb2_grpc.EmbeddingServiceStub
    store: vector_store_pb2_grpc.VectorStoreServiceStub


class RagPipeline:
    def __init__(
        self,
        clients: Clients,
        settings: GatewaySettings,
        graph: GraphExpansion | None = None,
        writers_may_grant_everyone: bool = False,
    ) -> None:
        self._c = clients
        self._s = settings
        self._graph = graph  # None: this deployment runs no GraphService
        self._everyone_allowed = writers_may_grant_everyone

    # ---- ingesting ----------------------------------------------------------------------

    async def ingest(
        self,
        document: common_pb2.Document,
        chunking: document_processor_pb2.ChunkingOptions,
        force: bool,
    ) -> IngestOutcome:
        prepared = await self._prepare(document, chunking, force)
        if isinstance(prepared, IngestOutcome):
            return prepared
        started = time.perf_counter()
        vectors, model_id = await self._embed_chunks([c.text for c in prepared.chunks])
        prepared.stages.add("embed", started)
        return await self._store(prepared, vectors, model_id)

    async def ingest_batch(
        self,
        documents: Sequence[common_pb2.Document],
        chunking: document_processor_pb2.ChunkingOptions,
        force: bool,
    ) -> list[IngestOutcome | DomainError]:
        """Ingest each document; an item that fails is reported in its place, the rest go on.

        In three steps over the whole batch: every document checked and processed (several
        at a time), then every chunk of the batch embedded together (the embedding service
        sorts them by length and pads per slice: one document's chunks alone make slices
        of mixed lengths, about a third slower per chunk), then every document stored and
        graph-indexed (the store commits concurrent upserts as one write).
        """
        if not documents:
            raise invalid_field("documents", "must not be empty")
        if len(documents) > self._s.max_batch_documents:
            raise ResourceExhausted(
                message=f"{len(documents)} documents in one batch; the limit is "
                f"{self._s.max_batch_documents}",
                reason="BATCH_TOO_LARGE",
            )
        ids = [d.id for d in documents]
        if len(set(ids)) != len(ids):
            raise invalid_field("documents", "a document id appears more than once in the batch")
        slots = asyncio.Semaphore(self._s.batch_parallel_documents)

        async def prepare(
            document: common_pb2.Document,
        ) -> _Prepared | IngestOutcome | DomainError:
            async with slots:
                try:
                    return await self._prepare(document, chunking, force)
                except DomainError as error:
                    return error

        results = list(await asyncio.gather(*(prepare(d) for d in documents)))
        todo = [(i, r) for i, r in enumerate(results) if isinstance(r, _Prepared)]
        if not todo:
            return [r for r in results if not isinstance(r, _Prepared)]
        started = time.perf_counter()
        try:
            vectors, model_id = await self._embed_chunks(
                [c.text for _, p in todo for c in p.chunks]
            )
        except DomainError as error:
            for i, _ in todo:
                results[i] = error
            return [r for r in results if not isinstance(r, _Prepared)]
        offset = 0
        pieces: list[tuple[int, _Prepared, list[list[float]]]] = []
        for i, p in todo:
            p.stages.add("embed", started)
            pieces.append((i, p, vectors[offset : offset + len(p.chunks)]))
            offset += len(p.chunks)

        # All at once: the store commits the upserts that queue while it writes as one
        # write, and a write's cost is mostly per call, not per chunk.
        async def store(p: _Prepared, own: list[list[float]]) -> IngestOutcome | DomainError:
            try:
                return await self._store(p, own, model_id)
            except DomainError as error:
                return error

        stored = await asyncio.gather(*(store(p, own) for _, p, own in pieces))
        for (i, _, _), outcome in zip(pieces, stored, strict=True):
            results[i] = outcome
        return [r for r in results if not isinstance(r, _Prepared)]

    async def _prepare(
        self,
        document: common_pb2.Document,
        chunking: document_processor_pb2.ChunkingOptions,
        force: bool,
    ) -> _Prepared | IngestOutcome:
        """Validate and process one document; an unchanged one is done here."""
        validate_document(document_input(document), max_bytes=self._s.max_stream_document_bytes)
        # Refused before any work: the caller's groups are in the token. The store checks
        # again, with the stored version's list, under its write lock.
        grantor = Grantor.of(current_identity(), self._everyone_allowed)
        grantor.check(document.id, document.access_groups)
        stages = Stages()
        digest = content_hash(document.content)
        started = time.perf_counter()
        if not force:
            current = await self._stored(document.id)
            if current is not None and _same_version(current, document, digest):
                stages.add("check", started)
                return IngestOutcome(
                    document.id, current.chunk_count, digest, True, stages, current
                )
        started = time.perf_counter()
        with calling("DocumentProcessorService"):
            processed = await self._c.processor.ProcessDocument(
                document_processor_pb2.ProcessDocumentRequest(document=document, chunking=chunking)
            )
        stages.add("process", started)
        stored = common_pb2.Document()
        stored.CopyFrom(document)
        stored.ClearField("content")
        stored.content_hash = digest
        if not stored.title and processed.stats.detected_title:
            stored.title = processed.stats.detected_title
        return _Prepared(stored, list(processed.chunks), stages)

    async def _store(
        self, prepared: _Prepared, vectors: list[list[float]], model_id: str
    ) -> IngestOutcome:
        """Upsert one processed, embedded document, then index it in the graph."""
        started = time.perf_counter()
        document, chunks, stages = prepared.document, prepared.chunks, prepared.stages
        with calling("VectorStoreService"):
            upserted = await self._c.store.UpsertDocument(
                vector_store_pb2.UpsertDocumentRequest(
                    document=document,
                    chunks=[
                        vector_store_pb2.EmbeddedChunk(chunk=chunk, embedding=vector)
                        for chunk, vector in zip(chunks, vectors, strict=True)
                    ],
                    embedding_model_id=model_id,
                )
            )
        stages.add("upsert", started)
        if self._graph is not None:
            started = time.perf_counter()
            await self._graph.index(document, chunks)
            stages.add("graph", started)
        return IngestOutcome(
            document.id, len(chunks), document.content_hash, False, stages, upserted.document
        )

    async def delete(
        self, document_id: str, allow_missing: bool
    ) -> vector_store_pb2.VectorStoreServiceDeleteDocumentResponse:
        with calling("VectorStoreService"):
            deleted = await self._c.store.DeleteDocument(
                vector_store_pb2.VectorStoreServiceDeleteDocumentRequest(
                    document_id=document_id, allow_missing=allow_missing
                )
            )
        if self._graph is not None:
            await self._graph.delete(document_id)
        return deleted

    async def get(self, document_id: str) -> common_pb2.Document:
        with calling("VectorStoreService"):
            response = await self._c.store.GetDocument(
                vector_store_pb2.VectorStoreServiceGetDocumentRequest(document_id=document_id)
            )
        return response.document

    async def list_documents(
        self, page_size: int, page_token: str, filters: Sequence[common_pb2.MetadataFilter]
    ) -> vector_store_pb2.VectorStoreServiceListDocumentsResponse:
        with calling("VectorStoreService"):
            return await self._c.store.ListDocuments(
                vector_store_pb2.VectorStoreServiceListDocumentsRequest(
                    page_size=page_size, page_token=page_token, filters=filters
                )
            )

    async def _stored(self, document_id: str) -> common_pb2.Document | None:
        try:
            return await self.get(document_id)
        except NotFound:
            return None

    async def _embed_chunks(self, texts: list[str]) -> tuple[list[list[float]], str]:
        if not texts:
            return [], ""
        size = self._s.embed_batch_size
        batches = [texts[i : i + size] for i in range(0, len(texts), size)]
        slots = asyncio.Semaphore(self._s.embed_parallel_batches)

        async def one(batch: list[str]) -> embedding_pb2.EmbedResponse:
            async with slots:
                with calling("EmbeddingService"):
                    return await self._c.embedding.Embed(embedding_pb2.EmbedRequest(texts=batch))

        responses = await asyncio.gather(*(one(b) for b in batches))
        vectors = [list(e.values) for r in responses for e in r.embeddings]
        return vectors, responses[0].model_id


class StreamedDocument:
    """A document arriving in pieces: header first, then content within the size limit."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._declared: int | None = None
        self._pieces: list[bytes] = []
        self._size = 0

    def start(self, content_length: int) -> None:
        if self._declared is not None:
            raise InvalidArgument(message="header sent twice", reason="DUPLICATE_HEADER")
        if content_length > self._limit:
            raise _too_large(content_length, self._limit)
        self._declared = content_length

    def add(self, piece: bytes) -> None:
        if self._declared is None:
            raise InvalidArgument(
                message="the first message must be the header", reason="MISSING_HEADER"
            )
        self._size += len(piece)
        if self._size > self._limit:
            raise _too_large(self._size, self._limit)
        self._pieces.append(piece)

    def finish(self) -> bytes:
        if self._declared is None:
            raise InvalidArgument(message="stream carried no header", reason="MISSING_HEADER")
        if self._declared and self._declared != self._size:
            raise InvalidArgument(
                message=f"header.content_length is {self._declared} but {self._size} bytes arrived",
                reason="LENGTH_MISMATCH",
            )
        return b"".join(self._pieces)


def _too_large(size: int, limit: int) -> ResourceExhausted:
    return ResourceExhausted(
        message=f"document is {size} bytes; the limit is {limit} bytes",
        reason="CONTENT_TOO_LARGE",
        metadata={"limit_bytes": str(limit)},
    )


def _same_version(current: common_pb2.Document, new: common_pb2.Document, digest: str) -> bool:
    return (
        current.content_hash == digest
        # An empty title on input means "detect it": the stored one is then the detected one.
        and (not new.title or current.title == new.title)
        and current.source == new.source
        and current.content_type == (new.content_type or current.content_type)
        and dict(current.metadata) == dict(new.metadata)
        and sorted(current.access_groups) == sorted(new.access_groups)
    )

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
from services.runtime.downstream import calling, downstream_item_error
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

    def stored_as(self, stored: common_pb2.Document) -> IngestOutcome:
        """The outcome once the store answered with ``stored``."""
        return IngestOutcome(
            self.document.id,
            len(self.chunks),
            self.document.content_hash,
            False,
            self.stages,
            stored,
        )


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
        digest = self._checked(document)
        stages = Stages()
        if not force:
            started = time.perf_counter()
            current = await self._stored(document.id)
            stages.add("check", started)
            if current is not None and _same_version(current, document, digest):
                return IngestOutcome(
                    document.id, current.chunk_count, digest, True, stages, current
                )
        prepared = await self._process(document, digest, chunking, stages)
        started = time.perf_counter()
        vectors, model_id = await self._embed_chunks([c.text for c in prepared.chunks])
        stages.add("embed", started)
        started = time.perf_counter()
        with calling("VectorStoreService"):
            upserted = await self._c.store.UpsertDocument(
                _upsert_request(prepared, vectors, model_id)
            )
        stages.add("upsert", started)
        return await self._finish(prepared, upserted.document)

    async def ingest_batch(
        self,
        documents: Sequence[common_pb2.Document],
        chunking: document_processor_pb2.ChunkingOptions,
        force: bool,
    ) -> list[IngestOutcome | DomainError]:
        """Ingest each document; an item that fails is reported in its place, the rest go on.

        Each step runs once for the whole batch, so a bulk load costs a few calls per
        batch rather than per document: one read of the stored versions (unchanged
        documents end there), processing (several documents at a time), one embedding
        call for every chunk (the embedding service sorts them by length and pads per
        slice: one document's chunks alone make slices of mixed lengths, about a third
        slower per chunk), one store write, then the graph.
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
        results: list[IngestOutcome | DomainError | None] = [None] * len(documents)
        digests: dict[int, str] = {}
        for i, document in enumerate(documents):
            try:
                digests[i] = self._checked(document)
            except DomainError as error:
                results[i] = error
        stages = {i: Stages() for i in digests}
        if not force and digests:
            started = time.perf_counter()
            try:
                current = await self._stored_many([documents[i].id for i in digests])
            except DomainError as error:
                return [error] * len(documents)
            for i, digest in digests.items():
                stages[i].add("check", started)
                found = current.get(documents[i].id)
                if found is not None and _same_version(found, documents[i], digest):
                    results[i] = IngestOutcome(
                        found.id, found.chunk_count, digest, True, stages[i], found
                    )
        slots = asyncio.Semaphore(self._s.batch_parallel_documents)

        async def process(i: int) -> _Prepared | DomainError:
            async with slots:
                try:
                    return await self._process(documents[i], digests[i], chunking, stages[i])
                except DomainError as error:
                    return error

        waiting = [i for i in digests if results[i] is None]
        prepared: dict[int, _Prepared] = {}
        for i, processed in zip(waiting, await asyncio.gather(*map(process, waiting)), strict=True):
            if isinstance(processed, DomainError):
                results[i] = processed
            else:
                prepared[i] = processed
        if prepared:
            for i, stored in (await self._store_many(prepared)).items():
                results[i] = stored
        return [r for r in results if r is not None]

    async def _store_many(
        self, prepared: dict[int, _Prepared]
    ) -> dict[int, IngestOutcome | DomainError]:
        """Embed every chunk of the batch in one call, store the documents in one write,
        then index them in the graph (in as few calls as its request limit allows)."""
        started = time.perf_counter()
        try:
            vectors, model_id = await self._embed_chunks(
                [c.text for p in prepared.values() for c in p.chunks]
            )
        except DomainError as error:
            return {i: error for i in prepared}
        requests = []
        offset = 0
        for p in prepared.values():
            p.stages.add("embed", started)
            own = vectors[offset : offset + len(p.chunks)]
            offset += len(p.chunks)
            requests.append(_upsert_request(p, own, model_id))
        started = time.perf_counter()
        try:
            with calling("VectorStoreService"):
                response = await self._c.store.BatchUpsertDocuments(
                    vector_store_pb2.BatchUpsertDocumentsRequest(requests=requests)
                )
        except DomainError as error:
            return {i: error for i in prepared}
        outcomes: dict[int, IngestOutcome | DomainError] = {}
        stored: dict[int, tuple[_Prepared, common_pb2.Document]] = {}
        for (i, p), result in zip(prepared.items(), response.results, strict=True):
            p.stages.add("upsert", started)
            if result.HasField("error"):
                outcomes[i] = downstream_item_error(
                    result.error.code,
                    result.error.message,
                    result.error.reason,
                    "VectorStoreService",
                )
            else:
                stored[i] = (p, result.document)
        if self._graph is not None and stored:
            started = time.perf_counter()
            await self._graph.index_many([(p.document, p.chunks) for p, _ in stored.values()])
            for p, _ in stored.values():
                p.stages.add("graph", started)
        for i, (p, document) in stored.items():
            outcomes[i] = p.stored_as(document)
        return outcomes

    def _checked(self, document: common_pb2.Document) -> str:
        """Validate a document to ingest; its content hash."""
        validate_document(document_input(document), max_bytes=self._s.max_stream_document_bytes)
        # Refused before any work: the caller's groups are in the token. The store checks
        # again, with the stored version's list, under its write lock.
        grantor = Grantor.of(current_identity(), self._everyone_allowed)
        grantor.check(document.id, document.access_groups)
        return content_hash(document.content)

    async def _process(
        self,
        document: common_pb2.Document,
        digest: str,
        chunking: document_processor_pb2.ChunkingOptions,
        stages: Stages,
    ) -> _Prepared:
        """Parse and chunk one document; the record to store goes with its chunks."""
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

    async def _finish(self, prepared: _Prepared, stored: common_pb2.Document) -> IngestOutcome:
        """After the store took the document: index it in the graph."""
        if self._graph is not None:
            started = time.perf_counter()
            await self._graph.index(prepared.document, prepared.chunks)
            prepared.stages.add("graph", started)
        return prepared.stored_as(stored)

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

    async def _stored_many(self, document_ids: list[str]) -> dict[str, common_pb2.Document]:
        """The stored versions of these documents the caller may read, in one call."""
        with calling("VectorStoreService"):
            response = await self._c.store.BatchGetDocuments(
                vector_store_pb2.BatchGetDocumentsRequest(document_ids=document_ids)
            )
        return {d.id: d for d in response.documents}

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


def _upsert_request(
    prepared: _Prepared, vectors: list[list[float]], model_id: str
) -> vector_store_pb2.UpsertDocumentRequest:
    return vector_store_pb2.UpsertDocumentRequest(
        document=prepared.document,
        chunks=[
            vector_store_pb2.EmbeddedChunk(chunk=chunk, embedding=vector)
            for chunk, vector in zip(prepared.chunks, vectors, strict=True)
        ],
        embedding_model_id=model_id,
    )


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

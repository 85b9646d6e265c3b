"""The RAG pipeline the gateway runs: enhance -> retrieve -> generate, and
process -> embed -> upsert. Every step is a call to another service through Envoy.

Messages are the rag.v1 contract types (the gateway's domain is the contracts); errors
from downstream services become domain errors with the caller-facing code (see
services.runtime.downstream.calling).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rag.v1 import (
    common_pb2,
    document_processor_pb2,
    document_processor_pb2_grpc,
    embedding_pb2,
    embedding_pb2_grpc,
    generation_pb2,
    generation_pb2_grpc,
    query_enhancement_pb2,
    query_enhancement_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from services.common.convert import document_input
from services.common.documents import content_hash, validate_document
from services.common.fusion import fuse
from services.gateway.settings import GatewaySettings
from services.runtime.downstream import calling
from services.runtime.errors import (
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    invalid_field,
)

if TYPE_CHECKING:
    from rag.v1.graph_pb2 import TraverseGraphResponse
    from services.gateway.graph_expansion import GraphExpansion


@dataclass
class Stages:
    """Wall-clock time per pipeline stage, in order."""

    timings: list[tuple[str, float]] = field(default_factory=list)

    def add(self, stage: str, started: float) -> float:
        elapsed = time.perf_counter() - started
        self.timings.append((stage, elapsed))
        return elapsed


@dataclass
class Retrieval:
    queries: list[query_enhancement_pb2.EnhancedQuery]
    chunks: list[common_pb2.ScoredChunk]


@dataclass
class IngestOutcome:
    document_id: str
    chunk_count: int
    content_hash: str
    unchanged: bool
    stages: Stages
    document: common_pb2.Document | None = None


@dataclass(frozen=True)
class Clients:
    """Stubs of the services the gateway calls (all through Envoy in the mesh)."""

    processor: document_processor_pb2_grpc.DocumentProcessorServiceStub
    embedding: embedding_pb2_grpc.EmbeddingServiceStub
    store: vector_store_pb2_grpc.VectorStoreServiceStub
    enhancement: query_enhancement_pb2_grpc.QueryEnhancementServiceStub
    generation: generation_pb2_grpc.GenerationServiceStub


class RagPipeline:
    def __init__(
        self, clients: Clients, settings: GatewaySettings, graph: GraphExpansion | None = None
    ) -> None:
        self._c = clients
        self._s = settings
        self._graph = graph  # None: this deployment runs no GraphService

    # ---- asking -------------------------------------------------------------------------

    def check_question(
        self,
        question: str,
        retrieval: common_pb2.RetrievalOptions,
        use_graph: bool,
        experiment_id: str,
    ) -> common_pb2.RetrievalOptions:
        if not question.strip():
            raise invalid_field("question", "must not be empty")
        if len(question) > self._s.max_question_chars:
            raise invalid_field(
                "question",
                f"is {len(question)} characters; the limit is {self._s.max_question_chars}",
            )
        if retrieval.top_k < 0:
            raise invalid_field("retrieval.top_k", "must not be negative")
        if retrieval.dense_weight < 0 or retrieval.keyword_weight < 0:
            raise invalid_field("retrieval", "dense_weight and keyword_weight must be >= 0")
        if use_graph and self._graph is None:
            raise FailedPrecondition(
                message="use_graph needs GraphService, which this deployment does not run",
                reason="GRAPH_NOT_CONFIGURED",
            )
        # experiment_id is resolved by services/gateway/experiments.py (EvaluationService).
        options = common_pb2.RetrievalOptions()
        options.CopyFrom(retrieval)
        options.top_k = min(retrieval.top_k or self._s.default_top_k, self._s.max_top_k)
        return options

    async def retrieve(
        self,
        question: str,
        options: common_pb2.RetrievalOptions,
        strategies: Sequence[int],
        stages: Stages,
    ) -> Retrieval:
        started = time.perf_counter()
        if strategies:
            with calling("QueryEnhancementService"):
                enhanced = await self._c.enhancement.EnhanceQuery(
                    query_enhancement_pb2.EnhanceQueryRequest(
                        query=question,
                        strategies=list(strategies),  # type: ignore[arg-type]
                    )
                )
            queries = list(enhanced.enhanced_queries)
            stages.add("enhance", started)
        else:
            queries = [
                query_enhancement_pb2.EnhancedQuery(text=question, weight=1.0, original=True)
            ]
        started = time.perf_counter()
        if options.mode != common_pb2.RETRIEVAL_MODE_KEYWORD:
            missing = [q for q in queries if not q.embedding]
            if missing:
                with calling("EmbeddingService"):
                    embedded = await self._c.embedding.Embed(
                        embedding_pb2.EmbedRequest(texts=[q.text for q in missing])
                    )
                for query, vector in zip(missing, embedded.embeddings, strict=True):
                    query.embedding.extend(vector.values)
            stages.add("embed", started)
        started = time.perf_counter()
        per_query = max(options.top_k, 10) if len(queries) > 1 else options.top_k
        with calling("VectorStoreService"):
            results = await asyncio.gather(
                *(
                    self._c.store.SearchChunks(
                        vector_store_pb2.SearchChunksRequest(
                            query=q.text,
                            query_embedding=q.embedding,
                            options=_with_top_k(options, per_query),
                        )
                    )
                    for q in queries
                )
            )
        chunks = (
            list(results[0].scored_chunks)
            if len(results) == 1
            else fuse(
                [list(r.scored_chunks) for r in results],
                [q.weight for q in queries],
                options.top_k,
                self._s.fusion_k,
            )
        )
        stages.add("retrieve", started)
        return Retrieval(queries=queries, chunks=chunks)

    async def retrieve_with_graph(
        self,
        question: str,
        use_graph: bool,
        options: common_pb2.RetrievalOptions,
        strategies: Sequence[int],
        stages: Stages,
    ) -> tuple[Retrieval, int]:
        """Retrieval, then the graph's chunks fused in (see ``expand_with_graph``); the graph
        traversal runs while the retrieval does, as it needs only the question."""
        traversal = self._graph.traverse_soon(question, use_graph) if self._graph else None
        try:
            retrieval = await self.retrieve(question, options, strategies, stages)
        except BaseException:
            if traversal is not None:
                traversal.cancel()
            raise
        added = await self.expand_with_graph(
            question, use_graph, retrieval, options, stages, traversal
        )
        return retrieval, added

    async def expand_with_graph(
        self,
        question: str,
        use_graph: bool,
        retrieval: Retrieval,
        options: common_pb2.RetrievalOptions,
        stages: Stages,
        traversal: Awaitable[TraverseGraphResponse | None] | None = None,
    ) -> int:
        """Fuse in the chunks GraphService reaches from the question's entities (on request,
        or when the question names several); returns how many were added. Never fails."""
        if self._graph is None:
            return 0
        started = time.perf_counter()
        expansion = await self._graph.expand(
            question, use_graph, retrieval.chunks, options, traversal
        )
        if expansion is None:
            return 0
        retrieval.chunks = expansion.chunks
        stages.add("graph", started)
        return expansion.added

    async def generate(
        self,
        question: str,
        chunks: Sequence[common_pb2.ScoredChunk],
        options: generation_pb2.GenerationOptions,
        stages: Stages,
    ) -> generation_pb2.GenerateResponse:
        started = time.perf_counter()
        with calling("GenerationService"):
            response = await self._c.generation.Generate(
                generation_pb2.GenerateRequest(question=question, contexts=chunks, options=options)
            )
        stages.add("generate", started)
        return response

    async def generate_stream(
        self,
        question: str,
        chunks: Sequence[common_pb2.ScoredChunk],
        options: generation_pb2.GenerationOptions,
    ) -> AsyncIterator[generation_pb2.GenerateStreamResponse]:
        with calling("GenerationService"):
            async for event in self._c.generation.GenerateStream(
                generation_pb2.GenerateStreamRequest(
                    question=question, contexts=chunks, options=options
                )
            ):
                yield event

    # ---- ingesting ----------------------------------------------------------------------

    async def ingest(
        self,
        document: common_pb2.Document,
        chunking: document_processor_pb2.ChunkingOptions,
        force: bool,
    ) -> IngestOutcome:
        validate_document(document_input(document), max_bytes=self._s.max_stream_document_bytes)
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
        started = time.perf_counter()
        vectors, model_id = await self._embed_chunks([c.text for c in processed.chunks])
        stages.add("embed", started)
        started = time.perf_counter()
        stored = common_pb2.Document()
        stored.CopyFrom(document)
        stored.ClearField("content")
        stored.content_hash = digest
        if not stored.title and processed.stats.detected_title:
            stored.title = processed.stats.detected_title
        with calling("VectorStoreService"):
            upserted = await self._c.store.UpsertDocument(
                vector_store_pb2.UpsertDocumentRequest(
                    document=stored,
                    chunks=[
                        vector_store_pb2.EmbeddedChunk(chunk=chunk, embedding=vector)
                        for chunk, vector in zip(processed.chunks, vectors, strict=True)
                    ],
                    embedding_model_id=model_id,
                )
            )
        stages.add("upsert", started)
        if self._graph is not None:
            started = time.perf_counter()
            await self._graph.index(stored, processed.chunks)
            stages.add("graph", started)
        return IngestOutcome(
            document.id, len(processed.chunks), digest, False, stages, upserted.document
        )

    async def ingest_batch(
        self,
        documents: Sequence[common_pb2.Document],
        chunking: document_processor_pb2.ChunkingOptions,
        force: bool,
    ) -> list[IngestOutcome | DomainError]:
        """Ingest each document; an item that fails is reported in its place, the rest go on."""
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
        # Several documents at a time, so the embedding service batches their chunks
        # together and parsing and storing overlap with embedding (ids are distinct).
        slots = asyncio.Semaphore(self._s.batch_parallel_documents)

        async def one(document: common_pb2.Document) -> IngestOutcome | DomainError:
            async with slots:
                try:
                    return await self.ingest(document, chunking, force)
                except DomainError as error:
                    return error

        return list(await asyncio.gather(*(one(d) for d in documents)))

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


def _with_top_k(options: common_pb2.RetrievalOptions, top_k: int) -> common_pb2.RetrievalOptions:
    copy = common_pb2.RetrievalOptions()
    copy.CopyFrom(options)
    copy.top_k = top_k
    return copy


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

"""The one retrieval path: enhance -> embed -> search -> fuse -> graph expansion.

Ask and AskStream (the gateway), the evaluation service and benchmarks retrieve through
``Retriever``; changing how the mesh retrieves is a change here (fusion itself is
``services.common.fusion.fuse``). Every step is a call through the mesh to the service
that owns it, with the caller's token, so access rules apply as they do for an Ask. It
lives in ``services/common`` because several services run it; the graph step is the
gateway's (``services.gateway.graph_expansion``), handed in as a ``GraphStep``.

Messages are the rag.v1 contract types. Errors from downstream services become domain
errors with the caller-facing code (``services.runtime.downstream.calling``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rag.v1 import (
    common_pb2,
    embedding_pb2,
    embedding_pb2_grpc,
    graph_pb2,
    query_enhancement_pb2,
    query_enhancement_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from services.common.fusion import fuse
from services.runtime.downstream import calling


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
    graph_added: int = 0  # chunks the graph expansion added to what search returned


@dataclass(frozen=True)
class RetrievalClients:
    """Stubs of the services retrieval calls (through Envoy in the mesh)."""

    embedding: embedding_pb2_grpc.EmbeddingServiceStub
    store: vector_store_pb2_grpc.VectorStoreServiceStub
    enhancement: query_enhancement_pb2_grpc.QueryEnhancementServiceStub


class GraphExpansionResult(Protocol):
    @property
    def chunks(self) -> list[common_pb2.ScoredChunk]: ...

    @property
    def added(self) -> int: ...


class GraphStep(Protocol):
    """The graph expansion (``services.gateway.graph_expansion.GraphExpansion``)."""

    def traverse_soon(
        self, question: str, requested: bool
    ) -> asyncio.Task[graph_pb2.TraverseGraphResponse | None] | None: ...

    async def expand(
        self,
        question: str,
        requested: bool,
        retrieved: Sequence[common_pb2.ScoredChunk],
        options: common_pb2.RetrievalOptions,
        traversal: Awaitable[graph_pb2.TraverseGraphResponse | None] | None = None,
    ) -> GraphExpansionResult | None: ...


class Retriever:
    def __init__(
        self, clients: RetrievalClients, fusion_k: float, graph: GraphStep | None = None
    ) -> None:
        self._c = clients
        self._fusion_k = fusion_k
        self.graph = graph  # None: this deployment runs no GraphService

    async def retrieve(
        self,
        question: str,
        options: common_pb2.RetrievalOptions,
        strategies: Sequence[int],
        use_graph: bool,
        stages: Stages,
    ) -> Retrieval:
        """Search, then the graph's chunks fused in (on request, or when the question names
        several entities the graph knows); the graph traversal runs while the search does,
        as it needs only the question. ``options.top_k`` must be set (the caller's limit)."""
        traversal = self.graph.traverse_soon(question, use_graph) if self.graph else None
        try:
            retrieval = await self.search(question, options, strategies, stages)
        except BaseException:
            if traversal is not None:
                traversal.cancel()
            raise
        if self.graph is not None:
            started = time.perf_counter()
            expansion = await self.graph.expand(
                question, use_graph, retrieval.chunks, options, traversal
            )
            if expansion is not None:
                retrieval.chunks = expansion.chunks
                retrieval.graph_added = expansion.added
                stages.add("graph", started)
        return retrieval

    async def search(
        self,
        question: str,
        options: common_pb2.RetrievalOptions,
        strategies: Sequence[int],
        stages: Stages,
    ) -> Retrieval:
        """Enhance -> embed -> search -> fuse, without the graph."""
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
                self._fusion_k,
            )
        )
        stages.add("retrieve", started)
        return Retrieval(queries=queries, chunks=chunks)


def _with_top_k(options: common_pb2.RetrievalOptions, top_k: int) -> common_pb2.RetrievalOptions:
    copy = common_pb2.RetrievalOptions()
    copy.CopyFrom(options)
    copy.top_k = top_k
    return copy

"""The retrieval pipeline and the embedding model, reached through the mesh as the caller.

Evaluation runs Ask's retrieval path (``services.common.retrieval.Retriever``: enhance ->
embed -> search -> fuse) against the same services the gateway calls, with the caller's token
forwarded by ``mesh_channel``, so document access rules apply exactly as they do for an Ask;
with ``use_graph`` the graph's documents are fused into the document ranking.
"""

from __future__ import annotations

import asyncio

import grpc

from rag.v1 import (
    common_pb2,
    embedding_pb2,
    embedding_pb2_grpc,
    evaluation_pb2,
    graph_pb2,
    graph_pb2_grpc,
    query_enhancement_pb2_grpc,
    vector_store_pb2_grpc,
)
from services.common.fusion import reciprocal_rank_fusion
from services.common.retrieval import RetrievalClients, Retriever, Stages
from services.evaluation.offline import Rank
from services.evaluation.settings import EvaluationSettings
from services.runtime.downstream import calling, mesh_channel
from services.runtime.settings import RuntimeSettings

EMBED_BATCH = 128  # EmbeddingService accepts 256 texts per call
MAX_SEARCH_TOP_K = 100  # VectorStoreService's limit
FUSION_K = 60.0  # the gateway's default


class MeshPipeline:
    def __init__(self, runtime: RuntimeSettings, settings: EvaluationSettings) -> None:
        self._settings = settings
        self._channels: dict[str | None, grpc.aio.Channel] = {}
        self._embedding = embedding_pb2_grpc.EmbeddingServiceStub(
            self._channel(runtime, settings.embedding_target)
        )
        self._store = vector_store_pb2_grpc.VectorStoreServiceStub(
            self._channel(runtime, settings.vector_store_target)
        )
        self._enhancement = query_enhancement_pb2_grpc.QueryEnhancementServiceStub(
            self._channel(runtime, settings.query_enhancement_target)
        )
        self._graph = graph_pb2_grpc.GraphServiceStub(self._channel(runtime, settings.graph_target))
        # Ask's own retrieval path, as the caller; the graph step below ranks documents.
        self._retriever = Retriever(
            RetrievalClients(self._embedding, self._store, self._enhancement), FUSION_K
        )

    def _channel(self, runtime: RuntimeSettings, target: str | None) -> grpc.aio.Channel:
        if target not in self._channels:
            self._channels[target] = mesh_channel(runtime, target)
        return self._channels[target]

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()

    async def embed(self, texts: list[str], background: bool = False) -> list[list[float]]:
        """Vectors of ``texts``; ``background`` work yields to callers who wait (Ask)."""
        priority = (
            embedding_pb2.EMBED_PRIORITY_BACKGROUND
            if background
            else embedding_pb2.EMBED_PRIORITY_INTERACTIVE
        )
        batches = [texts[i : i + EMBED_BATCH] for i in range(0, len(texts), EMBED_BATCH)]
        with calling("EmbeddingService"):
            responses = await asyncio.gather(
                *(
                    self._embedding.Embed(embedding_pb2.EmbedRequest(texts=b, priority=priority))
                    for b in batches
                )
            )
        return [list(e.values) for r in responses for e in r.embeddings]

    def ranker(self, config: evaluation_pb2.RetrievalConfig) -> Rank:
        async def rank(question: str, depth: int) -> list[str]:
            return await self.rank(question, config, depth)

        return rank

    async def rank(
        self, question: str, config: evaluation_pb2.RetrievalConfig, depth: int
    ) -> list[str]:
        """Document ids in rank order (a document at its best chunk), then graph additions."""
        top_k = min(MAX_SEARCH_TOP_K, depth * self._settings.chunk_depth_factor)
        options = common_pb2.RetrievalOptions()
        options.CopyFrom(config.retrieval)
        options.top_k = top_k
        retrieval = await self._retriever.search(
            question, options, list(config.enhancement_strategies), Stages()
        )
        chunks = retrieval.chunks
        documents = list(dict.fromkeys(c.chunk.document_id for c in chunks))
        if config.use_graph:
            with calling("GraphService"):
                graph = await self._graph.TraverseGraph(
                    graph_pb2.TraverseGraphRequest(
                        question=question, max_chunks=self._settings.graph_max_chunks
                    )
                )
            ranked = sorted(graph.supporting_chunks, key=lambda c: -c.score)
            graph_documents = list(dict.fromkeys(c.document_id for c in ranked))
            documents = fuse_rankings([documents, graph_documents])
        return documents


def fuse_rankings(rankings: list[list[str]], k: float = FUSION_K) -> list[str]:
    """Reciprocal rank fusion of document rankings with equal weights (ties: first seen)."""
    scores = reciprocal_rank_fusion([(ranking, 1.0) for ranking in rankings], k)
    return sorted(scores, key=lambda d: -scores[d])

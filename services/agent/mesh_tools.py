"""The agent's tools backed by the mesh: every call goes through Envoy (or a configured
address) on a ``mesh_channel``, which forwards the caller's token and deadline, so each
service applies the caller's access rights itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import grpc

from rag.v1 import (
    common_pb2,
    embedding_pb2_grpc,
    evaluation_pb2,
    evaluation_pb2_grpc,
    generation_pb2,
    generation_pb2_grpc,
    graph_pb2,
    graph_pb2_grpc,
    query_enhancement_pb2,
    query_enhancement_pb2_grpc,
    vector_store_pb2_grpc,
)
from services.agent.convert import citation, passage, scored_chunk
from services.agent.core import GeneratedAnswer, Tools
from services.agent.evidence import Passage
from services.agent.settings import AgentSettings
from services.common.retrieval import RetrievalClients, Retriever, Stages
from services.runtime.downstream import calling, mesh_channel
from services.runtime.settings import RuntimeSettings

GENERATORS = {
    "extractive": generation_pb2.GENERATOR_EXTRACTIVE,
    "local_lm": generation_pb2.GENERATOR_LOCAL_LM,
    "openai_compatible": generation_pb2.GENERATOR_OPENAI_COMPATIBLE,
}


@dataclass(frozen=True)
class MeshClients:
    """Stubs of the services the agent calls, and the channels behind them."""

    store: vector_store_pb2_grpc.VectorStoreServiceStub
    embedding: embedding_pb2_grpc.EmbeddingServiceStub
    generation: generation_pb2_grpc.GenerationServiceStub
    evaluation: evaluation_pb2_grpc.EvaluationServiceStub
    enhancement: query_enhancement_pb2_grpc.QueryEnhancementServiceStub
    graph: graph_pb2_grpc.GraphServiceStub
    channels: tuple[grpc.aio.Channel, ...]
    generator: generation_pb2.Generator.ValueType
    fusion_k: float

    @classmethod
    def connect(cls, runtime: RuntimeSettings, settings: AgentSettings) -> MeshClients:
        channels: dict[str | None, grpc.aio.Channel] = {}

        def channel(target: str | None) -> grpc.aio.Channel:
            if target not in channels:
                channels[target] = mesh_channel(runtime, target)
            return channels[target]

        return cls(
            store=vector_store_pb2_grpc.VectorStoreServiceStub(
                channel(settings.vector_store_target)
            ),
            embedding=embedding_pb2_grpc.EmbeddingServiceStub(channel(settings.embedding_target)),
            generation=generation_pb2_grpc.GenerationServiceStub(
                channel(settings.generation_target)
            ),
            evaluation=evaluation_pb2_grpc.EvaluationServiceStub(
                channel(settings.evaluation_target)
            ),
            enhancement=query_enhancement_pb2_grpc.QueryEnhancementServiceStub(
                channel(settings.query_enhancement_target)
            ),
            graph=graph_pb2_grpc.GraphServiceStub(channel(settings.graph_target)),
            channels=tuple(channels.values()),
            generator=GENERATORS[settings.generator],
            fusion_k=settings.fusion_k,
        )

    async def close(self) -> None:
        for channel in self.channels:
            await channel.close()

    def tools(self, options: common_pb2.RetrievalOptions) -> Tools:
        """Tools for one run; ``options`` (mode, weights, filters, scope) apply to every search."""
        # Each search runs Ask's retrieval path (services/common/retrieval.py) for one query.
        search = Retriever(
            RetrievalClients(self.embedding, self.store, self.enhancement), self.fusion_k
        )
        retriever = StoreRetriever(search, options)
        return Tools(
            retriever=retriever,
            writer=GenerationWriter(self.generation, self.generator),
            scorer=EvaluationScorer(self.evaluation),
            expander=EnhancementExpander(self.enhancement, options),
            graph=GraphServiceLinker(self.graph),
        )


class StoreRetriever:
    def __init__(self, retriever: Retriever, options: common_pb2.RetrievalOptions) -> None:
        self._retriever = retriever
        self._options = options

    async def search(
        self, query: str, top_k: int, document_ids: Sequence[str] = ()
    ) -> list[Passage]:
        options = common_pb2.RetrievalOptions()
        options.CopyFrom(self._options)
        options.top_k = top_k
        if document_ids:
            # Narrow the caller's scope, never widen it.
            allowed = set(self._options.document_ids)
            scope = [d for d in document_ids if not allowed or d in allowed]
            if not scope:
                return []
            del options.document_ids[:]
            options.document_ids.extend(scope)
        retrieval = await self._retriever.search(query, options, [], Stages())
        return [passage(s) for s in retrieval.chunks]


class GenerationWriter:
    def __init__(
        self,
        generation: generation_pb2_grpc.GenerationServiceStub,
        generator: generation_pb2.Generator.ValueType,
    ) -> None:
        self._generation = generation
        self._generator = generator

    async def answer(
        self, question: str, contexts: Sequence[Passage], max_citations: int
    ) -> GeneratedAnswer:
        with calling("GenerationService"):
            response = await self._generation.Generate(
                generation_pb2.GenerateRequest(
                    question=question,
                    contexts=[scored_chunk(p, rank) for rank, p in enumerate(contexts, 1)],
                    options=generation_pb2.GenerationOptions(
                        generator=self._generator, max_citations=max_citations
                    ),
                )
            )
        return GeneratedAnswer(
            text=response.answer,
            citations=tuple(citation(c) for c in response.citations),
            model_id=response.model_id,
        )


class EvaluationScorer:
    name = "EvaluationService.ScoreAnswer"

    def __init__(self, evaluation: evaluation_pb2_grpc.EvaluationServiceStub) -> None:
        self._evaluation = evaluation

    async def relevance(self, question: str, passages: Sequence[Passage]) -> list[float]:
        with calling("EvaluationService"):
            response = await self._evaluation.ScoreAnswer(
                evaluation_pb2.ScoreAnswerRequest(
                    question=question,
                    # ScoreAnswer needs an answer, but only the contexts' relevance to the
                    # question is used here, and that does not depend on it.
                    answer=question,
                    contexts=[scored_chunk(p, rank) for rank, p in enumerate(passages, 1)],
                )
            )
        self.name = f"ScoreAnswer {response.scorer}".strip()
        return list(response.context_relevance_scores)


class EnhancementExpander:
    def __init__(
        self,
        enhancement: query_enhancement_pb2_grpc.QueryEnhancementServiceStub,
        options: common_pb2.RetrievalOptions,
    ) -> None:
        self._enhancement = enhancement
        self._options = options

    async def expand(self, query: str, count: int) -> list[str]:
        strategies = [
            query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK,
            query_enhancement_pb2.ENHANCEMENT_STRATEGY_MULTI_QUERY,
        ]
        scope = common_pb2.RetrievalOptions()
        scope.CopyFrom(self._options)
        with calling("QueryEnhancementService"):
            response = await self._enhancement.EnhanceQuery(
                query_enhancement_pb2.EnhanceQueryRequest(
                    query=query,
                    strategies=strategies,
                    max_queries=min(10, max(1 + len(strategies), 1 + count)),
                    # Feedback from the same scope the agent searches.
                    prf=query_enhancement_pb2.PseudoRelevanceFeedbackOptions(retrieval=scope),
                )
            )
        return [q.text for q in response.enhanced_queries if not q.original][:count]


class GraphServiceLinker:
    def __init__(self, graph: graph_pb2_grpc.GraphServiceStub) -> None:
        self._graph = graph

    async def linked_documents(self, question: str, max_hops: int, limit: int) -> list[str]:
        with calling("GraphService"):
            response = await self._graph.TraverseGraph(
                graph_pb2.TraverseGraphRequest(
                    question=question, max_hops=max_hops, max_chunks=min(100, limit * 3)
                )
            )
        documents = dict.fromkeys(c.document_id for c in response.supporting_chunks)
        return list(documents)[:limit]

"""One Ask, start to end: the question checked, the experiment's variant applied, the one
retrieval path (``services.common.retrieval.Retriever``), the answer generated, the answer's
signals recorded in the background. The servicer converts nothing else: it hands the request
here once and returns what comes back.

The gateway's domain is the rag.v1 contract types; downstream errors become domain errors
(``services.runtime.downstream.calling``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence

from rag.v1 import (
    common_pb2,
    generation_pb2,
    generation_pb2_grpc,
    query_enhancement_pb2,
    rag_pb2,
)
from services.common.convert import duration
from services.common.retrieval import Retrieval, Retriever, Stages
from services.gateway.experiments import Assignment, ExperimentClient, Overrides, apply_variant
from services.gateway.settings import GatewaySettings
from services.runtime.call_context import current_call
from services.runtime.downstream import calling
from services.runtime.errors import FailedPrecondition, invalid_field

AskLike = rag_pb2.AskRequest | rag_pb2.AskStreamRequest


class Asker:
    def __init__(
        self,
        retriever: Retriever,
        generation: generation_pb2_grpc.GenerationServiceStub,
        settings: GatewaySettings,
        experiments: ExperimentClient | None = None,
    ) -> None:
        self._retriever = retriever
        self._generation = generation
        self._s = settings
        self._experiments = experiments

    async def ask(self, request: rag_pb2.AskRequest) -> rag_pb2.AskResponse:
        stages = Stages()
        asked = time.perf_counter()
        assignment, variant = await self._prepare(request)
        retrieval = await self._retrieve(request.question, variant, stages)
        started = time.perf_counter()
        with calling("GenerationService"):
            answer = await self._generation.Generate(
                generation_pb2.GenerateRequest(
                    question=request.question,
                    contexts=retrieval.chunks,
                    options=request.generation,
                )
            )
        stages.add("generate", started)
        self._observe(
            assignment, request.question, answer.answer, answer.citations, retrieval, asked
        )
        return rag_pb2.AskResponse(
            experiment_variant=assignment.variant.name if assignment else "",
            answer=answer.answer,
            citations=answer.citations,
            timings=timings(stages),
            enhanced_queries=_without_vectors(retrieval.queries),
            retrieved_chunk_count=len(retrieval.chunks),
            model_id=answer.model_id,
            finish_reason=answer.finish_reason,
            usage=answer.usage,
            request_id=request_id(),
        )

    async def ask_stream(
        self, request: rag_pb2.AskStreamRequest
    ) -> AsyncIterator[rag_pb2.AskStreamResponse]:
        stages = Stages()
        asked = time.perf_counter()
        assignment, variant = await self._prepare(request)
        yield _stage("retrieve", rag_pb2.STAGE_PHASE_STARTED)
        retrieval = await self._retrieve(request.question, variant, stages)
        for name, seconds in stages.timings:
            count = {"retrieve": len(retrieval.chunks), "graph": retrieval.graph_added}.get(name, 0)
            yield _stage(name, rag_pb2.STAGE_PHASE_FINISHED, seconds, count)
        yield _stage("generate", rag_pb2.STAGE_PHASE_STARTED)
        started = time.perf_counter()
        summary = generation_pb2.GenerationSummary()
        answer_parts: list[str] = []
        cited: list[common_pb2.Citation] = []
        with calling("GenerationService"):
            async for event in self._generation.GenerateStream(
                generation_pb2.GenerateStreamRequest(
                    question=request.question,
                    contexts=retrieval.chunks,
                    options=request.generation,
                )
            ):
                kind = event.WhichOneof("event")
                if kind == "text_delta":
                    answer_parts.append(event.text_delta)
                    yield rag_pb2.AskStreamResponse(answer_delta=event.text_delta)
                elif kind == "citation":
                    cited.append(event.citation)
                    yield rag_pb2.AskStreamResponse(citation=event.citation)
                elif kind == "summary":
                    summary = event.summary
        generate_s = stages.add("generate", started)
        yield _stage("generate", rag_pb2.STAGE_PHASE_FINISHED, generate_s, len(cited))
        self._observe(assignment, request.question, "".join(answer_parts), cited, retrieval, asked)
        yield rag_pb2.AskStreamResponse(
            summary=rag_pb2.AskSummary(
                experiment_variant=assignment.variant.name if assignment else "",
                timings=timings(stages),
                enhanced_queries=_without_vectors(retrieval.queries),
                retrieved_chunk_count=len(retrieval.chunks),
                model_id=summary.model_id,
                finish_reason=summary.finish_reason,
                usage=summary.usage,
                request_id=request_id(),
            )
        )

    # ---- the steps ------------------------------------------------------------------------

    def check_question(
        self, question: str, retrieval: common_pb2.RetrievalOptions, use_graph: bool
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
        if use_graph and self._retriever.graph is None:
            raise FailedPrecondition(
                message="use_graph needs GraphService, which this deployment does not run",
                reason="GRAPH_NOT_CONFIGURED",
            )
        options = common_pb2.RetrievalOptions()
        options.CopyFrom(retrieval)
        options.top_k = min(retrieval.top_k or self._s.default_top_k, self._s.max_top_k)
        return options

    async def _prepare(self, request: AskLike) -> tuple[Assignment | None, Overrides]:
        """The checked request with the experiment's variant (if any) applied over it."""
        options = self.check_question(request.question, request.retrieval, request.use_graph)
        assignment = None
        if request.experiment_id and self._experiments is not None:
            assignment = await self._experiments.assign(request.experiment_id)
        variant = apply_variant(
            assignment.variant if assignment else None,
            options,
            list(request.enhancement_strategies),
            request.use_graph,
            self._s.max_top_k,
        )
        return assignment, variant

    async def _retrieve(self, question: str, variant: Overrides, stages: Stages) -> Retrieval:
        return await self._retriever.retrieve(
            question, variant.options, variant.strategies, variant.use_graph, stages
        )

    def _observe(
        self,
        assignment: Assignment | None,
        question: str,
        answer: str,
        citations: Sequence[common_pb2.Citation],
        retrieval: Retrieval,
        asked: float,
    ) -> None:
        if self._experiments is not None:
            self._experiments.observe(
                assignment,
                question,
                answer,
                citations,
                retrieval.chunks,
                time.perf_counter() - asked,
            )


def timings(stages: Stages) -> list[common_pb2.StageTiming]:
    return [common_pb2.StageTiming(stage=n, duration=duration(s)) for n, s in stages.timings]


def request_id() -> str:
    call = current_call()
    return call.request_id if call else ""


def _stage(
    name: str, phase: int, seconds: float | None = None, count: int = 0
) -> rag_pb2.AskStreamResponse:
    event = rag_pb2.StageEvent(stage=name, phase=phase, result_count=count)  # type: ignore[arg-type]
    if seconds is not None:
        event.duration.CopyFrom(duration(seconds))
    return rag_pb2.AskStreamResponse(stage_event=event)


def _without_vectors(
    queries: Sequence[query_enhancement_pb2.EnhancedQuery],
) -> list[query_enhancement_pb2.EnhancedQuery]:
    """Enhanced queries for the response; their 384 floats each are of no use to a caller."""
    out = []
    for query in queries:
        copy = query_enhancement_pb2.EnhancedQuery()
        copy.CopyFrom(query)
        copy.ClearField("embedding")
        out.append(copy)
    return out

"""A/B experiments in the gateway: variant assignment, the variant's pipeline overrides, and
answer-quality signals recorded after the answer without delaying it.

Everything here talks to EvaluationService. Assignment is on the request path (the variant
decides how to retrieve); scoring and outcome recording run as background tasks whose
failures are logged and counted, never surfaced to the caller.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import grpc
from prometheus_client import Counter

from rag.v1 import common_pb2, evaluation_pb2, evaluation_pb2_grpc
from services.gateway.settings import GatewaySettings
from services.runtime.auth import ServiceCredentials
from services.runtime.call_context import current_call, set_current_call
from services.runtime.errors import NotFound, invalid_field
from services.runtime.identity import current_identity

log = logging.getLogger(__name__)

SIGNAL_FAILURES = Counter(
    "rag_gateway_answer_signal_failures_total",
    "Background answer scoring or outcome recording that failed or was dropped, by operation.",
    ["operation"],
)
EXPERIMENT_SKIPS = Counter(
    "rag_gateway_experiment_skipped_total",
    "Asks with an experiment id served without a variant, by reason.",
    ["reason"],
)


@dataclass(frozen=True)
class Assignment:
    experiment_id: str
    subject_key: str
    variant: evaluation_pb2.Variant


@dataclass(frozen=True)
class Overrides:
    """The request's pipeline settings after a variant applied its configuration."""

    options: common_pb2.RetrievalOptions
    strategies: list[int]
    use_graph: bool


def apply_variant(
    variant: evaluation_pb2.Variant | None,
    options: common_pb2.RetrievalOptions,
    strategies: Sequence[int],
    use_graph: bool,
    max_top_k: int,
) -> Overrides:
    """Variant.config over the request (evaluation.proto, Variant.config): non-zero mode,
    weights and top_k replace; filters and document ids narrow (AND); strategies and
    use_graph replace. An unset config changes nothing."""
    merged = common_pb2.RetrievalOptions()
    merged.CopyFrom(options)
    if variant is None or not variant.HasField("config"):
        return Overrides(merged, list(strategies), use_graph)
    config = variant.config
    wanted = config.retrieval
    if wanted.mode:
        merged.mode = wanted.mode
    if wanted.dense_weight:
        merged.dense_weight = wanted.dense_weight
    if wanted.keyword_weight:
        merged.keyword_weight = wanted.keyword_weight
    if wanted.top_k:
        merged.top_k = min(wanted.top_k, max_top_k)
    merged.filters.extend(wanted.filters)
    if wanted.document_ids:
        if merged.document_ids:
            both = [d for d in merged.document_ids if d in set(wanted.document_ids)]
            # An empty intersection would mean "all documents": keep the caller's narrower scope.
            if both:
                del merged.document_ids[:]
                merged.document_ids.extend(both)
        else:
            merged.document_ids.extend(wanted.document_ids)
    return Overrides(merged, list(config.enhancement_strategies), config.use_graph)


def subject_key() -> str:
    """The unit of randomisation: the token's subject; without auth, the request (per-call)."""
    identity = current_identity()
    if identity is not None:
        return identity.subject
    call = current_call()
    return f"request:{call.request_id}" if call else "anonymous"


class ExperimentClient:
    def __init__(
        self,
        stub: evaluation_pb2_grpc.EvaluationServiceStub,
        settings: GatewaySettings,
        credentials: ServiceCredentials | None = None,
    ) -> None:
        self._stub = stub
        self._settings = settings
        # Outcomes are recorded as the gateway (RecordOutcome needs rag-writer), so a reader
        # cannot write outcomes of their own by calling EvaluationService directly.
        self._credentials = credentials
        self._pending: set[asyncio.Task[None]] = set()

    async def assign(self, experiment_id: str) -> Assignment | None:
        """The caller's variant, or None when the experiment does not apply right now (not
        running, or EvaluationService unreachable: the Ask goes on without it)."""
        subject = subject_key()
        try:
            response = await self._stub.AssignVariant(
                evaluation_pb2.AssignVariantRequest(
                    experiment_id=experiment_id, subject_key=subject
                ),
                timeout=self._settings.experiment_assign_timeout_s,
            )
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound(
                    message=f"no experiment {experiment_id!r}",
                    reason="EXPERIMENT_NOT_FOUND",
                    metadata={"experiment_id": experiment_id},
                ) from exc
            if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise invalid_field("experiment_id", exc.details() or "invalid") from exc
            reason = "not_started" if exc.code() == grpc.StatusCode.FAILED_PRECONDITION else "error"
            if reason == "error":
                log.warning("experiment %s ignored: %s", experiment_id, exc.details())
            EXPERIMENT_SKIPS.labels(reason).inc()
            return None
        if not response.enrolled:
            EXPERIMENT_SKIPS.labels("not_running").inc()
            return None
        return Assignment(experiment_id, response.subject_key, response.variant)

    def observe(
        self,
        assignment: Assignment | None,
        question: str,
        answer: str,
        citations: Sequence[common_pb2.Citation],
        chunks: Sequence[common_pb2.ScoredChunk],
        latency_s: float,
    ) -> None:
        """Score the answer (exported as metrics by EvaluationService) and, in an experiment,
        record the signals as the subject's outcome. Returns at once."""
        if not answer.strip() or not (self._settings.score_answers or assignment):
            return
        if len(self._pending) >= self._settings.max_pending_answer_signals:
            SIGNAL_FAILURES.labels("dropped").inc()
            return
        cited = {c.chunk_id for c in citations}
        contexts = [c for c in chunks if c.chunk.id in cited]
        task = asyncio.create_task(
            self._observe(assignment, question, answer, list(citations), contexts, latency_s)
        )
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _observe(
        self,
        assignment: Assignment | None,
        question: str,
        answer: str,
        citations: list[common_pb2.Citation],
        contexts: list[common_pb2.ScoredChunk],
        latency_s: float,
    ) -> None:
        call = current_call()
        if call is not None:
            # The caller has its answer: its deadline no longer bounds this follow-up work.
            set_current_call(dataclasses.replace(call, deadline=None))
        timeout = self._settings.answer_signal_timeout_s
        operation = "score"
        try:
            scored = await self._stub.ScoreAnswer(
                evaluation_pb2.ScoreAnswerRequest(
                    question=question, answer=answer, contexts=contexts, citations=citations
                ),
                timeout=timeout,
            )
            if assignment is None:
                return
            operation = "record"
            signals = scored.signals
            outcome = evaluation_pb2.Outcome(
                id=call.request_id if call else f"t{time.time_ns()}",
                subject_key=assignment.subject_key,
                variant=assignment.variant.name,
                metric_values={
                    "context_relevance": signals.context_relevance,
                    "groundedness": signals.groundedness,
                    "citation_coverage": signals.citation_coverage,
                    "citation_precision": signals.citation_precision,
                    "latency_seconds": latency_s,
                },
            )
            as_gateway = (
                (("authorization", await self._credentials.authorization()),)
                if self._credentials is not None
                else None
            )
            await self._stub.RecordOutcome(
                evaluation_pb2.RecordOutcomeRequest(
                    experiment_id=assignment.experiment_id, outcome=outcome
                ),
                timeout=timeout,
                metadata=as_gateway,
            )
        except grpc.aio.AioRpcError as exc:
            SIGNAL_FAILURES.labels(operation).inc()
            log.warning(
                "answer signals (%s) failed: %s %s", operation, exc.code().name, exc.details()
            )
        except Exception:
            SIGNAL_FAILURES.labels(operation).inc()
            log.exception("answer signals (%s) failed", operation)

    async def drain(self) -> None:
        """Wait for background work (tests, shutdown)."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

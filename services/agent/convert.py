"""rag.v1 messages <-> the agent's domain types."""

from __future__ import annotations

from google.protobuf import duration_pb2

from rag.v1 import agent_pb2, common_pb2
from services.agent.core import AgentResult, Citation, RunRequest, Step, StepKind, StopReason
from services.agent.core import validate_request as validate
from services.agent.evidence import Passage
from services.agent.settings import AgentSettings
from services.common.convert import duration

STEP_KINDS = {
    StepKind.PLAN: agent_pb2.AGENT_STEP_KIND_PLAN,
    StepKind.RETRIEVE: agent_pb2.AGENT_STEP_KIND_RETRIEVE,
    StepKind.CHECK: agent_pb2.AGENT_STEP_KIND_CHECK,
    StepKind.REFINE: agent_pb2.AGENT_STEP_KIND_REFINE,
    StepKind.ANSWER: agent_pb2.AGENT_STEP_KIND_ANSWER,
}
STOP_REASONS = {
    StopReason.SUFFICIENT: agent_pb2.AGENT_STOP_REASON_SUFFICIENT,
    StopReason.STEP_BUDGET: agent_pb2.AGENT_STOP_REASON_STEP_BUDGET,
    StopReason.TIME_BUDGET: agent_pb2.AGENT_STOP_REASON_TIME_BUDGET,
    StopReason.NO_PROGRESS: agent_pb2.AGENT_STOP_REASON_NO_PROGRESS,
}


def _seconds(value: duration_pb2.Duration) -> float:
    # Negative durations keep their sign (seconds and nanos share it), so they are rejected.
    return value.seconds + value.nanos / 1e9


def run_request(
    settings: AgentSettings,
    request: agent_pb2.RunAgentRequest | agent_pb2.RunAgentStreamRequest,
) -> RunRequest:
    return validate(
        settings,
        question=request.question,
        max_steps=request.budget.max_steps,
        time_budget_s=_seconds(request.budget.time_budget),
        sufficiency_threshold=request.sufficiency_threshold,
        top_k=request.retrieval.top_k,
        use_graph=request.use_graph,
    )


def passage(scored: common_pb2.ScoredChunk) -> Passage:
    chunk = scored.chunk
    return Passage(
        chunk_id=chunk.id,
        document_id=chunk.document_id,
        text=chunk.text,
        title=chunk.title,
        score=scored.score,
        position=chunk.position,
        section_path=tuple(chunk.section_path),
        dense_score=scored.dense_score,
        keyword_score=scored.keyword_score,
    )


def scored_chunk(item: Passage, rank: int) -> common_pb2.ScoredChunk:
    return common_pb2.ScoredChunk(
        chunk=common_pb2.Chunk(
            id=item.chunk_id,
            document_id=item.document_id,
            text=item.text,
            title=item.title,
            position=item.position,
            section_path=item.section_path,
        ),
        score=item.score,
        dense_score=item.dense_score,
        keyword_score=item.keyword_score,
        rank=rank,
    )


def citation(message: common_pb2.Citation) -> Citation:
    return Citation(
        document_id=message.document_id,
        chunk_id=message.chunk_id,
        score=message.score,
        snippet=message.snippet,
        title=message.title,
        marker=message.marker,
    )


def agent_step(step: Step) -> agent_pb2.AgentStep:
    return agent_pb2.AgentStep(
        step_number=step.number,
        kind=STEP_KINDS[step.kind],
        round=step.round,
        sub_question=step.sub_question,
        queries=step.queries,
        found_chunk_ids=step.found_chunk_ids,
        new_chunk_count=step.new_chunk_count,
        sufficiency_score=step.sufficiency,
        duration=duration(step.duration_s),
        note=step.note,
    )


def agent_result(result: AgentResult) -> agent_pb2.AgentResult:
    return agent_pb2.AgentResult(
        answer=result.answer,
        citations=[
            common_pb2.Citation(
                document_id=c.document_id,
                chunk_id=c.chunk_id,
                score=c.score,
                snippet=c.snippet,
                title=c.title,
                marker=c.marker,
            )
            for c in result.citations
        ],
        steps=[agent_step(s) for s in result.steps],
        partial=result.partial,
        stop_reason=STOP_REASONS[result.stop_reason],
        final_sufficiency_score=result.final_sufficiency,
        duration=duration(result.duration_s),
    )

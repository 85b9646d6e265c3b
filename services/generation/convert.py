"""rag.v1 generation messages <-> domain types."""

from __future__ import annotations

from collections.abc import Sequence

from rag.v1 import common_pb2, generation_pb2
from services.generation.answers import (
    Answer,
    Context,
    GenerationRequest,
    GeneratorKind,
    UsedCitation,
)
from services.generation.settings import GenerationSettings

KINDS = {
    generation_pb2.GENERATOR_UNSPECIFIED: GeneratorKind.EXTRACTIVE,
    generation_pb2.GENERATOR_EXTRACTIVE: GeneratorKind.EXTRACTIVE,
    generation_pb2.GENERATOR_LOCAL_LM: GeneratorKind.LOCAL_LM,
    generation_pb2.GENERATOR_OPENAI_COMPATIBLE: GeneratorKind.OPENAI_COMPATIBLE,
}


def contexts(scored: Sequence[common_pb2.ScoredChunk]) -> list[Context]:
    return [
        Context(
            document_id=s.chunk.document_id,
            chunk_id=s.chunk.id,
            text=s.chunk.text,
            title=s.chunk.title,
            score=s.score,
        )
        for s in scored
    ]


def request(
    question: str,
    scored: Sequence[common_pb2.ScoredChunk],
    options: generation_pb2.GenerationOptions,
    settings: GenerationSettings,
) -> GenerationRequest:
    return GenerationRequest(
        question=question,
        contexts=contexts(scored),
        kind=KINDS.get(options.generator, GeneratorKind.EXTRACTIVE),
        max_answer_tokens=options.max_answer_tokens or settings.default_max_answer_tokens,
        max_citations=options.max_citations or settings.default_max_citations,
        temperature=options.temperature if options.HasField("temperature") else None,
    )


def citation(used: UsedCitation) -> common_pb2.Citation:
    return common_pb2.Citation(
        document_id=used.context.document_id,
        chunk_id=used.context.chunk_id,
        score=used.context.score,
        snippet=used.snippet,
        title=used.context.title,
        marker=used.marker,
    )


def finish_reason(answer: Answer) -> int:
    if answer.no_answer:
        return generation_pb2.FINISH_REASON_NO_ANSWER
    if answer.hit_token_limit:
        return generation_pb2.FINISH_REASON_MAX_TOKENS
    return generation_pb2.FINISH_REASON_STOP


def usage(answer: Answer) -> generation_pb2.TokenUsage:
    return generation_pb2.TokenUsage(
        prompt_tokens=answer.prompt_tokens, completion_tokens=answer.completion_tokens
    )


def response(answer: Answer) -> generation_pb2.GenerateResponse:
    return generation_pb2.GenerateResponse(
        answer=answer.text,
        citations=[citation(c) for c in answer.citations],
        model_id=answer.model_id,
        finish_reason=finish_reason(answer),  # type: ignore[arg-type]
        usage=usage(answer),
    )

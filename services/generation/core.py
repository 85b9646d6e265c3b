"""Answer generation (no gRPC): validation, generator choice, streaming and citations."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from services.generation.answers import (
    Answer,
    Context,
    GenerationRequest,
    GeneratorKind,
    UsedCitation,
)
from services.generation.extractive import answer_extractively
from services.generation.language_models import (
    LocalCausalLM,
    OpenAICompatibleClient,
    grounded_prompt,
    hypothetical_prompt,
)
from services.runtime.errors import FailedPrecondition, InvalidArgument, invalid_field

_CONFIG_HINT = {
    GeneratorKind.LOCAL_LM: "set RAGMESH_GENERATION_LOCAL_MODEL_PATH to a transformers model folder",
    GeneratorKind.OPENAI_COMPATIBLE: "set RAGMESH_GENERATION_OPENAI_BASE_URL",
}


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class CitationEvent:
    citation: UsedCitation


@dataclass(frozen=True)
class Finished:
    answer: Answer


StreamEvent = TextDelta | CitationEvent | Finished
LanguageModel = LocalCausalLM | OpenAICompatibleClient


class MarkerRenumberer:
    """Rewrites [n] source markers to 1..k by first use while text streams through.

    A marker may be split across pieces, so text after an unclosed '[' is held back.
    """

    _MARKER = re.compile(r"\[(\d{1,3})\]")

    def __init__(self, contexts: Sequence[Context], max_citations: int) -> None:
        self._contexts = contexts
        self._max = max_citations
        self._pending = ""
        self.mapping: dict[int, int] = {}

    def feed(self, piece: str) -> str:
        text = self._pending + piece
        cut = text.rfind("[")
        if cut != -1 and "]" not in text[cut:] and len(text) - cut <= 5:
            self._pending, text = text[cut:], text[:cut]
        else:
            self._pending = ""
        return self._MARKER.sub(self._renumber, text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._MARKER.sub(self._renumber, text)

    def _renumber(self, match: re.Match[str]) -> str:
        source = int(match.group(1))
        if not 1 <= source <= len(self._contexts):
            return ""
        if source not in self.mapping:
            if len(self.mapping) >= self._max:
                return ""
            self.mapping[source] = len(self.mapping) + 1
        return f"[{self.mapping[source]}]"

    def citations(self) -> list[UsedCitation]:
        return [
            UsedCitation(self._contexts[s - 1], marker, self._contexts[s - 1].text[:300])
            for s, marker in self.mapping.items()
        ]


class AnswerGenerator:
    def __init__(
        self,
        max_question_chars: int,
        max_contexts: int,
        max_answer_tokens_limit: int,
        local_lm: LocalCausalLM | None = None,
        openai: OpenAICompatibleClient | None = None,
    ) -> None:
        self._max_question_chars = max_question_chars
        self._max_contexts = max_contexts
        self._max_tokens_limit = max_answer_tokens_limit
        self._models: dict[GeneratorKind, LanguageModel] = {}
        if local_lm is not None:
            self._models[GeneratorKind.LOCAL_LM] = local_lm
        if openai is not None:
            self._models[GeneratorKind.OPENAI_COMPATIBLE] = openai

    def available(self) -> list[GeneratorKind]:
        return [GeneratorKind.EXTRACTIVE, *self._models]

    async def generate(self, request: GenerationRequest) -> Answer:
        answer: Answer | None = None
        async for event in self.stream(request):
            if isinstance(event, Finished):
                answer = event.answer
        assert answer is not None
        return answer

    async def stream(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        self._validate(request)
        if request.kind is GeneratorKind.EXTRACTIVE:
            answer = answer_extractively(
                request.question, request.contexts, request.max_citations, request.max_answer_tokens
            )
            answer.prompt_tokens = len(request.question.split()) + sum(
                len(c.text.split()) for c in request.contexts
            )
            answer.completion_tokens = len(answer.text.split())
            for i, word in enumerate(answer.text.split(" ")):
                yield TextDelta(word if i == 0 else " " + word)
            for citation in answer.citations:
                yield CitationEvent(citation)
            yield Finished(answer)
            return
        model = self._model(request.kind)
        if not request.contexts:
            answer = Answer(
                text="I could not find an answer to that in the available documents.",
                citations=[],
                no_answer=True,
                model_id=model.model_id,
            )
            yield TextDelta(answer.text)
            yield Finished(answer)
            return
        prompt = grounded_prompt(request.question, request.contexts)
        renumber = MarkerRenumberer(request.contexts, request.max_citations)
        pieces: list[str] = []
        count = 0
        usage: dict[str, int] = {}
        pieces_stream = (
            model.stream(prompt, request.max_answer_tokens, request.temperature, usage)
            if isinstance(model, LocalCausalLM)
            else model.stream(prompt, request.max_answer_tokens, request.temperature)
        )
        async for piece in pieces_stream:
            count += 1
            out = renumber.feed(piece)
            if out:
                pieces.append(out)
                yield TextDelta(out)
        tail = renumber.flush()
        if tail:
            pieces.append(tail)
            yield TextDelta(tail)
        citations = renumber.citations()
        for citation in citations:
            yield CitationEvent(citation)
        text = "".join(pieces).strip()
        # The local model reports exact counts; the HTTP stream gives one piece per token.
        completion = usage.get("completion_tokens", count)
        prompt_tokens = usage.get("prompt_tokens", len(prompt.split()))
        yield Finished(
            Answer(
                text=text,
                citations=citations,
                no_answer=not text,
                hit_token_limit=completion >= request.max_answer_tokens,
                model_id=model.model_id,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion,
            )
        )

    async def hypothetical_document(
        self, question: str, max_tokens: int, kind: GeneratorKind | None
    ) -> Answer:
        """A passage that would answer the question (HyDE); needs a language model."""
        self._validate_question(question)
        if kind is None or kind is GeneratorKind.EXTRACTIVE:
            if kind is GeneratorKind.EXTRACTIVE or not self._models:
                raise FailedPrecondition(
                    message="HyDE needs a generative model and this server has only the "
                    "extractive generator; " + " or ".join(_CONFIG_HINT.values()),
                    reason="GENERATOR_NOT_CONFIGURED",
                )
            kind = next(iter(self._models))
        model = self._model(kind)
        pieces = [p async for p in model.stream(hypothetical_prompt(question), max_tokens, None)]
        return Answer(text="".join(pieces).strip(), citations=[], model_id=model.model_id)

    def _model(self, kind: GeneratorKind) -> LanguageModel:
        model = self._models.get(kind)
        if model is None:
            raise FailedPrecondition(
                message=f"generator {kind.value} is not configured on this server: "
                + _CONFIG_HINT.get(kind, ""),
                reason="GENERATOR_NOT_CONFIGURED",
                metadata={"generator": kind.value},
            )
        return model

    def _validate_question(self, question: str) -> None:
        if not question.strip():
            raise invalid_field("question", "must not be empty")
        if len(question) > self._max_question_chars:
            raise invalid_field(
                "question",
                f"is {len(question)} characters; the limit is {self._max_question_chars}",
            )

    def _validate(self, request: GenerationRequest) -> None:
        self._validate_question(request.question)
        if len(request.contexts) > self._max_contexts:
            raise invalid_field(
                "contexts", f"{len(request.contexts)} contexts; the limit is {self._max_contexts}"
            )
        if not 1 <= request.max_answer_tokens <= self._max_tokens_limit:
            raise invalid_field(
                "options.max_answer_tokens", f"must be between 1 and {self._max_tokens_limit}"
            )
        if request.max_citations < 1:
            raise InvalidArgument(
                message="options.max_citations must be >= 1", reason="INVALID_FIELD"
            )

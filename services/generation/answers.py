"""Domain types of generation (no gRPC)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class GeneratorKind(enum.Enum):
    EXTRACTIVE = "extractive"
    LOCAL_LM = "local_lm"
    OPENAI_COMPATIBLE = "openai_compatible"


@dataclass(frozen=True)
class Context:
    """A retrieved chunk offered to the generator."""

    document_id: str
    chunk_id: str
    text: str
    title: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class UsedCitation:
    context: Context
    marker: int
    snippet: str


@dataclass
class Answer:
    text: str
    citations: list[UsedCitation]
    no_answer: bool = False
    hit_token_limit: bool = False
    model_id: str = "extractive"
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class GenerationRequest:
    question: str
    contexts: list[Context]
    kind: GeneratorKind = GeneratorKind.EXTRACTIVE
    max_answer_tokens: int = 256
    max_citations: int = 5
    temperature: float | None = None
    extra: dict[str, str] = field(default_factory=dict)

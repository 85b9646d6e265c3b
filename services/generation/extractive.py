"""Extractive answers: the context sentences that best answer the question, with citations.

No language model: sentences from the retrieved chunks are scored by IDF-weighted overlap
with the question (IDF over the candidate sentences), nudged by the chunk's retrieval rank;
near-duplicates are dropped; the chosen sentences are ordered by source rank and position
and each carries a [n] marker to its chunk.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from services.generation.answers import Answer, Context, UsedCitation

_WORD = re.compile(r"[a-z0-9]+")
# Sentence ends, or paragraph breaks; single newlines are hard wraps inside a sentence.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[`])|\n\s*\n")
_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "edly", "ies", "ed", "es", "s", "e")
_STOP = frozenset(
    (
        "a an and are as at be by can do does for from has have how i in is it its of on or that "
        "the their there these this to was what when where which who why will with you your we "
        "our they them not no"
    ).split()
)

NO_ANSWER = "I could not find an answer to that in the available documents."


@dataclass(frozen=True)
class _Sentence:
    context_index: int
    order: int
    text: str
    terms: frozenset[str]


def terms(text: str) -> list[str]:
    return [_stem(t) for t in _WORD.findall(text.lower()) if t not in _STOP and len(t) > 1]


def _stem(word: str) -> str:
    """Crude suffix stripping so "fuse", "fused" and "fusion" meet more often."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def sentences(text: str) -> list[str]:
    """Sentences of a chunk, unwrapped; Markdown headings and list markers dropped."""
    out = []
    for piece in _SENTENCE.split(text):
        lines = [ln.strip() for ln in piece.strip().splitlines()]
        lines = [ln.lstrip("-*> ").strip() for ln in lines if ln and not ln.startswith("#")]
        sentence = " ".join(lines)
        if len(sentence) > 20:
            out.append(sentence)
    return out


def answer_extractively(
    question: str, contexts: Sequence[Context], max_citations: int, max_tokens: int
) -> Answer:
    candidates = [
        _Sentence(i, j, s.strip(), frozenset(terms(s)))
        for i, ctx in enumerate(contexts)
        for j, s in enumerate(sentences(ctx.text))
    ]
    query = Counter(terms(question))
    if not candidates or not query:
        return Answer(text=NO_ANSWER, citations=[], no_answer=True)
    df = Counter(t for s in candidates for t in s.terms)
    n = len(candidates)

    def score(s: _Sentence) -> float:
        overlap = sum(math.log(1 + n / df[t]) * query[t] for t in s.terms if t in query)
        if overlap == 0:
            return 0.0
        # Prefer concise sentences and higher-ranked chunks, but let overlap dominate.
        return overlap / math.sqrt(max(len(s.terms), 4)) * (1.0 / (1 + 0.25 * s.context_index))

    ranked = sorted(((score(s), s) for s in candidates), key=lambda x: -x[0])
    best = ranked[0][0]
    chosen: list[_Sentence] = []
    budget = max_tokens
    for value, sentence in ranked:
        if value <= 0 or value < 0.35 * best:
            break
        if any(_jaccard(sentence.terms, c.terms) > 0.6 for c in chosen):
            continue  # says the same thing again
        cost = len(sentence.text.split())
        if chosen and cost > budget:
            continue
        chosen.append(sentence)
        budget -= cost
        if (
            len({c.context_index for c in chosen}) >= max_citations
            or budget <= 0
            or len(chosen) >= 4
        ):
            break
    if not chosen:
        return Answer(text=NO_ANSWER, citations=[], no_answer=True)
    chosen.sort(key=lambda s: (s.context_index, s.order))
    markers: dict[int, int] = {}
    parts: list[str] = []
    for sentence in chosen:
        marker = markers.setdefault(sentence.context_index, len(markers) + 1)
        parts.append(f"{sentence.text} [{marker}]")
    citations = [
        UsedCitation(context=contexts[index], marker=marker, snippet=_snippet(chosen, index))
        for index, marker in markers.items()
    ]
    return Answer(text=" ".join(parts), citations=citations, no_answer=False)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(len(a | b), 1)


def _snippet(chosen: list[_Sentence], index: int, limit: int = 300) -> str:
    text = " ".join(s.text for s in chosen if s.context_index == index)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"

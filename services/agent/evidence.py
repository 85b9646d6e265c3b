"""What the agent has found so far, per sub-question, and how well it covers each one.

Passages come only from VectorStoreService searches made with the caller's token, so
everything held here is something the caller may read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from services.agent.planning import entities, terms
from services.common.fusion import reciprocal_rank_fusion


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, with what the final answer and its citations need."""

    chunk_id: str
    document_id: str
    text: str
    title: str = ""
    score: float = 0.0
    position: int = 0
    section_path: tuple[str, ...] = ()
    dense_score: float = 0.0
    keyword_score: float = 0.0


def fuse(rankings: Sequence[Sequence[Passage]], top_k: int, k: float) -> list[Passage]:
    """Reciprocal rank fusion by chunk id; each passage keeps its first retrieval score."""
    first: dict[str, Passage] = {}
    for ranking in rankings:
        for passage in ranking:
            first.setdefault(passage.chunk_id, passage)
    scores = reciprocal_rank_fusion([([p.chunk_id for p in r], 1.0) for r in rankings], k)
    ordered = sorted(scores, key=lambda chunk_id: -scores[chunk_id])
    return [first[chunk_id] for chunk_id in ordered[:top_k]]


@dataclass
class _Ranked:
    scores: dict[str, float] = field(default_factory=dict)
    passages: dict[str, Passage] = field(default_factory=dict)

    def ranked(self) -> list[Passage]:
        return [self.passages[c] for c in sorted(self.scores, key=lambda c: -self.scores[c])]


class Evidence:
    """Passages per sub-question, ranked by reciprocal rank fusion over every search."""

    def __init__(self, sub_question_count: int, fusion_k: float) -> None:
        self._per_sub = [_Ranked() for _ in range(sub_question_count)]
        self._seen: set[str] = set()
        self._k = fusion_k

    @property
    def chunk_count(self) -> int:
        return len(self._seen)

    def add(self, sub_index: int, found: Sequence[Passage]) -> int:
        """Record one search result list for a sub-question; returns how many are new."""
        ranked = self._per_sub[sub_index]
        new = 0
        for passage in found:
            if passage.chunk_id not in self._seen:
                self._seen.add(passage.chunk_id)
                new += 1
            ranked.passages.setdefault(passage.chunk_id, passage)
        # This list's share of the fusion, added to what the earlier searches gave.
        for chunk_id, score in reciprocal_rank_fusion(
            [([p.chunk_id for p in found], 1.0)], self._k
        ).items():
            ranked.scores[chunk_id] = ranked.scores.get(chunk_id, 0.0) + score
        return new

    def for_sub_question(self, sub_index: int, limit: int) -> list[Passage]:
        return self._per_sub[sub_index].ranked()[:limit]

    def answer_contexts(self, sub_questions: Sequence[str], limit: int) -> list[Passage]:
        """The best passages of every sub-question, taken in turn, so each part is represented.

        Where a sub-question's passages are linked by its entities, only the linked ones are
        used: the others merely share its words and would crowd the answer.
        """
        lists = [
            linked_passages(question, r.ranked())[0]
            for question, r in zip(sub_questions, self._per_sub, strict=True)
        ]
        out: list[Passage] = []
        taken: set[str] = set()
        depth = 0
        while len(out) < limit and any(depth < len(lst) for lst in lists):
            for lst in lists:
                if depth < len(lst) and lst[depth].chunk_id not in taken and len(out) < limit:
                    taken.add(lst[depth].chunk_id)
                    out.append(lst[depth])
            depth += 1
        return out


def _mentions(passage: Passage, names: set[str]) -> bool:
    text = f"{passage.title} {passage.text}".lower()
    return any(name in text for name in names)


def linked_passages(sub_question: str, passages: Sequence[Passage]) -> tuple[list[Passage], bool]:
    """The passages about the sub-question's entities, directly or one hop away.

    A passage belongs when its document mentions an entity the sub-question names, or when
    it mentions an entity that such a passage names (the bridge of a multi-hop question:
    Widget Inc -> Halvard Marine Group -> its headquarters). Passages that merely share
    the question's vocabulary are left out, so they cannot make the evidence look complete.
    Returns the passages and whether they are linked; with no entity named, or none found,
    every passage counts and the flag is False.
    """
    named = {e.lower() for e in entities(sub_question)}
    anchored = [p for p in passages if named and _mentions(p, named)]
    if not anchored:
        return list(passages), False
    bridges = {e.lower() for p in anchored for e in entities(p.text)} - named
    documents = {p.document_id for p in anchored}
    documents |= {p.document_id for p in passages if bridges and _mentions(p, bridges)}
    return [p for p in passages if p.document_id in documents], True


def local_sufficiency(sub_question: str, passages: Sequence[Passage]) -> float:
    """How well ``passages`` cover a sub-question's terms, in [0, 1], without any model.

    Linked passages (see ``linked_passages``) count together: the share of the terms they
    cover between them. Unlinked ones must also stand on their own: half is the best single
    passage's coverage, half the coverage by all of them together, so a few passages that
    each share one word with the question do not add up to an answer.
    """
    chain, linked = linked_passages(sub_question, passages)
    if not chain:
        return 0.0
    wanted = terms(sub_question)
    if not wanted:
        return 1.0  # nothing specific asked: having found anything is all we can check
    found = [terms(f"{p.title} {p.text}") & wanted for p in chain]
    union = len(set().union(*found)) / len(wanted)
    if linked:
        return union
    best = max(len(f) for f in found) / len(wanted)
    return 0.5 * best + 0.5 * union

"""Rule-based planning: split a question into sub-questions and propose reformulations.

No model: comparisons ("X vs Y", "difference between X and Y", "compare X with Y"),
conjoined questions ("What is X and how does Y work?", "...? ...?") and questions naming
several entities become one sub-question per part; anything else stays one sub-question.
Reformulations are deterministic: the keyword form, the terms the evidence still lacks,
and feedback terms from what was found.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.common.text import QUESTION_STOPWORDS

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'_-]*")
_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "edly", "ies", "ed", "es", "s", "e")
# A question's function words, and the words that only say how to compare or explain.
STOPWORDS = QUESTION_STOPWORDS | frozenset(
    "compare compared comparison versus vs difference differences differ between tell explain "
    "describe much many".split()
)
_QUESTION_WORDS = (
    r"how|what|why|when|where|which|who|whom|whose|does|do|did|is|are|was|were|can|could|"
    r"should|would|will"
)
# "... and how does Y work": a second question joined by a conjunction.
_CONJOINED = re.compile(rf",?\s+(?:and|but|also|as well as)\s+(?=(?:{_QUESTION_WORDS})\b)", re.I)
_SENTENCE_END = re.compile(r"(?<=[?;])\s+")
_BETWEEN = re.compile(
    r"\b(?:differences?|distinction|trade-?offs?)\s+between\s+(?P<x>.+?)\s+and\s+(?P<y>.+?)"
    r"(?=\s+(?:in|for|on|when|regarding|with respect to)\b|[?.!,;]|$)",
    re.I,
)
_COMPARE = re.compile(
    r"\bcompar(?:e|es|ed|ing)\s+(?P<x>.+?)\s+(?:and|with|to|against)\s+(?P<y>.+?)"
    r"(?=\s+(?:in|for|on|when|regarding|in terms of)\b|[?.!,;]|$)",
    re.I,
)
_VERSUS = re.compile(
    r"(?P<x>[\w.+#/-]+(?:\s+[\w.+#/-]+){0,3}?)\s+(?:vs\.?|versus)\s+(?P<y>[\w.+#/-]+(?:\s+[\w.+#/-]+){0,3}?)"
    r"(?=\s+(?:in|for|on|when|regarding|with|at|is|are|better|worse|faster|slower|cheaper|more|less)\b"
    r"|[?.!,;:]|$)",
    re.I,
)
_LEADING_FILLER = re.compile(
    rf"^(?:(?:{_QUESTION_WORDS}|the|a|an|is|are|better|worse|faster|slower)\s+)+", re.I
)
# Entities: quoted phrases, capitalised runs (not the first word), acronyms, code-like tokens.
_QUOTED = re.compile(r"[\"“`']([^\"”`']{2,60})[\"”`']")
_CAPITALISED = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][\w-]*(?:\s+(?:of\s+)?[A-Z][\w-]*)*)")
_CODE_LIKE = re.compile(r"\b([A-Za-z]+[-_.][A-Za-z0-9][\w.-]*|[a-z]+[A-Z]\w*|[A-Z]{2,}\w*)\b")


def stem(word: str) -> str:
    """Crude suffix stripping so "fuse", "fused" and "fusion" meet more often."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning, in order, without duplicates."""
    return list(dict.fromkeys(w for w in words(text) if w not in STOPWORDS and len(w) > 1))


def terms(text: str) -> frozenset[str]:
    """Stemmed content words: what coverage is measured in."""
    return frozenset(stem(w) for w in content_words(text))


@dataclass(frozen=True)
class SubQuestion:
    """One part of the question, searched for on its own."""

    text: str
    queries: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    sub_questions: tuple[SubQuestion, ...]
    # Which rule split the question ("comparison", "conjunction", "entities", "single").
    strategy: str


def plan_question(question: str, max_sub_questions: int) -> Plan:
    """Decompose ``question``; the first rule that yields two or more parts wins."""
    text = " ".join(question.split())
    for strategy, parts in (
        ("comparison", _comparison_parts(text)),
        ("conjunction", _conjoined_parts(text)),
        ("entities", _entity_parts(text)),
    ):
        unique = _unique(parts)
        if len(unique) >= 2:
            chosen = unique[:max_sub_questions]
            return Plan(tuple(SubQuestion(p, (p,)) for p in chosen), strategy)
    return Plan((SubQuestion(text, (text,)),), "single")


def _unique(parts: Iterable[str]) -> list[str]:
    seen: set[frozenset[str]] = set()
    out: list[str] = []
    for part in parts:
        part = part.strip(" ,;")
        key = terms(part)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(part)
    return out


def _comparison_parts(text: str) -> list[str]:
    """ "Is X vs Y better for Z?" -> "Is X better for Z?", "Is Y better for Z?"."""
    match = _BETWEEN.search(text) or _COMPARE.search(text)
    if match:
        # The comparison words went with the match: what remains is the aspect compared.
        aspect = " ".join(content_words(text[: match.start()] + " " + text[match.end() :]))
        sides = [match.group("x").strip(), match.group("y").strip()]
        return [f"{side} {aspect}" if aspect else f"What is {side}?" for side in sides]
    match = _VERSUS.search(text)
    if match:
        full_x = match.group("x")
        # "Which is faster, dense vs BM25": the question words are not part of x.
        x = _LEADING_FILLER.sub("", full_x) or full_x
        before = text[: match.start("x") + len(full_x) - len(x)]
        after = text[match.end("y") :]
        return [" ".join(f"{before}{side}{after}".split()) for side in (x, match.group("y"))]
    return []


def _conjoined_parts(text: str) -> list[str]:
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        pieces = _CONJOINED.split(sentence)
        if len(pieces) > 1 and not pieces[0].rstrip().endswith("?"):
            pieces[0] = pieces[0].rstrip(" ,") + "?"
        parts.extend(p.strip()[:1].upper() + p.strip()[1:] for p in pieces if p.strip())
    # Parts without content words ("why?") are not worth a search.
    return [p for p in parts if terms(p)]


def entities(text: str) -> list[str]:
    """Named things in the text, in order of appearance, without duplicates."""
    found: list[tuple[int, str]] = []
    for pattern in (_QUOTED, _CAPITALISED, _CODE_LIKE):
        for match in pattern.finditer(text):
            value = match.group(1).strip()
            if value.lower() in STOPWORDS or len(value) < 2:
                continue
            found.append((match.start(1), value))
    found.sort()
    out: list[str] = []
    for _, value in found:
        # Keep the longer of overlapping finds ("Acme Corp" over "Acme").
        if any(value.lower() in kept.lower() for kept in out):
            continue
        out = [kept for kept in out if kept.lower() not in value.lower()]
        out.append(value)
    return out


def _entity_parts(text: str) -> list[str]:
    """Several entities: one search per entity, each with the rest of the question's words."""
    named = entities(text)
    if len(named) < 2:
        return []
    named_words = {w for e in named for w in content_words(e)}
    rest = [w for w in content_words(text) if w not in named_words]
    return [" ".join([e, *rest]) for e in named]


def keyword_form(text: str) -> str:
    return " ".join(content_words(text))


def missing_terms(sub_question: str, evidence_texts: Sequence[str]) -> list[str]:
    """Content words of the sub-question that no evidence passage contains."""
    seen = set().union(*(terms(t) for t in evidence_texts)) if evidence_texts else set()
    return [w for w in content_words(sub_question) if stem(w) not in seen]


def feedback_words(sub_question: str, evidence_texts: Sequence[str], count: int) -> list[str]:
    """Words frequent across the best passages and absent from the sub-question."""
    asked = terms(sub_question)
    spread: Counter[str] = Counter()
    for text in evidence_texts:
        spread.update({w for w in content_words(text) if stem(w) not in asked and len(w) > 2})
    return [w for w, n in spread.most_common() if n >= 2][:count]


def bridge_entities(sub_question: str, evidence_texts: Sequence[str], count: int) -> list[str]:
    """Entities the best passages name and the sub-question does not, in passage order.

    A multi-hop question names the first entity only ("the company that acquired Widget
    Inc"); the passage about it names the next one ("Halvard Marine Group"), which is what
    the missing part of the question is about.
    """
    asked = terms(sub_question)
    out: list[str] = []
    for text in evidence_texts:
        for entity in entities(text):
            if terms(entity) and not terms(entity) <= asked and entity not in out:
                out.append(entity)
    return out[:count]


def reformulations(
    sub_question: str, evidence_texts: Sequence[str], already_issued: Iterable[str]
) -> list[str]:
    """Queries worth trying next for a sub-question, best first, none issued before.

    The terms the evidence lacks come first, joined to the entity the best passage leads
    to (the next hop) and to the sub-question's own entity: they target exactly what is
    missing. Then the keyword form, then the question expanded with feedback terms from
    the passages found so far.
    """
    issued = {q.strip().lower() for q in already_issued}
    candidates: list[str] = []
    missing = missing_terms(sub_question, evidence_texts)
    if missing and len(missing) < len(content_words(sub_question)):
        hops = bridge_entities(sub_question, evidence_texts[:1], 1)
        own = entities(sub_question)[:1]
        for anchor in [a for a in (hops, own) if a] or [[]]:
            anchor_words = {w for a in anchor for w in content_words(a)}
            candidates.append(" ".join([*anchor, *(w for w in missing if w not in anchor_words)]))
    candidates.append(keyword_form(sub_question))
    feedback = feedback_words(sub_question, evidence_texts, 3)
    if feedback:
        candidates.append(" ".join([keyword_form(sub_question), *feedback]))
    out: list[str] = []
    for candidate in candidates:
        candidate = candidate.strip()
        if candidate and candidate.lower() not in issued and candidate not in out:
            out.append(candidate)
    return out

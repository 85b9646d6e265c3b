"""Query enhancement (no gRPC): multi-query rewrites, pseudo-relevance feedback, HyDE.

Each strategy returns weighted queries; the gateway searches each and fuses the rankings.
Downstream work (search, hypothetical passages, embeddings) comes in as plain async
functions so this module never knows about the mesh.
"""

from __future__ import annotations

import asyncio
import enum
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from services.common.text import QUESTION_STOPWORDS
from services.query_enhancement.settings import QueryEnhancementSettings
from services.runtime.errors import invalid_field

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]+")
_QUESTION_LEAD = re.compile(
    r"^(what|which|who|whom|whose|when|where|why|how)( (is|are|was|were|do|does|did|can|could|"
    r"should|would|will|many|much|long|often))?( the| a| an)? ",
    re.IGNORECASE,
)


class Strategy(enum.Enum):
    MULTI_QUERY = "multi_query"
    PSEUDO_RELEVANCE_FEEDBACK = "prf"
    HYDE = "hyde"


@dataclass(frozen=True)
class Feedback:
    """A retrieved passage used as (pseudo-)relevant feedback."""

    text: str
    score: float


@dataclass
class WeightedQuery:
    text: str
    weight: float
    strategy: Strategy | None  # None: the original query
    embedding: list[float] = field(default_factory=list)
    hypothetical_document: str = ""


@dataclass
class Enhancement:
    queries: list[WeightedQuery]
    timings: list[tuple[str, float]]


Search = Callable[[str, int], Awaitable[list[Feedback]]]
Hypothesize = Callable[[str], Awaitable[str]]
Embed = Callable[[list[str]], Awaitable[list[list[float]]]]


def content_terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in QUESTION_STOPWORDS]


def multi_query_rewrites(query: str) -> list[str]:
    """Deterministic rewrites that change what matches: keywords only, and a statement form."""
    rewrites: list[str] = []
    keywords = " ".join(dict.fromkeys(content_terms(query)))
    statement = _QUESTION_LEAD.sub("", query.strip()).rstrip("?").strip()
    for candidate in (keywords, statement):
        if candidate and candidate.lower() != query.strip().lower() and candidate not in rewrites:
            rewrites.append(candidate)
    return rewrites


def feedback_terms(query: str, feedback: Sequence[Feedback], count: int) -> list[str]:
    """RM3-style expansion terms: frequent in the top passages, weighted by their scores,
    favouring terms seen in several passages; the query's own terms are excluded."""
    asked = set(content_terms(query))
    weights: defaultdict[str, float] = defaultdict(float)
    spread: Counter[str] = Counter()
    top = max((f.score for f in feedback), default=1.0) or 1.0
    for item in feedback:
        terms = [t for t in content_terms(item.text) if t not in asked and len(t) > 2]
        if not terms:
            continue
        tf = Counter(terms)
        for term, n in tf.items():
            weights[term] += (n / len(terms)) * (0.5 + 0.5 * item.score / top)
            spread[term] += 1
    ranked = sorted(weights, key=lambda t: -(weights[t] * math.log(1 + spread[t])))
    return ranked[:count]


class QueryEnhancer:
    def __init__(
        self,
        search: Search,
        hypothesize: Hypothesize,
        embed: Embed,
        settings: QueryEnhancementSettings | None = None,
    ) -> None:
        self._search = search
        self._hypothesize = hypothesize
        self._embed = embed
        self.settings = settings or QueryEnhancementSettings()

    async def enhance(
        self,
        query: str,
        strategies: Sequence[Strategy],
        max_queries: int = 0,
        feedback_documents: int = 0,
        expansion_terms: int = 0,
    ) -> Enhancement:
        """0 for a count means the settings' default; ``max_queries`` over the limit is
        coerced down to it."""
        settings = self.settings
        if not query.strip():
            raise invalid_field("query", "must not be empty")
        if len(query) > settings.max_query_chars:
            raise invalid_field("query", f"longer than {settings.max_query_chars} characters")
        if max_queries < 0:
            raise invalid_field("max_queries", "must not be negative")
        max_queries = min(max_queries or settings.default_max_queries, settings.max_queries_limit)
        feedback_documents = feedback_documents or settings.default_feedback_documents
        expansion_terms = expansion_terms or settings.default_expansion_terms
        if feedback_documents < 1 or expansion_terms < 1:
            raise invalid_field("prf", "feedback_documents and expansion_terms must be >= 1")
        queries = [WeightedQuery(query, 1.0, None)]
        timings: list[tuple[str, float]] = []

        async def timed(name: str, work: Awaitable[list[WeightedQuery]]) -> list[WeightedQuery]:
            started = time.perf_counter()
            result = await work
            timings.append((name, time.perf_counter() - started))
            return result

        jobs = []
        for strategy in dict.fromkeys(strategies):
            if strategy is Strategy.MULTI_QUERY:
                jobs.append(timed("multi_query", self._multi_query(query)))
            elif strategy is Strategy.PSEUDO_RELEVANCE_FEEDBACK:
                jobs.append(timed("prf", self._prf(query, feedback_documents, expansion_terms)))
            elif strategy is Strategy.HYDE:
                jobs.append(timed("hyde", self._hyde(query)))
        for produced in await asyncio.gather(*jobs):
            queries.extend(produced)
        return Enhancement(queries=queries[:max_queries], timings=timings)

    async def _multi_query(self, query: str) -> list[WeightedQuery]:
        return [WeightedQuery(q, 0.7, Strategy.MULTI_QUERY) for q in multi_query_rewrites(query)]

    async def _prf(self, query: str, documents: int, terms: int) -> list[WeightedQuery]:
        feedback = await self._search(query, documents)
        expansion = feedback_terms(query, feedback, terms)
        if not expansion:
            return []
        return [
            WeightedQuery(f"{query} {' '.join(expansion)}", 0.8, Strategy.PSEUDO_RELEVANCE_FEEDBACK)
        ]

    async def _hyde(self, query: str) -> list[WeightedQuery]:
        passage = await self._hypothesize(query)
        if not passage.strip():
            return []
        (vector,) = await self._embed([passage])
        return [
            WeightedQuery(
                query, 1.0, Strategy.HYDE, embedding=vector, hypothetical_document=passage
            )
        ]

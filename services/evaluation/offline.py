"""Offline retrieval evaluation: run each labelled query through a ranker, score the ranking.

The ranker is any async function from query text to document ids in rank order, so this
module knows nothing about the mesh; ``pipeline_client.MeshRanker`` is the real one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from services.evaluation.labeled_sets import LabeledSet
from services.evaluation.retrieval_metrics import (
    MetricsAtK,
    first_relevant_rank,
    mean_metrics,
    metrics_at,
    ranked_documents,
)
from services.runtime.errors import ResourceExhausted, invalid_field

Rank = Callable[[str, int], Awaitable[list[str]]]  # (query text, depth) -> document ids
DEFAULT_KS = (10, 100)


@dataclass(frozen=True)
class QueryResult:
    query_id: str
    metrics: list[MetricsAtK]
    first_relevant_rank: int
    retrieved_document_count: int
    latency_s: float


@dataclass(frozen=True)
class Evaluation:
    metrics: list[MetricsAtK]
    queries: list[QueryResult]
    total_query_count: int
    evaluated_query_count: int
    skipped_query_count: int
    latency_p50_s: float
    latency_p95_s: float


def cutoffs(values: Sequence[int], max_k: int, max_values: int) -> list[int]:
    if len(values) > max_values:
        raise invalid_field("k_values", f"{len(values)} values; at most {max_values}")
    for i, k in enumerate(values):
        if not 1 <= k <= max_k:
            raise invalid_field(f"k_values[{i}]", f"{k} is outside 1-{max_k}")
    return sorted(set(values)) if values else list(DEFAULT_KS)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class RetrievalEvaluator:
    """Bounds how many evaluations run at once and how many queries each has in flight."""

    def __init__(self, max_running: int, query_concurrency: int, max_queries: int) -> None:
        self._max_running = max_running
        self._running = 0
        self._query_concurrency = query_concurrency
        self._max_queries = max_queries

    async def evaluate(
        self, labeled: LabeledSet, ks: Sequence[int], max_queries: int, rank: Rank
    ) -> Evaluation:
        if max_queries < 0:
            raise invalid_field("max_queries", "must not be negative")
        if max_queries > self._max_queries:
            raise invalid_field("max_queries", f"must be at most {self._max_queries}")
        if not max_queries and len(labeled.queries) > self._max_queries:
            raise invalid_field(
                "max_queries",
                f"the set has {len(labeled.queries)} queries; set max_queries to at most "
                f"{self._max_queries}",
            )
        if self._running >= self._max_running:
            raise ResourceExhausted(
                message=f"{self._running} evaluations are running; the limit is "
                f"{self._max_running}",
                reason="TOO_MANY_EVALUATIONS",
                retry_after_s=5.0,
            )
        self._running += 1
        try:
            return await self._evaluate(labeled, ks, max_queries, rank)
        finally:
            self._running -= 1

    async def _evaluate(
        self, labeled: LabeledSet, ks: Sequence[int], max_queries: int, rank: Rank
    ) -> Evaluation:
        selected = labeled.select(max_queries)
        # As BEIR and pytrec_eval do: a query with nothing relevant cannot be scored.
        scored = [q for q in selected if labeled.has_relevant(q)]
        depth = max(ks)
        slots = asyncio.Semaphore(self._query_concurrency)

        async def one(query_id: str) -> QueryResult:
            async with slots:
                started = time.perf_counter()
                documents = ranked_documents(await rank(labeled.queries[query_id], depth), depth)
                elapsed = time.perf_counter() - started
            judged = labeled.judgments.get(query_id, {})
            return QueryResult(
                query_id,
                metrics_at(documents, judged, ks),
                first_relevant_rank(documents, judged),
                len(documents),
                elapsed,
            )

        # A failed query fails the evaluation (no partial result), cancelling the others.
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(q)) for q in scored]
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from None
        results = [t.result() for t in tasks]
        latencies = [r.latency_s for r in results]
        return Evaluation(
            metrics=mean_metrics([r.metrics for r in results], ks),
            queries=results,
            total_query_count=len(labeled.queries),
            evaluated_query_count=len(results),
            skipped_query_count=len(selected) - len(scored),
            latency_p50_s=percentile(latencies, 50),
            latency_p95_s=percentile(latencies, 95),
        )

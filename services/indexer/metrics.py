"""Prometheus metrics of the indexer (served on the process's /metrics with the rest)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

QUEUE_DEPTH = Gauge(
    "rag_indexer_queue_depth", "Changes waiting in a queue (queued or retrying).", ["queue"]
)
PROCESSED = Counter(
    "rag_indexer_changes_processed_total", "Changes applied (searchable or removed).", ["queue"]
)
FAILED = Counter(
    "rag_indexer_changes_failed_total",
    "Failed attempts to apply a change (a change may fail several times).",
    ["queue"],
)
DEAD_LETTERED = Counter(
    "rag_indexer_changes_dead_lettered_total", "Changes moved to the dead letters.", ["queue"]
)
FRESHNESS_LAG = Histogram(
    "rag_indexer_freshness_lag_seconds",
    "Time from a change being seen (file event, poll, webhook) to it being searchable.",
    ["queue"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 600, 1800),
)
APPLY_CALL_DOCUMENTS = Histogram(
    "rag_indexer_apply_call_documents",
    "Upserts sent per call to RagService (1: IngestDocument; more: BatchIngestDocuments).",
    buckets=(1, 2, 4, 8, 16, 32, 64, 100),
)

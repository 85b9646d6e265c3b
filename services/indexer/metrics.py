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
SOURCE_LAG_BYTES = Gauge(
    "rag_indexer_source_lag_bytes",
    "Bytes a source's cursor is behind the source (PostgreSQL: WAL its replication slot "
    "keeps on the server's disk).",
    ["source"],
)
SOURCE_ERRORS = Counter(
    "rag_indexer_source_errors_total",
    "Times reading a source failed (unreachable, refused); the source retries with backoff.",
    ["source"],
)
SOURCE_LAG_COMMITS = Gauge(
    "rag_indexer_source_lag_commits",
    "Commits on a Git source's fetched head not queued yet; -1 when unknown (unreachable, "
    "or history rewritten and being compared in full).",
    ["source"],
)
SOURCE_EVENTS = Counter(
    "rag_indexer_source_events_total",
    "Deliveries pushed to a source's events URL (S3 notifications, Confluence, SharePoint), "
    "by outcome: queued, ignored (nothing for the index), refused (bad signature or client "
    "state, malformed, secret unset).",
    ["source", "outcome"],
)

"""IndexerService settings (``RAGMESH_INDEXER_*``).

| variable | default | meaning |
| --- | --- | --- |
| ``RAGMESH_INDEXER_STATE_PATH`` | ``.ragmesh/indexer/queue.sqlite3`` | durable queues, sources, dead letters (SQLite, WAL) |
| ``RAGMESH_INDEXER_UPDATE_QUEUE_CAPACITY`` | ``10000`` | waiting upserts before NotifyChange answers RESOURCE_EXHAUSTED |
| ``RAGMESH_INDEXER_DELETION_QUEUE_CAPACITY`` | ``10000`` | waiting deletions, likewise |
| ``RAGMESH_INDEXER_UPDATE_WORKERS`` | ``3`` | batches of upserts applied concurrently (one change per document at a time); with more than one, the first takes only live edits |
| ``RAGMESH_INDEXER_APPLY_BATCH_MAX`` | ``32`` | most upserts one worker applies in one BatchIngestDocuments call (a lone change goes at once) |
| ``RAGMESH_INDEXER_APPLY_BATCH_MAX_BYTES`` | ``1048576`` | content bytes per batch call; a larger document goes alone |
| ``RAGMESH_INDEXER_DELETION_WORKERS`` | ``1`` | deletions applied concurrently, independent of upserts |
| ``RAGMESH_INDEXER_MAX_ATTEMPTS`` | ``5`` | attempts of a transient failure before the dead letters |
| ``RAGMESH_INDEXER_WATCH_PATHS`` | ``[]`` | folders to watch from start (``ragmesh up --watch DIR``), JSON list |
| ``RAGMESH_INDEXER_WATCH_ACCESS_GROUPS`` | ``[]`` | default access list of watched folders' documents, JSON list |
| ``RAGMESH_INDEXER_WEBHOOK_PORT`` | ``0`` | plain HTTP webhook port (``POST /v1/changes``); 0 picks one, -1 disables |
"""

from __future__ import annotations

import json

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.runtime.local_run import LocalRun


class IndexerSettings(BaseSettings):
    """Queues, workers, retries, detectors and the webhook of one indexer process."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_INDEXER_", extra="ignore", frozen=True)

    state_path: str = ".ragmesh/indexer/queue.sqlite3"
    update_queue_capacity: int = Field(default=10_000, gt=0)
    deletion_queue_capacity: int = Field(default=10_000, gt=0)
    # With more than one, one of them is kept for live edits (never bulk work).
    update_workers: int = Field(default=3, gt=0, le=32)
    deletion_workers: int = Field(default=1, gt=0, le=32)
    # A worker claims what is waiting, up to this many changes, and applies the upserts in
    # one RagService.BatchIngestDocuments call (the gateway's limit is 100 documents). It
    # never waits for a batch to fill: a lone change is claimed and applied alone.
    apply_batch_max: int = Field(default=32, gt=0, le=100)
    # Content bytes per batch call, so one call stays well inside apply_timeout_s and the
    # message limits; a document over it is applied alone.
    apply_batch_max_bytes: int = Field(default=1024 * 1024, gt=0)
    max_attempts: int = Field(default=5, gt=0, le=100)
    # Exponential backoff between attempts: base * 2^(attempt-1), capped.
    retry_base_s: float = Field(default=1.0, gt=0)
    retry_max_s: float = Field(default=300.0, gt=0)
    # Seconds a client waits before retrying a write to a full queue (RetryInfo).
    queue_full_retry_s: float = Field(default=2.0, gt=0)
    # Timeout of one apply call to RagService (parse, chunk, embed, store).
    apply_timeout_s: float = Field(default=120.0, gt=0)
    # The gateway's IngestDocument limit: larger documents go to the dead letters at once.
    max_document_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    # NotifyChange's contract limit for inline content.
    max_notify_bytes: int = Field(default=32 * 1024 * 1024, gt=0)
    max_sources: int = Field(default=100, gt=0)
    # File events: a path is read once it has been quiet this long (editors save in bursts),
    # or at the latest after the max wait when it keeps changing.
    debounce_s: float = Field(default=0.25, ge=0)
    debounce_max_wait_s: float = Field(default=2.0, gt=0)
    # Memory bound of the debounce buffer; past it, events are dropped and the source is
    # rescanned instead (the rescan streams and blocks on full queues).
    max_pending_paths: int = Field(default=10_000, gt=0)
    watch_paths: list[str] = Field(default_factory=list)
    watch_access_groups: list[str] = Field(default_factory=list)
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=0, ge=-1, le=65535)
    # Final changes are kept this long for GetChange; idempotency keys for 24 hours.
    retention_s: float = Field(default=7 * 24 * 3600.0, gt=0)
    idempotency_window_s: float = Field(default=24 * 3600.0, gt=0)
    # Freshness-lag samples kept for the status percentiles.
    lag_samples: int = Field(default=1000, gt=0)


def local_env(run: LocalRun) -> dict[str, str]:
    """`ragmesh up`: the queue lives with the rest of the mesh's state; the folders and the
    webhook port are what `up` was asked for (relative folders resolve in the indexer,
    which runs from the repository root)."""
    return {
        "RAGMESH_INDEXER_STATE_PATH": str(run.state_dir / "indexer" / "queue.sqlite3"),
        "RAGMESH_INDEXER_WATCH_PATHS": json.dumps([str(p) for p in run.watch]),
        "RAGMESH_INDEXER_WEBHOOK_PORT": str(run.webhook_port),
    }

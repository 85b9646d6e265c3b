"""The indexer's domain types: changes, their states, queues and dead letters. No I/O."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class ChangeKind(enum.IntEnum):
    """What a change does; values match rag.v1.ChangeKind."""

    UPSERT = 1
    DELETE = 2

    @property
    def queue(self) -> QueueKind:
        return QueueKind.UPDATE if self is ChangeKind.UPSERT else QueueKind.DELETION


class ChangeState(enum.IntEnum):
    """Progress of a change; values match rag.v1.ChangeState."""

    QUEUED = 1
    APPLYING = 2
    APPLIED = 3
    FAILED = 4
    DEAD_LETTERED = 5
    SUPERSEDED = 6


# States in which a change still waits for a worker.
WAITING = (ChangeState.QUEUED, ChangeState.FAILED)
FINAL = (ChangeState.APPLIED, ChangeState.SUPERSEDED)


class QueueKind(enum.IntEnum):
    """One of the two durable queues; values match rag.v1.QueueKind."""

    UPDATE = 1
    DELETION = 2

    @property
    def label(self) -> str:
        return "update" if self is QueueKind.UPDATE else "deletion"


class Origin(enum.StrEnum):
    """Where a change was detected (Change.origin)."""

    WEBHOOK = "webhook"
    FILESYSTEM = "filesystem"
    DATABASE = "database"
    GIT = "git"
    S3 = "s3"
    INITIAL_SYNC = "initial_sync"


@dataclass(frozen=True)
class DocumentPayload:
    """Inline content and attributes of a webhook upsert (kept until the change is final)."""

    content: bytes
    content_type: str = "text/plain"
    title: str = ""
    source: str = ""
    access_groups: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeRequest:
    """A change to put on a queue: from a webhook or a detector."""

    kind: ChangeKind
    document_id: str
    origin: Origin
    source_id: str = ""
    idempotency_key: str = ""
    # Fingerprint of the whole request, to tell a retry from a reused key.
    request_hash: str = ""
    # Inline content (webhook); None means "read it from the source when applying".
    payload: DocumentPayload | None = None
    # Hash the detector saw, so that a save that changes nothing is skipped.
    seen_hash: str = ""
    # Wall-clock time the change was first seen (freshness lag starts here).
    seen_time: float = 0.0
    # Bulk work (a sync, a rescan, new files): queued behind edits of indexed documents.
    bulk: bool = False

    @property
    def priority(self) -> int:
        """Single live changes go before bulk work, so an edit is not stuck behind a sync."""
        return 1 if self.bulk or self.origin is Origin.INITIAL_SYNC else 0


@dataclass(frozen=True)
class Change:
    """A queued change and its progress (rag.v1.Change)."""

    id: str
    seq: int
    kind: ChangeKind
    document_id: str
    source_id: str
    origin: Origin
    idempotency_key: str
    state: ChangeState
    enqueue_time: float
    update_time: float
    seen_time: float
    apply_time: float | None = None
    attempt_count: int = 0
    next_attempt_time: float | None = None
    last_error: str = ""
    superseded_by: str = ""
    content_hash: str = ""
    has_payload: bool = False

    @property
    def queue(self) -> QueueKind:
        return self.kind.queue


@dataclass(frozen=True)
class DeadLetter:
    """A change that failed every attempt and was set aside (rag.v1.DeadLetter)."""

    change: Change
    first_failure_time: float
    dead_letter_time: float
    errors: tuple[str, ...]


@dataclass(frozen=True)
class QueueStats:
    """Depth and capacity of one queue, from the durable store."""

    queue: QueueKind
    depth: int
    capacity: int
    in_flight: int
    retrying: int
    oldest_enqueue_time: float | None


@dataclass(frozen=True)
class ApplyFailure(Exception):
    """Applying a change failed. ``permanent``: retrying cannot help (dead-letter now)."""

    message: str
    permanent: bool = False

    def __str__(self) -> str:
        return self.message

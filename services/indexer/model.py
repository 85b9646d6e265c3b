"""What the indexer takes and reports (domain types of its contract) and the ports it applies
changes through (``DocumentSink``, ``WriteAccess``); the behaviour is services/indexer/core.py."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from services.common.documents import DocumentInput
from services.indexer.changes import ApplyFailure, ChangeKind, DocumentPayload, QueueStats
from services.indexer.sources import SourceStatus

T = TypeVar("T")

# What the sink is handed is what any caller submits: the shared document type.
DocumentToIndex = DocumentInput


class DocumentSink(Protocol):
    """Where changes are applied: every index (dense, keyword, graph) behind one call."""

    async def upsert(self, document: DocumentToIndex) -> None: ...

    async def upsert_many(self, documents: Sequence[DocumentToIndex]) -> list[ApplyFailure | None]:
        """Upsert several documents, each independently: one outcome per document, in order
        (None: applied). Raises when the call fails as a whole (nothing known per document)."""
        ...

    async def delete(self, document_id: str) -> None: ...


class WriteAccess(Protocol):
    """What the current caller may know of a stored document, to refuse a change early."""

    async def stored_groups(self, document_id: str) -> tuple[str, ...] | None:
        """The stored document's access list, None when there is none; PERMISSION_DENIED
        when it exists hidden from the caller."""
        ...


@dataclass(frozen=True)
class NotifyInput:
    """A NotifyChange request in domain terms."""

    idempotency_key: str
    kind: ChangeKind | None
    document_id: str
    request_hash: str
    source_id: str = ""
    payload: DocumentPayload | None = None


@dataclass(frozen=True)
class FreshnessSummary:
    last_s: float
    p50_s: float
    p95_s: float
    sample_count: int


@dataclass(frozen=True)
class QueueTotals:
    processed: int
    failed: int
    dead_lettered: int


@dataclass(frozen=True)
class IndexerStatus:
    queues: list[tuple[QueueStats, QueueTotals]]
    freshness: FreshnessSummary
    sources: list[SourceStatus]
    dead_letter_count: int
    start_time: float


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str


def text_problem(content: bytes) -> str | None:
    """Why text content cannot be indexed (binary or not UTF-8), or None if it can."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"UNDECODABLE_CONTENT: not valid UTF-8 at byte {exc.start}"
    if "\x00" in text:
        return "BINARY_CONTENT: text contains NUL bytes (binary data?)"
    return None


def fingerprint(document: DocumentToIndex) -> str:
    """Identity of what gets indexed: content hash plus every attribute stored with it."""
    body = json.dumps(
        [
            hashlib.sha256(document.content).hexdigest(),
            document.content_type,
            document.title,
            document.source,
            sorted(document.access_groups),
            sorted(document.metadata.items()),
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()

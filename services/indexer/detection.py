"""What change detectors share: the intake they report to, and id-safe document keys."""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

from services.indexer.changes import ChangeRequest, DocumentPayload
from services.indexer.queue_store import KnownDocument
from services.indexer.sources import SourceState

_UNSAFE = re.compile(r"[^A-Za-z0-9._:/-]")
MAX_KEY = 180  # leaves room for the source id prefix within the 256-character id limit


def safe_key(raw: str) -> str:
    """A document-id-safe form of a path or row id; unsafe ones get a hash suffix so that
    two different names never map to the same id."""
    key = _UNSAFE.sub("_", raw)
    if key == raw and len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{key[: MAX_KEY - 11]}.{digest}"


class ChangeIntake(Protocol):
    """Where detectors send changes and read what is already known."""

    async def submit_detected(self, request: ChangeRequest) -> None:
        """Queue durably, waiting while the queue is full (backpressure)."""

    async def known(self, document_id: str) -> KnownDocument | None: ...

    async def source_documents(self, source_id: str) -> list[KnownDocument]: ...

    async def set_locator(self, document_id: str, source_id: str, locator: str) -> None: ...

    async def set_source_state(
        self, source_id: str, state: SourceState, error: str = "", synced: bool = False
    ) -> None: ...

    async def cursor(self, source_id: str) -> str: ...

    async def set_cursor(self, source_id: str, cursor: str) -> None: ...

    async def queue_with_cursor(
        self, source_id: str, changes: list[tuple[ChangeRequest, str]], cursor: str
    ) -> None:
        """Queue changes (each with its document's locator, "" to keep it) and move the
        source's cursor ("" keeps it) in one transaction, waiting while a queue is full."""


class Detector(Protocol):
    """A running source: detects its changes, and reads a document's current content."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def read(self, document_id: str, locator: str) -> DocumentPayload | None:
        """The document's current content, or None when the source no longer has it."""

"""Sources that push their changes as HTTP events to the indexer's webhook port
(``POST /v1/sources/{id}/events``): what a vendor's event becomes, and the detector that
queues it (Confluence, SharePoint; services/indexer/confluence.py, sharepoint.py parse).

Nothing is fetched from the vendor: an event that carries a page's content becomes an
upsert of that content, a removal becomes a deletion, and an event without content is
queued as an upsert to read from the source, which fails at once with NEEDS_FETCH (dead
letter, GetChange.last_error) and marks the source's last error: the indexed version, if
any, is stale until a fetcher exists or the vendor sends the content.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from services.indexer import metrics
from services.indexer.changes import (
    ApplyFailure,
    ChangeKind,
    ChangeRequest,
    DocumentPayload,
    Origin,
)
from services.indexer.detection import ChangeIntake, safe_key
from services.indexer.sources import SourceSpec, SourceState, document_id
from services.runtime.errors import InvalidArgument, Unavailable


@dataclass(frozen=True)
class EventDelivery:
    """One HTTP request to a source's events URL: raw body (signatures cover the bytes),
    headers with lower-case names, query parameters."""

    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemEvent:
    """What one vendor event says about one item (page, list item, file) of the source."""

    key: str
    kind: ChangeKind
    title: str = ""
    # None: the event does not carry the content (it would have to be fetched).
    content: bytes | None = None
    content_type: str = "text/html"
    # None: the event says nothing about who may read it (the source's groups apply).
    access_groups: tuple[str, ...] | None = None
    link: str = ""


@dataclass(frozen=True)
class EventBatch:
    """A delivery, parsed: its item events, the position it brings the source to, and what
    else the source must report (a vendor's lifecycle notice) or reply (a handshake)."""

    events: tuple[ItemEvent, ...] = ()
    cursor: str = ""
    notice: str = ""
    # Text to answer with instead of queueing (SharePoint's validation handshake).
    reply: str | None = None
    ignored: int = 0


@dataclass(frozen=True)
class EventOutcome:
    """What the webhook answers: the handshake text, or how many events were queued."""

    reply: str | None = None
    queued: int = 0
    ignored: int = 0


@runtime_checkable
class EventReceiver(Protocol):
    """A detector that takes pushed events (S3 notifications, SaaS webhooks)."""

    async def receive(self, delivery: EventDelivery) -> EventOutcome: ...


EventParser = Callable[[EventDelivery], EventBatch]
NEEDS_FETCH = "needs-fetch"


def json_body(delivery: EventDelivery) -> Any:
    """The delivery's JSON body; INVALID_ARGUMENT (nothing queued) when it is not JSON."""
    try:
        return json.loads(delivery.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidArgument(message=f"body is not JSON: {exc}", reason="INVALID_EVENT") from exc


def webhook_secret(name: str, environ: Mapping[str, str] | None = None) -> str:
    """A source's secret, read when an event arrives: without it events are refused
    (503), never accepted unchecked."""
    value = (os.environ if environ is None else environ).get(name, "")
    if not value:
        raise Unavailable(
            message=f"environment variable {name} (this source's secret) is not set on the "
            "indexer; events are refused until it is",
            reason="SECRET_NOT_SET",
        )
    return value


class PushedSource:
    """A source known only through its events: nothing to poll, nothing to read back."""

    def __init__(self, spec: SourceSpec, intake: ChangeIntake, parse: EventParser) -> None:
        self.spec = spec
        self._intake = intake
        self._parse = parse
        self.vendor = spec.kind.name.lower()

    async def start(self) -> None:
        # No initial sync: the vendor pushes; a new source is ready at once. A restart keeps
        # what the last delivery reported (a NEEDS_FETCH stays in last_error).
        if not await self._intake.cursor(self.spec.id):
            await self._intake.set_source_state(self.spec.id, SourceState.ACTIVE, synced=True)

    async def stop(self) -> None:
        return None

    async def receive(self, delivery: EventDelivery) -> EventOutcome:
        """Verify and parse (raises Unauthenticated, PermissionDenied, InvalidArgument with
        nothing queued), then queue every change of the delivery in one transaction."""
        batch = self._parse(delivery)
        if batch.reply is not None:
            return EventOutcome(reply=batch.reply)
        now = time.time()
        changes: list[tuple[ChangeRequest, str]] = []
        recorded = 0
        for event in batch.events:
            request, locator = self._change(event, now)
            if request.seen_hash == NEEDS_FETCH:
                known = await self._intake.known(request.document_id)
                if known is not None and known.seen_hash == NEEDS_FETCH:
                    recorded += 1  # its dead letter says so already: one per item, not per event
                    continue
            changes.append((request, locator))
        await self._intake.queue_with_cursor(self.spec.id, changes, batch.cursor)
        unfetched = [e.key for e in batch.events if e.kind is ChangeKind.UPSERT and not e.content]
        problems = [batch.notice] if batch.notice else []
        if unfetched:
            problems.append(
                f"NEEDS_FETCH: {len(unfetched)} {self.vendor} event(s) carried no content "
                f"(e.g. {unfetched[0]!r}) and no fetcher is configured; their documents are "
                "stale or missing (see the dead letters)"
            )
        if problems:
            metrics.SOURCE_ERRORS.labels(self.spec.id).inc()
            await self._intake.set_source_state(
                self.spec.id, SourceState.ERROR, "; ".join(problems)[:500]
            )
        else:
            await self._intake.set_source_state(self.spec.id, SourceState.ACTIVE, synced=True)
        return EventOutcome(queued=len(changes), ignored=batch.ignored + recorded)

    def _change(self, event: ItemEvent, now: float) -> tuple[ChangeRequest, str]:
        doc_id = document_id(self.spec.id, safe_key(event.key))
        if event.kind is ChangeKind.DELETE:
            return ChangeRequest(ChangeKind.DELETE, doc_id, Origin.WEBHOOK, self.spec.id,
                                 seen_time=now), ""  # fmt: skip
        payload = None
        seen = NEEDS_FETCH
        if event.content:
            payload = DocumentPayload(
                content=event.content,
                content_type=event.content_type,
                title=event.title,
                source=event.link,
                access_groups=(
                    event.access_groups
                    if event.access_groups is not None
                    else self.spec.access_groups
                ),
                metadata={**self.spec.metadata, "source_id": self.spec.id},
            )
            seen = hashlib.sha256(event.content).hexdigest()
        request = ChangeRequest(
            ChangeKind.UPSERT,
            doc_id,
            Origin.WEBHOOK,
            self.spec.id,
            payload=payload,
            seen_hash=seen,
            seen_time=now,
        )
        return request, event.key

    async def read(self, document_id: str, locator: str) -> DocumentPayload | None:
        """Only upserts without content get here, and there is nothing to read them from."""
        raise ApplyFailure(
            f"NEEDS_FETCH: the {self.vendor} event for {locator or document_id!r} carried no "
            f"content and no {self.vendor} fetcher is configured; send the content in the "
            "event, or index the item another way (NotifyChange with content)",
            permanent=True,
        )

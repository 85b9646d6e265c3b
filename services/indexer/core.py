"""The indexer: takes changes (webhooks, detectors), keeps them on durable queues, and
applies them in order through a DocumentSink (the mesh's RagService in production).

Guarantees, and where they come from:
- nothing acknowledged is lost: QueueStore commits before NotifyChange answers;
- nothing is duplicated: applying is idempotent (document id + content fingerprint, and
  the gateway replaces a document's chunks as a unit), so a replay after a crash is safe;
- last content wins: a new change supersedes the waiting one of the same document, a
  document has at most one change applying at a time, and changes from a source read the
  content when applied, not when detected;
- deletions never wait behind updates: separate queue, separate workers; within the
  update queue, edits of indexed documents go before bulk work (syncs, new files);
- a poisoned document never stalls a queue: permanent failures go to the dead letters at
  once, transient ones are retried with exponential backoff, then dead-lettered;
- bulk work moves at the pipeline's pace: a worker claims what is waiting (up to
  ``apply_batch_max``) and sends the upserts in one batch call, never waiting for a batch
  to fill (a lone change goes alone, at once). Every change of a batch still ends on its
  own: the batch answer is per document, and when a batch call fails as a whole its
  documents are tried one by one, so one bad document never fails its batch mates.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import json
import logging
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from services.common.documents import validate_document_id, validate_metadata
from services.common.page_tokens import bounded_page_size, decode_page_token, encode_page_token
from services.indexer import metrics
from services.indexer.changes import (
    ApplyFailure,
    Change,
    ChangeKind,
    ChangeRequest,
    DeadLetter,
    DocumentPayload,
    Origin,
    QueueKind,
)
from services.indexer.detection import Detector
from services.indexer.event_sources import EventDelivery, EventOutcome, EventReceiver
from services.indexer.model import (
    DocumentSink,
    DocumentToIndex,
    FreshnessSummary,
    IndexerStatus,
    NotifyInput,
    Page,
    QueueTotals,
    WriteAccess,
    fingerprint,
    text_problem,
)
from services.indexer.probes import probe_source
from services.indexer.queue_store import Capacity, KnownDocument, QueueStore
from services.indexer.settings import IndexerSettings
from services.indexer.source_registry import SourceRegistry
from services.indexer.sources import (
    FilesystemConfig,
    S3Config,
    SourceKind,
    SourceSpec,
    SourceState,
    SourceStatus,
    key_of,
    new_source_id,
    validate_source,
)
from services.runtime.errors import (
    DomainError,
    FailedPrecondition,
    NotFound,
    ResourceExhausted,
    invalid_field,
)
from services.runtime.grants import Grantor
from services.runtime.identity import current_identity

log = logging.getLogger(__name__)
_TEXT_TYPES = ("text/plain", "text/markdown", "text/html")
MAX_IDEMPOTENCY_KEY = 128
DEFAULT_PAGE, MAX_SOURCE_PAGE, MAX_DEAD_LETTER_PAGE = 50, 100, 500


DetectorFactory = Callable[[SourceSpec, "Indexer"], Detector]
# How applying one change ended: (content hash, fingerprint) now indexed, or why not.
Outcome = tuple[str, str] | ApplyFailure


@dataclass(frozen=True)
class _Plan:
    """What applying one change takes: a removal (no document), nothing (``send`` false:
    this version is already indexed) or an upsert."""

    document: DocumentToIndex | None
    digest: str = ""
    marker: str = ""
    send: bool = True


def _as_failure(exc: Exception) -> ApplyFailure:
    return exc if isinstance(exc, ApplyFailure) else ApplyFailure(f"{type(exc).__name__}: {exc}")


class Indexer:
    """Queues, workers, sources and dead letters of one indexer process."""

    def __init__(
        self,
        settings: IndexerSettings,
        sink: DocumentSink,
        detector_factory: DetectorFactory,
        store: QueueStore | None = None,
        access: WriteAccess | None = None,
        writers_may_grant_everyone: bool = False,
    ) -> None:
        self.settings = settings
        # Changes are applied later with the indexer's own (admin) token, so the caller's
        # right to change the document, and to give it its access list, is checked now,
        # while the caller is known (services/runtime/grants.py).
        self._access = access
        self._everyone_allowed = writers_may_grant_everyone
        self.store = store or QueueStore(
            settings.state_path,
            Capacity(settings.update_queue_capacity, settings.deletion_queue_capacity),
            settings.queue_full_retry_s,
            settings.idempotency_window_s,
        )
        self.sources = SourceRegistry(self.store)
        self.sources.lag_of = lambda i: getattr(self._detectors.get(i), "lag_bytes", None)
        self.sources.commits_behind_of = lambda i: getattr(
            self._detectors.get(i), "commits_behind", None
        )
        self._sink = sink
        self._make_detector = detector_factory
        self._detectors: dict[str, Detector] = {}
        self._wake = {q: asyncio.Event() for q in QueueKind}
        self._tasks: list[asyncio.Task[None]] = []
        self._lags: collections.deque[float] = collections.deque(maxlen=settings.lag_samples)
        self._totals = {q: [0, 0, 0] for q in QueueKind}
        self.start_time = time.time()

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        recovered = await self.store.open()
        if recovered:
            log.warning("requeued %d change(s) left in flight by a crash", recovered)
        for status in await self.sources.list_sources():
            await self._start_detector(status.spec)
        for path in self.settings.watch_paths:
            await self.watch(path, self.settings.watch_access_groups)
        for queue, count in (
            (QueueKind.UPDATE, self.settings.update_workers),
            (QueueKind.DELETION, self.settings.deletion_workers),
        ):
            for index in range(count):
                # With several workers, the first takes only live changes: an edit never
                # waits for a bulk batch to finish, however deep the queue.
                live_only = count > 1 and index == 0
                self._tasks.append(
                    asyncio.create_task(
                        self._worker(queue, live_only), name=f"{queue.label}-worker-{index}"
                    )
                )
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="indexer-housekeeping"))

    async def stop(self) -> None:
        for detector in list(self._detectors.values()):
            await detector.stop()
        self._detectors.clear()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.store.close()

    async def watch(self, path: str, access_groups: Sequence[str] = ()) -> SourceStatus:
        """Make sure a folder is watched (``ragmesh up --watch DIR``): reuse or create its source."""
        folder = str(await asyncio.to_thread(lambda: Path(path).expanduser().resolve()))
        for status in await self.sources.list_sources():
            config = status.spec.config
            if isinstance(config, FilesystemConfig) and config.path == folder:
                return status
        slug = re.sub(r"[^a-z0-9]+", "-", Path(folder).name.lower()).strip("-")
        digest = hashlib.sha256(folder.encode()).hexdigest()[:6]
        source_id = f"watch-{slug[:40]}-{digest}" if slug else f"watch-{digest}"
        spec = SourceSpec(
            id=source_id,
            config=FilesystemConfig(path=folder, recursive=True),
            display_name=f"watched folder {folder}"[:200],
            access_groups=tuple(access_groups),
        )
        return await self.create_source(spec)

    # --- intake (webhooks and detectors) ------------------------------------------------

    async def notify(self, request: NotifyInput) -> Change:
        """NotifyChange: validate, then queue durably; a retry returns the first change."""
        key = request.idempotency_key
        if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
            raise invalid_field("idempotency_key", "required: 1-128 characters")
        if request.kind is None:
            raise invalid_field("kind", "required: CHANGE_KIND_UPSERT or CHANGE_KIND_DELETE")
        if not request.document_id:
            raise invalid_field("document.id", "required")
        validate_document_id(request.document_id)
        grantor = Grantor.of(current_identity(), self._everyone_allowed)
        payload = request.payload if request.kind is ChangeKind.UPSERT else None
        if grantor.groups is not None:
            if payload is not None:
                grantor.check(request.document_id, payload.access_groups)
            stored = await self._access.stored_groups(request.document_id) if self._access else None
            if stored is not None:
                grantor.check(request.document_id, stored, stored=True)
        source_id = request.source_id
        if request.kind is ChangeKind.UPSERT:
            if payload is None and not source_id:
                raise invalid_field(
                    "document.content", "an upsert needs content, or a source_id to read it from"
                )
            if payload is not None:
                if len(payload.content) > self.settings.max_notify_bytes:
                    raise invalid_field(
                        "document.content",
                        f"{len(payload.content)} bytes; the limit is "
                        f"{self.settings.max_notify_bytes} bytes",
                    )
                validate_metadata(payload.metadata, payload.access_groups)
                source_id = ""
        if source_id:
            await self.sources.get_source(source_id)  # NOT_FOUND
            key_in_source = key_of(source_id, request.document_id)
            if not key_in_source:
                raise invalid_field(
                    "document.id", f"must be '{source_id}:<row id or path>' with source_id set"
                )
            known = await self.store.known(request.document_id)
            if known is None or not known.locator:
                await self._set_default_locator(source_id, request.document_id, key_in_source)
        change, _ = await self.store.enqueue(
            ChangeRequest(
                kind=request.kind,
                document_id=request.document_id,
                origin=Origin.WEBHOOK,
                source_id=source_id,
                idempotency_key=key,
                request_hash=request.request_hash,
                payload=payload,
                seen_time=time.time(),
            )
        )
        self._wake[change.queue].set()
        return change

    async def _set_default_locator(self, source_id: str, document_id: str, key: str) -> None:
        status = await self.sources.get_source(source_id)
        config = status.spec.config
        if isinstance(config, S3Config):
            locator = config.prefix + key  # an object's key
        elif status.spec.kind is SourceKind.FILESYSTEM:
            locator = key
        else:
            locator = json.dumps({"value": key})
        await self.store.set_locator(document_id, source_id, locator)

    async def submit_detected(self, request: ChangeRequest) -> None:
        """A detector's change; waits while the queue is full instead of failing."""
        while True:
            try:
                change, _ = await self.store.enqueue(request)
            except ResourceExhausted as full:
                await asyncio.sleep(full.retry_after_s or self.settings.queue_full_retry_s)
                continue
            self._wake[change.queue].set()
            return

    # The rest of the ChangeIntake protocol: straight to the store.
    async def known(self, document_id: str) -> KnownDocument | None:
        return await self.store.known(document_id)

    async def source_documents(self, source_id: str) -> list[KnownDocument]:
        return await self.store.source_documents(source_id)

    async def set_locator(self, document_id: str, source_id: str, locator: str) -> None:
        await self.store.set_locator(document_id, source_id, locator)

    async def set_source_state(
        self, source_id: str, state: SourceState, error: str = "", synced: bool = False
    ) -> None:
        await self.sources.set_source_state(source_id, state, error, synced)

    async def cursor(self, source_id: str) -> str:
        return await self.sources.cursor(source_id)

    async def queue_with_cursor(
        self, source_id: str, changes: list[tuple[ChangeRequest, str]], cursor: str
    ) -> None:
        """Queue changes and move the cursor in one transaction; waits while a queue is full."""
        while True:
            try:
                queues = await self.sources.queue_with_cursor(source_id, changes, cursor)
            except ResourceExhausted as full:
                await asyncio.sleep(full.retry_after_s or self.settings.queue_full_retry_s)
                continue
            for queue in queues:
                self._wake[queue].set()
            return

    async def set_cursor(self, source_id: str, cursor: str) -> None:
        await self.sources.set_cursor(source_id, cursor)

    # --- workers ------------------------------------------------------------------------

    async def _worker(self, queue: QueueKind, live_only: bool) -> None:
        wake = self._wake[queue]
        while True:
            try:
                changes = await self.store.claim_batch(
                    queue, self.settings.apply_batch_max, live_only
                )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("claiming from the %s queue failed", queue.label)
                await asyncio.sleep(1.0)
                continue
            if changes:
                await self._process(changes)
                continue
            retry_at = await self.store.next_retry_time(queue)
            timeout = 5.0 if retry_at is None else max(0.0, min(5.0, retry_at - time.time()))
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await wake.wait()
            wake.clear()

    async def _process(self, changes: Sequence[Change]) -> None:
        # Cancelled (stop) while applying: the changes stay APPLYING and are requeued on the
        # next start (at-least-once; applying is idempotent).
        outcomes = await self.apply_batch(changes)
        applied = [
            (change, *outcome)
            for change, outcome in zip(changes, outcomes, strict=True)
            if not isinstance(outcome, ApplyFailure)
        ]
        if applied:
            applied_at = await self.store.mark_applied_many(applied)
            for change, _, _ in applied:
                lag = max(0.0, applied_at - change.seen_time)
                self._lags.append(lag)
                self._totals[change.queue][0] += 1
                metrics.PROCESSED.labels(change.queue.label).inc()
                metrics.FRESHNESS_LAG.labels(change.queue.label).observe(lag)
        for change, outcome in zip(changes, outcomes, strict=True):
            if isinstance(outcome, ApplyFailure):
                await self._failed(change, outcome)

    async def _failed(self, change: Change, failure: ApplyFailure) -> None:
        queue = change.queue
        self._totals[queue][1] += 1
        metrics.FAILED.labels(queue.label).inc()
        message = failure.message[:2000]
        if failure.permanent or change.attempt_count >= self.settings.max_attempts:
            log.warning("dead-lettered change %s (%s): %s", change.id, change.document_id, message)
            await self.store.mark_failed(change, message, None)
            self._totals[queue][2] += 1
            metrics.DEAD_LETTERED.labels(queue.label).inc()
            return
        delay = min(
            self.settings.retry_max_s, self.settings.retry_base_s * 2 ** (change.attempt_count - 1)
        )
        delay *= random.uniform(0.8, 1.2)  # jitter: retries of a burst do not align
        await self.store.mark_failed(change, message, time.time() + delay)

    async def apply(self, change: Change) -> tuple[str, str]:
        """Make the index match one change; returns (content hash, fingerprint) applied."""
        (outcome,) = await self.apply_batch([change])
        if isinstance(outcome, ApplyFailure):
            raise outcome
        return outcome

    async def apply_batch(self, changes: Sequence[Change]) -> list[Outcome]:
        """Make the index match each change (of distinct documents); one outcome per change.

        An upsert whose source no longer has the document, or whose content is empty,
        removes it: the index follows the source. Upserts that must reach the sink go in
        batch calls within ``apply_batch_max_bytes``; a lone one goes alone.
        """
        outcomes: list[Outcome | None] = [None] * len(changes)
        plans: list[tuple[int, _Plan]] = []
        for i, change in enumerate(changes):
            try:
                plans.append((i, await self._plan(change)))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                outcomes[i] = _as_failure(exc)
        upserts: list[tuple[int, DocumentToIndex]] = []
        for i, plan in plans:
            if plan.document is None:
                outcomes[i] = await self._delete(changes[i].document_id)
            elif plan.send:
                upserts.append((i, plan.document))
            if outcomes[i] is None:
                outcomes[i] = (plan.digest, plan.marker)
        for group in self._groups(upserts):
            failures = await self._upsert(group)
            for (i, _), failure in zip(group, failures, strict=True):
                if failure is not None:
                    outcomes[i] = failure
        return [o if o is not None else ApplyFailure("not applied") for o in outcomes]

    async def _plan(self, change: Change) -> _Plan:
        if change.kind is ChangeKind.DELETE:
            return _Plan(None)
        payload = await self._content(change)
        if payload is None or not payload.content:
            return _Plan(None)
        if len(payload.content) > self.settings.max_document_bytes:
            raise ApplyFailure(
                f"DOCUMENT_TOO_LARGE: {len(payload.content)} bytes; the limit is "
                f"{self.settings.max_document_bytes} bytes",
                permanent=True,
            )
        if payload.content_type.split(";")[0].strip().lower() in _TEXT_TYPES:
            problem = text_problem(payload.content)
            if problem:
                raise ApplyFailure(problem, permanent=True)
        document = DocumentToIndex(
            id=change.document_id,
            content=payload.content,
            content_type=payload.content_type,
            title=payload.title,
            source=payload.source,
            access_groups=tuple(payload.access_groups),
            metadata=dict(payload.metadata),
        )
        marker = fingerprint(document)
        unchanged = await self.store.applied_fingerprint(change.document_id) == marker
        digest = hashlib.sha256(payload.content).hexdigest()
        return _Plan(document, digest, marker, send=not unchanged)

    async def _delete(self, document_id: str) -> ApplyFailure | None:
        try:
            await self._sink.delete(document_id)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return _as_failure(exc)
        return None

    def _groups(
        self, upserts: list[tuple[int, DocumentToIndex]]
    ) -> list[list[tuple[int, DocumentToIndex]]]:
        """Consecutive upserts cut into batch calls of at most ``apply_batch_max_bytes``."""
        groups: list[list[tuple[int, DocumentToIndex]]] = []
        size = 0
        for item in upserts:
            length = len(item[1].content)
            if not groups or size + length > self.settings.apply_batch_max_bytes:
                groups.append([])
                size = 0
            groups[-1].append(item)
            size += length
        return groups

    async def _upsert(self, group: list[tuple[int, DocumentToIndex]]) -> list[ApplyFailure | None]:
        documents = [document for _, document in group]
        metrics.APPLY_CALL_DOCUMENTS.observe(len(documents))
        if len(documents) > 1:
            try:
                return await self._sink.upsert_many(documents)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Nothing known per document (the gateway down, the deadline, a request it
                # refused whole): each document alone, so none fails for another's sake.
                log.warning(
                    "a batch of %d upserts failed as a whole (%s); applying them one by one",
                    len(documents),
                    _as_failure(exc),
                )
        failures: list[ApplyFailure | None] = []
        for document in documents:
            try:
                await self._sink.upsert(document)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures.append(_as_failure(exc))
            else:
                failures.append(None)
        return failures

    async def _content(self, change: Change) -> DocumentPayload | None:
        if change.has_payload:
            return await self.store.payload(change.id)
        detector = self._detectors.get(change.source_id)
        if detector is None:
            raise ApplyFailure(
                f"SOURCE_NOT_FOUND: source {change.source_id!r} was deleted; purge this change",
                permanent=True,
            )
        known = await self.store.known(change.document_id)
        return await detector.read(change.document_id, known.locator if known else "")

    async def _housekeeping(self) -> None:
        next_purge = 0.0
        while True:
            try:
                for stats in await self.store.queue_stats():
                    metrics.QUEUE_DEPTH.labels(stats.queue.label).set(stats.depth + stats.retrying)
                if time.monotonic() >= next_purge:
                    await self.store.purge_expired(self.settings.retention_s)
                    next_purge = time.monotonic() + 3600.0
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("indexer housekeeping failed")
            await asyncio.sleep(1.0)

    # --- reads ----------------------------------------------------------------------------

    async def get_change(self, change_id: str) -> Change:
        if not change_id:
            raise invalid_field("change_id", "required")
        return await self.store.get_change(change_id)

    def freshness(self) -> FreshnessSummary:
        lags = sorted(self._lags)
        if not lags:
            return FreshnessSummary(0.0, 0.0, 0.0, 0)

        def pct(q: float) -> float:
            return lags[min(len(lags) - 1, round(q * (len(lags) - 1)))]

        return FreshnessSummary(self._lags[-1], pct(0.5), pct(0.95), len(lags))

    async def status(self) -> IndexerStatus:
        stats = await self.store.queue_stats()
        return IndexerStatus(
            queues=[(s, QueueTotals(*self._totals[s.queue])) for s in stats],
            freshness=self.freshness(),
            sources=await self.sources.list_sources(limit=self.settings.max_sources),
            dead_letter_count=await self.store.dead_letter_count(),
            start_time=self.start_time,
        )

    # --- sources --------------------------------------------------------------------------

    async def create_source(self, spec: SourceSpec) -> SourceStatus:
        if not spec.id:
            spec = SourceSpec(
                new_source_id(), spec.config, spec.display_name, spec.access_groups, spec.metadata
            )
        validate_source(spec)
        await probe_source(spec)
        status = await self.sources.create_source(spec, self.settings.max_sources)
        try:
            await self._start_detector(spec)
        except DomainError:
            raise
        except Exception as exc:
            log.exception("starting source %s failed", spec.id)
            await self.sources.set_source_state(spec.id, SourceState.ERROR, str(exc)[:500])
        return status

    async def _start_detector(self, spec: SourceSpec) -> None:
        detector = self._make_detector(spec, self)
        self._detectors[spec.id] = detector
        await detector.start()

    async def receive_event(self, source_id: str, delivery: EventDelivery) -> EventOutcome:
        """An event a source pushed to the webhook (S3 notification, Confluence,
        SharePoint): verified and queued by the source's detector."""
        status = await self.get_source(source_id)
        detector = self._detectors.get(source_id)
        if not isinstance(detector, EventReceiver):
            raise FailedPrecondition(
                message=f"source {source_id!r} is a {status.spec.kind.name.lower()} source, "
                "which takes no events (s3, git, confluence and sharepoint sources do)",
                reason="SOURCE_TAKES_NO_EVENTS",
            )
        try:
            outcome = await detector.receive(delivery)
        except DomainError:
            metrics.SOURCE_EVENTS.labels(source_id, "refused").inc()
            raise
        metrics.SOURCE_EVENTS.labels(source_id, "queued" if outcome.queued else "ignored").inc()
        return outcome

    async def get_source(self, source_id: str) -> SourceStatus:
        if not source_id:
            raise invalid_field("source_id", "required")
        return await self.sources.get_source(source_id)

    async def list_sources(self, page_size: int, page_token: str) -> Page[SourceStatus]:
        size = bounded_page_size(page_size, DEFAULT_PAGE, MAX_SOURCE_PAGE)
        after = str(_page_token(page_token).get("after", "")) if page_token else ""
        found = await self.sources.list_sources(after, size + 1)
        more = len(found) > size
        items = found[:size]
        return Page(items, encode_page_token({"after": items[-1].spec.id}) if more else "")

    async def delete_source(
        self, source_id: str, delete_documents: bool, allow_missing: bool
    ) -> int:
        if not source_id:
            raise invalid_field("source_id", "required")
        deletions: list[ChangeRequest] = []
        if delete_documents:
            now = time.time()
            deletions = [
                ChangeRequest(
                    ChangeKind.DELETE, d.document_id, Origin.WEBHOOK, source_id, seen_time=now
                )
                for d in await self.store.source_documents(source_id)
            ]
        try:
            count = await self.sources.delete_source(source_id, deletions)
        except NotFound:
            if allow_missing:
                return 0
            raise
        detector = self._detectors.pop(source_id, None)
        if detector is not None:
            await detector.stop()
            try:  # what the source holds at its end (a PostgreSQL replication slot) goes too
                await getattr(detector, "drop", _nothing)()
            except Exception as exc:
                log.error("source %s deleted, but releasing it failed: %s", source_id, exc)
        self._wake[QueueKind.DELETION].set()
        return count

    # --- dead letters ---------------------------------------------------------------------

    async def list_dead_letters(
        self, page_size: int, page_token: str, source_id: str, kind: ChangeKind | None
    ) -> Page[DeadLetter]:
        size = bounded_page_size(page_size, DEFAULT_PAGE, MAX_DEAD_LETTER_PAGE)
        filters = {"source_id": source_id, "kind": int(kind or 0)}
        after = 0
        if page_token:
            body = _page_token(page_token)
            if body.get("filters") != filters:
                raise invalid_field("page_token", "was made for different filters")
            after = int(str(body.get("after", 0)))
        found = await self.store.dead_letters(after, size + 1, source_id, kind)
        items = found[:size]
        token = (
            encode_page_token({"after": items[-1].change.seq, "filters": filters})
            if len(found) > size
            else ""
        )
        return Page(items, token)

    async def retry_dead_letter(self, change_id: str) -> Change:
        if not change_id:
            raise invalid_field("change_id", "required")
        change = await self.store.retry_dead_letter(change_id)
        self._wake[change.queue].set()
        return change

    async def purge_dead_letter(self, change_id: str) -> DeadLetter:
        if not change_id:
            raise invalid_field("change_id", "required")
        return await self.store.purge_dead_letter(change_id)


async def _nothing() -> None:
    return None


def _page_token(token: str) -> dict[str, object]:
    body = decode_page_token(token)
    if body is None:
        raise invalid_field("page_token", "malformed; pass next_page_token unchanged")
    return body

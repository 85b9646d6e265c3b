"""The durable side of the indexer: update and deletion queues, dead letters, sources and
what is known about every document, in one SQLite database in WAL mode.

Every state change is one transaction, so a crash (even SIGKILL) at any point leaves either
the state before or the state after. A change is acknowledged only after its transaction
committed with ``synchronous=FULL``. On start, changes left APPLYING by a crash are queued
again: processing is at-least-once and applying is idempotent (document id + content hash).

All SQLite work runs on one dedicated thread, which serializes it and keeps fsyncs off the
event loop.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from services.indexer.changes import (
    WAITING,
    Change,
    ChangeKind,
    ChangeRequest,
    ChangeState,
    DeadLetter,
    DocumentPayload,
    Origin,
    QueueKind,
    QueueStats,
)
from services.indexer.sources import (
    DatabaseConfig,
    FilesystemConfig,
    SourceSpec,
    SourceState,
    SourceStatus,
)
from services.runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    NotFound,
    ResourceExhausted,
)

T = TypeVar("T")
MAX_ERRORS_KEPT = 10

_SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind INTEGER NOT NULL,
    queue INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    source_id TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT NOT NULL DEFAULT '',
    request_hash TEXT NOT NULL DEFAULT '',
    state INTEGER NOT NULL,
    enqueue_time REAL NOT NULL,
    update_time REAL NOT NULL,
    seen_time REAL NOT NULL,
    apply_time REAL,
    attempt_count INTEGER NOT NULL DEFAULT 0,
    next_attempt_time REAL,
    last_error TEXT NOT NULL DEFAULT '',
    superseded_by TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    payload BLOB,
    payload_meta TEXT,
    errors TEXT NOT NULL DEFAULT '[]',
    first_failure_time REAL,
    dead_letter_time REAL,
    purge_time REAL
);
CREATE INDEX IF NOT EXISTS changes_waiting ON changes (queue, state, priority, seq);
CREATE INDEX IF NOT EXISTS changes_document ON changes (document_id, state);
CREATE INDEX IF NOT EXISTS changes_key ON changes (idempotency_key) WHERE idempotency_key != '';
CREATE INDEX IF NOT EXISTS changes_final ON changes (state, update_time);
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL DEFAULT '',
    locator TEXT NOT NULL DEFAULT '',
    seen_hash TEXT NOT NULL DEFAULT '',
    applied_fingerprint TEXT NOT NULL DEFAULT '',
    present INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_source ON documents (source_id);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    state INTEGER NOT NULL,
    create_time REAL NOT NULL,
    last_sync_time REAL,
    last_error TEXT NOT NULL DEFAULT '',
    cursor TEXT NOT NULL DEFAULT ''
);
"""

_CHANGE_COLUMNS = (
    "id, seq, kind, document_id, source_id, origin, idempotency_key, state, enqueue_time, "
    "update_time, seen_time, apply_time, attempt_count, next_attempt_time, last_error, "
    "superseded_by, content_hash, payload IS NOT NULL"
)


@dataclass(frozen=True)
class Capacity:
    """Maximum number of waiting changes per queue."""

    update: int
    deletion: int

    def of(self, queue: QueueKind) -> int:
        return self.update if queue is QueueKind.UPDATE else self.deletion


@dataclass(frozen=True)
class KnownDocument:
    """What the indexer remembers of one document of a source."""

    document_id: str
    locator: str
    seen_hash: str
    present: bool


def _change(row: Sequence[Any]) -> Change:
    return Change(
        id=row[0],
        seq=row[1],
        kind=ChangeKind(row[2]),
        document_id=row[3],
        source_id=row[4],
        origin=Origin(row[5]),
        idempotency_key=row[6],
        state=ChangeState(row[7]),
        enqueue_time=row[8],
        update_time=row[9],
        seen_time=row[10],
        apply_time=row[11],
        attempt_count=row[12],
        next_attempt_time=row[13],
        last_error=row[14],
        superseded_by=row[15],
        content_hash=row[16],
        has_payload=bool(row[17]),
    )


def spec_to_json(spec: SourceSpec) -> str:
    config = spec.config
    body: dict[str, Any] = {
        "id": spec.id,
        "display_name": spec.display_name,
        "access_groups": list(spec.access_groups),
        "metadata": dict(spec.metadata),
    }
    if isinstance(config, FilesystemConfig):
        body["filesystem"] = {
            "path": config.path,
            "recursive": config.recursive,
            "include_globs": list(config.include_globs),
            "exclude_globs": list(config.exclude_globs),
            "rescan_interval_s": config.rescan_interval_s,
        }
    else:
        body["database"] = {
            name: getattr(config, name) for name in DatabaseConfig.__dataclass_fields__
        }
    return json.dumps(body, sort_keys=True)


def spec_from_json(text: str) -> SourceSpec:
    body = json.loads(text)
    config: FilesystemConfig | DatabaseConfig
    if "filesystem" in body:
        fs = body["filesystem"]
        config = FilesystemConfig(
            path=fs["path"],
            recursive=fs["recursive"],
            include_globs=tuple(fs["include_globs"]),
            exclude_globs=tuple(fs["exclude_globs"]),
            rescan_interval_s=fs["rescan_interval_s"],
        )
    else:
        config = DatabaseConfig(**body["database"])
    return SourceSpec(
        id=body["id"],
        config=config,
        display_name=body["display_name"],
        access_groups=tuple(body["access_groups"]),
        metadata=body["metadata"],
    )


def _queue_full(queue: QueueKind, capacity: int, retry_after_s: float) -> ResourceExhausted:
    return ResourceExhausted(
        message=f"the {queue.label} queue is full ({capacity} changes waiting); retry later",
        reason="QUEUE_FULL",
        metadata={"queue": queue.label},
        retry_after_s=retry_after_s,
    )


class QueueStore:
    """Durable queues and indexer state. Methods are coroutines; SQLite runs on one thread."""

    def __init__(
        self,
        path: str | Path,
        capacity: Capacity,
        queue_full_retry_s: float = 2.0,
        idempotency_window_s: float = 24 * 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._path = Path(path)
        self._idempotency_window_s = idempotency_window_s
        self.capacity = capacity
        self._retry_s = queue_full_retry_s
        self._clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="indexer-sqlite")
        self._db: sqlite3.Connection | None = None

    # --- plumbing -----------------------------------------------------------------------

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("QueueStore is not open")
        return self._db

    def _tx(self) -> sqlite3.Connection:
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        return db

    async def open(self) -> int:
        """Open (creating if needed) and requeue changes a crash left APPLYING; returns how many."""
        return await self._run(self._open)

    def _open(self) -> int:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: a change acknowledged to a client survives a power cut, not only a crash.
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA busy_timeout=5000")
        db.executescript(_SCHEMA)
        self._db = db
        with self._transaction() as tx:
            recovered = tx.execute(
                "UPDATE changes SET state=?, update_time=? WHERE state=?",
                (ChangeState.QUEUED, self._clock(), ChangeState.APPLYING),
            ).rowcount
        return int(recovered)

    async def close(self) -> None:
        await self._run(self._close)
        self._executor.shutdown(wait=True)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _transaction(self) -> _Transaction:
        return _Transaction(self._tx())

    # --- enqueue ------------------------------------------------------------------------

    async def enqueue(self, request: ChangeRequest) -> tuple[Change, bool]:
        """Queue a change durably; returns it and whether it is new (False: idempotent retry).

        A waiting change to the same document is superseded by this one. Fails with
        QUEUE_FULL when the change would grow a full queue, ALREADY_EXISTS when the
        idempotency key was used for a different request.
        """
        return await self._run(self._enqueue, request)

    def _enqueue(self, request: ChangeRequest) -> tuple[Change, bool]:
        now = self._clock()
        with self._transaction() as tx:
            if request.idempotency_key:
                row = tx.execute(
                    f"SELECT {_CHANGE_COLUMNS}, request_hash FROM changes "
                    "WHERE idempotency_key=? AND enqueue_time>? ORDER BY seq DESC LIMIT 1",
                    (request.idempotency_key, now - self._idempotency_window_s),
                ).fetchone()
                if row is not None:
                    if row[-1] != request.request_hash:
                        raise AlreadyExists(
                            message=f"idempotency_key {request.idempotency_key[:80]!r} was "
                            "already used for a different change; use a new key",
                            reason="IDEMPOTENCY_KEY_REUSED",
                        )
                    return _change(row[:-1]), False
            change = self._insert(tx, request, now)
        return change, True

    def _insert(self, tx: sqlite3.Connection, request: ChangeRequest, now: float) -> Change:
        queue = request.kind.queue
        waiting = tx.execute(
            "SELECT id, queue FROM changes WHERE document_id=? AND state IN (?, ?)",
            (request.document_id, *WAITING),
        ).fetchall()
        depth = tx.execute(
            "SELECT COUNT(*) FROM changes WHERE queue=? AND state IN (?, ?)", (queue, *WAITING)
        ).fetchone()[0]
        # A change that supersedes one in the same queue does not make that queue longer.
        replaced = sum(1 for _, q in waiting if q == queue)
        capacity = self.capacity.of(queue)
        if depth - replaced + 1 > capacity:
            raise _queue_full(queue, capacity, self._retry_s)
        change_id = str(uuid.uuid4())
        payload = request.payload
        meta = None
        if payload is not None:
            meta = json.dumps(
                {
                    "content_type": payload.content_type,
                    "title": payload.title,
                    "source": payload.source,
                    "access_groups": list(payload.access_groups),
                    "metadata": dict(payload.metadata),
                }
            )
        tx.execute(
            "INSERT INTO changes (id, kind, queue, document_id, source_id, origin, priority, "
            "idempotency_key, request_hash, state, enqueue_time, update_time, seen_time, "
            "payload, payload_meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                change_id,
                request.kind,
                queue,
                request.document_id,
                request.source_id,
                request.origin.value,
                request.priority,
                request.idempotency_key,
                request.request_hash,
                ChangeState.QUEUED,
                now,
                now,
                request.seen_time or now,
                payload.content if payload is not None else None,
                meta,
            ),
        )
        if waiting:
            tx.execute(
                f"UPDATE changes SET state=?, superseded_by=?, update_time=?, payload=NULL "
                f"WHERE id IN ({','.join('?' * len(waiting))})",
                (ChangeState.SUPERSEDED, change_id, now, *(w[0] for w in waiting)),
            )
        # What the detectors compare against: a deletion forgets the hash, so a file
        # re-created with the same content is indexed again.
        seen = request.seen_hash if request.kind is ChangeKind.UPSERT else ""
        tx.execute(
            "INSERT INTO documents (document_id, source_id, seen_hash) VALUES (?,?,?) "
            "ON CONFLICT(document_id) DO UPDATE SET seen_hash=excluded.seen_hash",
            (request.document_id, request.source_id, seen),
        )
        row = tx.execute(
            f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE id=?", (change_id,)
        ).fetchone()
        return _change(row)

    # --- workers ------------------------------------------------------------------------

    async def claim(self, queue: QueueKind) -> Change | None:
        """Take the next due change of ``queue`` (live before bulk, then oldest first),
        skipping documents that have a change being applied: one document, one at a time."""
        claimed = await self.claim_batch(queue, 1)
        return claimed[0] if claimed else None

    async def claim_batch(
        self, queue: QueueKind, limit: int, live_only: bool = False
    ) -> list[Change]:
        """Take up to ``limit`` due changes of ``queue`` in one transaction, in claim order.

        Never waits for more: a lone change comes back alone. All have the priority of the
        first, so a live edit is never held back by bulk work applied in the same batch;
        ``live_only`` leaves bulk work alone entirely. One change per document, and none of
        a document that has a change being applied.
        """
        return await self._run(self._claim_batch, queue, limit, live_only)

    def _claim_batch(self, queue: QueueKind, limit: int, live_only: bool) -> list[Change]:
        now = self._clock()
        with self._transaction() as tx:
            rows = tx.execute(
                f"SELECT {_CHANGE_COLUMNS}, priority FROM changes WHERE queue=? "
                "AND state IN (?, ?) AND (next_attempt_time IS NULL OR next_attempt_time<=?) "
                "AND document_id NOT IN (SELECT document_id FROM changes WHERE state=?) "
                "AND priority<=? ORDER BY priority, seq LIMIT ?",
                (queue, *WAITING, now, ChangeState.APPLYING, 0 if live_only else 1, max(1, limit)),
            ).fetchall()
            picked: list[Sequence[Any]] = []
            documents: set[str] = set()
            for row in rows:
                if row[-1] != rows[0][-1]:
                    break
                if row[3] not in documents:  # at most one waiting change per document anyway
                    documents.add(row[3])
                    picked.append(row[:-1])
            if not picked:
                return []
            tx.execute(
                "UPDATE changes SET state=?, attempt_count=attempt_count+1, update_time=?, "
                f"next_attempt_time=NULL WHERE id IN ({','.join('?' * len(picked))})",
                (ChangeState.APPLYING, now, *(row[0] for row in picked)),
            )
        claimed = []
        for row in picked:
            change = _change(row)
            claimed.append(
                Change(
                    **{
                        **change.__dict__,
                        "state": ChangeState.APPLYING,
                        "attempt_count": change.attempt_count + 1,
                        "next_attempt_time": None,
                    }
                )
            )
        return claimed

    async def next_retry_time(self, queue: QueueKind) -> float | None:
        return await self._run(self._next_retry_time, queue)

    def _next_retry_time(self, queue: QueueKind) -> float | None:
        row = (
            self._conn()
            .execute(
                "SELECT MIN(next_attempt_time) FROM changes WHERE queue=? AND state=?",
                (queue, ChangeState.FAILED),
            )
            .fetchone()
        )
        return float(row[0]) if row and row[0] is not None else None

    async def payload(self, change_id: str) -> DocumentPayload | None:
        return await self._run(self._payload, change_id)

    def _payload(self, change_id: str) -> DocumentPayload | None:
        row = (
            self._conn()
            .execute("SELECT payload, payload_meta FROM changes WHERE id=?", (change_id,))
            .fetchone()
        )
        if row is None or row[0] is None:
            return None
        meta = json.loads(row[1] or "{}")
        return DocumentPayload(
            content=bytes(row[0]),
            content_type=meta.get("content_type", "text/plain"),
            title=meta.get("title", ""),
            source=meta.get("source", ""),
            access_groups=tuple(meta.get("access_groups", ())),
            metadata=meta.get("metadata", {}),
        )

    async def mark_applied(self, change: Change, content_hash: str, fingerprint: str) -> float:
        """The change is searchable; records what is indexed. Returns the apply time."""
        return await self.mark_applied_many([(change, content_hash, fingerprint)])

    async def mark_applied_many(self, applied: Sequence[tuple[Change, str, str]]) -> float:
        """Several changes are searchable (change, content hash, fingerprint each): one
        transaction, so a batch costs one commit. Returns the apply time."""
        return await self._run(self._mark_applied, applied)

    def _mark_applied(self, applied: Sequence[tuple[Change, str, str]]) -> float:
        now = self._clock()
        with self._transaction() as tx:
            for change, content_hash, fingerprint in applied:
                present = 1 if change.kind is ChangeKind.UPSERT and fingerprint else 0
                tx.execute(
                    "UPDATE changes SET state=?, apply_time=?, update_time=?, content_hash=?, "
                    "payload=NULL, next_attempt_time=NULL WHERE id=?",
                    (ChangeState.APPLIED, now, now, content_hash, change.id),
                )
                tx.execute(
                    "INSERT INTO documents (document_id, source_id, applied_fingerprint, "
                    "present) VALUES (?,?,?,?) ON CONFLICT(document_id) DO UPDATE SET "
                    "applied_fingerprint=excluded.applied_fingerprint, present=excluded.present",
                    (change.document_id, change.source_id, fingerprint if present else "", present),
                )
        return now

    async def mark_failed(self, change: Change, error: str, retry_at: float | None) -> None:
        """A failed attempt: retry at ``retry_at``, or to the dead letters when None."""
        await self._run(self._mark_failed, change, error, retry_at)

    def _mark_failed(self, change: Change, error: str, retry_at: float | None) -> None:
        now = self._clock()
        with self._transaction() as tx:
            row = tx.execute("SELECT errors FROM changes WHERE id=?", (change.id,)).fetchone()
            errors = [*json.loads(row[0] if row else "[]"), error][-MAX_ERRORS_KEPT:]
            state = ChangeState.FAILED if retry_at is not None else ChangeState.DEAD_LETTERED
            tx.execute(
                "UPDATE changes SET state=?, update_time=?, last_error=?, errors=?, "
                "next_attempt_time=?, first_failure_time=COALESCE(first_failure_time, ?), "
                "dead_letter_time=? WHERE id=?",
                (
                    state,
                    now,
                    error,
                    json.dumps(errors),
                    retry_at,
                    now,
                    None if retry_at is not None else now,
                    change.id,
                ),
            )

    # --- reads --------------------------------------------------------------------------

    async def get_change(self, change_id: str) -> Change:
        return await self._run(self._get_change, change_id)

    def _get_change(self, change_id: str) -> Change:
        row = (
            self._conn()
            .execute(f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE id=?", (change_id,))
            .fetchone()
        )
        if row is None:
            raise NotFound(message=f"no change {change_id[:80]!r}", reason="CHANGE_NOT_FOUND")
        return _change(row)

    async def queue_stats(self) -> list[QueueStats]:
        return await self._run(self._queue_stats)

    def _queue_stats(self) -> list[QueueStats]:
        db = self._conn()
        out = []
        for queue in (QueueKind.UPDATE, QueueKind.DELETION):
            counts = dict(
                db.execute(
                    "SELECT state, COUNT(*) FROM changes WHERE queue=? AND state IN (?,?,?) "
                    "GROUP BY state",
                    (queue, ChangeState.QUEUED, ChangeState.FAILED, ChangeState.APPLYING),
                ).fetchall()
            )
            oldest = db.execute(
                "SELECT MIN(enqueue_time) FROM changes WHERE queue=? AND state IN (?,?)",
                (queue, *WAITING),
            ).fetchone()[0]
            out.append(
                QueueStats(
                    queue=queue,
                    depth=counts.get(ChangeState.QUEUED, 0),
                    capacity=self.capacity.of(queue),
                    in_flight=counts.get(ChangeState.APPLYING, 0),
                    retrying=counts.get(ChangeState.FAILED, 0),
                    oldest_enqueue_time=oldest,
                )
            )
        return out

    # --- dead letters -------------------------------------------------------------------

    async def dead_letters(
        self, after_seq: int, limit: int, source_id: str, kind: ChangeKind | None
    ) -> list[DeadLetter]:
        return await self._run(self._dead_letters, after_seq, limit, source_id, kind)

    def _dead_letters(
        self, after_seq: int, limit: int, source_id: str, kind: ChangeKind | None
    ) -> list[DeadLetter]:
        sql = (
            f"SELECT {_CHANGE_COLUMNS}, first_failure_time, dead_letter_time, errors "
            "FROM changes WHERE state=? AND purge_time IS NULL AND seq>?"
        )
        args: list[Any] = [ChangeState.DEAD_LETTERED, after_seq]
        if source_id:
            sql += " AND source_id=?"
            args.append(source_id)
        if kind is not None:
            sql += " AND kind=?"
            args.append(kind)
        rows = self._conn().execute(sql + " ORDER BY seq LIMIT ?", (*args, limit)).fetchall()
        return [self._dead_letter(row) for row in rows]

    @staticmethod
    def _dead_letter(row: Sequence[Any]) -> DeadLetter:
        return DeadLetter(
            change=_change(row[:18]),
            first_failure_time=row[18] or 0.0,
            dead_letter_time=row[19] or 0.0,
            errors=tuple(json.loads(row[20])),
        )

    def _get_dead_letter(self, db: sqlite3.Connection, change_id: str) -> DeadLetter:
        row = db.execute(
            f"SELECT {_CHANGE_COLUMNS}, first_failure_time, dead_letter_time, errors "
            "FROM changes WHERE id=? AND state=? AND purge_time IS NULL",
            (change_id, ChangeState.DEAD_LETTERED),
        ).fetchone()
        if row is None:
            raise NotFound(
                message=f"no dead letter with change id {change_id[:80]!r}",
                reason="DEAD_LETTER_NOT_FOUND",
            )
        return self._dead_letter(row)

    async def retry_dead_letter(self, change_id: str) -> Change:
        return await self._run(self._retry_dead_letter, change_id)

    def _retry_dead_letter(self, change_id: str) -> Change:
        now = self._clock()
        with self._transaction() as tx:
            letter = self._get_dead_letter(tx, change_id)
            change = letter.change
            later = tx.execute(
                "SELECT id FROM changes WHERE document_id=? AND seq>? ORDER BY seq DESC LIMIT 1",
                (change.document_id, change.seq),
            ).fetchone()
            if later is not None:
                raise FailedPrecondition(
                    message=f"a later change ({later[0]}) to {change.document_id!r} was queued "
                    "since; retrying would bring back stale content: purge this dead letter",
                    reason="SUPERSEDED",
                    metadata={"superseded_by": later[0]},
                )
            depth = tx.execute(
                "SELECT COUNT(*) FROM changes WHERE queue=? AND state IN (?, ?)",
                (change.queue, *WAITING),
            ).fetchone()[0]
            capacity = self.capacity.of(change.queue)
            if depth + 1 > capacity:
                raise _queue_full(change.queue, capacity, self._retry_s)
            tx.execute(
                "UPDATE changes SET state=?, attempt_count=0, update_time=?, "
                "next_attempt_time=NULL, dead_letter_time=NULL WHERE id=?",
                (ChangeState.QUEUED, now, change_id),
            )
            row = tx.execute(
                f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE id=?", (change_id,)
            ).fetchone()
        return _change(row)

    async def purge_dead_letter(self, change_id: str) -> DeadLetter:
        return await self._run(self._purge_dead_letter, change_id)

    def _purge_dead_letter(self, change_id: str) -> DeadLetter:
        now = self._clock()
        with self._transaction() as tx:
            letter = self._get_dead_letter(tx, change_id)
            tx.execute(
                "UPDATE changes SET purge_time=?, update_time=?, payload=NULL WHERE id=?",
                (now, now, change_id),
            )
        return letter

    async def dead_letter_count(self) -> int:
        return await self._run(
            lambda: int(
                self._conn()
                .execute(
                    "SELECT COUNT(*) FROM changes WHERE state=? AND purge_time IS NULL",
                    (ChangeState.DEAD_LETTERED,),
                )
                .fetchone()[0]
            )
        )

    # --- documents ----------------------------------------------------------------------

    async def known(self, document_id: str) -> KnownDocument | None:
        return await self._run(self._known, document_id)

    def _known(self, document_id: str) -> KnownDocument | None:
        row = (
            self._conn()
            .execute(
                "SELECT document_id, locator, seen_hash, present FROM documents "
                "WHERE document_id=?",
                (document_id,),
            )
            .fetchone()
        )
        return KnownDocument(row[0], row[1], row[2], bool(row[3])) if row else None

    async def applied_fingerprint(self, document_id: str) -> str:
        return await self._run(
            lambda: (
                (
                    self._conn()
                    .execute(
                        "SELECT applied_fingerprint FROM documents WHERE document_id=? "
                        "AND present=1",
                        (document_id,),
                    )
                    .fetchone()
                )
                or ("",)
            )[0]
        )

    async def set_locator(self, document_id: str, source_id: str, locator: str) -> None:
        """Where a source document is read from (file path, row id as JSON)."""
        await self._run(self._set_locator, document_id, source_id, locator)

    def _set_locator(self, document_id: str, source_id: str, locator: str) -> None:
        with self._transaction() as tx:
            tx.execute(
                "INSERT INTO documents (document_id, source_id, locator) VALUES (?,?,?) "
                "ON CONFLICT(document_id) DO UPDATE SET locator=excluded.locator",
                (document_id, source_id, locator),
            )

    async def source_documents(self, source_id: str) -> list[KnownDocument]:
        """Documents of a source that are indexed or on their way (ids and locators only)."""
        return await self._run(self._source_documents, source_id)

    def _source_documents(self, source_id: str) -> list[KnownDocument]:
        rows = (
            self._conn()
            .execute(
                "SELECT document_id, locator, seen_hash, present FROM documents "
                "WHERE source_id=? AND (present=1 OR seen_hash!='') ORDER BY document_id",
                (source_id,),
            )
            .fetchall()
        )
        return [KnownDocument(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # --- sources ------------------------------------------------------------------------

    async def create_source(self, spec: SourceSpec, max_sources: int) -> SourceStatus:
        return await self._run(self._create_source, spec, max_sources)

    def _create_source(self, spec: SourceSpec, max_sources: int) -> SourceStatus:
        now = self._clock()
        with self._transaction() as tx:
            if tx.execute("SELECT 1 FROM sources WHERE id=?", (spec.id,)).fetchone():
                raise AlreadyExists(
                    message=f"source {spec.id!r} already exists", reason="SOURCE_EXISTS"
                )
            if tx.execute("SELECT COUNT(*) FROM sources").fetchone()[0] >= max_sources:
                raise ResourceExhausted(
                    message=f"already {max_sources} sources; delete one first",
                    reason="TOO_MANY_SOURCES",
                )
            tx.execute(
                "INSERT INTO sources (id, spec, state, create_time) VALUES (?,?,?,?)",
                (spec.id, spec_to_json(spec), SourceState.SYNCING, now),
            )
        return SourceStatus(spec, SourceState.SYNCING, now, None, "", 0)

    async def get_source(self, source_id: str) -> SourceStatus:
        return await self._run(self._get_source, source_id)

    def _get_source(self, source_id: str) -> SourceStatus:
        found = self._sources("WHERE s.id=?", (source_id,))
        if not found:
            raise NotFound(message=f"no source {source_id[:80]!r}", reason="SOURCE_NOT_FOUND")
        return found[0]

    async def list_sources(self, after_id: str = "", limit: int = 1000) -> list[SourceStatus]:
        return await self._run(
            self._sources, "WHERE s.id>? ORDER BY s.id LIMIT ?", (after_id, limit)
        )

    def _sources(self, where: str, args: Sequence[Any]) -> list[SourceStatus]:
        rows = (
            self._conn()
            .execute(
                "SELECT s.spec, s.state, s.create_time, s.last_sync_time, s.last_error, "
                "(SELECT COUNT(*) FROM documents d WHERE d.source_id=s.id AND d.present=1) "
                f"FROM sources s {where}",
                tuple(args),
            )
            .fetchall()
        )
        return [
            SourceStatus(spec_from_json(r[0]), SourceState(r[1]), r[2], r[3], r[4], r[5])
            for r in rows
        ]

    async def set_source_state(
        self, source_id: str, state: SourceState, error: str = "", synced: bool = False
    ) -> None:
        await self._run(self._set_source_state, source_id, state, error, synced)

    def _set_source_state(
        self, source_id: str, state: SourceState, error: str, synced: bool
    ) -> None:
        with self._transaction() as tx:
            tx.execute(
                "UPDATE sources SET state=?, last_error=?, "
                "last_sync_time=CASE WHEN ? THEN ? ELSE last_sync_time END WHERE id=?",
                (state, error, synced, self._clock(), source_id),
            )

    async def cursor(self, source_id: str) -> str:
        return await self._run(
            lambda: (
                (
                    self._conn()
                    .execute("SELECT cursor FROM sources WHERE id=?", (source_id,))
                    .fetchone()
                )
                or ("",)
            )[0]
        )

    async def set_cursor(self, source_id: str, cursor: str) -> None:
        def write() -> None:
            with self._transaction() as tx:
                tx.execute("UPDATE sources SET cursor=? WHERE id=?", (cursor, source_id))

        await self._run(write)

    async def delete_source(self, source_id: str, deletions: Sequence[ChangeRequest]) -> int:
        """Remove the source and queue ``deletions``, all in one transaction."""
        return await self._run(self._delete_source, source_id, deletions)

    def _delete_source(self, source_id: str, deletions: Sequence[ChangeRequest]) -> int:
        now = self._clock()
        with self._transaction() as tx:
            if tx.execute("DELETE FROM sources WHERE id=?", (source_id,)).rowcount == 0:
                raise NotFound(message=f"no source {source_id[:80]!r}", reason="SOURCE_NOT_FOUND")
            for request in deletions:
                self._insert(tx, request, now)
        return len(deletions)

    # --- housekeeping -------------------------------------------------------------------

    async def purge_expired(self, retention_s: float) -> int:
        """Forget final changes (and purged dead letters) older than the retention."""

        def purge() -> int:
            cutoff = self._clock() - retention_s
            with self._transaction() as tx:
                return int(
                    tx.execute(
                        "DELETE FROM changes WHERE ((state IN (?, ?)) OR purge_time IS NOT NULL) "
                        "AND update_time<?",
                        (ChangeState.APPLIED, ChangeState.SUPERSEDED, cutoff),
                    ).rowcount
                )

        return await self._run(purge)


class _Transaction:
    """``with`` block: COMMIT on success, ROLLBACK on any error (no partial writes)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        return self._db

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")

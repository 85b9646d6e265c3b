"""The durable side of the indexer: update and deletion queues, dead letters and what is known
about every document, in one SQLite database in WAL mode (the source registry,
services/indexer/source_registry.py, keeps its table in the same database).

Every state change is one transaction, so a crash (even SIGKILL) at any point leaves either
the state before or the state after. A change is acknowledged only after its transaction
committed with ``synchronous=FULL``. On start, changes left APPLYING by a crash are queued
again: processing is at-least-once and applying is idempotent (document id + content hash).

All SQLite work runs on one dedicated thread, which serializes it and keeps fsyncs off the
event loop.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.common.sqlite import SqliteThread, connect, immediate, on_sqlite_thread
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
from services.runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    NotFound,
    ResourceExhausted,
)

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
        self.clock = clock
        self.sqlite = SqliteThread("indexer-sqlite")
        self._db: sqlite3.Connection | None = None

    # --- plumbing -----------------------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("QueueStore is not open")
        return self._db

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate(self.connection())

    @on_sqlite_thread
    def open(self) -> int:
        """Open (creating if needed) and requeue changes a crash left APPLYING; returns how many."""
        # FULL: a change acknowledged to a client survives a power cut, not only a crash.
        self._db = connect(self._path, _SCHEMA, synchronous="FULL")
        with self.transaction() as tx:
            recovered = tx.execute(
                "UPDATE changes SET state=?, update_time=? WHERE state=?",
                (ChangeState.QUEUED, self.clock(), ChangeState.APPLYING),
            ).rowcount
        return int(recovered)

    async def close(self) -> None:
        await self._close()
        self.sqlite.shutdown()

    @on_sqlite_thread
    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- enqueue ------------------------------------------------------------------------

    @on_sqlite_thread
    def enqueue(self, request: ChangeRequest) -> tuple[Change, bool]:
        """Queue a change durably; returns it and whether it is new (False: idempotent retry).

        A waiting change to the same document is superseded by this one. Fails with
        QUEUE_FULL when the change would grow a full queue, ALREADY_EXISTS when the
        idempotency key was used for a different request.
        """
        now = self.clock()
        with self.transaction() as tx:
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
            change = self.insert(tx, request, now)
        return change, True

    def insert(self, tx: sqlite3.Connection, request: ChangeRequest, now: float) -> Change:
        """Queue ``request`` inside the caller's transaction ``tx`` (see ``enqueue``)."""
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

    @on_sqlite_thread
    def claim_batch(self, queue: QueueKind, limit: int, live_only: bool = False) -> list[Change]:
        """Take up to ``limit`` due changes of ``queue`` in one transaction, in claim order.

        Never waits for more: a lone change comes back alone. All have the priority of the
        first, so a live edit is never held back by bulk work applied in the same batch;
        ``live_only`` leaves bulk work alone entirely. One change per document, and none of
        a document that has a change being applied.
        """
        now = self.clock()
        with self.transaction() as tx:
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

    @on_sqlite_thread
    def next_retry_time(self, queue: QueueKind) -> float | None:
        row = (
            self.connection()
            .execute(
                "SELECT MIN(next_attempt_time) FROM changes WHERE queue=? AND state=?",
                (queue, ChangeState.FAILED),
            )
            .fetchone()
        )
        return float(row[0]) if row and row[0] is not None else None

    @on_sqlite_thread
    def payload(self, change_id: str) -> DocumentPayload | None:
        row = (
            self.connection()
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

    @on_sqlite_thread
    def mark_applied_many(self, applied: Sequence[tuple[Change, str, str]]) -> float:
        """Several changes are searchable (change, content hash, fingerprint each): one
        transaction, so a batch costs one commit. Returns the apply time."""
        now = self.clock()
        with self.transaction() as tx:
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

    @on_sqlite_thread
    def mark_failed(self, change: Change, error: str, retry_at: float | None) -> None:
        """A failed attempt: retry at ``retry_at``, or to the dead letters when None."""
        now = self.clock()
        with self.transaction() as tx:
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

    @on_sqlite_thread
    def get_change(self, change_id: str) -> Change:
        row = (
            self.connection()
            .execute(f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE id=?", (change_id,))
            .fetchone()
        )
        if row is None:
            raise NotFound(message=f"no change {change_id[:80]!r}", reason="CHANGE_NOT_FOUND")
        return _change(row)

    @on_sqlite_thread
    def queue_stats(self) -> list[QueueStats]:
        db = self.connection()
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

    @on_sqlite_thread
    def dead_letters(
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
        rows = self.connection().execute(sql + " ORDER BY seq LIMIT ?", (*args, limit)).fetchall()
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

    @on_sqlite_thread
    def retry_dead_letter(self, change_id: str) -> Change:
        now = self.clock()
        with self.transaction() as tx:
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

    @on_sqlite_thread
    def purge_dead_letter(self, change_id: str) -> DeadLetter:
        now = self.clock()
        with self.transaction() as tx:
            letter = self._get_dead_letter(tx, change_id)
            tx.execute(
                "UPDATE changes SET purge_time=?, update_time=?, payload=NULL WHERE id=?",
                (now, now, change_id),
            )
        return letter

    @on_sqlite_thread
    def dead_letter_count(self) -> int:
        return int(
            self.connection()
            .execute(
                "SELECT COUNT(*) FROM changes WHERE state=? AND purge_time IS NULL",
                (ChangeState.DEAD_LETTERED,),
            )
            .fetchone()[0]
        )

    # --- documents ----------------------------------------------------------------------

    @on_sqlite_thread
    def known(self, document_id: str) -> KnownDocument | None:
        row = (
            self.connection()
            .execute(
                "SELECT document_id, locator, seen_hash, present FROM documents "
                "WHERE document_id=?",
                (document_id,),
            )
            .fetchone()
        )
        return KnownDocument(row[0], row[1], row[2], bool(row[3])) if row else None

    @on_sqlite_thread
    def applied_fingerprint(self, document_id: str) -> str:
        row = (
            self.connection()
            .execute(
                "SELECT applied_fingerprint FROM documents WHERE document_id=? AND present=1",
                (document_id,),
            )
            .fetchone()
        )
        return str(row[0]) if row else ""

    @on_sqlite_thread
    def set_locator(self, document_id: str, source_id: str, locator: str) -> None:
        """Where a source document is read from (file path, row id as JSON)."""
        with self.transaction() as tx:
            tx.execute(
                "INSERT INTO documents (document_id, source_id, locator) VALUES (?,?,?) "
                "ON CONFLICT(document_id) DO UPDATE SET locator=excluded.locator",
                (document_id, source_id, locator),
            )

    @on_sqlite_thread
    def source_documents(self, source_id: str) -> list[KnownDocument]:
        """Documents of a source that are indexed or on their way (ids and locators only)."""
        rows = (
            self.connection()
            .execute(
                "SELECT document_id, locator, seen_hash, present FROM documents "
                "WHERE source_id=? AND (present=1 OR seen_hash!='') ORDER BY document_id",
                (source_id,),
            )
            .fetchall()
        )
        return [KnownDocument(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # --- housekeeping -------------------------------------------------------------------

    @on_sqlite_thread
    def purge_expired(self, retention_s: float) -> int:
        """Forget final changes (and purged dead letters) older than the retention."""
        cutoff = self.clock() - retention_s
        with self.transaction() as tx:
            return int(
                tx.execute(
                    "DELETE FROM changes WHERE ((state IN (?, ?)) OR purge_time IS NOT NULL) "
                    "AND update_time<?",
                    (ChangeState.APPLIED, ChangeState.SUPERSEDED, cutoff),
                ).rowcount
            )

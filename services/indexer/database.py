"""Database source: poll a table by its updated-at column, with tombstones and reconciliation.

Any database SQLAlchemy has a driver for works (SQLite out of the box; PostgreSQL, MySQL...
with their standard drivers installed). Each poll reads the rows whose updated-at value is
at or after the last poll's highest value (``>=`` so rows committed late with the same
timestamp are not missed; unchanged rows are skipped by content hash). A row whose
tombstone column is set becomes a deletion. Rows deleted without a tombstone are found by
the periodic reconciliation, which compares every id with the documents indexed.
Queries run on worker threads; rows are streamed, never loaded all at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from services.indexer.changes import (
    ApplyFailure,
    ChangeKind,
    ChangeRequest,
    DocumentPayload,
    Origin,
)
from services.indexer.detection import ChangeIntake, safe_key
from services.indexer.sources import (
    DatabaseConfig,
    SourceSpec,
    SourceState,
    document_id,
    expand_dsn,
)
from services.runtime.errors import FailedPrecondition

log = logging.getLogger(__name__)
_FETCH = 500


def encode_value(value: Any) -> str:
    """A cursor or row id as JSON that keeps its type (so queries bind the right type)."""
    if isinstance(value, dt.datetime):
        return json.dumps({"datetime": value.isoformat()})
    if isinstance(value, dt.date):
        return json.dumps({"date": value.isoformat()})
    if isinstance(value, bytes):
        return json.dumps({"bytes": value.hex()})
    return json.dumps({"value": value})


def decode_value(text: str) -> Any:
    body = json.loads(text)
    if "datetime" in body:
        return dt.datetime.fromisoformat(body["datetime"])
    if "date" in body:
        return dt.date.fromisoformat(body["date"])
    if "bytes" in body:
        return bytes.fromhex(body["bytes"])
    return body["value"]


def _content_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")


def _tombstoned(value: Any) -> bool:
    # "true or non-null": a boolean column false means alive, any other value means deleted.
    return not (value is None or value is False or value == 0)


class DatabaseTable:
    """The table of one database source, queried with SQLAlchemy Core (quoted identifiers)."""

    def __init__(self, config: DatabaseConfig) -> None:
        self.config = config
        schema, _, name = config.table.rpartition(".")
        self._engine = sa.create_engine(expand_dsn(config.dsn), pool_pre_ping=True)
        columns = [config.id_column, config.updated_at_column, config.content_column]
        columns += [c for c in (config.tombstone_column, config.title_column) if c]
        self._table = sa.table(name, *(sa.column(c) for c in columns), schema=schema or None)
        self._c = self._table.c

    def check(self) -> None:
        """FAILED_PRECONDITION (SOURCE_UNREACHABLE) unless the table and columns exist."""
        try:
            schema, _, name = self.config.table.rpartition(".")
            present = {
                c["name"] for c in sa.inspect(self._engine).get_columns(name, schema or None)
            }
        except Exception as exc:
            raise FailedPrecondition(
                message=f"cannot read table {self.config.table!r}: {type(exc).__name__}: "
                f"{str(exc).splitlines()[0][:300]}",
                reason="SOURCE_UNREACHABLE",
            ) from exc
        wanted = {self.config.id_column, self.config.updated_at_column, self.config.content_column}
        wanted |= {c for c in (self.config.tombstone_column, self.config.title_column) if c}
        missing = sorted(wanted - present)
        if missing:
            raise FailedPrecondition(
                message=f"table {self.config.table!r} has no column(s) {', '.join(missing)}",
                reason="SOURCE_UNREACHABLE",
            )

    def changed_rows(self, cursor: Any) -> Iterator[tuple[Any, Any, bool, bytes]]:
        """(id, updated_at, tombstoned, content) of rows changed at or after ``cursor``."""
        c = self._c
        cfg = self.config
        columns = [c[cfg.id_column], c[cfg.updated_at_column], c[cfg.content_column]]
        if cfg.tombstone_column:
            columns.append(c[cfg.tombstone_column])
        query = sa.select(*columns).order_by(c[cfg.updated_at_column])
        if cursor is not None:
            query = query.where(c[cfg.updated_at_column] >= cursor)
        with self._engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(query)
            while rows := result.fetchmany(_FETCH):
                for row in rows:
                    dead = _tombstoned(row[3]) if cfg.tombstone_column else False
                    yield row[0], row[1], dead, _content_bytes(row[2])

    def all_ids(self) -> Iterator[Any]:
        c = self._c[self.config.id_column]
        query = sa.select(c)
        if self.config.tombstone_column:
            tomb = self._c[self.config.tombstone_column]
            query = query.where(sa.or_(tomb.is_(None), tomb == sa.false()))
        with self._engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(query)
            while rows := result.fetchmany(_FETCH * 4):
                for row in rows:
                    yield row[0]

    def read(self, row_id: Any) -> tuple[bytes, str] | None:
        cfg = self.config
        columns: list[sa.ColumnElement[Any]] = [self._c[cfg.content_column]]
        columns.append(self._c[cfg.title_column] if cfg.title_column else sa.literal(""))
        if cfg.tombstone_column:
            columns.append(self._c[cfg.tombstone_column])
        query = sa.select(*columns).where(self._c[cfg.id_column] == row_id)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or (cfg.tombstone_column and _tombstoned(row[2])):
            return None
        return _content_bytes(row[0]), str(row[1] or "")

    def dispose(self) -> None:
        self._engine.dispose()


class DatabasePoller:
    """One polled table: detection (polls + reconciliation) and reading rows when applying."""

    def __init__(self, spec: SourceSpec, intake: ChangeIntake, *, max_document_bytes: int) -> None:
        assert isinstance(spec.config, DatabaseConfig)
        self.spec = spec
        self.config: DatabaseConfig = spec.config
        self.table = DatabaseTable(self.config)
        self._intake = intake
        self._max_bytes = max_document_bytes
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"db-poll-{self.spec.id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await asyncio.to_thread(self.table.dispose)

    async def _run(self) -> None:
        next_reconcile = 0.0
        backoff = self.config.poll_interval_s
        while True:
            try:
                await self.poll()
                if time.monotonic() >= next_reconcile:
                    await self.reconcile()
                    next_reconcile = time.monotonic() + self.config.reconcile_interval_s
                await self._intake.set_source_state(self.spec.id, SourceState.ACTIVE, synced=True)
                backoff = self.config.poll_interval_s
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("%s: poll failed: %s", self.spec.id, exc)
                await self._intake.set_source_state(
                    self.spec.id, SourceState.ERROR, f"{type(exc).__name__}: {exc}"[:500]
                )
                backoff = min(backoff * 2, max(self.config.poll_interval_s, 300.0))
            await asyncio.sleep(backoff)

    async def poll(self) -> int:
        """One poll; returns how many changes it queued."""
        raw_cursor = await self._intake.cursor(self.spec.id)
        cursor = decode_value(raw_cursor) if raw_cursor else None
        origin = Origin.DATABASE if raw_cursor else Origin.INITIAL_SYNC
        queue: asyncio.Queue[tuple[Any, Any, bool, bytes] | None] = asyncio.Queue(maxsize=_FETCH)
        loop = asyncio.get_running_loop()

        def produce() -> None:
            # Streams rows into a bounded queue: memory stays flat for any table size.
            try:
                for row in self.table.changed_rows(cursor):
                    asyncio.run_coroutine_threadsafe(queue.put(row), loop).result()
            finally:
                asyncio.run_coroutine_threadsafe(queue.put(None), loop).result()

        producer = asyncio.create_task(asyncio.to_thread(produce))
        queued = 0
        highest = cursor
        try:
            while (row := await queue.get()) is not None:
                row_id, updated_at, dead, content = row
                queued += await self._detected(row_id, dead, content, origin)
                if updated_at is not None and (highest is None or updated_at > highest):
                    highest = updated_at
        finally:
            await producer
        if highest is not None and highest != cursor:
            await self._intake.set_cursor(self.spec.id, encode_value(highest))
        return queued

    async def _detected(self, row_id: Any, dead: bool, content: bytes, origin: Origin) -> int:
        doc_id = document_id(self.spec.id, safe_key(str(row_id)))
        known = await self._intake.known(doc_id)
        now = time.time()
        if dead:
            if known is None or not (known.seen_hash or known.present):
                return 0
            await self._intake.submit_detected(
                ChangeRequest(ChangeKind.DELETE, doc_id, origin, self.spec.id, seen_time=now)
            )
            return 1
        digest = (
            hashlib.sha256(content).hexdigest()
            if len(content) <= self._max_bytes
            else f"oversize:{len(content)}"
        )
        if known is not None and known.seen_hash == digest:
            return 0
        locator = encode_value(row_id)
        if known is None or known.locator != locator:
            await self._intake.set_locator(doc_id, self.spec.id, locator)
        new = known is None or not known.present  # edits of indexed rows go first
        await self._intake.submit_detected(
            ChangeRequest(
                ChangeKind.UPSERT,
                doc_id,
                origin,
                self.spec.id,
                seen_hash=digest,
                seen_time=now,
                bulk=new,
            )
        )
        return 1

    async def reconcile(self) -> int:
        """Queue deletions for indexed rows that no longer exist; returns how many."""
        ids = await asyncio.to_thread(
            lambda: {document_id(self.spec.id, safe_key(str(i))) for i in self.table.all_ids()}
        )
        deleted = 0
        for known in await self._intake.source_documents(self.spec.id):
            if known.document_id not in ids:
                await self._intake.submit_detected(
                    ChangeRequest(
                        ChangeKind.DELETE,
                        known.document_id,
                        Origin.DATABASE,
                        self.spec.id,
                        seen_time=time.time(),
                    )
                )
                deleted += 1
        return deleted

    async def read(self, document_id: str, locator: str) -> DocumentPayload | None:
        if not locator:
            return None
        found = await asyncio.to_thread(self.table.read, decode_value(locator))
        if found is None:
            return None
        content, title = found
        if len(content) > self._max_bytes:
            raise ApplyFailure(
                f"DOCUMENT_TOO_LARGE: row is {len(content)} bytes; the limit is "
                f"{self._max_bytes} bytes",
                permanent=True,
            )
        return DocumentPayload(
            content=content,
            content_type=self.config.content_type or "text/plain",
            title=title,
            source=f"{self.config.table}#{json.loads(locator).get('value', locator)}",
            access_groups=self.spec.access_groups,
            metadata={**self.spec.metadata, "source_id": self.spec.id},
        )

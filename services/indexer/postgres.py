"""PostgreSQL source: follow a table through logical replication (no polling, no tombstones).

The source owns a replication slot (``test_decoding``). A reader thread streams the
slot's changes; per committed transaction, the ids of the table's changed rows become
changes (upsert or delete), queued in one SQLite transaction together with the
transaction's commit position (LSN), and only then is that position acknowledged to the
server (``flush_lsn``). So:

- a crash of the indexer before the SQLite commit: the server still holds the
  transaction and sends it again; after it: the cursor says it is queued, and a resent
  transaction at or before the cursor is skipped (no duplicate change);
- a restart of PostgreSQL: the slot is durable; the reader reconnects with backoff;
- content is read by id when a change is applied (the latest committed row wins, and
  values the WAL does not carry, e.g. unchanged TOAST columns, do not matter);
- a slot found missing while a cursor exists (dropped by someone, database restored):
  changes may be lost, so the slot is re-created and the table compared in full
  (upserts for every row, deletions for indexed rows that are gone).

A slot nobody reads keeps the server's WAL forever: ``lag_bytes`` (status, and the
``rag_indexer_source_lag_bytes`` gauge) measures what the slot retains; DeleteSource drops
the slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import select
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import psycopg2
import psycopg2.extras
from psycopg2 import sql

from services.indexer import metrics
from services.indexer.changes import ChangeKind, ChangeRequest, DocumentPayload, Origin
from services.indexer.detection import ChangeIntake, safe_key
from services.indexer.pg_decoding import RowEvent, decode_line, printed_table
from services.indexer.sources import (
    PostgresConfig,
    SourceSpec,
    SourceState,
    document_id,
    expand_dsn,
    slot_name,
)
from services.runtime.errors import FailedPrecondition

log = logging.getLogger(__name__)
PLUGIN = "test_decoding"
_CHUNK = 256  # changes per SQLite transaction (a queue never has to take more at once)
_FETCH = 1000
_MAX_BACKOFF_S = 60.0
_FIELD = "source.postgres.dsn"


def format_lsn(lsn: int) -> str:
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"


def parse_lsn(text: str) -> int:
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def _unreachable(what: str, exc: Exception) -> FailedPrecondition:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    return FailedPrecondition(message=f"{what}: {first}", reason="SOURCE_UNREACHABLE")


class PostgresTable:
    """Plain (non-replication) access to the table and the slot: checks, reads, lag."""

    def __init__(self, spec: SourceSpec) -> None:
        assert isinstance(spec.config, PostgresConfig)
        self.config: PostgresConfig = spec.config
        self.slot = slot_name(spec.id)
        self.dsn = expand_dsn(self.config.dsn, field=_FIELD)
        schema, _, name = self.config.table.rpartition(".")
        self.schema, self.name = schema or "public", name
        self._table = sql.Identifier(self.schema, self.name)

    def connect(self) -> Any:
        conn = psycopg2.connect(self.dsn, connect_timeout=5)
        conn.autocommit = True
        return conn

    def check(self) -> None:
        """FAILED_PRECONDITION (SOURCE_UNREACHABLE) unless the server can feed this source."""
        try:
            conn = self.connect()
        except psycopg2.Error as exc:
            raise _unreachable("cannot connect to PostgreSQL", exc) from exc
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW wal_level")
                if cur.fetchone()[0] != "logical":
                    raise FailedPrecondition(
                        message="PostgreSQL needs wal_level = logical (postgresql.conf, then "
                        "restart the server)",
                        reason="SOURCE_UNREACHABLE",
                    )
                cur.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) "
                    "AND attnum > 0 AND NOT attisdropped",
                    (self._regclass(),),
                )
                present = {row[0] for row in cur.fetchall()}
                if not present:
                    raise FailedPrecondition(
                        message=f"table {self.config.table!r} does not exist",
                        reason="SOURCE_UNREACHABLE",
                    )
                cfg = self.config
                wanted = {cfg.id_column, *cfg.content_columns}
                wanted |= {c for c in (cfg.title_column, cfg.access_groups_column) if c}
                missing = sorted(wanted - present)
                if missing:
                    raise FailedPrecondition(
                        message=f"table {cfg.table!r} has no column(s) {', '.join(missing)}",
                        reason="SOURCE_UNREACHABLE",
                    )
                cur.execute(sql.SQL("SELECT 1 FROM {} LIMIT 0").format(self._table))
                cur.execute(
                    "SELECT (SELECT rolreplication OR rolsuper FROM pg_roles "
                    "WHERE rolname = current_user), "
                    "EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = %s) OR "
                    "(SELECT count(*) FROM pg_replication_slots) "
                    "< current_setting('max_replication_slots')::int",
                    (self.slot,),
                )
                may_replicate, slot_free = cur.fetchone() or (False, False)
                if not may_replicate:
                    raise FailedPrecondition(
                        message="the database user needs the REPLICATION attribute "
                        "(ALTER ROLE <user> REPLICATION)",
                        reason="SOURCE_UNREACHABLE",
                    )
                if not slot_free:
                    raise FailedPrecondition(
                        message="no free replication slot: raise max_replication_slots or "
                        "drop an unused slot (pg_replication_slots)",
                        reason="SOURCE_UNREACHABLE",
                    )
        except psycopg2.Error as exc:
            raise _unreachable(f"cannot read table {self.config.table!r}", exc) from exc
        finally:
            conn.close()

    def _regclass(self) -> str:
        return f'"{self.schema}"."{self.name}"'

    def ensure_slot(self) -> bool:
        """Create the slot unless it exists; True when it was created now."""
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT plugin FROM pg_replication_slots WHERE slot_name=%s", (self.slot,)
                )
                row = cur.fetchone()
                if row is not None:
                    return False
                cur.execute(
                    "SELECT pg_create_logical_replication_slot(%s, %s)", (self.slot, PLUGIN)
                )
                return True
        finally:
            conn.close()

    def drop_slot(self, wait_s: float = 10.0) -> bool:
        """Drop the slot (ending a reader still attached); False when there was none."""
        conn = self.connect()
        deadline = time.monotonic() + wait_s
        try:
            with conn.cursor() as cur:
                while True:
                    cur.execute(
                        "SELECT active_pid FROM pg_replication_slots WHERE slot_name=%s",
                        (self.slot,),
                    )
                    row = cur.fetchone()
                    if row is None:
                        return False
                    if row[0] is not None:
                        cur.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                    try:
                        cur.execute("SELECT pg_drop_replication_slot(%s)", (self.slot,))
                        return True
                    except psycopg2.errors.ObjectInUse:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.1)
        finally:
            conn.close()

    def slot_lag(self) -> tuple[int, str] | None:
        """(bytes of WAL the slot retains, its confirmed LSN); None without the slot."""
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, "
                    "confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name=%s",
                    (self.slot,),
                )
                row = cur.fetchone()
                return None if row is None or row[0] is None else (int(row[0]), str(row[1]))
        finally:
            conn.close()

    def all_ids(self) -> Iterator[str]:
        conn = psycopg2.connect(self.dsn, connect_timeout=5)
        try:
            # A named (server-side) cursor streams the ids: memory stays flat for any table.
            with conn.cursor(name="ragmesh_ids") as cur:
                cur.itersize = _FETCH
                cur.execute(
                    sql.SQL("SELECT {}::text FROM {}").format(
                        sql.Identifier(self.config.id_column), self._table
                    )
                )
                for row in cur:
                    yield row[0]
        finally:
            conn.close()

    def read(self, row_id: str) -> tuple[str, str, list[str] | None] | None:
        """(content, title, access groups or None) of one row; None when it is gone."""
        cfg = self.config
        columns: list[sql.Composable] = [sql.Identifier(c) for c in cfg.content_columns]
        columns.append(sql.Identifier(cfg.title_column) if cfg.title_column else sql.SQL("''"))
        columns.append(
            sql.Identifier(cfg.access_groups_column) if cfg.access_groups_column else sql.NULL
        )
        # The id as text, compared as PostgreSQL's untyped literal: the column's index is used.
        query = sql.SQL("SELECT {} FROM {} WHERE {} = %s").format(
            sql.SQL(", ").join(columns), self._table, sql.Identifier(cfg.id_column)
        )
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(query, (row_id,))
                row = cur.fetchone()
        finally:
            conn.close()
        if row is None:
            return None
        count = len(cfg.content_columns)
        parts = [str(v) for v in row[:count] if v is not None and str(v) != ""]
        groups_value = row[count + 1]
        groups: list[str] | None = None
        if isinstance(groups_value, list):
            groups = [str(g).strip() for g in groups_value if g and str(g).strip()]
        elif groups_value is not None:
            groups = [g.strip() for g in str(groups_value).split(",") if g.strip()]
        # An empty list keeps the source's groups: never "readable by everyone" by accident.
        return "\n\n".join(parts), str(row[count] or ""), groups or None


class PostgresFollower:
    """One PostgreSQL source: its slot, its reader thread, and reading rows when applying."""

    def __init__(
        self,
        spec: SourceSpec,
        intake: ChangeIntake,
        *,
        max_document_bytes: int,
        lag_interval_s: float = 5.0,
    ) -> None:
        self.spec = spec
        self.table = PostgresTable(spec)
        self.config = self.table.config
        self._intake = intake
        self._max_bytes = max_document_bytes
        self._lag_interval_s = lag_interval_s
        self._printed = printed_table(self.config.table)
        self._stopping = threading.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._thread: threading.Thread | None = None
        self.lag_bytes: int | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run(), name=f"pg-follow-{self.spec.id}"),
            asyncio.create_task(self._watch_lag(), name=f"pg-lag-{self.spec.id}"),
        ]

    async def stop(self) -> None:
        self._stopping.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        thread = self._thread
        if thread is not None:
            await asyncio.to_thread(thread.join, 10.0)
        with contextlib.suppress(KeyError):
            metrics.SOURCE_LAG_BYTES.remove(self.spec.id)

    async def drop(self) -> None:
        """The source is deleted: drop its slot, so the server frees the WAL it kept."""
        await asyncio.to_thread(self.table.drop_slot)

    # --- following ------------------------------------------------------------------------

    async def _run(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                created = await asyncio.to_thread(self.table.ensure_slot)
                cursor = await self._intake.cursor(self.spec.id)
                if created or not cursor:
                    if created and cursor:
                        log.warning("%s: replication slot was missing; resyncing", self.spec.id)
                    await self.resync()
                await self._follow()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._stopping.is_set():
                    return
                message = f"{type(exc).__name__}: {str(exc).strip()}"[:500]
                log.warning("%s: %s; retrying in %.0f s", self.spec.id, message, backoff)
                await self._intake.set_source_state(
                    self.spec.id, SourceState.ERROR, f"{message} (retrying in {backoff:.0f} s)"
                )
                metrics.SOURCE_ERRORS.labels(self.spec.id).inc()
                await asyncio.sleep(backoff)
                # A stream that ran a while before failing starts its backoff afresh.
                backoff = 1.0 if time.monotonic() - started > 60 else backoff
                backoff = min(backoff * 2, _MAX_BACKOFF_S)

    async def resync(self) -> None:
        """Compare the whole table: upsert every row, delete indexed rows that are gone.
        The cursor is set to the slot's position read before the scan, so changes after it
        (already in the scan or not) come through the stream as well."""
        position = await asyncio.to_thread(self.table.slot_lag)
        cursor = position[1] if position else ""
        now = time.time()
        seen: set[str] = set()
        batch: list[tuple[ChangeRequest, str]] = []
        ids: asyncio.Queue[str | None] = asyncio.Queue(maxsize=_FETCH)
        loop = asyncio.get_running_loop()

        def produce() -> None:
            try:
                for row_id in self.table.all_ids():
                    asyncio.run_coroutine_threadsafe(ids.put(row_id), loop).result()
            finally:
                asyncio.run_coroutine_threadsafe(ids.put(None), loop).result()

        producer = asyncio.create_task(asyncio.to_thread(produce))
        try:
            while (row_id := await ids.get()) is not None:
                request, locator = self._upsert(row_id, Origin.INITIAL_SYNC, now)
                seen.add(request.document_id)
                batch.append((request, locator))
                if len(batch) >= _CHUNK:
                    await self._intake.queue_with_cursor(self.spec.id, batch, "")
                    batch = []
        finally:
            await producer
        for known in await self._intake.source_documents(self.spec.id):
            if known.document_id not in seen:
                batch.append((self._delete_request(known.document_id, now), ""))
        await self._intake.queue_with_cursor(self.spec.id, batch, cursor)

    def _doc_id(self, row_id: str) -> str:
        return document_id(self.spec.id, safe_key(row_id))

    def _upsert(self, row_id: str, origin: Origin, now: float) -> tuple[ChangeRequest, str]:
        doc_id = self._doc_id(row_id)
        request = ChangeRequest(
            ChangeKind.UPSERT,
            doc_id,
            origin,
            self.spec.id,
            # Not a content hash (content is read when applied); non-empty marks it known.
            seen_hash="postgres",
            seen_time=now,
            bulk=origin is Origin.INITIAL_SYNC,
        )
        return request, json.dumps({"value": row_id})

    def _delete_request(self, doc_id: str, now: float) -> ChangeRequest:
        return ChangeRequest(
            ChangeKind.DELETE, doc_id, Origin.DATABASE, self.spec.id, seen_time=now
        )

    async def _follow(self) -> None:
        """Stream the slot until stopped or the connection fails (raises)."""
        loop = asyncio.get_running_loop()
        cursor = parse_lsn(await self._intake.cursor(self.spec.id))
        done: asyncio.Future[None] = loop.create_future()

        def finish(exc: BaseException | None) -> None:
            if not done.done():
                if exc is None:
                    done.set_result(None)
                else:
                    done.set_exception(exc)

        def target() -> None:
            outcome: BaseException | None = None
            try:
                self._stream(loop, cursor)
            except BaseException as exc:  # handed to the event loop, which reports it
                outcome = exc
            with contextlib.suppress(RuntimeError):  # the loop is gone: stopping anyway
                loop.call_soon_threadsafe(finish, outcome)

        self._thread = threading.Thread(target=target, name=f"pg-{self.spec.id}", daemon=True)
        self._thread.start()
        await done

    def _call(self, loop: asyncio.AbstractEventLoop, make: Callable[[], Any]) -> Any:
        """Run a coroutine on the event loop from the reader thread and wait for it."""
        future = asyncio.run_coroutine_threadsafe(make(), loop)
        while True:
            try:
                return future.result(timeout=1.0)
            except TimeoutError:
                if self._stopping.is_set():
                    future.cancel()
                    raise InterruptedError("stopping") from None

    def _stream(self, loop: asyncio.AbstractEventLoop, skip_until: int) -> None:
        conn = psycopg2.connect(
            self.table.dsn,
            connection_factory=psycopg2.extras.LogicalReplicationConnection,
            connect_timeout=5,
        )
        try:
            cur = conn.cursor()
            cur.start_replication(
                slot_name=self.table.slot,
                decode=True,
                options={"include-xids": "0", "skip-empty-xacts": "1"},
            )
            self._call(
                loop,
                lambda: self._intake.set_source_state(
                    self.spec.id, SourceState.ACTIVE, synced=True
                ),
            )
            pending: dict[str, ChangeKind] = {}
            truncated = in_transaction = False
            confirmed = 0
            while not self._stopping.is_set():
                message = cur.read_message()
                if message is None:
                    # Between transactions everything the server sent is queued: confirm its
                    # position (keepalives carry it), so WAL without changes for us (other
                    # databases, checkpoints) is released too and a shutdown of the server
                    # does not wait for us; pg_recvlogical does the same.
                    sent = int(cur.wal_end)
                    if not in_transaction and sent > confirmed:
                        cur.send_feedback(flush_lsn=sent)  # type: ignore[no-untyped-call]
                        confirmed = sent
                    select.select([cur], [], [], 1.0)
                    continue
                line = decode_line(message.payload, self.config.id_column)
                if line.event is RowEvent.BEGIN:
                    pending, truncated, in_transaction = {}, False, True
                elif line.event is RowEvent.COMMIT:
                    in_transaction = False
                    # Transactions arrive in commit order: once this one is queued (or was
                    # before a restart, lsn <= skip_until), everything up to lsn is.
                    lsn = int(message.data_start)
                    if lsn > skip_until and (pending or truncated):
                        self._call(loop, partial(self._commit, dict(pending), truncated, lsn))
                    cur.send_feedback(flush_lsn=lsn)  # type: ignore[no-untyped-call]
                    confirmed = max(confirmed, lsn)
                elif line.table == self._printed:
                    if line.event is RowEvent.TRUNCATE:
                        pending, truncated = {}, True
                    else:
                        if line.old_id is not None and line.old_id != line.new_id:
                            pending[line.old_id] = ChangeKind.DELETE
                        if line.new_id is not None:
                            pending[line.new_id] = ChangeKind.UPSERT
        finally:
            conn.close()

    async def _commit(self, changes: dict[str, ChangeKind], truncated: bool, lsn: int) -> None:
        """Queue one transaction's changes; the last chunk moves the cursor to ``lsn``."""
        now = time.time()
        requests: list[tuple[ChangeRequest, str]] = []
        if truncated:
            # Rows inserted after the TRUNCATE in the same transaction are in ``changes``.
            for known in await self._intake.source_documents(self.spec.id):
                requests.append((self._delete_request(known.document_id, now), ""))
        for row_id, kind in changes.items():
            if kind is ChangeKind.UPSERT:
                requests.append(self._upsert(row_id, Origin.DATABASE, now))
            else:
                requests.append((self._delete_request(self._doc_id(row_id), now), ""))
        for start in range(0, max(len(requests), 1), _CHUNK):
            last = start + _CHUNK >= len(requests)
            await self._intake.queue_with_cursor(
                self.spec.id, requests[start : start + _CHUNK], format_lsn(lsn) if last else ""
            )

    async def _watch_lag(self) -> None:
        while True:
            try:
                found = await asyncio.to_thread(self.table.slot_lag)
                self.lag_bytes = found[0] if found else None
            except asyncio.CancelledError:
                raise
            except Exception:
                self.lag_bytes = None
            if self.lag_bytes is not None:
                metrics.SOURCE_LAG_BYTES.labels(self.spec.id).set(self.lag_bytes)
            await asyncio.sleep(self._lag_interval_s)

    # --- applying -------------------------------------------------------------------------

    async def read(self, document_id: str, locator: str) -> DocumentPayload | None:
        if not locator:
            return None
        row_id = str(json.loads(locator)["value"])
        found = await asyncio.to_thread(self.table.read, row_id)
        if found is None:
            return None
        content, title, groups = found
        return DocumentPayload(
            content=content.encode("utf-8"),
            content_type=self.config.content_type,
            title=title,
            source=f"postgres:{self.config.table}#{row_id}",
            access_groups=tuple(groups) if groups is not None else self.spec.access_groups,
            metadata={**self.spec.metadata, "source_id": self.spec.id},
        )

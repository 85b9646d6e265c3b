"""The PostgreSQL source against a real server (started here): logical replication from
insert to index, restarts of the indexer and of the server, slot lifecycle, bad config."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from services.indexer.__main__ import detector_factory
from services.indexer.core import Indexer
from services.indexer.pg_decoding import RowEvent, decode_line
from services.indexer.sources import PostgresConfig, SourceSpec, SourceState, slot_name
from services.runtime.errors import FailedPrecondition, InvalidArgument
from tests.support.postgres import PostgresServer, start_server
from tests.unit.test_indexer_core import MemorySink, eventually, settings


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    running = start_server()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def table(server: PostgresServer, request: pytest.FixtureRequest) -> str:
    name = "docs_" + str(request.node.name).removeprefix("test_")[:40]
    server.sql(f"DROP TABLE IF EXISTS {name}")
    server.sql(
        f"CREATE TABLE {name} (id integer PRIMARY KEY, title text, body text, notes text, "
        "groups text[])"
    )
    server.sql(f"INSERT INTO {name} VALUES (1, 'One', 'first body', NULL, NULL)")
    server.sql(f"INSERT INTO {name} VALUES (2, 'Two', 'second body', 'more', '{{hr,legal}}')")
    return name


def spec_for(server: PostgresServer, table: str, source_id: str = "pg-docs") -> SourceSpec:
    return SourceSpec(
        id=source_id,
        config=PostgresConfig(
            dsn=server.dsn,
            table=table,
            id_column="id",
            content_columns=("body", "notes"),
            content_type="text/markdown",
            title_column="title",
            access_groups_column="groups",
        ),
        access_groups=("staff",),
    )


@pytest.fixture
async def indexer(tmp_path: Path, sink: MemorySink) -> AsyncIterator[Indexer]:
    config = settings(tmp_path)
    running = Indexer(config, sink, detector_factory(config))
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


def slots(server: PostgresServer) -> list[str]:
    return [str(r[0]) for r in server.query("SELECT slot_name FROM pg_replication_slots")]


async def test_inserts_updates_deletes_reach_the_index(
    server: PostgresServer, table: str, indexer: Indexer, sink: MemorySink
) -> None:
    await indexer.create_source(spec_for(server, table))
    await eventually(lambda: len(sink.index) == 2)
    first, second = sink.index["pg-docs:1"], sink.index["pg-docs:2"]
    assert first.content == b"first body" and first.title == "One"
    assert first.access_groups == ("staff",) and first.content_type == "text/markdown"
    assert second.content == b"second body\n\nmore"
    assert set(second.access_groups) == {"hr", "legal"}
    assert slot_name("pg-docs") in slots(server)

    started = time.monotonic()
    server.sql(f"INSERT INTO {table} VALUES (3, 'Three', 'third', NULL, '{{}}')")
    await eventually(lambda: sink.text("pg-docs:3") == "third", within=5)
    assert sink.index["pg-docs:3"].access_groups == ("staff",)  # empty keeps the source's
    assert time.monotonic() - started < 5
    server.sql(f"UPDATE {table} SET body='first, edited' WHERE id=1")
    await eventually(lambda: sink.text("pg-docs:1") == "first, edited", within=5)
    server.sql(f"DELETE FROM {table} WHERE id=2")
    await eventually(lambda: "pg-docs:2" not in sink.index, within=5)
    # A key change is a deletion of the old id and an upsert of the new one.
    server.sql(f"UPDATE {table} SET id=30 WHERE id=3")
    await eventually(lambda: set(sink.index) == {"pg-docs:1", "pg-docs:30"}, within=5)
    # Other tables' changes are not ours.
    server.sql("CREATE TABLE IF NOT EXISTS unrelated (id integer PRIMARY KEY, body text)")
    server.sql("INSERT INTO unrelated VALUES (99, 'x') ON CONFLICT DO NOTHING")
    server.sql(f"TRUNCATE {table}")
    await eventually(lambda: not sink.index, within=5)

    status = await indexer.get_source("pg-docs")
    assert status.state is SourceState.ACTIVE and status.cursor
    # WAL without changes for us (a switch to the next WAL segment: up to 16 MiB) is
    # confirmed too: an idle source is not behind.
    server.sql("SELECT pg_switch_wal()")
    # Other writers' logical messages are not rows of ours, and do not stop the stream.
    server.sql("SELECT pg_logical_emit_message(false, 'other-app', 'hello')")

    def lag() -> int | None:
        return getattr(indexer._detectors["pg-docs"], "lag_bytes", None)

    deadline = time.monotonic() + 30
    while (lag() or 1 << 30) >= 64 * 1024:
        assert time.monotonic() < deadline, f"idle source still {lag()} bytes behind"
        server.sql("CHECKPOINT")  # WAL in the new segment: the server's sent position moves
        await asyncio.sleep(1.0)
    listed = (await indexer.status()).sources[0]
    assert listed.lag_bytes is not None and 0 <= listed.lag_bytes < 64 * 1024

    await indexer.delete_source("pg-docs", delete_documents=False, allow_missing=False)
    assert slot_name("pg-docs") not in slots(server)


async def test_restarts_of_indexer_and_server_lose_and_repeat_nothing(
    server: PostgresServer, table: str, tmp_path: Path
) -> None:
    sink = MemorySink()
    config = settings(tmp_path)
    first = Indexer(config, sink, detector_factory(config))
    await first.start()
    await first.create_source(spec_for(server, table, "pg-restart"))
    await eventually(lambda: len(sink.index) == 2)
    await first.stop()
    # While the indexer is down: the slot keeps every change for it.
    server.sql(f"INSERT INTO {table} VALUES (5, 'Five', 'five', NULL, NULL)")
    server.sql(f"DELETE FROM {table} WHERE id=1")
    upserts_before = len(sink.upserts)

    second = Indexer(config, sink, detector_factory(config))
    await second.start()
    try:
        await eventually(lambda: set(sink.index) == {"pg-restart:2", "pg-restart:5"})
        # Only the insert was applied again: nothing queued before the stop came back.
        assert len(sink.upserts) == upserts_before + 1

        server.restart()
        server.sql(f"UPDATE {table} SET body='after restart' WHERE id=5")
        await eventually(lambda: sink.text("pg-restart:5") == "after restart", within=30)
        assert len(sink.upserts) == upserts_before + 2
        await second.delete_source("pg-restart", delete_documents=True, allow_missing=False)
        await eventually(lambda: not sink.index)
    finally:
        await second.stop()
    assert slot_name("pg-restart") not in slots(server)


async def test_unreachable_server_backs_off_with_a_reason(
    server: PostgresServer, table: str, indexer: Indexer, sink: MemorySink
) -> None:
    await indexer.create_source(spec_for(server, table, "pg-down"))
    await eventually(lambda: len(sink.index) == 2)
    began = time.monotonic()
    server.stop()  # a reader that confirmed all it was sent does not hold the shutdown up
    assert time.monotonic() - began < 15
    try:

        async def errored() -> bool:
            status = await indexer.get_source("pg-down")
            return status.state is SourceState.ERROR and "retrying in" in status.last_error

        deadline = time.monotonic() + 15
        while not await errored():
            assert time.monotonic() < deadline, "no ERROR state with a reason"
            await asyncio.sleep(0.1)
    finally:
        server.start()
    server.sql(f"INSERT INTO {table} VALUES (7, 'Seven', 'seven', NULL, NULL)")
    await eventually(lambda: sink.text("pg-down:7") == "seven", within=40)
    assert (await indexer.get_source("pg-down")).state is SourceState.ACTIVE
    await indexer.delete_source("pg-down", delete_documents=False, allow_missing=False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dsn": ""}, "source.postgres.dsn"),
        ({"dsn": "mysql://x/y"}, "source.postgres.dsn"),
        ({"table": "a.b.c"}, "source.postgres.table"),
        ({"id_column": "id; drop"}, "source.postgres.id_column"),
        ({"content_columns": ()}, "source.postgres.content_columns"),
        ({"content_type": "application/pdf"}, "source.postgres.content_type"),
        ({"access_groups_column": "a b"}, "source.postgres.access_groups_column"),
    ],
)
async def test_bad_configuration_is_refused_naming_the_field(
    indexer: Indexer, change: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {
        "dsn": "postgresql://u@127.0.0.1:1/db",
        "table": "docs",
        "id_column": "id",
        "content_columns": ("body",),
    }
    values.update(change)
    spec = SourceSpec(id="pg-bad", config=PostgresConfig(**values))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument) as raised:
        await indexer.create_source(spec)
    assert field in str(raised.value.field_violations)
    assert (await indexer.sources.list_sources()) == []


async def test_unusable_servers_and_tables_are_refused(
    server: PostgresServer, table: str, indexer: Indexer
) -> None:
    server.sql("DROP ROLE IF EXISTS reader")
    server.sql("CREATE ROLE reader LOGIN")
    server.sql(f"GRANT SELECT ON {table} TO reader")
    spec = spec_for(server, table, "pg-nope")
    for config, words in [
        (PostgresConfig("postgresql://postgres@127.0.0.1:1/x", table, "id", ("body",)), "connect"),
        (PostgresConfig(server.dsn, "no_such_table", "id", ("body",)), "does not exist"),
        (PostgresConfig(server.dsn, table, "id", ("nope",)), "nope"),
        (PostgresConfig(server.dsn.replace("postgres@", "reader@"), table, "id", ("body",)),
         "REPLICATION"),
    ]:  # fmt: skip
        with pytest.raises(FailedPrecondition) as raised:
            await indexer.create_source(SourceSpec(spec.id, config))
        assert raised.value.reason == "SOURCE_UNREACHABLE" and words in raised.value.message
    assert slot_name("pg-nope") not in slots(server)


def test_decoding_reads_ids_of_every_row_event() -> None:
    line = "table public.docs: INSERT: id[integer]:4 body[text]:'it''s: UPDATE: x' n[text]:null"
    assert decode_line(line, "id").new_id == "4"
    update = decode_line(
        "table public.docs: UPDATE: old-key: id[integer]:3 new-tuple: id[integer]:30 "
        "body[text]:unchanged-toast-datum",
        "id",
    )
    assert (update.event, update.old_id, update.new_id) == (RowEvent.UPDATE, "3", "30")
    quoted = decode_line("""table s."My T": DELETE: "Key"[character varying]:'a b'""", "Key")
    assert (quoted.table, quoted.old_id) == ('s."My T"', "a b")
    assert decode_line("table public.docs: TRUNCATE: (no-flags)", "id").event is RowEvent.TRUNCATE
    message = "message: transactional: 0 prefix: other-app, sz: 5 content:hello"
    assert decode_line(message, "id").event is RowEvent.OTHER


async def test_transactions_resent_after_a_crash_before_the_ack_are_not_queued_twice(
    server: PostgresServer, table: str, tmp_path: Path
) -> None:
    """A crash between queueing and acknowledging: the server resends what it was not told
    of. Rebuilt here by putting the slot back where it was before the changes (a copy taken
    then), so the server resends transactions the indexer has already queued."""
    sink = MemorySink()
    config = settings(tmp_path)
    first = Indexer(config, sink, detector_factory(config))
    await first.start()
    await first.create_source(spec_for(server, table, "pg-ack"))
    await eventually(lambda: len(sink.index) == 2)
    slot = slot_name("pg-ack")
    server.sql(f"SELECT pg_copy_logical_replication_slot('{slot}', 'before_changes')")
    server.sql(f"INSERT INTO {table} VALUES (8, 'Eight', 'eight', NULL, NULL)")
    server.sql(f"UPDATE {table} SET body='second, edited' WHERE id=2")
    await eventually(lambda: sink.text("pg-ack:8") == "eight")
    await eventually(lambda: sink.text("pg-ack:2") == "second, edited\n\nmore")
    await first.stop()
    queued_before = await _change_count(config.state_path)
    server.sql(f"SELECT pg_drop_replication_slot('{slot}')")
    server.sql(f"SELECT pg_copy_logical_replication_slot('before_changes', '{slot}')")
    server.sql("SELECT pg_drop_replication_slot('before_changes')")

    second = Indexer(config, sink, detector_factory(config))
    await second.start()
    try:
        # A new change after the resent ones shows the resent ones were read (and skipped).
        server.sql(f"INSERT INTO {table} VALUES (9, 'Nine', 'nine', NULL, NULL)")
        await eventually(lambda: sink.text("pg-ack:9") == "nine")
        assert await _change_count(config.state_path) == queued_before + 1
        assert set(sink.index) == {"pg-ack:1", "pg-ack:2", "pg-ack:8", "pg-ack:9"}
        await second.delete_source("pg-ack", delete_documents=False, allow_missing=False)
    finally:
        await second.stop()


async def _change_count(state_path: str) -> int:
    def count() -> int:
        with contextlib.closing(sqlite3.connect(state_path)) as db:
            return int(db.execute("SELECT COUNT(*) FROM changes").fetchone()[0])

    return await asyncio.to_thread(count)

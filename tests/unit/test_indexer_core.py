"""The Indexer with its real queues, watchers and pollers, applying to an in-memory sink."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sqlite3
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from services.indexer.__main__ import detector_factory
from services.indexer.changes import (
    ApplyFailure,
    ChangeKind,
    ChangeRequest,
    ChangeState,
    DocumentPayload,
    Origin,
)
from services.indexer.core import Indexer
from services.indexer.filesystem import FilesystemWatcher
from services.indexer.model import DocumentToIndex, NotifyInput
from services.indexer.settings import IndexerSettings
from services.indexer.sources import DatabaseConfig, FilesystemConfig, SourceSpec
from services.runtime.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
)


class MemorySink:
    """Stands in for RagService: the index is a dict of document id -> content.

    ``calls`` records every upsert call as the ids it carried (one id: IngestDocument,
    several: BatchIngestDocuments); ``fail`` fails a document's next attempts, alone or
    inside a batch (per-document results); ``batch_fail`` fails the next batch calls whole.
    """

    def __init__(self) -> None:
        self.index: dict[str, DocumentToIndex] = {}
        self.upserts: list[str] = []
        self.deletes: list[str] = []
        self.calls: list[list[str]] = []
        self.fail: dict[str, list[ApplyFailure]] = {}
        self.batch_fail: list[ApplyFailure] = []
        self.gate: asyncio.Event | None = None
        self.delay_s = 0.0

    async def upsert(self, document: DocumentToIndex) -> None:
        self.calls.append([document.id])
        await self._hold()
        failure = self._apply(document)
        if failure is not None:
            raise failure

    async def upsert_many(self, documents: Sequence[DocumentToIndex]) -> list[ApplyFailure | None]:
        self.calls.append([d.id for d in documents])
        await self._hold()
        if self.batch_fail:
            raise self.batch_fail.pop(0)
        return [self._apply(d) for d in documents]

    async def _hold(self) -> None:
        if self.gate is not None:
            await self.gate.wait()
        if self.delay_s:
            await asyncio.sleep(self.delay_s)

    def _apply(self, document: DocumentToIndex) -> ApplyFailure | None:
        failures = self.fail.get(document.id)
        if failures:
            return failures.pop(0)
        self.upserts.append(document.id)
        self.index[document.id] = document
        return None

    async def delete(self, document_id: str) -> None:
        self.deletes.append(document_id)
        self.index.pop(document_id, None)

    def text(self, document_id: str) -> str | None:
        doc = self.index.get(document_id)
        return doc.content.decode() if doc else None


async def eventually(predicate: Callable[[], object], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"condition not met within {within}s")


def settings(tmp_path: Path, **overrides: object) -> IndexerSettings:
    values: dict[str, object] = {
        "state_path": str(tmp_path / "state" / "queue.sqlite3"),
        "retry_base_s": 0.01,
        "retry_max_s": 0.05,
        "max_attempts": 3,
        "debounce_s": 0.05,
        "debounce_max_wait_s": 0.5,
        "webhook_port": -1,
        "max_document_bytes": 1024 * 1024,
    }
    values.update(overrides)
    return IndexerSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
async def indexer(tmp_path: Path, sink: MemorySink) -> AsyncIterator[Indexer]:
    config = settings(tmp_path)
    running = Indexer(config, sink, detector_factory(config))
    await running.start()
    yield running
    await running.stop()


def notify(doc: str, content: bytes | None, key: str, kind: ChangeKind = ChangeKind.UPSERT,
           **extra: object) -> NotifyInput:  # fmt: skip
    payload = DocumentPayload(content=content) if content is not None else None
    return NotifyInput(
        idempotency_key=key,
        kind=kind,
        document_id=doc,
        request_hash=f"{doc}|{content!r}|{kind}|{extra}",
        payload=payload,
        **extra,  # type: ignore[arg-type]
    )


async def state_of(indexer: Indexer, change_id: str) -> ChangeState:
    return (await indexer.get_change(change_id)).state


async def test_webhook_changes_are_applied_and_tracked(indexer: Indexer, sink: MemorySink) -> None:
    change = await indexer.notify(notify("faq", b"first answer", "k1"))
    assert change.state is ChangeState.QUEUED
    await eventually(lambda: sink.text("faq") == "first answer")
    await eventually(lambda: indexer.freshness().sample_count == 1)
    assert await state_of(indexer, change.id) is ChangeState.APPLIED
    applied = await indexer.get_change(change.id)
    assert applied.apply_time is not None and applied.attempt_count == 1
    gone = await indexer.notify(notify("faq", None, "k2", ChangeKind.DELETE))
    await eventually(lambda: "faq" not in sink.index)
    await eventually(lambda: indexer.freshness().sample_count == 2)
    assert await state_of(indexer, gone.id) is ChangeState.APPLIED
    status = await indexer.status()
    totals = {stats.queue.label: t.processed for stats, t in status.queues}
    assert totals == {"update": 1, "deletion": 1}


async def test_notify_validates_before_queueing(indexer: Indexer) -> None:
    with pytest.raises(InvalidArgument):
        await indexer.notify(notify("doc", b"x", ""))
    with pytest.raises(InvalidArgument):
        await indexer.notify(NotifyInput("k", None, "doc", "h"))
    with pytest.raises(InvalidArgument):
        await indexer.notify(notify("doc", None, "k"))  # upsert without content or source
    with pytest.raises(InvalidArgument):
        await indexer.notify(notify("bad id!", b"x", "k"))
    with pytest.raises(NotFound):
        await indexer.notify(notify("nosuch:doc", None, "k", source_id="nosuch"))
    too_big = b"x" * (indexer.settings.max_notify_bytes + 1)
    with pytest.raises(InvalidArgument):
        await indexer.notify(notify("doc", too_big, "k"))


async def test_transient_failures_are_retried_then_applied(
    indexer: Indexer, sink: MemorySink
) -> None:
    sink.fail["flaky"] = [ApplyFailure("UNAVAILABLE: busy"), ApplyFailure("UNAVAILABLE: busy")]
    change = await indexer.notify(notify("flaky", b"content", "k"))
    await eventually(lambda: sink.text("flaky") == "content")
    await eventually(lambda: indexer.freshness().sample_count == 1)
    applied = await indexer.get_change(change.id)
    assert applied.state is ChangeState.APPLIED and applied.attempt_count == 3


async def test_poisoned_inputs_land_in_dead_letters_without_stalling(
    indexer: Indexer, sink: MemorySink
) -> None:
    sink.fail["always"] = [ApplyFailure("UNAVAILABLE: down")] * 10
    sink.fail["rejected"] = [ApplyFailure("INVALID_ARGUMENT: unsupported", permanent=True)]
    poisoned = {
        "garbage": os.urandom(4096) + b"\xff\xfe",
        "latin1": "caf\xe9 au lait".encode("latin-1"),
        "nul": b"text\x00with a NUL",
        "huge": b"a" * (indexer.settings.max_document_bytes + 1),
        "always": b"fine text",
        "rejected": b"fine text",
    }
    ids = {}
    for doc, content in poisoned.items():
        ids[doc] = (await indexer.notify(notify(doc, content, f"key-{doc}"))).id
    good = await indexer.notify(notify("good", b"after the poison", "key-good"))
    await eventually(lambda: sink.text("good") == "after the poison")
    await eventually(lambda: len(sink.fail["always"]) == 10 - 3, within=10)

    async def dead() -> dict[str, tuple[str, ...]]:
        page = await indexer.list_dead_letters(0, "", "", None)
        return {d.change.document_id: d.errors for d in page.items}

    for _ in range(200):
        if len(await dead()) == len(poisoned):
            break
        await asyncio.sleep(0.02)
    letters = await dead()
    assert set(letters) == set(poisoned)
    assert "UNDECODABLE_CONTENT" in letters["garbage"][-1]
    assert "UNDECODABLE_CONTENT" in letters["latin1"][-1]
    assert "BINARY_CONTENT" in letters["nul"][-1]
    assert "DOCUMENT_TOO_LARGE" in letters["huge"][-1]
    assert len(letters["always"]) == 3  # max_attempts, then set aside
    assert letters["rejected"] == ("INVALID_ARGUMENT: unsupported",)  # permanent: no retry
    assert not set(poisoned) & set(sink.upserts)
    assert await state_of(indexer, good.id) is ChangeState.APPLIED
    status = await indexer.status()
    assert status.dead_letter_count == len(poisoned)

    # An operator fixes the cause and retries; or purges.
    sink.fail.pop("always")
    await indexer.retry_dead_letter(ids["always"])
    await eventually(lambda: sink.text("always") == "fine text")
    purged = await indexer.purge_dead_letter(ids["huge"])
    assert purged.change.document_id == "huge"
    remaining = await dead()
    assert "huge" not in remaining and "always" not in remaining


async def test_a_change_made_while_applying_ends_with_the_last_content(
    indexer: Indexer, sink: MemorySink
) -> None:
    sink.gate = asyncio.Event()
    first = await indexer.notify(notify("doc", b"version 1", "k1"))
    await eventually(lambda: indexer.store is not None)
    await asyncio.sleep(0.1)  # version 1 is now being applied (held at the gate)
    assert await state_of(indexer, first.id) is ChangeState.APPLYING
    second = await indexer.notify(notify("doc", b"version 2", "k2"))
    third = await indexer.notify(notify("doc", b"version 3", "k3"))
    assert (await indexer.get_change(second.id)).superseded_by == third.id
    sink.gate.set()
    await eventually(lambda: sink.text("doc") == "version 3")
    await eventually(lambda: indexer.freshness().sample_count == 2)
    assert sink.upserts == ["doc", "doc"]  # v1 (in flight), then v3; v2 never applied
    assert await state_of(indexer, second.id) is ChangeState.SUPERSEDED


async def test_sources_paginate_and_delete_with_their_documents(
    tmp_path: Path, indexer: Indexer, sink: MemorySink
) -> None:
    folders = []
    for name in ("a", "b", "c"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "note.md").write_text(f"# Note {name}\n\nSome text in {name}.")
        folders.append(folder)
        await indexer.create_source(
            SourceSpec(f"docs-{name}", FilesystemConfig(str(folder)), access_groups=("team",))
        )
    await eventually(lambda: len(sink.index) == 3)
    assert sink.index["docs-a:note.md"].access_groups == ("team",)
    first = await indexer.list_sources(2, "")
    second = await indexer.list_sources(2, first.next_page_token)
    assert [s.spec.id for s in first.items + second.items] == ["docs-a", "docs-b", "docs-c"]
    assert second.next_page_token == ""
    with pytest.raises(InvalidArgument):
        await indexer.list_sources(-1, "")
    with pytest.raises(FailedPrecondition):
        await indexer.create_source(SourceSpec("gone", FilesystemConfig(str(tmp_path / "no"))))
    with pytest.raises(InvalidArgument):
        await indexer.create_source(SourceSpec("Bad_Id", FilesystemConfig(str(tmp_path))))
    await eventually(lambda: False is False)
    status = await indexer.get_source("docs-a")
    assert status.document_count == 1
    assert await indexer.delete_source("docs-a", True, False) == 1
    await eventually(lambda: "docs-a:note.md" not in sink.index)
    with pytest.raises(NotFound):
        await indexer.get_source("docs-a")
    assert await indexer.delete_source("docs-a", True, True) == 0


async def test_filesystem_create_modify_rename_delete(
    tmp_path: Path, indexer: Indexer, sink: MemorySink
) -> None:
    root = tmp_path / "watched"
    (root / "sub").mkdir(parents=True)
    (root / "existing.md").write_text("# Existing\n\nwritten before the watch")
    await indexer.create_source(SourceSpec("w", FilesystemConfig(str(root))))
    await eventually(lambda: sink.text("w:existing.md") is not None)

    (root / "sub" / "new.md").write_text("first draft")
    await eventually(lambda: sink.text("w:sub/new.md") == "first draft")
    (root / "sub" / "new.md").write_text("second draft")
    await eventually(lambda: sink.text("w:sub/new.md") == "second draft")
    upserts_before = len(sink.upserts)
    (root / "sub" / "new.md").write_text("second draft")  # saved, nothing changed
    (root / "ignored.bin").write_bytes(b"\x00\x01")  # not a supported type
    await asyncio.sleep(0.5)
    assert len(sink.upserts) == upserts_before

    (root / "sub" / "new.md").rename(root / "renamed.md")
    await eventually(lambda: sink.text("w:renamed.md") == "second draft")
    await eventually(lambda: "w:sub/new.md" not in sink.index)
    (root / "sub").rename(root / "moved")
    (root / "existing.md").rename(root / "moved" / "existing.md")
    await eventually(lambda: sink.text("w:moved/existing.md") is not None)
    await eventually(lambda: "w:existing.md" not in sink.index)
    (root / "renamed.md").unlink()
    await eventually(lambda: "w:renamed.md" not in sink.index)
    # Same content as before its deletion: indexed again.
    (root / "renamed.md").write_text("second draft")
    await eventually(lambda: sink.text("w:renamed.md") == "second draft")


async def test_changes_made_while_stopped_are_found_on_restart(
    tmp_path: Path, sink: MemorySink
) -> None:
    root = tmp_path / "watched"
    root.mkdir()
    (root / "keep.md").write_text("kept")
    (root / "edit.md").write_text("old")
    (root / "drop.md").write_text("dropped")
    config = settings(tmp_path)
    first = Indexer(config, sink, detector_factory(config))
    await first.start()
    await first.create_source(SourceSpec("w", FilesystemConfig(str(root))))
    await eventually(lambda: len(sink.index) == 3)
    await first.stop()
    (root / "edit.md").write_text("new")
    (root / "drop.md").unlink()
    (root / "add.md").write_text("added")
    calls = len(sink.upserts)
    second = Indexer(config, sink, detector_factory(config))
    await second.start()
    try:
        await eventually(lambda: sink.text("w:edit.md") == "new")
        await eventually(lambda: sink.text("w:add.md") == "added")
        await eventually(lambda: "w:drop.md" not in sink.index)
        assert sink.text("w:keep.md") == "kept"
        assert len(sink.upserts) == calls + 2  # the unchanged file is not re-sent
    finally:
        await second.stop()


async def test_a_burst_of_1000_files_stays_within_its_memory_bound(
    tmp_path: Path, sink: MemorySink
) -> None:
    root = tmp_path / "burst"
    root.mkdir()
    config = settings(tmp_path, update_queue_capacity=50, max_pending_paths=200)
    indexer = Indexer(config, sink, detector_factory(config))
    await indexer.start()
    try:
        await indexer.create_source(SourceSpec("b", FilesystemConfig(str(root))))
        sink.delay_s = 0.001
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        for i in range(1000):
            (root / f"doc-{i:04d}.txt").write_text(f"document number {i} " * 20)
        await eventually(lambda: len(sink.index) == 1000, within=90)
        peak = tracemalloc.get_traced_memory()[1] - baseline
        tracemalloc.stop()
        watcher = indexer._detectors["b"]
        assert isinstance(watcher, FilesystemWatcher)
        assert watcher.peak_pending <= 200
        stats = {s.queue.label: s for s, _ in (await indexer.status()).queues}
        assert stats["update"].capacity == 50
        # 1000 documents of ~400 bytes held by the sink are ~1 MB; the indexer adds little.
        assert peak < 16 * 1024 * 1024, f"peak traced memory {peak / 1e6:.1f} MB"
    finally:
        await indexer.stop()


async def test_database_table_polling_with_tombstones_and_hard_deletes(
    tmp_path: Path, indexer: Indexer, sink: MemorySink
) -> None:
    path = tmp_path / "docs.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, body TEXT, "
        "updated_at REAL, deleted INTEGER DEFAULT 0)"
    )
    db.execute("INSERT INTO articles VALUES (1, 'One', 'first body', 1.0, 0)")
    db.execute("INSERT INTO articles VALUES (2, 'Two', 'second body', 1.0, 0)")
    spec = SourceSpec(
        "kb",
        DatabaseConfig(
            dsn=f"sqlite:///{path}",
            table="articles",
            id_column="id",
            updated_at_column="updated_at",
            content_column="body",
            tombstone_column="deleted",
            title_column="title",
            poll_interval_s=1.0,
        ),
        access_groups=("kb-readers",),
    )
    with pytest.raises(FailedPrecondition):
        await indexer.create_source(
            SourceSpec("kb2", DatabaseConfig(**{**spec.config.__dict__, "content_column": "nope"}))
        )
    await indexer.create_source(spec)
    await eventually(lambda: sink.text("kb:1") == "first body" and sink.text("kb:2") is not None)
    assert sink.index["kb:1"].title == "One" and sink.index["kb:1"].access_groups == ("kb-readers",)
    db.execute("UPDATE articles SET body='first body, edited', updated_at=2.0 WHERE id=1")
    db.execute("UPDATE articles SET deleted=1, updated_at=2.0 WHERE id=2")
    db.execute("INSERT INTO articles VALUES (3, 'Three', 'third body', 2.0, 0)")
    await eventually(lambda: sink.text("kb:1") == "first body, edited", within=15)
    await eventually(lambda: "kb:2" not in sink.index and sink.text("kb:3") == "third body")
    db.execute("DELETE FROM articles WHERE id=3")  # no tombstone: found by reconciliation
    poller = indexer._detectors["kb"]
    assert await poller.reconcile() == 1  # type: ignore[attr-defined]
    await eventually(lambda: "kb:3" not in sink.index)
    db.close()


async def test_delete_source_is_all_or_nothing_when_the_queue_is_short(
    tmp_path: Path, sink: MemorySink
) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(4):
        (root / f"{i}.md").write_text(f"doc {i}")
    config = settings(tmp_path, deletion_queue_capacity=3)
    indexer = Indexer(config, sink, detector_factory(config))
    await indexer.start()
    try:
        await indexer.create_source(SourceSpec("m", FilesystemConfig(str(root))))
        await eventually(lambda: len(sink.index) == 4)
        await eventually(lambda: False is False)
        with pytest.raises(ResourceExhausted):
            await indexer.delete_source("m", True, False)
        assert (await indexer.get_source("m")).spec.id == "m"  # nothing changed
        assert await indexer.delete_source("m", False, False) == 0
        assert len(sink.index) == 4  # documents stay unless asked
    finally:
        await indexer.stop()


async def test_an_edit_goes_before_a_folder_of_new_files(
    tmp_path: Path, indexer: Indexer, sink: MemorySink
) -> None:
    root = tmp_path / "w"
    root.mkdir()
    (root / "edit.md").write_text("original")
    await indexer.create_source(SourceSpec("w", FilesystemConfig(str(root))))
    await eventually(lambda: sink.text("w:edit.md") == "original")
    # Indexed and recorded as such: from now on a change to it is an edit, not bulk work.
    await eventually(lambda: indexer.freshness().sample_count == 1)
    sink.gate = asyncio.Event()
    for i in range(30):
        (root / f"new-{i:02d}.md").write_text(f"new file {i}")

    async def queued(n: int) -> bool:
        stats = (await indexer.status()).queues[0][0]
        return stats.depth + stats.in_flight >= n

    for _ in range(500):
        if await queued(30):
            break
        await asyncio.sleep(0.02)
    before = await indexer.store.known("w:edit.md")
    assert before is not None
    (root / "edit.md").write_text("edited")
    for _ in range(500):
        known = await indexer.store.known("w:edit.md")
        if known is not None and known.seen_hash != before.seen_hash:
            break
        await asyncio.sleep(0.02)
    sink.gate.set()
    await eventually(lambda: len(sink.index) == 31 and sink.text("w:edit.md") == "edited")
    calls = sink.calls[1:]  # the first is the original version
    edit_call = next(i for i, ids in enumerate(calls) if "w:edit.md" in ids)
    # Before the edit may go only what the workers held at the gate, plus what the other
    # workers took while the edit was being applied: without priority it would come last.
    workers = indexer.settings.update_workers
    assert edit_call <= 2 * workers - 1
    # A live edit is never batched with bulk work it would have to wait for.
    assert calls[edit_call] == ["w:edit.md"]


def test_database_urls_keep_secrets_out_of_responses() -> None:
    from services.indexer.sources import expand_dsn, redact_dsn

    assert redact_dsn("postgresql://indexer:hunter2@db:5432/docs") == (
        "postgresql://indexer:****@db:5432/docs"
    )
    with_reference = "postgresql://indexer:${DOCS_DB_PASSWORD}@db/docs"
    assert redact_dsn(with_reference) == with_reference
    assert redact_dsn("sqlite:////var/docs.db") == "sqlite:////var/docs.db"
    assert expand_dsn(with_reference, {"DOCS_DB_PASSWORD": "s3cret"}) == (
        "postgresql://indexer:s3cret@db/docs"
    )
    with pytest.raises(InvalidArgument):
        expand_dsn(with_reference, {})


async def test_database_sources_reject_unsafe_identifiers(indexer: Indexer) -> None:
    base = DatabaseConfig(
        dsn="sqlite:///x.db",
        table="docs",
        id_column="id",
        updated_at_column="updated_at",
        content_column="body",
    )
    for bad in ({"table": "docs; DROP TABLE x"}, {"id_column": 'id"'}, {"poll_interval_s": 0.1}):
        with pytest.raises(InvalidArgument):
            await indexer.create_source(
                SourceSpec("db", DatabaseConfig(**{**base.__dict__, **bad}))
            )


async def test_a_writer_may_change_only_documents_whose_access_list_they_could_grant(
    tmp_path: Path, sink: MemorySink
) -> None:
    from services.runtime.errors import PermissionDenied
    from services.runtime.identity import Identity, reset_current_identity, set_current_identity

    stored = {"shared": ("eng", "hr"), "team": ("eng",)}

    class StoredDocs:
        def __init__(self) -> None:
            self.asked: list[str] = []

        async def stored_groups(self, document_id: str) -> tuple[str, ...] | None:
            self.asked.append(document_id)
            if document_id == "payroll":
                raise PermissionDenied(message="exists and hidden", reason="DOCUMENT_ACCESS_DENIED")
            return stored.get(document_id)

    def mine(doc: str, key: str, groups: tuple[str, ...]) -> NotifyInput:
        change = notify(doc, b"page", key)
        assert change.payload is not None
        return dataclasses.replace(
            change, payload=dataclasses.replace(change.payload, access_groups=groups)
        )

    access = StoredDocs()
    config = settings(tmp_path)
    indexer = Indexer(config, sink, detector_factory(config), access=access)
    await indexer.start()
    try:
        writer = Identity("u1", "bob", frozenset({"rag-writer"}), frozenset({"eng"}))
        admin = Identity("u2", "carol", frozenset({"rag-admin"}), frozenset())
        token = set_current_identity(writer)
        try:
            with pytest.raises(PermissionDenied):  # hidden from bob
                await indexer.notify(mine("payroll", "k1", ("eng",)))
            with pytest.raises(PermissionDenied):
                await indexer.notify(notify("payroll", None, "k2", ChangeKind.DELETE))
            with pytest.raises(PermissionDenied, match="'finance'"):  # not his group
                await indexer.notify(mine("wiki", "k3", ("finance",)))
            with pytest.raises(PermissionDenied, match="everyone"):  # public needs the setting
                await indexer.notify(notify("wiki", b"page", "k4"))
            with pytest.raises(PermissionDenied, match="'hr'"):  # hr reads it, bob is not in hr
                await indexer.notify(notify("shared", None, "k5", ChangeKind.DELETE))
            await indexer.notify(mine("team", "k6", ("eng",)))
            await indexer.notify(mine("wiki", "k7", ("eng",)))
        finally:
            reset_current_identity(token)
        token = set_current_identity(admin)
        try:
            await indexer.notify(notify("payroll", b"raise", "k8"))
        finally:
            reset_current_identity(token)
        assert access.asked == ["payroll", "payroll", "shared", "team", "wiki"]  # not admins
        await eventually(
            lambda: [sink.text(d) for d in ("payroll", "wiki", "team")] == ["raise", "page", "page"]
        )
        assert sink.text("shared") is None
    finally:
        await indexer.stop()


async def _started(tmp_path: Path, sink: MemorySink, **overrides: object) -> Indexer:
    config = settings(tmp_path, **overrides)
    running = Indexer(config, sink, detector_factory(config))
    await running.start()
    return running


async def _hold_first_at_the_gate(indexer: Indexer, sink: MemorySink) -> None:
    """One change applying and held at the sink, so what follows queues up behind it."""
    sink.gate = asyncio.Event()
    first = await indexer.notify(notify("first", b"first", "k-first"))
    for _ in range(500):
        if await state_of(indexer, first.id) is ChangeState.APPLYING and sink.calls:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the first change was never claimed")


async def test_a_deep_queue_is_applied_in_batches(tmp_path: Path, sink: MemorySink) -> None:
    indexer = await _started(tmp_path, sink, update_workers=1, apply_batch_max=32)
    try:
        await _hold_first_at_the_gate(indexer, sink)
        ids = [f"doc-{i:02d}" for i in range(40)]
        for doc in ids:
            await indexer.notify(notify(doc, f"text of {doc}".encode(), f"k-{doc}"))
        assert sink.gate is not None
        sink.gate.set()
        await eventually(lambda: len(sink.index) == 41)
        await eventually(lambda: indexer.freshness().sample_count == 41)
        # The lone first change alone; then what waited, oldest first, 32 per call at most.
        assert sink.calls == [["first"], ids[:32], ids[32:]]
        status = await indexer.status()
        assert status.queues[0][1].processed == 41
    finally:
        await indexer.stop()


async def test_a_batch_is_cut_by_content_bytes(tmp_path: Path, sink: MemorySink) -> None:
    indexer = await _started(tmp_path, sink, update_workers=1, apply_batch_max_bytes=2500)
    try:
        await _hold_first_at_the_gate(indexer, sink)
        for doc in ("a", "b", "c", "big", "d"):
            size = 3000 if doc == "big" else 1000
            await indexer.notify(notify(doc, doc.encode() * size, f"k-{doc}"))
        assert sink.gate is not None
        sink.gate.set()
        await eventually(lambda: len(sink.index) == 6)
        # Claimed together, sent as calls within the byte budget; the oversize one alone.
        assert sink.calls == [["first"], ["a", "b"], ["c"], ["big"], ["d"]]
    finally:
        await indexer.stop()


async def test_a_lone_change_goes_at_once_while_a_batch_is_applying(
    tmp_path: Path, sink: MemorySink
) -> None:
    indexer = await _started(tmp_path, sink, update_workers=2, apply_batch_max=4)
    try:
        sink.gate = asyncio.Event()
        held = sink.gate
        bulk = [f"sync-{i}" for i in range(10)]

        async def sync(doc: str) -> None:  # bulk work, as a rescan queues it
            await indexer.submit_detected(
                ChangeRequest(
                    ChangeKind.UPSERT,
                    doc,
                    Origin.INITIAL_SYNC,
                    payload=DocumentPayload(content=doc.encode()),
                    bulk=True,
                )
            )

        await sync(bulk[0])
        await eventually(lambda: sink.calls == [bulk[:1]])  # one worker holds it at the sink
        for doc in bulk[1:]:
            await sync(doc)
        # The other worker is kept for live changes: it leaves the sync alone, and an edit
        # is claimed and applied alone, at once, without waiting for company, for the held
        # call or behind the sync.
        sink.gate = None
        lone = await indexer.notify(notify("lone", b"just me", "k-lone"))
        await eventually(lambda: sink.text("lone") == "just me")
        await eventually(lambda: indexer.freshness().sample_count == 1)
        assert sink.calls == [bulk[:1], ["lone"]]
        assert await state_of(indexer, lone.id) is ChangeState.APPLIED
        held.set()
        await eventually(lambda: set(bulk) <= set(sink.index))
        assert sink.calls[2:] == [bulk[1:5], bulk[5:9], bulk[9:]]
    finally:
        await indexer.stop()


async def test_a_failing_document_fails_alone_while_its_batch_mates_land(
    tmp_path: Path, sink: MemorySink
) -> None:
    indexer = await _started(tmp_path, sink, update_workers=1)
    try:
        sink.fail["rejected"] = [ApplyFailure("INVALID_ARGUMENT: unsupported", permanent=True)]
        sink.fail["flaky"] = [ApplyFailure("UNAVAILABLE: busy")]
        await _hold_first_at_the_gate(indexer, sink)
        changes = {}
        for doc in ("ok-1", "rejected", "flaky", "ok-2"):
            changes[doc] = await indexer.notify(notify(doc, doc.encode(), f"k-{doc}"))
        assert sink.gate is not None
        sink.gate.set()
        await eventually(lambda: sink.text("flaky") == "flaky")
        await eventually(lambda: indexer.freshness().sample_count == 4)
        assert sink.calls[:2] == [["first"], ["ok-1", "rejected", "flaky", "ok-2"]]
        assert sink.calls[2:] == [["flaky"]]  # retried alone, after its backoff
        for doc in ("ok-1", "ok-2"):
            landed = await indexer.get_change(changes[doc].id)
            assert landed.state is ChangeState.APPLIED and landed.attempt_count == 1
        retried = await indexer.get_change(changes["flaky"].id)
        assert retried.state is ChangeState.APPLIED and retried.attempt_count == 2
        letters = (await indexer.list_dead_letters(0, "", "", None)).items
        assert [d.change.document_id for d in letters] == ["rejected"]
        assert letters[0].errors == ("INVALID_ARGUMENT: unsupported",)
        assert "rejected" not in sink.index
    finally:
        await indexer.stop()


async def test_a_batch_call_failing_whole_falls_back_to_one_by_one(
    tmp_path: Path, sink: MemorySink
) -> None:
    indexer = await _started(tmp_path, sink, update_workers=1)
    try:
        # The whole call is refused (as for a request the gateway rejects in one piece):
        # every document is tried alone, so the bad one cannot take the others down.
        sink.batch_fail = [ApplyFailure("RESOURCE_EXHAUSTED: request too large")]
        sink.fail["poison"] = [ApplyFailure("INVALID_ARGUMENT: bad", permanent=True)]
        await _hold_first_at_the_gate(indexer, sink)
        changes = {}
        for doc in ("a", "poison", "b"):
            changes[doc] = await indexer.notify(notify(doc, doc.encode(), f"k-{doc}"))
        assert sink.gate is not None
        sink.gate.set()
        await eventually(lambda: sink.text("a") == "a" and sink.text("b") == "b")
        assert sink.calls == [["first"], ["a", "poison", "b"], ["a"], ["poison"], ["b"]]
        for doc in ("a", "b"):
            assert (await indexer.get_change(changes[doc].id)).attempt_count == 1
        for _ in range(200):
            if await state_of(indexer, changes["poison"].id) is ChangeState.DEAD_LETTERED:
                break
            await asyncio.sleep(0.02)
        assert await state_of(indexer, changes["poison"].id) is ChangeState.DEAD_LETTERED
    finally:
        await indexer.stop()


async def test_a_batch_mixes_unchanged_removed_and_new_documents(
    tmp_path: Path, sink: MemorySink
) -> None:
    indexer = await _started(tmp_path, sink, update_workers=1)
    try:
        await indexer.notify(notify("same", b"kept", "k-same-1"))
        await indexer.notify(notify("gone", b"soon empty", "k-gone-1"))
        await eventually(lambda: len(sink.index) == 2)
        await eventually(lambda: indexer.freshness().sample_count == 2)
        await _hold_first_at_the_gate(indexer, sink)
        await indexer.notify(notify("same", b"kept", "k-same-2"))  # identical: not re-sent
        await indexer.notify(notify("gone", b"", "k-gone-2"))  # empty content: removed
        await indexer.notify(notify("new-1", b"one", "k-new-1"))
        await indexer.notify(notify("new-2", b"two", "k-new-2"))
        assert sink.gate is not None
        sink.gate.set()
        await eventually(lambda: indexer.freshness().sample_count == 7)
        assert sink.calls[-1] == ["new-1", "new-2"]
        assert sink.deletes == ["gone"] and "gone" not in sink.index
        assert sink.upserts.count("same") == 1
    finally:
        await indexer.stop()

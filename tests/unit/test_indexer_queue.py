"""The indexer's durable queues (QueueStore) on a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.indexer.changes import (
    ChangeKind,
    ChangeRequest,
    ChangeState,
    DocumentPayload,
    Origin,
    QueueKind,
)
from services.indexer.queue_store import Capacity, QueueStore
from services.runtime.errors import AlreadyExists, FailedPrecondition, NotFound, ResourceExhausted


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[QueueStore]:
    queues = QueueStore(tmp_path / "q.sqlite3", Capacity(update=3, deletion=2), clock=clock)
    await queues.open()
    yield queues
    await queues.close()


def upsert(
    doc: str, key: str = "", content: bytes = b"hello", origin: Origin = Origin.WEBHOOK
) -> ChangeRequest:
    return ChangeRequest(
        ChangeKind.UPSERT,
        doc,
        origin,
        idempotency_key=key,
        request_hash=f"{doc}:{content!r}",
        payload=DocumentPayload(content=content, title=doc),
    )


def delete(doc: str) -> ChangeRequest:
    return ChangeRequest(ChangeKind.DELETE, doc, Origin.WEBHOOK)


async def test_a_change_is_durable_and_a_crash_mid_apply_requeues_it(
    tmp_path: Path, clock: Clock
) -> None:
    first = QueueStore(tmp_path / "q.sqlite3", Capacity(10, 10), clock=clock)
    await first.open()
    change, new = await first.enqueue(upsert("a", content=b"v1"))
    assert new and change.state is ChangeState.QUEUED
    claimed = await first.claim(QueueKind.UPDATE)
    assert claimed is not None and claimed.id == change.id
    assert claimed.state is ChangeState.APPLYING and claimed.attempt_count == 1
    await first.close()  # "crash" while applying: never marked applied

    second = QueueStore(tmp_path / "q.sqlite3", Capacity(10, 10), clock=clock)
    assert await second.open() == 1
    again = await second.claim(QueueKind.UPDATE)
    assert again is not None and again.id == change.id and again.attempt_count == 2
    payload = await second.payload(again.id)
    assert payload is not None and payload.content == b"v1" and payload.title == "a"
    await second.mark_applied(again, "hash", "fp")
    assert (await second.get_change(change.id)).state is ChangeState.APPLIED
    assert await second.claim(QueueKind.UPDATE) is None
    await second.close()


async def test_a_later_change_supersedes_the_waiting_one(store: QueueStore) -> None:
    old, _ = await store.enqueue(upsert("doc", content=b"v1"))
    new, _ = await store.enqueue(upsert("doc", content=b"v2"))
    gone, _ = await store.enqueue(delete("doc"))
    assert (await store.get_change(old.id)).superseded_by == new.id
    superseded = await store.get_change(new.id)
    assert superseded.state is ChangeState.SUPERSEDED and superseded.superseded_by == gone.id
    assert await store.claim(QueueKind.UPDATE) is None
    claimed = await store.claim(QueueKind.DELETION)
    assert claimed is not None and claimed.id == gone.id


async def test_one_document_is_applied_by_one_worker_at_a_time(store: QueueStore) -> None:
    await store.enqueue(upsert("doc", content=b"v1"))
    applying = await store.claim(QueueKind.UPDATE)
    assert applying is not None
    # Arrives while v1 is applying: must wait, even in the other queue.
    await store.enqueue(delete("doc"))
    await store.enqueue(upsert("other"))
    other = await store.claim(QueueKind.UPDATE)
    assert other is not None and other.document_id == "other"
    assert await store.claim(QueueKind.DELETION) is None
    await store.mark_applied(applying, "h1", "f1")
    deletion = await store.claim(QueueKind.DELETION)
    assert deletion is not None and deletion.document_id == "doc"


async def test_live_changes_go_before_bulk_sync(store: QueueStore) -> None:
    await store.enqueue(upsert("bulk-1", origin=Origin.INITIAL_SYNC))
    await store.enqueue(upsert("bulk-2", origin=Origin.INITIAL_SYNC))
    await store.enqueue(upsert("edit", origin=Origin.FILESYSTEM))
    order = []
    while (change := await store.claim(QueueKind.UPDATE)) is not None:
        order.append(change.document_id)
    assert order == ["edit", "bulk-1", "bulk-2"]


async def test_a_full_queue_pushes_back_but_superseding_still_fits(store: QueueStore) -> None:
    for doc in ("a", "b", "c"):
        await store.enqueue(upsert(doc))
    with pytest.raises(ResourceExhausted) as full:
        await store.enqueue(upsert("d"))
    assert full.value.reason == "QUEUE_FULL" and full.value.metadata == {"queue": "update"}
    assert full.value.retry_after_s and full.value.retry_after_s > 0
    # Replacing a waiting change does not grow the queue; deletions have their own room.
    await store.enqueue(upsert("a", content=b"newer"))
    await store.enqueue(delete("x"))
    stats = {s.queue: s for s in await store.queue_stats()}
    assert stats[QueueKind.UPDATE].depth == 3 and stats[QueueKind.UPDATE].capacity == 3
    assert stats[QueueKind.DELETION].depth == 1


async def test_idempotency_key_returns_the_original_or_rejects_reuse(
    store: QueueStore, clock: Clock
) -> None:
    first, new = await store.enqueue(upsert("a", key="delivery-1"))
    again, repeated = await store.enqueue(upsert("a", key="delivery-1"))
    assert new and not repeated and again.id == first.id
    with pytest.raises(AlreadyExists):
        await store.enqueue(upsert("a", key="delivery-1", content=b"different"))
    clock.now += 25 * 3600  # past the 24-hour window: the key is free again
    later, new_again = await store.enqueue(upsert("a", key="delivery-1", content=b"different"))
    assert new_again and later.id != first.id


async def test_dead_letters_are_listed_retried_and_purged(store: QueueStore, clock: Clock) -> None:
    change, _ = await store.enqueue(upsert("poison"))
    claimed = await store.claim(QueueKind.UPDATE)
    assert claimed is not None
    await store.mark_failed(claimed, "UNAVAILABLE: try later", clock.now + 5)
    assert await store.claim(QueueKind.UPDATE) is None  # backing off
    assert await store.next_retry_time(QueueKind.UPDATE) == clock.now + 5
    clock.now += 5
    claimed = await store.claim(QueueKind.UPDATE)
    assert claimed is not None and claimed.attempt_count == 2
    await store.mark_failed(claimed, "INVALID_ARGUMENT: not UTF-8", None)
    letters = await store.dead_letters(0, 10, "", None)
    assert [d.change.id for d in letters] == [change.id]
    assert letters[0].errors == ("UNAVAILABLE: try later", "INVALID_ARGUMENT: not UTF-8")
    assert letters[0].change.state is ChangeState.DEAD_LETTERED
    assert await store.dead_letters(0, 10, "", ChangeKind.DELETE) == []

    retried = await store.retry_dead_letter(change.id)
    assert retried.state is ChangeState.QUEUED and retried.attempt_count == 0
    claimed = await store.claim(QueueKind.UPDATE)
    assert claimed is not None
    await store.mark_failed(claimed, "still broken", None)
    purged = await store.purge_dead_letter(change.id)
    assert purged.change.id == change.id
    assert await store.dead_letter_count() == 0
    with pytest.raises(NotFound):
        await store.purge_dead_letter(change.id)
    assert (await store.get_change(change.id)).id == change.id  # still visible to GetChange


async def test_retrying_a_superseded_dead_letter_is_refused(store: QueueStore) -> None:
    change, _ = await store.enqueue(upsert("doc", content=b"v1"))
    claimed = await store.claim(QueueKind.UPDATE)
    assert claimed is not None
    await store.mark_failed(claimed, "bad", None)
    await store.enqueue(upsert("doc", content=b"v2"))
    with pytest.raises(FailedPrecondition) as refused:
        await store.retry_dead_letter(change.id)
    assert refused.value.reason == "SUPERSEDED"


async def test_documents_remember_seen_hash_and_what_is_indexed(store: QueueStore) -> None:
    request = ChangeRequest(ChangeKind.UPSERT, "src:a.md", Origin.FILESYSTEM, "src", seen_hash="h1")
    await store.set_locator("src:a.md", "src", "a.md")
    await store.enqueue(request)
    known = await store.known("src:a.md")
    assert known is not None and known.seen_hash == "h1" and known.locator == "a.md"
    assert not known.present
    claimed = await store.claim(QueueKind.UPDATE)
    assert claimed is not None
    await store.mark_applied(claimed, "h1", "fp1")
    assert await store.applied_fingerprint("src:a.md") == "fp1"
    assert [d.document_id for d in await store.source_documents("src")] == ["src:a.md"]
    await store.enqueue(ChangeRequest(ChangeKind.DELETE, "src:a.md", Origin.FILESYSTEM, "src"))
    claimed = await store.claim(QueueKind.DELETION)
    assert claimed is not None
    await store.mark_applied(claimed, "", "")
    assert await store.applied_fingerprint("src:a.md") == ""
    assert await store.source_documents("src") == []


async def test_a_batch_claim_takes_what_waits_one_per_document_same_priority(
    tmp_path: Path, clock: Clock
) -> None:
    store = QueueStore(tmp_path / "b.sqlite3", Capacity(100, 100), clock=clock)
    await store.open()
    try:
        assert await store.claim_batch(QueueKind.UPDATE, 32) == []
        await store.enqueue(upsert("busy", content=b"v1"))
        busy = await store.claim(QueueKind.UPDATE)
        assert busy is not None
        await store.enqueue(upsert("busy", content=b"v2"))  # waits: "busy" is applying
        for i in range(5):
            await store.enqueue(upsert(f"bulk-{i}", origin=Origin.INITIAL_SYNC))
        await store.enqueue(upsert("edit-1"))
        await store.enqueue(upsert("edit-2"))
        live = await store.claim_batch(QueueKind.UPDATE, 32)
        # Live changes first and alone: bulk work never rides along with an edit.
        assert [c.document_id for c in live] == ["edit-1", "edit-2"]
        assert all(c.state is ChangeState.APPLYING and c.attempt_count == 1 for c in live)
        bulk = await store.claim_batch(QueueKind.UPDATE, 3)
        assert [c.document_id for c in bulk] == ["bulk-0", "bulk-1", "bulk-2"]
        applied_at = await store.mark_applied_many([(c, "h", f"fp-{c.document_id}") for c in bulk])
        assert applied_at == clock.now
        for change in bulk:
            assert (await store.get_change(change.id)).state is ChangeState.APPLIED
        assert await store.applied_fingerprint("bulk-1") == "fp-bulk-1"
        rest = await store.claim_batch(QueueKind.UPDATE, 32)
        assert [c.document_id for c in rest] == ["bulk-3", "bulk-4"]  # never "busy" meanwhile
        await store.mark_applied(busy, "h", "fp")
        after = await store.claim_batch(QueueKind.UPDATE, 32)
        assert [c.document_id for c in after] == ["busy"]
    finally:
        await store.close()

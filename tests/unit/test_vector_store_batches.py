"""BatchUpsertDocuments and BatchGetDocuments in the store's domain: one write for many
documents, each with its own outcome; one read that leaves out what the caller may not see."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from services.runtime.errors import (
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    PermissionDenied,
)
from services.vector_store.core import (
    UNRESTRICTED,
    Caller,
    ChunkStore,
    DocumentInput,
    StoredDocument,
    UpsertRequest,
    ValidatedUpsert,
    VectorStore,
    open_client,
)
from tests.unit.test_vector_store_core import HASH, chunks, settings_for, unit


def request(doc: str, text: str, groups: tuple[str, ...] = ()) -> UpsertRequest:
    return UpsertRequest(
        DocumentInput(doc, HASH, access_groups=groups), chunks(doc, (text, unit(1, 0, 0, 0))), ""
    )


@pytest.fixture
def chunk_store(tmp_path: Path) -> ChunkStore:
    settings = settings_for(tmp_path)
    s = ChunkStore(open_client(settings), settings)
    s.upsert(
        DocumentInput("secret", HASH, access_groups=("hr",)),
        chunks("secret", ("hr pay", unit(1, 0, 0, 0))),
    )
    return s


async def test_a_batch_is_one_write_and_each_document_keeps_its_outcome(
    chunk_store: ChunkStore,
) -> None:
    store = VectorStore(chunk_store, None, workers=2)
    writes: list[list[str]] = []
    real_write = chunk_store.write

    def write(
        items: Sequence[ValidatedUpsert], callers: Sequence[Caller], all_or_nothing: bool = False
    ) -> list[StoredDocument | DomainError]:
        writes.append([i.document.id for i in items])
        return real_write(items, callers, all_or_nothing)

    chunk_store.write = write  # type: ignore[method-assign]
    engineer = Caller(frozenset({"eng"}))
    bad = UpsertRequest(DocumentInput("bad", HASH), chunks("bad", ("wrong width", [1.0, 0.0])), "")
    try:
        outcomes = await store.upsert_batch(
            [
                request("a", "first", groups=("eng",)),
                bad,
                request("secret", "overwrite hr's document"),
                request("b", "second", groups=("eng",)),
            ],
            engineer,
        )
    finally:
        await store.close()
    assert isinstance(outcomes[0], StoredDocument) and outcomes[0].id == "a"
    assert isinstance(outcomes[1], FailedPrecondition)
    assert outcomes[1].message.startswith("requests[1]: ")
    assert isinstance(outcomes[2], PermissionDenied)
    assert isinstance(outcomes[3], StoredDocument) and outcomes[3].id == "b"
    # The valid ones were written together, the invalid one never reached the store,
    # and the refused one left hr's document as it was.
    assert writes == [["a", "secret", "b"]]
    assert [c.text for c in chunk_store.list_chunks("secret").chunks] == ["hr pay"]
    assert chunk_store.count_chunks().document_count == 3


async def test_a_batch_naming_a_document_twice_writes_nothing(chunk_store: ChunkStore) -> None:
    store = VectorStore(chunk_store, None, workers=2)
    try:
        with pytest.raises(InvalidArgument, match="twice"):
            await store.upsert_batch([request("a", "one"), request("a", "two")], UNRESTRICTED)
    finally:
        await store.close()
    assert chunk_store.count_chunks().document_count == 1


def test_batch_get_leaves_out_what_the_caller_may_not_read(chunk_store: ChunkStore) -> None:
    chunk_store.upsert(DocumentInput("open", HASH), chunks("open", ("hello", unit(0, 1, 0, 0))))
    everyone = chunk_store.get_documents(["missing", "open", "secret"])
    assert [d.id for d in everyone] == ["open", "secret"]
    engineer = Caller(frozenset({"eng"}))
    assert [d.id for d in chunk_store.get_documents(["secret", "open"], engineer)] == ["open"]
    with pytest.raises(InvalidArgument):
        chunk_store.get_documents([])
    with pytest.raises(InvalidArgument):
        chunk_store.get_documents(["open", "open"])

"""The vector store's domain object, and the package's public names in one place.

No gRPC here. ``VectorStore`` is what the servicer calls: it validates requests, embeds
text queries through an injected ``QueryEmbedder`` and runs the blocking ``ChunkStore`` on
worker threads. The rest lives along its seams:

- ``domain.py``: the domain types (documents, chunks, queries, results, callers);
- ``validation.py``: upserts and searches checked against the contract;
- ``page_tokens.py``: ListDocuments and ListChunks page tokens;
- ``records.py``: how records, access lists and filters map onto Chroma;
- ``chunk_store.py``: ``ChunkStore``, the blocking store (writes, keyword index
  convergence, sweeping), with the layout in Chroma and the atomic replace explained;
- ``reads.py``: its document reads (records, listings, counts);
- ``search.py``: its read side for searches (candidates, version checks, fusion);
- ``bm25.py``: the keyword index.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from services.runtime.errors import DomainError, FailedPrecondition, Unavailable
from services.vector_store.chunk_store import ChunkStore, open_client
from services.vector_store.domain import (
    UNRESTRICTED,
    Caller,
    ChunkCount,
    ChunkData,
    ChunkPage,
    DocumentInput,
    DocumentPage,
    EmbeddedChunk,
    FilterOperator,
    MetadataCondition,
    QueryEmbedder,
    RetrievalMode,
    ScoredChunk,
    SearchQuery,
    SearchResult,
    StoredDocument,
    UpsertRequest,
    ValidatedUpsert,
)
from services.vector_store.search import ChunkSearch
from services.vector_store.validation import (
    SearchPlan,
    _check_model,
    _vector,
    plan_search,
    prepare_batch,
    prepare_each,
    prepare_upsert,
)

__all__ = [
    "UNRESTRICTED",
    "Caller",
    "ChunkCount",
    "ChunkData",
    "ChunkPage",
    "ChunkSearch",
    "ChunkStore",
    "DocumentInput",
    "DocumentPage",
    "EmbeddedChunk",
    "FilterOperator",
    "MetadataCondition",
    "QueryEmbedder",
    "RetrievalMode",
    "ScoredChunk",
    "SearchPlan",
    "SearchQuery",
    "SearchResult",
    "StoredDocument",
    "UpsertRequest",
    "ValidatedUpsert",
    "VectorStore",
    "open_client",
    "plan_search",
    "prepare_batch",
]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class _QueuedUpsert:
    item: ValidatedUpsert
    caller: Caller
    done: asyncio.Future[StoredDocument]


class VectorStore:
    """What the servicer calls: validation, query embedding, and the store off the loop.

    Upserts are group-committed: while one write runs, the upserts that arrive queue up,
    and the next write takes them together (distinct documents, in arrival order, within
    ``coalesce_max_*``). Each keeps its own outcome: validation happens before queueing,
    and a document the caller may not read fails alone.
    """

    def __init__(
        self, store: ChunkStore, embedder: QueryEmbedder | None, workers: int | None = None
    ) -> None:
        self.store = store
        self.settings = store.settings
        self._embedder = embedder
        self._executor = ThreadPoolExecutor(
            max_workers=workers or store.settings.worker_threads,
            thread_name_prefix="vector-store",
        )
        self._queued: list[_QueuedUpsert] = []
        self._writer: asyncio.Task[None] | None = None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def upsert(
        self,
        document: DocumentInput,
        chunks: Sequence[EmbeddedChunk],
        embedding_model_id: str,
        caller: Caller,
    ) -> StoredDocument:
        request = UpsertRequest(document, chunks, embedding_model_id)
        item = await self._run(prepare_upsert, request, self.settings)
        return await self._queue(item, caller)

    async def upsert_batch(
        self, requests: Sequence[UpsertRequest], caller: Caller
    ) -> list[StoredDocument | DomainError]:
        """Each request stored or refused on its own (its error in its place), written
        together: they queue as one, so the next write takes them all."""
        prepared = await self._run(prepare_each, requests, self.settings)

        async def one(item: ValidatedUpsert | DomainError) -> StoredDocument | DomainError:
            if isinstance(item, DomainError):
                return item
            try:
                return await self._queue(item, caller)
            except DomainError as error:
                return error

        return list(await asyncio.gather(*(one(item) for item in prepared)))

    def _queue(self, item: ValidatedUpsert, caller: Caller) -> asyncio.Future[StoredDocument]:
        done: asyncio.Future[StoredDocument] = asyncio.get_running_loop().create_future()
        self._queued.append(_QueuedUpsert(item, caller, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_queued())
        # A caller that gives up before its write starts is dropped from the queue; once
        # the write has started it completes (as a write handed to a worker thread did).
        return done

    async def upsert_many(
        self, requests: Sequence[UpsertRequest], caller: Caller
    ) -> list[StoredDocument]:
        return await self._run(self.store.upsert_many, requests, caller)

    def _next_batch(self) -> list[_QueuedUpsert]:
        """Oldest queued upserts of distinct documents, within the coalescing limits; a
        second upsert of a document waits for the next write, so arrival order wins."""
        batch: list[_QueuedUpsert] = []
        left: list[_QueuedUpsert] = []
        ids: set[str] = set()
        chunks = 0
        for queued in self._queued:
            if queued.done.done():  # the caller gave up
                continue
            size = len(queued.item.chunks)
            fits = not batch or (
                len(batch) < self.settings.coalesce_max_documents
                and chunks + size <= self.settings.coalesce_max_chunks
            )
            if fits and queued.item.document.id not in ids:
                batch.append(queued)
                ids.add(queued.item.document.id)
                chunks += size
            else:
                left.append(queued)
        self._queued = left
        return batch

    async def _write_queued(self) -> None:
        batch: list[_QueuedUpsert] = []
        try:
            while self._queued:
                batch = self._next_batch()
                if not batch:
                    continue
                try:
                    outcomes: list[StoredDocument | DomainError] = await self._run(
                        self.store.write, [q.item for q in batch], [q.caller for q in batch]
                    )
                except Exception as exc:
                    for queued in batch:
                        if not queued.done.done():
                            error = replace(exc) if isinstance(exc, DomainError) else exc
                            queued.done.set_exception(error)
                    continue
                for queued, outcome in zip(batch, outcomes, strict=True):
                    if queued.done.done():
                        continue
                    if isinstance(outcome, DomainError):
                        queued.done.set_exception(outcome)
                    else:
                        queued.done.set_result(outcome)
        finally:  # stopped (shutdown): nobody waits forever
            for queued in [*batch, *self._queued]:
                if not queued.done.done():
                    queued.done.set_exception(_shutting_down())
            self._queued = []

    async def delete(self, document_id: str, allow_missing: bool, caller: Caller) -> int:
        return await self._run(self.store.delete, document_id, allow_missing, caller)

    async def get_document(self, document_id: str, caller: Caller) -> StoredDocument:
        return await self._run(self.store.get_document, document_id, caller)

    async def get_documents(
        self, document_ids: Sequence[str], caller: Caller
    ) -> list[StoredDocument]:
        return await self._run(self.store.get_documents, document_ids, caller)

    async def list_documents(
        self,
        page_size: int,
        page_token: str,
        filters: Sequence[MetadataCondition],
        caller: Caller,
    ) -> DocumentPage:
        return await self._run(self.store.list_documents, page_size, page_token, filters, caller)

    async def list_chunks(
        self, document_id: str, page_size: int, page_token: str, caller: Caller
    ) -> ChunkPage:
        return await self._run(self.store.list_chunks, document_id, page_size, page_token, caller)

    async def count_chunks(
        self, filters: Sequence[MetadataCondition], document_ids: Sequence[str], caller: Caller
    ) -> ChunkCount:
        return await self._run(self.store.count_chunks, filters, document_ids, caller)

    async def search(self, query: SearchQuery, caller: Caller) -> SearchResult:
        plan = plan_search(query, self.settings)
        if plan.mode.needs_dense and plan.embedding is None:
            plan = replace(plan, embedding=await self._embed(plan.text))
        return await self._run(self.store.run_search, plan, caller)

    async def _embed(self, text: str) -> npt.NDArray[np.float32]:
        if self._embedder is None:
            raise Unavailable(
                message="this store cannot embed queries: send query_embedding",
                reason="NO_QUERY_EMBEDDER",
            )
        vector, model_id = await self._embedder.embed_query(text)
        _check_model(model_id, self.settings.embedding_model_id, "EmbeddingService model")
        if len(vector) != self.settings.dimensions:
            raise FailedPrecondition(
                message=f"EmbeddingService returned {len(vector)} dimensions; this store "
                f"holds {self.settings.dimensions}",
                reason="EMBEDDING_DIMENSION_MISMATCH",
            )
        return _vector(vector, "query")

    async def sync_forever(self, stop: asyncio.Event) -> None:
        """Poll other replicas' changes into the keyword index; sweep now and then."""
        last_sweep = time.monotonic()
        while not stop.is_set():
            try:
                await self._run(self.store.sync_keyword_index)
                if time.monotonic() - last_sweep >= self.settings.sweep_interval_s:
                    last_sweep = time.monotonic()
                    await self._run(self.store.sweep)
            except Exception:
                log.exception("keyword index sync failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.keyword_sync_interval_s)

    async def close(self) -> None:
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        self._executor.shutdown(wait=False, cancel_futures=True)


def _shutting_down() -> Unavailable:
    return Unavailable(
        message="the vector store is shutting down; retry on another replica",
        reason="SHUTTING_DOWN",
        retry_after_s=1.0,
    )

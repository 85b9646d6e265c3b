"""What RagService does with GraphService: index at ingest, forget at delete, expand at Ask.

The graph is derived data. Its failures never fail an ingest, a delete or an Ask: they are
logged and counted (``rag_gateway_graph_failures_total``) and the call goes on without
it. A failed write (index or delete) is retried in the background with backoff, as the
gateway, latest write per document winning, so a graph that was down catches up; the
retries live in this process only (a gateway restart forgets them). That is safe for access and freshness because Ask fetches the graph's chunks from
VectorStoreService with the caller's token: a chunk the caller may not read, or of a
deleted or replaced document, is never returned even if the graph still names it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import grpc
from prometheus_client import Counter, Gauge

from rag.v1 import (
    common_pb2,
    graph_pb2,
    graph_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from services.common.fusion import fuse
from services.runtime.call_context import CallContext, new_request_id, set_current_call
from services.runtime.errors import DomainError

log = logging.getLogger(__name__)

FAILURES = Counter(
    "rag_gateway_graph_failures_total",
    "GraphService calls that failed and were skipped, by operation.",
    ["operation"],
)
EXPANSIONS = Counter(
    "rag_gateway_graph_expansions_total",
    "Asks that consulted the graph, by outcome (added, nothing_added, too_few_entities).",
    ["outcome"],
)
PENDING = Gauge(
    "rag_gateway_graph_pending_writes",
    "Graph writes (index, delete) that failed and wait for a retry.",
)
MAX_INDEX_BATCH = 1000  # IndexChunks' limit (graph.proto)
# Codes worth retrying: the graph was down, slow or busy. Anything else will fail again.
_RETRYABLE = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
}


@dataclass(frozen=True)
class ExpansionSettings:
    """How Ask uses the graph (RAGMESH_GATEWAY_GRAPH_* in GatewaySettings)."""

    # Without use_graph, expand anyway when the question names at least this many
    # entities known to the graph; 0 = only on request.
    auto_min_entities: int = 2
    max_hops: int = 2
    max_chunks: int = 10
    # Weight of the graph's ranking against the retrieved one in the fusion.
    weight: float = 1.0
    fusion_k: float = 60.0
    timeout_s: float = 3.0
    # Background retries of failed writes: first delay, doubling up to the cap, given up
    # after this many attempts; at most this many documents waiting.
    retry_initial_s: float = 1.0
    retry_max_s: float = 60.0
    retry_attempts: int = 12
    max_pending_writes: int = 10_000


@dataclass
class Expansion:
    chunks: list[common_pb2.ScoredChunk]
    added: int  # chunks in the result that retrieval alone did not return
    seeds: int


def _graph_chunks(
    document: common_pb2.Document, chunks: Sequence[common_pb2.Chunk]
) -> list[common_pb2.Chunk]:
    """The chunks as the graph indexes them: the document's id and access list on each
    (the first MAX_INDEX_BATCH only: one request must hold a replaced document whole)."""
    if len(chunks) > MAX_INDEX_BATCH:
        log.warning(
            "graph: %s has %d chunks; facts of the first %d only",
            document.id,
            len(chunks),
            MAX_INDEX_BATCH,
        )
    batch = []
    for chunk in chunks[:MAX_INDEX_BATCH]:
        copy = common_pb2.Chunk()
        copy.CopyFrom(chunk)
        copy.document_id = document.id
        # The document's list is the truth for every chunk (common.proto, Chunk).
        del copy.access_groups[:]
        copy.access_groups.extend(document.access_groups)
        batch.append(copy)
    return batch


class GraphExpansion:
    def __init__(
        self,
        graph: graph_pb2_grpc.GraphServiceStub,
        store: vector_store_pb2_grpc.VectorStoreServiceStub,
        settings: ExpansionSettings,
    ) -> None:
        self._graph = graph
        self._store = store
        self._s = settings
        # Per document: the latest write still to retry; a newer write replaces it.
        self._pending: dict[str, Callable[[], Awaitable[object]]] = {}
        self._retries: dict[str, asyncio.Task[None]] = {}
        # While a document has a retry running, its writes take turns (a late retry of an
        # index must not land after a newer delete).
        self._turns: dict[str, asyncio.Lock] = {}

    async def index(
        self, document: common_pb2.Document, chunks: Sequence[common_pb2.Chunk]
    ) -> None:
        """Replace the document's facts with those of ``chunks`` (one atomic call when the
        document fits the request limit, as replace_documents requires)."""
        if not chunks:
            await self.delete(document.id)
            return
        request = graph_pb2.IndexChunksRequest(
            chunks=_graph_chunks(document, chunks), replace_documents=True
        )
        await self._write("index", document.id, self._index_call(request))

    async def index_many(
        self, documents: Sequence[tuple[common_pb2.Document, Sequence[common_pb2.Chunk]]]
    ) -> None:
        """``index`` for each document, in as few calls as the request limit allows (each
        document still switches atomically; a call's cost is mostly per call). When a
        call fails, each of its documents is retried on its own, as ``index`` would."""
        alone: list[tuple[common_pb2.Document, Sequence[common_pb2.Chunk]]] = []
        grouped: list[tuple[common_pb2.Document, Sequence[common_pb2.Chunk]]] = []
        for document, chunks in documents:
            # No chunks (a delete), a document filling a request by itself, or one whose
            # retry is running (its writes take turns): the single-document path.
            single = not chunks or len(chunks) >= MAX_INDEX_BATCH or document.id in self._turns
            (alone if single else grouped).append((document, chunks))
        groups: list[list[tuple[common_pb2.Document, list[common_pb2.Chunk]]]] = []
        size = MAX_INDEX_BATCH
        for document, chunks in grouped:
            if size + len(chunks) > MAX_INDEX_BATCH:
                groups.append([])
                size = 0
            groups[-1].append((document, _graph_chunks(document, chunks)))
            size += len(chunks)
        await asyncio.gather(
            *(self.index(d, c) for d, c in alone), *(self._index_group(g) for g in groups)
        )

    async def _index_group(
        self, group: list[tuple[common_pb2.Document, list[common_pb2.Chunk]]]
    ) -> None:
        for document, _ in group:
            self._pending.pop(document.id, None)  # this write supersedes an older one
        request = graph_pb2.IndexChunksRequest(
            chunks=[chunk for _, chunks in group for chunk in chunks], replace_documents=True
        )
        try:
            await self._index_call(request)()
        except grpc.aio.AioRpcError as exc:
            self._failed("index", exc)
            if exc.code() in _RETRYABLE:
                for document, chunks in group:
                    own = graph_pb2.IndexChunksRequest(chunks=chunks, replace_documents=True)
                    self._retry_later(document.id, self._index_call(own))
        PENDING.set(len(self._pending))

    def _index_call(self, request: graph_pb2.IndexChunksRequest) -> Callable[[], Awaitable[object]]:
        timeout = max(self._s.timeout_s, 30.0)
        return lambda: self._graph.IndexChunks(request, timeout=timeout)

    async def delete(self, document_id: str) -> None:
        request = graph_pb2.DeleteDocumentGraphRequest(document_id=document_id)
        await self._write(
            "delete",
            document_id,
            lambda: self._graph.DeleteDocumentGraph(request, timeout=self._s.timeout_s),
        )

    async def _write(
        self, operation: str, document_id: str, call: Callable[[], Awaitable[object]]
    ) -> None:
        """Run a write now; when the graph cannot take it, retry it later in the background."""
        self._pending.pop(document_id, None)  # this write supersedes an older one
        turn = self._turns.get(document_id)
        try:
            if turn is None:
                await call()
            else:
                async with turn:
                    await call()
        except grpc.aio.AioRpcError as exc:
            self._failed(operation, exc)
            if exc.code() in _RETRYABLE:
                self._retry_later(document_id, call)
        PENDING.set(len(self._pending))

    def _retry_later(self, document_id: str, call: Callable[[], Awaitable[object]]) -> None:
        if len(self._pending) >= self._s.max_pending_writes and document_id not in self._pending:
            log.error("graph: %d writes already wait; %s is not retried", len(self._pending),
                      document_id)  # fmt: skip
            return
        self._pending[document_id] = call
        if document_id not in self._retries:
            self._turns[document_id] = asyncio.Lock()
            task = asyncio.create_task(self._retry(document_id))
            self._retries[document_id] = task
            task.add_done_callback(lambda _: self._forget(document_id))

    def _forget(self, document_id: str) -> None:
        self._retries.pop(document_id, None)
        self._turns.pop(document_id, None)

    async def _retry(self, document_id: str) -> None:
        # As the gateway (service token), not as the caller whose token may expire meanwhile.
        set_current_call(CallContext(request_id=new_request_id(), method="graph-retry"))
        delay = self._s.retry_initial_s
        for _ in range(self._s.retry_attempts):
            await asyncio.sleep(delay)
            call = self._pending.get(document_id)
            if call is None:
                return  # a newer write went through meanwhile
            try:
                async with self._turns[document_id]:
                    if self._pending.get(document_id) is not call:
                        continue  # superseded while waiting for the turn
                    await call()
            except grpc.aio.AioRpcError as exc:
                if exc.code() not in _RETRYABLE:
                    break
                delay = min(delay * 2, self._s.retry_max_s)
                continue
            if self._pending.get(document_id) is call:
                del self._pending[document_id]
            log.info("graph: caught up with %s", document_id)
            PENDING.set(len(self._pending))
            return
        if self._pending.pop(document_id, None) is not None:
            log.error("graph: gave up on %s; ingest it again with force", document_id)
            FAILURES.labels("retry_exhausted").inc()
        PENDING.set(len(self._pending))

    async def drain(self) -> None:
        """Wait for the background retries (tests, shutdown)."""
        if self._retries:
            await asyncio.gather(*self._retries.values(), return_exceptions=True)

    def traverse_soon(
        self, question: str, requested: bool
    ) -> asyncio.Task[graph_pb2.TraverseGraphResponse | None] | None:
        """Start the traversal now (it needs only the question), so it runs while the
        retrieval does; None when the graph will not be used for this question."""
        if not requested and self._s.auto_min_entities <= 0:
            return None
        return asyncio.create_task(self._traverse(question))

    async def _traverse(self, question: str) -> graph_pb2.TraverseGraphResponse | None:
        try:
            return await self._graph.TraverseGraph(
                graph_pb2.TraverseGraphRequest(
                    question=question, max_hops=self._s.max_hops, max_chunks=self._s.max_chunks
                ),
                timeout=self._s.timeout_s,
            )
        except grpc.aio.AioRpcError as exc:
            self._failed("traverse", exc)
            return None

    async def expand(
        self,
        question: str,
        requested: bool,
        retrieved: Sequence[common_pb2.ScoredChunk],
        options: common_pb2.RetrievalOptions,
        traversal: Awaitable[graph_pb2.TraverseGraphResponse | None] | None = None,
    ) -> Expansion | None:
        """Retrieved chunks fused with those the graph reaches from the question's entities;
        None when the graph was not used (not requested and too few entities, or down).
        ``traversal``: one started by ``traverse_soon`` for this question."""
        if traversal is None:
            if not requested and self._s.auto_min_entities <= 0:
                return None
            traversal = self._traverse(question)
        found_traversal = await traversal
        if found_traversal is None:
            return None
        traversal_result = found_traversal
        seeds = len(traversal_result.seed_entities)
        if not requested and seeds < self._s.auto_min_entities:
            EXPANSIONS.labels("too_few_entities").inc()
            return None
        supporting = {c.chunk_id: c for c in traversal_result.supporting_chunks}
        if not supporting:
            EXPANSIONS.labels("nothing_added").inc()
            return Expansion(list(retrieved), 0, seeds)
        try:
            found = await self._fetch(question, supporting, options)
        except (grpc.aio.AioRpcError, DomainError) as exc:
            self._failed("fetch", exc)
            return None
        fused = fuse(
            [list(retrieved), found],
            [1.0, self._s.weight],
            options.top_k or len(retrieved),
            self._s.fusion_k,
        )
        before = {c.chunk.id for c in retrieved}
        added = sum(c.chunk.id not in before for c in fused)
        EXPANSIONS.labels("added" if added else "nothing_added").inc()
        return Expansion(fused, added, seeds)

    async def _fetch(
        self,
        question: str,
        supporting: dict[str, graph_pb2.SupportingChunk],
        options: common_pb2.RetrievalOptions,
    ) -> list[common_pb2.ScoredChunk]:
        """The graph's chunks as the caller may read them now, in the graph's order. The
        store applies the caller's groups and the request's own filters."""
        documents = sorted({c.document_id for c in supporting.values()})
        search = common_pb2.RetrievalOptions()
        search.CopyFrom(options)
        search.top_k = 100
        allowed = set(options.document_ids)
        del search.document_ids[:]
        search.document_ids.extend(d for d in documents if not allowed or d in allowed)
        if not search.document_ids:
            return []
        response = await self._store.SearchChunks(
            vector_store_pb2.SearchChunksRequest(query=question, options=search),
            timeout=self._s.timeout_s,
        )
        found = [c for c in response.scored_chunks if c.chunk.id in supporting]
        found.sort(key=lambda c: (-supporting[c.chunk.id].score, c.chunk.id))
        for rank, chunk in enumerate(found, start=1):
            chunk.score = supporting[chunk.chunk.id].score
            chunk.rank = rank
        return found

    def _failed(self, operation: str, exc: grpc.aio.AioRpcError | DomainError) -> None:
        FAILURES.labels(operation).inc()
        detail = exc.details() if isinstance(exc, grpc.aio.AioRpcError) else exc.message
        code = exc.code().name if isinstance(exc, grpc.aio.AioRpcError) else exc.code.value
        log.warning("graph %s skipped: %s %s", operation, code, detail)

"""How the gateway uses GraphService: fused graph chunks on request or with several
entities, and a graph that is down never fails an Ask, an ingest or a delete."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest

from rag.v1 import common_pb2, graph_pb2, vector_store_pb2
from services.gateway.graph_expansion import FAILURES, PENDING, ExpansionSettings, GraphExpansion


def scored(chunk_id: str, document_id: str) -> common_pb2.ScoredChunk:
    return common_pb2.ScoredChunk(
        chunk=common_pb2.Chunk(id=chunk_id, document_id=document_id, text=chunk_id)
    )


class FakeGraph:
    def __init__(self, seeds: int = 1, down: bool = False) -> None:
        self.seeds, self.down = seeds, down
        self.calls: list[tuple[str, Any]] = []

    def _maybe_fail(self) -> None:
        if self.down:
            raise grpc.aio.AioRpcError(
                grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(), "down"
            )

    async def TraverseGraph(self, request: Any, timeout: float) -> Any:  # noqa: ASYNC109 (the stub's keyword)
        self.calls.append(("traverse", request))
        self._maybe_fail()
        return graph_pb2.TraverseGraphResponse(
            seed_entities=[graph_pb2.Entity(id=f"e{i}") for i in range(self.seeds)],
            supporting_chunks=[
                graph_pb2.SupportingChunk(chunk_id="b#0", document_id="b", score=2.0),
                graph_pb2.SupportingChunk(chunk_id="hidden#0", document_id="hidden", score=1.0),
            ],
        )

    async def IndexChunks(self, request: Any, timeout: float) -> Any:  # noqa: ASYNC109 (the stub's keyword)
        self.calls.append(("index", request))
        self._maybe_fail()
        return graph_pb2.IndexChunksResponse()

    async def DeleteDocumentGraph(self, request: Any, timeout: float) -> Any:  # noqa: ASYNC109 (the stub's keyword)
        self.calls.append(("delete", request))
        self._maybe_fail()
        return graph_pb2.DeleteDocumentGraphResponse()


class FakeStore:
    """Answers as the store would for a caller who may not read document "hidden"."""

    def __init__(self) -> None:
        self.requests: list[vector_store_pb2.SearchChunksRequest] = []

    async def SearchChunks(self, request: Any, timeout: float) -> Any:  # noqa: ASYNC109 (the stub's keyword)
        self.requests.append(request)
        return vector_store_pb2.SearchChunksResponse(
            scored_chunks=[scored("b#1", "b"), scored("b#0", "b")]
        )


def expansion(graph: FakeGraph, store: FakeStore, **settings: Any) -> GraphExpansion:
    return GraphExpansion(graph, store, ExpansionSettings(**settings))  # type: ignore[arg-type]


OPTIONS = common_pb2.RetrievalOptions(top_k=3)
RETRIEVED = [scored("a#0", "a"), scored("c#0", "c"), scored("d#0", "d")]


async def test_requested_expansion_fuses_in_readable_graph_chunks() -> None:
    store = FakeStore()
    result = await expansion(FakeGraph(), store).expand("q", True, RETRIEVED, OPTIONS)
    assert result is not None
    ids = [c.chunk.id for c in result.chunks]
    assert len(ids) == 3 and ids[0] == "a#0" and "b#0" in ids
    assert "b#1" not in ids and "hidden#0" not in ids  # only supporting chunks the store gave
    assert result.added == 1
    assert list(store.requests[0].options.document_ids) == ["b", "hidden"]


async def test_unrequested_expansion_needs_several_entities() -> None:
    one_entity = expansion(FakeGraph(seeds=1), FakeStore(), auto_min_entities=2)
    assert await one_entity.expand("q", False, RETRIEVED, OPTIONS) is None
    two = expansion(FakeGraph(seeds=2), FakeStore(), auto_min_entities=2)
    assert await two.expand("q", False, RETRIEVED, OPTIONS) is not None
    never = FakeGraph(seeds=5)
    assert (
        await expansion(never, FakeStore(), auto_min_entities=0).expand(
            "q", False, RETRIEVED, OPTIONS
        )
        is None
    )
    assert never.calls == []


async def test_a_graph_that_is_down_is_skipped_and_counted() -> None:
    graph = FakeGraph(down=True)
    use = expansion(graph, FakeStore(), retry_attempts=1, retry_initial_s=0.01)
    before = FAILURES.labels("traverse")._value.get()
    assert await use.expand("q", True, RETRIEVED, OPTIONS) is None
    assert FAILURES.labels("traverse")._value.get() == before + 1
    document = common_pb2.Document(id="doc", access_groups=["team"])
    await use.index(document, [common_pb2.Chunk(id="doc#0", text="t", access_groups=["x"])])
    await use.delete("doc")
    assert [name for name, _ in graph.calls] == ["traverse", "index", "delete"]
    await use.drain()  # one retry of the latest write (the delete), then it gives up
    assert [name for name, _ in graph.calls][3:] == ["delete"]


@pytest.mark.parametrize("groups", [[], ["team"]])
async def test_index_sends_the_documents_access_list(groups: list[str]) -> None:
    graph = FakeGraph()
    document = common_pb2.Document(id="doc", access_groups=groups)
    await expansion(graph, FakeStore()).index(
        document, [common_pb2.Chunk(id="doc#0", text="t", access_groups=["stale"])]
    )
    request = graph.calls[0][1]
    assert request.replace_documents
    assert [list(c.access_groups) for c in request.chunks] == [groups]
    assert [c.document_id for c in request.chunks] == ["doc"]


class FlakyGraph(FakeGraph):
    """Fails its first ``failures`` calls with ``code``, then works."""

    def __init__(self, failures: int, code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE) -> None:
        super().__init__()
        self.failures, self.code = failures, code
        self.succeeded: list[str] = []

    def _maybe_fail(self) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise grpc.aio.AioRpcError(self.code, grpc.aio.Metadata(), grpc.aio.Metadata(), "x")
        self.succeeded.append(self.calls[-1][0])


RETRY_FAST = {"retry_initial_s": 0.01, "retry_max_s": 0.02}


async def test_a_failed_graph_write_is_retried_until_the_graph_takes_it() -> None:
    graph = FlakyGraph(failures=3)
    use = expansion(graph, FakeStore(), **RETRY_FAST)
    document = common_pb2.Document(id="doc")
    await use.index(document, [common_pb2.Chunk(id="doc#0", text="t")])  # returns at once
    await use.drain()
    assert [name for name, _ in graph.calls] == ["index"] * 4
    assert graph.succeeded == ["index"]
    assert PENDING._value.get() == 0


async def test_a_newer_write_replaces_the_one_waiting_for_a_retry() -> None:
    graph = FlakyGraph(failures=2)
    use = expansion(graph, FakeStore(), **RETRY_FAST)
    await use.index(common_pb2.Document(id="doc"), [common_pb2.Chunk(id="doc#0", text="t")])
    await use.delete("doc")  # fails too, and takes the index's place
    await use.drain()
    # The index never lands: only the delete, the document's latest write, went through.
    assert graph.succeeded == ["delete"]


async def test_writes_the_graph_rejects_are_not_retried() -> None:
    graph = FlakyGraph(failures=1, code=grpc.StatusCode.INVALID_ARGUMENT)
    use = expansion(graph, FakeStore(), **RETRY_FAST)
    await use.delete("doc")
    await use.drain()
    assert [name for name, _ in graph.calls] == ["delete"] and graph.succeeded == []


async def test_traversal_runs_while_the_retrieval_does() -> None:
    # The store's answer to the Ask's own search waits until the graph has been asked: were
    # the traversal started only after retrieval, this Ask would never finish.
    from services.common.retrieval import RetrievalClients, Retriever, Stages
    from services.gateway.settings import GatewaySettings

    graph = FakeGraph(seeds=2)
    traversed = asyncio.Event()
    traverse = graph.TraverseGraph

    async def traverse_and_tell(request: Any, timeout: float) -> Any:  # noqa: ASYNC109
        traversed.set()
        return await traverse(request, timeout)

    graph.TraverseGraph = traverse_and_tell  # type: ignore[method-assign]

    class WaitingStore(FakeStore):
        async def SearchChunks(self, request: Any, timeout: float | None = None) -> Any:  # noqa: ASYNC109
            if not request.options.document_ids:  # the Ask's search, not the graph's fetch
                await asyncio.wait_for(traversed.wait(), 5)
                self.requests.append(request)
                return vector_store_pb2.SearchChunksResponse(scored_chunks=list(RETRIEVED))
            return await super().SearchChunks(request, timeout or 1.0)

    class Embedding:
        async def Embed(self, request: Any) -> Any:
            from rag.v1 import embedding_pb2

            return embedding_pb2.EmbedResponse(
                embeddings=[embedding_pb2.Embedding(values=[1.0, 0.0])]
            )

    store = WaitingStore()
    clients = RetrievalClients(Embedding(), store, None)  # type: ignore[arg-type]
    retriever = Retriever(clients, GatewaySettings().fusion_k, expansion(graph, store))
    retrieval = await retriever.retrieve("q", OPTIONS, [], False, Stages())
    added = retrieval.graph_added
    assert added == 1 and "b#0" in {c.chunk.id for c in retrieval.chunks}


def doc_and_chunks(name: str, count: int) -> tuple[common_pb2.Document, list[common_pb2.Chunk]]:
    return (
        common_pb2.Document(id=name, access_groups=["team"]),
        [common_pb2.Chunk(id=f"{name}#{i}", text="t") for i in range(count)],
    )


async def test_index_many_sends_documents_together_within_the_request_limit() -> None:
    graph = FakeGraph()
    documents = [doc_and_chunks(f"d{i}", 400) for i in range(3)] + [doc_and_chunks("empty", 0)]
    await expansion(graph, FakeStore()).index_many(documents)
    indexed = [request for name, request in graph.calls if name == "index"]
    # 1,000 chunks per request: d0 and d1 together, d2 alone; each document whole.
    assert sorted(sorted({c.document_id for c in r.chunks}) for r in indexed) == [
        ["d0", "d1"],
        ["d2"],
    ]
    assert all(r.replace_documents for r in indexed)
    assert all(list(c.access_groups) == ["team"] for r in indexed for c in r.chunks)
    assert [r.document_id for name, r in graph.calls if name == "delete"] == ["empty"]


async def test_a_failed_group_is_retried_document_by_document() -> None:
    graph = FlakyGraph(failures=1)
    use = expansion(graph, FakeStore(), **RETRY_FAST)
    await use.index_many([doc_and_chunks("a", 2), doc_and_chunks("b", 3)])
    await use.drain()
    retried = [r for name, r in graph.calls[1:] if name == "index"]
    assert sorted(sorted({c.document_id for c in r.chunks}) for r in retried) == [["a"], ["b"]]
    assert graph.succeeded == ["index", "index"]
    assert PENDING._value.get() == 0

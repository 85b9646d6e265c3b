"""Freshness lag: how long after a file is saved its new content is searchable.

    python -m bench.freshness [--edits 20] [--bulk-docs 400]

Brings up a mesh (embedding, processor, vector store, graph, gateway, indexer) whose
indexer watches a temporary folder. One document is edited repeatedly, each time with a
new unique word; the lag is the time from the write to the moment a keyword search
through Envoy returns the document for that word (what a user would see), measured
client-side. Two phases: idle, and while a bulk ingest of SciFact abstracts runs through
RagService.BatchIngestDocuments (two concurrent batches of 10) competing for the same
pipeline. A third phase drops the same number of abstracts as files into the watched
folder itself (a folder copied in), which the indexer must queue behind the single edits.
The indexer's own view (GetIndexerStatus freshness p95) is printed alongside.

Last line: RESULT idle_p95_s=<x> loaded_p95_s=<y> folder_bulk_p95_s=<z>
Targets: p95 <= 2 s idle, <= 10 s during the bulk ingest.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
import uuid
from pathlib import Path

import grpc

from bench.harness import DATASET, median, percentile, running_mesh, table
from bench.scifact import load
from mesh.supervisor import SERVICES
from rag.v1 import (
    common_pb2,
    indexer_pb2,
    indexer_pb2_grpc,
    rag_pb2,
    rag_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)

NEEDED = {
    "rag.v1.EmbeddingService",
    "rag.v1.DocumentProcessorService",
    "rag.v1.VectorStoreService",
    "rag.v1.GraphService",
    "rag.v1.RagService",
    "rag.v1.IndexerService",
}
POLL_S = 0.02
GIVE_UP_S = 120.0


async def searchable(store: vector_store_pb2_grpc.VectorStoreServiceStub, word: str) -> bool:
    response = await store.SearchChunks(
        vector_store_pb2.SearchChunksRequest(
            query=word,
            options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD, top_k=5),
        ),
        timeout=10,
    )
    return any(word in c.chunk.text for c in response.scored_chunks)


async def edit_lags(
    store: vector_store_pb2_grpc.VectorStoreServiceStub, path: Path, edits: int
) -> list[float]:
    lags = []
    for i in range(edits):
        word = f"fresh{uuid.uuid4().hex[:10]}"
        body = (
            f"# Release notes {i}\n\nThe current release code name is {word}. "
            "It replaces the previous one and ships with the usual fixes.\n"
        )
        started = time.perf_counter()
        await asyncio.to_thread(path.write_text, body)
        while not await searchable(store, word):
            if time.perf_counter() - started > GIVE_UP_S:
                raise RuntimeError(f"edit {i} not searchable after {GIVE_UP_S}s")
            await asyncio.sleep(POLL_S)
        lags.append(time.perf_counter() - started)
        await asyncio.sleep(0.3)  # independent edits, not one burst
    return lags


async def bulk_ingest(rag: rag_pb2_grpc.RagServiceStub, stop: asyncio.Event, limit: int) -> int:
    corpus = load(DATASET).corpus[:limit]
    done = 0
    batches = [corpus[i : i + 10] for i in range(0, len(corpus), 10)]
    lock = asyncio.Lock()

    async def lane() -> None:
        nonlocal done
        while not stop.is_set():
            async with lock:
                if not batches:
                    return
                batch = batches.pop(0)
            request = rag_pb2.BatchIngestDocumentsRequest(
                documents=[
                    common_pb2.Document(
                        id=f"bulk:{d.id}", title=d.title, content=d.text.encode() or b"-"
                    )
                    for d in batch
                ]
            )
            await rag.BatchIngestDocuments(request, timeout=300)
            done += len(batch)

    await asyncio.gather(lane(), lane())
    return done


async def copy_in(folder: Path, limit: int) -> int:
    """Write abstracts as files into the watched folder, as a copy or checkout would."""
    corpus = load(DATASET).corpus[-limit:]  # not the ones the bulk ingest used

    def write() -> int:
        folder.mkdir()
        for doc in corpus:
            (folder / f"{doc.id}.txt").write_text(f"{doc.title}\n\n{doc.text}")
        return len(corpus)

    return await asyncio.to_thread(write)


async def indexer_p95(indexer: indexer_pb2_grpc.IndexerServiceStub) -> float:
    status = await indexer.GetIndexerStatus(indexer_pb2.GetIndexerStatusRequest(), timeout=10)
    return float(status.freshness_lag.p95.ToTimedelta().total_seconds())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--bulk-docs", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ragmesh-fresh-") as tmp:
        folder = Path(tmp)
        target = folder / "release-notes.md"
        async with (
            running_mesh(
                services=[s for s in SERVICES if s.service in NEEDED], watch=[folder]
            ) as mesh,
            grpc.aio.insecure_channel(mesh.envoy_address) as channel,
        ):
            store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
            rag = rag_pb2_grpc.RagServiceStub(channel)
            indexer = indexer_pb2_grpc.IndexerServiceStub(channel)
            await edit_lags(store, target, 3)  # warm-up: models, connections, caches
            idle = await edit_lags(store, target, args.edits)
            idle_indexer = await indexer_p95(indexer)

            stop = asyncio.Event()
            started = time.perf_counter()
            bulk = asyncio.create_task(bulk_ingest(rag, stop, args.bulk_docs))
            await asyncio.sleep(2.0)  # let the bulk ingest get going
            loaded = await edit_lags(store, target, args.edits)
            loaded_indexer = await indexer_p95(indexer)
            still_running = not bulk.done()
            stop.set()
            ingested = 0
            with contextlib.suppress(grpc.aio.AioRpcError):
                ingested = await bulk
            bulk_s = time.perf_counter() - started

            copied = folder / "copied-in"
            copy = asyncio.create_task(copy_in(copied, args.bulk_docs))
            await asyncio.sleep(1.0)
            dropped = await edit_lags(store, target, args.edits)
            dropped_indexer = await indexer_p95(indexer)
            files = await copy
            status = await indexer.GetIndexerStatus(
                indexer_pb2.GetIndexerStatusRequest(), timeout=10
            )
            backlog = status.queues[0].depth + status.queues[0].retrying
    rows = [
        ["idle", len(idle), median(idle), percentile(idle, 95), max(idle), idle_indexer],
        ["bulk ingest", len(loaded), median(loaded), percentile(loaded, 95), max(loaded),
         loaded_indexer],
        ["folder copied in", len(dropped), median(dropped), percentile(dropped, 95),
         max(dropped), dropped_indexer],
    ]  # fmt: skip
    print()
    print(table(["phase", "edits", "p50 s", "p95 s", "max s", "indexer p95 s (all)"], rows))
    print(
        f"\nbulk ingest: {ingested} SciFact abstracts in {bulk_s:.1f} s "
        f"({ingested / bulk_s:.1f} docs/s); still running when the edits ended: {still_running}"
    )
    print(f"folder copied in: {files} files; still queued when the edits ended: {backlog}")
    print(
        f"RESULT idle_p95_s={percentile(idle, 95):.3f} loaded_p95_s={percentile(loaded, 95):.3f}"
        f" folder_bulk_p95_s={percentile(dropped, 95):.3f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

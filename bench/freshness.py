"""Freshness lag and bulk indexing rate: how long after a file is saved its new content is
searchable, and how fast a folder of new files becomes searchable next to what the
embedding model alone could do with the same documents.

    python -m bench.freshness [--edits 20] [--bulk-docs 400] [--lines 300] [--smoke]

Brings up a mesh (embedding, processor, vector store, graph, gateway, indexer) whose
indexer watches a temporary folder. One document is edited repeatedly, each time with a
new unique word; the lag is the time from the write to the moment a keyword search
through Envoy returns the document for that word (what a user would see), measured
client-side. Three phases of edits: idle; while a bulk ingest of SciFact abstracts runs
through RagService.BatchIngestDocuments (two concurrent batches of 10) competing for the
same pipeline; and while the same number of abstracts is dropped as files into the
watched folder itself (a folder copied in), which the indexer must queue behind the single
edits. The indexer's own view (GetIndexerStatus freshness p95) is printed alongside.
A fourth phase, ``postgres`` (idle, right after the first): a PostgreSQL server started
for the run (tests/support/postgres.py: initdb into a temp folder, wal_level=logical) and
a PostgreSQL source on one table; the lag is from an UPDATE's commit to the row's new word
being searchable (logical replication, no polling).

Then the bulk rate: ``--bulk-docs`` further abstracts written into the watched folder at
once, documents/s from the first write until the indexer has applied every one (applied
means searchable: the gateway answers after the store switched versions); and the raw
rate of the same documents: their chunks (parsed and chunked as the processor does, with
default options) embedded in this process by ``build_encoder(EmbeddingSettings())``,
which is what a replica runs, before the mesh starts so nothing competes. The same for
``--lines`` one-line Markdown files (printed, not in the RESULT line: for them the
embedding is not the limit).

Last line: RESULT idle_p95_s=<x> loaded_p95_s=<y> folder_bulk_p95_s=<z>
bulk_docs_per_s=<a> raw_docs_per_s=<b> bulk_over_raw=<a/b> pg_p95_s=<p>
Targets: p95 <= 2 s idle (pg_p95_s too), <= 10 s during the bulk ingest; bulk_over_raw >= 0.8.
``--smoke`` runs everything at tiny sizes (same RESULT keys) to check the benchmark works.
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
from bench.scifact import CorpusDoc, load
from mesh.local.supervisor import SERVICES
from rag.v1 import (
    common_pb2,
    indexer_pb2,
    indexer_pb2_grpc,
    rag_pb2,
    rag_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from services.common.chunking import ChunkingConfig, chunk_document
from services.document_processor.parsing import parse
from services.embedding.core import build_encoder
from services.embedding.settings import EmbeddingSettings

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
    store: vector_store_pb2_grpc.VectorStoreServiceStub, path: Path, edits: int, gap_s: float
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
        await asyncio.sleep(gap_s)  # independent edits, not one burst
    return lags


async def postgres_lags(
    indexer: indexer_pb2_grpc.IndexerServiceStub,
    store: vector_store_pb2_grpc.VectorStoreServiceStub,
    edits: int,
    gap_s: float,
) -> list[float]:
    """Edits of one row of a PostgreSQL table followed by a PostgreSQL source: seconds from
    each UPDATE's commit to its new word being searchable (the first edit warms up)."""
    import psycopg2

    from tests.support.postgres import start_server

    server = await asyncio.to_thread(start_server)
    try:
        server.sql("CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)")
        server.sql("INSERT INTO notes VALUES (1, 'Release notes, first draft.')")
        source = indexer_pb2.Source(
            postgres=indexer_pb2.PostgresSourceConfig(
                dsn=server.dsn, table="notes", id_column="id", content_columns=["body"]
            )
        )
        await indexer.CreateSource(
            indexer_pb2.CreateSourceRequest(source_id="bench-pg", source=source), timeout=30
        )
        conn = await asyncio.to_thread(psycopg2.connect, server.dsn)
        conn.autocommit = True
        lags = []
        try:
            for i in range(edits + 1):
                word = f"pgfresh{uuid.uuid4().hex[:10]}"
                body = f"The current release code name is {word}. It ships with the usual fixes."
                with conn.cursor() as cur:
                    await asyncio.to_thread(
                        cur.execute, "UPDATE notes SET body=%s WHERE id=1", (body,)
                    )
                started = time.perf_counter()  # committed (autocommit) when execute returns
                while not await searchable(store, word):
                    if time.perf_counter() - started > GIVE_UP_S:
                        raise RuntimeError(f"postgres edit {i} not searchable after {GIVE_UP_S}s")
                    await asyncio.sleep(POLL_S)
                if i:
                    lags.append(time.perf_counter() - started)
                await asyncio.sleep(gap_s)
        finally:
            conn.close()
            await indexer.DeleteSource(
                indexer_pb2.DeleteSourceRequest(source_id="bench-pg", delete_documents=True),
                timeout=30,
            )
    finally:
        await asyncio.to_thread(server.close)
    return lags


async def bulk_ingest(
    rag: rag_pb2_grpc.RagServiceStub, stop: asyncio.Event, corpus: list[CorpusDoc]
) -> int:
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


def file_text(doc: CorpusDoc) -> str:
    return f"{doc.title}\n\n{doc.text}"


def one_liners(count: int) -> dict[str, str]:
    """Files like the ones a user dropped into a watched folder: one line of Markdown each."""
    return {
        f"note-{i:04d}.md": f"Note {i}: the meeting about topic {i} moved to room {i % 17}."
        for i in range(count)
    }


async def copy_in(folder: Path, files: dict[str, str]) -> int:
    """Write files into the watched folder at once, as a copy or checkout would."""

    def write() -> int:
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text)
        return len(files)

    return await asyncio.to_thread(write)


def raw_rate(texts: list[str]) -> tuple[int, float]:
    """Chunks of these documents and the seconds the replica's encoder takes to embed them
    in this process (default chunking, as the processor applies for the indexer)."""
    chunks = [
        c.text
        for i, text in enumerate(texts)
        for c in chunk_document(f"doc-{i}", parse(text.encode(), "text/plain"), ChunkingConfig())
    ]
    encoder = build_encoder(EmbeddingSettings())
    # Warm-up on the same texts: OpenVINO compiles each input shape on first sight, which
    # a replica that has run a while no longer pays. Then the best of two runs.
    encoder.encode(chunks)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        encoder.encode(chunks)
        timings.append(time.perf_counter() - started)
    return len(chunks), min(timings)


async def indexer_totals(indexer: indexer_pb2_grpc.IndexerServiceStub) -> tuple[int, int]:
    """(changes applied or dead-lettered so far, changes waiting or applying) of the update
    queue."""
    status = await indexer.GetIndexerStatus(indexer_pb2.GetIndexerStatusRequest(), timeout=10)
    update = status.queues[0]
    done = update.processed_total + update.dead_lettered_total
    return done, update.depth + update.in_flight + update.retrying


async def drained(indexer: indexer_pb2_grpc.IndexerServiceStub) -> None:
    started = time.perf_counter()
    while (await indexer_totals(indexer))[1]:
        if time.perf_counter() - started > GIVE_UP_S * 5:
            raise RuntimeError("the indexer's update queue never drained")
        await asyncio.sleep(0.2)


async def bulk_rate(
    indexer: indexer_pb2_grpc.IndexerServiceStub, folder: Path, files: dict[str, str]
) -> tuple[int, float]:
    """Files written at once into the watched folder: (documents, seconds until the indexer
    applied them all). The queue is drained first, so only these are measured."""
    await drained(indexer)
    before, _ = await indexer_totals(indexer)
    started = time.perf_counter()
    await copy_in(folder, files)
    while (await indexer_totals(indexer))[0] - before < len(files):
        if time.perf_counter() - started > GIVE_UP_S * 5:
            raise RuntimeError(f"{folder.name}: not all {len(files)} files applied")
        await asyncio.sleep(POLL_S * 5)
    return len(files), time.perf_counter() - started


async def indexer_p95(indexer: indexer_pb2_grpc.IndexerServiceStub) -> float:
    status = await indexer.GetIndexerStatus(indexer_pb2.GetIndexerStatusRequest(), timeout=10)
    return float(status.freshness_lag.p95.ToTimedelta().total_seconds())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--bulk-docs", type=int, default=400)
    parser.add_argument("--lines", type=int, default=300, help="one-line files, bulk phase")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks it runs")
    args = parser.parse_args()
    if args.smoke:
        args.edits, args.bulk_docs, args.lines = 3, 12, 12
    warm_up, gap_s, settle_s = (1, 0.05, 0.2) if args.smoke else (3, 0.3, 2.0)
    corpus = load(DATASET).corpus
    n = args.bulk_docs
    loaded_docs, copied_docs, bulk_docs = corpus[:n], corpus[-n:], corpus[n : 2 * n]
    bulk_files = {f"{d.id}.txt": file_text(d) for d in bulk_docs}
    line_files = one_liners(args.lines)
    # Raw rates first, while nothing else runs on the cores.
    raw_chunks, raw_s = raw_rate(list(bulk_files.values()))
    line_chunks, line_raw_s = raw_rate(list(line_files.values()))
    print(f"raw: {len(bulk_files)} abstracts, {raw_chunks} chunks in {raw_s:.1f} s", flush=True)
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
            await edit_lags(store, target, warm_up, gap_s)  # models, connections, caches
            idle = await edit_lags(store, target, args.edits, gap_s)
            idle_indexer = await indexer_p95(indexer)
            pg = await postgres_lags(indexer, store, args.edits, gap_s)

            stop = asyncio.Event()
            started = time.perf_counter()
            bulk = asyncio.create_task(bulk_ingest(rag, stop, loaded_docs))
            await asyncio.sleep(settle_s)  # let the bulk ingest get going
            loaded = await edit_lags(store, target, args.edits, gap_s)
            loaded_indexer = await indexer_p95(indexer)
            still_running = not bulk.done()
            stop.set()
            ingested = 0
            with contextlib.suppress(grpc.aio.AioRpcError):
                ingested = await bulk
            bulk_s = time.perf_counter() - started

            copy = asyncio.create_task(
                copy_in(folder / "copied-in", {f"{d.id}.txt": file_text(d) for d in copied_docs})
            )
            await asyncio.sleep(settle_s / 2)
            dropped = await edit_lags(store, target, args.edits, gap_s)
            dropped_indexer = await indexer_p95(indexer)
            files = await copy
            backlog = (await indexer_totals(indexer))[1]

            bulk_count, bulk_apply_s = await bulk_rate(indexer, folder / "bulk", bulk_files)
            line_count, line_apply_s = await bulk_rate(indexer, folder / "lines", line_files)
    rows = [
        ["idle", len(idle), median(idle), percentile(idle, 95), max(idle), idle_indexer],
        ["bulk ingest", len(loaded), median(loaded), percentile(loaded, 95), max(loaded),
         loaded_indexer],
        ["folder copied in", len(dropped), median(dropped), percentile(dropped, 95),
         max(dropped), dropped_indexer],
        ["postgres (idle)", len(pg), median(pg), percentile(pg, 95), max(pg), "-"],
    ]  # fmt: skip
    print()
    print(table(["phase", "edits", "p50 s", "p95 s", "max s", "indexer p95 s (all)"], rows))
    print(
        f"\nbulk ingest: {ingested} SciFact abstracts in {bulk_s:.1f} s "
        f"({ingested / bulk_s:.1f} docs/s); still running when the edits ended: {still_running}"
    )
    print(f"folder copied in: {files} files; still queued when the edits ended: {backlog}")
    bulk_per_s, raw_per_s = bulk_count / bulk_apply_s, len(bulk_files) / raw_s
    line_per_s, line_raw_per_s = line_count / line_apply_s, len(line_files) / line_raw_s
    print()
    print(
        table(
            ["files written at once", "docs", "chunks", "indexed docs/s", "raw docs/s",
             "raw chunks/s", "indexed / raw"],
            [
                ["SciFact abstracts", bulk_count, raw_chunks, bulk_per_s, raw_per_s,
                 raw_chunks / raw_s, bulk_per_s / raw_per_s],
                ["one-line Markdown", line_count, line_chunks, line_per_s, line_raw_per_s,
                 line_chunks / line_raw_s, line_per_s / line_raw_per_s],
            ],
        )
    )  # fmt: skip
    print(
        f"RESULT idle_p95_s={percentile(idle, 95):.3f} loaded_p95_s={percentile(loaded, 95):.3f}"
        f" folder_bulk_p95_s={percentile(dropped, 95):.3f} bulk_docs_per_s={bulk_per_s:.2f}"
        f" raw_docs_per_s={raw_per_s:.2f} bulk_over_raw={bulk_per_s / raw_per_s:.3f}"
        f" pg_p95_s={percentile(pg, 95):.3f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

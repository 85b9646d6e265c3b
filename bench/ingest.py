"""Ingest throughput through the mesh vs. the raw embedding throughput of the same model.

    python -m bench.ingest [--docs 400] [--concurrency 4] [--rounds 3] [--smoke]

Every path embeds the same chunks (SciFact abstracts, recursive chunking, 1000 chars):
the raw side with the model in this process (the replica's backend and threads, all
texts in one call), the mesh side through Envoy -> gateway -> processor, embedding,
vector store, graph, two ways:

- one document per call: IngestDocument, ``--concurrency`` calls in flight (an
  application ingesting as documents arrive);
- bulk: BatchIngestDocuments of the indexer's batch size with as many batches in flight
  as it has update workers (what ``ragmesh up --watch`` and every source do with a deep
  queue: IndexerSettings.apply_batch_max and update_workers).

Each path ingests its own copy of the documents (distinct ids) into one mesh; the three
are measured in turn, ``--rounds`` times (the machine is noisy: a rate is the median of
its rounds, and a ratio the median of the rounds' ratios). Last line:
RESULT mesh_chunks_per_s=<one per call> raw_chunks_per_s=<raw> ratio=<one per call / raw>
bulk_chunks_per_s=<bulk> bulk_ratio=<bulk / raw>
"""

from __future__ import annotations

import argparse
import asyncio
import time

import grpc

from bench.harness import DATASET, median, running_mesh, table
from bench.scifact import load
from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from services.common.chunking import ChunkingConfig, chunk_document
from services.document_processor.parsing import parse
from services.embedding.core import build_encoder
from services.embedding.settings import EmbeddingSettings
from services.indexer.settings import IndexerSettings

Documents = list[tuple[str, bytes]]


async def one_per_call(stub: rag_pb2_grpc.RagServiceStub, documents: Documents, slots: int) -> int:
    """IngestDocument per document, ``slots`` in flight; chunks ingested."""
    limit = asyncio.Semaphore(slots)
    chunks = 0

    async def ingest(doc_id: str, content: bytes) -> None:
        nonlocal chunks
        async with limit:
            response = await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(
                    document=common_pb2.Document(id=doc_id, content=content)
                ),
                timeout=300,
            )
            chunks += response.result.chunk_count

    await asyncio.gather(*(ingest(i, c) for i, c in documents))
    return chunks


async def bulk(
    stub: rag_pb2_grpc.RagServiceStub, documents: Documents, size: int, in_flight: int
) -> int:
    """BatchIngestDocuments of ``size`` documents, ``in_flight`` batches at a time."""
    limit = asyncio.Semaphore(in_flight)
    chunks = 0

    async def ingest(batch: Documents) -> None:
        nonlocal chunks
        async with limit:
            response = await stub.BatchIngestDocuments(
                rag_pb2.BatchIngestDocumentsRequest(
                    documents=[common_pb2.Document(id=i, content=c) for i, c in batch]
                ),
                timeout=300,
            )
        for result in response.results:
            if result.HasField("error"):
                raise RuntimeError(f"{result.document_id}: {result.error.message}")
            chunks += result.result.chunk_count

    await asyncio.gather(*(ingest(documents[i : i + size]) for i in range(0, len(documents), size)))
    return chunks


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4, help="one-per-call in flight")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: the RESULT line only")
    args = parser.parse_args()
    if args.smoke:
        args.docs, args.rounds = 8, 1
    indexer = IndexerSettings()
    corpus = load(DATASET).corpus[: args.docs]
    documents = [(d.id, f"{d.title}\n\n{d.text}".encode()) for d in corpus]
    texts = [
        c.text
        for doc_id, content in documents
        for c in chunk_document(doc_id, parse(content, "text/plain"), ChunkingConfig())
    ]
    settings = EmbeddingSettings()
    encoder = build_encoder(settings)
    encoder.encode(texts)  # warm-up: OpenVINO compiles each input shape on first sight
    rounds: list[tuple[float, float, float]] = []  # chunks/s: raw, one per call, bulk
    chunks = {"single": 0, "bulk": 0}
    async with running_mesh() as mesh, grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        # Warm-up: the first calls load lazily initialised paths (both RPCs).
        warm = [(f"warmup:{i}", c) for i, c in documents[:4]]
        await one_per_call(stub, warm[:2], 2)
        await bulk(stub, warm[2:], 2, 1)
        for r in range(args.rounds):
            started = time.perf_counter()
            encoder.encode(texts)
            raw_rate = len(texts) / (time.perf_counter() - started)
            started = time.perf_counter()
            chunks["single"] = await one_per_call(
                stub, [(f"one:{r}:{i}", c) for i, c in documents], args.concurrency
            )
            single_rate = chunks["single"] / (time.perf_counter() - started)
            started = time.perf_counter()
            chunks["bulk"] = await bulk(
                stub,
                [(f"bulk:{r}:{i}", c) for i, c in documents],
                indexer.apply_batch_max,
                indexer.update_workers,
            )
            bulk_rate = chunks["bulk"] / (time.perf_counter() - started)
            rounds.append((raw_rate, single_rate, bulk_rate))
            print(
                f"round {r + 1}: raw {raw_rate:.1f}, one per call {single_rate:.1f}, "
                f"bulk {bulk_rate:.1f} chunks/s",
                flush=True,
            )
    raw_rate = median([x[0] for x in rounds])
    single_rate = median([x[1] for x in rounds])
    bulk_rate = median([x[2] for x in rounds])
    single_ratio = median([x[1] / x[0] for x in rounds])
    bulk_ratio = median([x[2] / x[0] for x in rounds])
    print()
    print(
        table(
            ["path (median of rounds)", "documents", "chunks", "chunks/s", "/ raw"],
            [
                ["raw encoder, in-process", len(documents), len(texts), raw_rate, 1.0],
                [
                    f"mesh, 1 document per call, {args.concurrency} in flight",
                    len(documents),
                    chunks["single"],
                    single_rate,
                    single_ratio,
                ],
                [
                    f"mesh, batches of {indexer.apply_batch_max}, "
                    f"{indexer.update_workers} in flight",
                    len(documents),
                    chunks["bulk"],
                    bulk_rate,
                    bulk_ratio,
                ],
            ],
        )
    )
    print(
        f"RESULT mesh_chunks_per_s={single_rate:.1f} raw_chunks_per_s={raw_rate:.1f} "
        f"ratio={single_ratio:.3f} bulk_chunks_per_s={bulk_rate:.1f} "
        f"bulk_ratio={bulk_ratio:.3f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

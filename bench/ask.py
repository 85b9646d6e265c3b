"""Ask latency through the mesh, per stage, at 1k and 10k chunks.

    python -m bench.ask [--queries 100] [--sizes 1000,10000]

The store is filled with SciFact abstract chunks (recursive, 1000 chars) upserted with
cached embeddings (the ingest path is measured by bench.ingest); then SciFact test
queries are asked one at a time through Envoy with the extractive generator. Client
latency and the gateway's per-stage timings are reported as p50/p99. Last line, for each
size n: RESULT ask_p50_ms_<n>=… ask_p99_ms_<n>=… embed_p50_ms_<n>=… retrieve_p50_ms_<n>=…
client_cpu_ms_<n>=… (the client's own CPU per Ask: what it takes from the measured cores).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict

import grpc
import numpy as np

from bench.harness import DATASET, median, percentile, running_mesh, table
from bench.scifact import cached_embeddings, load
from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc, vector_store_pb2, vector_store_pb2_grpc
from services.common.chunking import ChunkingConfig, TextChunk, chunk_document
from services.common.documents import content_hash
from services.document_processor.parsing import parse
from services.embedding.backends import vectors_id
from services.embedding.core import SentenceEncoder, build_encoder
from services.embedding.settings import EmbeddingSettings

# 400-character chunks: SciFact then yields over 10k chunks, enough for the 10k point.
CHUNKING = ChunkingConfig(chunk_size=400, chunk_overlap=40)


def chunk_corpus(limit: int) -> list[TextChunk]:
    chunks: list[TextChunk] = []
    for doc in load(DATASET).corpus:
        content = f"{doc.title}\n\n{doc.text}".encode()
        chunks.extend(chunk_document(doc.id, parse(content, "text/plain"), CHUNKING))
        if len(chunks) >= limit:
            break
    return chunks


async def fill(
    store: vector_store_pb2_grpc.VectorStoreServiceStub,
    chunks: list[TextChunk],
    vectors: np.ndarray,
) -> None:
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, chunk in enumerate(chunks):
        by_doc[chunk.document_id].append(i)
    slots = asyncio.Semaphore(4)

    async def upsert(doc_id: str, rows: list[int]) -> None:
        async with slots:
            await store.UpsertDocument(
                vector_store_pb2.UpsertDocumentRequest(
                    document=common_pb2.Document(
                        id=doc_id,
                        title=chunks[rows[0]].text[:60],
                        content_hash=content_hash("".join(chunks[i].text for i in rows).encode()),
                    ),
                    chunks=[
                        vector_store_pb2.EmbeddedChunk(
                            chunk=common_pb2.Chunk(
                                id=chunks[i].id,
                                document_id=doc_id,
                                position=chunks[i].position,
                                text=chunks[i].text,
                                start_offset=chunks[i].start,
                                end_offset=chunks[i].end,
                            ),
                            embedding=vectors[i].tolist(),
                        )
                        for i in rows
                    ],
                ),
                timeout=120,
            )

    await asyncio.gather(*(upsert(d, rows) for d, rows in by_doc.items()))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: the RESULT line only")
    args = parser.parse_args()
    if args.smoke:
        args.queries, args.sizes = 10, "200"
    sizes = sorted(int(s) for s in args.sizes.split(","))
    data = load(DATASET)
    questions = [data.queries[q] for q in sorted(data.qrels["test"])][: args.queries]
    chunks = chunk_corpus(sizes[-1])
    settings = EmbeddingSettings()
    encoder: SentenceEncoder | None = None

    def encode(texts: object) -> np.ndarray:
        nonlocal encoder
        encoder = encoder or build_encoder(settings)
        return np.stack([e.vector for e in encoder.encode(list(texts))])  # type: ignore[call-overload]

    vectors = cached_embeddings(
        vectors_id(settings.model_id, settings.backend),
        [c.text for c in chunks],
        encode,
        "ask-chunks",
    )
    rows = []
    results = []
    async with running_mesh() as mesh, grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
        rag = rag_pb2_grpc.RagServiceStub(channel)
        filled = 0
        for size in sizes:
            started = time.perf_counter()
            doc_end = size
            while (
                doc_end < len(chunks)
                and chunks[doc_end].document_id == chunks[doc_end - 1].document_id
            ):
                doc_end += 1  # whole documents only
            await fill(store, chunks[filled:doc_end], vectors[filled:doc_end])
            filled = doc_end
            print(f"filled {filled} chunks in {time.perf_counter() - started:.1f} s", flush=True)
            for q in questions[:5]:  # warm-up (excluded from every figure)
                await rag.Ask(rag_pb2.AskRequest(question=q), timeout=30)
            client: list[float] = []
            stages: dict[str, list[float]] = defaultdict(list)
            cpu_started = time.process_time()
            for q in questions:
                started = time.perf_counter()
                response = await rag.Ask(rag_pb2.AskRequest(question=q), timeout=30)
                client.append((time.perf_counter() - started) * 1000)
                for t in response.timings:
                    stages[t.stage].append(t.duration.ToTimedelta().total_seconds() * 1000)
            client_cpu_ms = (time.process_time() - cpu_started) * 1000 / len(questions)
            for name, values in [("Ask (client)", client), *sorted(stages.items())]:
                rows.append([filled, name, median(values), percentile(values, 99)])
            results.append(
                (
                    size,
                    median(client),
                    percentile(client, 99),
                    median(stages["embed"]),
                    median(stages["retrieve"]),
                    client_cpu_ms,
                )
            )
    print()
    print(table(["chunks", "stage", "p50 ms", "p99 ms"], rows))
    print(
        "\nThe client asks one question at a time from one asyncio process; its own CPU per Ask "
        "(client_cpu_ms) is what it takes from the cores it measures."
    )
    print(
        "RESULT "
        + " ".join(
            f"ask_p50_ms_{s}={p50:.1f} ask_p99_ms_{s}={p99:.1f} embed_p50_ms_{s}={embed:.1f} "
            f"retrieve_p50_ms_{s}={retrieve:.1f} client_cpu_ms_{s}={cpu:.2f}"
            for s, p50, p99, embed, retrieve, cpu in results
        )
    )


if __name__ == "__main__":
    asyncio.run(main())

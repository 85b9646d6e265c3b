"""Ingest throughput through the mesh vs. the raw embedding throughput of the same model.

    python -m bench.ingest [--docs 200] [--concurrency 4]

Both sides embed the same chunks (SciFact abstracts, recursive chunking, 1000 chars):
the raw side with the model in this process (one torch thread, as a replica uses), the
mesh side through Envoy -> gateway -> processor, embedding, vector store. Last line:
RESULT mesh_chunks_per_s=<x> raw_chunks_per_s=<y> ratio=<x/y>
"""

from __future__ import annotations

import argparse
import asyncio
import time

import grpc

from bench.harness import DATASET, running_mesh, table
from bench.scifact import load
from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from services.common.chunking import ChunkingConfig, chunk_document
from services.document_processor.parsing import parse
from services.embedding.core import build_encoder
from services.embedding.settings import EmbeddingSettings


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: the RESULT line only")
    args = parser.parse_args()
    if args.smoke:
        args.docs = 8
    corpus = load(DATASET).corpus[: args.docs]
    documents = [(d.id, f"{d.title}\n\n{d.text}".encode()) for d in corpus]
    texts = [
        c.text
        for doc_id, content in documents
        for c in chunk_document(doc_id, parse(content, "text/plain"), ChunkingConfig())
    ]
    settings = EmbeddingSettings()
    encoder = build_encoder(settings)
    encoder.encode(texts[:32])  # warm-up
    started = time.perf_counter()
    encoder.encode(texts)
    raw_s = time.perf_counter() - started
    raw_rate = len(texts) / raw_s
    print(f"raw: {len(texts)} chunks in {raw_s:.1f} s", flush=True)

    async with running_mesh() as mesh, grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        await stub.IngestDocument(  # warm-up: first call loads lazily initialised paths
            rag_pb2.IngestDocumentRequest(
                document=common_pb2.Document(id="warmup", content=b"Warm-up document text.")
            ),
            timeout=120,
        )
        slots = asyncio.Semaphore(args.concurrency)
        chunks = 0

        async def ingest(doc_id: str, content: bytes) -> None:
            nonlocal chunks
            async with slots:
                response = await stub.IngestDocument(
                    rag_pb2.IngestDocumentRequest(
                        document=common_pb2.Document(id=doc_id, content=content)
                    ),
                    timeout=300,
                )
                chunks += response.result.chunk_count

        started = time.perf_counter()
        await asyncio.gather(*(ingest(i, c) for i, c in documents))
        mesh_s = time.perf_counter() - started
    mesh_rate = chunks / mesh_s
    print()
    print(
        table(
            ["path", "documents", "chunks", "seconds", "chunks/s"],
            [
                ["raw encoder, in-process", len(documents), len(texts), raw_s, raw_rate],
                ["through the mesh (Envoy)", len(documents), chunks, mesh_s, mesh_rate],
            ],
        )
    )
    print(f"\nmesh / raw = {mesh_rate / raw_rate:.2f}")
    print(
        f"RESULT mesh_chunks_per_s={mesh_rate:.1f} raw_chunks_per_s={raw_rate:.1f} "
        f"ratio={mesh_rate / raw_rate:.3f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

"""Upsert throughput of the vector store with precomputed embeddings: chunks per second.

    python -m bench.upsert [--chunks 10000] [--smoke]

SciFact abstracts are chunked as bench.ask chunks them (recursive, 400 characters: about
five chunks per document) and given fixed random unit vectors (the store's cost does not
depend on where the vectors came from, and nothing needs embedding). Each mode fills an
empty store from scratch:

- ``grpc, 1 doc/call, N in flight``: UpsertDocument once per document through a real
  VectorStoreService process (``python -m services.vector_store``, embedded Chroma, no
  Envoy), N calls in flight. One in flight is the old style; 4 is bench.ask's fill, which
  took 156 s for 10,000 chunks (64 chunks/s) before concurrent upserts were written
  together.
- ``in-process, 1 doc/call``: ``ChunkStore.upsert`` per document, no gRPC.
- ``in-process, batches of B``: ``ChunkStore.upsert_many`` (what bench.retrieval builds
  its stores with).

The last mode of each kind is repeated over the same documents to measure replacing.
Last line: ``RESULT upsert_chunks_per_s=<grpc, 4 in flight> sequential_chunks_per_s=<grpc,
1 in flight> batch_chunks_per_s=<in-process batches> ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import numpy as np
import numpy.typing as npt

from bench.harness import DATASET, table
from bench.scifact import load
from rag.v1 import common_pb2, vector_store_pb2, vector_store_pb2_grpc
from services.common.chunking import ChunkingConfig, TextChunk, chunk_document
from services.common.documents import content_hash
from services.document_processor.parsing import parse
from services.vector_store.core import (
    ChunkData,
    ChunkStore,
    DocumentInput,
    EmbeddedChunk,
    open_client,
)
from services.vector_store.settings import VectorStoreSettings

if TYPE_CHECKING:
    from services.vector_store.core import UpsertRequest

CHUNKING = ChunkingConfig(chunk_size=400, chunk_overlap=40)  # as bench.ask
DIMENSIONS = 384
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    chunks: list[TextChunk]
    vectors: npt.NDArray[np.float32]


def corpus(limit: int, dataset: Path) -> list[Doc]:
    """Whole documents until ``limit`` chunks, each chunk with a fixed random unit vector."""
    rng = np.random.default_rng(7)
    docs: list[Doc] = []
    total = 0
    for doc in load(dataset).corpus:
        content = f"{doc.title}\n\n{doc.text}".encode()
        chunks = chunk_document(doc.id, parse(content, "text/plain"), CHUNKING)
        vectors = rng.standard_normal((len(chunks), DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        docs.append(Doc(doc.id, doc.title, chunks, vectors))
        total += len(chunks)
        if total >= limit:
            break
    return docs


def chunk_count(docs: Sequence[Doc]) -> int:
    return sum(len(d.chunks) for d in docs)


# ---- through gRPC: a real VectorStoreService process ----------------------------------------


class StoreProcess:
    """``python -m services.vector_store`` on a free port with its own embedded Chroma."""

    def __init__(self, folder: Path) -> None:
        env = {
            **os.environ,
            "RAGMESH_PORT": "0",
            "RAGMESH_METRICS_PORT": "-1",
            "RAGMESH_LOG_FORMAT": "text",
            "RAGMESH_VECTOR_STORE_PERSIST_PATH": str(folder),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.vector_store"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        self.port = 0
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            found = re.search(r"RAGMESH_LISTENING grpc=(\d+)", line)
            if found:
                self.port = int(found.group(1))
                self._ready.set()
        self._ready.set()

    def wait_ready(self, timeout: float = 120.0) -> str:
        if not self._ready.wait(timeout) or not self.port:
            self.stop()
            raise RuntimeError("vector store did not start:\n" + "".join(self.output[-40:]))
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def upsert_message(doc: Doc) -> vector_store_pb2.UpsertDocumentRequest:
    return vector_store_pb2.UpsertDocumentRequest(
        document=common_pb2.Document(
            id=doc.id,
            title=doc.title,
            content_hash=content_hash("".join(c.text for c in doc.chunks).encode()),
        ),
        chunks=[
            vector_store_pb2.EmbeddedChunk(
                chunk=common_pb2.Chunk(
                    id=c.id,
                    document_id=doc.id,
                    position=c.position,
                    text=c.text,
                    start_offset=c.start,
                    end_offset=c.end,
                ),
                embedding=doc.vectors[i].tolist(),
            )
            for i, c in enumerate(doc.chunks)
        ],
    )


async def grpc_fill(address: str, docs: Sequence[Doc], in_flight: int) -> float:
    """Seconds to upsert every document, one per call, ``in_flight`` calls at a time."""
    messages = [upsert_message(d) for d in docs]  # built before the clock starts
    options = [("grpc.max_send_message_length", 128 * 1024 * 1024)]
    async with grpc.aio.insecure_channel(address, options=options) as channel:
        stub = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
        queue = list(reversed(messages))
        started = time.perf_counter()

        async def worker() -> None:
            while queue:
                await stub.UpsertDocument(queue.pop(), timeout=120)

        await asyncio.gather(*(worker() for _ in range(in_flight)))
        return time.perf_counter() - started


# ---- in-process: the store's own code, no transport ----------------------------------------


def requests_for(docs: Sequence[Doc]) -> list[UpsertRequest]:
    from services.vector_store.core import UpsertRequest  # not in stores before batching

    return [
        UpsertRequest(
            DocumentInput(d.id, "0" * 64, title=d.title),
            [
                EmbeddedChunk(
                    ChunkData(
                        id=c.id,
                        document_id=d.id,
                        position=c.position,
                        text=c.text,
                        start_offset=c.start,
                        end_offset=c.end,
                    ),
                    d.vectors[i],
                )
                for i, c in enumerate(d.chunks)
            ],
        )
        for d in docs
    ]


def in_process_fill(store: ChunkStore, requests: Sequence[UpsertRequest], batch: int) -> float:
    started = time.perf_counter()
    if batch <= 1:
        for r in requests:
            store.upsert(r.document, r.chunks)
    else:
        for start in range(0, len(requests), batch):
            store.upsert_many(requests[start : start + batch])
    return time.perf_counter() - started


def fresh_store(folder: Path) -> ChunkStore:
    settings = VectorStoreSettings(persist_path=str(folder))
    return ChunkStore(open_client(settings), settings)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--in-flight", default="1,4,16", help="gRPC concurrency levels")
    parser.add_argument("--batch", type=int, default=64, help="documents per upsert_many")
    parser.add_argument("--smoke", action="store_true", help="500 chunks: seconds, not minutes")
    parser.add_argument(
        "--grpc-only", action="store_true", help="only the gRPC modes (e.g. on an older store)"
    )
    parser.add_argument(
        "--skip-single", action="store_true", help="leave out in-process one document per call"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.chunks = min(args.chunks, 500)
    started = time.perf_counter()
    docs = corpus(args.chunks, args.dataset)
    total = chunk_count(docs)
    print(f"{len(docs)} documents, {total} chunks ({total / len(docs):.1f} per document)")
    rows: list[list[object]] = []
    rates: dict[str, float] = {}

    def record(key: str, mode: str, seconds: float) -> None:
        rates[key] = total / seconds
        rows.append([mode, round(seconds, 2), round(total / seconds, 1)])
        print(f"  {mode:<40} {seconds:7.2f} s  {total / seconds:8.1f} chunks/s", flush=True)

    levels = [int(n) for n in args.in_flight.split(",") if n]
    with tempfile.TemporaryDirectory(prefix="bench-upsert-") as tmp:
        folder = Path(tmp)
        for n in levels:
            server = StoreProcess(folder / f"grpc-{n}")
            try:
                address = server.wait_ready()
                seconds = asyncio.run(grpc_fill(address, docs, n))
                record(f"grpc_{n}", f"grpc, 1 doc/call, {n} in flight", seconds)
                if n == levels[-1]:
                    seconds = asyncio.run(grpc_fill(address, docs, n))
                    record(
                        f"grpc_{n}_replace", f"grpc, 1 doc/call, {n} in flight, replace", seconds
                    )
            finally:
                server.stop()
        if args.grpc_only:
            return report(rows, rates, levels, total, started)
        requests = requests_for(docs)
        if not args.skip_single:
            record(
                "local_1",
                "in-process, 1 doc/call",
                in_process_fill(fresh_store(folder / "local-1"), requests, 1),
            )
        store = fresh_store(folder / f"local-{args.batch}")
        label = f"in-process, batches of {args.batch} docs"
        record("local_batch", label, in_process_fill(store, requests, args.batch))
        record(
            "local_batch_replace", f"{label}, replace", in_process_fill(store, requests, args.batch)
        )
        assert store.count_chunks().chunk_count == total  # replaced, never doubled
    report(rows, rates, levels, total, started)


def report(
    rows: list[list[object]],
    rates: dict[str, float],
    levels: Sequence[int],
    total: int,
    started: float,
) -> None:
    nan = float("nan")
    print()
    print(table(["mode", "seconds", "chunks/s"], rows))
    # The headline is bench.ask's fill: one document per call, 4 in flight.
    headline = rates.get("grpc_4", rates.get(f"grpc_{levels[-1]}", nan) if levels else nan)
    parts = [
        f"upsert_chunks_per_s={headline:.1f}",
        f"sequential_chunks_per_s={rates.get('grpc_1', nan):.1f}",
        *(f"grpc_{n}_in_flight_chunks_per_s={rates[f'grpc_{n}']:.1f}" for n in levels),
        *(
            f"{name}_chunks_per_s={rates[key]:.1f}"
            for key, name in (
                ("local_1", "local_single"),
                ("local_batch", "batch"),
                ("local_batch_replace", "batch_replace"),
            )
            if key in rates
        ),
        f"chunks={total}",
        f"wall_s={time.perf_counter() - started:.1f}",
    ]
    print("RESULT " + " ".join(parts))


if __name__ == "__main__":
    main()

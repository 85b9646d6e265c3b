"""Embedding backends side by side: speed in-process and through the mesh, and quality.

    python -m bench.embed [--rounds 3] [--smoke]

For each backend (torch fp32 when torch is installed, ONNX Runtime fp32 and int8, OpenVINO int8)
at one thread and at the replica's default (its share of the cores):
- texts/s in-process for short inputs (SciFact questions, ~20 tokens) and long ones
  (SciFact abstracts, cut at 256 tokens), in batches of 32, rounds interleaved across
  backends, median of rounds; and the latency of one question alone (p50);
- through Envoy to one EmbeddingService replica running that backend: one question per
  call at 1 and 16 calls in flight, and 8 passages per call at 4 in flight;
- SciFact test nDCG@10 of dense and hybrid search over whole abstracts, through the
  vector store's own code (embedded Chroma, its BM25 and fusion), vectors of that backend.
The client shares the machine's cores with what it measures in the mesh rows (it is one
asyncio process; the in-process rows are the model alone). Last line:

RESULT torch_long_per_s=… best_long_per_s=… speedup_long=… speedup_short=…
       speedup_long_vs_shipped=… ndcg_delta_dense=… ndcg_delta_hybrid=…

where torch is torch fp32 at its faster thread count, best is the default backend at its
faster thread count, speedup_long_vs_shipped compares with torch on one thread (what a
replica ran before the ONNX backends), and the deltas are the default backend's nDCG@10
minus torch's.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc
import numpy as np
import numpy.typing as npt

from bench.harness import DATASET, median, percentile, running_mesh, table
from bench.scifact import SciFact, cached_embeddings, load
from mesh.local.supervisor import ServiceLaunch
from rag.v1 import embedding_pb2, embedding_pb2_grpc
from services.embedding.backends import BackendName, default_threads, vectors_id
from services.embedding.core import SentenceEncoder, build_encoder
from services.embedding.settings import EmbeddingSettings
from services.evaluation.retrieval_metrics import ndcg_at
from services.vector_store.core import (
    ChunkData,
    ChunkStore,
    DocumentInput,
    EmbeddedChunk,
    RetrievalMode,
    SearchQuery,
    UpsertRequest,
    open_client,
)
from services.vector_store.settings import VectorStoreSettings


@dataclass
class Speed:
    backend: str
    threads: int
    short_per_s: float
    long_per_s: float
    question_ms: float


def backends() -> list[BackendName]:
    names: list[BackendName] = ["openvino-int8", "onnx-int8", "onnx"]
    if importlib.util.find_spec("torch") is not None:
        names.append("torch")
    return names


def measure_in_process(
    names: Sequence[BackendName], shorts: list[str], longs: list[str], rounds: int
) -> list[Speed]:
    settings = EmbeddingSettings()
    thread_counts = sorted({1, default_threads(1)})
    encoders: dict[tuple[str, int], SentenceEncoder] = {}
    for name in names:
        for threads in thread_counts:
            encoders[name, threads] = build_encoder(settings, backend=name, threads=threads)
            encoders[name, threads].encode(longs[:8])  # warm-up
    samples: dict[tuple[str, int], tuple[list[float], list[float], list[float]]] = {
        key: ([], [], []) for key in encoders
    }
    for _ in range(rounds):  # interleaved: every backend in each round
        for key, encoder in encoders.items():
            if key[0] == "torch":  # torch's thread count is per process, not per model
                import torch

                torch.set_num_threads(key[1])
            short, long, single = samples[key]
            started = time.perf_counter()
            encoder.encode(shorts)
            short.append(len(shorts) / (time.perf_counter() - started))
            started = time.perf_counter()
            encoder.encode(longs)
            long.append(len(longs) / (time.perf_counter() - started))
            for question in shorts[:20]:
                started = time.perf_counter()
                encoder.encode([question])
                single.append((time.perf_counter() - started) * 1000)
    return [
        Speed(name, threads, median(short), median(long), median(single))
        for (name, threads), (short, long, single) in samples.items()
    ]


async def measure_mesh(
    name: BackendName, shorts: list[str], longs: list[str], seconds: float
) -> dict[str, float]:
    launch = ServiceLaunch(
        "rag.v1.EmbeddingService", "services.embedding", {"RAGMESH_EMBEDDING_BACKEND": name}
    )
    async with (
        running_mesh(services=[launch]) as mesh,
        grpc.aio.insecure_channel(mesh.envoy_address) as channel,
    ):
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        for text in shorts[:10]:  # warm-up
            await stub.Embed(embedding_pb2.EmbedRequest(texts=[text]), timeout=60)
        results: dict[str, float] = {}
        for label, batch, in_flight in (
            ("short_c1", 1, 1),
            ("short_c16", 1, 16),
            ("long_c4", 8, 4),
        ):
            pool = shorts if batch == 1 else longs
            latencies: list[float] = []
            done = 0
            deadline = time.perf_counter() + seconds

            async def caller(
                offset: int,
                pool: list[str] = pool,
                batch: int = batch,
                deadline: float = deadline,
                latencies: list[float] = latencies,
            ) -> None:
                nonlocal done
                i = offset
                while time.perf_counter() < deadline:
                    texts = [pool[(i + j) % len(pool)] for j in range(batch)]
                    i += batch * 17
                    started = time.perf_counter()
                    await stub.Embed(embedding_pb2.EmbedRequest(texts=texts), timeout=60)
                    latencies.append((time.perf_counter() - started) * 1000)
                    done += batch

            started = time.perf_counter()
            await asyncio.gather(*(caller(k * 7) for k in range(in_flight)))
            results[f"{label}_per_s"] = done / (time.perf_counter() - started)
            results[f"{label}_p50_ms"] = median(latencies)
            results[f"{label}_p99_ms"] = percentile(latencies, 99)
        return results


def quality(
    name: BackendName, data: SciFact, doc_ids: list[str], queries: list[str], folder: Path
) -> tuple[float, float]:
    """(dense, hybrid) test nDCG@10 over whole abstracts with this backend's vectors."""
    settings = EmbeddingSettings()
    encoder: SentenceEncoder | None = None

    def encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        nonlocal encoder
        encoder = encoder or build_encoder(settings, backend=name)
        return np.stack([e.vector for e in encoder.encode(list(texts))])

    docs = {d.id: d for d in data.corpus}
    model = vectors_id(settings.model_id, name)
    doc_vectors = cached_embeddings(
        model, [f"{docs[d].title} {docs[d].text}" for d in doc_ids], encode, "embed-docs"
    )
    query_vectors = cached_embeddings(
        model, [data.queries[q] for q in queries], encode, "embed-queries"
    )
    store_settings = VectorStoreSettings(persist_path=str(folder / name))
    store = ChunkStore(open_client(store_settings), store_settings)
    requests = []
    for doc_id, vector in zip(doc_ids, doc_vectors, strict=True):
        doc = docs[doc_id]
        chunk = ChunkData(
            id=f"{doc_id}#0", document_id=doc_id, position=0, text=doc.text, title=doc.title
        )
        requests.append(
            UpsertRequest(
                DocumentInput(doc_id, "0" * 64, title=doc.title),
                [EmbeddedChunk(chunk, vector.tolist())],
            )
        )
    for start in range(0, len(requests), 256):  # one write per 256 documents
        store.upsert_many(requests[start : start + 256])
    scores: dict[RetrievalMode, list[float]] = {RetrievalMode.DENSE: [], RetrievalMode.HYBRID: []}
    for query_id, vector in zip(queries, query_vectors, strict=True):
        for mode, values in scores.items():
            result = store.search(
                SearchQuery(
                    text=data.queries[query_id], embedding=vector.tolist(), mode=mode, top_k=10
                ),
                max_top_k=100,
            )
            ranked = list(dict.fromkeys(c.chunk.document_id for c in result.chunks))
            values.append(ndcg_at(ranked, data.qrels["test"][query_id], 10))
    return float(np.mean(scores[RetrievalMode.DENSE])), float(np.mean(scores[RetrievalMode.HYBRID]))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="per mesh measurement")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: the RESULT line only")
    args = parser.parse_args()
    started = time.perf_counter()
    data = load(DATASET)
    default: BackendName = EmbeddingSettings().backend
    names = backends()
    queries = sorted(data.qrels["test"], key=int)
    doc_ids = [d.id for d in data.corpus]
    shorts = [data.queries[q] for q in sorted(data.queries, key=int)][:256]
    longs = [f"{d.title}\n\n{d.text}" for d in data.corpus[:128]]
    if args.smoke:
        args.rounds, args.seconds = 1, 1.0
        shorts, longs, queries = shorts[:32], longs[:16], queries[:20]
        wanted = {d for q in queries for d in data.qrels["test"][q]}
        doc_ids = [d for i, d in enumerate(doc_ids) if i < 200 or d in wanted]

    speeds = measure_in_process(names, shorts, longs, args.rounds)
    print(
        table(
            ["backend", "threads", "short texts/s", "long texts/s", "one question ms"],
            [[s.backend, s.threads, s.short_per_s, s.long_per_s, s.question_ms] for s in speeds],
        ),
        flush=True,
    )
    mesh_rows = []
    for name in names:
        m = await measure_mesh(name, shorts, longs, args.seconds)
        mesh_rows.append(
            [
                name,
                m["short_c1_per_s"],
                m["short_c1_p50_ms"],
                m["short_c16_per_s"],
                m["short_c16_p99_ms"],
                m["long_c4_per_s"],
            ]
        )
    print()
    print(
        table(
            [
                "through Envoy",
                "1 q in flight /s",
                "p50 ms",
                "16 q in flight /s",
                "p99 ms",
                "8 passages x4 in flight /s",
            ],
            mesh_rows,
        ),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-embed-") as folder:
        ndcg = {name: quality(name, data, doc_ids, queries, Path(folder)) for name in names}
    print()
    print(
        table(
            ["backend", "dense nDCG@10", "hybrid nDCG@10"],
            [[name, dense, hybrid] for name, (dense, hybrid) in ndcg.items()],
        )
    )
    reference: BackendName = "torch" if "torch" in names else "onnx"
    if reference != "torch":
        print("torch is not installed: onnx fp32 (equal to torch to 1e-5) stands in for it")

    def best(name: str, field: str) -> float:
        return float(max(getattr(s, field) for s in speeds if s.backend == name))

    torch_long = best(reference, "long_per_s")
    # Today's shipped replica ran torch on one thread (RAGMESH_EMBEDDING_TORCH_THREADS=1).
    shipped_long = next(s.long_per_s for s in speeds if s.backend == reference and s.threads == 1)
    best_long = best(default, "long_per_s")
    speedup_short = best(default, "short_per_s") / best(reference, "short_per_s")
    print(f"\nwall time {time.perf_counter() - started:.0f} s")
    print(
        f"RESULT torch_long_per_s={torch_long:.1f} best_long_per_s={best_long:.1f} "
        f"speedup_long={best_long / torch_long:.2f} speedup_short={speedup_short:.2f} "
        f"speedup_long_vs_shipped={best_long / shipped_long:.2f} "
        f"ndcg_delta_dense={ndcg[default][0] - ndcg[reference][0]:+.4f} "
        f"ndcg_delta_hybrid={ndcg[default][1] - ndcg[reference][1]:+.4f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

"""Plain vs graph-assisted retrieval on the shipped multi-hop set (examples/multihop).

    python -m bench.multihop [--hops 2] [--smoke]

Each question needs two documents linked by an entity the question does not name. Both
arms use the services' own code in-process (no gRPC): the vector store's hybrid search
(``ChunkStore`` on an embedded Chroma in a temporary folder, real all-MiniLM-L6-v2
vectors, cached under ``.bench-cache/``) and, for the graph arm, GraphService's
extraction and traversal on a temporary SQLite file, its supporting chunks fused with the
retrieved ones by the gateway's own ``fuse`` (weighted RRF), as RagService.Ask does.
Documents are chunked by the document processor (defaults); a document ranks at its
best chunk. Reported: the share of questions with *both* supporting documents in the top
k, and mean per-document recall@k.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.harness import table
from bench.retrieval import Encoder
from rag.v1 import common_pb2
from services.common.chunking import ChunkingConfig, chunk_document
from services.common.fusion import fuse
from services.document_processor.parsing import parse
from services.evaluation.retrieval_metrics import recall_at
from services.gateway.graph_expansion import ExpansionSettings
from services.gateway.settings import GatewaySettings
from services.graph.core import ChunkInput, GraphService, TraverseQuery
from services.graph.settings import GraphSettings
from services.graph.store import UNRESTRICTED, GraphStore
from services.vector_store.core import (
    ChunkData,
    ChunkStore,
    DocumentInput,
    EmbeddedChunk,
    RetrievalMode,
    SearchQuery,
    open_client,
)
from services.vector_store.settings import VectorStoreSettings

DATA = Path(__file__).resolve().parents[1] / "examples" / "multihop"
DEPTHS = (5, 10)
HASH = "0" * 64


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    supporting: tuple[str, ...]


def load() -> tuple[list[dict[str, str]], list[Question]]:
    documents = [json.loads(line) for line in (DATA / "documents.jsonl").open() if line.strip()]
    questions = [
        Question(q["id"], q["question"], tuple(q["supporting_documents"]))
        for q in (json.loads(line) for line in (DATA / "questions.jsonl").open() if line.strip())
    ]
    return documents, questions


def chunks_of(document: dict[str, str]) -> list[ChunkData]:
    parsed = parse(document["text"].encode(), "text/plain")
    return [
        ChunkData(
            id=c.id,
            document_id=document["id"],
            position=c.position,
            text=c.text,
            title=document["title"],
            start_offset=c.start,
            end_offset=c.end,
        )
        for c in chunk_document(document["id"], parsed, ChunkingConfig())
    ]


def as_scored(chunks: Sequence[tuple[str, str]]) -> list[common_pb2.ScoredChunk]:
    return [
        common_pb2.ScoredChunk(chunk=common_pb2.Chunk(id=c, document_id=d), rank=i + 1)
        for i, (c, d) in enumerate(chunks)
    ]


def documents_in(chunks: Sequence[common_pb2.ScoredChunk], k: int) -> list[str]:
    """Documents of the first k chunks, best first."""
    return list(dict.fromkeys(c.chunk.document_id for c in chunks[:k]))


async def run(hops: int, smoke: bool = False) -> None:
    documents, questions = load()
    if smoke:  # a few questions over their own documents and as many others
        questions = questions[:4]
        needed = {d for q in questions for d in q.supporting}
        others = [d["id"] for d in documents if d["id"] not in needed][: len(needed)]
        documents = [d for d in documents if d["id"] in needed or d["id"] in others]
    chunks = [c for d in documents for c in chunks_of(d)]
    encoder = Encoder()
    vectors = encoder.cached([c.text for c in chunks], "multihop-chunks")
    query_vectors = encoder.cached([q.text for q in questions], "multihop-questions")
    with tempfile.TemporaryDirectory(prefix="bench-multihop-") as folder:
        settings = VectorStoreSettings(persist_path=str(Path(folder) / "chroma"))
        store = ChunkStore(open_client(settings), settings)
        row = 0
        for document in documents:
            mine = [c for c in chunks if c.document_id == document["id"]]
            embedded = [EmbeddedChunk(c, vectors[row + i].tolist()) for i, c in enumerate(mine)]
            row += len(mine)
            store.upsert(DocumentInput(document["id"], HASH, title=document["title"]), embedded)
        graph = GraphService(GraphStore(Path(folder) / "graph.sqlite3"), GraphSettings())
        counts = await graph.index_chunks(
            [ChunkInput(c.id, c.document_id, c.text) for c in chunks], replace_documents=True
        )
        fusion_k = GatewaySettings().fusion_k
        max_chunks = ExpansionSettings().max_chunks  # what Ask asks the graph for
        arms: dict[str, list[list[str]]] = {"plain": [], "graph": [], "graph only": []}
        seeded = 0
        for question, vector in zip(questions, query_vectors, strict=True):
            depth = max(DEPTHS)
            result = store.search(
                SearchQuery(
                    text=question.text,
                    embedding=vector.tolist(),
                    mode=RetrievalMode.HYBRID,
                    top_k=depth,
                )
            )
            plain = as_scored([(c.chunk.id, c.chunk.document_id) for c in result.chunks])
            traversal = await graph.traverse(
                TraverseQuery(question=question.text, max_hops=hops, max_chunks=max_chunks),
                UNRESTRICTED,
            )
            seeded += bool(traversal.seeds)
            from_graph = as_scored([(c.chunk_id, c.document_id) for c in traversal.chunks])
            arms["plain"].append(documents_in(plain, depth))
            arms["graph only"].append(documents_in(from_graph, depth))
            # Fused per depth, as Ask does with its top_k: fuse(top_k of each) -> top_k.
            fused = {k: fuse([plain[:k], from_graph], [1.0, 1.0], k, fusion_k) for k in DEPTHS}
            arms["graph"].append([f"{k}:{d}" for k in DEPTHS for d in documents_in(fused[k], k)])
        await graph.close()
    rows = []
    results: dict[str, float] = {}
    for name, ranked in arms.items():
        cells: list[object] = [name]
        for k in DEPTHS:
            both = recall = 0.0
            for question, docs in zip(questions, ranked, strict=True):
                top = (
                    [d.split(":", 1)[1] for d in docs if d.startswith(f"{k}:")]
                    if name == "graph"
                    else docs[:k]
                )
                supporting = dict.fromkeys(question.supporting, 1)
                recall += recall_at(top, supporting, k)
                both += all(d in top for d in question.supporting)
            cells += [both / len(questions), recall / len(questions)]
            results[f"{name}_both@{k}"] = both / len(questions)
        rows.append(cells)
    print(
        f"{len(documents)} documents, {len(chunks)} chunks, {len(questions)} questions; graph: "
        f"{counts.mentions} mentions, {counts.relations} relation occurrences, "
        f"{counts.new_entities} entities; {seeded}/{len(questions)} questions seeded; "
        f"max_hops={hops}"
    )
    header = ["retrieval"] + [f"{m}@{k}" for k in DEPTHS for m in ("both", "recall")]
    print(table(header, rows))
    print(
        f"RESULT plain_both@10={results['plain_both@10']:.3f} "
        f"graph_both@10={results['graph_both@10']:.3f} "
        f"plain_both@5={results['plain_both@5']:.3f} graph_both@5={results['graph_both@5']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hops", type=int, default=2, help="TraverseGraph max_hops (1-4)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes (seconds): checks that the bench runs and reports, not what it measures",
    )
    args = parser.parse_args()
    asyncio.run(run(args.hops, args.smoke))


if __name__ == "__main__":
    main()

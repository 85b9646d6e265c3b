"""Retrieval quality of the vector store on BEIR SciFact: dense, BM25, hybrid, chunked.

    python -m bench.retrieval --dataset ../shared/data/scifact [--quick | --smoke]

Everything runs through the store's own code (``ChunkStore`` on an embedded Chroma in a
temporary folder, its BM25 index, its reciprocal rank fusion); no gRPC. Documents are
upserted either whole (one chunk: the abstract, the title as the chunk's title) or chunked
by the document processor (``parse`` + ``chunk_document``, defaults); a document's score
is its best chunk's. Parameters are tuned on the train split only (809 queries) and
reported on the test split (300 queries). Embeddings (all-MiniLM-L6-v2) are cached under
``.bench-cache/``. Stores are filled with ``ChunkStore.upsert_many`` (batches of documents,
the store's batched write path); the BM25 variants of the whole-abstract store are rebuilt
from its Chroma, not re-upserted. The run prints where its time went and its wall time
(``wall_s`` in the RESULT line). ``--quick`` is a subset (minutes); ``--smoke`` a tiny one
(seconds once the model is built) that still prints every row and the RESULT line.

    python -m bench.retrieval --enhance none,prf,multi_query,hyde [--quick]

compares query enhancement instead (the QueryEnhancementService's own ``QueryEnhancer``,
fused the way the gateway fuses, over the store's default hybrid search on whole
abstracts), with a paired bootstrap p-value per strategy against ``none``. HyDE needs a
generative model (``RAGMESH_GENERATION_LOCAL_MODEL_PATH`` or ``..._OPENAI_BASE_URL``); without
one its row says why it was skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench import scifact
from services.common.chunking import ChunkingConfig, chunk_document
from services.common.fusion import reciprocal_rank_fusion
from services.document_processor.parsing import parse
from services.embedding.backends import vectors_id
from services.embedding.settings import EmbeddingSettings
from services.evaluation.retrieval_metrics import mrr_at, ndcg_at, recall_at
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

# Published nDCG@10 on the test split, from the dataset's README.
REFERENCE = {
    "bm25": "ref 0.679 Lucene flat, 0.687 bm25s",
    "dense": "ref 0.6451 / R@100 0.925 MiniLM (MTEB)",
    "hybrid": "ref 0.690 / R@100 0.954 bm25s+MiniLM RRF (issue 4)",
}
DEPTH = 100  # documents ranked per query (recall@100)
HASH = "0" * 64  # content hashes are irrelevant here
UPSERT_BATCH = 256  # documents per upsert_many call


class Phases:
    """Wall time per phase of the run, to show where it goes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def report(self, total: float) -> str:
        parts = [f"{name} {seconds:.0f} s" for name, seconds in self.seconds.items()]
        other = total - sum(self.seconds.values())
        return ", ".join([*parts, f"other {other:.0f} s"])


PHASES = Phases()


@dataclass
class Row:
    name: str
    ndcg: float
    recall: float
    reference: str = ""
    note: str = ""


@dataclass
class Corpus:
    data: scifact.SciFact
    docs: list[scifact.CorpusDoc]
    train: list[str]
    test: list[str]
    query_vectors: dict[str, npt.NDArray[np.float32]]


class Encoder:
    """The real encoder, loaded only on a cache miss."""

    def __init__(self) -> None:
        self._encoder: Any = None
        settings = EmbeddingSettings()
        # Vectors differ per backend (int8 is not fp32): the cache keeps them apart.
        self.model_id = vectors_id(settings.model_id, settings.backend)

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if self._encoder is None:
            from services.embedding.core import build_encoder

            self._encoder = build_encoder(EmbeddingSettings())
        return np.stack([e.vector for e in self._encoder.encode(list(texts))])

    def cached(self, texts: Sequence[str], label: str) -> npt.NDArray[np.float32]:
        with PHASES("embedding"):
            return scifact.cached_embeddings(self.model_id, texts, self, label)


WORKDIR = Path(tempfile.gettempdir())


def store_settings(**overrides: Any) -> VectorStoreSettings:
    folder = tempfile.mkdtemp(prefix="store-", dir=WORKDIR)
    return VectorStoreSettings(persist_path=folder, **overrides)


def build_store(
    settings: VectorStoreSettings,
    docs: Sequence[scifact.CorpusDoc],
    pieces: Callable[[scifact.CorpusDoc], list[ChunkData]],
    vectors: npt.NDArray[np.float32],
) -> ChunkStore:
    """Upsert every document through the store's batched upsert path."""
    with PHASES("store builds"):
        store = ChunkStore(open_client(settings), settings)
        requests: list[UpsertRequest] = []
        row = 0
        for doc in docs:
            chunks = pieces(doc)
            embedded = [EmbeddedChunk(c, vectors[row + i]) for i, c in enumerate(chunks)]
            row += len(chunks)
            requests.append(UpsertRequest(DocumentInput(doc.id, HASH, title=doc.title), embedded))
        assert row == len(vectors)
        for start in range(0, len(requests), UPSERT_BATCH):
            store.upsert_many(requests[start : start + UPSERT_BATCH])
        return store


def whole(doc: scifact.CorpusDoc) -> list[ChunkData]:
    return [
        ChunkData(id=f"{doc.id}#0", document_id=doc.id, position=0, text=doc.text, title=doc.title)
    ]


def chunked(doc: scifact.CorpusDoc) -> list[ChunkData]:
    parsed = parse(doc.text.encode("utf-8"), "text/plain")
    return [
        ChunkData(
            id=c.id,
            document_id=doc.id,
            position=c.position,
            text=c.text,
            title=doc.title,
            start_offset=c.start,
            end_offset=c.end,
        )
        for c in chunk_document(doc.id, parsed, ChunkingConfig())
    ]


def documents_from(chunks: Sequence[tuple[str, float]]) -> list[str]:
    """Best chunk decides: documents in order of their first (best) chunk."""
    return list(dict.fromkeys(doc for doc, _ in chunks))


def search_docs(
    store: ChunkStore,
    corpus: Corpus,
    query_id: str,
    mode: RetrievalMode,
    dense_weight: float = 0.0,
    keyword_weight: float = 0.0,
    embedding: npt.NDArray[np.float32] | None = None,
    top_k: int = DEPTH,
) -> list[str]:
    vector = corpus.query_vectors[query_id] if embedding is None else embedding
    result = store.search(
        SearchQuery(
            text=corpus.data.queries[query_id],
            embedding=vector.tolist() if mode.needs_dense else None,
            mode=mode,
            dense_weight=dense_weight,
            keyword_weight=keyword_weight,
            top_k=top_k,
        ),
        max_top_k=1000,
    )
    return documents_from([(c.chunk.document_id, c.score) for c in result.chunks])


def evaluate(corpus: Corpus, split: str, rank: Callable[[str], list[str]]) -> tuple[float, float]:
    queries = corpus.train if split == "train" else corpus.test
    judged = corpus.data.qrels[split]
    ndcg = recall = 0.0
    for q in queries:
        ranked = rank(q)
        ndcg += ndcg_at(ranked, judged[q], 10)
        recall += recall_at(ranked, judged[q], DEPTH)
    return ndcg / len(queries), recall / len(queries)


def chunk_depth(store: ChunkStore) -> int:
    """Chunks to ask for so that about DEPTH distinct documents come back."""
    docs = len(store.keyword.versions()) or 1
    return min(1000, int(DEPTH * store.keyword.chunk_count / docs * 1.5) + 10)


# ---- tuning on train (the store's own BM25 and fusion, candidate lists computed once) ----


def tune_bm25(store: ChunkStore, corpus: Corpus, depth: int) -> tuple[float, float, float]:
    best = (-1.0, store.keyword.k1, store.keyword.b)
    judged = corpus.data.qrels["train"]
    for k1, b in itertools.product((0.6, 0.9, 1.2, 1.5), (0.4, 0.6, 0.75, 0.9)):
        store.keyword.k1, store.keyword.b = k1, b
        total = 0.0
        for q in corpus.train:
            hits = store.keyword.search(corpus.data.queries[q], depth)
            ranked = documents_from([(h.entry.document_id, h.score) for h in hits])
            total += ndcg_at(ranked, judged[q], 10)
        score = total / len(corpus.train)
        if score > best[0]:
            best = (score, k1, b)
    return best


def tune_fusion(store: ChunkStore, corpus: Corpus, top_k: int) -> tuple[float, float, float]:
    """(train nDCG@10, keyword weight with dense weight 1, rrf k) of the best weighted RRF."""
    settings = store.settings
    wanted = max(top_k * settings.candidates_per_result, settings.min_candidates)
    lists: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {}
    for q in corpus.train:
        dense = store.search(
            SearchQuery(
                text=corpus.data.queries[q],
                embedding=corpus.query_vectors[q].tolist(),
                mode=RetrievalMode.DENSE,
                top_k=wanted,
            ),
            max_top_k=wanted,
        )
        keyword = store.search(
            SearchQuery(text=corpus.data.queries[q], mode=RetrievalMode.KEYWORD, top_k=wanted),
            max_top_k=wanted,
        )
        lists[q] = (
            [(c.chunk.id, c.chunk.document_id) for c in dense.chunks],
            [(c.chunk.id, c.chunk.document_id) for c in keyword.chunks],
        )
    judged = corpus.data.qrels["train"]
    best = (-1.0, 1.0, settings.rrf_k)
    for weight, k in itertools.product(
        (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0), (5.0, 10.0, 20.0, 40.0, 60.0, 100.0)
    ):
        total = 0.0
        for q, (dense_list, keyword_list) in lists.items():
            doc_of = dict(dense_list) | dict(keyword_list)
            fused = reciprocal_rank_fusion(
                [([c for c, _ in dense_list], 1.0), ([c for c, _ in keyword_list], weight)], k
            )
            order = sorted(fused, key=lambda c: (-fused[c], c))[:top_k]
            ranked = documents_from([(doc_of[c], fused[c]) for c in order])
            total += ndcg_at(ranked, judged[q], 10)
        score = total / len(lists)
        if score > best[0]:
            best = (score, weight, k)
    return best


# ---- the benchmark ----------------------------------------------------------------------


# (train queries, test queries, documents besides the judged ones) of the subsets
SUBSETS = {"quick": (100, 60, 800), "smoke": (20, 20, 150)}


def load_corpus(dataset: Path, subset: str, encoder: Encoder) -> Corpus:
    data = scifact.load(dataset)
    train = sorted(data.qrels["train"], key=int)
    test = sorted(data.qrels["test"], key=int)
    docs = data.corpus
    ids = sorted(data.queries)
    if subset:
        train_n, test_n, docs_n = SUBSETS[subset]
        train, test = train[:train_n], test[:test_n]
        needed = {d for q in train for d in data.qrels["train"][q]}
        needed |= {d for q in test for d in data.qrels["test"][q]}
        docs = [d for i, d in enumerate(docs) if i < docs_n or d.id in needed]
        ids = sorted({*train, *test})
    vectors = encoder.cached([data.queries[q] for q in ids], "queries")
    return Corpus(data, docs, train, test, dict(zip(ids, vectors, strict=True)))


def main(argv: Sequence[str] | None = None) -> None:
    global WORKDIR
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as folder:
        WORKDIR = Path(folder)
        run(argv)


def run(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=Path("../shared/data/scifact"))
    parser.add_argument("--quick", action="store_true", help="a subset (minutes)")
    parser.add_argument("--smoke", action="store_true", help="a tiny subset (seconds)")
    parser.add_argument(
        "--enhance",
        default="",
        help="compare query enhancement instead: comma-separated of none,prf,multi_query,hyde",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    encoder = Encoder()
    subset = "smoke" if args.smoke else "quick" if args.quick else ""
    corpus = load_corpus(args.dataset, subset, encoder)
    if args.enhance:
        run_enhancement(corpus, encoder, args.enhance.split(","), bool(subset), started)
        return
    docs = corpus.docs
    print(
        f"SciFact: {len(docs)} documents, {len(corpus.train)} train / {len(corpus.test)} test "
        f"queries{f' ({subset} subset)' if subset else ''}",
        flush=True,
    )
    whole_vectors = encoder.cached([d.title + " " + d.text for d in docs], "docs")
    pieces = {d.id: chunked(d) for d in docs}
    chunk_vectors = encoder.cached([c.text for d in docs for c in pieces[d.id]], "chunks")
    titled_vectors = encoder.cached(
        [d.title + ". " + c.text for d in docs for c in pieces[d.id]], "titled-chunks"
    )
    print(f"  {sum(len(p) for p in pieces.values())} chunks with the processor's defaults")

    rows: list[Row] = []

    def add(
        name: str,
        rank: Callable[[str], list[str]],
        base: Row | None = None,
        step: str = "",
        reference: str = "",
        recall_applies: bool = True,
    ) -> Row:
        with PHASES("test rows"):
            ndcg, recall = evaluate(corpus, "test", rank)
        note = f"{step} {ndcg - base.ndcg:+.4f} vs #{rows.index(base) + 1}" if base else step
        row = Row(name, ndcg, recall if recall_applies else float("nan"), reference, note)
        rows.append(row)
        print(f"  {name:<50} nDCG@10 {ndcg:.4f}  R@100 {recall:.4f}", flush=True)
        return row

    # 1. Whole abstracts, one chunk each; plain BM25 (no stemming, no title).
    base = store_settings(bm25_title_repeats=0, bm25_stemming=False)
    t0 = time.perf_counter()
    whole_store = build_store(base, docs, whole, whole_vectors)
    print(f"  upserted {len(docs)} documents in {time.perf_counter() - t0:.0f} s", flush=True)
    dense = RetrievalMode.DENSE
    keyword = RetrievalMode.KEYWORD
    hybrid = RetrievalMode.HYBRID

    def ranker(store: ChunkStore, mode: RetrievalMode, **kw: Any) -> Callable[[str], list[str]]:
        return lambda q: search_docs(store, corpus, q, mode, **kw)

    dense_row = add(
        "dense, whole doc (title + text)", ranker(whole_store, dense), reference=REFERENCE["dense"]
    )
    plain_bm25 = add("BM25 plain (text, no stemming, k1 1.2 b 0.75)", ranker(whole_store, keyword))
    plain_hybrid = add(
        "hybrid: RRF k 60, 1:1 of the two above",
        ranker(whole_store, hybrid),
        plain_bm25,
        "fusion",
        REFERENCE["hybrid"],
    )

    # 2. BM25 with stemming and the title indexed: rebuilt from Chroma (the start-up path).
    def reindexed(source: ChunkStore, **overrides: Any) -> ChunkStore:
        with PHASES("BM25 rebuilds"):
            settings = source.settings.model_copy(update=overrides)
            store = ChunkStore(open_client(settings), settings)
            store.sync_keyword_index(full=True)
            return store

    stemmed = reindexed(whole_store, bm25_stemming=True)
    stem_row = add(
        "BM25 + Porter stemming",
        ranker(stemmed, keyword),
        plain_bm25,
        "stemming",
        REFERENCE["bm25"],
    )
    titled = reindexed(whole_store, bm25_stemming=True, bm25_title_repeats=1)
    title_row = add("BM25 + stemming + title", ranker(titled, keyword), stem_row, "title in BM25")
    default_hybrid = add(
        "hybrid: RRF k 60, 1:1 (store defaults)",
        ranker(titled, hybrid),
        plain_hybrid,
        "stemming+title",
    )

    # 3. Tuning on train: BM25 title repeats, k1, b; then fusion weight and RRF k.
    t0 = time.perf_counter()
    # k1 and b only weigh the index at search time: one index per title repeat count (the
    # stemmed + title index above is the first), the winner kept as the tuned store.
    best_bm25 = (-1.0, 1.2, 0.75, 1)
    candidates = {1: titled}
    for repeats in (1, 2, 3):
        if repeats not in candidates:
            candidates[repeats] = reindexed(
                whole_store, bm25_stemming=True, bm25_title_repeats=repeats
            )
        with PHASES("tuning on train"):
            score, k1, b = tune_bm25(candidates[repeats], corpus, DEPTH)
        if score > best_bm25[0]:
            best_bm25 = (score, k1, b, repeats)
    _, k1, b, repeats = best_bm25
    tuned = candidates[repeats]
    tuned.keyword.k1, tuned.keyword.b = k1, b
    tuned.settings = tuned.settings.model_copy(update={"bm25_k1": k1, "bm25_b": b})
    print(
        f"  tuned BM25 on train: k1 {k1}, b {b}, title x{repeats} "
        f"(train nDCG@10 {best_bm25[0]:.4f}, {time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
    tuned_bm25 = add(
        f"BM25 tuned (k1 {k1}, b {b}, title x{repeats})",
        ranker(tuned, keyword),
        title_row,
        "BM25 params",
    )
    tuned_bm25_hybrid = add(
        "hybrid: RRF k 60, 1:1 with tuned BM25",
        ranker(tuned, hybrid),
        default_hybrid,
        "BM25 params",
    )
    with PHASES("tuning on train"):
        score, weight, rrf_k = tune_fusion(tuned, corpus, DEPTH)
    print(f"  tuned fusion on train: keyword weight {weight}, k {rrf_k} (train {score:.4f})")
    tuned.settings = tuned.settings.model_copy(update={"rrf_k": rrf_k})
    hybrid_row = add(
        f"hybrid tuned: dense 1 : BM25 {weight}, k {rrf_k:g}",
        ranker(tuned, hybrid, keyword_weight=weight),
        tuned_bm25_hybrid,
        "fusion weights",
    )

    # 4. Chunked pipeline (document processor defaults), document = best chunk.
    t0 = time.perf_counter()
    tuned_overrides = {
        "bm25_stemming": True,
        "bm25_title_repeats": repeats,
        "bm25_k1": k1,
        "bm25_b": b,
        "rrf_k": rrf_k,
    }
    plain_chunks = build_store(
        store_settings(**tuned_overrides), docs, lambda d: pieces[d.id], chunk_vectors
    )
    titled_chunks = build_store(
        store_settings(**tuned_overrides), docs, lambda d: pieces[d.id], titled_vectors
    )
    print(f"  built the chunked stores in {time.perf_counter() - t0:.0f} s", flush=True)
    depth = chunk_depth(plain_chunks)
    plain_chunk_row = add(
        "chunked: dense, chunk text",
        ranker(plain_chunks, dense, top_k=depth),
        dense_row,
        "chunking",
    )
    add(
        "chunked: dense, title + chunk text",
        ranker(titled_chunks, dense, top_k=depth),
        plain_chunk_row,
        "title in vectors",
    )
    add(
        "chunked: BM25 (tuned)", ranker(titled_chunks, keyword, top_k=depth), tuned_bm25, "chunking"
    )
    chunked_row = add(
        f"chunked: hybrid tuned (BM25 {weight}, k {rrf_k:g})",
        ranker(titled_chunks, hybrid, keyword_weight=weight, top_k=depth),
        hybrid_row,
        "chunking",
    )

    # 5. The headline pipeline is chosen on train, never on test.
    with PHASES("tuning on train"):
        whole_train, _ = evaluate(corpus, "train", ranker(tuned, hybrid, keyword_weight=weight))
        chunked_train, _ = evaluate(
            corpus, "train", ranker(titled_chunks, hybrid, keyword_weight=weight, top_k=depth)
        )
    chosen = hybrid_row if whole_train >= chunked_train else chunked_row
    print(
        f"  train nDCG@10: whole-doc hybrid {whole_train:.4f}, chunked hybrid "
        f"{chunked_train:.4f} -> RESULT reports '{chosen.name}'",
        flush=True,
    )
    # What a default request (top_k 10, so 50 candidates per list) gets from the same store.
    store_for_chosen = tuned if chosen is hybrid_row else titled_chunks
    default_k = store_for_chosen.settings.default_top_k
    add(
        f"same, answering top_k={default_k} requests",
        ranker(store_for_chosen, hybrid, keyword_weight=weight, top_k=default_k),
        chosen,
        f"{4 * default_k}-deep lists",
        recall_applies=False,
    )

    elapsed = time.perf_counter() - started
    print()
    print(
        f"{'#':>2} {f'system (test split, {len(corpus.test)} queries)':<50} {'nDCG@10':>7} "
        f"{'R@100':>6}  step: what it adds (nDCG@10) | reference"
    )
    for number, row in enumerate(rows, start=1):
        recall = f"{'-':>6}" if row.recall != row.recall else f"{row.recall:6.4f}"
        tail = " | ".join(x for x in (row.note, row.reference) if x)
        print(f"{number:>2} {row.name:<50} {row.ndcg:7.4f} {recall}  {tail}")
    print(f"(total {elapsed:.0f} s: {PHASES.report(elapsed)})")
    print(f"wall time {elapsed:.1f} s")
    print(
        f"RESULT hybrid_ndcg10={chosen.ndcg:.4f} hybrid_recall100={chosen.recall:.4f} "
        f"dense_ndcg10={dense_row.ndcg:.4f} bm25_ndcg10={tuned_bm25.ndcg:.4f} "
        f"wall_s={elapsed:.1f}"
    )


# ---- query enhancement (--enhance) ----------------------------------------------------------

ENHANCEMENTS = ("none", "prf", "multi_query", "hyde")
MRR_K = 10


@dataclass
class EnhancementRow:
    name: str
    ndcg: float = float("nan")
    recall: float = float("nan")
    mrr: float = float("nan")
    queries_per_question: float = float("nan")
    delta: float = float("nan")
    p_value: float = float("nan")
    note: str = ""


def paired_bootstrap_p(diffs: Sequence[float], resamples: int = 10_000, seed: int = 7) -> float:
    """Two-sided p-value for "mean paired difference is 0" (bootstrap shifted to the null)."""
    data = np.asarray(diffs, dtype=np.float64)
    observed = float(data.mean())
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    extreme = int(np.count_nonzero(np.abs(means - observed) >= abs(observed)))
    return min(1.0, (extreme + 1) / (resamples + 1))


def run_enhancement(
    corpus: Corpus, encoder: Encoder, wanted: Sequence[str], quick: bool, started: float
) -> None:
    import asyncio

    from services.generation.__main__ import build as build_generator
    from services.generation.settings import GenerationSettings
    from services.query_enhancement.core import Feedback, QueryEnhancer, Strategy
    from services.runtime.errors import DomainError

    names = [n.strip() for n in wanted if n.strip()]
    unknown = set(names) - set(ENHANCEMENTS)
    if unknown:
        raise SystemExit(f"unknown --enhance values {sorted(unknown)}; use {ENHANCEMENTS}")
    if "none" not in names:
        names.insert(0, "none")  # the baseline every delta refers to
    docs = corpus.docs
    print(
        f"SciFact: {len(docs)} documents, {len(corpus.test)} test queries"
        f"{' (quick subset)' if quick else ''}; enhancement: {', '.join(names)}",
        flush=True,
    )
    vectors = encoder.cached([d.title + " " + d.text for d in docs], "docs")
    store = build_store(store_settings(), docs, whole, vectors)  # the store's defaults
    text_vectors = {corpus.data.queries[q]: corpus.query_vectors[q] for q in corpus.test}
    judged = corpus.data.qrels["test"]
    generator = build_generator(GenerationSettings())

    def hybrid(text: str, vector: Sequence[float] | None, top_k: int) -> list[tuple[str, str]]:
        result = store.search(
            SearchQuery(
                text=text,
                embedding=list(vector) if vector is not None else None,
                mode=RetrievalMode.HYBRID if vector is not None else RetrievalMode.KEYWORD,
                top_k=top_k,
            ),
            max_top_k=1000,
        )
        return [(c.chunk.id, c.chunk.document_id) for c in result.chunks]

    async def feedback(text: str, k: int) -> list[Feedback]:
        # What QueryEnhancementService's PRF asks the store for: the question's top chunks.
        result = store.search(
            SearchQuery(
                text=text, embedding=text_vectors[text].tolist(), mode=RetrievalMode.HYBRID, top_k=k
            ),
            max_top_k=1000,
        )
        return [Feedback(c.chunk.text, c.score) for c in result.chunks]

    async def hypothesize(question: str) -> str:
        answer = await generator.hypothetical_document(question, 128, None)
        return answer.text

    async def embed(texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in encoder(texts)]

    enhancer = QueryEnhancer(feedback, hypothesize, embed)
    strategy = {
        "prf": Strategy.PSEUDO_RELEVANCE_FEEDBACK,
        "multi_query": Strategy.MULTI_QUERY,
        "hyde": Strategy.HYDE,
    }
    per_query: dict[str, list[float]] = {}
    rows: list[EnhancementRow] = []
    for name in names:
        t0 = time.perf_counter()
        row = EnhancementRow(name)
        rows.append(row)
        try:
            if name == "none":
                plans = {
                    q: [(corpus.data.queries[q], 1.0, corpus.query_vectors[q].tolist())]
                    for q in corpus.test
                }
            else:

                async def enhance_all(kind: Strategy) -> dict[str, Any]:
                    out = {}
                    for q in corpus.test:
                        out[q] = await enhancer.enhance(corpus.data.queries[q], [kind])
                    return out

                enhanced = asyncio.run(enhance_all(strategy[name]))
                # New query texts are embedded in one cached batch (the original ones are known).
                fresh = sorted(
                    {
                        w.text
                        for e in enhanced.values()
                        for w in e.queries
                        if not w.embedding and w.text not in text_vectors
                    }
                )
                fresh_vectors = (
                    dict(zip(fresh, encoder.cached(fresh, f"enhanced-{name}"), strict=True))
                    if fresh
                    else {}
                )
                plans = {
                    q: [
                        (
                            w.text,
                            w.weight,
                            w.embedding
                            or (text_vectors.get(w.text, fresh_vectors.get(w.text))).tolist(),  # type: ignore[union-attr]
                        )
                        for w in e.queries
                    ]
                    for q, e in enhanced.items()
                }
        except DomainError as error:
            row.note = f"skipped: {error.message}"
            print(f"  {name:<12} {row.note}", flush=True)
            continue
        ndcgs: list[float] = []
        recalls: list[float] = []
        mrrs: list[float] = []
        for q in corpus.test:
            lists = [(hybrid(text, vector, DEPTH), weight) for text, weight, vector in plans[q]]
            if len(lists) == 1:
                ranked = documents_from([(d, 0.0) for _, d in lists[0][0]])
            else:
                # The gateway's fusion: weighted RRF over chunk ids (k 60), best chunk per doc.
                doc_of = {c: d for chunk_list, _ in lists for c, d in chunk_list}
                fused = reciprocal_rank_fusion(
                    [([c for c, _ in chunk_list], weight) for chunk_list, weight in lists], 60.0
                )
                order = sorted(fused, key=lambda c: (-fused[c], c))[:DEPTH]
                ranked = documents_from([(doc_of[c], fused[c]) for c in order])
            ndcgs.append(ndcg_at(ranked, judged[q], 10))
            recalls.append(recall_at(ranked, judged[q], DEPTH))
            mrrs.append(mrr_at(ranked, judged[q], MRR_K))
        per_query[name] = ndcgs
        row.ndcg = float(np.mean(ndcgs))
        row.recall = float(np.mean(recalls))
        row.mrr = float(np.mean(mrrs))
        row.queries_per_question = float(np.mean([len(p) for p in plans.values()]))
        if name != "none":
            diffs = [a - b for a, b in zip(ndcgs, per_query["none"], strict=True)]
            row.delta = float(np.mean(diffs))
            row.p_value = paired_bootstrap_p(diffs)
            direction = "better" if row.delta > 0 else "worse"
            row.note = (
                f"significantly {direction} (p < 0.05)"
                if row.p_value < 0.05
                else "no significant difference"
            )
        print(
            f"  {name:<12} nDCG@10 {row.ndcg:.4f}  R@100 {row.recall:.4f}  "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )

    def cell(value: float, fmt: str) -> str:
        return "-" if value != value else format(value, fmt)

    print()
    print(
        f"{'enhancement':<12} {'nDCG@10':>7} {'R@100':>6} {'MRR@10':>6} {'queries':>7} "
        f"{'dnDCG':>7} {'p':>6}  verdict (paired bootstrap vs none, test split)"
    )
    for row in rows:
        print(
            f"{row.name:<12} {cell(row.ndcg, '7.4f'):>7} {cell(row.recall, '6.4f'):>6} "
            f"{cell(row.mrr, '6.4f'):>6} {cell(row.queries_per_question, '7.1f'):>7} "
            f"{cell(row.delta, '+7.4f'):>7} {cell(row.p_value, '6.4f'):>6}  {row.note}"
        )
    wall = time.perf_counter() - started
    print(f"(total {wall:.0f} s: {PHASES.report(wall)})")
    parts = []
    for row in rows:
        if row.ndcg == row.ndcg:
            parts.append(f"{row.name}_ndcg10={row.ndcg:.4f}")
            if row.name != "none":
                parts.append(f"{row.name}_p={row.p_value:.4f}")
        else:
            parts.append(f"{row.name}=skipped")
    print("RESULT " + " ".join([*parts, f"wall_s={wall:.1f}"]))


if __name__ == "__main__":
    main()

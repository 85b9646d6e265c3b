"""Retrieval quality of the vector store on BEIR SciFact: dense, BM25, hybrid, each idea.

    python -m bench.retrieval --dataset ../shared/data/scifact [--quick | --smoke]

Everything runs through the store's own code (``ChunkStore`` on an embedded Chroma in a
temporary folder, its BM25 index, ``ChunkSearch.candidates`` for the two candidate lists,
and services/common/fusion.py to fuse them). Each store's candidate lists are fetched once
per query, without chunk text, and then ranked every way a row needs, so tuning is cheap.
Documents are upserted whole (one chunk: the abstract, titled) or chunked by the document
processor (defaults; title + chunk text embedded). Wherever documents are ranked, a
document takes one place, at its best chunk: its other chunks cannot crowd other documents
out of the top 100.

Rows (test split, 300 queries): dense, BM25, the hybrid that was the store's default until
now (RRF k 60, 1:1: the baseline), RRF tuned on train, score fusion (z-scores, 1:1: the
store's default now), its weight tuned on train, BM25 tuned on train (title repeats, k1,
b), the chunked store (dense, BM25, hybrid, documents fused instead of chunks), dense
pseudo-relevance feedback (Rocchio), and what a default top_k=10 request returns. Each row
shows train nDCG@10 too (what tuning and choosing looked at), test nDCG@10, recall@100,
MRR@10, and the paired bootstrap p-value of its test nDCG@10 against the baseline. Tuned
values are SciFact's taste, never a default. The RESULT line reports the store's default
hybrid on whole documents against the baseline on the same store (like for like, and like
the published figures: one vector per document); the chunked rows show the same change on
chunks: ``RESULT hybrid_ndcg10= hybrid_recall100= baseline_ndcg10= p_value= wall_s=``.

Embeddings (all-MiniLM-L6-v2, the configured backend) are cached under ``.bench-cache/``;
the run prints where its time went and its wall time. ``--quick`` is a subset (minutes);
``--smoke`` a tiny one (seconds once the model is built) that still prints every row and
the RESULT line.

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
import functools
import itertools
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench import scifact
from services.common.chunking import ChunkingConfig, chunk_document
from services.common.fusion import by_document, reciprocal_rank_fusion, score_fusion
from services.document_processor.parsing import parse
from services.embedding.backends import vectors_id
from services.embedding.settings import EmbeddingSettings
from services.evaluation.retrieval_metrics import mrr_at, ndcg_at, recall_at
from services.vector_store.core import (
    UNRESTRICTED,
    ChunkData,
    ChunkStore,
    DocumentInput,
    EmbeddedChunk,
    RetrievalMode,
    SearchQuery,
    UpsertRequest,
    open_client,
    plan_search,
)
from services.vector_store.settings import VectorStoreSettings

# Published nDCG@10 on the test split, from the dataset's README.
REFERENCE = {
    "bm25": "ref 0.679 Lucene flat, 0.687 bm25s",
    "dense": "ref 0.6451 / R@100 0.925 MiniLM (MTEB)",
    "hybrid": "ref 0.690 / R@100 0.954 bm25s+MiniLM RRF (issue 4)",
}
DEPTH = 100  # documents ranked per query (recall@100)
MRR_K = 10
HASH = "0" * 64  # content hashes are irrelevant here
UPSERT_BATCH = 256  # documents per upsert_many call
KEYWORD_WEIGHTS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # tried on train, dense weight 1
RRF_KS = (5.0, 10.0, 20.0, 60.0)
ROCCHIO = (3, 0.5)  # dense PRF: feedback documents, weight of their centroid (not tuned)
OLD_BM25 = (1.2, 0.75)  # k1, b of the store's defaults before score fusion


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
class Scores:
    """Per-query metrics of one system on one split (query order of the split)."""

    ndcg: npt.NDArray[np.float64]
    recall: npt.NDArray[np.float64]
    mrr: npt.NDArray[np.float64]


@dataclass
class Row:
    name: str
    test: Scores
    train_ndcg: float = float("nan")
    note: str = ""
    reference: str = ""
    recall_applies: bool = True


@dataclass
class Corpus:
    data: scifact.SciFact
    docs: list[scifact.CorpusDoc]
    train: list[str]
    test: list[str]
    query_vectors: dict[str, npt.NDArray[np.float32]]

    def queries(self, split: str) -> list[str]:
        return self.train if split == "train" else self.test


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


def reindexed(source: ChunkStore, **overrides: Any) -> ChunkStore:
    """The same Chroma with another BM25 index, rebuilt from it (the start-up path)."""
    with PHASES("BM25 rebuilds"):
        settings = source.settings.model_copy(update=overrides)
        store = ChunkStore(open_client(settings), settings)
        store.sync_keyword_index(full=True)
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


def documents_from(document_ids: Iterable[str]) -> list[str]:
    """Documents in order of their first (best) chunk, at most DEPTH."""
    return list(dict.fromkeys(document_ids))[:DEPTH]


# ---- candidate lists, fetched once per store and ranked many ways -------------------------


@dataclass
class Candidates:
    """One query's dense and keyword candidates from a store, best first, without text."""

    dense: list[tuple[str, float]]  # (record key, cosine)
    keyword: list[tuple[str, float]]  # (record key, BM25)
    document_of: dict[str, str]


def gather(
    store: ChunkStore,
    corpus: Corpus,
    queries: Sequence[str],
    mode: RetrievalMode = RetrievalMode.HYBRID,
    vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
) -> dict[str, Candidates]:
    """The lists the store's hybrid search fuses for a top-DEPTH request (``candidates``,
    the store's own code), chunk text left unread."""
    out: dict[str, Candidates] = {}
    with PHASES("candidate lists"):
        for q in queries:
            vector = (vectors or corpus.query_vectors)[q]
            plan = plan_search(
                SearchQuery(
                    text=corpus.data.queries[q],
                    embedding=vector.tolist() if mode.needs_dense else None,
                    mode=mode,
                    top_k=DEPTH,
                ),
                store.settings,
                max_top_k=1000,
            )
            dense, keyword = store.candidates(plan, UNRESTRICTED, with_text=False)
            out[q] = Candidates(
                [(c.key, c.dense_score) for c in dense],
                [(c.key, c.keyword_score) for c in keyword],
                {c.key: c.document_id for c in [*dense, *keyword]},
            )
    return out


def exact_lists(
    store: ChunkStore,
    corpus: Corpus,
    queries: Sequence[str],
    chunks: Sequence[ChunkData],
    vectors: npt.NDArray[np.float32],
) -> dict[str, Candidates]:
    """Candidate lists without Chroma, for the train split (tuning and choosing): the exact
    cosine top of the very vectors the store holds (its HNSW index returns the same at
    this size, bar near-ties) and the store's own BM25 index. Test lists come from the
    store (``gather``); ``agreement`` shows how close the two are."""
    settings = store.settings
    wanted = min(len(chunks), max(DEPTH * settings.candidates_per_result, settings.min_candidates))
    versions = store.keyword.versions()
    keys = [f"{c.id}@{versions[c.document_id]}" for c in chunks]
    document_of = {key: c.document_id for key, c in zip(keys, chunks, strict=True)}
    out: dict[str, Candidates] = {}
    with PHASES("candidate lists"):
        for start in range(0, len(queries), 64):
            batch = queries[start : start + 64]
            cosines = np.stack([corpus.query_vectors[q] for q in batch]) @ vectors.T
            nearest = np.argpartition(-cosines, wanted - 1, axis=1)[:, :wanted]
            for row, q in enumerate(batch):
                top = nearest[row][np.argsort(-cosines[row, nearest[row]], kind="stable")]
                hits = store.keyword.search(corpus.data.queries[q], wanted)
                out[q] = Candidates(
                    [(keys[i], float(cosines[row, i])) for i in top],
                    [(h.entry.key, h.score) for h in hits],
                    document_of,
                )
    return out


def candidate_lists(
    store: ChunkStore,
    corpus: Corpus,
    chunks: Sequence[ChunkData],
    vectors: npt.NDArray[np.float32],
) -> dict[str, Candidates]:
    """Train lists computed exactly (``exact_lists``), test lists from the store; prints how
    many test queries' fused top 10 would differ had they been computed exactly too."""
    lists = exact_lists(store, corpus, corpus.train, chunks, vectors)
    tested = gather(store, corpus, corpus.test)
    exact = exact_lists(store, corpus, corpus.test, chunks, vectors)
    differ = sum(chunk_fusion(tested[q])[:10] != chunk_fusion(exact[q])[:10] for q in corpus.test)
    print(
        f"  exact vs the store's candidate lists: fused top 10 differs for {differ} of "
        f"{len(corpus.test)} test queries",
        flush=True,
    )
    return lists | tested


def with_keyword(dense: Candidates, keyword: Candidates) -> Candidates:
    return Candidates(dense.dense, keyword.keyword, dense.document_of | keyword.document_of)


def dense_only(c: Candidates) -> list[str]:
    return documents_from(c.document_of[key] for key, _ in c.dense)


def keyword_only(c: Candidates) -> list[str]:
    return documents_from(c.document_of[key] for key, _ in c.keyword)


def chunk_fusion(
    c: Candidates, keyword_weight: float = 1.0, method: str = "score", k: float = 60.0
) -> list[str]:
    """The store's hybrid search: chunks fused (``ChunkSearch.fuse``'s functions), then
    each document ranked by its best chunk over every fused candidate."""
    if method == "score":
        scores = score_fusion([(dict(c.dense), 1.0), (dict(c.keyword), keyword_weight)])
    else:
        scores = reciprocal_rank_fusion(
            [([key for key, _ in c.dense], 1.0), ([key for key, _ in c.keyword], keyword_weight)],
            k,
        )
    order = sorted(scores, key=lambda key: (-scores[key], key))
    return documents_from(c.document_of[key] for key in order)


def document_fusion(c: Candidates, keyword_weight: float = 1.0) -> list[str]:
    """Documents fused instead of chunks: in each list a document scores its best chunk
    (``by_document``), so a document's many chunks take one place in each list."""
    dense = {d: s for d, s, _ in by_document(c.dense, c.document_of)}
    keyword = {d: s for d, s, _ in by_document(c.keyword, c.document_of)}
    scores = score_fusion([(dense, 1.0), (keyword, keyword_weight)])
    return sorted(scores, key=lambda d: (-scores[d], d))[:DEPTH]


def measure(corpus: Corpus, split: str, ranked: Mapping[str, list[str]]) -> Scores:
    queries = corpus.queries(split)
    judged = corpus.data.qrels[split]
    return Scores(
        np.array([ndcg_at(ranked[q], judged[q], 10) for q in queries]),
        np.array([recall_at(ranked[q], judged[q], DEPTH) for q in queries]),
        np.array([mrr_at(ranked[q], judged[q], MRR_K) for q in queries]),
    )


def rank_all(
    lists: Mapping[str, Candidates], rank: Callable[[Candidates], list[str]]
) -> dict[str, list[str]]:
    return {q: rank(c) for q, c in lists.items()}


def train_ndcg(
    corpus: Corpus, lists: Mapping[str, Candidates], rank: Callable[[Candidates], list[str]]
) -> float:
    return float(measure(corpus, "train", rank_all(lists, rank)).ndcg.mean())


# ---- tuning on train ----------------------------------------------------------------------


def bm25_train_ndcg(store: ChunkStore, corpus: Corpus, k1: float, b: float) -> float:
    """Train nDCG@10 of BM25 alone with these k1 and b (whole documents: one chunk each)."""
    judged = corpus.data.qrels["train"]
    store.keyword.k1, store.keyword.b = k1, b
    try:
        total = 0.0
        for q in corpus.train:
            hits = store.keyword.search(corpus.data.queries[q], 10)
            total += ndcg_at([h.entry.document_id for h in hits], judged[q], 10)
        return total / len(corpus.train)
    finally:
        store.keyword.k1, store.keyword.b = store.settings.bm25_k1, store.settings.bm25_b


def tune_bm25(store: ChunkStore, corpus: Corpus) -> tuple[float, float, float]:
    """(train nDCG@10, k1, b) of the best BM25 parameters for this index (k1 and b only
    weigh the index at search time)."""
    grid = itertools.product((0.6, 0.9, 1.2, 1.5), (0.4, 0.6, 0.75, 0.9))
    scored = [(bm25_train_ndcg(store, corpus, k1, b), k1, b) for k1, b in grid]
    return max(scored, key=lambda item: item[0])  # ties: the first in the grid


def best_on_train(
    corpus: Corpus,
    lists: Mapping[str, Candidates],
    options: Mapping[str, Callable[[Candidates], list[str]]],
) -> tuple[str, float]:
    """The option with the highest train nDCG@10 (ties: the first listed)."""
    scored = [(train_ndcg(corpus, lists, rank), name) for name, rank in options.items()]
    best = max(scored, key=lambda item: item[0])
    return best[1], best[0]


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
    rows, headline, baseline = run_systems(corpus, encoder, subset)
    report(corpus, rows, headline, baseline, time.perf_counter() - started)


def keyword_lists(
    store: ChunkStore, corpus: Corpus, queries: Sequence[str], k1: float, b: float
) -> dict[str, Candidates]:
    """Keyword candidates straight from the store's BM25 index with these k1 and b (they
    only weigh the index at search time; every entry is current in a store nobody else
    writes, so the version check has nothing to drop)."""
    settings = store.settings
    wanted = max(DEPTH * settings.candidates_per_result, settings.min_candidates)
    saved = store.keyword.k1, store.keyword.b
    store.keyword.k1, store.keyword.b = k1, b
    out: dict[str, Candidates] = {}
    try:
        with PHASES("candidate lists"):
            for q in queries:
                hits = store.keyword.search(corpus.data.queries[q], wanted)
                out[q] = Candidates(
                    [],
                    [(h.entry.key, h.score) for h in hits],
                    {h.entry.key: h.entry.document_id for h in hits},
                )
    finally:
        store.keyword.k1, store.keyword.b = saved
    return out


def rocchio_lists(
    store: ChunkStore,
    corpus: Corpus,
    lists: Mapping[str, Candidates],
    docs: Sequence[scifact.CorpusDoc],
    vectors: npt.NDArray[np.float32],
) -> dict[str, Candidates]:
    """Dense pseudo-relevance feedback on the whole-document store: the query vector moved
    toward the centroid of the default hybrid's top documents, searched again (exact
    cosine over the stored vectors, as Chroma's index would at this size), fused with the
    same keyword list."""
    feedback, beta = ROCCHIO
    row_of = {d.id: i for i, d in enumerate(docs)}
    versions = store.keyword.versions()
    key_of = [f"{d.id}#0@{versions[d.id]}" for d in docs]
    settings = store.settings
    wanted = max(DEPTH * settings.candidates_per_result, settings.min_candidates)
    out: dict[str, Candidates] = {}
    with PHASES("candidate lists"):
        for q, c in lists.items():
            top = chunk_fusion(c)[:feedback]
            centroid = vectors[[row_of[d] for d in top]].mean(axis=0)
            moved = corpus.query_vectors[q] + beta * centroid
            cosines = vectors @ (moved / np.linalg.norm(moved))
            nearest = np.argsort(-cosines, kind="stable")[:wanted]
            dense = [(key_of[i], float(cosines[i])) for i in nearest]
            document_of = {key_of[i]: docs[i].id for i in nearest}
            out[q] = Candidates(dense, c.keyword, c.document_of | document_of)
    return out


def run_systems(corpus: Corpus, encoder: Encoder, subset: str) -> tuple[list[Row], Row, Row]:
    docs = corpus.docs
    print(
        f"SciFact: {len(docs)} documents, {len(corpus.train)} train / {len(corpus.test)} test "
        f"queries{f' ({subset} subset)' if subset else ''}",
        flush=True,
    )
    whole_vectors = encoder.cached([d.title + " " + d.text for d in docs], "docs")
    pieces = {d.id: chunked(d) for d in docs}
    chunk_vectors = encoder.cached(
        [d.title + ". " + c.text for d in docs for c in pieces[d.id]], "titled-chunks"
    )
    print(f"  {sum(len(p) for p in pieces.values())} chunks with the processor's defaults")
    queries = [*corpus.train, *corpus.test]
    rows: list[Row] = []

    def add(
        name: str,
        lists: Mapping[str, Candidates],
        rank: Callable[[Candidates], list[str]],
        note: str = "",
        reference: str = "",
    ) -> Row:
        with PHASES("ranking"):
            ranked = rank_all(lists, rank)
            row = Row(
                name,
                measure(corpus, "test", ranked),
                float(measure(corpus, "train", ranked).ndcg.mean()),
                note,
                reference,
            )
        rows.append(row)
        print(
            f"  {name:<58} train {row.train_ndcg:.4f}  test {row.test.ndcg.mean():.4f}", flush=True
        )
        return row

    # 1. Whole abstracts, one chunk each, the store's defaults (stemming, title once,
    # k1 0.9, b 0.4, score fusion); "before" has the BM25 parameters of the old defaults.
    whole_store = build_store(store_settings(), docs, whole, whole_vectors)
    whole_chunks = [c for d in docs for c in whole(d)]
    lists = candidate_lists(whole_store, corpus, whole_chunks, whole_vectors)
    old = keyword_lists(whole_store, corpus, queries, OLD_BM25[0], OLD_BM25[1])
    before = {q: with_keyword(lists[q], old[q]) for q in queries}
    add("dense (whole doc: title + text)", lists, dense_only, "", REFERENCE["dense"])
    add("BM25 k1 1.2, b 0.75 (stemmed, title x1)", before, keyword_only, "", REFERENCE["bm25"])
    add("BM25 k1 0.9, b 0.4 (Anserini's defaults)", lists, keyword_only, "default")
    baseline = add(
        "hybrid RRF k 60, 1:1, BM25 1.2/0.75 (the old default)",
        before,
        lambda c: chunk_fusion(c, method="rrf"),
        "baseline",
        REFERENCE["hybrid"],
    )
    with PHASES("tuning on train"):
        rrf_options: dict[str, Callable[[Candidates], list[str]]] = {
            f"k {k:g}, BM25 x{w:g}": functools.partial(
                chunk_fusion, keyword_weight=w, method="rrf", k=k
            )
            for k, w in itertools.product(RRF_KS, KEYWORD_WEIGHTS)
        }
        rrf_name, _ = best_on_train(corpus, before, rrf_options)
    add(f"  RRF tuned on train ({rrf_name})", before, rrf_options[rrf_name], "tuned, not a default")
    add("hybrid score fusion 1:1 (z-scores), BM25 1.2/0.75", before, chunk_fusion, "step: fusion")
    add(
        "  hybrid RRF k 60, 1:1, BM25 0.9/0.4 (recall check)",
        lists,
        lambda c: chunk_fusion(c, method="rrf"),
        "plain RRF of the same two lists",
    )
    default = add(
        "hybrid score fusion 1:1, BM25 0.9/0.4 (the new default)",
        lists,
        chunk_fusion,
        "step: BM25 defaults; default",
    )
    with PHASES("tuning on train"):
        score_options: dict[str, Callable[[Candidates], list[str]]] = {
            f"BM25 x{w:g}": functools.partial(chunk_fusion, keyword_weight=w)
            for w in KEYWORD_WEIGHTS
        }
        weight_name, _ = best_on_train(corpus, lists, score_options)
    add(
        f"  score fusion weight tuned on train ({weight_name})",
        lists,
        score_options[weight_name],
        "tuned, not a default",
    )

    # 2. BM25 tuned on train: title repeats (one index each) at the default k1 and b, then
    # k1 and b for the best of them.
    candidates = {1: whole_store}
    by_repeats: dict[int, float] = {}
    for repeats in (1, 2, 3):
        if repeats not in candidates:
            candidates[repeats] = reindexed(whole_store, bm25_title_repeats=repeats)
        with PHASES("tuning on train"):
            by_repeats[repeats] = bm25_train_ndcg(
                candidates[repeats], corpus, whole_store.keyword.k1, whole_store.keyword.b
            )
    repeats = max(by_repeats, key=lambda r: by_repeats[r])
    with PHASES("tuning on train"):
        _, k1, b = tune_bm25(candidates[repeats], corpus)
    tuned = keyword_lists(candidates[repeats], corpus, queries, k1, b)
    tuned_lists = {q: with_keyword(lists[q], tuned[q]) for q in queries}
    add(
        f"  BM25 tuned on train (title x{repeats}, k1 {k1}, b {b})",
        tuned_lists,
        keyword_only,
        "tuned, not a default",
    )
    add("  hybrid score fusion 1:1 + that BM25", tuned_lists, chunk_fusion, "tuned, not a default")

    # 3. Chunked by the document processor (title + chunk text embedded), store defaults.
    chunk_store = build_store(store_settings(), docs, lambda d: pieces[d.id], chunk_vectors)
    chunk_lists = candidate_lists(
        chunk_store, corpus, [c for d in docs for c in pieces[d.id]], chunk_vectors
    )
    chunk_old = keyword_lists(chunk_store, corpus, queries, OLD_BM25[0], OLD_BM25[1])
    add("chunked: dense (title + chunk)", chunk_lists, dense_only)
    add("chunked: BM25", chunk_lists, keyword_only)
    chunked_before = add(
        "chunked: hybrid RRF k 60, 1:1, BM25 1.2/0.75 (old default)",
        {q: with_keyword(chunk_lists[q], chunk_old[q]) for q in queries},
        lambda c: chunk_fusion(c, method="rrf"),
    )
    chunked_now = measure(corpus, "test", rank_all(chunk_lists, chunk_fusion))
    diffs = chunked_now.ndcg - chunked_before.test.ndcg
    add(
        "chunked: hybrid score fusion 1:1, BM25 0.9/0.4 (new default)",
        chunk_lists,
        chunk_fusion,
        f"default; {diffs.mean():+.4f} vs the old default on chunks, p "
        f"{paired_bootstrap_p(diffs):.4f}",
    )
    add(
        "chunked: documents fused (best chunk per list)",
        chunk_lists,
        document_fusion,
        "document-level aggregation",
    )

    # 4. Dense pseudo-relevance feedback (Rocchio on embeddings) over the default.
    feedback, beta = ROCCHIO
    add(
        f"hybrid + dense PRF (Rocchio: top {feedback}, x{beta})",
        rocchio_lists(whole_store, corpus, lists, docs, whole_vectors),
        chunk_fusion,
        "measured; off",
    )

    # 5. The headline: the default store path on whole documents, like for like with the
    # baseline (and with the published figures, one vector per document); the chunked
    # store's rows above show the same change on chunks.
    headline = default
    store_for_headline = whole_store
    settings = store_for_headline.settings
    top_k = settings.default_top_k
    depth = max(top_k * settings.candidates_per_result, settings.min_candidates)

    def answered() -> dict[str, list[str]]:
        with PHASES("ranking"):
            return {
                q: documents_from(
                    c.chunk.document_id
                    for c in store_for_headline.search(
                        SearchQuery(
                            text=corpus.data.queries[q],
                            embedding=corpus.query_vectors[q].tolist(),
                            top_k=top_k,
                        )
                    ).chunks
                )
                for q in corpus.test
            }

    now = measure(corpus, "test", answered())
    # The old defaults on the same store and request: RRF, BM25 1.2 / 0.75.
    store_for_headline.settings = settings.model_copy(update={"fusion": "rrf"})
    store_for_headline.keyword.k1, store_for_headline.keyword.b = OLD_BM25
    then = measure(corpus, "test", answered())
    store_for_headline.settings = settings
    store_for_headline.keyword.k1, store_for_headline.keyword.b = settings.bm25_k1, settings.bm25_b
    diffs = now.ndcg - then.ndcg
    for name, scores, note in (
        ("old default", then, ""),
        (
            "new default",
            now,
            f"{diffs.mean():+.4f} vs old default at top_k={top_k}, p {paired_bootstrap_p(diffs):.4f}",
        ),
    ):
        rows.append(
            Row(
                f"{name} through store.search, top_k={top_k} (what Ask gets)",
                scores,
                note=f"{depth}-deep lists; {note}" if note else f"{depth}-deep lists",
                recall_applies=False,
            )
        )
    return rows, headline, baseline


def report(
    corpus: Corpus, rows: Sequence[Row], headline: Row, baseline: Row, elapsed: float
) -> None:
    print()
    print(
        f"{'#':>2} {f'system (test split, {len(corpus.test)} queries)':<58} {'train':>6} "
        f"{'nDCG@10':>7} {'R@100':>6} {'MRR@10':>6} {'vs #' + str(rows.index(baseline) + 1):>7} "
        f"{'p':>6}  note | reference"
    )
    for number, row in enumerate(rows, start=1):
        recall = f"{row.test.recall.mean():6.4f}" if row.recall_applies else f"{'-':>6}"
        train = "-" if row.train_ndcg != row.train_ndcg else f"{row.train_ndcg:.4f}"
        if row is baseline:
            delta, p = f"{'':>7}", f"{'':>6}"
        else:
            diffs = row.test.ndcg - baseline.test.ndcg
            delta, p = f"{diffs.mean():+7.4f}", f"{paired_bootstrap_p(diffs):6.4f}"
        tail = " | ".join(x for x in (row.note, row.reference) if x)
        print(
            f"{number:>2} {row.name:<58} {train:>6} {row.test.ndcg.mean():7.4f} {recall} "
            f"{row.test.mrr.mean():6.4f} {delta} {p}  {tail}"
        )
    print(
        f"(delta: test nDCG@10 minus #{rows.index(baseline) + 1}'s; p: paired bootstrap, "
        "two-sided, 10,000 resamples)"
    )
    print(f"(total {elapsed:.0f} s: {PHASES.report(elapsed)})")
    print(f"wall time {elapsed:.1f} s")
    diffs = headline.test.ndcg - baseline.test.ndcg
    print(
        f"RESULT hybrid_ndcg10={headline.test.ndcg.mean():.4f} "
        f"hybrid_recall100={headline.test.recall.mean():.4f} "
        f"baseline_ndcg10={baseline.test.ndcg.mean():.4f} p_value={paired_bootstrap_p(diffs):.4f} "
        f"wall_s={elapsed:.1f}"
    )


# ---- query enhancement (--enhance) ----------------------------------------------------------

ENHANCEMENTS = ("none", "prf", "multi_query", "hyde")


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


def paired_bootstrap_p(
    diffs: Sequence[float] | npt.NDArray[np.float64], resamples: int = 10_000, seed: int = 7
) -> float:
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
                ranked = documents_from(d for _, d in lists[0][0])
            else:
                # The gateway's fusion: weighted RRF over chunk ids (k 60), best chunk per doc.
                doc_of = {c: d for chunk_list, _ in lists for c, d in chunk_list}
                fused = reciprocal_rank_fusion(
                    [([c for c, _ in chunk_list], weight) for chunk_list, weight in lists], 60.0
                )
                order = sorted(fused, key=lambda c: (-fused[c], c))[:DEPTH]
                ranked = documents_from(doc_of[c] for c in order)
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

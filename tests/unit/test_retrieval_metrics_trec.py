"""Our one implementation of the retrieval metrics agrees with trec_eval on SciFact.

services/evaluation/retrieval_metrics.py (used by EvaluationService and every benchmark)
against ``pytrec_eval`` (trec_eval's C code), per query, to 1e-6: nDCG@10 (``ndcg_cut.10``),
recall@100 (``recall.100``) and MRR@10 (``recip_rank`` on the ranking cut at 10). Every
train and test query of SciFact is ranked by a small TF-IDF ranker written here (the
metrics need realistic rankings, not good ones: relevant documents at every rank and
missing). SciFact's judgments are binary, where linear and exponential gains agree, so a
second pass grades them 1-3 and judges a non-relevant retrieved document 0: linear gain,
the grades and zero judgments are checked too.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import heapq
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytrec_eval

from services.evaluation.retrieval_metrics import mrr_at, ndcg_at, recall_at
from tests.support.shared_data import scifact

TOLERANCE = 1e-6
Qrels = dict[str, dict[str, int]]
Rankings = dict[str, list[str]]


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2]


def load(folder: Path) -> tuple[dict[str, str], dict[str, str], Qrels]:
    corpus = {}
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            corpus[str(row["_id"])] = f"{row.get('title', '')} {row['text']}"
    queries = {}
    for line in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        queries[str(row["_id"])] = row["text"]
    qrels: Qrels = {}
    for split in ("train", "test"):
        with (folder / "qrels" / f"{split}.tsv").open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter="\t")
            next(rows)
            for query_id, doc_id, score in rows:
                qrels.setdefault(query_id, {})[doc_id] = int(score)
    return corpus, queries, qrels


def tfidf_rankings(corpus: dict[str, str], queries: dict[str, str], depth: int) -> Rankings:
    postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for doc_id, text in corpus.items():
        for word, tf in Counter(words(text)).items():
            postings[word].append((doc_id, tf))
    n = len(corpus)
    rankings: Rankings = {}
    for query_id, text in queries.items():
        scores: dict[str, float] = defaultdict(float)
        for word in set(words(text)):
            idf = math.log(n / (1 + len(postings.get(word, ()))))
            for doc_id, tf in postings.get(word, ()):
                scores[doc_id] += idf * (1 + math.log(tf))
        best = heapq.nlargest(depth, scores.items(), key=lambda item: (item[1], item[0]))
        rankings[query_id] = [doc_id for doc_id, _ in best]
    return rankings


def graded(qrels: Qrels, rankings: Rankings) -> Qrels:
    """Grades 1-3 for the relevant documents; the second-ranked document, when unjudged, 0."""
    out: Qrels = {}
    for query_id, judged in qrels.items():
        out[query_id] = {
            d: 1 + hashlib.sha256(f"{query_id}/{d}".encode()).digest()[0] % 3 if g > 0 else g
            for d, g in judged.items()
        }
        ranked = rankings.get(query_id, [])
        if len(ranked) > 1 and ranked[1] not in judged:
            out[query_id][ranked[1]] = 0
    return out


def run_of(rankings: Rankings, cut: int) -> dict[str, dict[str, float]]:
    # Strictly decreasing scores: trec_eval orders by score, so it sees our order exactly.
    return {
        q: {d: float(len(ranked) - i) for i, d in enumerate(ranked[:cut])}
        for q, ranked in rankings.items()
    }


def trec_eval(qrels: Qrels, rankings: Rankings) -> dict[str, dict[str, float]]:
    cut = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.100"}).evaluate(
        run_of(rankings, 100)
    )
    first = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(run_of(rankings, 10))
    return {
        q: {
            "ndcg@10": cut[q]["ndcg_cut_10"],
            "recall@100": cut[q]["recall_100"],
            "mrr@10": first[q]["recip_rank"],
        }
        for q in cut
    }


def ours(qrels: Qrels, rankings: Rankings) -> Iterator[tuple[str, dict[str, float]]]:
    for q, judged in qrels.items():
        ranked = rankings[q]
        yield (
            q,
            {
                "ndcg@10": ndcg_at(ranked, judged, 10),
                "recall@100": recall_at(ranked, judged, 100),
                "mrr@10": mrr_at(ranked, judged, 10),
            },
        )


@pytest.fixture(scope="module")
def scifact_run() -> tuple[Qrels, Rankings]:
    corpus, queries, qrels = load(scifact())
    judged_queries = {q: queries[q] for q in qrels}
    return qrels, tfidf_rankings(corpus, judged_queries, 100)


@pytest.mark.parametrize("judgments", ["as shipped (binary)", "graded 1-3 with zeros"])
def test_per_query_metrics_match_trec_eval(
    scifact_run: tuple[Qrels, Rankings], judgments: str
) -> None:
    qrels, rankings = scifact_run
    if judgments != "as shipped (binary)":
        qrels = graded(qrels, rankings)
    theirs = trec_eval(qrels, rankings)
    assert len(qrels) > 1000 and set(theirs) == set(qrels)  # train + test, every query scored
    mismatches = [
        (q, name, value, theirs[q][name])
        for q, mine in ours(qrels, rankings)
        for name, value in mine.items()
        if abs(value - theirs[q][name]) > TOLERANCE
    ]
    assert not mismatches, f"{len(mismatches)} differ from trec_eval, e.g. {mismatches[:5]}"
    # The check covers the cases that matter: hits at rank 1, deeper hits and misses.
    mrrs = [theirs[q]["mrr@10"] for q in qrels]
    assert any(m == 1.0 for m in mrrs) and any(0 < m < 1 for m in mrrs) and 0.0 in mrrs

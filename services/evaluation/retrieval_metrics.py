"""Ranking metrics: the one implementation of nDCG@k, recall@k and MRR@k (no gRPC, no I/O).

EvaluationService and every benchmark score rankings with these functions, and
tests/unit/test_retrieval_metrics_trec.py checks them per query against ``pytrec_eval``
(trec_eval's own code) on SciFact.

Definitions, those of trec_eval and so of BEIR's published numbers:
- nDCG@k (trec_eval ``ndcg_cut.k``): *linear* gain, gain = the judged relevance grade,
  discounted by log2(rank + 1); the ideal ranking is the query's judged documents sorted by
  grade, cut at k. Linear, not the exponential 2^rel - 1 some papers use, because it is what
  trec_eval, pytrec_eval and BEIR compute; on binary judgments (SciFact) the two agree.
- recall@k (``recall.k``): relevant documents (grade >= 1) in the top k over all relevant.
- MRR@k: 1 / rank of the first relevant document in the top k, 0 when there is none
  (trec_eval's ``recip_rank`` on a ranking cut at k).
A document judged 0 (or negative) gains nothing; a query without relevant documents scores 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MetricsAtK:
    k: int
    ndcg: float
    recall: float
    mrr: float


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    gains = sum(
        max(judged.get(doc, 0), 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k])
    )
    ideal_gains = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal_gains))
    return gains / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    relevant = {doc for doc, g in judged.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def first_relevant_rank(ranked: Sequence[str], judged: Mapping[str, int]) -> int:
    """One-based rank of the first relevant document, 0 when none is ranked."""
    for rank, doc in enumerate(ranked, start=1):
        if judged.get(doc, 0) > 0:
            return rank
    return 0


def mrr_at(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    rank = first_relevant_rank(ranked[:k], judged)
    return 1.0 / rank if rank else 0.0


def metrics_at(
    ranked: Sequence[str], judged: Mapping[str, int], ks: Sequence[int]
) -> list[MetricsAtK]:
    return [
        MetricsAtK(
            k, ndcg_at(ranked, judged, k), recall_at(ranked, judged, k), mrr_at(ranked, judged, k)
        )
        for k in ks
    ]


def mean_metrics(per_query: Sequence[Sequence[MetricsAtK]], ks: Sequence[int]) -> list[MetricsAtK]:
    """Means over queries at every k (0 for every metric when no query was evaluated)."""
    n = len(per_query)
    out = []
    for i, k in enumerate(ks):
        if n == 0:
            out.append(MetricsAtK(k, 0.0, 0.0, 0.0))
            continue
        out.append(
            MetricsAtK(
                k,
                sum(q[i].ndcg for q in per_query) / n,
                sum(q[i].recall for q in per_query) / n,
                sum(q[i].mrr for q in per_query) / n,
            )
        )
    return out


def ranked_documents(document_ids: Sequence[str], depth: int) -> list[str]:
    """Distinct documents in order of their best (first) chunk, at most ``depth``."""
    return list(dict.fromkeys(document_ids))[:depth]

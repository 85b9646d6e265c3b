"""Weighted reciprocal rank fusion of ranked chunk lists (the contract's ScoredChunk):
the one place the gateway, its graph expansion, the evaluation service and benchmarks fuse."""

from __future__ import annotations

from collections.abc import Sequence

from rag.v1 import common_pb2


def fuse(
    rankings: Sequence[Sequence[common_pb2.ScoredChunk]],
    weights: Sequence[float],
    top_k: int,
    k: float = 60.0,
) -> list[common_pb2.ScoredChunk]:
    """Weighted reciprocal rank fusion of several result lists, by chunk id."""
    scores: dict[str, float] = {}
    best: dict[str, common_pb2.ScoredChunk] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, scored in enumerate(ranking, start=1):
            key = scored.chunk.id
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
            if key not in best:
                best[key] = scored
    ordered = sorted(scores, key=lambda key: -scores[key])[:top_k]
    fused = []
    for rank, key in enumerate(ordered, start=1):
        item = common_pb2.ScoredChunk()
        item.CopyFrom(best[key])
        item.score = scores[key]
        item.rank = rank
        fused.append(item)
    return fused

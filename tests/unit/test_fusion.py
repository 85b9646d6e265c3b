"""services/common/fusion.py: score fusion (z-scores), document aggregation."""

from __future__ import annotations

import math

import pytest

from services.common.fusion import by_document, reciprocal_rank_fusion, score_fusion


def z(values: list[float]) -> list[float]:
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return [(v - mean) / spread for v in values]


def test_score_fusion_sums_weighted_z_scores_and_floors_missing_keys() -> None:
    dense = {"a": 0.9, "b": 0.5, "c": 0.4}
    keyword = {"c": 12.0, "d": 3.0}
    fused = score_fusion([(dense, 1.0), (keyword, 2.0)])
    zd, zk = z([0.9, 0.5, 0.4]), z([12.0, 3.0])
    assert fused == pytest.approx(
        {
            "a": zd[0] + 2 * min(zk),
            "b": zd[1] + 2 * min(zk),
            "c": zd[2] + 2 * zk[0],
            "d": min(zd) + 2 * zk[1],
        }
    )
    assert list(fused) == ["a", "b", "c", "d"]  # first seen first


def test_score_fusion_is_blind_to_each_lists_scale() -> None:
    dense = {"a": 0.9, "b": 0.5, "c": 0.4}
    keyword = {"c": 12.0, "d": 3.0}
    scaled = {k: 100 * v + 7 for k, v in keyword.items()}
    assert score_fusion([(dense, 1.0), (scaled, 1.0)]) == pytest.approx(
        score_fusion([(dense, 1.0), (keyword, 1.0)])
    )


def test_a_list_that_cannot_tell_candidates_apart_adds_nothing() -> None:
    dense = {"a": 0.9, "b": 0.5}
    flat = {"a": 2.0, "c": 2.0}
    fused = score_fusion([(dense, 1.0), (flat, 1.0), ({"z": 5.0}, 1.0), ({}, 1.0)])
    zd = z([0.9, 0.5])
    assert fused == pytest.approx({"a": zd[0], "b": zd[1], "c": min(zd), "z": min(zd)})
    assert score_fusion([(dense, 0.0), ({"a": 1.0, "b": 3.0}, 1.0)]) == pytest.approx(
        {"a": -1.0, "b": 1.0}
    )


def test_by_document_ranks_documents_by_their_best_chunk() -> None:
    ranked = [("x#0", 0.9), ("x#1", 0.8), ("x#2", 0.7), ("y#0", 0.6), ("z#0", 0.95)]
    document_of = {key: key.split("#")[0] for key, _ in ranked}
    documents = by_document(ranked, document_of)
    # x's three chunks take one place, kept as its evidence best first.
    assert documents == [
        ("z", 0.95, ["z#0"]),
        ("x", 0.9, ["x#0", "x#1", "x#2"]),
        ("y", 0.6, ["y#0"]),
    ]
    # Unsorted input: a later, better chunk raises its document.
    later = by_document(
        [("y#0", 0.5), ("x#1", 0.4), ("x#0", 0.7)], {"y#0": "y", "x#0": "x", "x#1": "x"}
    )
    assert [(d, s) for d, s, _ in later] == [("x", 0.7), ("y", 0.5)]


def test_reciprocal_rank_fusion_keeps_first_seen_order_for_ties() -> None:
    fused = reciprocal_rank_fusion([(["a", "b"], 1.0), (["b", "a"], 1.0)], k=60)
    assert list(fused) == ["a", "b"]
    assert fused["a"] == pytest.approx(fused["b"])

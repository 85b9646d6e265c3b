"""Retrieval metrics, labelled sets (inline and BEIR) and the offline evaluator."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import pytest

from services.evaluation.labeled_sets import (
    Judgment,
    LabeledSet,
    beir_set,
    inline_set,
    resolve_dataset,
)
from services.evaluation.offline import RetrievalEvaluator, cutoffs
from services.evaluation.retrieval_metrics import (
    first_relevant_rank,
    mrr_at,
    ndcg_at,
    ranked_documents,
    recall_at,
)
from services.runtime.errors import InvalidArgument, NotFound, ResourceExhausted
from tests.support.shared_data import scifact


def test_ndcg_matches_the_trec_definition_by_hand() -> None:
    judged = {"a": 2, "b": 1, "z": 1}
    ranked = ["b", "x", "a"]
    dcg = 1 / math.log2(2) + 0 + 2 / math.log2(4)
    ideal = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(ranked, judged, 10) == pytest.approx(dcg / ideal)
    # The cutoff applies to both the ranking and the ideal.
    assert ndcg_at(ranked, judged, 1) == pytest.approx(1 / 2)
    assert ndcg_at(["a", "b", "z"], judged, 3) == pytest.approx(1.0)


def test_recall_mrr_and_first_rank() -> None:
    judged = {"a": 1, "b": 1, "n": 0}
    ranked = ["n", "x", "b", "a"]
    assert recall_at(ranked, judged, 3) == 0.5
    assert recall_at(ranked, judged, 4) == 1.0
    assert mrr_at(ranked, judged, 2) == 0.0
    assert mrr_at(ranked, judged, 10) == pytest.approx(1 / 3)
    assert first_relevant_rank(ranked, judged) == 3
    assert first_relevant_rank(["x"], judged) == 0
    assert recall_at(ranked, {"n": 0}, 10) == 0.0


def test_documents_rank_at_their_best_chunk() -> None:
    assert ranked_documents(["d1", "d2", "d1", "d3"], 2) == ["d1", "d2"]


def test_inline_set_names_the_bad_field() -> None:
    good = [("q1", "what is x")]
    with pytest.raises(InvalidArgument, match=r"judgments\[0\].query_id"):
        inline_set(good, [Judgment("q9", "d", 1)], 10, 2000)
    with pytest.raises(InvalidArgument, match="duplicate query id"):
        inline_set([("q1", "a"), ("q1", "b")], [Judgment("q1", "d", 1)], 10, 2000)
    with pytest.raises(InvalidArgument, match="relevance"):
        inline_set(good, [Judgment("q1", "d", -1)], 10, 2000)
    with pytest.raises(InvalidArgument, match="judged more than once"):
        inline_set(good, [Judgment("q1", "d", 1), Judgment("q1", "d", 2)], 10, 2000)
    with pytest.raises(InvalidArgument, match="more than 1 queries"):
        inline_set([("q1", "a"), ("q2", "b")], [Judgment("q1", "d", 1)], 1, 2000)
    with pytest.raises(InvalidArgument, match="limit is 5"):
        inline_set([("q1", "a" * 6)], [Judgment("q1", "d", 1)], 10, 5)


def test_dataset_paths_cannot_leave_the_root(tmp_path: Path) -> None:
    (tmp_path / "data" / "set").mkdir(parents=True)
    root = tmp_path / "data"
    assert resolve_dataset(root, "set") == (root / "set").resolve()
    for bad in ("/etc", "../data/set", "set/../../x"):
        with pytest.raises(InvalidArgument):
            resolve_dataset(root, bad)
    with pytest.raises(NotFound):
        resolve_dataset(root, "missing")


def test_beir_layout_reads_the_split_queries(tmp_path: Path) -> None:
    (tmp_path / "qrels").mkdir()
    (tmp_path / "queries.jsonl").write_text(
        '{"_id": "1", "text": "first"}\n{"_id": "2", "text": "second"}\n'
        '{"_id": "3", "text": "train only"}\n'
    )
    (tmp_path / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\r\n1\td1\t1\r\n2\td2\t2\r\n2\td3\t0\r\n"
    )
    labeled = beir_set(tmp_path, "", 100)
    assert labeled.queries == {"1": "first", "2": "second"}
    assert labeled.judgments["2"] == {"d2": 2, "d3": 0}
    with pytest.raises(NotFound):
        beir_set(tmp_path, "dev", 100)


def test_scifact_test_split_has_its_300_queries() -> None:
    labeled = beir_set(scifact(), "test", 10_000)
    assert len(labeled.queries) == 300
    assert sum(len(j) for j in labeled.judgments.values()) == 339


def test_cutoffs_defaults_sorting_and_limits() -> None:
    assert cutoffs([], 100, 10) == [10, 100]
    assert cutoffs([5, 1, 5], 100, 10) == [1, 5]
    with pytest.raises(InvalidArgument, match=r"k_values\[0\]"):
        cutoffs([0], 100, 10)
    with pytest.raises(InvalidArgument, match=r"k_values\[1\]"):
        cutoffs([3, 101], 100, 10)


LABELED = LabeledSet(
    queries={"b": "beta", "a": "alpha", "c": "gamma"},
    judgments={"a": {"doc-alpha": 1}, "b": {"doc-beta": 1}, "c": {"doc-x": 0}},
)


async def fake_rank(text: str, depth: int) -> list[str]:
    # Finds "alpha" at rank 1 (as two chunks), "beta" at rank 3.
    return {"alpha": ["doc-alpha", "doc-alpha", "o"], "beta": ["o1", "o2", "doc-beta"]}.get(
        text, ["o"]
    )


async def test_evaluator_scores_skips_and_orders() -> None:
    evaluator = RetrievalEvaluator(max_running=2, query_concurrency=2, max_queries=100)
    result = await evaluator.evaluate(LABELED, [1, 3], 0, fake_rank)
    assert result.total_query_count == 3
    assert result.evaluated_query_count == 2
    assert result.skipped_query_count == 1  # "c" has no relevant document
    by_id = {q.query_id: q for q in result.queries}
    assert by_id["a"].first_relevant_rank == 1
    assert by_id["a"].retrieved_document_count == 2  # chunks of one document count once
    assert by_id["b"].first_relevant_rank == 3
    at1, at3 = result.metrics
    assert (at1.k, at1.recall, at1.mrr) == (1, 0.5, 0.5)
    assert at3.recall == 1.0
    assert at3.mrr == pytest.approx((1 + 1 / 3) / 2)
    # max_queries takes the first ids in byte order: only "a".
    first = await evaluator.evaluate(LABELED, [1], 1, fake_rank)
    assert [q.query_id for q in first.queries] == ["a"]


async def test_evaluator_limits() -> None:
    evaluator = RetrievalEvaluator(max_running=1, query_concurrency=1, max_queries=2)
    with pytest.raises(InvalidArgument, match="max_queries"):
        await evaluator.evaluate(LABELED, [1], 0, fake_rank)  # 3 queries > 2
    with pytest.raises(InvalidArgument):
        await evaluator.evaluate(LABELED, [1], -1, fake_rank)
    gate = asyncio.Event()

    async def slow(text: str, depth: int) -> list[str]:
        await gate.wait()
        return []

    running = asyncio.create_task(evaluator.evaluate(LABELED, [1], 2, slow))
    await asyncio.sleep(0)
    with pytest.raises(ResourceExhausted) as exc:
        await evaluator.evaluate(LABELED, [1], 2, fake_rank)
    assert exc.value.retry_after_s
    gate.set()
    await running


async def test_a_failing_query_fails_the_evaluation() -> None:
    evaluator = RetrievalEvaluator(max_running=1, query_concurrency=2, max_queries=100)

    async def broken(text: str, depth: int) -> list[str]:
        if text == "beta":
            raise NotFound(message="gone", reason="X")
        return ["doc-alpha"]

    with pytest.raises(NotFound):
        await evaluator.evaluate(LABELED, [1], 0, broken)

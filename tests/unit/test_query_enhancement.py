"""QueryEnhancementService: rewrites, pseudo-relevance feedback, HyDE and bad input."""

from __future__ import annotations

import grpc
import pytest

from rag.v1 import query_enhancement_pb2, query_enhancement_pb2_grpc
from services.query_enhancement.__main__ import binding
from services.query_enhancement.core import (
    Feedback,
    QueryEnhancer,
    Strategy,
    feedback_terms,
    multi_query_rewrites,
)
from services.runtime.server import create_server
from services.runtime.settings import RuntimeSettings

FEEDBACK = [
    Feedback("Vitamin D deficiency is linked to bone loss and osteoporosis in older adults.", 3.0),
    Feedback("Osteoporosis raises fracture risk; vitamin D and calcium supplements help.", 2.5),
    Feedback("Calcium intake and vitamin D status predict fracture risk.", 2.0),
]


async def search(query: str, k: int) -> list[Feedback]:
    return FEEDBACK[:k]


async def hypothesize(question: str) -> str:
    return f"A passage answering: {question}"


async def embed(texts: list[str]) -> list[list[float]]:
    return [[float(len(t)), 1.0] for t in texts]


def test_multi_query_rewrites_drop_question_form_and_stopwords() -> None:
    rewrites = multi_query_rewrites("What is the effect of vitamin D on bone density?")
    assert "effect vitamin bone density" in rewrites
    assert "effect of vitamin D on bone density" in rewrites


def test_feedback_terms_prefer_terms_shared_by_passages() -> None:
    terms = feedback_terms("vitamin D and bones", FEEDBACK, 3)
    assert terms[0] in {"osteoporosis", "fracture", "calcium"}
    assert "vitamin" not in terms  # already in the query


async def test_enhance_combines_strategies_and_keeps_original_first() -> None:
    enhancer = QueryEnhancer(search, hypothesize, embed)
    result = await enhancer.enhance(
        "What protects against osteoporosis?",
        [Strategy.MULTI_QUERY, Strategy.PSEUDO_RELEVANCE_FEEDBACK, Strategy.HYDE],
        max_queries=10,
    )
    assert result.queries[0].strategy is None and result.queries[0].weight == 1.0
    by_strategy = {q.strategy for q in result.queries}
    assert by_strategy == {
        None,
        Strategy.MULTI_QUERY,
        Strategy.PSEUDO_RELEVANCE_FEEDBACK,
        Strategy.HYDE,
    }
    hyde = next(q for q in result.queries if q.strategy is Strategy.HYDE)
    assert hyde.hypothetical_document.startswith("A passage answering")
    assert hyde.embedding == [float(len(hyde.hypothetical_document)), 1.0]
    prf = next(q for q in result.queries if q.strategy is Strategy.PSEUDO_RELEVANCE_FEEDBACK)
    assert "fracture" in prf.text or "calcium" in prf.text
    assert {name for name, _ in result.timings} == {"multi_query", "prf", "hyde"}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"query": ""}, "query"),
        ({"query": "x", "strategies": [99]}, "strategies[0]"),
        ({"query": "x", "max_queries": -1}, "max_queries"),
    ],
)
async def test_bad_input_is_invalid_argument(kwargs: dict[str, object], fragment: str) -> None:
    host = await create_server(
        [binding(QueryEnhancer(search, hypothesize, embed))], RuntimeSettings(metrics_port=-1)
    )
    await host.start()
    try:
        async with grpc.aio.insecure_channel(host.address) as channel:
            stub = query_enhancement_pb2_grpc.QueryEnhancementServiceStub(channel)
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.EnhanceQuery(query_enhancement_pb2.EnhanceQueryRequest(**kwargs))  # type: ignore[arg-type]
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert fragment in err.value.details()
    finally:
        await host.stop(grace=0)

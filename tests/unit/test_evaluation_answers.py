"""Answer-quality signals with the real all-MiniLM-L6-v2 model: grounded vs invented answers."""

from __future__ import annotations

import pytest

from services.embedding.core import SentenceEncoder
from services.evaluation.answer_signals import (
    AnswerScorer,
    CitedPassage,
    Passage,
    split_sentences,
)
from services.runtime.errors import InvalidArgument

QUESTION = "How does Envoy pick a replica when weights differ?"
PASSAGES = [
    Passage(
        "lb#0",
        "With unequal weights, Envoy's least-request balancer uses earliest-deadline-first "
        "weighted round robin, dividing each host's weight by its active requests plus one.",
    ),
    Passage(
        "soup#0",
        "Tomato soup is made by simmering ripe tomatoes with onions, garlic and stock, then "
        "blending until smooth.",
    ),
]
CITATIONS = [CitedPassage(1, "lb#0", ""), CitedPassage(2, "soup#0", "")]


@pytest.fixture
def scorer(encoder: SentenceEncoder) -> AnswerScorer:
    async def embed(texts: list[str]) -> list[list[float]]:
        return [e.vector.tolist() for e in encoder.encode(texts)]

    return AnswerScorer(embed, threshold=0.5)


def test_sentences_keep_offsets_and_trailing_markers() -> None:
    answer = "Envoy uses weights. [1] It divides by active requests [1]! Done?"
    sentences = split_sentences(answer)
    assert [s.text for s in sentences] == [
        "Envoy uses weights. [1]",
        "It divides by active requests [1]!",
        "Done?",
    ]
    for s in sentences:
        assert answer[s.start : s.end] == s.text


async def test_grounded_cited_answer_scores_high(scorer: AnswerScorer) -> None:
    answer = (
        "With unequal weights Envoy uses earliest-deadline-first weighted round robin [1]. "
        "Each host's weight is divided by its active requests plus one [1]."
    )
    score = await scorer.score(QUESTION, answer, PASSAGES, CITATIONS)
    assert score.groundedness == 1.0
    assert score.citation_coverage == 1.0
    assert score.citation_precision == 1.0
    assert all(s.supporting_chunk_ids[0] == "lb#0" for s in score.sentences)
    assert all(s.markers == [1] for s in score.sentences)
    # The relevant passage is far more relevant to the question than the soup recipe.
    relevant, unrelated = score.context_relevance_scores
    assert relevant > unrelated + 0.3
    assert score.context_relevance == pytest.approx((relevant + unrelated) / 2)


async def test_invented_and_miscited_answer_scores_low(scorer: AnswerScorer) -> None:
    answer = (
        "Envoy asks a quantum oracle on Mars which replica feels luckiest today [2]. "
        "The decision is broadcast by carrier pigeons."
    )
    score = await scorer.score(QUESTION, answer, PASSAGES, CITATIONS)
    assert score.groundedness == 0.0
    assert score.citation_coverage == 0.5  # one sentence of two carries a marker
    assert score.citation_precision == 0.0  # and it cites a passage that does not support it
    assert all(not s.supported for s in score.sentences)


async def test_no_context_and_unresolved_markers(scorer: AnswerScorer) -> None:
    score = await scorer.score(QUESTION, "Envoy balances load [7].", [], [])
    assert score.context_relevance == 0.0
    assert score.groundedness == 0.0
    assert score.citation_coverage == 0.0  # [7] resolves to no citation
    assert score.citation_precision == 1.0  # no resolved marker: nothing is wrongly cited


async def test_citation_snippet_is_used_when_the_chunk_is_not_a_context(
    scorer: AnswerScorer,
) -> None:
    snippet = "Tomato soup is made by simmering ripe tomatoes with onions and garlic."
    score = await scorer.score(
        "How is tomato soup made?",
        "Tomato soup is made by simmering ripe tomatoes with onions and garlic [1].",
        [],
        [CitedPassage(1, "elsewhere#3", snippet)],
    )
    assert score.citation_precision == 1.0
    assert score.citation_coverage == 1.0


async def test_bad_input(scorer: AnswerScorer) -> None:
    with pytest.raises(InvalidArgument, match="question"):
        await scorer.score(" ", "answer", [], [])
    with pytest.raises(InvalidArgument, match="answer"):
        await scorer.score("q", "", [], [])
    with pytest.raises(InvalidArgument, match="limit"):
        await scorer.score("q", "a" * 32_001, [], [])
    with pytest.raises(InvalidArgument, match="contexts"):
        await scorer.score("q", "a", [Passage(f"c{i}", "t") for i in range(101)], [])

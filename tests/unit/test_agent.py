"""AgentService domain: planning, sufficiency, refinement and budgets, with fake tools."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from services.agent.core import (
    Agent,
    AgentResult,
    Citation,
    GeneratedAnswer,
    RunRequest,
    Step,
    StepKind,
    StopReason,
    Tools,
    validate_request,
)
from services.agent.evidence import Evidence, Passage, linked_passages, local_sufficiency
from services.agent.planning import entities, plan_question, reformulations, terms
from services.agent.settings import AgentSettings
from services.runtime.errors import InvalidArgument, ResourceExhausted, Unavailable

SETTINGS = AgentSettings(answer_margin_s=0.0)

CORPUS = [
    Passage("fusion#0", "fusion", "Reciprocal rank fusion merges the dense and BM25 rankings."),
    Passage("fusion#1", "fusion", "Each ranking adds one over k plus the rank to a chunk's score."),
    Passage("envoy#0", "envoy", "Envoy picks a replica with least request load balancing."),
    Passage("envoy#1", "envoy", "Weights pushed over EDS make a slow replica get less traffic."),
    Passage("chroma#0", "chroma", "Chroma stores embeddings and metadata for every chunk."),
    Passage("secret#0", "secret", "The merger codename is Bluebird; rankings are confidential."),
]


class FakeRetriever:
    """Stands in for VectorStoreService: ranks by shared terms, hides what the caller may not read."""

    def __init__(
        self,
        corpus: Sequence[Passage] = CORPUS,
        hidden: frozenset[str] = frozenset({"secret"}),
        delay_s: float = 0.0,
    ) -> None:
        self.corpus = list(corpus)
        self.hidden = hidden
        self.delay_s = delay_s
        self.calls: list[tuple[str, int, tuple[str, ...]]] = []

    async def search(
        self, query: str, top_k: int, document_ids: Sequence[str] = ()
    ) -> list[Passage]:
        self.calls.append((query, top_k, tuple(document_ids)))
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        wanted = terms(query)
        scored = [
            (len(wanted & terms(p.text)), p)
            for p in self.corpus
            if p.document_id not in self.hidden
            and (not document_ids or p.document_id in document_ids)
        ]
        ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: -s[0])
        return [p for _, p in ranked[:top_k]]


class FakeWriter:
    """Stands in for GenerationService: cites the first two contexts."""

    def __init__(self) -> None:
        self.contexts: list[Passage] = []
        self.calls = 0

    async def answer(
        self, question: str, contexts: Sequence[Passage], max_citations: int
    ) -> GeneratedAnswer:
        self.calls += 1
        self.contexts = list(contexts)
        if not contexts:
            return GeneratedAnswer("I could not find an answer.", (), "fake")
        cited = contexts[:2]
        text = " ".join(f"{p.text} [{i}]" for i, p in enumerate(cited, 1))
        return GeneratedAnswer(
            text,
            tuple(
                Citation(p.document_id, p.chunk_id, p.score, p.text, p.title, i)
                for i, p in enumerate(cited, 1)
            ),
            "fake",
        )


class FakeScorer:
    """Stands in for EvaluationService.ScoreAnswer: a fixed relevance, or down."""

    name = "fake-scorer"

    def __init__(self, relevance: float = 0.9, down: bool = False) -> None:
        self.value = relevance
        self.down = down
        self.calls = 0

    async def relevance(self, question: str, passages: Sequence[Passage]) -> list[float]:
        self.calls += 1
        if self.down:
            raise Unavailable(message="EvaluationService is unavailable", reason="DOWN")
        return [self.value for _ in passages]


class FakeExpander:
    def __init__(self, queries: Sequence[str] = (), down: bool = False) -> None:
        self.queries = list(queries)
        self.down = down
        self.calls = 0

    async def expand(self, query: str, count: int) -> list[str]:
        self.calls += 1
        if self.down:
            raise Unavailable(message="QueryEnhancementService is unavailable", reason="DOWN")
        return self.queries[:count]


class FakeGraph:
    def __init__(self, documents: Sequence[str] = (), down: bool = False) -> None:
        self.documents = list(documents)
        self.down = down

    async def linked_documents(self, question: str, max_hops: int, limit: int) -> list[str]:
        if self.down:
            raise Unavailable(message="GraphService is unavailable", reason="DOWN")
        return self.documents[:limit]


def request(question: str, **overrides: object) -> RunRequest:
    fields: dict[str, object] = dict(
        question=question,
        max_steps=4,
        time_budget_s=30.0,
        sufficiency_threshold=0.7,
        top_k=5,
        use_graph=False,
    )
    fields.update(overrides)
    return RunRequest(**fields)  # type: ignore[arg-type]


async def collect(
    agent: Agent, run: RunRequest, tools: Tools, deadline_s: float | None = None
) -> tuple[list[Step], AgentResult]:
    steps: list[Step] = []
    async for event in agent.run(run, tools, deadline_s):
        if isinstance(event, AgentResult):
            return steps, event
        steps.append(event)
    raise AssertionError("no result")


def kinds(steps: Sequence[Step]) -> list[StepKind]:
    return [s.kind for s in steps]


# ---- planning -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "strategy", "parts"),
    [
        (
            "Is dense retrieval vs BM25 better for rare terms?",
            "comparison",
            ["Is dense retrieval better for rare terms?", "Is BM25 better for rare terms?"],
        ),
        (
            "What is the difference between PRF and HyDE?",
            "comparison",
            ["What is PRF?", "What is HyDE?"],
        ),
        (
            "Compare Chroma with Milvus on filtering speed",
            "comparison",
            ["Chroma filtering speed", "Milvus filtering speed"],
        ),
        (
            "What is reciprocal rank fusion and how does Envoy pick a replica?",
            "conjunction",
            ["What is reciprocal rank fusion?", "How does Envoy pick a replica?"],
        ),
        (
            "Who founded Acme Corp? Where did Globex move its headquarters?",
            "conjunction",
            ["Who founded Acme Corp?", "Where did Globex move its headquarters?"],
        ),
        (
            "How does ragmesh decide how much traffic a slow replica gets?",
            "single",
            ["How does ragmesh decide how much traffic a slow replica gets?"],
        ),
    ],
)
def test_plan_splits_comparisons_conjunctions_and_keeps_simple_questions(
    question: str, strategy: str, parts: list[str]
) -> None:
    plan = plan_question(question, 4)
    assert plan.strategy == strategy
    assert [s.text for s in plan.sub_questions] == parts
    assert all(s.queries == (s.text,) for s in plan.sub_questions)


def test_plan_gives_each_named_entity_its_own_sub_question() -> None:
    question = "Which company did the founder of Acme Corp invest in after leaving Globex?"
    assert entities(question) == ["Acme Corp", "Globex"]
    plan = plan_question(question, 4)
    assert plan.strategy == "entities"
    first, second = (s.text for s in plan.sub_questions)
    assert first.startswith("Acme Corp") and "globex" not in first.lower()
    assert second.startswith("Globex") and "founder" in second


def test_plan_caps_the_number_of_sub_questions() -> None:
    question = "What is A1? What is B2? What is C3? What is D4? What is E5?"
    assert len(plan_question(question, 3).sub_questions) == 3


def test_reformulations_target_missing_terms_and_skip_issued_queries() -> None:
    found = ["Envoy picks a replica with least request load balancing."]
    queries = reformulations("How does Envoy weight a slow replica?", found, [])
    assert queries[0] == "Envoy weight slow"  # the entity plus what no passage mentions
    again = reformulations("How does Envoy weight a slow replica?", found, queries)
    assert not set(again) & set(queries)


async def test_refinement_follows_the_bridge_entity_of_a_multi_hop_question() -> None:
    corpus = [
        Passage("mh01#0", "mh01", "Widget Inc makes marine sensors. In 2014 Widget Inc was "
                "acquired by Halvard Marine Group for 40 million euros."),
        Passage("mh02#0", "mh02", "Halvard Marine Group is headquartered in Kvalvik, a "
                "fishing town on the west coast."),
        Passage("mh30#0", "mh30", "The company that builds harbour cranes is headquartered "
                "in a town by the sea."),
    ]  # fmt: skip
    writer = FakeWriter()
    steps, _ = await collect(
        Agent(SETTINGS),
        request("In which town is the company that acquired Widget Inc headquartered?",
                top_k=1, sufficiency_threshold=0.9),
        Tools(FakeRetriever(corpus), writer),
    )  # fmt: skip
    retrieves = [s for s in steps if s.kind is StepKind.RETRIEVE]
    assert retrieves[0].found_chunk_ids == ("mh01#0",)
    assert retrieves[1].queries[0].startswith("Halvard Marine Group")
    assert "mh02#0" in retrieves[1].found_chunk_ids
    assert {"mh01", "mh02"} <= {p.document_id for p in writer.contexts}


def test_local_sufficiency_measures_term_coverage() -> None:
    full = [Passage("a#0", "a", "Envoy picks a replica by least request.")]
    half = [Passage("b#0", "b", "Envoy is a proxy.")]
    assert local_sufficiency("How does Envoy pick a replica?", full) == 1.0
    assert 0 < local_sufficiency("How does Envoy pick a replica?", half) < 0.5
    assert local_sufficiency("How does Envoy pick a replica?", []) == 0.0


def test_evidence_counts_new_chunks_and_represents_every_sub_question() -> None:
    evidence = Evidence(2, 60.0)
    assert evidence.add(0, CORPUS[:3]) == 3
    assert evidence.add(0, CORPUS[1:4]) == 1
    assert evidence.add(1, [CORPUS[4]]) == 1
    contexts = evidence.answer_contexts(["what fuses rankings?", "what stores chunks?"], 2)
    assert [p.chunk_id for p in contexts] == ["fusion#1", "chroma#0"]


# ---- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("question", {"question": "   "}),
        ("question", {"question": "x" * 2001}),
        ("budget.max_steps", {"max_steps": -1}),
        ("budget.max_steps", {"max_steps": 11}),
        ("budget.time_budget", {"time_budget_s": -0.5}),
        ("budget.time_budget", {"time_budget_s": 121.0}),
        ("sufficiency_threshold", {"sufficiency_threshold": 1.5}),
        ("sufficiency_threshold", {"sufficiency_threshold": -0.1}),
        ("retrieval.top_k", {"top_k": -1}),
    ],
)
def test_out_of_range_requests_are_rejected(field: str, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = dict(
        question="What is BM25?",
        max_steps=0,
        time_budget_s=0.0,
        sufficiency_threshold=0.0,
        top_k=0,
        use_graph=False,
    )
    args.update(kwargs)
    with pytest.raises(InvalidArgument) as err:
        validate_request(SETTINGS, **args)  # type: ignore[arg-type]
    assert err.value.field_violations[0].field == field


def test_zero_values_mean_the_documented_defaults() -> None:
    run = validate_request(SETTINGS, " What is BM25? ", 0, 0.0, 0.0, 0, False)
    assert (run.question, run.max_steps, run.time_budget_s) == ("What is BM25?", 4, 30.0)
    assert (run.sufficiency_threshold, run.top_k) == (0.7, 10)
    assert validate_request(SETTINGS, "q?", 10, 120.0, 1.0, 500, True).top_k == 100


# ---- the loop -----------------------------------------------------------------------------


async def test_happy_path_plans_retrieves_checks_and_answers_with_citations() -> None:
    writer = FakeWriter()
    tools = Tools(FakeRetriever(), writer)
    steps, result = await collect(Agent(SETTINGS), request("How does Envoy pick a replica?"), tools)
    assert kinds(steps) == [StepKind.PLAN, StepKind.RETRIEVE, StepKind.CHECK, StepKind.ANSWER]
    assert [s.number for s in steps] == [1, 2, 3, 4]
    assert result.stop_reason is StopReason.SUFFICIENT and not result.partial
    retrieve = steps[1]
    assert retrieve.found_chunk_ids[0] == "envoy#0" and retrieve.new_chunk_count > 0
    assert result.final_sufficiency >= 0.7 and steps[2].sufficiency == result.final_sufficiency
    assert result.citations[0].chunk_id == "envoy#0" and "[1]" in result.answer
    assert result.steps == steps


async def test_comparison_retrieves_for_each_side_and_answers_from_both() -> None:
    writer = FakeWriter()
    retriever = FakeRetriever()
    steps, result = await collect(
        Agent(SETTINGS),
        request("What is the difference between rank fusion and Envoy replica picking?"),
        Tools(retriever, writer),
    )
    refine = [s for s in steps if s.kind is StepKind.REFINE]
    assert refine and "sub-question 2" in refine[0].note
    searched = [s.sub_question for s in steps if s.kind is StepKind.RETRIEVE]
    assert searched[:2] == ["What is rank fusion?", "What is Envoy replica picking?"]
    assert {"fusion", "envoy"} <= {p.document_id for p in writer.contexts}
    assert result.stop_reason is StopReason.SUFFICIENT


async def test_step_budget_exhaustion_returns_a_partial_answer() -> None:
    writer = FakeWriter()
    steps, result = await collect(
        Agent(SETTINGS),
        request(
            "What is the difference between rank fusion and Envoy replica picking?", max_steps=1
        ),
        Tools(FakeRetriever(), writer),
    )
    assert kinds(steps) == [StepKind.PLAN, StepKind.RETRIEVE, StepKind.CHECK, StepKind.ANSWER]
    assert result.partial and result.stop_reason is StopReason.STEP_BUDGET
    assert result.answer and writer.calls == 1  # still answered from what it had
    assert result.final_sufficiency < 0.7


async def test_time_budget_exhaustion_returns_a_partial_answer() -> None:
    writer = FakeWriter()
    retriever = FakeRetriever(delay_s=0.2)
    steps, result = await collect(
        Agent(SETTINGS),
        request("What is reciprocal rank fusion and how does Envoy pick a replica?",
                time_budget_s=0.3),
        Tools(retriever, writer),
    )  # fmt: skip
    assert result.partial and result.stop_reason is StopReason.TIME_BUDGET
    assert writer.calls == 1
    assert "time budget" in steps[-2].note  # the interrupted RETRIEVE step says why


async def test_call_deadline_caps_the_time_budget_minus_the_answer_margin() -> None:
    settings = AgentSettings(answer_margin_s=0.5)
    retriever = FakeRetriever(delay_s=0.2)
    _, result = await collect(
        Agent(settings),
        request("How does Envoy pick a replica?", sufficiency_threshold=1.0),
        Tools(retriever, FakeWriter()),
        deadline_s=0.4,  # leaves nothing once the margin is kept back
    )
    assert result.stop_reason is StopReason.TIME_BUDGET and result.partial
    assert retriever.calls == []


async def test_nothing_found_stops_with_no_progress_not_partial() -> None:
    writer = FakeWriter()
    steps, result = await collect(
        Agent(SETTINGS), request("Which volcano erupted in 1783?"), Tools(FakeRetriever(), writer)
    )
    assert result.stop_reason is StopReason.NO_PROGRESS and not result.partial
    assert result.final_sufficiency == 0.0 and writer.contexts == []
    assert len([s for s in steps if s.kind is StepKind.RETRIEVE]) < 4


async def test_refinement_searches_for_what_is_missing() -> None:
    retriever = FakeRetriever()
    steps, result = await collect(
        Agent(SETTINGS),
        request("How does Envoy weight a slow replica?", top_k=1, sufficiency_threshold=0.8),
        Tools(retriever, FakeWriter(), expander=FakeExpander(down=True)),
    )
    # The first search finds the weights passage, which never names Envoy.
    first, second = (s for s in steps if s.kind is StepKind.RETRIEVE)
    assert first.found_chunk_ids == ("envoy#1",)
    refine = next(s for s in steps if s.kind is StepKind.REFINE)
    assert "QueryEnhancementService unavailable" in refine.note
    # The weights passage leads to EDS; Envoy is the part no passage has mentioned yet.
    assert refine.queries == ("EDS envoy", "Envoy") and second.queries == refine.queries
    assert "envoy#0" in second.found_chunk_ids and second.new_chunk_count == 1
    assert result.stop_reason is StopReason.SUFFICIENT and steps[2].sufficiency < 0.8


async def test_expander_queries_are_used_when_the_service_answers() -> None:
    expander = FakeExpander(["EDS weights slow replica traffic"])
    steps, _ = await collect(
        Agent(SETTINGS),
        request("How does ragmesh treat a sluggish backend?", sufficiency_threshold=1.0),
        Tools(FakeRetriever(), FakeWriter(), expander=expander),
    )
    refine = next(s for s in steps if s.kind is StepKind.REFINE)
    assert refine.queries[0] == "EDS weights slow replica traffic"
    assert "QueryEnhancementService" in refine.note


async def test_evaluation_relevance_discounts_off_topic_evidence_when_reachable() -> None:
    question = "How does Envoy pick a replica?"  # every term covered
    on_topic = FakeScorer(relevance=0.95)  # above relevance_full: no discount
    steps, result = await collect(
        Agent(SETTINGS), request(question), Tools(FakeRetriever(), FakeWriter(), scorer=on_topic)
    )
    assert steps[2].sufficiency == pytest.approx(1.0)
    assert result.stop_reason is StopReason.SUFFICIENT
    assert "fake-scorer" in steps[2].note and on_topic.calls == 1

    off_topic = FakeScorer(relevance=0.1)  # below relevance_floor: half the coverage counts
    steps, result = await collect(
        Agent(SETTINGS), request(question), Tools(FakeRetriever(), FakeWriter(), scorer=off_topic)
    )
    assert steps[2].sufficiency == pytest.approx(0.5)
    assert result.stop_reason is not StopReason.SUFFICIENT


def test_passages_that_only_share_words_do_not_complete_a_multi_hop_chain() -> None:
    question = "In which town is the company that acquired Widget Inc headquartered?"
    hop1 = Passage("mh01#0", "mh01", "In 2014 Widget Inc was acquired by Halvard Marine Group.")
    hop2 = Passage("mh02#0", "mh02", "Halvard Marine Group is headquartered in Kvalvik, a town.")
    lookalike = Passage("mh26#0", "mh26", "In which town a company is headquartered matters.")
    chain, linked = linked_passages(question, [hop1, lookalike])
    assert linked and chain == [hop1]
    alone = local_sufficiency(question, [hop1, lookalike])
    assert alone == pytest.approx(0.5)  # widget, inc, acquired of six terms
    assert local_sufficiency(question, [hop1, hop2, lookalike]) > alone
    assert linked_passages(question, [hop1, hop2, lookalike])[0] == [hop1, hop2]
    # No named entity: every passage counts.
    assert linked_passages("which town is it?", [lookalike]) == ([lookalike], False)


async def test_unreachable_evaluation_falls_back_to_local_signals() -> None:
    scorer = FakeScorer(down=True)
    steps, result = await collect(
        Agent(SETTINGS),
        request("How does Envoy pick a replica?"),
        Tools(FakeRetriever(), FakeWriter(), scorer=scorer),
    )
    assert result.stop_reason is StopReason.SUFFICIENT
    assert "local term coverage (EvaluationService unavailable" in steps[2].note
    assert scorer.calls == 1  # not asked again in the same run


async def test_graph_links_are_searched_only_through_the_store() -> None:
    retriever = FakeRetriever()
    steps, _ = await collect(
        Agent(SETTINGS),
        request("Which rankings are merged?", use_graph=True),
        Tools(retriever, FakeWriter(), graph=FakeGraph(["secret", "fusion"])),
    )
    scoped = [c for c in retriever.calls if c[2]]
    assert scoped and scoped[0][2] == ("secret", "fusion")
    shown = {c for s in steps for c in s.found_chunk_ids}
    assert "secret#0" not in shown and "fusion#0" in shown  # the store hid what it must
    assert "graph linked 2 documents" in steps[1].note


async def test_unreachable_graph_degrades_to_plain_search() -> None:
    steps, result = await collect(
        Agent(SETTINGS),
        request("How does Envoy pick a replica?", use_graph=True),
        Tools(FakeRetriever(), FakeWriter(), graph=FakeGraph(down=True)),
    )
    assert "graph expansion unavailable" in steps[1].note
    assert result.stop_reason is StopReason.SUFFICIENT


async def test_retrieval_down_is_an_error_not_an_answer() -> None:
    class DownRetriever(FakeRetriever):
        async def search(
            self, query: str, top_k: int, document_ids: Sequence[str] = ()
        ) -> list[Passage]:
            raise Unavailable(message="VectorStoreService is unavailable", reason="DOWN")

    writer = FakeWriter()
    with pytest.raises(Unavailable):
        await collect(Agent(SETTINGS), request("What is BM25?"), Tools(DownRetriever(), writer))
    assert writer.calls == 0


async def test_too_many_concurrent_runs_are_refused_with_a_retry_delay() -> None:
    agent = Agent(AgentSettings(max_concurrent_runs=1, answer_margin_s=0.0))
    slow = Tools(FakeRetriever(delay_s=0.3), FakeWriter())
    first = asyncio.create_task(collect(agent, request("How does Envoy pick a replica?"), slow))
    await asyncio.sleep(0.05)
    with pytest.raises(ResourceExhausted) as err:
        await collect(agent, request("What is BM25?"), Tools(FakeRetriever(), FakeWriter()))
    assert err.value.retry_after_s
    await first
    # The slot is free again once the first run has finished.
    _, result = await collect(agent, request("What is BM25?"), Tools(FakeRetriever(), FakeWriter()))
    assert result.answer

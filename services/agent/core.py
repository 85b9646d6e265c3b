"""The agent loop (no gRPC): plan -> (retrieve -> check -> refine)* -> answer, within budgets.

One run works through the planned sub-questions: each round retrieves for one
sub-question, checks how sufficient the gathered context is for every sub-question (the
run's score is the weakest one: a question is answerable only when each part is), and,
when it is not enough, refines: moves to a sub-question not yet searched, or reformulates
one that is still weak. The run stops when the context suffices, the rounds or the time
run out (a partial answer, not an error), or nothing new can be tried; then it answers.

The services it uses come in as small protocols (``Tools``) so this module never knows
about the mesh; optional ones (scoring, expansion, graph) degrade to local logic when they
fail, and the step notes say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import math
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from services.agent.evidence import (
    Evidence,
    Passage,
    fuse,
    linked_passages,
    local_sufficiency,
)
from services.agent.planning import Plan, SubQuestion, plan_question, reformulations
from services.agent.settings import AgentSettings
from services.runtime.errors import DomainError, ResourceExhausted, invalid_field

log = logging.getLogger(__name__)


class StepKind(enum.Enum):
    PLAN = "plan"
    RETRIEVE = "retrieve"
    CHECK = "check"
    REFINE = "refine"
    ANSWER = "answer"


class StopReason(enum.Enum):
    SUFFICIENT = "sufficient"
    STEP_BUDGET = "step_budget"
    TIME_BUDGET = "time_budget"
    NO_PROGRESS = "no_progress"

    @property
    def partial(self) -> bool:
        return self in (StopReason.STEP_BUDGET, StopReason.TIME_BUDGET)


@dataclass
class Step:
    """One entry of the trace (see AgentStep in agent.proto)."""

    number: int
    kind: StepKind
    round: int = 0
    sub_question: str = ""
    queries: tuple[str, ...] = ()
    found_chunk_ids: tuple[str, ...] = ()
    new_chunk_count: int = 0
    sufficiency: float = 0.0
    duration_s: float = 0.0
    note: str = ""


@dataclass(frozen=True)
class Citation:
    document_id: str
    chunk_id: str
    score: float
    snippet: str
    title: str
    marker: int


@dataclass(frozen=True)
class GeneratedAnswer:
    text: str
    citations: tuple[Citation, ...]
    model_id: str


@dataclass
class AgentResult:
    answer: str
    citations: tuple[Citation, ...]
    steps: list[Step]
    partial: bool
    stop_reason: StopReason
    final_sufficiency: float
    duration_s: float


@dataclass(frozen=True)
class RunRequest:
    """A validated request: every default resolved."""

    question: str
    max_steps: int
    time_budget_s: float
    sufficiency_threshold: float
    top_k: int
    use_graph: bool = False


class Retriever(Protocol):
    """Searches the vector store as the caller (filters of the request already applied)."""

    async def search(
        self, query: str, top_k: int, document_ids: Sequence[str] = ()
    ) -> list[Passage]: ...


class AnswerWriter(Protocol):
    async def answer(
        self, question: str, contexts: Sequence[Passage], max_citations: int
    ) -> GeneratedAnswer: ...


class RelevanceScorer(Protocol):
    """Relevance in [0, 1] of each passage to a question (EvaluationService.ScoreAnswer)."""

    name: str

    async def relevance(self, question: str, passages: Sequence[Passage]) -> list[float]: ...


class QueryExpander(Protocol):
    """Alternative queries for a question (QueryEnhancementService), original excluded."""

    async def expand(self, query: str, count: int) -> list[str]: ...


class GraphLinker(Protocol):
    """Documents linked to a question's entities within a few hops (GraphService)."""

    async def linked_documents(self, question: str, max_hops: int, limit: int) -> list[str]: ...


@dataclass(frozen=True)
class Tools:
    retriever: Retriever
    writer: AnswerWriter
    scorer: RelevanceScorer | None = None
    expander: QueryExpander | None = None
    graph: GraphLinker | None = None


Event = Step | AgentResult


def validate_request(
    settings: AgentSettings,
    question: str,
    max_steps: int,
    time_budget_s: float,
    sufficiency_threshold: float,
    top_k: int,
    use_graph: bool,
) -> RunRequest:
    """Check a request against the contract's limits and fill in its defaults."""
    if not question.strip():
        raise invalid_field("question", "must not be empty")
    if len(question) > settings.max_question_chars:
        raise invalid_field(
            "question",
            f"is {len(question)} characters; the limit is {settings.max_question_chars}",
        )
    if max_steps < 0 or max_steps > settings.max_steps_limit:
        raise invalid_field(
            "budget.max_steps",
            f"is {max_steps}; use 1-{settings.max_steps_limit}, or 0 for "
            f"{settings.default_max_steps}",
        )
    if math.isnan(time_budget_s) or time_budget_s < 0 or time_budget_s > settings.max_time_budget_s:
        raise invalid_field(
            "budget.time_budget",
            f"is {time_budget_s:g} s; use at most {settings.max_time_budget_s:g} s, or unset for "
            f"{settings.default_time_budget_s:g} s",
        )
    if math.isnan(sufficiency_threshold) or not 0 <= sufficiency_threshold <= 1:
        raise invalid_field(
            "sufficiency_threshold",
            f"is {sufficiency_threshold:g}; use a value in (0, 1], or 0 for "
            f"{settings.default_sufficiency_threshold:g}",
        )
    if top_k < 0:
        raise invalid_field("retrieval.top_k", "must not be negative")
    return RunRequest(
        question=question.strip(),
        max_steps=max_steps or settings.default_max_steps,
        time_budget_s=time_budget_s or settings.default_time_budget_s,
        sufficiency_threshold=sufficiency_threshold or settings.default_sufficiency_threshold,
        top_k=min(top_k or settings.default_top_k, settings.max_top_k),
        use_graph=use_graph,
    )


class Agent:
    """Runs agent loops, a bounded number at a time."""

    def __init__(
        self, settings: AgentSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._running = 0

    def _acquire(self) -> None:
        if self._running >= self._settings.max_concurrent_runs:
            raise ResourceExhausted(
                message=f"{self._running} agent runs are in progress, the limit of this "
                "replica; retry shortly",
                reason="TOO_MANY_RUNS",
                retry_after_s=self._settings.retry_after_s,
            )
        self._running += 1

    async def run(
        self, request: RunRequest, tools: Tools, deadline_s: float | None = None
    ) -> AsyncGenerator[Event, None]:
        """Yield each step as it completes, then the result.

        ``deadline_s`` is the time the caller has left (None: no deadline); the time budget
        is cut to it, minus the margin kept for the answer.
        """
        self._acquire()
        held = True
        try:
            run = _Run(self._settings, request, tools, self._clock, deadline_s)
            async for event in run.events():
                if isinstance(event, AgentResult):
                    # Free the slot before the consumer sees the result: a consumer that
                    # stops iterating there would otherwise hold it until garbage collection.
                    self._running -= 1
                    held = False
                yield event
        finally:
            if held:
                self._running -= 1

    async def run_to_end(
        self, request: RunRequest, tools: Tools, deadline_s: float | None = None
    ) -> AgentResult:
        async with contextlib.aclosing(self.run(request, tools, deadline_s)) as events:
            async for event in events:
                if isinstance(event, AgentResult):
                    return event
        raise AssertionError("an agent run always ends with a result")


@dataclass
class _SubState:
    question: SubQuestion
    rounds: int = 0
    issued: list[str] = field(default_factory=list)
    score: float = 0.0
    # The passages the score was computed from, to skip re-scoring unchanged evidence.
    scored_ids: tuple[str, ...] = ()
    exhausted: bool = False


class _Run:
    """The state of one agent run."""

    def __init__(
        self,
        settings: AgentSettings,
        request: RunRequest,
        tools: Tools,
        clock: Callable[[], float],
        deadline_s: float | None,
    ) -> None:
        self._s = settings
        self._r = request
        self._t = tools
        self._clock = clock
        self._started = clock()
        budget = request.time_budget_s
        if deadline_s is not None:
            budget = min(budget, deadline_s - settings.answer_margin_s)
        self._stop_at = self._started + budget
        self._steps: list[Step] = []
        self._scorer = tools.scorer
        self._expander = tools.expander
        self._graph = tools.graph if request.use_graph else None
        self._subs: list[_SubState] = []
        self._evidence = Evidence(0, settings.fusion_k)

    def _remaining(self) -> float:
        return self._stop_at - self._clock()

    def _step(self, kind: StepKind, started: float, **fields: Any) -> Step:
        elapsed = max(0.0, self._clock() - started)
        step = Step(number=len(self._steps) + 1, kind=kind, duration_s=elapsed, **fields)
        self._steps.append(step)
        return step

    async def events(self) -> AsyncIterator[Event]:
        started = self._clock()
        plan = plan_question(self._r.question, self._s.max_sub_questions)
        self._subs = [_SubState(q) for q in plan.sub_questions]
        self._evidence = Evidence(len(self._subs), self._s.fusion_k)
        yield self._step(
            StepKind.PLAN,
            started,
            sub_question=plan.sub_questions[0].text,
            queries=tuple(q for sub in plan.sub_questions for q in sub.queries),
            note=_plan_note(plan),
        )
        current, queries = 0, list(plan.sub_questions[0].queries)
        stop: StopReason | None = None
        overall = 0.0
        for round_number in range(1, self._r.max_steps + 1):
            if self._remaining() <= 0:
                stop = StopReason.TIME_BUDGET
                break
            sub = self._subs[current]
            started = self._clock()
            try:
                async with asyncio.timeout(self._remaining()):
                    found, note = await self._retrieve(sub.question.text, queries)
            except TimeoutError:
                yield self._step(
                    StepKind.RETRIEVE, started, round=round_number,
                    sub_question=sub.question.text, queries=tuple(queries),
                    note="cut short: the time budget ran out during the search",
                )  # fmt: skip
                stop = StopReason.TIME_BUDGET
                break
            refining = sub.rounds > 0
            sub.rounds += 1
            sub.issued.extend(queries)
            new = self._evidence.add(current, found)
            if refining and new == 0:
                # Reformulating found nothing new: more of the same will not either.
                sub.exhausted = True
            yield self._step(
                StepKind.RETRIEVE, started, round=round_number, sub_question=sub.question.text,
                queries=tuple(queries), found_chunk_ids=tuple(p.chunk_id for p in found),
                new_chunk_count=new, note=note,
            )  # fmt: skip

            started = self._clock()
            try:
                async with asyncio.timeout(self._remaining()):
                    overall, note = await self._check()
            except TimeoutError:
                yield self._step(
                    StepKind.CHECK, started, round=round_number, sufficiency=overall,
                    note="cut short: the time budget ran out during the check",
                )  # fmt: skip
                stop = StopReason.TIME_BUDGET
                break
            check = self._step(StepKind.CHECK, started, round=round_number, sufficiency=overall)
            if overall >= self._r.sufficiency_threshold:
                stop = StopReason.SUFFICIENT
            elif round_number == self._r.max_steps:
                stop = StopReason.STEP_BUDGET
            elif self._remaining() <= 0:
                stop = StopReason.TIME_BUDGET
            check.note = note + _stop_note(stop, self._r.sufficiency_threshold)
            if stop is not None:
                yield check
                break

            started = self._clock()
            try:
                async with asyncio.timeout(self._remaining()):
                    chosen = await self._refine(current)
            except TimeoutError:
                yield check
                stop = StopReason.TIME_BUDGET
                break
            if chosen is None:
                check.note += "; nothing left to try, answering from what was found"
                yield check
                stop = StopReason.NO_PROGRESS
                break
            yield check
            current, queries, note = chosen
            yield self._step(
                StepKind.REFINE, started, round=round_number,
                sub_question=self._subs[current].question.text, queries=tuple(queries), note=note,
            )  # fmt: skip
        assert stop is not None  # the loop runs at least once: max_steps >= 1

        started = self._clock()
        contexts = self._evidence.answer_contexts(
            [sub.question.text for sub in self._subs], self._s.max_answer_contexts
        )
        max_citations = min(20, max(5, 2 * len(self._subs)))
        answer = await self._t.writer.answer(self._r.question, contexts, max_citations)
        yield self._step(
            StepKind.ANSWER,
            started,
            note=f"answered from {len(contexts)} passages with {len(answer.citations)} "
            f"citations ({answer.model_id})" + ("; partial" if stop.partial else ""),
        )
        yield AgentResult(
            answer=answer.text,
            citations=answer.citations,
            steps=list(self._steps),
            partial=stop.partial,
            stop_reason=stop,
            final_sufficiency=overall,
            duration_s=max(0.0, self._clock() - self._started),
        )

    async def _retrieve(
        self, sub_question: str, queries: Sequence[str]
    ) -> tuple[list[Passage], str]:
        top_k = self._r.top_k
        searches = [self._t.retriever.search(q, top_k) for q in queries]
        notes: list[str] = []
        lists = list(await asyncio.gather(*searches))
        if self._graph is not None:
            try:
                documents = await self._graph.linked_documents(
                    sub_question, self._s.graph_max_hops, self._s.graph_max_documents
                )
            except DomainError as error:
                log.warning("graph expansion unavailable: %s", error.message)
                self._graph = None
                notes.append(f"graph expansion unavailable ({error.message}); search only")
            else:
                if documents:
                    lists.append(await self._t.retriever.search(sub_question, top_k, documents))
                notes.append(f"graph linked {len(documents)} documents")
        found = fuse(lists, top_k, self._s.fusion_k) if len(lists) > 1 else lists[0][:top_k]
        notes.insert(0, f"{len(found)} passages from {len(queries)} queries")
        return found, "; ".join(notes)

    async def _check(self) -> tuple[float, str]:
        """Score every sub-question's evidence; the run's score is the weakest one.

        Term coverage says whether what was asked is there; EvaluationService's relevance,
        when reachable, discounts evidence that is off topic: score = coverage x (0.5 + 0.5
        x calibrated relevance of the best linked passage).
        """
        limit = self._s.check_passages
        chains = [
            linked_passages(sub.question.text, self._evidence.for_sub_question(i, limit))[0]
            for i, sub in enumerate(self._subs)
        ]
        stale = [
            i
            for i, sub in enumerate(self._subs)
            if tuple(p.chunk_id for p in chains[i]) != sub.scored_ids
        ]
        scorer_name = "local term coverage"
        remote: dict[int, list[float]] | None = None
        asked = [i for i in stale if chains[i]]
        if self._scorer is not None and asked:
            scorer = self._scorer
            try:
                relevance = await asyncio.gather(
                    *(scorer.relevance(self._subs[i].question.text, chains[i]) for i in asked)
                )
            except DomainError as error:
                log.warning("answer scoring unavailable: %s", error.message)
                self._scorer = None
                scorer_name = (
                    f"local term coverage (EvaluationService unavailable: {error.message})"
                )
            else:
                remote = dict(zip(asked, relevance, strict=True))
                scorer_name = f"term coverage x EvaluationService relevance ({scorer.name})"
        elif self._scorer is not None:
            scorer_name = f"term coverage x EvaluationService relevance ({self._scorer.name})"
        for i in stale:
            sub = self._subs[i]
            sub.score = local_sufficiency(sub.question.text, chains[i])
            if remote is not None and i in remote:
                best = self._calibrated(max(remote[i], default=0.0))
                sub.score *= 0.5 + 0.5 * best
            sub.scored_ids = tuple(p.chunk_id for p in chains[i])
        overall = min(sub.score for sub in self._subs)
        parts = ", ".join(f"{i + 1}: {sub.score:.2f}" for i, sub in enumerate(self._subs))
        return overall, f"sufficiency {overall:.2f} by {scorer_name} (sub-questions {parts})"

    def _calibrated(self, relevance: float) -> float:
        floor, full = self._s.relevance_floor, max(self._s.relevance_full, self._s.relevance_floor)
        if full <= floor:
            return 1.0 if relevance >= full else 0.0
        return min(1.0, max(0.0, (relevance - floor) / (full - floor)))

    async def _refine(self, current: int) -> tuple[int, list[str], str] | None:
        """The next sub-question and queries, or None when nothing new is worth trying."""
        threshold = self._r.sufficiency_threshold
        weak = [i for i, sub in enumerate(self._subs) if sub.score < threshold]
        for i in weak:
            if self._subs[i].rounds == 0:
                return (
                    i,
                    list(self._subs[i].question.queries),
                    f"moving to sub-question {i + 1} of {len(self._subs)}",
                )
        order = ([current] if current in weak else []) + [i for i in weak if i != current]
        for i in order:
            sub = self._subs[i]
            if sub.exhausted or sub.rounds >= self._s.max_rounds_per_sub_question:
                continue
            queries, how = await self._new_queries(sub)
            if queries:
                return (
                    i,
                    queries,
                    f"sub-question {i + 1} scored {sub.score:.2f}, below "
                    f"{threshold:.2f}: reformulated ({how})",
                )
            sub.exhausted = True
        return None

    async def _new_queries(self, sub: _SubState) -> tuple[list[str], str]:
        wanted = self._s.max_refined_queries
        issued = {q.strip().lower() for q in sub.issued}
        out: list[str] = []
        sources: list[str] = []
        if self._expander is not None:
            try:
                expanded = await self._expander.expand(sub.question.text, wanted)
            except DomainError as error:
                log.warning("query expansion unavailable: %s", error.message)
                self._expander = None
                sources.append("QueryEnhancementService unavailable")
            else:
                fresh = [q for q in expanded if q.strip() and q.strip().lower() not in issued]
                if fresh:
                    out.extend(fresh[:wanted])
                    sources.append("QueryEnhancementService")
        if len(out) < wanted:
            index = self._subs.index(sub)
            found = self._evidence.for_sub_question(index, self._s.check_passages)
            texts = [p.text for p in linked_passages(sub.question.text, found)[0]]
            local = reformulations(sub.question.text, texts, [*sub.issued, *out])
            if local:
                out.extend(local[: wanted - len(out)])
                sources.append("missing terms and feedback words")
        return out, ", ".join(sources) or "no new queries"


def _plan_note(plan: Plan) -> str:
    if len(plan.sub_questions) == 1:
        return "one sub-question: the question itself"
    listed = "; ".join(f"{i + 1}. {s.text}" for i, s in enumerate(plan.sub_questions))
    return f"{len(plan.sub_questions)} sub-questions ({plan.strategy}): {listed}"


def _stop_note(stop: StopReason | None, threshold: float) -> str:
    if stop is StopReason.SUFFICIENT:
        return f"; reached the threshold {threshold:.2f}"
    if stop is StopReason.STEP_BUDGET:
        return f"; below {threshold:.2f} and no rounds left: answering partially"
    if stop is StopReason.TIME_BUDGET:
        return f"; below {threshold:.2f} and no time left: answering partially"
    return f"; below {threshold:.2f}"

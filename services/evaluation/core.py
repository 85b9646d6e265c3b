"""EvaluationService's domain object: offline evaluation, answer scoring and experiments,
with the blocking SQLite work kept off the event loop. No gRPC here."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from services.evaluation.ab_results import (
    Results,
    SignificanceTest,
    check_parameters,
    compute,
    select_metrics,
)
from services.evaluation.answer_signals import AnswerScore, AnswerScorer, CitedPassage, Passage
from services.evaluation.experiments import (
    Assignment,
    Experiment,
    ExperimentPage,
    ExperimentStore,
    Outcome,
    State,
)
from services.evaluation.labeled_sets import LabeledSet, beir_set, resolve_dataset
from services.evaluation.offline import Evaluation, Rank, RetrievalEvaluator, cutoffs
from services.evaluation.settings import EvaluationSettings


class EvaluationCore:
    def __init__(
        self, settings: EvaluationSettings, store: ExperimentStore, scorer: AnswerScorer
    ) -> None:
        self.settings = settings
        self._store = store
        self._scorer = scorer
        self._evaluator = RetrievalEvaluator(
            settings.max_concurrent_evaluations, settings.query_concurrency, settings.max_queries
        )

    # ---- offline ----------------------------------------------------------------------------

    async def load_beir(self, path: str, split: str) -> LabeledSet:
        root = Path(self.settings.datasets_root)
        folder = resolve_dataset(root, path)
        return await asyncio.to_thread(beir_set, folder, split, self.settings.max_queries)

    async def evaluate(
        self, labeled: LabeledSet, k_values: Sequence[int], max_queries: int, rank: Rank
    ) -> Evaluation:
        ks = cutoffs(k_values, self.settings.max_k, self.settings.max_k_values)
        return await self._evaluator.evaluate(labeled, ks, max_queries, rank)

    async def score(
        self,
        question: str,
        answer: str,
        contexts: Sequence[Passage],
        citations: Sequence[CitedPassage],
    ) -> AnswerScore:
        return await self._scorer.score(question, answer, contexts, citations)

    # ---- experiments ------------------------------------------------------------------------

    async def create(self, experiment: Experiment, creator: str) -> Experiment:
        return await asyncio.to_thread(self._store.create, experiment, creator)

    async def get(self, experiment_id: str) -> Experiment:
        return await asyncio.to_thread(self._store.get, experiment_id)

    async def list(
        self, page_size: int, page_token: str, states: Sequence[State]
    ) -> ExperimentPage:
        return await asyncio.to_thread(
            self._store.list_experiments,
            page_size,
            page_token,
            states,
            self.settings.default_page_size,
            self.settings.max_page_size,
        )

    async def update(self, changes: Experiment, paths: Sequence[str]) -> Experiment:
        return await asyncio.to_thread(self._store.update, changes, paths)

    async def set_state(self, experiment_id: str, state: State) -> Experiment:
        return await asyncio.to_thread(self._store.set_state, experiment_id, state)

    async def delete(self, experiment_id: str, allow_missing: bool) -> int:
        return await asyncio.to_thread(self._store.delete, experiment_id, allow_missing)

    async def assign(self, experiment_id: str, subject_key: str) -> Assignment:
        return await asyncio.to_thread(self._store.assign, experiment_id, subject_key)

    async def record(self, outcome: Outcome) -> Outcome:
        return await asyncio.to_thread(self._store.record, outcome)

    async def results(
        self,
        experiment_id: str,
        alpha: float,
        metric_names: Sequence[str],
        test: SignificanceTest,
        resamples: int,
    ) -> Results:
        alpha, resamples = check_parameters(
            alpha, resamples, self.settings.default_bootstrap_resamples
        )
        names = select_metrics(metric_names)
        data = await asyncio.to_thread(self._store.data, experiment_id, names)
        # The bootstrap is CPU work: keep it off the loop too.
        return await asyncio.to_thread(
            compute, data, alpha, test, resamples, self.settings.bootstrap_seed
        )

    def close(self) -> None:
        self._store.close()

"""Conversions between rag.v1 evaluation messages and the evaluation domain types."""

from __future__ import annotations

from google.protobuf import timestamp_pb2

from rag.v1 import common_pb2, evaluation_pb2, query_enhancement_pb2
from services.common.convert import duration
from services.evaluation.ab_results import Results, SignificanceTest
from services.evaluation.answer_signals import AnswerScore, CitedPassage, Passage
from services.evaluation.experiments import Experiment, Outcome, State, Variant
from services.evaluation.labeled_sets import Judgment
from services.evaluation.offline import Evaluation
from services.evaluation.retrieval_metrics import MetricsAtK
from services.runtime.errors import invalid_field

_STRATEGIES = {
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_MULTI_QUERY,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_HYDE,
}
_MODES = {
    common_pb2.RETRIEVAL_MODE_UNSPECIFIED,
    common_pb2.RETRIEVAL_MODE_DENSE,
    common_pb2.RETRIEVAL_MODE_KEYWORD,
    common_pb2.RETRIEVAL_MODE_HYBRID,
}
TESTS = {
    evaluation_pb2.SIGNIFICANCE_TEST_UNSPECIFIED: SignificanceTest.WELCH_T,
    evaluation_pb2.SIGNIFICANCE_TEST_WELCH_T: SignificanceTest.WELCH_T,
    evaluation_pb2.SIGNIFICANCE_TEST_BOOTSTRAP: SignificanceTest.BOOTSTRAP,
}
_TEST_MESSAGES = {
    SignificanceTest.WELCH_T: evaluation_pb2.SIGNIFICANCE_TEST_WELCH_T,
    SignificanceTest.BOOTSTRAP: evaluation_pb2.SIGNIFICANCE_TEST_BOOTSTRAP,
}


# ---- offline evaluation -------------------------------------------------------------------


def check_config(config: evaluation_pb2.RetrievalConfig, where: str) -> None:
    """Reject what the pipeline would reject later, naming the field."""
    retrieval = config.retrieval
    if retrieval.mode not in _MODES:
        raise invalid_field(f"{where}.retrieval.mode", "unknown retrieval mode")
    if retrieval.dense_weight < 0 or retrieval.keyword_weight < 0:
        raise invalid_field(f"{where}.retrieval", "dense_weight and keyword_weight must be >= 0")
    if retrieval.top_k < 0:
        raise invalid_field(f"{where}.retrieval.top_k", "must not be negative")
    seen: set[int] = set()
    for i, strategy in enumerate(config.enhancement_strategies):
        if strategy not in _STRATEGIES:
            raise invalid_field(
                f"{where}.enhancement_strategies[{i}]",
                "must be MULTI_QUERY, PSEUDO_RELEVANCE_FEEDBACK or HYDE",
            )
        if strategy in seen:
            raise invalid_field(f"{where}.enhancement_strategies[{i}]", "duplicate strategy")
        seen.add(strategy)


def inline_queries(labeled: evaluation_pb2.InlineLabeledSet) -> list[tuple[str, str]]:
    return [(q.id, q.text) for q in labeled.queries]


def inline_judgments(labeled: evaluation_pb2.InlineLabeledSet) -> list[Judgment]:
    return [Judgment(j.query_id, j.document_id, j.relevance) for j in labeled.judgments]


def _metrics(values: list[MetricsAtK]) -> list[evaluation_pb2.RetrievalMetrics]:
    return [
        evaluation_pb2.RetrievalMetrics(k=m.k, ndcg=m.ndcg, recall=m.recall, mrr=m.mrr)
        for m in values
    ]


def evaluation_response(result: Evaluation) -> evaluation_pb2.EvaluateRetrievalResponse:
    return evaluation_pb2.EvaluateRetrievalResponse(
        metrics=_metrics(result.metrics),
        query_metrics=[
            evaluation_pb2.QueryMetrics(
                query_id=q.query_id,
                metrics=_metrics(q.metrics),
                first_relevant_rank=q.first_relevant_rank,
                retrieved_document_count=q.retrieved_document_count,
                latency=duration(q.latency_s),
            )
            for q in sorted(result.queries, key=lambda q: q.query_id.encode("utf-8"))
        ],
        total_query_count=result.total_query_count,
        evaluated_query_count=result.evaluated_query_count,
        skipped_query_count=result.skipped_query_count,
        latency_p50=duration(result.latency_p50_s),
        latency_p95=duration(result.latency_p95_s),
    )


# ---- answer scoring -----------------------------------------------------------------------


def passages(request: evaluation_pb2.ScoreAnswerRequest) -> list[Passage]:
    return [Passage(c.chunk.id, c.chunk.text) for c in request.contexts]


def cited(request: evaluation_pb2.ScoreAnswerRequest) -> list[CitedPassage]:
    return [CitedPassage(c.marker, c.chunk_id, c.snippet) for c in request.citations]


def score_response(score: AnswerScore) -> evaluation_pb2.ScoreAnswerResponse:
    return evaluation_pb2.ScoreAnswerResponse(
        signals=evaluation_pb2.AnswerSignals(
            context_relevance=score.context_relevance,
            groundedness=score.groundedness,
            citation_coverage=score.citation_coverage,
            citation_precision=score.citation_precision,
        ),
        sentences=[
            evaluation_pb2.SentenceSignal(
                text=s.text,
                start_offset=s.start,
                end_offset=s.end,
                support_score=s.support_score,
                supported=s.supported,
                supporting_chunk_ids=s.supporting_chunk_ids,
                citation_markers=s.markers,
            )
            for s in score.sentences
        ],
        scorer=score.scorer,
        context_relevance_scores=score.context_relevance_scores,
    )


# ---- experiments --------------------------------------------------------------------------


def variants(messages: list[evaluation_pb2.Variant]) -> tuple[Variant, ...]:
    out = []
    for i, message in enumerate(messages):
        config = None
        if message.HasField("config"):
            check_config(message.config, f"experiment.variants[{i}].config")
            config = message.config.SerializeToString(deterministic=True)
        out.append(Variant(message.name, message.traffic_weight, config))
    return tuple(out)


def experiment(message: evaluation_pb2.Experiment, experiment_id: str) -> Experiment:
    return Experiment(
        id=experiment_id,
        display_name=message.display_name,
        description=message.description,
        variants=variants(list(message.variants)),
        control_variant=message.control_variant,
    )


def variant_message(variant: Variant) -> evaluation_pb2.Variant:
    message = evaluation_pb2.Variant(name=variant.name, traffic_weight=variant.traffic_weight)
    if variant.config is not None:
        message.config.ParseFromString(variant.config)
    return message


def timestamp(seconds: float) -> timestamp_pb2.Timestamp:
    value = timestamp_pb2.Timestamp()
    value.FromNanoseconds(int(seconds * 1e9))
    return value


def seconds(value: timestamp_pb2.Timestamp) -> float:
    return value.ToNanoseconds() / 1e9


def experiment_message(experiment: Experiment) -> evaluation_pb2.Experiment:
    message = evaluation_pb2.Experiment(
        id=experiment.id,
        display_name=experiment.display_name,
        description=experiment.description,
        variants=[variant_message(v) for v in experiment.variants],
        control_variant=experiment.control_variant,
        state=int(experiment.state),  # type: ignore[arg-type]
        create_time=timestamp(experiment.create_time),
        update_time=timestamp(experiment.update_time),
        creator=experiment.creator,
    )
    if experiment.start_time is not None:
        message.start_time.CopyFrom(timestamp(experiment.start_time))
    if experiment.end_time is not None:
        message.end_time.CopyFrom(timestamp(experiment.end_time))
    return message


def states(values: list[int]) -> list[State]:
    out = []
    for i, value in enumerate(values):
        if value not in {int(s) for s in State}:
            raise invalid_field(f"states[{i}]", "must be DRAFT, RUNNING, PAUSED or STOPPED")
        out.append(State(value))
    return out


def target_state(value: int) -> State:
    if value == evaluation_pb2.EXPERIMENT_STATE_UNSPECIFIED or value not in {int(s) for s in State}:
        raise invalid_field("state", "must be RUNNING, PAUSED or STOPPED")
    return State(value)


def outcome(message: evaluation_pb2.Outcome, experiment_id: str, subject_key: str) -> Outcome:
    return Outcome(
        id=message.id,
        experiment_id=experiment_id,
        subject_key=subject_key,
        variant=message.variant,
        metric_values=dict(message.metric_values),
        observe_time=seconds(message.observe_time) if message.HasField("observe_time") else 0.0,
    )


def outcome_message(stored: Outcome) -> evaluation_pb2.Outcome:
    return evaluation_pb2.Outcome(
        id=stored.id,
        experiment_id=stored.experiment_id,
        subject_key=stored.subject_key,
        variant=stored.variant,
        metric_values=stored.metric_values,
        observe_time=timestamp(stored.observe_time),
        record_time=timestamp(stored.record_time),
    )


def results_message(results: Results) -> evaluation_pb2.ExperimentResults:
    return evaluation_pb2.ExperimentResults(
        experiment_id=results.experiment_id,
        state=int(results.state),  # type: ignore[arg-type]
        alpha=results.alpha,
        test=_TEST_MESSAGES[results.test],
        metric_results=[
            evaluation_pb2.MetricResults(
                metric_name=m.metric_name,
                variants=[
                    evaluation_pb2.VariantSummary(
                        variant=v.variant,
                        subject_count=v.summary.n,
                        outcome_count=v.outcome_count,
                        mean=v.summary.mean,
                        standard_deviation=v.summary.standard_deviation,
                        ci_lower=v.summary.ci_lower,
                        ci_upper=v.summary.ci_upper,
                    )
                    for v in m.variants
                ],
                comparisons=[
                    evaluation_pb2.VariantComparison(
                        variant=c.variant,
                        control_variant=c.control_variant,
                        difference=c.comparison.difference,
                        relative_difference=c.comparison.relative_difference,
                        ci_lower=c.comparison.ci_lower,
                        ci_upper=c.comparison.ci_upper,
                        p_value=c.comparison.p_value,
                        significant=c.comparison.significant,
                        insufficient_data=c.comparison.insufficient_data,
                    )
                    for c in m.comparisons
                ],
            )
            for m in results.metrics
        ],
        enrollments=[
            evaluation_pb2.VariantEnrollment(
                variant=e.variant,
                enrolled_subject_count=e.enrolled,
                expected_share=e.expected_share,
                observed_share=e.observed_share,
            )
            for e in results.enrollments
        ],
        sample_ratio_mismatch_p_value=results.sample_ratio_mismatch_p_value,
        compute_time=timestamp(results.compute_time),
    )

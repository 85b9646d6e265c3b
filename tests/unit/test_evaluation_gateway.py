"""The gateway's experiment wiring against a real EvaluationService server (in-process):
variant overrides, assignment, and answer signals recorded in the background."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

from rag.v1 import common_pb2, evaluation_pb2, evaluation_pb2_grpc, query_enhancement_pb2
from services.embedding.core import SentenceEncoder
from services.evaluation.__main__ import binding
from services.evaluation.answer_signals import AnswerScorer
from services.evaluation.core import EvaluationCore
from services.evaluation.experiments import ExperimentStore
from services.evaluation.pipeline_client import MeshPipeline
from services.evaluation.settings import EvaluationSettings
from services.gateway.experiments import SIGNAL_FAILURES, ExperimentClient, apply_variant
from services.gateway.settings import GatewaySettings
from services.runtime.errors import NotFound
from services.runtime.server import create_server
from services.runtime.settings import RuntimeSettings
from tests.support.processes import free_port

RUNTIME = RuntimeSettings(port=0, metrics_port=-1, grace_period_s=0)
PRF = query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK
HYDE = query_enhancement_pb2.ENHANCEMENT_STRATEGY_HYDE


def variant_with(config: evaluation_pb2.RetrievalConfig | None) -> evaluation_pb2.Variant:
    variant = evaluation_pb2.Variant(name="v", traffic_weight=1)
    if config is not None:
        variant.config.CopyFrom(config)
    return variant


def test_variant_overrides_follow_the_contract() -> None:
    request = common_pb2.RetrievalOptions(
        top_k=5,
        keyword_weight=1.0,
        document_ids=["a", "b"],
        filters=[common_pb2.MetadataFilter(key="team", values=["x"])],
    )
    config = evaluation_pb2.RetrievalConfig(
        retrieval=common_pb2.RetrievalOptions(
            mode=common_pb2.RETRIEVAL_MODE_DENSE,
            keyword_weight=2.5,
            top_k=500,
            document_ids=["b", "c"],
            filters=[common_pb2.MetadataFilter(key="lang", values=["en"])],
        ),
        enhancement_strategies=[PRF],
        use_graph=True,
    )
    merged = apply_variant(variant_with(config), request, [HYDE], False, max_top_k=100)
    assert merged.options.mode == common_pb2.RETRIEVAL_MODE_DENSE
    assert merged.options.keyword_weight == 2.5
    assert merged.options.top_k == 100  # capped
    assert list(merged.options.document_ids) == ["b"]  # narrowed, never widened
    assert [f.key for f in merged.options.filters] == ["team", "lang"]
    assert merged.strategies == [PRF]
    assert merged.use_graph
    unchanged = apply_variant(variant_with(None), request, [HYDE], False, max_top_k=100)
    assert unchanged.options == request and unchanged.strategies == [HYDE]
    disjoint = apply_variant(
        variant_with(
            evaluation_pb2.RetrievalConfig(
                retrieval=common_pb2.RetrievalOptions(document_ids=["z"])
            )
        ),
        request,
        [],
        False,
        100,
    )
    assert list(disjoint.options.document_ids) == ["a", "b"]


@pytest.fixture
async def evaluation(
    tmp_path: Path, encoder: SentenceEncoder
) -> AsyncIterator[evaluation_pb2_grpc.EvaluationServiceStub]:
    settings = EvaluationSettings(database_path=str(tmp_path / "eval.sqlite3"))

    async def embed(texts: list[str]) -> list[list[float]]:
        return [e.vector.tolist() for e in encoder.encode(texts)]

    core = EvaluationCore(settings, ExperimentStore(settings.database_path), AnswerScorer(embed))
    pipeline = MeshPipeline(RUNTIME, settings)  # not used by these calls
    host = await create_server([binding(core, pipeline)], RUNTIME)
    await host.start()
    async with grpc.aio.insecure_channel(host.address) as channel:
        yield evaluation_pb2_grpc.EvaluationServiceStub(channel)
    await host.stop(grace=0)
    await pipeline.close()
    core.close()


async def test_assignment_and_background_outcomes(
    evaluation: evaluation_pb2_grpc.EvaluationServiceStub,
) -> None:
    await evaluation.CreateExperiment(
        evaluation_pb2.CreateExperimentRequest(
            experiment_id="exp-gw",
            experiment=evaluation_pb2.Experiment(
                variants=[
                    evaluation_pb2.Variant(name="control", traffic_weight=1),
                    evaluation_pb2.Variant(
                        name="prf",
                        traffic_weight=1,
                        config=evaluation_pb2.RetrievalConfig(enhancement_strategies=[PRF]),
                    ),
                ]
            ),
        )
    )
    client = ExperimentClient(evaluation, GatewaySettings())
    assert await client.assign("exp-gw") is None  # a draft is ignored
    with pytest.raises(NotFound):
        await client.assign("exp-missing")
    await evaluation.UpdateExperimentState(
        evaluation_pb2.UpdateExperimentStateRequest(
            experiment_id="exp-gw", state=evaluation_pb2.EXPERIMENT_STATE_RUNNING
        )
    )
    assignment = await client.assign("exp-gw")
    assert assignment is not None
    assert assignment.variant.name in {"control", "prf"}
    chunk = common_pb2.ScoredChunk(
        chunk=common_pb2.Chunk(
            id="d#0", document_id="d", text="Envoy weighs replicas by observed latency."
        )
    )
    citation = common_pb2.Citation(document_id="d", chunk_id="d#0", marker=1)
    client.observe(
        assignment,
        "How does Envoy weigh replicas?",
        "Envoy weighs replicas by observed latency [1].",
        [citation],
        [chunk],
        0.25,
    )
    await client.drain()
    results = await evaluation.GetExperimentResults(
        evaluation_pb2.GetExperimentResultsRequest(experiment_id="exp-gw")
    )
    metrics = {m.metric_name: m for m in results.results.metric_results}
    assert set(metrics) >= {"groundedness", "citation_coverage", "latency_seconds"}
    (summary,) = metrics["groundedness"].variants
    assert summary.variant == assignment.variant.name
    assert summary.mean == 1.0
    assert metrics["latency_seconds"].variants[0].mean == pytest.approx(0.25)


async def test_signal_failures_are_counted_not_raised() -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{free_port()}") as channel:
        client = ExperimentClient(
            evaluation_pb2_grpc.EvaluationServiceStub(channel),
            GatewaySettings(answer_signal_timeout_s=1.0, experiment_assign_timeout_s=1.0),
        )
        before = SIGNAL_FAILURES.labels("score")._value.get()
        client.observe(None, "q?", "An answer.", [], [], 0.1)
        await client.drain()
        assert SIGNAL_FAILURES.labels("score")._value.get() == before + 1
        # An unreachable EvaluationService does not fail the Ask: the experiment is skipped.
        assert await client.assign("exp-any") is None


class FakePipeline:
    """Stands in for the Retriever and GenerationService: records what Ask asked it to
    retrieve."""

    graph = None

    def __init__(self) -> None:
        self.retrieved: list[tuple[common_pb2.RetrievalOptions, list[int]]] = []

    async def retrieve(
        self,
        question: str,
        options: common_pb2.RetrievalOptions,
        strategies: list[int],
        use_graph: bool,
        _: object,
    ) -> object:
        from services.common.retrieval import Retrieval

        self.retrieved.append((options, strategies))
        chunk = common_pb2.ScoredChunk(chunk=common_pb2.Chunk(id="d#0", text="Envoy balances."))
        return Retrieval(queries=[], chunks=[chunk])

    async def Generate(self, request: object) -> object:
        from rag.v1 import generation_pb2

        return generation_pb2.GenerateResponse(
            answer="Envoy balances [1].",
            citations=[common_pb2.Citation(chunk_id="d#0", marker=1)],
        )


async def test_ask_applies_the_variant_and_reports_it(
    evaluation: evaluation_pb2_grpc.EvaluationServiceStub,
) -> None:
    from rag.v1 import rag_pb2
    from services.gateway.asking import Asker
    from services.gateway.servicer import RagServicer

    keyword = evaluation_pb2.RetrievalConfig(
        retrieval=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD),
        enhancement_strategies=[PRF],
    )
    await evaluation.CreateExperiment(
        evaluation_pb2.CreateExperimentRequest(
            experiment_id="exp-ask",
            experiment=evaluation_pb2.Experiment(
                # All traffic to the treatment, so the assertion does not depend on the hash.
                variants=[
                    evaluation_pb2.Variant(name="control", traffic_weight=1),
                    evaluation_pb2.Variant(name="keyword", traffic_weight=10_000, config=keyword),
                ]
            ),
        )
    )
    await evaluation.UpdateExperimentState(
        evaluation_pb2.UpdateExperimentStateRequest(
            experiment_id="exp-ask", state=evaluation_pb2.EXPERIMENT_STATE_RUNNING
        )
    )
    settings = GatewaySettings()
    client = ExperimentClient(evaluation, settings)
    pipeline = FakePipeline()
    asker = Asker(pipeline, pipeline, settings, client)  # type: ignore[arg-type]
    servicer = RagServicer(asker, None, settings)  # type: ignore[arg-type]
    response = await servicer.Ask(
        rag_pb2.AskRequest(question="How?", experiment_id="exp-ask"),
        None,  # type: ignore[arg-type]
    )
    await client.drain()
    options, strategies = pipeline.retrieved[0]
    assert response.experiment_variant == "keyword"
    assert options.mode == common_pb2.RETRIEVAL_MODE_KEYWORD
    assert strategies == [PRF]
    results = await evaluation.GetExperimentResults(
        evaluation_pb2.GetExperimentResultsRequest(experiment_id="exp-ask")
    )
    recorded = {m.metric_name for m in results.results.metric_results}
    assert "groundedness" in recorded  # the answer was scored and recorded in the background
    plain = await servicer.Ask(rag_pb2.AskRequest(question="How?"), None)  # type: ignore[arg-type]
    assert plain.experiment_variant == ""
    assert pipeline.retrieved[1][0].mode == common_pb2.RETRIEVAL_MODE_UNSPECIFIED

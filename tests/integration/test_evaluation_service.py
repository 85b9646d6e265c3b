"""EvaluationService as a real process, with real EmbeddingService and VectorStoreService
processes (Chroma, all-MiniLM-L6-v2): offline evaluation on inline and BEIR sets, answer
scoring with exported metrics, and experiments that survive a restart."""

from __future__ import annotations

import asyncio
import hashlib
import json
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from rag.v1 import (
    common_pb2,
    embedding_pb2,
    embedding_pb2_grpc,
    evaluation_pb2,
    evaluation_pb2_grpc,
    query_enhancement_pb2,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from tests.support.processes import ServiceProcess

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
QUIET = {"RAGMESH_LOG_LEVEL": "WARNING", "RAGMESH_GRACE_PERIOD_S": "0"}
Code = grpc.StatusCode

CORPUS = {
    "envoy": "Envoy's least-request load balancer picks among replicas by weight and by "
    "the number of requests each one has in flight.",
    "bread": "Sourdough bread rises with a starter of wild yeast and lactobacilli; the dough "
    "ferments slowly before baking in a hot oven.",
    "volcano": "A volcano erupts when magma from the mantle rises through the crust and "
    "escapes as lava, ash and gas.",
    "chess": "In chess, castling moves the king two squares towards a rook, which jumps over "
    "to the square the king crossed.",
}
QUERIES = {
    "q1": "how does a load balancer choose a replica",
    "q2": "how is sourdough made to rise",
    "q3": "why do volcanoes erupt lava",
    "q4": "what is the capital of France",  # judged, but nothing relevant: skipped
}
QRELS = [("q1", "envoy", 1), ("q2", "bread", 1), ("q3", "volcano", 2), ("q4", "chess", 0)]


@dataclass
class Mesh:
    state: Path
    embedding: ServiceProcess
    store: ServiceProcess
    evaluation: ServiceProcess

    def start_evaluation(self) -> ServiceProcess:
        self.evaluation = ServiceProcess(
            "services.evaluation",
            {
                **QUIET,
                "RAGMESH_EVALUATION_DATABASE_PATH": str(self.state / "evaluation.sqlite3"),
                "RAGMESH_EVALUATION_DATASETS_ROOT": str(self.state / "datasets"),
                "RAGMESH_EVALUATION_EMBEDDING_TARGET": self.embedding.address,
                "RAGMESH_EVALUATION_VECTOR_STORE_TARGET": self.store.address,
            },
        ).wait_ready(120)
        return self.evaluation


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        return response.read().decode()  # type: ignore[no-any-return]


def write_beir(folder: Path) -> None:
    (folder / "qrels").mkdir(parents=True)
    with (folder / "queries.jsonl").open("w") as f:
        for query_id, text in QUERIES.items():
            f.write(json.dumps({"_id": query_id, "text": text, "metadata": {}}) + "\n")
    rows = "".join(f"{q}\t{d}\t{r}\r\n" for q, d, r in QRELS)
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\r\n" + rows)


@pytest.fixture(scope="module")
def mesh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mesh]:
    state = tmp_path_factory.mktemp("evaluation")
    write_beir(state / "datasets" / "mini")
    started: list[ServiceProcess] = []
    try:
        embedding = ServiceProcess("services.embedding", QUIET)
        started.append(embedding)
        embedding.wait_ready(120)
        store = ServiceProcess(
            "services.vector_store",
            {
                **QUIET,
                "RAGMESH_VECTOR_STORE_PERSIST_PATH": str(state / "chroma"),
                "RAGMESH_VECTOR_STORE_EMBEDDING_TARGET": embedding.address,
            },
        )
        started.append(store)
        store.wait_ready(120)
        mesh = Mesh(state, embedding, store, None)  # type: ignore[arg-type]
        started.append(mesh.start_evaluation())
        yield mesh
    finally:
        for process in reversed(started):
            process.stop()
        if "mesh" in locals():
            mesh.evaluation.stop()


@pytest.fixture
async def indexed(mesh: Mesh) -> Mesh:
    async with grpc.aio.insecure_channel(mesh.embedding.address) as channel:
        embedded = await embedding_pb2_grpc.EmbeddingServiceStub(channel).Embed(
            embedding_pb2.EmbedRequest(texts=list(CORPUS.values()))
        )
    async with grpc.aio.insecure_channel(mesh.store.address) as channel:
        store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
        for (doc, text), vector in zip(CORPUS.items(), embedded.embeddings, strict=True):
            await store.UpsertDocument(
                vector_store_pb2.UpsertDocumentRequest(
                    document=common_pb2.Document(
                        id=doc, title=doc, content_hash=hashlib.sha256(text.encode()).hexdigest()
                    ),
                    chunks=[
                        vector_store_pb2.EmbeddedChunk(
                            chunk=common_pb2.Chunk(id=f"{doc}#0", position=0, text=text),
                            embedding=vector.values,
                        )
                    ],
                    embedding_model_id=embedded.model_id,
                )
            )
    return mesh


@pytest.fixture
async def stub(mesh: Mesh) -> AsyncIterator[evaluation_pb2_grpc.EvaluationServiceStub]:
    async with grpc.aio.insecure_channel(mesh.evaluation.address) as channel:
        yield evaluation_pb2_grpc.EvaluationServiceStub(channel)


def inline_request(**kw: object) -> evaluation_pb2.EvaluateRetrievalRequest:
    return evaluation_pb2.EvaluateRetrievalRequest(
        inline_set=evaluation_pb2.InlineLabeledSet(
            queries=[evaluation_pb2.LabeledQuery(id=q, text=t) for q, t in QUERIES.items()],
            judgments=[
                evaluation_pb2.RelevanceJudgment(query_id=q, document_id=d, relevance=r)
                for q, d, r in QRELS
            ],
        ),
        **kw,  # type: ignore[arg-type]
    )


async def test_offline_evaluation_inline_and_beir(
    indexed: Mesh, stub: evaluation_pb2_grpc.EvaluationServiceStub
) -> None:
    response = await stub.EvaluateRetrieval(inline_request(k_values=[1, 3]), timeout=120)
    assert (response.total_query_count, response.evaluated_query_count) == (4, 3)
    assert response.skipped_query_count == 1
    assert [q.query_id for q in response.query_metrics] == ["q1", "q2", "q3"]
    # Four unrelated topics: every query finds its one document first.
    for query in response.query_metrics:
        assert query.first_relevant_rank == 1, query
        assert 1 <= query.retrieved_document_count <= 3
    at1, at3 = response.metrics
    assert (at1.k, at1.ndcg, at1.recall, at1.mrr) == (1, 1.0, 1.0, 1.0)
    assert at3.k == 3
    beir = await stub.EvaluateRetrieval(
        evaluation_pb2.EvaluateRetrievalRequest(
            beir_dataset=evaluation_pb2.BeirDataset(path="mini"), k_values=[1, 3]
        ),
        timeout=120,
    )
    assert list(beir.metrics) == list(response.metrics)
    # Keyword-only retrieval is a different configuration and still runs end to end.
    keyword = await stub.EvaluateRetrieval(
        inline_request(
            k_values=[10],
            max_queries=2,
            config=evaluation_pb2.RetrievalConfig(
                retrieval=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD)
            ),
        ),
        timeout=120,
    )
    assert keyword.evaluated_query_count == 2


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (evaluation_pb2.EvaluateRetrievalRequest(), Code.INVALID_ARGUMENT),
        (inline_request(k_values=[0]), Code.INVALID_ARGUMENT),
        (inline_request(max_queries=-1), Code.INVALID_ARGUMENT),
        (
            evaluation_pb2.EvaluateRetrievalRequest(
                beir_dataset=evaluation_pb2.BeirDataset(path="../datasets/mini")
            ),
            Code.INVALID_ARGUMENT,
        ),
        (
            evaluation_pb2.EvaluateRetrievalRequest(
                beir_dataset=evaluation_pb2.BeirDataset(path="nope")
            ),
            Code.NOT_FOUND,
        ),
        (
            evaluation_pb2.EvaluateRetrievalRequest(
                beir_dataset=evaluation_pb2.BeirDataset(path="mini", split="dev")
            ),
            Code.NOT_FOUND,
        ),
        (
            inline_request(
                config=evaluation_pb2.RetrievalConfig(
                    enhancement_strategies=[query_enhancement_pb2.ENHANCEMENT_STRATEGY_UNSPECIFIED]
                )
            ),
            Code.INVALID_ARGUMENT,
        ),
    ],
)
async def test_bad_evaluation_requests(
    stub: evaluation_pb2_grpc.EvaluationServiceStub,
    request_: evaluation_pb2.EvaluateRetrievalRequest,
    code: grpc.StatusCode,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.EvaluateRetrieval(request_, timeout=30)
    assert exc.value.code() == code
    assert "Traceback" not in (exc.value.details() or "")


async def test_score_answer_and_exported_metrics(
    mesh: Mesh, stub: evaluation_pb2_grpc.EvaluationServiceStub
) -> None:
    context = common_pb2.ScoredChunk(
        chunk=common_pb2.Chunk(id="volcano#0", document_id="volcano", text=CORPUS["volcano"])
    )
    response = await stub.ScoreAnswer(
        evaluation_pb2.ScoreAnswerRequest(
            question=QUERIES["q3"],
            answer="Magma rises through the crust and escapes as lava [1]. "
            "Volcanoes are powered by tiny dragons.",
            contexts=[context],
            citations=[common_pb2.Citation(chunk_id="volcano#0", marker=1)],
        ),
        timeout=30,
    )
    signals = response.signals
    assert signals.groundedness == 0.5
    assert signals.citation_coverage == 0.5
    assert signals.citation_precision == 1.0
    assert [s.supported for s in response.sentences] == [True, False]
    assert response.scorer
    exported = await asyncio.to_thread(scrape, mesh.evaluation.metrics_port)
    assert 'rag_answer_signal_count{signal="groundedness"}' in exported
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.ScoreAnswer(evaluation_pb2.ScoreAnswerRequest(question="q"), timeout=10)
    assert exc.value.code() == Code.INVALID_ARGUMENT


async def test_experiments_survive_a_restart(mesh: Mesh) -> None:
    variants = [
        evaluation_pb2.Variant(name="control", traffic_weight=1),
        evaluation_pb2.Variant(
            name="keyword",
            traffic_weight=1,
            config=evaluation_pb2.RetrievalConfig(
                retrieval=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD)
            ),
        ),
    ]
    async with grpc.aio.insecure_channel(mesh.evaluation.address) as channel:
        stub = evaluation_pb2_grpc.EvaluationServiceStub(channel)
        await stub.CreateExperiment(
            evaluation_pb2.CreateExperimentRequest(
                experiment_id="exp-restart",
                experiment=evaluation_pb2.Experiment(variants=variants),
            ),
            timeout=10,
        )
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.AssignVariant(
                evaluation_pb2.AssignVariantRequest(experiment_id="exp-restart", subject_key="u"),
                timeout=10,
            )
        assert exc.value.code() == Code.FAILED_PRECONDITION  # still a draft
        await stub.UpdateExperimentState(
            evaluation_pb2.UpdateExperimentStateRequest(
                experiment_id="exp-restart", state=evaluation_pb2.EXPERIMENT_STATE_RUNNING
            ),
            timeout=10,
        )
        before = await stub.AssignVariant(
            evaluation_pb2.AssignVariantRequest(experiment_id="exp-restart", subject_key="alice"),
            timeout=10,
        )
        await stub.RecordOutcome(
            evaluation_pb2.RecordOutcomeRequest(
                experiment_id="exp-restart",
                outcome=evaluation_pb2.Outcome(
                    id="o1", subject_key="alice", metric_values={"thumbs_up": 1.0}
                ),
            ),
            timeout=10,
        )
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.AssignVariant(
                evaluation_pb2.AssignVariantRequest(experiment_id="nope", subject_key="u"),
                timeout=10,
            )
        assert exc.value.code() == Code.NOT_FOUND
        with pytest.raises(grpc.aio.AioRpcError) as exc:  # no token and no subject key
            await stub.AssignVariant(
                evaluation_pb2.AssignVariantRequest(experiment_id="exp-restart"), timeout=10
            )
        assert exc.value.code() == Code.INVALID_ARGUMENT
    mesh.evaluation.stop()
    mesh.start_evaluation()
    async with grpc.aio.insecure_channel(mesh.evaluation.address) as channel:
        stub = evaluation_pb2_grpc.EvaluationServiceStub(channel)
        got = await stub.GetExperiment(
            evaluation_pb2.GetExperimentRequest(experiment_id="exp-restart"), timeout=10
        )
        assert got.experiment.state == evaluation_pb2.EXPERIMENT_STATE_RUNNING
        assert list(got.experiment.variants) == variants
        after = await stub.AssignVariant(
            evaluation_pb2.AssignVariantRequest(experiment_id="exp-restart", subject_key="alice"),
            timeout=10,
        )
        assert after.variant == before.variant and after.enrolled
        results = await stub.GetExperimentResults(
            evaluation_pb2.GetExperimentResultsRequest(experiment_id="exp-restart"), timeout=10
        )
        (metric,) = results.results.metric_results
        assert metric.metric_name == "thumbs_up"
        assert metric.variants[0].variant == before.variant.name
        assert metric.variants[0].outcome_count == 1

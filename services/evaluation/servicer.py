"""gRPC surface of EvaluationService: converts messages and calls EvaluationCore."""

from __future__ import annotations

from rag.v1 import evaluation_pb2, evaluation_pb2_grpc
from services.evaluation import convert
from services.evaluation.core import EvaluationCore
from services.evaluation.labeled_sets import inline_set
from services.evaluation.pipeline_client import MeshPipeline
from services.runtime.errors import invalid_field
from services.runtime.identity import current_identity
from services.runtime.server import RpcContext


def caller_subject() -> str:
    """The token's subject; empty when auth is disabled."""
    identity = current_identity()
    return identity.subject if identity is not None else ""


def subject_or_caller(subject_key: str, field_path: str) -> str:
    subject = subject_key or caller_subject()
    if not subject:
        raise invalid_field(
            field_path, "must be set when the call carries no token (auth is disabled)"
        )
    return subject


class EvaluationServicer(evaluation_pb2_grpc.EvaluationServiceServicer):
    def __init__(self, core: EvaluationCore, pipeline: MeshPipeline) -> None:
        self._core = core
        self._pipeline = pipeline

    async def EvaluateRetrieval(
        self, request: evaluation_pb2.EvaluateRetrievalRequest, context: RpcContext
    ) -> evaluation_pb2.EvaluateRetrievalResponse:
        source = request.WhichOneof("labeled_set")
        if source == "inline_set":
            labeled = inline_set(
                convert.inline_queries(request.inline_set),
                convert.inline_judgments(request.inline_set),
                self._core.settings.max_queries,
                self._core.settings.max_query_chars,
            )
        elif source == "beir_dataset":
            labeled = await self._core.load_beir(
                request.beir_dataset.path, request.beir_dataset.split
            )
        else:
            raise invalid_field("labeled_set", "set inline_set or beir_dataset")
        convert.check_config(request.config, "config")
        result = await self._core.evaluate(
            labeled,
            list(request.k_values),
            request.max_queries,
            self._pipeline.ranker(request.config),
        )
        return convert.evaluation_response(result)

    async def ScoreAnswer(
        self, request: evaluation_pb2.ScoreAnswerRequest, context: RpcContext
    ) -> evaluation_pb2.ScoreAnswerResponse:
        score = await self._core.score(
            request.question, request.answer, convert.passages(request), convert.cited(request)
        )
        return convert.score_response(score)

    async def CreateExperiment(
        self, request: evaluation_pb2.CreateExperimentRequest, context: RpcContext
    ) -> evaluation_pb2.CreateExperimentResponse:
        if not request.HasField("experiment"):
            raise invalid_field("experiment", "is required")
        created = await self._core.create(
            convert.experiment(request.experiment, request.experiment_id), caller_subject()
        )
        return evaluation_pb2.CreateExperimentResponse(
            experiment=convert.experiment_message(created)
        )

    async def GetExperiment(
        self, request: evaluation_pb2.GetExperimentRequest, context: RpcContext
    ) -> evaluation_pb2.GetExperimentResponse:
        found = await self._core.get(request.experiment_id)
        return evaluation_pb2.GetExperimentResponse(experiment=convert.experiment_message(found))

    async def ListExperiments(
        self, request: evaluation_pb2.ListExperimentsRequest, context: RpcContext
    ) -> evaluation_pb2.ListExperimentsResponse:
        page = await self._core.list(
            request.page_size, request.page_token, convert.states(list(request.states))
        )
        return evaluation_pb2.ListExperimentsResponse(
            experiments=[convert.experiment_message(e) for e in page.experiments],
            next_page_token=page.next_page_token,
        )

    async def UpdateExperiment(
        self, request: evaluation_pb2.UpdateExperimentRequest, context: RpcContext
    ) -> evaluation_pb2.UpdateExperimentResponse:
        paths = list(request.update_mask.paths)
        # Variants are converted (and their configs checked) only when they are being changed.
        changes = convert.experiment(
            request.experiment if "variants" in paths else _without_variants(request.experiment),
            request.experiment.id,
        )
        updated = await self._core.update(changes, paths)
        return evaluation_pb2.UpdateExperimentResponse(
            experiment=convert.experiment_message(updated)
        )

    async def UpdateExperimentState(
        self, request: evaluation_pb2.UpdateExperimentStateRequest, context: RpcContext
    ) -> evaluation_pb2.UpdateExperimentStateResponse:
        updated = await self._core.set_state(
            request.experiment_id, convert.target_state(request.state)
        )
        return evaluation_pb2.UpdateExperimentStateResponse(
            experiment=convert.experiment_message(updated)
        )

    async def DeleteExperiment(
        self, request: evaluation_pb2.DeleteExperimentRequest, context: RpcContext
    ) -> evaluation_pb2.DeleteExperimentResponse:
        deleted = await self._core.delete(request.experiment_id, request.allow_missing)
        return evaluation_pb2.DeleteExperimentResponse(
            experiment_id=request.experiment_id, deleted_outcome_count=deleted
        )

    async def AssignVariant(
        self, request: evaluation_pb2.AssignVariantRequest, context: RpcContext
    ) -> evaluation_pb2.AssignVariantResponse:
        subject = subject_or_caller(request.subject_key, "subject_key")
        assignment = await self._core.assign(request.experiment_id, subject)
        return evaluation_pb2.AssignVariantResponse(
            variant=convert.variant_message(assignment.variant),
            enrolled=assignment.enrolled,
            subject_key=assignment.subject_key,
        )

    async def RecordOutcome(
        self, request: evaluation_pb2.RecordOutcomeRequest, context: RpcContext
    ) -> evaluation_pb2.RecordOutcomeResponse:
        subject = subject_or_caller(request.outcome.subject_key, "outcome.subject_key")
        stored = await self._core.record(
            convert.outcome(request.outcome, request.experiment_id, subject)
        )
        return evaluation_pb2.RecordOutcomeResponse(outcome=convert.outcome_message(stored))

    async def GetExperimentResults(
        self, request: evaluation_pb2.GetExperimentResultsRequest, context: RpcContext
    ) -> evaluation_pb2.GetExperimentResultsResponse:
        if request.test not in convert.TESTS:
            raise invalid_field("test", "must be WELCH_T or BOOTSTRAP")
        results = await self._core.results(
            request.experiment_id,
            request.alpha,
            list(request.metric_names),
            convert.TESTS[request.test],
            request.bootstrap_resamples,
        )
        return evaluation_pb2.GetExperimentResultsResponse(results=convert.results_message(results))


def _without_variants(message: evaluation_pb2.Experiment) -> evaluation_pb2.Experiment:
    copy = evaluation_pb2.Experiment()
    copy.CopyFrom(message)
    copy.ClearField("variants")
    return copy

"""Run one EvaluationService replica: ``python -m services.evaluation``."""

from __future__ import annotations

import asyncio
import functools
import os

from rag.v1 import evaluation_pb2_grpc
from services.evaluation.answer_signals import AnswerScorer
from services.evaluation.core import EvaluationCore
from services.evaluation.experiments import ExperimentStore
from services.evaluation.pipeline_client import MeshPipeline
from services.evaluation.servicer import EvaluationServicer
from services.evaluation.settings import EvaluationSettings
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.EvaluationService"


def build(
    runtime: RuntimeSettings, settings: EvaluationSettings
) -> tuple[EvaluationCore, MeshPipeline]:
    pipeline = MeshPipeline(runtime, settings)
    scorer = AnswerScorer(
        # Scoring runs after the caller has its answer: it must never delay the next Ask.
        functools.partial(pipeline.embed, background=True),
        threshold=settings.support_threshold,
        max_question_chars=settings.max_query_chars,
        max_answer_chars=settings.max_answer_chars,
        max_contexts=settings.max_contexts,
        max_citations=settings.max_citations,
    )
    core = EvaluationCore(settings, ExperimentStore(settings.database_path), scorer)
    return core, pipeline


def binding(core: EvaluationCore, pipeline: MeshPipeline) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        EvaluationServicer(core, pipeline),
        evaluation_pb2_grpc.add_EvaluationServiceServicer_to_server,
    )


async def main() -> None:
    runtime = RuntimeSettings()
    settings = EvaluationSettings()
    if settings.cpu_niceness:
        os.nice(settings.cpu_niceness)
    core, pipeline = build(runtime, settings)

    async def shutdown() -> None:
        await pipeline.close()
        core.close()

    await serve([binding(core, pipeline)], runtime, on_stop=[shutdown])


if __name__ == "__main__":
    asyncio.run(main())

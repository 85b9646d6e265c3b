"""Run one GenerationService replica: ``python -m services.generation``."""

from __future__ import annotations

import asyncio

from rag.v1 import generation_pb2_grpc
from services.generation.core import AnswerGenerator
from services.generation.language_models import LocalCausalLM, OpenAICompatibleClient
from services.generation.servicer import GenerationServicer
from services.generation.settings import GenerationSettings
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.GenerationService"


def build(settings: GenerationSettings) -> AnswerGenerator:
    local = (
        LocalCausalLM(settings.local_model_path, settings.local_model_threads)
        if settings.local_model_path
        else None
    )
    openai = (
        OpenAICompatibleClient(
            settings.openai_base_url,
            settings.openai_api_key.get_secret_value(),
            settings.openai_model,
            settings.openai_timeout_s,
        )
        if settings.openai_base_url
        else None
    )
    return AnswerGenerator(
        settings.max_question_chars,
        settings.max_contexts,
        settings.max_answer_tokens_limit,
        local_lm=local,
        openai=openai,
    )


def binding(generator: AnswerGenerator, settings: GenerationSettings) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        GenerationServicer(generator, settings),
        generation_pb2_grpc.add_GenerationServiceServicer_to_server,
    )


async def main() -> None:
    settings = GenerationSettings()
    await serve([binding(build(settings), settings)], RuntimeSettings())


if __name__ == "__main__":
    asyncio.run(main())

"""gRPC surface of GenerationService."""

from __future__ import annotations

from collections.abc import AsyncIterator

from rag.v1 import generation_pb2, generation_pb2_grpc
from services.generation import convert
from services.generation.core import AnswerGenerator, CitationEvent, Finished, TextDelta
from services.generation.settings import GenerationSettings
from services.runtime.server import RpcContext


class GenerationServicer(generation_pb2_grpc.GenerationServiceServicer):
    def __init__(self, generator: AnswerGenerator, settings: GenerationSettings) -> None:
        self._generator = generator
        self._settings = settings

    async def Generate(
        self, request: generation_pb2.GenerateRequest, context: RpcContext
    ) -> generation_pb2.GenerateResponse:
        answer = await self._generator.generate(
            convert.request(request.question, request.contexts, request.options, self._settings)
        )
        return convert.response(answer)

    async def GenerateStream(
        self, request: generation_pb2.GenerateStreamRequest, context: RpcContext
    ) -> AsyncIterator[generation_pb2.GenerateStreamResponse]:
        domain = convert.request(
            request.question, request.contexts, request.options, self._settings
        )
        async for event in self._generator.stream(domain):
            if isinstance(event, TextDelta):
                yield generation_pb2.GenerateStreamResponse(text_delta=event.text)
            elif isinstance(event, CitationEvent):
                yield generation_pb2.GenerateStreamResponse(
                    citation=convert.citation(event.citation)
                )
            elif isinstance(event, Finished):
                answer = event.answer
                yield generation_pb2.GenerateStreamResponse(
                    summary=generation_pb2.GenerationSummary(
                        model_id=answer.model_id,
                        finish_reason=convert.finish_reason(answer),  # type: ignore[arg-type]
                        usage=convert.usage(answer),
                        citation_count=len(answer.citations),
                    )
                )

    async def GenerateHypotheticalDocument(
        self, request: generation_pb2.GenerateHypotheticalDocumentRequest, context: RpcContext
    ) -> generation_pb2.GenerateHypotheticalDocumentResponse:
        kind = (
            convert.KINDS[request.generator]
            if request.generator != generation_pb2.GENERATOR_UNSPECIFIED
            else None
        )
        answer = await self._generator.hypothetical_document(
            request.question, request.max_tokens or 128, kind
        )
        return generation_pb2.GenerateHypotheticalDocumentResponse(
            hypothetical_document=answer.text, model_id=answer.model_id
        )

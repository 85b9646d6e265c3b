"""gRPC surface of RagService: converts messages and drives RagPipeline."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence

from google.protobuf import timestamp_pb2

from rag.v1 import (
    common_pb2,
    generation_pb2,
    query_enhancement_pb2,
    rag_pb2,
    rag_pb2_grpc,
)
from services.common.convert import duration
from services.gateway.experiments import Assignment, ExperimentClient, Overrides, apply_variant
from services.gateway.pipeline import (
    IngestOutcome,
    RagPipeline,
    Retrieval,
    Stages,
    StreamedDocument,
)
from services.gateway.settings import GatewaySettings
from services.runtime.call_context import current_call
from services.runtime.errors import DomainError
from services.runtime.server import RpcContext
from services.runtime.status import grpc_code


def timings(stages: Stages) -> list[common_pb2.StageTiming]:
    return [common_pb2.StageTiming(stage=n, duration=duration(s)) for n, s in stages.timings]


def ingest_result(outcome: IngestOutcome) -> rag_pb2.IngestResult:
    result = rag_pb2.IngestResult(
        document_id=outcome.document_id,
        chunk_count=outcome.chunk_count,
        content_hash=outcome.content_hash,
        unchanged=outcome.unchanged,
        timings=timings(outcome.stages),
    )
    if outcome.document is not None and outcome.document.HasField("update_time"):
        result.update_time.CopyFrom(outcome.document.update_time)
    else:
        result.update_time.CopyFrom(timestamp_pb2.Timestamp(seconds=int(time.time())))
    return result


def request_id() -> str:
    call = current_call()
    return call.request_id if call else ""


class RagServicer(rag_pb2_grpc.RagServiceServicer):
    def __init__(
        self,
        pipeline: RagPipeline,
        settings: GatewaySettings,
        experiments: ExperimentClient | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._settings = settings
        self._experiments = experiments

    async def Ask(self, request: rag_pb2.AskRequest, context: RpcContext) -> rag_pb2.AskResponse:
        stages = Stages()
        asked = time.perf_counter()
        options = self._pipeline.check_question(
            request.question, request.retrieval, request.use_graph, request.experiment_id
        )
        assignment, variant = await self._variant(request.experiment_id, options, request)
        retrieval, _ = await self._pipeline.retrieve_with_graph(
            request.question, variant.use_graph, variant.options, variant.strategies, stages
        )
        answer = await self._pipeline.generate(
            request.question, retrieval.chunks, request.generation, stages
        )
        self._observe(
            assignment, request.question, answer.answer, answer.citations, retrieval, asked
        )
        return rag_pb2.AskResponse(
            experiment_variant=assignment.variant.name if assignment else "",
            answer=answer.answer,
            citations=answer.citations,
            timings=timings(stages),
            enhanced_queries=_without_vectors(retrieval.queries),
            retrieved_chunk_count=len(retrieval.chunks),
            model_id=answer.model_id,
            finish_reason=answer.finish_reason,
            usage=answer.usage,
            request_id=request_id(),
        )

    async def AskStream(
        self, request: rag_pb2.AskStreamRequest, context: RpcContext
    ) -> AsyncIterator[rag_pb2.AskStreamResponse]:
        stages = Stages()
        asked = time.perf_counter()
        options = self._pipeline.check_question(
            request.question, request.retrieval, request.use_graph, request.experiment_id
        )
        assignment, variant = await self._variant(request.experiment_id, options, request)
        yield _stage("retrieve", rag_pb2.STAGE_PHASE_STARTED)
        retrieval, graph_added = await self._pipeline.retrieve_with_graph(
            request.question, variant.use_graph, variant.options, variant.strategies, stages
        )
        for name, seconds in stages.timings:
            count = {"retrieve": len(retrieval.chunks), "graph": graph_added}.get(name, 0)
            yield _stage(name, rag_pb2.STAGE_PHASE_FINISHED, seconds, count)
        yield _stage("generate", rag_pb2.STAGE_PHASE_STARTED)
        started = time.perf_counter()
        summary = generation_pb2.GenerationSummary()
        citations = 0
        answer_parts: list[str] = []
        cited: list[common_pb2.Citation] = []
        async for event in self._pipeline.generate_stream(
            request.question, retrieval.chunks, request.generation
        ):
            kind = event.WhichOneof("event")
            if kind == "text_delta":
                answer_parts.append(event.text_delta)
                yield rag_pb2.AskStreamResponse(answer_delta=event.text_delta)
            elif kind == "citation":
                citations += 1
                cited.append(event.citation)
                yield rag_pb2.AskStreamResponse(citation=event.citation)
            elif kind == "summary":
                summary = event.summary
        generate_s = stages.add("generate", started)
        yield _stage("generate", rag_pb2.STAGE_PHASE_FINISHED, generate_s, citations)
        self._observe(assignment, request.question, "".join(answer_parts), cited, retrieval, asked)
        yield rag_pb2.AskStreamResponse(
            summary=rag_pb2.AskSummary(
                experiment_variant=assignment.variant.name if assignment else "",
                timings=timings(stages),
                enhanced_queries=_without_vectors(retrieval.queries),
                retrieved_chunk_count=len(retrieval.chunks),
                model_id=summary.model_id,
                finish_reason=summary.finish_reason,
                usage=summary.usage,
                request_id=request_id(),
            )
        )

    async def IngestDocument(
        self, request: rag_pb2.IngestDocumentRequest, context: RpcContext
    ) -> rag_pb2.IngestDocumentResponse:
        outcome = await self._pipeline.ingest(request.document, request.chunking, request.force)
        return rag_pb2.IngestDocumentResponse(result=ingest_result(outcome))

    async def BatchIngestDocuments(
        self, request: rag_pb2.BatchIngestDocumentsRequest, context: RpcContext
    ) -> rag_pb2.BatchIngestDocumentsResponse:
        outcomes = await self._pipeline.ingest_batch(
            list(request.documents), request.chunking, request.force
        )
        results = []
        for document, outcome in zip(request.documents, outcomes, strict=True):
            if isinstance(outcome, DomainError):
                results.append(
                    rag_pb2.BatchIngestDocumentsResult(
                        document_id=document.id,
                        error=rag_pb2.IngestError(
                            code=grpc_code(outcome).value[0],
                            message=outcome.message,
                            reason=outcome.reason,
                        ),
                    )
                )
            else:
                results.append(
                    rag_pb2.BatchIngestDocumentsResult(
                        document_id=document.id, result=ingest_result(outcome)
                    )
                )
        return rag_pb2.BatchIngestDocumentsResponse(results=results)

    async def IngestDocumentStream(
        self,
        request_iterator: AsyncIterator[rag_pb2.IngestDocumentStreamRequest],
        context: RpcContext,
    ) -> rag_pb2.IngestDocumentStreamResponse:
        upload = StreamedDocument(self._settings.max_stream_document_bytes)
        header: rag_pb2.IngestDocumentStreamHeader | None = None
        async for message in request_iterator:
            part = message.WhichOneof("part")
            if part == "header":
                upload.start(message.header.content_length)
                header = message.header
            elif part == "content_piece":
                upload.add(message.content_piece)
        content = upload.finish()
        assert header is not None  # finish() fails without a header
        document = common_pb2.Document()
        document.CopyFrom(header.document)
        document.content = content
        outcome = await self._pipeline.ingest(document, header.chunking, header.force)
        return rag_pb2.IngestDocumentStreamResponse(result=ingest_result(outcome))

    async def DeleteDocument(
        self, request: rag_pb2.DeleteDocumentRequest, context: RpcContext
    ) -> rag_pb2.DeleteDocumentResponse:
        response = await self._pipeline.delete(request.document_id, request.allow_missing)
        return rag_pb2.DeleteDocumentResponse(
            document_id=response.document_id, deleted_chunk_count=response.deleted_chunk_count
        )

    async def GetDocument(
        self, request: rag_pb2.GetDocumentRequest, context: RpcContext
    ) -> rag_pb2.GetDocumentResponse:
        document = await self._pipeline.get(request.document_id)
        return rag_pb2.GetDocumentResponse(document=document)

    async def ListDocuments(
        self, request: rag_pb2.ListDocumentsRequest, context: RpcContext
    ) -> rag_pb2.ListDocumentsResponse:
        response = await self._pipeline.list_documents(
            request.page_size, request.page_token, list(request.filters)
        )
        return rag_pb2.ListDocumentsResponse(
            documents=response.documents, next_page_token=response.next_page_token
        )

    # ---- A/B experiments and answer signals (services/gateway/experiments.py) -------------

    async def _variant(
        self,
        experiment_id: str,
        options: common_pb2.RetrievalOptions,
        request: rag_pb2.AskRequest | rag_pb2.AskStreamRequest,
    ) -> tuple[Assignment | None, Overrides]:
        assignment = None
        if experiment_id and self._experiments is not None:
            assignment = await self._experiments.assign(experiment_id)
        variant = apply_variant(
            assignment.variant if assignment else None,
            options,
            list(request.enhancement_strategies),
            request.use_graph,
            self._settings.max_top_k,
        )
        return assignment, variant

    def _observe(
        self,
        assignment: Assignment | None,
        question: str,
        answer: str,
        citations: Sequence[common_pb2.Citation],
        retrieval: Retrieval,
        asked: float,
    ) -> None:
        if self._experiments is not None:
            self._experiments.observe(
                assignment,
                question,
                answer,
                citations,
                retrieval.chunks,
                time.perf_counter() - asked,
            )


def _stage(
    name: str, phase: int, seconds: float | None = None, count: int = 0
) -> rag_pb2.AskStreamResponse:
    event = rag_pb2.StageEvent(stage=name, phase=phase, result_count=count)  # type: ignore[arg-type]
    if seconds is not None:
        event.duration.CopyFrom(duration(seconds))
    return rag_pb2.AskStreamResponse(stage_event=event)


def _without_vectors(
    queries: Sequence[query_enhancement_pb2.EnhancedQuery],
) -> list[query_enhancement_pb2.EnhancedQuery]:
    """Enhanced queries for the response; their 384 floats each are of no use to a caller."""
    out = []
    for query in queries:
        copy = query_enhancement_pb2.EnhancedQuery()
        copy.CopyFrom(query)
        copy.ClearField("embedding")
        out.append(copy)
    return out

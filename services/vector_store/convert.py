"""rag.v1 messages <-> the vector store's domain types. No logic beyond the mapping."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.timestamp_pb2 import Timestamp

from rag.v1 import common_pb2, vector_store_pb2
from services.runtime.errors import DomainError, invalid_field
from services.runtime.status import grpc_code
from services.vector_store.core import (
    ChunkData,
    DocumentInput,
    EmbeddedChunk,
    FilterOperator,
    MetadataCondition,
    RetrievalMode,
    ScoredChunk,
    SearchQuery,
    StoredDocument,
)

_OPERATORS = {
    common_pb2.FILTER_OPERATOR_EQUAL: FilterOperator.EQUAL,
    common_pb2.FILTER_OPERATOR_NOT_EQUAL: FilterOperator.NOT_EQUAL,
    common_pb2.FILTER_OPERATOR_IN: FilterOperator.IN,
    common_pb2.FILTER_OPERATOR_NOT_IN: FilterOperator.NOT_IN,
}
_MODES = {
    common_pb2.RETRIEVAL_MODE_UNSPECIFIED: RetrievalMode.HYBRID,
    common_pb2.RETRIEVAL_MODE_HYBRID: RetrievalMode.HYBRID,
    common_pb2.RETRIEVAL_MODE_DENSE: RetrievalMode.DENSE,
    common_pb2.RETRIEVAL_MODE_KEYWORD: RetrievalMode.KEYWORD,
}


def conditions(
    filters: Iterable[common_pb2.MetadataFilter], path: str
) -> tuple[MetadataCondition, ...]:
    result: list[MetadataCondition] = []
    for i, f in enumerate(filters):
        operator = _OPERATORS.get(f.operator)
        if operator is None:
            raise invalid_field(f"{path}[{i}].operator", "required: EQUAL, NOT_EQUAL, IN or NOT_IN")
        result.append(MetadataCondition(f.key, operator, tuple(f.values)))
    return tuple(result)


def document_input(document: common_pb2.Document) -> DocumentInput:
    return DocumentInput(
        id=document.id,
        content_hash=document.content_hash,
        title=document.title,
        source=document.source,
        content_type=document.content_type,
        access_groups=tuple(document.access_groups),
        metadata=dict(document.metadata),
        has_content=bool(document.content),
    )


def embedded_chunks(chunks: Iterable[vector_store_pb2.EmbeddedChunk]) -> list[EmbeddedChunk]:
    return [
        EmbeddedChunk(chunk=chunk_data(item.chunk), embedding=item.embedding) for item in chunks
    ]


def chunk_data(chunk: common_pb2.Chunk) -> ChunkData:
    return ChunkData(
        id=chunk.id,
        document_id=chunk.document_id,
        position=chunk.position,
        text=chunk.text,
        title=chunk.title,
        section_path=tuple(chunk.section_path),
        start_offset=chunk.start_offset,
        end_offset=chunk.end_offset,
        modality=int(chunk.modality),
        location=chunk.location,
        metadata=dict(chunk.metadata),
        access_groups=tuple(chunk.access_groups),
    )


def search_query(request: vector_store_pb2.SearchChunksRequest) -> SearchQuery:
    options = request.options
    mode = _MODES.get(options.mode)
    if mode is None:
        raise invalid_field("options.mode", "unknown retrieval mode")
    return SearchQuery(
        text=request.query,
        embedding=list(request.query_embedding) or None,
        mode=mode,
        dense_weight=options.dense_weight,
        keyword_weight=options.keyword_weight,
        top_k=options.top_k,
        filters=conditions(options.filters, "options.filters"),
        document_ids=tuple(options.document_ids),
        embedding_model_id=request.embedding_model_id,
    )


def document_message(document: StoredDocument) -> common_pb2.Document:
    update_time = Timestamp()
    update_time.FromNanoseconds(int(document.update_time * 1e9))
    return common_pb2.Document(
        id=document.id,
        title=document.title,
        source=document.source,
        content_type=document.content_type,
        access_groups=list(document.access_groups),
        metadata=dict(document.metadata),
        content_hash=document.content_hash,
        chunk_count=document.chunk_count,
        update_time=update_time,
    )


def batch_result(
    document_id: str, outcome: StoredDocument | DomainError
) -> vector_store_pb2.BatchUpsertDocumentsResult:
    if isinstance(outcome, DomainError):
        return vector_store_pb2.BatchUpsertDocumentsResult(
            document_id=document_id,
            error=vector_store_pb2.UpsertError(
                code=grpc_code(outcome).value[0], message=outcome.message, reason=outcome.reason
            ),
        )
    return vector_store_pb2.BatchUpsertDocumentsResult(
        document_id=document_id, document=document_message(outcome)
    )


def chunk_message(chunk: ChunkData) -> common_pb2.Chunk:
    return common_pb2.Chunk(
        id=chunk.id,
        document_id=chunk.document_id,
        position=chunk.position,
        text=chunk.text,
        title=chunk.title,
        section_path=list(chunk.section_path),
        start_offset=chunk.start_offset,
        end_offset=chunk.end_offset,
        modality=chunk.modality,  # type: ignore[arg-type]
        location=chunk.location,
        metadata=dict(chunk.metadata),
        access_groups=list(chunk.access_groups),
    )


def scored_chunk_message(scored: ScoredChunk) -> common_pb2.ScoredChunk:
    return common_pb2.ScoredChunk(
        chunk=chunk_message(scored.chunk),
        score=scored.score,
        dense_score=scored.dense_score,
        keyword_score=scored.keyword_score,
        rank=scored.rank,
    )

"""Validation of upserts and searches against the contract (vector_store.proto)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from services.common.documents import validate_document_id, validate_metadata
from services.runtime.errors import (
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
    invalid_field,
)
from services.vector_store.domain import (
    DocumentInput,
    EmbeddedChunk,
    FilterOperator,
    MetadataCondition,
    RetrievalMode,
    SearchQuery,
    UpsertRequest,
    ValidatedUpsert,
)
from services.vector_store.settings import VectorStoreSettings

DIGEST_HEX = re.compile(r"^[0-9a-f]{64}$")


def validate_filters(
    filters: Sequence[MetadataCondition], settings: VectorStoreSettings, path: str
) -> None:
    if len(filters) > settings.max_filters:
        raise invalid_field(path, f"at most {settings.max_filters} filters")
    for i, condition in enumerate(filters):
        where = f"{path}[{i}]"
        if not 1 <= len(condition.key) <= 64:
            raise invalid_field(f"{where}.key", "must be 1-64 characters")
        single = condition.operator in (FilterOperator.EQUAL, FilterOperator.NOT_EQUAL)
        if single and len(condition.values) != 1:
            raise invalid_field(
                f"{where}.values", f"{condition.operator.value} takes exactly one value"
            )
        if not single and not 1 <= len(condition.values) <= settings.max_filter_values:
            raise invalid_field(
                f"{where}.values",
                f"{condition.operator.value} takes 1 to {settings.max_filter_values} values",
            )


def validate_document_ids(ids: Sequence[str], settings: VectorStoreSettings, path: str) -> None:
    if len(ids) > settings.max_document_ids:
        raise invalid_field(path, f"at most {settings.max_document_ids} ids")
    for i, document_id in enumerate(ids):
        validate_document_id(document_id, f"{path}[{i}]")


def _check_model(model_id: str, expected: str, path: str) -> None:
    if model_id and model_id != expected:
        raise FailedPrecondition(
            message=f"{path} is {model_id!r} but this store holds vectors of {expected!r}",
            reason="EMBEDDING_MODEL_MISMATCH",
            metadata={"store_model_id": expected, "given_model_id": model_id},
        )


def _vector(values: Sequence[float], path: str) -> npt.NDArray[np.float32]:
    array = np.asarray(values, dtype=np.float32)
    if array.ndim != 1 or not np.all(np.isfinite(array)):
        raise invalid_field(path, "must hold finite numbers only")
    return array


def validate_upsert(
    document: DocumentInput,
    chunks: Sequence[EmbeddedChunk],
    embedding_model_id: str,
    settings: VectorStoreSettings,
) -> npt.NDArray[np.float32]:
    """Check an upsert against the contract; returns the embeddings as one matrix."""
    validate_document_id(document.id)
    if document.has_content:
        raise invalid_field(
            "document.content", "must be empty: the store keeps chunks, not raw documents"
        )
    if not DIGEST_HEX.match(document.content_hash):
        raise invalid_field(
            "document.content_hash", "required: the SHA-256 of the content, 64 lowercase hex"
        )
    validate_metadata(document.metadata, document.access_groups)
    if len(chunks) > settings.max_chunks_per_document:
        raise ResourceExhausted(
            message=f"{len(chunks)} chunks in one document; the limit is "
            f"{settings.max_chunks_per_document}",
            reason="TOO_MANY_CHUNKS",
            metadata={"limit": str(settings.max_chunks_per_document)},
        )
    _check_model(embedding_model_id, settings.embedding_model_id, "embedding_model_id")
    problems: list[FieldViolation] = []
    seen: set[str] = set()
    for i, item in enumerate(chunks):
        c = item.chunk
        where = f"chunks[{i}].chunk"
        if not c.id:
            problems.append(FieldViolation(f"{where}.id", "required"))
        elif c.id in seen:
            problems.append(FieldViolation(f"{where}.id", f"duplicate chunk id {c.id[:80]!r}"))
        seen.add(c.id)
        if c.document_id and c.document_id != document.id:
            problems.append(FieldViolation(f"{where}.document_id", "belongs to another document"))
        if c.position < 0:
            problems.append(FieldViolation(f"{where}.position", "must be >= 0"))
        if not c.text.strip():
            problems.append(FieldViolation(f"{where}.text", "required"))
        if len(item.embedding) == 0:
            problems.append(FieldViolation(f"chunks[{i}].embedding", "required"))
        if len(problems) >= 20:
            break
    if problems:
        raise InvalidArgument(
            message="; ".join(f"{p.field}: {p.description}" for p in problems[:5]),
            reason="INVALID_CHUNK",
            field_violations=problems,
        )
    for i, item in enumerate(chunks):
        validate_metadata(item.chunk.metadata, (), path=f"chunks[{i}].chunk")
    if not chunks:
        return np.zeros((0, settings.dimensions), dtype=np.float32)
    lengths = {len(item.embedding) for item in chunks}
    if len(lengths) > 1:
        raise invalid_field(
            "chunks.embedding", f"embeddings have unequal lengths {sorted(lengths)[:5]}"
        )
    (length,) = lengths
    if length != settings.dimensions:
        raise FailedPrecondition(
            message=f"embeddings have {length} dimensions; this store holds "
            f"{settings.dimensions}-dimensional vectors of {settings.embedding_model_id!r}",
            reason="EMBEDDING_DIMENSION_MISMATCH",
            metadata={"store_dimensions": str(settings.dimensions), "given": str(length)},
        )
    matrix = np.asarray([item.embedding for item in chunks], dtype=np.float32)
    if not np.all(np.isfinite(matrix)):
        raise invalid_field("chunks.embedding", "must hold finite numbers only")
    return matrix


def prepare_upsert(request: UpsertRequest, settings: VectorStoreSettings) -> ValidatedUpsert:
    vectors = validate_upsert(
        request.document, request.chunks, request.embedding_model_id, settings
    )
    return ValidatedUpsert(request.document, request.chunks, vectors)


def prepare_batch(
    requests: Sequence[UpsertRequest], settings: VectorStoreSettings
) -> list[ValidatedUpsert]:
    """Validate a batch as a whole: any bad request fails it before anything is written."""
    prepared: list[ValidatedUpsert] = []
    for outcome in prepare_each(requests, settings):
        if isinstance(outcome, DomainError):
            raise outcome
        prepared.append(outcome)
    return prepared


def prepare_each(
    requests: Sequence[UpsertRequest], settings: VectorStoreSettings
) -> list[ValidatedUpsert | DomainError]:
    """Validate a batch: the call as a whole (raises: empty, too large, an id twice),
    then each request on its own (its error, about ``requests[i]``, in its place)."""
    if not requests:
        raise invalid_field("requests", "give at least one document")
    if len(requests) > settings.max_documents_per_batch:
        raise invalid_field(
            "requests", f"at most {settings.max_documents_per_batch} documents per call"
        )
    total = sum(len(r.chunks) for r in requests)
    if total > settings.max_chunks_per_batch:
        raise ResourceExhausted(
            message=f"{total} chunks in one call; the limit is {settings.max_chunks_per_batch}",
            reason="TOO_MANY_CHUNKS",
            metadata={"limit": str(settings.max_chunks_per_batch)},
        )
    seen: set[str] = set()
    for i, request in enumerate(requests):
        document_id = request.document.id
        if document_id and document_id in seen:
            raise invalid_field(
                f"requests[{i}].document.id",
                f"document {document_id[:80]!r} is given twice; send each document once",
            )
        seen.add(document_id)
    outcomes: list[ValidatedUpsert | DomainError] = []
    for i, request in enumerate(requests):
        try:
            outcomes.append(prepare_upsert(request, settings))
        except DomainError as error:
            outcomes.append(in_request(i, error))
    return outcomes


def in_request(index: int, error: DomainError) -> DomainError:
    """``error`` about one request of a batch, with its fields under ``requests[index]``."""
    prefix = f"requests[{index}]"
    return replace(
        error,
        message=f"{prefix}: {error.message}",
        metadata={**error.metadata, "request_index": str(index)},
        field_violations=[
            FieldViolation(f"{prefix}.{v.field}", v.description) for v in error.field_violations
        ],
    )


@dataclass(frozen=True)
class SearchPlan:
    """A validated search: everything defaulted and checked."""

    text: str
    embedding: npt.NDArray[np.float32] | None
    mode: RetrievalMode
    dense_weight: float
    keyword_weight: float
    top_k: int
    filters: tuple[MetadataCondition, ...]
    document_ids: tuple[str, ...]


def plan_search(
    query: SearchQuery, settings: VectorStoreSettings, max_top_k: int | None = None
) -> SearchPlan:
    if len(query.text) > settings.max_query_chars:
        raise invalid_field("query", f"longer than {settings.max_query_chars} characters")
    has_text = bool(query.text.strip())
    if not has_text and not query.embedding:
        raise invalid_field("query", "give a query, a query_embedding, or both")
    if query.mode.needs_keyword and not has_text:
        raise invalid_field("query", f"required in {query.mode.value} mode (keyword search)")
    _check_model(query.embedding_model_id, settings.embedding_model_id, "embedding_model_id")
    embedding = None
    if query.embedding:
        if len(query.embedding) != settings.dimensions:
            raise InvalidArgument(
                message=f"query_embedding has {len(query.embedding)} dimensions; this store "
                f"holds {settings.dimensions}",
                reason="EMBEDDING_DIMENSION_MISMATCH",
                field_violations=[
                    FieldViolation("query_embedding", f"must have {settings.dimensions} values")
                ],
            )
        embedding = _vector(query.embedding, "query_embedding")
    for name, weight in (("dense_weight", query.dense_weight), ("keyword_weight", query.keyword_weight)):  # fmt: skip
        if not math.isfinite(weight) or weight < 0:
            raise invalid_field(f"options.{name}", "must be a finite number >= 0")
    limit = settings.max_top_k if max_top_k is None else max_top_k
    if not 0 <= query.top_k <= limit:
        raise invalid_field("options.top_k", f"must be between 0 (default) and {limit}")
    validate_filters(query.filters, settings, "options.filters")
    validate_document_ids(query.document_ids, settings, "options.document_ids")
    return SearchPlan(
        text=query.text,
        embedding=embedding,
        mode=query.mode,
        dense_weight=query.dense_weight or settings.default_dense_weight,
        keyword_weight=query.keyword_weight or settings.default_keyword_weight,
        top_k=query.top_k or settings.default_top_k,
        filters=query.filters,
        document_ids=tuple(dict.fromkeys(query.document_ids)),
    )

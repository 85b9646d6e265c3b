"""The vector store's domain logic: documents' chunks on Chroma, BM25 beside it, hybrid search.

No gRPC here. ``ChunkStore`` is the blocking store (Chroma calls and the keyword index);
``VectorStore`` is the service's async domain object that validates requests, embeds text
queries through an injected ``QueryEmbedder`` and runs the store on worker threads.

Layout in Chroma (one database, possibly shared by several replicas):

- ``<prefix>_chunks``: one record per chunk *version*, id ``<chunk id>@<version>``, with the
  embedding, the chunk text, and metadata: ``doc_id``, ``doc_version``, position and
  offsets, access (``acl_public`` and, when the list is not empty, ``acl_groups``), and the
  document's and chunk's own metadata under ``m:<key>`` (so they never collide with ours).
- ``<prefix>_documents``: one record per document id, holding its *current* version, the
  content hash, chunk count, access list, metadata and ``updated_at``; after a delete, a
  tombstone (``state`` = ``deleted``) that other replicas' keyword indexes notice.

Atomic replace: an upsert writes the new version's chunks first (invisible: no document
record points at them), then switches the document record to the new version, then
deletes the previous version's chunks. Every read keeps a chunk only if its ``doc_version``
equals its document's current version, read in one batched ``get`` per search, so a result
never mixes versions and a deleted document's chunks vanish as soon as its record does.
Chunks left behind by a writer that died between the steps, or that lost a race with
another replica, are invisible and removed by ``sweep`` after a grace period.

Keyword side: each replica keeps its own BM25 index, updated synchronously by its own
writes and, for other replicas' writes, by ``sync_keyword_index`` (every ~1 s). Until that
poll has run, a document changed elsewhere is missing from this replica's keyword results
(its stale keyword entries are dropped by the version check), never stale or mixed.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import enum
import hashlib
import json
import logging
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
from prometheus_client import Counter, Gauge, Histogram

from services.common.documents import validate_document_id, validate_metadata
from services.common.text import Tokenizer
from services.runtime.errors import (
    Aborted,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unavailable,
    invalid_field,
)
from services.vector_store.bm25 import KeywordEntry, KeywordHit, KeywordIndex
from services.vector_store.settings import VectorStoreSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

CHUNKS_STORED = Gauge(
    "rag_vector_store_chunks",
    "Chunks of current document versions in this replica's keyword index.",
)
DOCUMENTS_STORED = Gauge("rag_vector_store_documents", "Documents in this replica's keyword index.")
SEARCHES = Counter("rag_vector_store_searches_total", "Searches served, by mode.", ["mode"])
CANDIDATES = Histogram(
    "rag_vector_store_search_candidates",
    "Candidates a search list produced (after access and version filtering), by source.",
    ["source"],
    buckets=(0, 1, 5, 10, 25, 50, 100, 200, 400, 800),
)
STALE_DROPPED = Counter(
    "rag_vector_store_stale_chunks_dropped_total",
    "Search candidates dropped because their document has moved to another version or "
    "was deleted, by source.",
    ["source"],
)
KEYWORD_SYNCED = Counter(
    "rag_vector_store_keyword_documents_synced_total",
    "Documents (re)loaded into or removed from this replica's keyword index by polling "
    "changes made through other replicas.",
)
SWEPT = Counter(
    "rag_vector_store_swept_total",
    "Orphaned chunks and expired tombstones removed by the sweeper.",
    ["kind"],
)

LIVE = "live"
DELETED = "deleted"
USER_KEY = "m:"  # prefix of caller metadata keys inside Chroma metadata
DEFAULT_LIST_DOCUMENTS = 50
DEFAULT_LIST_CHUNKS = 100
MAX_PAGE_SIZE = 1000
DIGEST_HEX = re.compile(r"^[0-9a-f]{64}$")


# ---- domain types ---------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """Who is asking, as far as document access goes.

    ``groups`` None means unrestricted (no-auth mode, service accounts); otherwise the
    caller reads a document only if its access list is empty or shares a group.
    """

    groups: frozenset[str] | None = None

    def can_read(self, access_groups: Iterable[str]) -> bool:
        if self.groups is None:
            return True
        wanted = set(access_groups)
        return not wanted or not wanted.isdisjoint(self.groups)


UNRESTRICTED = Caller(None)


class FilterOperator(enum.Enum):
    EQUAL = "EQUAL"
    NOT_EQUAL = "NOT_EQUAL"
    IN = "IN"
    NOT_IN = "NOT_IN"


@dataclass(frozen=True)
class MetadataCondition:
    """One metadata condition; a list of them is combined with AND."""

    key: str
    operator: FilterOperator
    values: tuple[str, ...]

    def matches(self, metadata: Mapping[str, str]) -> bool:
        # Same semantics as Chroma's where: $ne/$nin also match records without the key.
        value = metadata.get(self.key)
        if self.operator is FilterOperator.EQUAL:
            return value == self.values[0]
        if self.operator is FilterOperator.NOT_EQUAL:
            return value != self.values[0]
        if self.operator is FilterOperator.IN:
            return value is not None and value in self.values
        return value not in self.values


class RetrievalMode(enum.Enum):
    DENSE = "dense"
    KEYWORD = "keyword"
    HYBRID = "hybrid"

    @property
    def needs_dense(self) -> bool:
        return self is not RetrievalMode.KEYWORD

    @property
    def needs_keyword(self) -> bool:
        return self is not RetrievalMode.DENSE


@dataclass(frozen=True)
class DocumentInput:
    """A document's metadata as a caller upserts it (the store never sees its content)."""

    id: str
    content_hash: str
    title: str = ""
    source: str = ""
    content_type: str = ""
    access_groups: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    has_content: bool = False


@dataclass(frozen=True)
class StoredDocument:
    id: str
    version: str
    content_hash: str
    chunk_count: int
    update_time: float  # seconds since the epoch
    title: str = ""
    source: str = ""
    content_type: str = ""
    access_groups: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChunkData:
    id: str
    document_id: str
    position: int
    text: str
    title: str = ""
    section_path: tuple[str, ...] = ()
    start_offset: int = 0
    end_offset: int = 0
    modality: int = 0  # rag.v1.Modality value, passed through
    location: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    access_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmbeddedChunk:
    chunk: ChunkData
    embedding: Sequence[float]


@dataclass(frozen=True)
class UpsertRequest:
    """One document with every chunk it has now, as UpsertDocument takes it."""

    document: DocumentInput
    chunks: Sequence[EmbeddedChunk]
    embedding_model_id: str = ""


@dataclass(frozen=True)
class ValidatedUpsert:
    """An upsert that passed validation; only the caller's access is left to check, under
    the write lock, against the document as stored then."""

    document: DocumentInput
    chunks: Sequence[EmbeddedChunk]
    vectors: npt.NDArray[np.float32]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    embedding: Sequence[float] | None = None
    mode: RetrievalMode = RetrievalMode.HYBRID
    dense_weight: float = 0.0  # 0 = the store's default
    keyword_weight: float = 0.0
    top_k: int = 0  # 0 = the store's default
    filters: tuple[MetadataCondition, ...] = ()
    document_ids: tuple[str, ...] = ()
    embedding_model_id: str = ""


@dataclass(frozen=True)
class ScoredChunk:
    chunk: ChunkData
    score: float
    dense_score: float
    keyword_score: float
    rank: int


@dataclass(frozen=True)
class SearchResult:
    chunks: list[ScoredChunk]
    dense_candidate_count: int
    keyword_candidate_count: int


@dataclass(frozen=True)
class DocumentPage:
    documents: list[StoredDocument]
    next_page_token: str


@dataclass(frozen=True)
class ChunkPage:
    chunks: list[ChunkData]
    next_page_token: str


@dataclass(frozen=True)
class ChunkCount:
    chunk_count: int
    document_count: int


class QueryEmbedder(Protocol):
    """Embeds a text query (EmbeddingService through the mesh, or in-process in tests)."""

    async def embed_query(self, text: str) -> tuple[Sequence[float], str]:
        """The query's vector and the id of the model that produced it."""
        ...


# ---- validation -------------------------------------------------------------------------


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
    prepared: list[ValidatedUpsert] = []
    for i, request in enumerate(requests):
        document_id = request.document.id
        if document_id and document_id in seen:
            raise invalid_field(
                f"requests[{i}].document.id",
                f"document {document_id[:80]!r} is given twice; send each document once",
            )
        seen.add(document_id)
        try:
            prepared.append(prepare_upsert(request, settings))
        except DomainError as error:
            raise in_request(i, error) from error
    return prepared


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
class _Plan:
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
) -> _Plan:
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
    return _Plan(
        text=query.text,
        embedding=embedding,
        mode=query.mode,
        dense_weight=query.dense_weight or settings.default_dense_weight,
        keyword_weight=query.keyword_weight or settings.default_keyword_weight,
        top_k=query.top_k or settings.default_top_k,
        filters=query.filters,
        document_ids=tuple(dict.fromkeys(query.document_ids)),
    )


# ---- page tokens (AIP-158: opaque, bound to the request's filters) ----------------------


def _encode_token(payload: Mapping[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise invalid_field("page_token", "malformed; pass next_page_token unchanged") from exc
    if not isinstance(payload, dict) or payload.get("t") != 1:
        raise invalid_field("page_token", "malformed; pass next_page_token unchanged")
    return payload


def _filters_digest(filters: Sequence[MetadataCondition]) -> str:
    canonical = [[c.key, c.operator.value, list(c.values)] for c in filters]
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()[:16]


def _page_size(size: int, default: int) -> int:
    if size < 0:
        raise invalid_field("page_size", "must be >= 0")
    return min(size or default, MAX_PAGE_SIZE)


# ---- Chroma mapping ---------------------------------------------------------------------


Where = dict[str, Any]


def _all_of(clauses: Sequence[Where]) -> Where | None:
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": list(clauses)}


def _access_where(caller: Caller) -> Where | None:
    if caller.groups is None:
        return None
    options: list[Where] = [{"acl_public": True}]
    options += [{"acl_groups": {"$contains": g}} for g in sorted(caller.groups)]
    return options[0] if len(options) == 1 else {"$or": options}


def _condition_where(condition: MetadataCondition) -> Where:
    key = USER_KEY + condition.key
    if condition.operator is FilterOperator.EQUAL:
        return {key: {"$eq": condition.values[0]}}
    if condition.operator is FilterOperator.NOT_EQUAL:
        return {key: {"$ne": condition.values[0]}}
    if condition.operator is FilterOperator.IN:
        return {key: {"$in": list(condition.values)}}
    return {key: {"$nin": list(condition.values)}}


def _access_metadata(groups: Sequence[str]) -> dict[str, Any]:
    # Chroma list values must be non-empty: public documents carry only the flag.
    fields: dict[str, Any] = {"acl_public": not groups}
    if groups:
        fields["acl_groups"] = sorted(set(groups))
    return fields


def _user_metadata(raw: Mapping[str, Any]) -> dict[str, str]:
    return {k[len(USER_KEY) :]: str(v) for k, v in raw.items() if k.startswith(USER_KEY)}


def _record_id(chunk_id: str, version: str) -> str:
    return f"{chunk_id}@{version}"


def _document_from_record(record_id: str, meta: Mapping[str, Any]) -> StoredDocument | None:
    if meta.get("state") != LIVE:
        return None
    return StoredDocument(
        id=record_id,
        version=str(meta["version"]),
        content_hash=str(meta.get("content_hash", "")),
        chunk_count=int(meta.get("chunk_count", 0)),
        update_time=float(meta.get("updated_at", 0.0)),
        title=str(meta.get("title", "")),
        source=str(meta.get("source", "")),
        content_type=str(meta.get("content_type", "")),
        access_groups=tuple(json.loads(str(meta.get("access_groups_json", "[]")))),
        metadata=_user_metadata(meta),
    )


def _chunk_from_record(text: str | None, meta: Mapping[str, Any]) -> ChunkData:
    return ChunkData(
        id=str(meta["chunk_id"]),
        document_id=str(meta["doc_id"]),
        position=int(meta.get("position", 0)),
        text=text or "",
        title=str(meta.get("title", "")),
        section_path=tuple(json.loads(str(meta.get("section_path", "[]")))),
        start_offset=int(meta.get("start_offset", 0)),
        end_offset=int(meta.get("end_offset", 0)),
        modality=int(meta.get("modality", 0)),
        location=str(meta.get("location", "")),
        metadata=_user_metadata(meta),
        access_groups=tuple(meta.get("acl_groups") or ()),
    )


def _keyword_access(access: Mapping[str, Any]) -> tuple[bool, frozenset[str]]:
    """(public, groups) of a keyword entry from the access fields stored with a chunk."""
    groups = access.get("acl_groups") or ()
    return bool(access.get("acl_public", not groups)), frozenset(groups)


def _keyword_entry(record_id: str, meta: Mapping[str, Any]) -> KeywordEntry:
    groups = meta.get("acl_groups") or ()
    return KeywordEntry(
        key=record_id,
        document_id=str(meta["doc_id"]),
        version=str(meta["doc_version"]),
        public=bool(meta.get("acl_public", not groups)),
        groups=frozenset(groups),
        metadata=_user_metadata(meta),
    )


def new_version() -> str:
    """Unique per write; the leading time makes versions roughly ordered in logs."""
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"


@dataclass
class _Candidate:
    key: str
    document_id: str
    version: str
    chunk: ChunkData | None = None
    dense_score: float = 0.0
    keyword_score: float = 0.0
    dense_rank: int = 0
    keyword_rank: int = 0


def reciprocal_rank_fusion(
    rankings: Sequence[tuple[Sequence[str], float]], k: float
) -> dict[str, float]:
    """Weighted RRF: score(d) = sum over lists of weight / (k + rank of d), ranks from 1."""
    fused: dict[str, float] = {}
    for keys, weight in rankings:
        for rank, key in enumerate(keys, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


# ---- the blocking store -----------------------------------------------------------------


def open_client(settings: VectorStoreSettings) -> Any:
    """Embedded PersistentClient by default; HttpClient when a shared server is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host and settings.chroma_port:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    return chromadb.PersistentClient(path=settings.persist_path, settings=chroma_settings)


class ChunkStore:
    """Chroma collections plus this replica's BM25 index; every method blocks.

    Thread-safe: searches run concurrently; writes within this replica are serialised by a
    lock (across replicas, document versions keep readers consistent).
    """

    def __init__(self, client: Any, settings: VectorStoreSettings) -> None:
        self.settings = settings
        prefix = settings.collection_prefix
        self._chunks = client.get_or_create_collection(
            f"{prefix}_chunks",
            configuration={"hnsw": {"space": "cosine"}},
            metadata={
                "embedding_model_id": settings.embedding_model_id,
                "dimensions": settings.dimensions,
            },
            embedding_function=None,
        )
        stored = self._chunks.metadata or {}
        if (
            stored.get("embedding_model_id", settings.embedding_model_id)
            != (settings.embedding_model_id)
            or int(stored.get("dimensions", settings.dimensions)) != settings.dimensions
        ):
            raise ValueError(
                f"collection {prefix}_chunks holds {stored.get('dimensions')}-d vectors of "
                f"{stored.get('embedding_model_id')!r}, but this store is configured for "
                f"{settings.dimensions}-d {settings.embedding_model_id!r}"
            )
        # Document records need a vector to exist in Chroma; a constant 1-d one.
        self._documents = client.get_or_create_collection(
            f"{prefix}_documents", embedding_function=None
        )
        self._batch = max(1, min(int(client.get_max_batch_size()), 2000))
        self.keyword = KeywordIndex(
            Tokenizer(settings.bm25_stemming), settings.bm25_k1, settings.bm25_b
        )
        self._write_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._watermark = 0.0
        self._last_full_sync = 0.0

    # ---- writes ---------------------------------------------------------------------

    def upsert(
        self,
        document: DocumentInput,
        chunks: Sequence[EmbeddedChunk],
        embedding_model_id: str = "",
        caller: Caller = UNRESTRICTED,
    ) -> StoredDocument:
        item = prepare_upsert(UpsertRequest(document, chunks, embedding_model_id), self.settings)
        (outcome,) = self.write([item], [caller])
        if isinstance(outcome, DomainError):
            raise outcome
        return outcome

    def upsert_many(
        self, requests: Sequence[UpsertRequest], caller: Caller = UNRESTRICTED
    ) -> list[StoredDocument]:
        """Upsert several documents in one write: validated and access-checked as a whole
        (a bad request or a denied document writes nothing), each replaced as a unit."""
        items = prepare_batch(requests, self.settings)
        outcomes = self.write(items, [caller] * len(items), all_or_nothing=True)
        return [o for o in outcomes if isinstance(o, StoredDocument)]

    def write(
        self,
        items: Sequence[ValidatedUpsert],
        callers: Sequence[Caller],
        all_or_nothing: bool = False,
    ) -> list[StoredDocument | DomainError]:
        """Write validated upserts of distinct documents together, each as a unit.

        The same three steps as for one document, each done once for the whole batch
        (Chroma's cost is mostly per call): every new version's chunks are added (invisible:
        no record points at them), then every document record switches to its new version
        in one upsert, then the previous versions' chunks are deleted. A document the
        caller may not read is refused (its outcome is the error; with ``all_or_nothing``
        the whole batch is, before anything is written). A failing store call fails the
        whole batch: no record has switched if the chunks could not be written.
        """
        ids = [item.document.id for item in items]
        if len(set(ids)) != len(ids):
            raise ValueError("a write holds each document at most once")
        with self._write_lock:
            previous = self._read_documents(ids)
            outcomes: list[StoredDocument | DomainError | None] = [None] * len(items)
            accepted: list[int] = []
            for i, (item, caller) in enumerate(zip(items, callers, strict=True)):
                known = previous.get(item.document.id)
                if known is not None and not caller.can_read(known.access_groups):
                    denied = PermissionDenied(
                        message=f"document {item.document.id!r} exists and you may not read it",
                        reason="DOCUMENT_ACCESS_DENIED",
                    )
                    if all_or_nothing:
                        raise in_request(i, denied)
                    outcomes[i] = denied
                else:
                    accepted.append(i)
            now = time.time()
            versions = {i: new_version() for i in accepted}
            record_ids: list[str] = []
            metas: list[dict[str, Any]] = []
            texts: list[str] = []
            entries: dict[int, list[tuple[KeywordEntry, str]]] = {}
            for i in accepted:
                entries[i] = self._chunk_records(
                    items[i], versions[i], now, record_ids, metas, texts
                )
            new = [(ids[i], versions[i]) for i in accepted]
            if record_ids:
                vectors = np.concatenate([items[i].vectors for i in accepted])
                try:
                    for start in range(0, len(record_ids), self._batch):
                        end = start + self._batch
                        self._chunks.add(
                            ids=record_ids[start:end],
                            embeddings=vectors[start:end],
                            documents=texts[start:end],
                            metadatas=metas[start:end],
                        )
                except Exception as exc:
                    self._forget_versions(new)
                    raise _store_error("writing chunks", exc) from exc
            # Switch time, not start time: other replicas poll records by this stamp.
            switched = time.time()
            records = {
                i: StoredDocument(
                    id=items[i].document.id,
                    version=versions[i],
                    content_hash=items[i].document.content_hash,
                    chunk_count=len(items[i].chunks),
                    update_time=switched,
                    title=items[i].document.title,
                    source=items[i].document.source,
                    content_type=items[i].document.content_type,
                    access_groups=tuple(items[i].document.access_groups),
                    metadata=dict(items[i].document.metadata),
                )
                for i in accepted
            }
            if records:
                try:  # the switch: from here on readers see the new versions only
                    self._write_records(list(records.values()))
                except Exception as exc:
                    self._forget_versions(new)
                    raise _store_error("switching the document version", exc) from exc
            for i in accepted:
                self.keyword.replace_document(ids[i], versions[i], entries[i])
                outcomes[i] = records[i]
            self._forget_versions(
                [(ids[i], previous[ids[i]].version) for i in accepted if ids[i] in previous]
            )
            self._update_gauges()
            return [o for o in outcomes if o is not None]

    def _chunk_records(
        self,
        item: ValidatedUpsert,
        version: str,
        now: float,
        record_ids: list[str],
        metas: list[dict[str, Any]],
        texts: list[str],
    ) -> list[tuple[KeywordEntry, str]]:
        """Append one document's chunk records; returns its keyword index entries."""
        document = item.document
        access = _access_metadata(document.access_groups)
        # Chunks share the document's fields: one dict per document, copied per chunk.
        shared: dict[str, Any] = {
            "doc_id": document.id,
            "doc_version": version,
            "written_at": now,
            **access,
        }
        keyword_access = _keyword_access(access)
        entries: list[tuple[KeywordEntry, str]] = []
        for embedded in item.chunks:
            c = embedded.chunk
            merged = {**document.metadata, **c.metadata}
            record_id = _record_id(c.id, version)
            title = c.title or document.title
            user = {USER_KEY + k: v for k, v in merged.items()}
            meta: dict[str, Any] = {
                **shared,
                "chunk_id": c.id,
                "position": c.position,
                "title": title,
                "section_path": json.dumps(list(c.section_path)),
                "start_offset": c.start_offset,
                "end_offset": c.end_offset,
                "modality": c.modality,
                "location": c.location,
                **user,
            }
            record_ids.append(record_id)
            metas.append(meta)
            texts.append(c.text)
            entry = KeywordEntry(
                key=record_id,
                document_id=document.id,
                version=version,
                public=keyword_access[0],
                groups=keyword_access[1],
                metadata=dict(merged),
            )
            entries.append((entry, self._keyword_text(c.text, title)))
        return entries

    def delete(
        self, document_id: str, allow_missing: bool = False, caller: Caller = UNRESTRICTED
    ) -> int:
        validate_document_id(document_id, "document_id")
        with self._write_lock:
            previous = self._read_document(document_id)
            if previous is None or not caller.can_read(previous.access_groups):
                if allow_missing:
                    return 0
                raise _not_found(document_id)
            try:  # the tombstone hides every chunk at once and tells other replicas
                self._documents.upsert(
                    ids=[document_id],
                    embeddings=[[1.0]],
                    metadatas=[
                        {
                            "state": DELETED,
                            "version": "",
                            "updated_at": time.time(),
                            "acl_public": False,
                        }
                    ],
                )
            except Exception as exc:
                raise _store_error("deleting the document", exc) from exc
            self.keyword.remove_document(document_id)
            self._forget_version(document_id, previous.version)
            self._update_gauges()
            return previous.chunk_count

    def _write_records(self, records: Sequence[StoredDocument]) -> None:
        """One upsert for every record: one store call, whatever the batch size."""
        self._documents.upsert(
            ids=[r.id for r in records],
            embeddings=[[1.0]] * len(records),
            metadatas=[self._record_metadata(r) for r in records],
        )

    @staticmethod
    def _record_metadata(record: StoredDocument) -> dict[str, Any]:
        return {
            "state": LIVE,
            "version": record.version,
            "content_hash": record.content_hash,
            "chunk_count": record.chunk_count,
            "updated_at": record.update_time,
            "title": record.title,
            "source": record.source,
            "content_type": record.content_type,
            "access_groups_json": json.dumps(list(record.access_groups)),
            **_access_metadata(record.access_groups),
            **{USER_KEY + k: v for k, v in record.metadata.items()},
        }

    def _forget_version(self, document_id: str, version: str) -> None:
        self._forget_versions([(document_id, version)])

    def _forget_versions(self, versions: Sequence[tuple[str, str]]) -> None:
        """Delete these (document, version) pairs' chunks in one call; failures leave
        orphans for the sweeper. A version is unique to one write of one document, so
        matching ids and versions as two lists never reaches another document's chunks."""
        if not versions:
            return
        if len(versions) == 1:
            ((document_id, version),) = versions
            where: Where = {"$and": [{"doc_id": document_id}, {"doc_version": version}]}
        else:
            where = {
                "$and": [
                    {"doc_id": {"$in": sorted({d for d, _ in versions})}},
                    {"doc_version": {"$in": sorted({v for _, v in versions})}},
                ]
            }
        try:
            self._chunks.delete(where=where)
        except Exception:
            log.warning(
                "could not delete chunks of %d old versions (%s@%s ...); the sweeper will",
                len(versions),
                *versions[0],
            )

    def _keyword_text(self, text: str, title: str) -> str:
        repeats = self.settings.bm25_title_repeats if title else 0
        return "\n".join([title] * repeats + [text])

    def _update_gauges(self) -> None:
        CHUNKS_STORED.set(self.keyword.chunk_count)
        DOCUMENTS_STORED.set(self.keyword.document_count)

    # ---- document reads ---------------------------------------------------------------

    def _read_document(self, document_id: str) -> StoredDocument | None:
        found = self._get(self._documents, ids=[document_id], include=["metadatas"])
        if not found["ids"]:
            return None
        return _document_from_record(found["ids"][0], found["metadatas"][0] or {})

    def _read_documents(self, document_ids: Sequence[str]) -> dict[str, StoredDocument]:
        """Live records of these documents, in one read."""
        if len(document_ids) == 1:
            one = self._read_document(document_ids[0])
            return {} if one is None else {one.id: one}
        found = self._get(self._documents, ids=list(document_ids), include=["metadatas"])
        documents = (
            _document_from_record(i, m or {})
            for i, m in zip(found["ids"], found["metadatas"], strict=True)
        )
        return {d.id: d for d in documents if d is not None}

    def _current_versions(self, document_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(document_ids))
        if not ids:
            return {}
        found = self._get(self._documents, ids=ids, include=["metadatas"])
        return {
            i: str(m["version"])
            for i, m in zip(found["ids"], found["metadatas"], strict=True)
            if m and m.get("state") == LIVE
        }

    def get_document(self, document_id: str, caller: Caller = UNRESTRICTED) -> StoredDocument:
        validate_document_id(document_id, "document_id")
        document = self._read_document(document_id)
        if document is None or not caller.can_read(document.access_groups):
            raise _not_found(document_id)
        return document

    def list_documents(
        self,
        page_size: int = 0,
        page_token: str = "",
        filters: Sequence[MetadataCondition] = (),
        caller: Caller = UNRESTRICTED,
    ) -> DocumentPage:
        size = _page_size(page_size, DEFAULT_LIST_DOCUMENTS)
        validate_filters(filters, self.settings, "filters")
        digest = _filters_digest(filters)
        after = ""
        if page_token:
            token = _decode_token(page_token)
            if token.get("f") != digest or not isinstance(token.get("a"), str):
                raise invalid_field("page_token", "was issued for different filters")
            after = token["a"]
        clauses: list[Where] = [{"state": LIVE}]
        access = _access_where(caller)
        if access:
            clauses.append(access)
        clauses += [_condition_where(c) for c in filters]
        found = self._get(self._documents, where=_all_of(clauses), include=["metadatas"])
        documents = sorted(
            (
                d
                for i, m in zip(found["ids"], found["metadatas"], strict=True)
                if i > after and (d := _document_from_record(i, m or {})) is not None
            ),
            key=lambda d: d.id,
        )
        page = documents[:size]
        more = len(documents) > size
        next_token = _encode_token({"t": 1, "a": page[-1].id, "f": digest}) if more else ""
        return DocumentPage(page, next_token)

    def list_chunks(
        self,
        document_id: str,
        page_size: int = 0,
        page_token: str = "",
        caller: Caller = UNRESTRICTED,
    ) -> ChunkPage:
        size = _page_size(page_size, DEFAULT_LIST_CHUNKS)
        document = self.get_document(document_id, caller)
        offset = 0
        if page_token:
            token = _decode_token(page_token)
            if token.get("d") != document_id or not isinstance(token.get("o"), int):
                raise invalid_field("page_token", "was issued for another document")
            if token.get("v") != document.version:
                raise FailedPrecondition(
                    message=f"document {document_id!r} was replaced while paging; start again",
                    reason="DOCUMENT_CHANGED",
                )
            offset = max(0, token["o"])
        for _ in range(3):
            chunks = self._version_chunks(document.id, document.version)
            if len(chunks) == document.chunk_count:
                break
            # Replaced between reading the record and the chunks: read both again.
            document = self.get_document(document_id, caller)
        else:
            raise Aborted(
                message=f"document {document_id!r} is changing too fast; retry",
                reason="DOCUMENT_CHANGED",
            )
        chunks.sort(key=lambda c: (c.position, c.id))
        page = chunks[offset : offset + size]
        end = offset + len(page)
        more = end < len(chunks)
        next_token = (
            _encode_token({"t": 1, "d": document.id, "v": document.version, "o": end})
            if more
            else ""
        )
        return ChunkPage(page, next_token)

    def _version_chunks(self, document_id: str, version: str) -> list[ChunkData]:
        found = self._get(
            self._chunks,
            where={"$and": [{"doc_id": document_id}, {"doc_version": version}]},
            include=["metadatas", "documents"],
        )
        return [
            _chunk_from_record(text, meta or {})
            for text, meta in zip(found["documents"], found["metadatas"], strict=True)
        ]

    def count_chunks(
        self,
        filters: Sequence[MetadataCondition] = (),
        document_ids: Sequence[str] = (),
        caller: Caller = UNRESTRICTED,
    ) -> ChunkCount:
        validate_filters(filters, self.settings, "filters")
        validate_document_ids(document_ids, self.settings, "document_ids")
        access = _access_where(caller)
        ids_clause: list[Where] = [{"doc_id": {"$in": list(document_ids)}}] if document_ids else []
        if not filters:
            # Document records already know their chunk counts.
            clauses: list[Where] = [{"state": LIVE}, *([access] if access else [])]
            found = self._get(
                self._documents,
                ids=list(document_ids) or None,
                where=_all_of(clauses),
                include=["metadatas"],
            )
            counts = [int((m or {}).get("chunk_count", 0)) for m in found["metadatas"]]
            return ChunkCount(sum(counts), sum(1 for c in counts if c > 0))
        chunk_clauses = [*([access] if access else []), *ids_clause]
        chunk_clauses += [_condition_where(c) for c in filters]
        found = self._get(self._chunks, where=_all_of(chunk_clauses), include=["metadatas"])
        pairs = [(str(m["doc_id"]), str(m["doc_version"])) for m in found["metadatas"] if m]
        current = self._current_versions(doc for doc, _ in pairs)
        kept = [doc for doc, version in pairs if current.get(doc) == version]
        return ChunkCount(len(kept), len(set(kept)))

    # ---- search -----------------------------------------------------------------------

    def search(
        self, query: SearchQuery, caller: Caller = UNRESTRICTED, max_top_k: int | None = None
    ) -> SearchResult:
        """Validate and run a search; a text-only dense query needs ``VectorStore.search``."""
        plan = plan_search(query, self.settings, max_top_k)
        if plan.mode.needs_dense and plan.embedding is None:
            raise invalid_field("query_embedding", "required here: this call embeds nothing")
        return self.run_search(plan, caller)

    def run_search(self, plan: _Plan, caller: Caller) -> SearchResult:
        SEARCHES.labels(plan.mode.value).inc()
        wanted = max(plan.top_k * self.settings.candidates_per_result, self.settings.min_candidates)
        filter_clauses = [_condition_where(c) for c in plan.filters]
        if plan.document_ids:
            filter_clauses.append({"doc_id": {"$in": list(plan.document_ids)}})
        access = _access_where(caller)
        where = _all_of([*([access] if access else []), *filter_clauses])

        dense: list[_Candidate] = []
        keyword: list[_Candidate] = []
        if plan.mode.needs_keyword:
            keyword = self._keyword_candidates(plan, caller, wanted)
        if plan.mode.needs_dense:
            assert plan.embedding is not None
            dense = self._dense_candidates(plan.embedding, where, wanted, keyword)
        else:
            self._drop_stale(
                keyword, "keyword", self._current_versions(c.document_id for c in keyword)
            )
        CANDIDATES.labels("dense").observe(len(dense))
        CANDIDATES.labels("keyword").observe(len(keyword))

        by_key: dict[str, _Candidate] = {}
        for rank, c in enumerate(dense, start=1):
            c.dense_rank = rank
            by_key[c.key] = c
        for rank, c in enumerate(keyword, start=1):
            known = by_key.setdefault(c.key, c)
            known.keyword_rank = rank
            known.keyword_score = c.keyword_score
        if plan.mode is RetrievalMode.HYBRID:
            scores = reciprocal_rank_fusion(
                [
                    ([c.key for c in dense], plan.dense_weight),
                    ([c.key for c in keyword], plan.keyword_weight),
                ],
                self.settings.rrf_k,
            )
        elif plan.mode is RetrievalMode.DENSE:
            scores = {c.key: c.dense_score for c in dense}
        else:
            scores = {c.key: c.keyword_score for c in keyword}
        order = sorted(scores, key=lambda key: (-scores[key], key))[: plan.top_k]
        self._fill_chunks([by_key[key] for key in order])
        results: list[ScoredChunk] = []
        for key in order:
            c = by_key[key]
            if c.chunk is None:  # deleted between ranking and reading its text
                continue
            results.append(
                ScoredChunk(
                    chunk=c.chunk,
                    score=scores[key],
                    dense_score=c.dense_score,
                    keyword_score=c.keyword_score,
                    rank=len(results) + 1,
                )
            )
        return SearchResult(results, len(dense), len(keyword))

    def _keyword_candidates(self, plan: _Plan, caller: Caller, wanted: int) -> list[_Candidate]:
        hits: list[KeywordHit] = self.keyword.search(
            plan.text,
            wanted,
            _visibility(caller),
            visibility_key=caller.groups,
            accept=_acceptance(plan.filters, plan.document_ids),
        )
        return [
            _Candidate(
                key=h.entry.key,
                document_id=h.entry.document_id,
                version=h.entry.version,
                keyword_score=h.score,
            )
            for h in hits
        ]

    def _dense_candidates(
        self,
        embedding: npt.NDArray[np.float32],
        where: Where | None,
        wanted: int,
        keyword: list[_Candidate],
    ) -> list[_Candidate]:
        """Nearest chunks of current versions; also drops stale ``keyword`` candidates, so
        both lists are checked against one read of the document records."""
        fetch = wanted
        for _attempt in range(3):
            found = self._query(embedding, where, fetch)
            raw = [
                _Candidate(
                    key=key,
                    document_id=str(meta["doc_id"]),
                    version=str(meta["doc_version"]),
                    chunk=_chunk_from_record(text, meta),
                    dense_score=1.0 - float(distance),
                )
                for key, text, meta, distance in zip(
                    found["ids"][0],
                    found["documents"][0],
                    found["metadatas"][0],
                    found["distances"][0],
                    strict=True,
                )
                # A record deleted while the query ran can come back without metadata:
                # its version is gone, so it is stale like any other.
                if meta is not None
            ]
            current = self._current_versions(
                [c.document_id for c in raw] + [c.document_id for c in keyword]
            )
            dense = list(raw)
            returned = len(found["ids"][0])
            dropped = self._drop_stale(dense, "dense", current) + returned - len(raw)
            if dropped == 0 or returned < fetch or len(dense) >= wanted:
                break
            fetch += dropped * 2  # stale chunks took places: look a little further
        self._drop_stale(keyword, "keyword", current)
        return dense[:wanted]

    @staticmethod
    def _drop_stale(candidates: list[_Candidate], source: str, current: Mapping[str, str]) -> int:
        kept = [c for c in candidates if current.get(c.document_id) == c.version]
        dropped = len(candidates) - len(kept)
        if dropped:
            STALE_DROPPED.labels(source).inc(dropped)
            candidates[:] = kept
        return dropped

    def _fill_chunks(self, candidates: Sequence[_Candidate]) -> None:
        missing = [c for c in candidates if c.chunk is None]
        if not missing:
            return
        found = self._get(
            self._chunks, ids=[c.key for c in missing], include=["metadatas", "documents"]
        )
        chunks = {
            key: _chunk_from_record(text, meta)
            for key, text, meta in zip(
                found["ids"], found["documents"], found["metadatas"], strict=True
            )
            if meta is not None  # deleted meanwhile: left out like a missing record
        }
        for c in missing:
            c.chunk = chunks.get(c.key)

    # ---- keyword index convergence and housekeeping -------------------------------------

    def sync_keyword_index(self, full: bool = False) -> int:
        """Bring this replica's BM25 index up to the document records; returns documents
        (re)loaded or removed. Incremental: records changed since the last poll (with a
        look-back for clock skew); full: every record (at start and now and then)."""
        with self._sync_lock:
            now = time.time()
            if now - self._last_full_sync >= self.settings.full_reconcile_interval_s:
                full = True
            if full:
                found = self._get(self._documents, where={"state": LIVE}, include=["metadatas"])
            else:
                since = self._watermark - self.settings.keyword_sync_lookback_s
                found = self._get(
                    self._documents, where={"updated_at": {"$gte": since}}, include=["metadatas"]
                )
            records = {i: m or {} for i, m in zip(found["ids"], found["metadatas"], strict=True)}
            known = self.keyword.versions()
            stale: dict[str, str] = {}
            gone: set[str] = set()
            for document_id, meta in records.items():
                if meta.get("state") == LIVE:
                    if known.get(document_id) != meta.get("version"):
                        stale[document_id] = str(meta["version"])
                elif document_id in known:
                    gone.add(document_id)
            if full:
                gone |= set(known) - set(records)
            changed = self._apply_changes(stale, gone)
            if records:
                newest = max(float(m.get("updated_at", 0.0)) for m in records.values())
                self._watermark = max(self._watermark, newest)
            if full:
                self._last_full_sync = now
            if changed:
                KEYWORD_SYNCED.inc(changed)
                self._update_gauges()
            return changed

    def _apply_changes(self, wanted: Mapping[str, str], gone: set[str]) -> int:
        """Load ``wanted`` versions' chunks into the keyword index and drop ``gone`` ones."""
        grouped: dict[str, list[tuple[KeywordEntry, str]]] = {d: [] for d in wanted}
        ids = sorted(wanted)
        for start in range(0, len(ids), 200):
            batch = ids[start : start + 200]
            found = self._get(
                self._chunks,
                where={"doc_id": {"$in": batch}},
                include=["metadatas", "documents"],
            )
            for key, text, meta in zip(
                found["ids"], found["documents"], found["metadatas"], strict=True
            ):
                if not meta or wanted.get(str(meta["doc_id"])) != meta.get("doc_version"):
                    continue
                grouped[str(meta["doc_id"])].append(
                    (
                        _keyword_entry(key, meta),
                        self._keyword_text(text or "", str(meta.get("title", ""))),
                    )
                )
        changed = 0
        # Under the write lock, this replica's own writes cannot interleave: the records and
        # the index agree, so a slow poll never puts back an older version or removes a
        # document that was just written here.
        with self._write_lock:
            current = self._current_versions([*grouped, *gone])
            for document_id in gone:
                if document_id not in current and self.keyword.remove_document(document_id):
                    changed += 1
            for document_id, entries in grouped.items():
                # Replaced again since the record was read? The next poll loads the newer one.
                if current.get(document_id) != wanted[document_id]:
                    continue
                self.keyword.replace_document(document_id, wanted[document_id], entries)
                changed += 1
        return changed

    def sweep(self, now: float | None = None) -> int:
        """Remove orphaned chunks older than the grace period and expired tombstones."""
        now = time.time() if now is None else now
        removed = 0
        found = self._get(
            self._documents,
            where={"$and": [{"state": DELETED}, {"updated_at": {"$lt": now - self.settings.tombstone_ttl_s}}]},
            include=[],
        )  # fmt: skip
        if found["ids"]:
            self._documents.delete(ids=list(found["ids"]))
            SWEPT.labels("tombstone").inc(len(found["ids"]))
            removed += len(found["ids"])
        old = self._get(
            self._chunks,
            where={"written_at": {"$lt": now - self.settings.orphan_grace_s}},
            include=["metadatas"],
        )
        pairs = {
            key: (str(m["doc_id"]), str(m["doc_version"]))
            for key, m in zip(old["ids"], old["metadatas"], strict=True)
            if m
        }
        current = self._current_versions(doc for doc, _ in pairs.values())
        orphans = [key for key, (doc, ver) in pairs.items() if current.get(doc) != ver]
        for start in range(0, len(orphans), self._batch):
            self._chunks.delete(ids=orphans[start : start + self._batch])
        if orphans:
            SWEPT.labels("chunk").inc(len(orphans))
        return removed + len(orphans)

    # ---- Chroma calls -----------------------------------------------------------------

    def _get(self, collection: Any, **kwargs: Any) -> Any:
        try:
            return collection.get(**kwargs)
        except Exception as exc:
            raise _store_error("reading", exc) from exc

    def _query(self, embedding: npt.NDArray[np.float32], where: Where | None, n: int) -> Any:
        try:
            return self._chunks.query(
                query_embeddings=[embedding],
                n_results=n,
                where=where,
                include=["metadatas", "documents", "distances"],
            )
        except Exception as exc:
            raise _store_error("searching", exc) from exc


def _visibility(caller: Caller) -> Callable[[KeywordEntry], bool] | None:
    groups = caller.groups
    if groups is None:
        return None
    return lambda entry: entry.public or not entry.groups.isdisjoint(groups)


def _acceptance(
    filters: Sequence[MetadataCondition], document_ids: Sequence[str]
) -> Callable[[KeywordEntry], bool] | None:
    if not filters and not document_ids:
        return None
    ids = frozenset(document_ids)

    def accept(entry: KeywordEntry) -> bool:
        if ids and entry.document_id not in ids:
            return False
        return all(c.matches(entry.metadata) for c in filters)

    return accept


def _not_found(document_id: str) -> NotFound:
    return NotFound(
        message=f"document {document_id!r} not found",
        reason="DOCUMENT_NOT_FOUND",
        metadata={"document_id": document_id},
    )


def _store_error(doing: str, exc: Exception) -> DomainError:
    if isinstance(exc, DomainError):
        return exc
    log.warning("chroma failed while %s: %s", doing, exc)
    return Unavailable(
        message=f"the vector database failed while {doing}; retry with backoff",
        reason="STORE_UNAVAILABLE",
        retry_after_s=1.0,
    )


# ---- the async domain object ------------------------------------------------------------


@dataclass
class _QueuedUpsert:
    item: ValidatedUpsert
    caller: Caller
    done: asyncio.Future[StoredDocument]


class VectorStore:
    """What the servicer calls: validation, query embedding, and the store off the loop.

    Upserts are group-committed: while one write runs, the upserts that arrive queue up,
    and the next write takes them together (distinct documents, in arrival order, within
    ``coalesce_max_*``). Each keeps its own outcome: validation happens before queueing,
    and a document the caller may not read fails alone.
    """

    def __init__(
        self, store: ChunkStore, embedder: QueryEmbedder | None, workers: int | None = None
    ) -> None:
        self.store = store
        self.settings = store.settings
        self._embedder = embedder
        self._executor = ThreadPoolExecutor(
            max_workers=workers or store.settings.worker_threads,
            thread_name_prefix="vector-store",
        )
        self._queued: list[_QueuedUpsert] = []
        self._writer: asyncio.Task[None] | None = None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def upsert(
        self,
        document: DocumentInput,
        chunks: Sequence[EmbeddedChunk],
        embedding_model_id: str,
        caller: Caller,
    ) -> StoredDocument:
        request = UpsertRequest(document, chunks, embedding_model_id)
        item = await self._run(prepare_upsert, request, self.settings)
        done: asyncio.Future[StoredDocument] = asyncio.get_running_loop().create_future()
        self._queued.append(_QueuedUpsert(item, caller, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_queued())
        # A caller that gives up before its write starts is dropped from the queue; once
        # the write has started it completes (as a write handed to a worker thread did).
        return await done

    async def upsert_many(
        self, requests: Sequence[UpsertRequest], caller: Caller
    ) -> list[StoredDocument]:
        return await self._run(self.store.upsert_many, requests, caller)

    def _next_batch(self) -> list[_QueuedUpsert]:
        """Oldest queued upserts of distinct documents, within the coalescing limits; a
        second upsert of a document waits for the next write, so arrival order wins."""
        batch: list[_QueuedUpsert] = []
        left: list[_QueuedUpsert] = []
        ids: set[str] = set()
        chunks = 0
        for queued in self._queued:
            if queued.done.done():  # the caller gave up
                continue
            size = len(queued.item.chunks)
            fits = not batch or (
                len(batch) < self.settings.coalesce_max_documents
                and chunks + size <= self.settings.coalesce_max_chunks
            )
            if fits and queued.item.document.id not in ids:
                batch.append(queued)
                ids.add(queued.item.document.id)
                chunks += size
            else:
                left.append(queued)
        self._queued = left
        return batch

    async def _write_queued(self) -> None:
        batch: list[_QueuedUpsert] = []
        try:
            while self._queued:
                batch = self._next_batch()
                if not batch:
                    continue
                try:
                    outcomes: list[StoredDocument | DomainError] = await self._run(
                        self.store.write, [q.item for q in batch], [q.caller for q in batch]
                    )
                except Exception as exc:
                    for queued in batch:
                        if not queued.done.done():
                            error = replace(exc) if isinstance(exc, DomainError) else exc
                            queued.done.set_exception(error)
                    continue
                for queued, outcome in zip(batch, outcomes, strict=True):
                    if queued.done.done():
                        continue
                    if isinstance(outcome, DomainError):
                        queued.done.set_exception(outcome)
                    else:
                        queued.done.set_result(outcome)
        finally:  # stopped (shutdown): nobody waits forever
            for queued in [*batch, *self._queued]:
                if not queued.done.done():
                    queued.done.set_exception(_shutting_down())
            self._queued = []

    async def delete(self, document_id: str, allow_missing: bool, caller: Caller) -> int:
        return await self._run(self.store.delete, document_id, allow_missing, caller)

    async def get_document(self, document_id: str, caller: Caller) -> StoredDocument:
        return await self._run(self.store.get_document, document_id, caller)

    async def list_documents(
        self,
        page_size: int,
        page_token: str,
        filters: Sequence[MetadataCondition],
        caller: Caller,
    ) -> DocumentPage:
        return await self._run(self.store.list_documents, page_size, page_token, filters, caller)

    async def list_chunks(
        self, document_id: str, page_size: int, page_token: str, caller: Caller
    ) -> ChunkPage:
        return await self._run(self.store.list_chunks, document_id, page_size, page_token, caller)

    async def count_chunks(
        self, filters: Sequence[MetadataCondition], document_ids: Sequence[str], caller: Caller
    ) -> ChunkCount:
        return await self._run(self.store.count_chunks, filters, document_ids, caller)

    async def search(self, query: SearchQuery, caller: Caller) -> SearchResult:
        plan = plan_search(query, self.settings)
        if plan.mode.needs_dense and plan.embedding is None:
            plan = replace(plan, embedding=await self._embed(plan.text))
        return await self._run(self.store.run_search, plan, caller)

    async def _embed(self, text: str) -> npt.NDArray[np.float32]:
        if self._embedder is None:
            raise Unavailable(
                message="this store cannot embed queries: send query_embedding",
                reason="NO_QUERY_EMBEDDER",
            )
        vector, model_id = await self._embedder.embed_query(text)
        _check_model(model_id, self.settings.embedding_model_id, "EmbeddingService model")
        if len(vector) != self.settings.dimensions:
            raise FailedPrecondition(
                message=f"EmbeddingService returned {len(vector)} dimensions; this store "
                f"holds {self.settings.dimensions}",
                reason="EMBEDDING_DIMENSION_MISMATCH",
            )
        return _vector(vector, "query")

    async def sync_forever(self, stop: asyncio.Event) -> None:
        """Poll other replicas' changes into the keyword index; sweep now and then."""
        last_sweep = time.monotonic()
        while not stop.is_set():
            try:
                await self._run(self.store.sync_keyword_index)
                if time.monotonic() - last_sweep >= self.settings.sweep_interval_s:
                    last_sweep = time.monotonic()
                    await self._run(self.store.sweep)
            except Exception:
                log.exception("keyword index sync failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.keyword_sync_interval_s)

    async def close(self) -> None:
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        self._executor.shutdown(wait=False, cancel_futures=True)


def _shutting_down() -> Unavailable:
    return Unavailable(
        message="the vector store is shutting down; retry on another replica",
        reason="SHUTTING_DOWN",
        retry_after_s=1.0,
    )

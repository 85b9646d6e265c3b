"""The vector store's domain types: what callers give and get back, without Chroma or gRPC."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from services.runtime.errors import PermissionDenied
from services.runtime.grants import Grantor


@dataclass(frozen=True)
class Caller:
    """Who is asking, as far as document access goes.

    ``groups`` None means unrestricted (no-auth mode, service accounts); otherwise the
    caller reads a document only if its access list is empty or shares a group, and writes
    only access lists it may grant (services/runtime/grants.py): its own groups, and the
    empty list (everyone) with ``everyone_allowed``.
    """

    groups: frozenset[str] | None = None
    everyone_allowed: bool = False
    username: str = ""  # for the audit line of a refused write

    @property
    def grantor(self) -> Grantor:
        return Grantor(self.groups, self.everyone_allowed, self.username)

    def check_write(
        self, document_id: str, access_groups: Iterable[str], stored: Iterable[str] | None
    ) -> None:
        """PERMISSION_DENIED unless this caller may give the document ``access_groups`` over
        the stored version's list (None: nothing stored): it must read that version, and
        could have granted both lists."""
        if stored is not None:
            stored = tuple(stored)
            if not self.can_read(stored):
                raise PermissionDenied(
                    message=f"document {document_id!r} exists and you may not read it",
                    reason="DOCUMENT_ACCESS_DENIED",
                )
            self.grantor.check(document_id, stored, stored=True)
        self.grantor.check(document_id, access_groups)

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

"""How the store's records map onto Chroma: metadata layout, where clauses, record ids."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.runtime.errors import DomainError, Unavailable
from services.vector_store.bm25 import KeywordEntry
from services.vector_store.domain import (
    Caller,
    ChunkData,
    FilterOperator,
    MetadataCondition,
    StoredDocument,
)

LIVE = "live"
DELETED = "deleted"
USER_KEY = "m:"  # prefix of caller metadata keys inside Chroma metadata

log = logging.getLogger(__name__)


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
class Candidate:
    key: str
    document_id: str
    version: str
    chunk: ChunkData | None = None
    dense_score: float = 0.0
    keyword_score: float = 0.0
    dense_rank: int = 0
    keyword_rank: int = 0


def _store_error(doing: str, exc: Exception) -> DomainError:
    if isinstance(exc, DomainError):
        return exc
    log.warning("chroma failed while %s: %s", doing, exc)
    return Unavailable(
        message=f"the vector database failed while {doing}; retry with backoff",
        reason="STORE_UNAVAILABLE",
        retry_after_s=1.0,
    )

"""The store's document reads: records, document and chunk listings, counts.

``ChunkStore`` (chunk_store.py) writes; these read what it wrote, with the caller's access
applied inside every query, as searches do (search.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from services.common.documents import validate_document_id
from services.common.page_tokens import encode_page_token
from services.runtime.errors import (
    Aborted,
    FailedPrecondition,
    NotFound,
    ResourceExhausted,
    invalid_field,
)
from services.vector_store.domain import (
    UNRESTRICTED,
    Caller,
    ChunkCount,
    ChunkData,
    ChunkPage,
    DocumentPage,
    MetadataCondition,
    StoredDocument,
)
from services.vector_store.page_tokens import (
    DEFAULT_LIST_CHUNKS,
    DEFAULT_LIST_DOCUMENTS,
    bounded_size,
    decode_token,
    filters_digest,
)
from services.vector_store.records import (
    LIVE,
    Where,
    _access_where,
    _all_of,
    _chunk_from_record,
    _condition_where,
    _document_from_record,
)
from services.vector_store.search import ChunkSearch
from services.vector_store.validation import validate_document_ids, validate_filters


class DocumentReads(ChunkSearch):
    """Reads of document records and their chunks; ChunkStore adds the writes."""

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

    def get_document(self, document_id: str, caller: Caller = UNRESTRICTED) -> StoredDocument:
        validate_document_id(document_id, "document_id")
        document = self._read_document(document_id)
        if document is None or not caller.can_read(document.access_groups):
            raise _not_found(document_id)
        return document

    def get_documents(
        self, document_ids: Sequence[str], caller: Caller = UNRESTRICTED
    ) -> list[StoredDocument]:
        """The documents of these ids that exist and the caller may read, in the order
        asked, in one read (the others are absent, as get_document's NOT_FOUND)."""
        if not document_ids:
            raise invalid_field("document_ids", "must not be empty")
        limit = self.settings.max_document_ids
        if len(document_ids) > limit:
            raise ResourceExhausted(
                message=f"{len(document_ids)} ids in one request; the limit is {limit}",
                reason="BATCH_TOO_LARGE",
                metadata={"limit": str(limit)},
            )
        for i, document_id in enumerate(document_ids):
            validate_document_id(document_id, f"document_ids[{i}]")
        if len(set(document_ids)) != len(document_ids):
            raise invalid_field("document_ids", "an id appears more than once")
        found = self._read_documents(document_ids)
        return [
            found[i] for i in document_ids if i in found and caller.can_read(found[i].access_groups)
        ]

    def list_documents(
        self,
        page_size: int = 0,
        page_token: str = "",
        filters: Sequence[MetadataCondition] = (),
        caller: Caller = UNRESTRICTED,
    ) -> DocumentPage:
        size = bounded_size(page_size, DEFAULT_LIST_DOCUMENTS)
        validate_filters(filters, self.settings, "filters")
        digest = filters_digest(filters)
        after = ""
        if page_token:
            token = decode_token(page_token)
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
        next_token = encode_page_token({"t": 1, "a": page[-1].id, "f": digest}) if more else ""
        return DocumentPage(page, next_token)

    def list_chunks(
        self,
        document_id: str,
        page_size: int = 0,
        page_token: str = "",
        caller: Caller = UNRESTRICTED,
    ) -> ChunkPage:
        size = bounded_size(page_size, DEFAULT_LIST_CHUNKS)
        document = self.get_document(document_id, caller)
        offset = 0
        if page_token:
            token = decode_token(page_token)
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
            encode_page_token({"t": 1, "d": document.id, "v": document.version, "o": end})
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


def _not_found(document_id: str) -> NotFound:
    return NotFound(
        message=f"document {document_id!r} not found",
        reason="DOCUMENT_NOT_FOUND",
        metadata={"document_id": document_id},
    )

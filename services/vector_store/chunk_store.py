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

import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from prometheus_client import Counter, Gauge

from services.common.documents import validate_document_id
from services.common.text import Tokenizer
from services.runtime.errors import (
    DomainError,
    PermissionDenied,
)
from services.vector_store.bm25 import KeywordEntry, KeywordIndex
from services.vector_store.domain import (
    UNRESTRICTED,
    Caller,
    DocumentInput,
    EmbeddedChunk,
    StoredDocument,
    UpsertRequest,
    ValidatedUpsert,
)
from services.vector_store.reads import DocumentReads, _not_found
from services.vector_store.records import (
    DELETED,
    LIVE,
    USER_KEY,
    Where,
    _access_metadata,
    _keyword_access,
    _keyword_entry,
    _record_id,
    _store_error,
    new_version,
)
from services.vector_store.settings import VectorStoreSettings
from services.vector_store.validation import (
    in_request,
    prepare_batch,
    prepare_upsert,
)

log = logging.getLogger(__name__)

CHUNKS_STORED = Gauge(
    "rag_vector_store_chunks",
    "Chunks of current document versions in this replica's keyword index.",
)
DOCUMENTS_STORED = Gauge("rag_vector_store_documents", "Documents in this replica's keyword index.")
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


class ChunkStore(DocumentReads):
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
                stored = None if known is None else known.access_groups
                try:
                    caller.check_write(item.document.id, item.document.access_groups, stored)
                except PermissionDenied as denied:
                    if all_or_nothing:
                        raise in_request(i, denied) from None
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
            caller.grantor.check(document_id, previous.access_groups, stored=True)
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

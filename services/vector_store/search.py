"""Searching the store: candidates from Chroma (dense) and this replica's BM25 index
(keyword), checked against the documents' current versions, fused, filled with text.

``ChunkSearch`` is the read side of ``ChunkStore`` (chunk_store.py): the store's
collections and keyword index, the Chroma reads a search makes, and the search itself.
Fusion is ``services/common/fusion.py``: z-scores of the two lists' own scores by default
(``fusion = "score"``), weighted reciprocal rank fusion when configured (``"rrf"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from prometheus_client import Counter, Histogram

from services.common.fusion import reciprocal_rank_fusion, score_fusion
from services.runtime.errors import invalid_field
from services.vector_store.bm25 import KeywordEntry, KeywordHit, KeywordIndex
from services.vector_store.domain import (
    UNRESTRICTED,
    Caller,
    MetadataCondition,
    RetrievalMode,
    ScoredChunk,
    SearchQuery,
    SearchResult,
)
from services.vector_store.records import (
    LIVE,
    Candidate,
    Where,
    _access_where,
    _all_of,
    _chunk_from_record,
    _condition_where,
    _store_error,
)
from services.vector_store.settings import VectorStoreSettings
from services.vector_store.validation import SearchPlan, plan_search

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


class ChunkSearch:
    """The store's read side for searches; ``ChunkStore`` sets these attributes up."""

    settings: VectorStoreSettings
    keyword: KeywordIndex
    _chunks: Any  # Chroma collection of chunk versions
    _documents: Any  # Chroma collection of document records

    def search(
        self, query: SearchQuery, caller: Caller = UNRESTRICTED, max_top_k: int | None = None
    ) -> SearchResult:
        """Validate and run a search; a text-only dense query needs ``VectorStore.search``."""
        plan = plan_search(query, self.settings, max_top_k)
        if plan.mode.needs_dense and plan.embedding is None:
            raise invalid_field("query_embedding", "required here: this call embeds nothing")
        return self.run_search(plan, caller)

    def run_search(self, plan: SearchPlan, caller: Caller) -> SearchResult:
        SEARCHES.labels(plan.mode.value).inc()
        dense, keyword = self.candidates(plan, caller)
        by_key: dict[str, Candidate] = {}
        for rank, c in enumerate(dense, start=1):
            c.dense_rank = rank
            by_key[c.key] = c
        for rank, c in enumerate(keyword, start=1):
            known = by_key.setdefault(c.key, c)
            known.keyword_rank = rank
            known.keyword_score = c.keyword_score
        if plan.mode is RetrievalMode.HYBRID:
            scores = self.fuse(dense, keyword, plan.dense_weight, plan.keyword_weight)
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

    def fuse(
        self,
        dense: Sequence[Candidate],
        keyword: Sequence[Candidate],
        dense_weight: float,
        keyword_weight: float,
    ) -> dict[str, float]:
        """Hybrid scores of the two candidate lists, by record key (the store's fusion)."""
        if self.settings.fusion == "rrf":
            return reciprocal_rank_fusion(
                [
                    ([c.key for c in dense], dense_weight),
                    ([c.key for c in keyword], keyword_weight),
                ],
                self.settings.rrf_k,
            )
        return score_fusion(
            [
                ({c.key: c.dense_score for c in dense}, dense_weight),
                ({c.key: c.keyword_score for c in keyword}, keyword_weight),
            ]
        )

    def candidates(
        self, plan: SearchPlan, caller: Caller, with_text: bool = True
    ) -> tuple[list[Candidate], list[Candidate]]:
        """The dense and keyword candidate lists of a search (each best first, current
        versions only, what the caller may read); ``with_text`` False leaves dense
        candidates' chunks unread (benchmarks rank deep lists without their text)."""
        wanted = max(plan.top_k * self.settings.candidates_per_result, self.settings.min_candidates)
        filter_clauses = [_condition_where(c) for c in plan.filters]
        if plan.document_ids:
            filter_clauses.append({"doc_id": {"$in": list(plan.document_ids)}})
        access = _access_where(caller)
        where = _all_of([*([access] if access else []), *filter_clauses])

        dense: list[Candidate] = []
        keyword: list[Candidate] = []
        if plan.mode.needs_keyword:
            keyword = self._keyword_candidates(plan, caller, wanted)
        if plan.mode.needs_dense:
            assert plan.embedding is not None
            dense = self._dense_candidates(plan.embedding, where, wanted, keyword, with_text)
        else:
            self._drop_stale(
                keyword, "keyword", self._current_versions(c.document_id for c in keyword)
            )
        CANDIDATES.labels("dense").observe(len(dense))
        CANDIDATES.labels("keyword").observe(len(keyword))
        return dense, keyword

    def _keyword_candidates(self, plan: SearchPlan, caller: Caller, wanted: int) -> list[Candidate]:
        hits: list[KeywordHit] = self.keyword.search(
            plan.text,
            wanted,
            _visibility(caller),
            visibility_key=caller.groups,
            accept=_acceptance(plan.filters, plan.document_ids),
        )
        return [
            Candidate(
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
        keyword: list[Candidate],
        with_text: bool = True,
    ) -> list[Candidate]:
        """Nearest chunks of current versions; also drops stale ``keyword`` candidates, so
        both lists are checked against one read of the document records."""
        fetch = wanted
        for _attempt in range(3):
            found = self._query(embedding, where, fetch, with_text)
            texts = found["documents"][0] if with_text else [None] * len(found["ids"][0])
            raw = [
                Candidate(
                    key=key,
                    document_id=str(meta["doc_id"]),
                    version=str(meta["doc_version"]),
                    chunk=_chunk_from_record(text, meta) if with_text else None,
                    dense_score=1.0 - float(distance),
                )
                for key, text, meta, distance in zip(
                    found["ids"][0],
                    texts,
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
    def _drop_stale(candidates: list[Candidate], source: str, current: Mapping[str, str]) -> int:
        kept = [c for c in candidates if current.get(c.document_id) == c.version]
        dropped = len(candidates) - len(kept)
        if dropped:
            STALE_DROPPED.labels(source).inc(dropped)
            candidates[:] = kept
        return dropped

    def _fill_chunks(self, candidates: Sequence[Candidate]) -> None:
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

    # ---- Chroma reads -----------------------------------------------------------------

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

    def _get(self, collection: Any, **kwargs: Any) -> Any:
        try:
            return collection.get(**kwargs)
        except Exception as exc:
            raise _store_error("reading", exc) from exc

    def _query(
        self,
        embedding: npt.NDArray[np.float32],
        where: Where | None,
        n: int,
        with_text: bool = True,
    ) -> Any:
        include = (
            ["metadatas", "documents", "distances"] if with_text else ["metadatas", "distances"]
        )
        try:
            return self._chunks.query(
                query_embeddings=[embedding], n_results=n, where=where, include=include
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

"""GraphService's domain: index chunks' facts, delete a document's, traverse, list. No gRPC.

Traversal is a beam search over simple paths from the seed entities. A step along a
relation weighs (all in (0, 1]): the predicate (a verb relation beats bare co-occurrence),
its support (chunks stating it), how much of the question its best chunk covers (question
words other than the seeds' names), and a hub penalty for leaving an entity with many
relations. A path's score is the product of its steps, times ``hop_decay`` per hop after
the first. Supporting chunks score the sum of the returned paths they support.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from prometheus_client import Counter, Histogram

from services.common.page_tokens import bounded_page_size, decode_page_token, encode_page_token
from services.graph.extraction import (
    EntityType,
    Extraction,
    extract,
    normalise,
    question_terms,
)
from services.graph.settings import GraphSettings
from services.graph.store import (
    Caller,
    ChunkFacts,
    DeleteCounts,
    EntityRow,
    GraphStore,
    IndexCounts,
    RelationView,
    is_co_occurrence,
)
from services.runtime.errors import InvalidArgument, NotFound, ResourceExhausted, invalid_field
from services.runtime.grants import ANYONE, Grantor

T = TypeVar("T")

CHUNKS_INDEXED = Counter(
    "rag_graph_chunks_indexed_total", "Chunks whose facts were extracted and stored."
)
FACTS_REMOVED = Counter(
    "rag_graph_facts_removed_total",
    "Mentions and relation occurrences removed, by cause.",
    ["cause"],
)
TRAVERSALS = Counter(
    "rag_graph_traversals_total", "TraverseGraph calls, by whether any seed matched.", ["seeded"]
)
PATHS_RETURNED = Histogram(
    "rag_graph_paths_returned",
    "Paths a traversal returned.",
    buckets=(0, 1, 2, 5, 10, 20, 50, 100),
)

MAX_ALIASES = 20
MAX_SUPPORT_IN_RELATION = 20
DEFAULT_ENTITY_PAGE = 50
DEFAULT_RELATION_PAGE = 100
MAX_PAGE = 1000
DEFAULT_MAX_RELATIONS = 50
MAX_RELATIONS = 500


# ---- domain types ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChunkInput:
    id: str
    document_id: str
    text: str
    access_groups: tuple[str, ...] = ()


@dataclass
class Entity:
    id: str
    name: str
    type: EntityType
    mention_count: int = 0
    document_count: int = 0
    relation_count: int = 0
    aliases: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)


@dataclass
class Relation:
    id: str
    subject_id: str
    subject_name: str
    predicate: str
    object_id: str
    object_name: str
    supporting_chunk_ids: list[str]
    document_ids: list[str]
    support_count: int


@dataclass
class Path:
    entities: list[Entity]
    relations: list[Relation]
    score: float


@dataclass(frozen=True)
class SupportingChunk:
    chunk_id: str
    document_id: str
    score: float
    path_count: int


@dataclass(frozen=True)
class TraverseQuery:
    question: str = ""
    entity_names: tuple[str, ...] = ()
    entity_ids: tuple[str, ...] = ()
    max_hops: int = 0
    max_paths: int = 0
    max_chunks: int = 0


@dataclass
class Traversal:
    seeds: list[Entity]
    paths: list[Path]
    chunks: list[SupportingChunk]
    unmatched: list[str]
    truncated: bool


@dataclass
class EntityPage:
    entities: list[Entity]
    next_page_token: str


@dataclass
class RelationPage:
    relations: list[Relation]
    next_page_token: str


@dataclass(frozen=True)
class _Partial:
    entities: tuple[str, ...]
    relations: tuple[RelationView, ...]
    score: float


# ---- the service ----------------------------------------------------------------------


class GraphService:
    """Validates requests and runs extraction and the store on worker threads."""

    def __init__(self, store: GraphStore, settings: GraphSettings) -> None:
        self.store = store
        self.settings = settings
        self._executor = ThreadPoolExecutor(
            max_workers=settings.worker_threads, thread_name_prefix="graph"
        )
        self._index_slots = asyncio.Semaphore(settings.max_concurrent_index_calls)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.store.close()

    # ---- writes -------------------------------------------------------------------------

    async def index_chunks(
        self,
        chunks: Sequence[ChunkInput],
        replace_documents: bool,
        grantor: Grantor = ANYONE,
    ) -> IndexCounts:
        unique = self._check_chunks(chunks)
        # Facts are read by the chunks' groups: a writer plants none for a group they are
        # not in, as they may ingest no document for it (services/runtime/grants.py), and
        # replaces only the facts of documents whose access list they could grant.
        for document_id, groups in sorted({(c.document_id, c.access_groups) for c in unique}):
            grantor.check(document_id, groups)
        if replace_documents:
            await self._check_stored(grantor, [c.document_id for c in unique])
        if self._index_slots.locked():
            raise ResourceExhausted(
                message="graph extraction is at capacity; retry shortly",
                reason="EXTRACTION_CAPACITY",
                retry_after_s=1.0,
            )
        async with self._index_slots:
            facts = await self._run(_extract_all, unique)
            counts = await self._run(self.store.index, facts, replace_documents)
        CHUNKS_INDEXED.inc(counts.indexed_chunks)
        FACTS_REMOVED.labels("replace").inc(counts.removed_facts)
        return counts

    def _check_chunks(self, chunks: Sequence[ChunkInput]) -> list[ChunkInput]:
        if not chunks:
            raise invalid_field("chunks", "must not be empty")
        limit = self.settings.max_chunks_per_request
        if len(chunks) > limit:
            raise invalid_field("chunks", f"has {len(chunks)} chunks; the limit is {limit}")
        seen: dict[str, ChunkInput] = {}
        for i, chunk in enumerate(chunks):
            for name in ("id", "document_id", "text"):
                if not getattr(chunk, name).strip():
                    raise invalid_field(f"chunks[{i}].{name}", "must not be empty")
            if len(chunk.text) > self.settings.max_chunk_chars:
                raise invalid_field(
                    f"chunks[{i}].text",
                    f"is {len(chunk.text)} characters; the limit is "
                    f"{self.settings.max_chunk_chars}",
                )
            earlier = seen.get(chunk.id)
            if earlier is not None and earlier.document_id != chunk.document_id:
                raise invalid_field(
                    f"chunks[{i}].id", f"{chunk.id!r} appears under two document ids"
                )
            seen.setdefault(chunk.id, chunk)
        return list(seen.values())

    async def delete_document(self, document_id: str, grantor: Grantor = ANYONE) -> DeleteCounts:
        if not document_id.strip():
            raise invalid_field("document_id", "must not be empty")
        await self._check_stored(grantor, [document_id])
        counts = await self._run(self.store.delete_document, document_id)
        FACTS_REMOVED.labels("delete").inc(counts.mentions + counts.relations)
        return counts

    async def _check_stored(self, grantor: Grantor, document_ids: Sequence[str]) -> None:
        """PERMISSION_DENIED unless the grantor could give every stored fact of these
        documents its access list (what removing or replacing them takes)."""
        if grantor.groups is None:
            return  # unrestricted: no read
        stored = await self._run(self.store.document_access, document_ids)
        for document_id, lists in sorted(stored.items()):
            for groups in sorted(lists):
                grantor.check(document_id, groups, stored=True)

    # ---- extraction ---------------------------------------------------------------------

    async def extract(self, text: str) -> Extraction:
        if not text.strip():
            raise invalid_field("text", "must not be empty")
        if len(text) > self.settings.max_text_chars:
            raise invalid_field(
                "text", f"is {len(text)} characters; the limit is {self.settings.max_text_chars}"
            )
        return await self._run(extract, text)

    # ---- traversal ----------------------------------------------------------------------

    async def traverse(self, query: TraverseQuery, caller: Caller) -> Traversal:
        hops, max_paths, max_chunks = self._check_traversal(query)
        return await self._run(self._traverse, query, caller, hops, max_paths, max_chunks)

    def _check_traversal(self, query: TraverseQuery) -> tuple[int, int, int]:
        s = self.settings
        if not (query.question.strip() or query.entity_names or query.entity_ids):
            raise InvalidArgument(
                message="give a question, entity_names or entity_ids to start from",
                reason="NO_SEEDS",
            )
        if len(query.question) > s.max_question_chars:
            raise invalid_field(
                "question",
                f"is {len(query.question)} characters; the limit is {s.max_question_chars}",
            )
        for name, values in (
            ("entity_names", query.entity_names),
            ("entity_ids", query.entity_ids),
        ):
            if len(values) > s.max_seed_names:
                raise invalid_field(
                    name, f"has {len(values)} items; the limit is {s.max_seed_names}"
                )
        if not 0 <= query.max_hops <= s.max_hops:
            raise invalid_field("max_hops", f"must be between 0 and {s.max_hops}")
        if query.max_paths < 0 or query.max_chunks < 0:
            raise invalid_field("max_paths", "max_paths and max_chunks must not be negative")
        return (
            query.max_hops or s.default_hops,
            min(query.max_paths or s.default_max_paths, s.max_results),
            min(query.max_chunks or s.default_max_chunks, s.max_results),
        )

    def _traverse(
        self, query: TraverseQuery, caller: Caller, hops: int, max_paths: int, max_chunks: int
    ) -> Traversal:
        seeds, unmatched, seed_words = self._seeds(query, caller)
        TRAVERSALS.labels("yes" if seeds else "no").inc()
        if not seeds:
            PATHS_RETURNED.observe(0)
            return Traversal([], [], [], unmatched, False)
        wanted = question_terms(query.question) - seed_words
        candidates = self._search(seeds, caller, hops, wanted)
        candidates.sort(key=lambda p: (-p.score, p.entities, tuple(r.id for r in p.relations)))
        best = candidates[:max_paths]
        chunk_scores: dict[str, list[float]] = {}
        chunk_documents: dict[str, str] = {}
        for path in best:
            supported: set[str] = set()
            for relation in path.relations:
                for chunk_id, document_id in relation.support:
                    chunk_documents[chunk_id] = document_id
                    supported.add(chunk_id)
            for chunk_id in supported:
                chunk_scores.setdefault(chunk_id, []).append(path.score)
        ranked = sorted(chunk_scores, key=lambda c: (-sum(chunk_scores[c]), c))[:max_chunks]
        chunks = [
            SupportingChunk(c, chunk_documents[c], sum(chunk_scores[c]), len(chunk_scores[c]))
            for c in ranked
        ]
        entity_ids = list(dict.fromkeys([*seeds, *(e for p in best for e in p.entities)]))
        entities = self._entities(entity_ids, caller, full=False)
        paths = [
            Path(
                [entities[e] for e in p.entities],
                [self._relation(r, entities) for r in p.relations],
                p.score,
            )
            for p in best
        ]
        PATHS_RETURNED.observe(len(paths))
        return Traversal(
            [entities[s] for s in seeds], paths, chunks, unmatched, len(candidates) > max_paths
        )

    def _seeds(self, query: TraverseQuery, caller: Caller) -> tuple[list[str], list[str], set[str]]:
        """Seed entity ids, unmatched requested names/ids, and the stemmed words of seeds."""
        mentions = extract(query.question).mentions if query.question.strip() else []
        question_keys = [m.key for m in mentions] + [normalise(m.text) for m in mentions]
        name_keys = [normalise(n) for n in query.entity_names]
        matches = self.store.match_names([*question_keys, *name_keys], caller)
        seeds: list[str] = []
        unmatched: list[str] = []
        seed_words: set[str] = set()
        for mention in mentions:
            found = matches.get(mention.key) or matches.get(normalise(mention.text)) or []
            if found:
                seed_words |= question_terms(mention.text) | question_terms(mention.name)
            seeds += [entity for entity, _ in found[:3]]
        for name, key in zip(query.entity_names, name_keys, strict=True):
            found = matches.get(key) or []
            if not found:
                unmatched.append(name)
            seed_words |= question_terms(name)
            seeds += [entity for entity, _ in found[:3]]
        visible_ids = set(self.store.visible_entities(query.entity_ids, caller))
        for entity in query.entity_ids:
            if entity in visible_ids:
                seeds.append(entity)
            else:
                unmatched.append(entity)
        return list(dict.fromkeys(seeds)), unmatched, seed_words

    def _search(
        self, seeds: Sequence[str], caller: Caller, hops: int, wanted: frozenset[str] | set[str]
    ) -> list[_Partial]:
        s = self.settings
        adjacency: dict[str, list[RelationView]] = {}
        relevance: dict[str, float] = {}
        frontier = [_Partial((seed,), (), 1.0) for seed in seeds]
        candidates: list[_Partial] = []
        for hop in range(1, hops + 1):
            ends = [p.entities[-1] for p in frontier if p.entities[-1] not in adjacency]
            if ends:
                self._expand(list(dict.fromkeys(ends)), caller, adjacency, relevance, wanted)
            grown: list[_Partial] = []
            decay = s.hop_decay if hop > 1 else 1.0
            for partial in frontier:
                end = partial.entities[-1]
                relations = adjacency.get(end, [])
                hub = 1.0 / (1.0 + math.log(max(1, len(relations))))
                for relation in relations:
                    other = (
                        relation.object_id if relation.subject_id == end else relation.subject_id
                    )
                    if other in partial.entities:
                        continue
                    weight = (
                        (s.co_occurrence_weight if is_co_occurrence(relation.predicate) else 1.0)
                        * min(1.0, 0.5 + 0.25 * math.log2(1 + relation.support_count))
                        * (0.25 + 0.75 * relevance[relation.id])
                        * hub
                    )
                    grown.append(
                        _Partial(
                            (*partial.entities, other),
                            (*partial.relations, relation),
                            partial.score * weight * decay,
                        )
                    )
            grown.sort(key=lambda p: -p.score)
            candidates += grown
            frontier = grown[: s.beam_width]
            if not frontier:
                break
        return candidates

    def _expand(
        self,
        entity_ids: list[str],
        caller: Caller,
        adjacency: dict[str, list[RelationView]],
        relevance: dict[str, float],
        wanted: frozenset[str] | set[str],
    ) -> None:
        """Load the visible relations of ``entity_ids``; score each against the question and
        order its chunks most relevant first."""
        relations = self.store.relations_of(entity_ids, caller)
        for entity in entity_ids:
            adjacency.setdefault(entity, [])
        terms = self.store.chunk_terms(c for r in relations for c in r.chunk_ids)
        for relation in sorted(relations, key=lambda r: r.id):
            for end in {relation.subject_id, relation.object_id}:
                if end in adjacency and end in entity_ids:
                    adjacency[end].append(relation)
            if relation.id in relevance:
                continue
            per_chunk = {
                c: _coverage(wanted, terms.get(c, frozenset()) | _predicate_terms(relation))
                for c in relation.chunk_ids
            }
            relation.support.sort(key=lambda item: (-per_chunk[item[0]], item[0]))
            relevance[relation.id] = max(per_chunk.values(), default=0.0)

    # ---- reads --------------------------------------------------------------------------

    def _entities(self, ids: Sequence[str], caller: Caller, full: bool) -> dict[str, Entity]:
        rows = self.store.entities(ids)
        stats = self.store.entity_stats(list(rows), caller, full)
        return {i: _entity(rows[i], stats[i].__dict__) for i in ids if i in rows}

    def _relation(self, view: RelationView, entities: dict[str, Entity] | None = None) -> Relation:
        names = {k: v.name for k, v in (entities or {}).items()}
        missing = [e for e in (view.subject_id, view.object_id) if e not in names]
        if missing:
            names |= {k: v.name for k, v in self.store.entities(missing).items()}
        support = view.support[:MAX_SUPPORT_IN_RELATION]
        return Relation(
            id=view.id,
            subject_id=view.subject_id,
            subject_name=names.get(view.subject_id, ""),
            predicate=view.predicate,
            object_id=view.object_id,
            object_name=names.get(view.object_id, ""),
            supporting_chunk_ids=[chunk for chunk, _ in support],
            document_ids=list(dict.fromkeys(document for _, document in support)),
            support_count=view.support_count,
        )

    async def get_entity(
        self,
        entity_id: str,
        name: str,
        entity_type: EntityType | None,
        max_relations: int,
        full: bool,
        caller: Caller,
    ) -> tuple[Entity, list[Relation]]:
        if not entity_id.strip() and not name.strip():
            raise InvalidArgument(
                message="give entity_id or name", reason="NO_ENTITY_KEY",
            )  # fmt: skip
        if max_relations < 0:
            raise invalid_field("max_relations", "must not be negative")
        limit = min(max_relations or DEFAULT_MAX_RELATIONS, MAX_RELATIONS)
        return await self._run(self._get_entity, entity_id, name, entity_type, limit, full, caller)

    def _get_entity(
        self,
        entity_id: str,
        name: str,
        entity_type: EntityType | None,
        limit: int,
        full: bool,
        caller: Caller,
    ) -> tuple[Entity, list[Relation]]:
        if entity_id:
            found = self.store.visible_entities([entity_id], caller)
            if not found:
                raise NotFound(message=f"no entity {entity_id!r}", reason="ENTITY_NOT_FOUND")
            chosen = found[0]
        else:
            key = normalise(name)
            matches = self.store.match_names([key], caller, entity_type).get(key)
            if not matches:
                raise NotFound(message=f"no entity named {name!r}", reason="ENTITY_NOT_FOUND")
            chosen = matches[0][0]
        entity = self._entities([chosen], caller, full)[chosen]
        views = _by_strength(self.store.relations_of([chosen], caller))[:limit]
        return entity, [self._relation(v) for v in views]

    async def list_entities(
        self,
        page_size: int,
        page_token: str,
        name_prefix: str,
        entity_type: EntityType | None,
        document_id: str,
        full: bool,
        caller: Caller,
    ) -> EntityPage:
        size = bounded_page_size(page_size, DEFAULT_ENTITY_PAGE, MAX_PAGE)
        fingerprint = _fingerprint(
            "entities", name_prefix, entity_type.value if entity_type else "", document_id
        )
        after = _read_token(page_token, fingerprint)
        return await self._run(
            self._list_entities,
            size,
            (str(after[0]), str(after[1])) if after else None,
            name_prefix,
            entity_type,
            document_id,
            full,
            caller,
            fingerprint,
        )

    def _list_entities(
        self,
        size: int,
        after: tuple[str, str] | None,
        name_prefix: str,
        entity_type: EntityType | None,
        document_id: str,
        full: bool,
        caller: Caller,
        fingerprint: str,
    ) -> EntityPage:
        rows = self.store.list_entities(
            caller, size + 1, after, name_prefix, entity_type, document_id
        )
        page = rows[:size]
        stats = self.store.entity_stats([r.id for r in page], caller, full)
        token = ""
        if len(rows) > size:
            token = _write_token([page[-1].key, page[-1].id], fingerprint)
        return EntityPage([_entity(r, stats[r.id].__dict__) for r in page], token)

    async def list_relations(
        self, entity_id: str, predicate: str, page_size: int, page_token: str, caller: Caller
    ) -> RelationPage:
        if not entity_id.strip():
            raise invalid_field("entity_id", "must not be empty")
        size = bounded_page_size(page_size, DEFAULT_RELATION_PAGE, MAX_PAGE)
        fingerprint = _fingerprint("relations", entity_id, predicate)
        after = _read_token(page_token, fingerprint)
        return await self._run(
            self._list_relations, entity_id, predicate, size, after, caller, fingerprint
        )

    def _list_relations(
        self,
        entity_id: str,
        predicate: str,
        size: int,
        after: list[Any] | None,
        caller: Caller,
        fingerprint: str,
    ) -> RelationPage:
        if not self.store.visible_entities([entity_id], caller):
            raise NotFound(message=f"no entity {entity_id!r}", reason="ENTITY_NOT_FOUND")
        views = _by_strength(self.store.relations_of([entity_id], caller, predicate))
        if after is not None:
            support, last_id = int(after[0]), str(after[1])
            views = [
                v
                for v in views
                if v.support_count < support or (v.support_count == support and v.id > last_id)
            ]
        page = views[:size]
        token = ""
        if len(views) > size:
            token = _write_token([page[-1].support_count, page[-1].id], fingerprint)
        return RelationPage([self._relation(v) for v in page], token)


# ---- helpers ----------------------------------------------------------------------------


def _extract_all(chunks: Sequence[ChunkInput]) -> list[ChunkFacts]:
    return [
        ChunkFacts(
            chunk_id=c.id,
            document_id=c.document_id,
            access_groups=tuple(c.access_groups),
            terms=question_terms(c.text),
            extraction=extract(c.text),
        )
        for c in chunks
    ]


def _coverage(wanted: frozenset[str] | set[str], terms: frozenset[str]) -> float:
    if not wanted:
        return 1.0
    return len(wanted & terms) / len(wanted)


def _predicate_terms(relation: RelationView) -> frozenset[str]:
    return question_terms(relation.predicate.replace("_", " "))


def _by_strength(views: list[RelationView]) -> list[RelationView]:
    return sorted(views, key=lambda v: (-v.support_count, v.id))


def _entity(row: EntityRow, stats: dict[str, Any]) -> Entity:
    return Entity(id=row.id, name=row.name, type=row.type, **stats)


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _write_token(after: list[Any], fingerprint: str) -> str:
    return encode_page_token({"a": after, "f": fingerprint})


def _read_token(token: str, fingerprint: str) -> list[Any] | None:
    if not token:
        return None
    data = decode_page_token(token)
    after = data.get("a") if data is not None else None
    if not (isinstance(after, list) and len(after) == 2 and data and data.get("f") == fingerprint):
        raise invalid_field(
            "page_token", "is not a token from a previous call with the same filters"
        )
    return after

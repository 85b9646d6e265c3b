"""The durable graph: entity mentions and relations on SQLite, each fact tied to its chunk.

Every fact row points at a chunk row that carries the chunk's document and access list, so
each read joins through ``chunks`` and keeps only what the caller may read: counts, ids and
paths never include facts supported only by hidden chunks. Writes are single transactions
(WAL mode), so a replaced document switches from its old facts to its new ones at once and
a crash leaves either state, never a mix. Blocking; call it from worker threads.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from services.common.sqlite import connect, immediate
from services.graph.extraction import CO_OCCURS, EntityType, Extraction, normalise, relation_id


@dataclass(frozen=True)
class Caller:
    """Document access of the caller: ``groups`` None means unrestricted."""

    groups: frozenset[str] | None = None


UNRESTRICTED = Caller(None)


@dataclass(frozen=True)
class ChunkFacts:
    """One chunk to index: identity, access and what the extractor found in it."""

    chunk_id: str
    document_id: str
    access_groups: tuple[str, ...]
    terms: frozenset[str]
    extraction: Extraction


@dataclass
class IndexCounts:
    indexed_chunks: int = 0
    unchanged_chunks: int = 0
    mentions: int = 0
    relations: int = 0
    new_entities: int = 0
    removed_facts: int = 0


@dataclass
class DeleteCounts:
    mentions: int = 0
    relations: int = 0
    entities: int = 0
    # Entities and relations that lost a mention or a supporting chunk: the only ones the
    # removal can have left without support (so only they are checked, not the graph).
    detached_entities: set[str] = field(default_factory=set)
    detached_relations: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class EntityRow:
    id: str
    name: str
    key: str
    type: EntityType


@dataclass
class EntityStats:
    """Counts of one entity over the chunks a caller may read."""

    mention_count: int = 0
    document_count: int = 0
    document_ids: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    relation_count: int = 0


@dataclass
class RelationView:
    """One relation with its visible support as (chunk id, document id), strongest first."""

    id: str
    subject_id: str
    predicate: str
    object_id: str
    support: list[tuple[str, str]] = field(default_factory=list)

    @property
    def chunk_ids(self) -> list[str]:
        return [chunk for chunk, _ in self.support]

    @property
    def document_ids(self) -> list[str]:
        return list(dict.fromkeys(document for _, document in self.support))

    @property
    def support_count(self) -> int:
        return len(self.support)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    acl_public INTEGER NOT NULL,
    terms TEXT NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
CREATE TABLE IF NOT EXISTS chunk_groups (
    chunk_id TEXT NOT NULL,
    grp TEXT NOT NULL,
    PRIMARY KEY (chunk_id, grp)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
    entity_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    type TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_key ON entities(key, entity_id);
CREATE TABLE IF NOT EXISTS mentions (
    chunk_id TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    surface TEXT NOT NULL,
    surface_key TEXT NOT NULL,
    PRIMARY KEY (chunk_id, start_offset)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id, chunk_id);
CREATE INDEX IF NOT EXISTS mentions_surface ON mentions(surface_key);
CREATE TABLE IF NOT EXISTS relations (
    relation_id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL,
    predicate TEXT NOT NULL,
    object_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS relations_subject ON relations(subject_id);
CREATE INDEX IF NOT EXISTS relations_object ON relations(object_id);
CREATE TABLE IF NOT EXISTS relation_support (
    relation_id TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    PRIMARY KEY (relation_id, chunk_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS relation_support_chunk ON relation_support(chunk_id);
"""


def _visible(caller: Caller, alias: str = "c") -> tuple[str, list[str]]:
    """SQL condition on chunk alias ``alias`` that keeps only chunks the caller may read."""
    if caller.groups is None:
        return "1", []
    groups = sorted(caller.groups)
    if not groups:
        return f"{alias}.acl_public = 1", []
    marks = ",".join("?" * len(groups))
    return (
        f"({alias}.acl_public = 1 OR EXISTS (SELECT 1 FROM chunk_groups g "
        f"WHERE g.chunk_id = {alias}.chunk_id AND g.grp IN ({marks})))",
        groups,
    )


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class GraphStore:
    """SQLite-backed fact store; one connection, serialised by a lock (WAL for durability)."""

    def __init__(self, path: str | Path) -> None:
        self._db = connect(path, _SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, immediate(self._db) as db:
            yield db

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    # ---- writes -------------------------------------------------------------------------

    def index(self, chunks: Sequence[ChunkFacts], replace_documents: bool) -> IndexCounts:
        counts = IndexCounts()
        removed = DeleteCounts()
        with self._transaction() as db:
            if replace_documents:
                for document_id in sorted({c.document_id for c in chunks}):
                    keep = [c.chunk_id for c in chunks if c.document_id == document_id]
                    stale = [
                        row[0]
                        for row in db.execute(
                            "SELECT chunk_id FROM chunks WHERE document_id = ?", (document_id,)
                        )
                        if row[0] not in set(keep)
                    ]
                    self._remove_chunks(db, stale, removed)
                counts.removed_facts = removed.mentions + removed.relations
            for chunk in chunks:
                existing = db.execute(
                    "SELECT document_id FROM chunks WHERE chunk_id = ?", (chunk.chunk_id,)
                ).fetchone()
                if existing is not None and existing[0] == chunk.document_id:
                    # Same id = same content; only the access list may have changed.
                    self._set_access(db, chunk)
                    counts.unchanged_chunks += 1
                    continue
                if existing is not None:
                    self._remove_chunks(db, [chunk.chunk_id], removed)
                self._insert_chunk(db, chunk, counts)
            self._drop_orphans(db, removed)
        return counts

    def _set_access(self, db: sqlite3.Connection, chunk: ChunkFacts) -> None:
        groups = sorted(set(chunk.access_groups))
        db.execute(
            "UPDATE chunks SET acl_public = ? WHERE chunk_id = ?",
            (int(not groups), chunk.chunk_id),
        )
        db.execute("DELETE FROM chunk_groups WHERE chunk_id = ?", (chunk.chunk_id,))
        db.executemany(
            "INSERT INTO chunk_groups (chunk_id, grp) VALUES (?, ?)",
            [(chunk.chunk_id, g) for g in groups],
        )

    def _insert_chunk(self, db: sqlite3.Connection, chunk: ChunkFacts, counts: IndexCounts) -> None:
        db.execute(
            "INSERT INTO chunks (chunk_id, document_id, acl_public, terms, indexed_at) "
            "VALUES (?, ?, 1, ?, ?)",
            (chunk.chunk_id, chunk.document_id, " ".join(sorted(chunk.terms)), time.time()),
        )
        self._set_access(db, chunk)
        mentions = chunk.extraction.mentions
        for mention in mentions:
            cursor = db.execute(
                "INSERT OR IGNORE INTO entities (entity_id, name, key, type) VALUES (?, ?, ?, ?)",
                (mention.entity_id, mention.name, mention.key, mention.type.value),
            )
            counts.new_entities += cursor.rowcount
        rows = [
            (chunk.chunk_id, m.start, m.end, m.entity_id, m.text, normalise(m.text))
            for m in mentions
        ]
        db.executemany(
            "INSERT OR IGNORE INTO mentions (chunk_id, start_offset, end_offset, entity_id, "
            "surface, surface_key) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        counts.mentions += len(rows)
        for relation in chunk.extraction.relations:
            subject = mentions[relation.subject].entity_id
            obj = mentions[relation.object].entity_id
            rid = relation_id(subject, relation.predicate, obj)
            db.execute(
                "INSERT OR IGNORE INTO relations (relation_id, subject_id, predicate, object_id) "
                "VALUES (?, ?, ?, ?)",
                (rid, subject, relation.predicate, obj),
            )
            cursor = db.execute(
                "INSERT OR IGNORE INTO relation_support (relation_id, chunk_id) VALUES (?, ?)",
                (rid, chunk.chunk_id),
            )
            counts.relations += cursor.rowcount
        counts.indexed_chunks += 1

    def document_access(self, document_ids: Sequence[str]) -> dict[str, set[tuple[str, ...]]]:
        """The access lists of these documents' stored chunks (one list each, normally)."""
        ids = sorted(set(document_ids))
        lists: dict[tuple[str, str], list[str]] = {}
        with self._read() as db:
            rows = db.execute(
                "SELECT c.document_id, c.chunk_id, g.grp FROM chunks c LEFT JOIN chunk_groups g "
                f"ON g.chunk_id = c.chunk_id WHERE c.document_id IN ({_marks(ids)})",
                ids,
            ).fetchall()
        for document_id, chunk_id, group in rows:
            lists.setdefault((document_id, chunk_id), []).extend([group] if group else [])
        access: dict[str, set[tuple[str, ...]]] = {}
        for (document_id, _), groups in lists.items():
            access.setdefault(document_id, set()).add(tuple(sorted(groups)))
        return access

    def delete_document(self, document_id: str) -> DeleteCounts:
        with self._transaction() as db:
            chunk_ids = [
                row[0]
                for row in db.execute(
                    "SELECT chunk_id FROM chunks WHERE document_id = ?", (document_id,)
                )
            ]
            counts = self._remove_chunks(db, chunk_ids, DeleteCounts())
            counts.entities = self._drop_orphans(db, counts)
        return counts

    def _remove_chunks(
        self, db: sqlite3.Connection, chunk_ids: Sequence[str], counts: DeleteCounts
    ) -> DeleteCounts:
        """Remove the chunks' facts, adding to ``counts`` (returned)."""
        for start in range(0, len(chunk_ids), 500):
            batch = list(chunk_ids[start : start + 500])
            marks = _marks(batch)
            counts.detached_entities.update(
                row[0]
                for row in db.execute(
                    f"SELECT entity_id FROM mentions WHERE chunk_id IN ({marks})", batch
                )
            )
            counts.detached_relations.update(
                row[0]
                for row in db.execute(
                    f"SELECT relation_id FROM relation_support WHERE chunk_id IN ({marks})", batch
                )
            )
            counts.mentions += db.execute(
                f"DELETE FROM mentions WHERE chunk_id IN ({marks})", batch
            ).rowcount
            counts.relations += db.execute(
                f"DELETE FROM relation_support WHERE chunk_id IN ({marks})", batch
            ).rowcount
            db.execute(f"DELETE FROM chunk_groups WHERE chunk_id IN ({marks})", batch)
            db.execute(f"DELETE FROM chunks WHERE chunk_id IN ({marks})", batch)
        return counts

    def _drop_orphans(self, db: sqlite3.Connection, removed: DeleteCounts) -> int:
        """Relations and entities that ``removed`` detached and that have no supporting
        chunk left (a scan of the whole graph made every write cost more as the corpus
        grew); returns entities removed."""
        relations = sorted(removed.detached_relations)
        for start in range(0, len(relations), 500):
            batch = relations[start : start + 500]
            db.execute(
                f"DELETE FROM relations WHERE relation_id IN ({_marks(batch)}) AND NOT EXISTS "
                "(SELECT 1 FROM relation_support s WHERE s.relation_id = relations.relation_id)",
                batch,
            )
        entities = sorted(removed.detached_entities)
        dropped = 0
        for start in range(0, len(entities), 500):
            batch = entities[start : start + 500]
            dropped += db.execute(
                f"DELETE FROM entities WHERE entity_id IN ({_marks(batch)}) AND NOT EXISTS "
                "(SELECT 1 FROM mentions m WHERE m.entity_id = entities.entity_id)",
                batch,
            ).rowcount
        return dropped

    # ---- reads --------------------------------------------------------------------------

    def entities(self, entity_ids: Iterable[str]) -> dict[str, EntityRow]:
        ids = list(dict.fromkeys(entity_ids))
        found: dict[str, EntityRow] = {}
        with self._read() as db:
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                for row in db.execute(
                    f"SELECT entity_id, name, key, type FROM entities "
                    f"WHERE entity_id IN ({_marks(batch)})",
                    batch,
                ):
                    found[row[0]] = EntityRow(row[0], row[1], row[2], EntityType(row[3]))
        return found

    def visible_entities(self, entity_ids: Iterable[str], caller: Caller) -> list[str]:
        """The given ids that have at least one mention the caller may read."""
        ids = list(dict.fromkeys(entity_ids))
        if not ids:
            return []
        condition, params = _visible(caller)
        with self._read() as db:
            rows = db.execute(
                f"SELECT DISTINCT m.entity_id FROM mentions m JOIN chunks c "
                f"ON c.chunk_id = m.chunk_id WHERE m.entity_id IN ({_marks(ids)}) AND {condition}",
                [*ids, *params],
            ).fetchall()
        present = {r[0] for r in rows}
        return [i for i in ids if i in present]

    def match_names(
        self, keys: Sequence[str], caller: Caller, entity_type: EntityType | None = None
    ) -> dict[str, list[tuple[str, int]]]:
        """Per normalised name: visible entities whose key or a surface form equals it, with
        their visible mention counts, most mentioned first."""
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return {}
        condition, params = _visible(caller)
        type_sql = " AND e.type = ?" if entity_type is not None else ""
        type_params = [entity_type.value] if entity_type is not None else []
        marks = _marks(keys)
        sql = (
            f"SELECT k.name_key, m.entity_id, COUNT(*) FROM ("
            f"  SELECT e.key AS name_key, e.entity_id AS entity_id FROM entities e "
            f"  WHERE e.key IN ({marks}){type_sql}"
            f"  UNION SELECT m2.surface_key, m2.entity_id FROM mentions m2 "
            f"  JOIN entities e ON e.entity_id = m2.entity_id "
            f"  WHERE m2.surface_key IN ({marks}){type_sql}"
            f") k JOIN mentions m ON m.entity_id = k.entity_id "
            f"JOIN chunks c ON c.chunk_id = m.chunk_id WHERE {condition} "
            f"GROUP BY k.name_key, m.entity_id"
        )
        result: dict[str, list[tuple[str, int]]] = {}
        with self._read() as db:
            for key, eid, count in db.execute(
                sql, [*keys, *type_params, *keys, *type_params, *params]
            ):
                result.setdefault(key, []).append((eid, count))
        for matches in result.values():
            matches.sort(key=lambda item: (-item[1], item[0]))
        return result

    def entity_stats(
        self, entity_ids: Sequence[str], caller: Caller, full: bool
    ) -> dict[str, EntityStats]:
        ids = list(dict.fromkeys(entity_ids))
        stats = {i: EntityStats() for i in ids}
        if not ids:
            return stats
        condition, params = _visible(caller)
        marks = _marks(ids)
        with self._read() as db:
            per_document: dict[str, list[tuple[str, int]]] = {}
            for eid, doc, count in db.execute(
                f"SELECT m.entity_id, c.document_id, COUNT(*) FROM mentions m JOIN chunks c "
                f"ON c.chunk_id = m.chunk_id WHERE m.entity_id IN ({marks}) AND {condition} "
                f"GROUP BY m.entity_id, c.document_id",
                [*ids, *params],
            ):
                per_document.setdefault(eid, []).append((doc, count))
            for eid, docs in per_document.items():
                docs.sort(key=lambda item: (-item[1], item[0]))
                stats[eid].mention_count = sum(c for _, c in docs)
                stats[eid].document_count = len(docs)
                if full:
                    stats[eid].document_ids = [d for d, _ in docs[:100]]
            for eid, count in db.execute(
                f"SELECT e, COUNT(DISTINCT r.relation_id) FROM ("
                f"  SELECT subject_id AS e, relation_id FROM relations WHERE subject_id IN ({marks})"
                f"  UNION ALL SELECT object_id, relation_id FROM relations "
                f"  WHERE object_id IN ({marks})"
                f") r WHERE EXISTS (SELECT 1 FROM relation_support s JOIN chunks c "
                f"ON c.chunk_id = s.chunk_id WHERE s.relation_id = r.relation_id AND {condition}) "
                f"GROUP BY e",
                [*ids, *ids, *params],
            ):
                stats[eid].relation_count = count
            if full:
                names = {e.id: e.name for e in self._entity_rows(db, ids)}
                surfaces: dict[str, list[tuple[str, int]]] = {}
                for eid, surface, count in db.execute(
                    f"SELECT m.entity_id, m.surface, COUNT(*) FROM mentions m JOIN chunks c "
                    f"ON c.chunk_id = m.chunk_id WHERE m.entity_id IN ({marks}) AND {condition} "
                    f"GROUP BY m.entity_id, m.surface",
                    [*ids, *params],
                ):
                    surfaces.setdefault(eid, []).append((surface, count))
                for eid, forms in surfaces.items():
                    forms.sort(key=lambda item: (-item[1], item[0]))
                    stats[eid].aliases = [s for s, _ in forms if s != names.get(eid)][:20]
        return stats

    def _entity_rows(self, db: sqlite3.Connection, ids: Sequence[str]) -> list[EntityRow]:
        return [
            EntityRow(r[0], r[1], r[2], EntityType(r[3]))
            for r in db.execute(
                f"SELECT entity_id, name, key, type FROM entities WHERE entity_id IN "
                f"({_marks(ids)})",
                list(ids),
            )
        ]

    def relations_of(
        self, entity_ids: Sequence[str], caller: Caller, predicate: str = ""
    ) -> list[RelationView]:
        """Relations touching any of ``entity_ids`` with their visible support, each chunk
        list ordered by chunk id (stable), relations in no particular order."""
        ids = list(dict.fromkeys(entity_ids))
        if not ids:
            return []
        condition, params = _visible(caller)
        marks = _marks(ids)
        predicate_sql = " AND r.predicate = ?" if predicate else ""
        predicate_params = [predicate] if predicate else []
        views: dict[str, RelationView] = {}
        with self._read() as db:
            rows = db.execute(
                f"SELECT r.relation_id, r.subject_id, r.predicate, r.object_id, c.chunk_id, "
                f"c.document_id FROM relations r JOIN relation_support s "
                f"ON s.relation_id = r.relation_id JOIN chunks c ON c.chunk_id = s.chunk_id "
                f"WHERE (r.subject_id IN ({marks}) OR r.object_id IN ({marks})){predicate_sql} "
                f"AND {condition} ORDER BY r.relation_id, c.chunk_id",
                [*ids, *ids, *predicate_params, *params],
            ).fetchall()
        for rid, subject, pred, obj, chunk_id, document_id in rows:
            view = views.get(rid)
            if view is None:
                view = views[rid] = RelationView(rid, subject, pred, obj)
            view.support.append((chunk_id, document_id))
        return list(views.values())

    def chunk_terms(self, chunk_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        ids = list(dict.fromkeys(chunk_ids))
        found: dict[str, frozenset[str]] = {}
        with self._read() as db:
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                for chunk_id, terms in db.execute(
                    f"SELECT chunk_id, terms FROM chunks WHERE chunk_id IN ({_marks(batch)})",
                    batch,
                ):
                    found[chunk_id] = frozenset(terms.split())
        return found

    def list_entities(
        self,
        caller: Caller,
        limit: int,
        after: tuple[str, str] | None,
        name_prefix: str,
        entity_type: EntityType | None,
        document_id: str,
    ) -> list[EntityRow]:
        """Visible entities by (key, id), after the keyset position ``after``."""
        condition, params = _visible(caller)
        where = [f"EXISTS (SELECT 1 FROM mentions m JOIN chunks c ON c.chunk_id = m.chunk_id "
                 f"WHERE m.entity_id = e.entity_id AND {condition}"
                 + (" AND c.document_id = ?" if document_id else "") + ")"]  # fmt: skip
        values: list[object] = [*params, *([document_id] if document_id else [])]
        if name_prefix:
            escaped = name_prefix.lower().replace("\\", "\\\\").replace("%", "\\%")
            where.append("lower(e.name) LIKE ? ESCAPE '\\'")
            values.append(escaped.replace("_", "\\_") + "%")
        if entity_type is not None:
            where.append("e.type = ?")
            values.append(entity_type.value)
        if after is not None:
            where.append("(e.key > ? OR (e.key = ? AND e.entity_id > ?))")
            values += [after[0], after[0], after[1]]
        with self._read() as db:
            rows = db.execute(
                f"SELECT e.entity_id, e.name, e.key, e.type FROM entities e "
                f"WHERE {' AND '.join(where)} ORDER BY e.key, e.entity_id LIMIT ?",
                [*values, limit],
            ).fetchall()
        return [EntityRow(r[0], r[1], r[2], EntityType(r[3])) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._read() as db:
            return {
                table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("chunks", "entities", "mentions", "relations", "relation_support")
            }


def is_co_occurrence(predicate: str) -> bool:
    return predicate == CO_OCCURS

"""Conversions between rag.v1 graph messages and the graph's domain types."""

from __future__ import annotations

from rag.v1 import common_pb2, graph_pb2
from services.graph.core import (
    ChunkInput,
    Entity,
    Path,
    Relation,
    SupportingChunk,
    Traversal,
    TraverseQuery,
)
from services.graph.extraction import EntityType, Extraction

_TYPE_TO_PROTO = {
    EntityType.PERSON: graph_pb2.ENTITY_TYPE_PERSON,
    EntityType.ORGANIZATION: graph_pb2.ENTITY_TYPE_ORGANIZATION,
    EntityType.LOCATION: graph_pb2.ENTITY_TYPE_LOCATION,
    EntityType.PRODUCT: graph_pb2.ENTITY_TYPE_PRODUCT,
    EntityType.EVENT: graph_pb2.ENTITY_TYPE_EVENT,
    EntityType.WORK: graph_pb2.ENTITY_TYPE_WORK,
    EntityType.CONCEPT: graph_pb2.ENTITY_TYPE_CONCEPT,
    EntityType.OTHER: graph_pb2.ENTITY_TYPE_OTHER,
}
_TYPE_FROM_PROTO: dict[int, EntityType] = {int(v): k for k, v in _TYPE_TO_PROTO.items()}


def entity_type(value: int) -> EntityType | None:
    """A filter type; UNSPECIFIED (or an unknown number) means any type."""
    return _TYPE_FROM_PROTO.get(value)


def full_view(view: int, default_full: bool) -> bool:
    if view == graph_pb2.ENTITY_VIEW_UNSPECIFIED:
        return default_full
    return bool(view == graph_pb2.ENTITY_VIEW_FULL)


def chunk_inputs(chunks: list[common_pb2.Chunk]) -> list[ChunkInput]:
    return [ChunkInput(c.id, c.document_id, c.text, tuple(c.access_groups)) for c in chunks]


def traverse_query(request: graph_pb2.TraverseGraphRequest) -> TraverseQuery:
    return TraverseQuery(
        question=request.question,
        entity_names=tuple(request.entity_names),
        entity_ids=tuple(request.entity_ids),
        max_hops=request.max_hops,
        max_paths=request.max_paths,
        max_chunks=request.max_chunks,
    )


def entity_message(entity: Entity, full: bool) -> graph_pb2.Entity:
    message = graph_pb2.Entity(
        id=entity.id,
        name=entity.name,
        type=_TYPE_TO_PROTO[entity.type],
        mention_count=entity.mention_count,
        document_count=entity.document_count,
        relation_count=entity.relation_count,
    )
    if full:
        message.aliases.extend(entity.aliases)
        message.document_ids.extend(entity.document_ids)
    return message


def relation_message(relation: Relation) -> graph_pb2.Relation:
    return graph_pb2.Relation(
        id=relation.id,
        subject_id=relation.subject_id,
        subject_name=relation.subject_name,
        predicate=relation.predicate,
        object_id=relation.object_id,
        object_name=relation.object_name,
        supporting_chunk_ids=relation.supporting_chunk_ids,
        document_ids=relation.document_ids,
        support_count=relation.support_count,
    )


def path_message(path: Path) -> graph_pb2.GraphPath:
    return graph_pb2.GraphPath(
        entities=[entity_message(e, False) for e in path.entities],
        relations=[relation_message(r) for r in path.relations],
        score=path.score,
    )


def supporting_chunk_message(chunk: SupportingChunk) -> graph_pb2.SupportingChunk:
    return graph_pb2.SupportingChunk(
        chunk_id=chunk.chunk_id,
        document_id=chunk.document_id,
        score=chunk.score,
        path_count=chunk.path_count,
    )


def traversal_message(traversal: Traversal) -> graph_pb2.TraverseGraphResponse:
    return graph_pb2.TraverseGraphResponse(
        seed_entities=[entity_message(e, False) for e in traversal.seeds],
        paths=[path_message(p) for p in traversal.paths],
        supporting_chunks=[supporting_chunk_message(c) for c in traversal.chunks],
        unmatched_entities=traversal.unmatched,
        truncated=traversal.truncated,
    )


def extraction_message(extraction: Extraction) -> graph_pb2.ExtractEntitiesResponse:
    return graph_pb2.ExtractEntitiesResponse(
        mentions=[
            graph_pb2.EntityMention(
                text=m.text,
                name=m.name,
                type=_TYPE_TO_PROTO[m.type],
                start_offset=m.start,
                end_offset=m.end,
                entity_id=m.entity_id,
            )
            for m in extraction.mentions
        ],
        relations=[
            graph_pb2.ExtractedRelation(
                subject_mention_index=r.subject,
                predicate=r.predicate,
                object_mention_index=r.object,
            )
            for r in extraction.relations
        ],
    )

"""gRPC surface of GraphService: converts messages and calls GraphService."""

from __future__ import annotations

from rag.v1 import graph_pb2, graph_pb2_grpc
from services.graph import convert
from services.graph.core import GraphService
from services.graph.store import UNRESTRICTED, Caller
from services.runtime.grants import Grantor
from services.runtime.identity import current_identity
from services.runtime.server import RpcContext


def caller_from_identity() -> Caller:
    """The verified caller's groups; no identity (auth disabled) means unrestricted."""
    identity = current_identity()
    if identity is None:
        return UNRESTRICTED
    return Caller(frozenset(identity.groups))


class GraphServicer(graph_pb2_grpc.GraphServiceServicer):
    def __init__(self, graph: GraphService, writers_may_grant_everyone: bool = False) -> None:
        self._graph = graph
        self._everyone_allowed = writers_may_grant_everyone

    async def IndexChunks(
        self, request: graph_pb2.IndexChunksRequest, context: RpcContext
    ) -> graph_pb2.IndexChunksResponse:
        counts = await self._graph.index_chunks(
            convert.chunk_inputs(list(request.chunks)),
            request.replace_documents,
            Grantor.of(current_identity(), self._everyone_allowed),
        )
        return graph_pb2.IndexChunksResponse(
            indexed_chunk_count=counts.indexed_chunks,
            unchanged_chunk_count=counts.unchanged_chunks,
            mention_count=counts.mentions,
            relation_count=counts.relations,
            new_entity_count=counts.new_entities,
            removed_fact_count=counts.removed_facts,
        )

    async def DeleteDocumentGraph(
        self, request: graph_pb2.DeleteDocumentGraphRequest, context: RpcContext
    ) -> graph_pb2.DeleteDocumentGraphResponse:
        counts = await self._graph.delete_document(
            request.document_id, Grantor.of(current_identity(), self._everyone_allowed)
        )
        return graph_pb2.DeleteDocumentGraphResponse(
            removed_mention_count=counts.mentions,
            removed_relation_count=counts.relations,
            removed_entity_count=counts.entities,
        )

    async def ExtractEntities(
        self, request: graph_pb2.ExtractEntitiesRequest, context: RpcContext
    ) -> graph_pb2.ExtractEntitiesResponse:
        return convert.extraction_message(await self._graph.extract(request.text))

    async def TraverseGraph(
        self, request: graph_pb2.TraverseGraphRequest, context: RpcContext
    ) -> graph_pb2.TraverseGraphResponse:
        traversal = await self._graph.traverse(
            convert.traverse_query(request), caller_from_identity()
        )
        return convert.traversal_message(traversal)

    async def GetEntity(
        self, request: graph_pb2.GetEntityRequest, context: RpcContext
    ) -> graph_pb2.GetEntityResponse:
        full = convert.full_view(request.view, default_full=True)
        entity, relations = await self._graph.get_entity(
            request.entity_id,
            request.name,
            convert.entity_type(request.type),
            request.max_relations,
            full,
            caller_from_identity(),
        )
        return graph_pb2.GetEntityResponse(
            entity=convert.entity_message(entity, full),
            relations=[convert.relation_message(r) for r in relations],
        )

    async def ListEntities(
        self, request: graph_pb2.ListEntitiesRequest, context: RpcContext
    ) -> graph_pb2.ListEntitiesResponse:
        full = convert.full_view(request.view, default_full=False)
        page = await self._graph.list_entities(
            request.page_size,
            request.page_token,
            request.name_prefix,
            convert.entity_type(request.type),
            request.document_id,
            full,
            caller_from_identity(),
        )
        return graph_pb2.ListEntitiesResponse(
            entities=[convert.entity_message(e, full) for e in page.entities],
            next_page_token=page.next_page_token,
        )

    async def ListRelations(
        self, request: graph_pb2.ListRelationsRequest, context: RpcContext
    ) -> graph_pb2.ListRelationsResponse:
        page = await self._graph.list_relations(
            request.entity_id,
            request.predicate,
            request.page_size,
            request.page_token,
            caller_from_identity(),
        )
        return graph_pb2.ListRelationsResponse(
            relations=[convert.relation_message(r) for r in page.relations],
            next_page_token=page.next_page_token,
        )

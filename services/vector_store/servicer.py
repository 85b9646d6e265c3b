"""gRPC surface of VectorStoreService: converts messages and calls VectorStore."""

from __future__ import annotations

from rag.v1 import vector_store_pb2, vector_store_pb2_grpc
from services.runtime.identity import current_identity
from services.runtime.server import RpcContext
from services.vector_store import convert
from services.vector_store.core import UNRESTRICTED, Caller, UpsertRequest, VectorStore


def caller_from_call(everyone_allowed: bool = False) -> Caller:
    """The caller's document groups, from the token the interceptor verified.

    No identity (auth disabled) or a realm admin: unrestricted. Everyone else reads public
    documents and those whose access list shares one of their groups; the filter runs inside
    the store query (services/vector_store/core.py), so what a caller may not see is never
    returned, counted or cited. Writes: only lists the caller may grant
    (services/runtime/grants.py; ``everyone_allowed`` is RAGMESH_WRITERS_MAY_GRANT_EVERYONE).
    """
    identity = current_identity()
    if identity is None or identity.is_admin:
        return UNRESTRICTED
    return Caller(identity.groups, everyone_allowed, identity.username)


class VectorStoreServicer(vector_store_pb2_grpc.VectorStoreServiceServicer):
    def __init__(self, store: VectorStore, writers_may_grant_everyone: bool = False) -> None:
        self._store = store
        self._everyone_allowed = writers_may_grant_everyone

    def _caller(self) -> Caller:
        return caller_from_call(self._everyone_allowed)

    async def UpsertDocument(
        self, request: vector_store_pb2.UpsertDocumentRequest, context: RpcContext
    ) -> vector_store_pb2.UpsertDocumentResponse:
        stored = await self._store.upsert(
            convert.document_input(request.document),
            convert.embedded_chunks(request.chunks),
            request.embedding_model_id,
            self._caller(),
        )
        return vector_store_pb2.UpsertDocumentResponse(document=convert.document_message(stored))

    async def BatchUpsertDocuments(
        self, request: vector_store_pb2.BatchUpsertDocumentsRequest, context: RpcContext
    ) -> vector_store_pb2.BatchUpsertDocumentsResponse:
        outcomes = await self._store.upsert_batch(
            [
                UpsertRequest(
                    convert.document_input(r.document),
                    convert.embedded_chunks(r.chunks),
                    r.embedding_model_id,
                )
                for r in request.requests
            ],
            self._caller(),
        )
        return vector_store_pb2.BatchUpsertDocumentsResponse(
            results=[
                convert.batch_result(r.document.id, outcome)
                for r, outcome in zip(request.requests, outcomes, strict=True)
            ]
        )

    async def BatchGetDocuments(
        self, request: vector_store_pb2.BatchGetDocumentsRequest, context: RpcContext
    ) -> vector_store_pb2.BatchGetDocumentsResponse:
        documents = await self._store.get_documents(list(request.document_ids), self._caller())
        return vector_store_pb2.BatchGetDocumentsResponse(
            documents=[convert.document_message(d) for d in documents]
        )

    async def DeleteDocument(
        self, request: vector_store_pb2.VectorStoreServiceDeleteDocumentRequest, context: RpcContext
    ) -> vector_store_pb2.VectorStoreServiceDeleteDocumentResponse:
        deleted = await self._store.delete(
            request.document_id, request.allow_missing, self._caller()
        )
        return vector_store_pb2.VectorStoreServiceDeleteDocumentResponse(
            document_id=request.document_id, deleted_chunk_count=deleted
        )

    async def GetDocument(
        self, request: vector_store_pb2.VectorStoreServiceGetDocumentRequest, context: RpcContext
    ) -> vector_store_pb2.VectorStoreServiceGetDocumentResponse:
        document = await self._store.get_document(request.document_id, self._caller())
        return vector_store_pb2.VectorStoreServiceGetDocumentResponse(
            document=convert.document_message(document)
        )

    async def ListDocuments(
        self, request: vector_store_pb2.VectorStoreServiceListDocumentsRequest, context: RpcContext
    ) -> vector_store_pb2.VectorStoreServiceListDocumentsResponse:
        page = await self._store.list_documents(
            request.page_size,
            request.page_token,
            convert.conditions(request.filters, "filters"),
            self._caller(),
        )
        return vector_store_pb2.VectorStoreServiceListDocumentsResponse(
            documents=[convert.document_message(d) for d in page.documents],
            next_page_token=page.next_page_token,
        )

    async def ListChunks(
        self, request: vector_store_pb2.ListChunksRequest, context: RpcContext
    ) -> vector_store_pb2.ListChunksResponse:
        page = await self._store.list_chunks(
            request.document_id, request.page_size, request.page_token, self._caller()
        )
        return vector_store_pb2.ListChunksResponse(
            chunks=[convert.chunk_message(c) for c in page.chunks],
            next_page_token=page.next_page_token,
        )

    async def CountChunks(
        self, request: vector_store_pb2.CountChunksRequest, context: RpcContext
    ) -> vector_store_pb2.CountChunksResponse:
        count = await self._store.count_chunks(
            convert.conditions(request.filters, "filters"),
            list(request.document_ids),
            self._caller(),
        )
        return vector_store_pb2.CountChunksResponse(
            chunk_count=count.chunk_count, document_count=count.document_count
        )

    async def SearchChunks(
        self, request: vector_store_pb2.SearchChunksRequest, context: RpcContext
    ) -> vector_store_pb2.SearchChunksResponse:
        result = await self._store.search(convert.search_query(request), self._caller())
        return vector_store_pb2.SearchChunksResponse(
            scored_chunks=[convert.scored_chunk_message(c) for c in result.chunks],
            dense_candidate_count=result.dense_candidate_count,
            keyword_candidate_count=result.keyword_candidate_count,
        )

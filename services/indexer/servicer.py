"""gRPC surface of IndexerService: converts messages and calls the Indexer."""

from __future__ import annotations

from rag.v1 import indexer_pb2, indexer_pb2_grpc
from services.indexer import convert
from services.indexer.core import Indexer
from services.runtime.server import RpcContext


class IndexerServicer(indexer_pb2_grpc.IndexerServiceServicer):
    def __init__(self, indexer: Indexer) -> None:
        self._indexer = indexer

    async def NotifyChange(
        self, request: indexer_pb2.NotifyChangeRequest, context: RpcContext
    ) -> indexer_pb2.NotifyChangeResponse:
        change = await self._indexer.notify(convert.notify_input(request))
        return indexer_pb2.NotifyChangeResponse(change=convert.change_message(change))

    async def GetChange(
        self, request: indexer_pb2.GetChangeRequest, context: RpcContext
    ) -> indexer_pb2.GetChangeResponse:
        change = await self._indexer.get_change(request.change_id)
        return indexer_pb2.GetChangeResponse(change=convert.change_message(change))

    async def GetIndexerStatus(
        self, request: indexer_pb2.GetIndexerStatusRequest, context: RpcContext
    ) -> indexer_pb2.GetIndexerStatusResponse:
        return convert.status_message(await self._indexer.status())

    async def CreateSource(
        self, request: indexer_pb2.CreateSourceRequest, context: RpcContext
    ) -> indexer_pb2.CreateSourceResponse:
        spec = convert.source_spec(request.source_id, request.source)
        status = await self._indexer.create_source(spec)
        return indexer_pb2.CreateSourceResponse(source=convert.source_message(status))

    async def GetSource(
        self, request: indexer_pb2.GetSourceRequest, context: RpcContext
    ) -> indexer_pb2.GetSourceResponse:
        status = await self._indexer.get_source(request.source_id)
        return indexer_pb2.GetSourceResponse(source=convert.source_message(status))

    async def ListSources(
        self, request: indexer_pb2.ListSourcesRequest, context: RpcContext
    ) -> indexer_pb2.ListSourcesResponse:
        page = await self._indexer.list_sources(request.page_size, request.page_token)
        return indexer_pb2.ListSourcesResponse(
            sources=[convert.source_message(s) for s in page.items],
            next_page_token=page.next_page_token,
        )

    async def DeleteSource(
        self, request: indexer_pb2.DeleteSourceRequest, context: RpcContext
    ) -> indexer_pb2.DeleteSourceResponse:
        count = await self._indexer.delete_source(
            request.source_id, request.delete_documents, request.allow_missing
        )
        return indexer_pb2.DeleteSourceResponse(
            source_id=request.source_id, enqueued_deletion_count=count
        )

    async def ListDeadLetters(
        self, request: indexer_pb2.ListDeadLettersRequest, context: RpcContext
    ) -> indexer_pb2.ListDeadLettersResponse:
        page = await self._indexer.list_dead_letters(
            request.page_size,
            request.page_token,
            request.source_id,
            convert.change_kind(request.kind),
        )
        return indexer_pb2.ListDeadLettersResponse(
            dead_letters=[convert.dead_letter_message(d) for d in page.items],
            next_page_token=page.next_page_token,
        )

    async def RetryDeadLetter(
        self, request: indexer_pb2.RetryDeadLetterRequest, context: RpcContext
    ) -> indexer_pb2.RetryDeadLetterResponse:
        change = await self._indexer.retry_dead_letter(request.change_id)
        return indexer_pb2.RetryDeadLetterResponse(change=convert.change_message(change))

    async def PurgeDeadLetter(
        self, request: indexer_pb2.PurgeDeadLetterRequest, context: RpcContext
    ) -> indexer_pb2.PurgeDeadLetterResponse:
        letter = await self._indexer.purge_dead_letter(request.change_id)
        return indexer_pb2.PurgeDeadLetterResponse(dead_letter=convert.dead_letter_message(letter))

"""gRPC surface of MultiModalService: convert, call the extractor, convert back."""

from __future__ import annotations

from rag.v1 import multi_modal_pb2, multi_modal_pb2_grpc
from services.common.convert import document_input
from services.multi_modal import convert
from services.multi_modal.core import MultiModalExtractor
from services.runtime.server import RpcContext


class MultiModalServicer(multi_modal_pb2_grpc.MultiModalServiceServicer):
    def __init__(self, extractor: MultiModalExtractor) -> None:
        self._extractor = extractor

    async def ExtractContent(
        self, request: multi_modal_pb2.ExtractContentRequest, context: RpcContext
    ) -> multi_modal_pb2.ExtractContentResponse:
        # An empty content_type stays empty: it means "detect".
        document = document_input(request.document, default_content_type="")
        extracted = await self._extractor.extract(
            document, convert.requested_options(request.options)
        )
        return convert.extract_response(extracted, document)

    async def ListSupportedTypes(
        self, request: multi_modal_pb2.ListSupportedTypesRequest, context: RpcContext
    ) -> multi_modal_pb2.ListSupportedTypesResponse:
        return convert.supported_types_response(await self._extractor.supported_types())

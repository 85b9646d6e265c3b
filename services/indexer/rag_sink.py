"""Applying changes through the mesh: RagService.IngestDocument, BatchIngestDocuments and
DeleteDocument via Envoy.

Going through the gateway means parsing, chunking, embedding, the dense and keyword
indexes and (when it exists) the graph all see every change; the gateway replaces a
document's chunks as a unit and skips an identical version, which makes a replay after a
crash harmless. Background calls carry the service's own token (see mesh_channel).
"""

from __future__ import annotations

from collections.abc import Sequence

import grpc
from google.rpc import error_details_pb2, status_pb2

from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from services.common.convert import document_message
from services.indexer.changes import ApplyFailure
from services.indexer.model import DocumentToIndex
from services.runtime.auth import ServiceCredentials
from services.runtime.downstream import calling
from services.runtime.errors import PermissionDenied

# Retrying these cannot succeed: the request itself is wrong for the pipeline.
_PERMANENT = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.OUT_OF_RANGE,
    grpc.StatusCode.UNIMPLEMENTED,
}
# RESOURCE_EXHAUSTED is usually "busy, retry", except for these reasons.
_PERMANENT_REASONS = {"CONTENT_TOO_LARGE", "DOCUMENT_TOO_LARGE"}


def _reason(exc: grpc.aio.AioRpcError) -> str:
    for key, value in exc.trailing_metadata() or ():
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return str(info.reason)
    return ""


def _failure(code: grpc.StatusCode, message: str, reason: str, method: str) -> ApplyFailure:
    permanent = code in _PERMANENT or reason in _PERMANENT_REASONS
    suffix = f" [{reason}]" if reason else ""
    return ApplyFailure(
        f"RagService.{method}: {code.name}: {message or 'no detail'}{suffix}", permanent
    )


def apply_failure(exc: grpc.aio.AioRpcError, method: str) -> ApplyFailure:
    return _failure(exc.code(), exc.details() or "", _reason(exc), method)


# google.rpc.Code values (IngestError.code) -> grpc.StatusCode.
_CODES = {code.value[0]: code for code in grpc.StatusCode}


def item_failure(error: rag_pb2.IngestError) -> ApplyFailure:
    """One document's failure inside a BatchIngestDocuments answer."""
    code = _CODES.get(error.code, grpc.StatusCode.UNKNOWN)
    return _failure(code, error.message, error.reason, "BatchIngestDocuments")


class RagServiceSink:
    """The DocumentSink of a running mesh."""

    def __init__(self, channel: grpc.aio.Channel, timeout_s: float) -> None:
        self._stub = rag_pb2_grpc.RagServiceStub(channel)
        self._timeout_s = timeout_s

    async def upsert(self, document: DocumentToIndex) -> None:
        request = rag_pb2.IngestDocumentRequest(document=document_message(document))
        try:
            await self._stub.IngestDocument(request, timeout=self._timeout_s)
        except grpc.aio.AioRpcError as exc:
            raise apply_failure(exc, "IngestDocument") from exc

    async def upsert_many(self, documents: Sequence[DocumentToIndex]) -> list[ApplyFailure | None]:
        request = rag_pb2.BatchIngestDocumentsRequest(
            documents=[document_message(d) for d in documents]
        )
        try:
            response = await self._stub.BatchIngestDocuments(request, timeout=self._timeout_s)
        except grpc.aio.AioRpcError as exc:
            raise apply_failure(exc, "BatchIngestDocuments") from exc
        results = list(response.results)
        if [r.document_id for r in results] != [d.id for d in documents]:
            raise ApplyFailure("RagService.BatchIngestDocuments: results do not match the request")
        return [item_failure(r.error) if r.HasField("error") else None for r in results]

    async def delete(self, document_id: str) -> None:
        request = rag_pb2.DeleteDocumentRequest(document_id=document_id, allow_missing=True)
        try:
            await self._stub.DeleteDocument(request, timeout=self._timeout_s)
        except grpc.aio.AioRpcError as exc:
            raise apply_failure(exc, "DeleteDocument") from exc


class RagServiceAccess:
    """WriteAccess through RagService.GetDocument: the caller's token first (forwarded by
    mesh_channel), then the indexer's own to tell "hidden from you" from "does not exist"."""

    def __init__(self, channel: grpc.aio.Channel, credentials: ServiceCredentials | None) -> None:
        self._stub = rag_pb2_grpc.RagServiceStub(channel)
        self._credentials = credentials

    async def stored_groups(self, document_id: str) -> tuple[str, ...] | None:
        request = rag_pb2.GetDocumentRequest(document_id=document_id)
        found = await self._get(request, ())
        if found is not None:
            return tuple(found.access_groups)
        if self._credentials is None:
            return None  # no way to look past the caller's view: the store checks on apply
        own = (("authorization", await self._credentials.authorization()),)
        if await self._get(request, own) is not None:
            raise PermissionDenied(
                message=f"document {document_id!r} exists and you may not read it",
                reason="DOCUMENT_ACCESS_DENIED",
            )
        return None

    async def _get(
        self, request: rag_pb2.GetDocumentRequest, metadata: tuple[tuple[str, str], ...]
    ) -> common_pb2.Document | None:
        with calling("RagService"):
            try:
                response = await self._stub.GetDocument(request, metadata=metadata, timeout=10)
            except grpc.aio.AioRpcError as exc:
                if exc.code() == grpc.StatusCode.NOT_FOUND:
                    return None
                raise
        return response.document

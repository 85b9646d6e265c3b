"""The one mapping from domain errors to gRPC statuses (AIP-193 details included)."""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.runtime.errors import DomainError

ERROR_DOMAIN = "rag.v1"


def grpc_code(error: DomainError) -> grpc.StatusCode:
    return grpc.StatusCode[error.code.value]


def to_rpc_status(error: DomainError) -> status_pb2.Status:
    """A google.rpc.Status with ErrorInfo, and BadRequest / RetryInfo where they apply."""
    details: list[any_pb2.Any] = []
    info = error_details_pb2.ErrorInfo(
        reason=error.reason, domain=ERROR_DOMAIN, metadata=error.metadata
    )
    details.append(_pack(info))
    if error.field_violations:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.description
                )
                for v in error.field_violations
            ]
        )
        details.append(_pack(bad_request))
    if error.retry_after_s is not None:
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(int(error.retry_after_s * 1e9))
        details.append(_pack(error_details_pb2.RetryInfo(retry_delay=delay)))
    return status_pb2.Status(
        code=code_pb2.Code.Value(error.code.value), message=error.message, details=details
    )


def status_trailers(error: DomainError) -> tuple[tuple[str, str | bytes], ...]:
    """Trailing metadata carrying the rich status (`grpc-status-details-bin`)."""
    status = rpc_status.to_status(to_rpc_status(error))
    return tuple(status.trailing_metadata)


def _pack(message: Message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed

"""Calls from one service to another: through Envoy, with the caller's deadline and identity.

Every outgoing call made while serving a request carries the request id and the caller's
``authorization`` header, and its timeout is the smaller of its own default and the time
the original caller has left, so a deadline set at the edge bounds the whole call tree.
A call made outside any request (background work) carries the service's own token instead,
when auth is on. With tracing on, it also carries the current span's W3C ``traceparent``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import grpc

from services.runtime import errors
from services.runtime.auth import ServiceCredentials, service_credentials
from services.runtime.call_context import current_call
from services.runtime.errors import DeadlineExceeded
from services.runtime.interceptors import REQUEST_ID_HEADER
from services.runtime.settings import RuntimeSettings
from services.runtime.tracing import inject

_PROPAGATED = (REQUEST_ID_HEADER, "authorization")


def propagated_call_details(
    details: grpc.aio.ClientCallDetails, default_timeout: float
) -> grpc.aio.ClientCallDetails:
    """The same call with deadline and identity metadata inherited from the current call."""
    call = current_call()
    timeout = details.timeout if details.timeout is not None else default_timeout
    metadata = grpc.aio.Metadata(*(details.metadata or ()))
    if call is not None:
        remaining = call.time_remaining()
        if remaining is not None:
            if remaining <= 0:
                raise DeadlineExceeded(
                    message=f"deadline already passed before calling {details.method!r}",
                    reason="DEADLINE_PASSED",
                )
            timeout = min(timeout, remaining)
        present = {key for key, _ in metadata}
        if REQUEST_ID_HEADER not in present:
            metadata.add(REQUEST_ID_HEADER, call.request_id)
        if "authorization" not in present and call.authorization:
            metadata.add("authorization", call.authorization)
    # W3C trace context of the current server span (nothing when tracing is off).
    inject(metadata)
    return grpc.aio.ClientCallDetails(
        method=details.method,
        timeout=timeout,
        metadata=metadata,
        credentials=details.credentials,
        wait_for_ready=details.wait_for_ready,
    )


class _Propagation:
    def __init__(self, default_timeout: float, credentials: ServiceCredentials | None) -> None:
        self._default_timeout = default_timeout
        self._credentials = credentials

    async def _call(
        self, continuation: Callable[..., Any], details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        details = propagated_call_details(details, self._default_timeout)
        metadata = details.metadata
        if (
            self._credentials is not None
            and metadata is not None
            and "authorization" not in {key for key, _ in metadata}
        ):
            metadata.add("authorization", await self._credentials.authorization())
        return await continuation(details, request)


class _UnaryUnary(_Propagation, grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await self._call(continuation, details, request)


class _UnaryStream(_Propagation, grpc.aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(
        self, continuation: Callable[..., Any], details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await self._call(continuation, details, request)


class _StreamUnary(_Propagation, grpc.aio.StreamUnaryClientInterceptor):
    async def intercept_stream_unary(
        self, continuation: Callable[..., Any], details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await self._call(continuation, details, request)


def mesh_channel(settings: RuntimeSettings, target: str | None = None) -> grpc.aio.Channel:
    """A channel to another service, through Envoy unless ``target`` says otherwise."""
    default_timeout = settings.default_downstream_timeout_s
    credentials = service_credentials(settings)
    return grpc.aio.insecure_channel(
        target or settings.envoy_address,
        options=[
            ("grpc.max_receive_message_length", settings.max_message_bytes),
            ("grpc.max_send_message_length", settings.max_message_bytes),
        ],
        interceptors=[
            _UnaryUnary(default_timeout, credentials),
            _UnaryStream(default_timeout, credentials),
            _StreamUnary(default_timeout, credentials),
        ],
    )


_PASS_THROUGH = {
    grpc.StatusCode.INVALID_ARGUMENT: errors.InvalidArgument,
    grpc.StatusCode.NOT_FOUND: errors.NotFound,
    grpc.StatusCode.ALREADY_EXISTS: errors.AlreadyExists,
    grpc.StatusCode.FAILED_PRECONDITION: errors.FailedPrecondition,
    grpc.StatusCode.PERMISSION_DENIED: errors.PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: errors.Unauthenticated,
    grpc.StatusCode.RESOURCE_EXHAUSTED: errors.ResourceExhausted,
    grpc.StatusCode.DEADLINE_EXCEEDED: errors.DeadlineExceeded,
}


def downstream_error(exc: grpc.aio.AioRpcError, service: str) -> errors.DomainError:
    """The error to give our caller when a call to ``service`` failed.

    Caller mistakes (bad argument, not found, denied...) keep their code and message, so
    the client sees the real reason; a dependency's bug stays INTERNAL; anything else
    (unreachable, overloaded, cancelled) becomes UNAVAILABLE naming the service.
    """
    return _domain_error(exc.code(), exc.details() or "", "", service)


_BY_VALUE = {code.value[0]: code for code in grpc.StatusCode}


def downstream_item_error(code: int, message: str, reason: str, service: str) -> errors.DomainError:
    """As downstream_error, for one item of a batch call that ``service`` answered with
    its own error (``code`` a google.rpc.Code value); the item's reason is kept."""
    return _domain_error(_BY_VALUE.get(code, grpc.StatusCode.UNKNOWN), message, reason, service)


def _domain_error(
    code: grpc.StatusCode, details: str, reason: str, service: str
) -> errors.DomainError:
    kind = _PASS_THROUGH.get(code)
    if kind is not None:
        return kind(message=details or code.name, reason=reason or f"{service.upper()}_{code.name}")
    if code in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.DATA_LOSS):
        # A bug downstream: retrying will not help, so do not call it UNAVAILABLE.
        return errors.Internal(
            message=f"{service} failed: {details or code.name}",
            reason="DEPENDENCY_FAILED",
            metadata={"service": service},
        )
    return errors.Unavailable(
        message=f"{service} is unavailable ({code.name}: {details or 'no detail'})",
        reason="DEPENDENCY_UNAVAILABLE",
        metadata={"service": service},
        retry_after_s=1.0,
    )


@contextlib.contextmanager
def calling(service: str) -> Iterator[None]:
    """Turn a failed call to another service into the domain error our caller should see."""
    try:
        yield
    except grpc.aio.AioRpcError as exc:
        raise downstream_error(exc, service) from exc

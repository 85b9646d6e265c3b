"""The server interceptor every service runs behind.

Per call it: sets the call context (request id, caller token, deadline), verifies the
caller's token and the RPC's role when auth is on (services/runtime/auth.py, roles.py),
turns undecodable requests into INVALID_ARGUMENT, maps domain errors to statuses (and
anything unexpected to INTERNAL without a stack trace), counts and times the call, writes an
audit line for every write and every denied call, and applies the test-only added latency.
With tracing on (services/runtime/tracing.py), each rag.v1 call also runs in a server span
continuing the caller's W3C trace context.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from services.runtime.auth import TokenVerifier
from services.runtime.call_context import (
    CallContext,
    current_call,
    new_request_id,
    reset_current_call,
    set_current_call,
)
from services.runtime.errors import DomainError, InvalidArgument, PermissionDenied
from services.runtime.identity import (
    READER,
    Identity,
    current_identity,
    reset_current_identity,
    set_current_identity,
)
from services.runtime.load_report import LOAD_REPORT_HEADER, LoadTracker
from services.runtime.metrics import DURATION, IN_FLIGHT, REQUESTS, LatencyInjector
from services.runtime.roles import required_role
from services.runtime.status import grpc_code, status_trailers
from services.runtime.tracing import TRACED_PREFIX, ServerSpan, Tracing

log = logging.getLogger("ragmesh.rpc")
audit = logging.getLogger("ragmesh.audit")

REQUEST_ID_HEADER = "x-request-id"
# Operators' tools: never slowed down, so health checks stay truthful under test latency.
_UNDELAYED_PREFIXES = ("/grpc.health.v1.", "/grpc.reflection.")


_STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


class _InjectedFailure(Exception):
    """TEST ONLY: the failure mode of LatencyInjector."""

    def __init__(self, code: grpc.StatusCode) -> None:
        super().__init__(code.name)
        self.code = code


class _MalformedRequest:
    """Stands in for a request whose bytes did not parse, so the handler can answer properly."""

    def __init__(self, error: Exception) -> None:
        self.error = error


def _tolerant(deserializer: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    if deserializer is None:
        return None

    def parse(data: bytes) -> Any:
        try:
            return deserializer(data)
        except (DecodeError, ValueError, TypeError) as exc:
            return _MalformedRequest(exc)

    return parse


def _split_method(full: str) -> tuple[str, str]:
    # "/rag.v1.EmbeddingService/Embed" -> ("rag.v1.EmbeddingService", "Embed")
    _, _, rest = full.partition("/")
    service, _, method = rest.partition("/")
    return service, method


class ServiceInterceptor(grpc.aio.ServerInterceptor):
    """Observability, error mapping and call context for every RPC of a server."""

    def __init__(
        self,
        latency: LatencyInjector,
        verifier: TokenVerifier | None = None,
        tracing: Tracing | None = None,
        load: LoadTracker | None = None,
    ) -> None:
        self._latency = latency
        # The replica's load, reported in every rag.v1 response's trailers (None: no report).
        self._load = load
        # None: auth disabled, every caller unrestricted (the server logs that loudly).
        self._verifier = verifier
        # None: tracing off, and no span work at all per call.
        self._tracing = tracing

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        full_method = handler_call_details.method
        service, method = _split_method(full_method)
        delayed = not full_method.startswith(_UNDELAYED_PREFIXES)
        traced = self._tracing is not None and full_method.startswith(TRACED_PREFIX)
        call = _Call(
            service,
            method,
            full_method,
            self._latency if delayed else None,
            self._verifier,
            self._tracing if traced else None,
            self._load if delayed else None,
        )
        deserializer = _tolerant(handler.request_deserializer)
        serializer = handler.response_serializer
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                call.wrap_unary(handler.unary_unary), deserializer, serializer
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                call.wrap_stream(handler.unary_stream), deserializer, serializer
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                call.wrap_unary(handler.stream_unary, streaming_request=True),
                deserializer,
                serializer,
            )
        assert handler.stream_stream is not None
        return grpc.stream_stream_rpc_method_handler(
            call.wrap_stream(handler.stream_stream, streaming_request=True),
            deserializer,
            serializer,
        )


class _Call:
    """Wraps one method's behaviour; one instance per intercepted method lookup."""

    def __init__(
        self,
        service: str,
        method: str,
        full_method: str,
        latency: LatencyInjector | None,
        verifier: TokenVerifier | None = None,
        tracing: Tracing | None = None,
        load: LoadTracker | None = None,
    ) -> None:
        self.load = load
        self.service = service
        self.method = method
        self.full_method = full_method
        self.latency = latency
        self.verifier = verifier
        self.tracing = tracing
        # Health, reflection and xDS carry no role: operators and Envoy reach them freely.
        self.role = required_role(full_method)

    def wrap_unary(
        self, behaviour: Callable[..., Any], streaming_request: bool = False
    ) -> Callable[..., Awaitable[Any]]:
        async def handle(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            token, started, span = await self._begin(context)
            code = grpc.StatusCode.OK
            who = None
            try:
                who = await self._authenticate()
                self._check_role()
                self._injected_failure()
                request = self._checked(request, streaming_request)
                return await behaviour(request, context)
            except BaseException as exc:
                code = self._classify(exc, context)
                await self._abort_for(exc, context)
                raise
            finally:
                self._end(started, code, token, who, span)

        return handle

    def wrap_stream(
        self, behaviour: Callable[..., Any], streaming_request: bool = False
    ) -> Callable[..., AsyncIterator[Any]]:
        async def handle(
            request: Any, context: grpc.aio.ServicerContext[Any, Any]
        ) -> AsyncIterator[Any]:
            token, started, span = await self._begin(context)
            code = grpc.StatusCode.OK
            who = None
            try:
                who = await self._authenticate()
                self._check_role()
                self._injected_failure()
                request = self._checked(request, streaming_request)
                result = behaviour(request, context)
                if inspect.isasyncgen(result):
                    async for item in result:
                        yield item
                else:  # a coroutine that writes with context.write()
                    await result
            except BaseException as exc:
                code = self._classify(exc, context)
                await self._abort_for(exc, context)
                raise
            finally:
                self._end(started, code, token, who, span)

        return handle

    async def _authenticate(self) -> Any:
        """Verify the caller's token; the identity then holds for the whole call."""
        if self.verifier is None or self.role is None:
            return None
        call = current_call()
        identity = await self.verifier.verify(call.authorization if call else None)
        return set_current_identity(identity)

    def _injected_failure(self) -> None:
        if self.latency is not None and self.latency.failure_code:
            raise _InjectedFailure(_STATUS_BY_NUMBER[self.latency.failure_code])

    def _check_role(self) -> None:
        identity = current_identity()
        if self.verifier is None or self.role is None or identity is None:
            return
        if not identity.has_role(self.role):
            raise PermissionDenied(
                message=f"{self.full_method} needs the role {self.role!r}; "
                f"{identity.username or identity.subject} has "
                f"{', '.join(sorted(r for r in identity.roles if r.startswith('rag-'))) or 'none'}",
                reason="ROLE_MISSING",
                metadata={"required_role": self.role},
            )

    def _checked(self, request: Any, streaming_request: bool) -> Any:
        if streaming_request:
            return _checked_stream(request)
        if isinstance(request, _MalformedRequest):
            raise _malformed(request)
        return request

    async def _begin(
        self, context: grpc.aio.ServicerContext[Any, Any]
    ) -> tuple[Any, float, ServerSpan | None]:
        started = time.perf_counter()
        metadata = {k: v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}
        remaining = context.time_remaining()
        call = CallContext(
            request_id=metadata.get(REQUEST_ID_HEADER) or new_request_id(),
            method=self.full_method,
            authorization=metadata.get("authorization"),
            deadline=time.monotonic() + remaining if remaining is not None else None,
            metadata=metadata,
        )
        token = set_current_call(call)
        # The span is current from here on: log lines and downstream calls carry its ids.
        span = (
            self.tracing.server_span(self.full_method, self.service, self.method, metadata)
            if self.tracing is not None
            else None
        )
        IN_FLIGHT.labels(self.service).inc()
        if self.load is not None:
            self.load.started()
            context.set_trailing_metadata(
                ((REQUEST_ID_HEADER, call.request_id), (LOAD_REPORT_HEADER, self.load.report()))
            )
        else:
            context.set_trailing_metadata(((REQUEST_ID_HEADER, call.request_id),))
        if self.latency is not None and self.latency.seconds > 0:
            try:
                await self.latency.delay()
            except BaseException:
                if span is not None:
                    span.finish(grpc.StatusCode.CANCELLED)
                raise
        return token, started, span

    def _classify(
        self, exc: BaseException, context: grpc.aio.ServicerContext[Any, Any]
    ) -> grpc.StatusCode:
        if isinstance(exc, DomainError):
            code = grpc_code(exc)
            log.info(
                "%s failed: %s",
                self.full_method,
                exc.message,
                extra={"code": code.name, "service": self.service, "method": self.method},
            )
            return code
        if isinstance(exc, asyncio.CancelledError):
            return grpc.StatusCode.CANCELLED
        if isinstance(exc, _InjectedFailure):
            return exc.code
        if isinstance(exc, grpc.aio.AbortError):
            code = context.code()
            return code if isinstance(code, grpc.StatusCode) else grpc.StatusCode.UNKNOWN
        # Unexpected: the trace goes to our log, never to the client.
        log.exception("%s crashed", self.full_method)
        return grpc.StatusCode.INTERNAL

    async def _abort_for(
        self, exc: BaseException, context: grpc.aio.ServicerContext[Any, Any]
    ) -> None:
        """Turn the exception into the status the client sees (abort raises AbortError)."""
        call = current_call()
        if isinstance(exc, DomainError):
            trailers = status_trailers(exc)
            if call is not None:
                trailers += ((REQUEST_ID_HEADER, call.request_id),)
            await context.abort(grpc_code(exc), exc.message, trailing_metadata=trailers)
        if isinstance(exc, (asyncio.CancelledError, grpc.aio.AbortError)):
            return
        if isinstance(exc, _InjectedFailure):
            await context.abort(exc.code, "test-only failure mode")
        if isinstance(exc, Exception):
            await context.abort(
                grpc.StatusCode.INTERNAL,
                "internal error; quote this request id to the operator: "
                + (call.request_id if call else "unknown"),
            )

    def _end(
        self,
        started: float,
        code: grpc.StatusCode,
        token: Any,
        who: Any,
        span: ServerSpan | None = None,
    ) -> None:
        elapsed = time.perf_counter() - started
        self._audit(code)
        if who is not None:
            reset_current_identity(who)
        REQUESTS.labels(self.service, self.method, code.name).inc()
        DURATION.labels(self.service, self.method).observe(elapsed)
        IN_FLIGHT.labels(self.service).dec()
        if self.load is not None:
            self.load.finished()
        log.debug(
            "%s %s",
            self.full_method,
            code.name,
            extra={"code": code.name, "duration_ms": round(elapsed * 1000, 3)},
        )
        if span is not None:  # after the last log line, which should carry its ids
            span.finish(code)
        reset_current_call(token)

    def _audit(self, code: grpc.StatusCode) -> None:
        denied = code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED)
        if self.role is None or not (denied or self.role != READER):
            return
        identity: Identity | None = current_identity()
        audit.info(
            "%s %s by %s",
            self.full_method,
            "DENIED" if denied else code.name,
            identity.username if identity else "anonymous",
            extra={
                "audit": True,
                "method": self.full_method,
                "code": code.name,
                "user": identity.username if identity else "",
                "subject": identity.subject if identity else "",
                "client": identity.client_id if identity else "",
            },
        )


def _malformed(request: _MalformedRequest) -> InvalidArgument:
    return InvalidArgument(
        message=f"request is not a valid protobuf message for this method: {request.error}",
        reason="MALFORMED_REQUEST",
    )


async def _checked_stream(requests: AsyncIterator[Any]) -> AsyncIterator[Any]:
    async for request in requests:
        if isinstance(request, _MalformedRequest):
            raise _malformed(request)
        yield request

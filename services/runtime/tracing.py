"""Distributed tracing: W3C trace context over gRPC metadata, server spans, OTLP export.

Off by default and free when off: without ``RAGMESH_OTLP_ENDPOINT`` no tracer exists, the
server interceptor starts no span and reads no header, and nothing is injected downstream.

When on, each rag.v1 call runs inside a SERVER span whose parent comes from the incoming
``traceparent``/``tracestate`` (Envoy's span when the call came through Envoy), calls to
other services carry the current span's context (Envoy continues it), and spans are
batched to an OTLP/gRPC collector from a background thread; a collector that is down
costs dropped spans, never a slow or failed call.

The tracer provider is this module's own, not OpenTelemetry's global one: a process (or a
test) can hold several, and libraries that trace through the global API stay silent.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping, MutableSequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import grpc
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from services.runtime.settings import RuntimeSettings, parse_otlp_endpoint

if TYPE_CHECKING:  # the SDK and exporter load only when tracing is turned on
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

log = logging.getLogger(__name__)

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
# Only our own contracts: health checks (every 2 s per replica from Envoy), reflection and
# the control plane's xDS/access-log streams would be noise, or spans that never end.
TRACED_PREFIX = "/rag."
# Server-side statuses that mean the server failed (OpenTelemetry's gRPC conventions); a
# caller's mistake (INVALID_ARGUMENT, NOT_FOUND...) leaves the span's status unset.
_SERVER_ERRORS = frozenset(
    {
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)
_PROPAGATOR = TraceContextTextMapPropagator()


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# --- propagation --------------------------------------------------------------------


def extract(metadata: Mapping[str, str]) -> Context:
    """The remote parent carried by incoming metadata (an empty context when there is none)."""
    return _PROPAGATOR.extract(metadata)


def inject(metadata: MutableSequence[tuple[str, str]] | grpc.aio.Metadata) -> None:
    """Add the current span's ``traceparent``/``tracestate`` to outgoing metadata.

    Does nothing outside a traced call, or when the caller already set a traceparent.
    """
    if not trace.get_current_span().get_span_context().is_valid:
        return
    if any(key == TRACEPARENT for key, _ in metadata):
        return
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    for key, value in carrier.items():
        if isinstance(metadata, grpc.aio.Metadata):
            metadata.add(key, value)
        else:
            metadata.append((key, value))


def current_ids() -> tuple[str, str]:
    """(trace_id, span_id) of the current span in W3C hex, or empty strings outside one."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return "", ""
    return format(span_context.trace_id, "032x"), format(span_context.span_id, "016x")


# --- server spans and the process's tracer ---------------------------------------------


class ServerSpan:
    """One incoming call's span, current (for logs and downstream calls) until finished."""

    def __init__(self, span: trace.Span, parent: Context) -> None:
        self.span = span
        self._token = otel_context.attach(trace.set_span_in_context(span, parent))

    def finish(self, code: grpc.StatusCode) -> None:
        self.span.set_attribute("rpc.grpc.status_code", code.value[0])
        if code in _SERVER_ERRORS:
            self.span.set_status(Status(StatusCode.ERROR, code.name))
        # The call may end in another context (a cancelled stream); the span must end anyway.
        try:
            otel_context.detach(self._token)
        finally:
            self.span.end()


@dataclass
class Tracing:
    """This process's tracer, its exporter pipeline and the replica stamped on its spans."""

    provider: TracerProvider
    replica: str

    @property
    def tracer(self) -> trace.Tracer:
        return self.provider.get_tracer("ragmesh.rpc")

    def server_span(
        self, full_method: str, service: str, method: str, metadata: Mapping[str, str]
    ) -> ServerSpan:
        parent = extract(metadata)
        span = self.tracer.start_span(
            full_method,
            context=parent,
            kind=SpanKind.SERVER,
            attributes={
                "rpc.system": "grpc",
                "rpc.service": service,
                "rpc.method": method,
                "ragmesh.replica": self.replica,
            },
        )
        return ServerSpan(span, parent)

    def shutdown(self) -> None:
        """Export what is buffered and stop the exporter thread (blocking; bounded by timeouts)."""
        self.provider.shutdown()


def configure_tracing(
    settings: RuntimeSettings, service_name: str, exporter: SpanExporter | None = None
) -> Tracing | None:
    """The tracer for this process, or None when no OTLP endpoint is configured.

    ``exporter`` replaces the OTLP exporter (tests).
    """
    if not settings.otlp_endpoint and exporter is None:
        return None
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    resource = Resource.create(
        {"service.name": service_name, "service.instance.id": settings.replica_id or "unnamed"}
    )
    provider = TracerProvider(
        # Follow the caller's decision (Envoy's, at the edge); sample our own roots by ratio.
        sampler=ParentBased(TraceIdRatioBased(settings.trace_sample_ratio)),
        resource=resource,
        # Whoever configured it flushes it on stop (ServiceHost, Supervisor), not atexit.
        shutdown_on_exit=False,
    )
    if exporter is None:
        host, port = parse_otlp_endpoint(settings.otlp_endpoint)
        exporter = OTLPSpanExporter(
            endpoint=f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
            insecure=True,
            timeout=settings.otlp_timeout_s,
        )
    provider.add_span_processor(
        BatchSpanProcessor(
            exporter,
            schedule_delay_millis=settings.trace_export_interval_ms,
            export_timeout_millis=settings.otlp_timeout_s * 1000,
        )
    )
    log.info(
        "tracing on: spans of %s go to %s (sample ratio %s)",
        service_name,
        settings.otlp_endpoint or "a test exporter",
        settings.trace_sample_ratio,
    )
    return Tracing(provider, settings.replica_id)

"""A test OTLP/gRPC trace collector: implements TraceService/Export and keeps every span.

Runs a plain (threaded) gRPC server on 127.0.0.1, so it serves whichever event loop the
test runs in, and Envoy and service replicas in other processes can export to it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1 import common_pb2


@dataclass(frozen=True)
class CollectedSpan:
    """One exported span, flattened with the service that sent it; ids in W3C hex."""

    service: str
    trace_id: str
    span_id: str
    parent_span_id: str  # "" for a root span
    name: str
    kind: int  # opentelemetry.proto.trace.v1.Span.SpanKind
    attributes: dict[str, Any] = field(default_factory=dict)
    status_code: int = 0


def _value(value: common_pb2.AnyValue) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


class _TraceService(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, sink: TestTraceCollector) -> None:
        self._sink = sink

    def Export(
        self, request: trace_service_pb2.ExportTraceServiceRequest, context: Any
    ) -> trace_service_pb2.ExportTraceServiceResponse:
        spans = []
        for resource_spans in request.resource_spans:
            resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
            service = str(resource.get("service.name", ""))
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    spans.append(
                        CollectedSpan(
                            service=service,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_span_id=span.parent_span_id.hex(),
                            name=span.name,
                            kind=span.kind,
                            attributes={a.key: _value(a.value) for a in span.attributes},
                            status_code=span.status.code,
                        )
                    )
        self._sink.add(spans)
        return trace_service_pb2.ExportTraceServiceResponse()


class TestTraceCollector:
    """Start with ``start()``; ``endpoint`` is HOST:PORT; ``stop()`` in teardown."""

    __test__ = False  # a helper, not a pytest test class

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spans: list[CollectedSpan] = []
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        add = trace_service_pb2_grpc.add_TraceServiceServicer_to_server  # untyped generated code
        add(_TraceService(self), self._server)  # type: ignore[no-untyped-call]
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self.exports = 0

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> TestTraceCollector:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop(grace=None)

    def add(self, spans: list[CollectedSpan]) -> None:
        with self._lock:
            self._spans.extend(spans)
            self.exports += 1

    def spans(self, trace_id: str | None = None) -> list[CollectedSpan]:
        with self._lock:
            return [s for s in self._spans if trace_id is None or s.trace_id == trace_id]

    async def wait_for(
        self,
        predicate: Callable[[list[CollectedSpan]], bool],
        within_s: float = 30.0,
        trace_id: str | None = None,
    ) -> list[CollectedSpan]:
        """Poll until ``predicate(spans)`` holds (exporters batch); raise with what arrived."""
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            spans = self.spans(trace_id)
            if predicate(spans):
                return spans
            await asyncio.sleep(0.1)
        got = sorted({(s.service, s.name) for s in self.spans(trace_id)})
        raise TimeoutError(f"spans did not arrive within {within_s}s; got {got}")

"""Tracing: W3C propagation in and out of the runtime, server spans, log ids, OTLP export.

In-process gRPC servers behind the real ServiceInterceptor; spans land in the SDK's
in-memory exporter, or (for the OTLP path) in a test collector over real gRPC.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import grpc
import pytest
from envoy.config.trace.v3 import opentelemetry_pb2
from envoy.extensions.filters.network.http_connection_manager.v3 import (
    http_connection_manager_pb2 as hcm_pb2,
)
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanContext, SpanKind, TraceFlags, TraceState
from pydantic import ValidationError

from mesh.catalog import CATALOG
from mesh.local.supervisor import Supervisor, UpSettings
from mesh.xds.cache import CLUSTER_TYPE
from mesh.xds.resources import OTLP_COLLECTOR_CLUSTER, MeshSettings, build_resources, listener
from rag.v1 import embedding_pb2, embedding_pb2_grpc, rag_pb2, rag_pb2_grpc
from ragmesh import cli
from services.runtime import logs
from services.runtime.downstream import calling, mesh_channel, propagated_call_details
from services.runtime.interceptors import ServiceInterceptor
from services.runtime.metrics import LatencyInjector
from services.runtime.server import RpcContext, ServiceBinding, create_server
from services.runtime.settings import RuntimeSettings, parse_otlp_endpoint
from services.runtime.tracing import TRACEPARENT as TRACEPARENT_KEY
from services.runtime.tracing import (
    Tracing,
    configure_tracing,
    current_ids,
    extract,
    inject,
)
from tests.support.otlp_collector import TestTraceCollector
from tests.support.probe_service import probe_binding

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"


def remote_parent(sampled: bool = True) -> trace.NonRecordingSpan:
    return trace.NonRecordingSpan(
        SpanContext(
            trace_id=int(TRACE_ID, 16),
            span_id=int(PARENT_ID, 16),
            is_remote=True,
            trace_flags=TraceFlags(TraceFlags.SAMPLED if sampled else 0),
            trace_state=TraceState([("vendor", "value")]),
        )
    )


# --- propagation ------------------------------------------------------------------------


def test_extract_reads_the_w3c_parent_from_metadata() -> None:
    parent = trace.get_current_span(extract({TRACEPARENT_KEY: TRACEPARENT, "tracestate": "a=1"}))
    ctx = parent.get_span_context()
    assert ctx.is_valid and ctx.is_remote
    assert format(ctx.trace_id, "032x") == TRACE_ID
    assert format(ctx.span_id, "016x") == PARENT_ID
    assert ctx.trace_flags.sampled
    assert ctx.trace_state.get("a") == "1"


@pytest.mark.parametrize(
    "metadata",
    [
        {},
        {TRACEPARENT_KEY: "garbage"},
        # all-zero trace id is invalid by the W3C spec
        {TRACEPARENT_KEY: f"00-{'0' * 32}-{PARENT_ID}-01"},
    ],
)
def test_extract_without_a_valid_parent_gives_no_span(metadata: dict[str, str]) -> None:
    assert not trace.get_current_span(extract(metadata)).get_span_context().is_valid


def test_inject_writes_the_current_span_and_its_state() -> None:
    metadata: list[tuple[str, str]] = [("x-request-id", "r1")]
    with trace.use_span(remote_parent()):
        inject(metadata)
    values = dict(metadata)
    assert values[TRACEPARENT_KEY] == TRACEPARENT
    assert values["tracestate"] == "vendor=value"
    assert values["x-request-id"] == "r1"


def test_inject_outside_a_span_adds_nothing() -> None:
    metadata: list[tuple[str, str]] = []
    inject(metadata)
    assert metadata == []


def test_inject_keeps_a_traceparent_the_caller_set() -> None:
    mine = f"00-{'1' * 32}-{'2' * 16}-01"
    metadata = grpc.aio.Metadata((TRACEPARENT_KEY, mine))
    with trace.use_span(remote_parent()):
        inject(metadata)
    assert metadata.get_all(TRACEPARENT_KEY) == [mine]


def test_downstream_call_details_carry_the_current_trace() -> None:
    details = grpc.aio.ClientCallDetails(
        method="/rag.v1.EmbeddingService/Embed",
        timeout=None,
        metadata=None,
        credentials=None,
        wait_for_ready=None,
    )
    outside = propagated_call_details(details, default_timeout=5.0)
    assert outside.metadata is not None and outside.metadata.get_all(TRACEPARENT_KEY) == []
    with trace.use_span(remote_parent()):
        inside = propagated_call_details(details, default_timeout=5.0)
    assert inside.metadata is not None
    assert inside.metadata[TRACEPARENT_KEY] == TRACEPARENT


# --- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("127.0.0.1:4317", ("127.0.0.1", 4317)),
        ("http://collector.observability:4317/", ("collector.observability", 4317)),
        ("[::1]:4317", ("::1", 4317)),
    ],
)
def test_otlp_endpoint_forms(endpoint: str, expected: tuple[str, int]) -> None:
    assert parse_otlp_endpoint(endpoint) == expected


@pytest.mark.parametrize("endpoint", ["collector", "collector:http", ":4317", "h:0", "h:70000"])
def test_bad_otlp_endpoint_is_refused_with_the_expected_form(endpoint: str) -> None:
    with pytest.raises(ValidationError, match="HOST:PORT"):
        RuntimeSettings(otlp_endpoint=endpoint)


def test_tracing_is_off_without_an_endpoint() -> None:
    assert RuntimeSettings().otlp_endpoint == ""
    assert configure_tracing(RuntimeSettings(), "rag.v1.EmbeddingService") is None


# --- server spans through the real interceptor -------------------------------------------


@dataclass
class Traced:
    tracing: Tracing
    exporter: InMemorySpanExporter

    def spans(self) -> list[ReadableSpan]:
        self.tracing.provider.force_flush()
        return list(self.exporter.get_finished_spans())


def traced(replica: str, ratio: float = 1.0) -> Traced:
    exporter = InMemorySpanExporter()
    settings = RuntimeSettings(replica_id=replica, trace_sample_ratio=ratio)
    tracing = configure_tracing(settings, f"svc-{replica}", exporter=exporter)
    assert tracing is not None
    return Traced(tracing, exporter)


class RelayServicer(rag_pb2_grpc.RagServiceServicer):
    """Ask -> Embed on another server through mesh_channel; answers with the ids it saw."""

    def __init__(self, target: str) -> None:
        self._channel = mesh_channel(RuntimeSettings(), target=target)

    async def Ask(self, request: rag_pb2.AskRequest, context: RpcContext) -> rag_pb2.AskResponse:
        trace_id, span_id = current_ids()
        logging.getLogger("ragmesh.test").info("relaying %s", request.question)
        with calling("embedding"):
            await embedding_pb2_grpc.EmbeddingServiceStub(self._channel).Embed(
                embedding_pb2.EmbedRequest(texts=[request.question]), timeout=5
            )
        return rag_pb2.AskResponse(answer=f"{trace_id}/{span_id}")


async def serve(binding: ServiceBinding, tracing: Tracing | None) -> tuple[grpc.aio.Server, str]:
    server = grpc.aio.server(interceptors=[ServiceInterceptor(LatencyInjector(), None, tracing)])
    binding.add_to_server(binding.servicer, server)
    health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, f"127.0.0.1:{port}"


@dataclass
class Pair:
    front: Traced
    back: Traced
    front_address: str
    back_address: str


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    front, back = traced("front-0"), traced("back-0")
    back_server, back_address = await serve(probe_binding(), back.tracing)
    relay = RelayServicer(back_address)  # type: ignore[abstract]  # Ask is all it needs
    binding = ServiceBinding(
        "rag.v1.RagService", relay, rag_pb2_grpc.add_RagServiceServicer_to_server
    )
    front_server, front_address = await serve(binding, front.tracing)
    yield Pair(front, back, front_address, back_address)
    await front_server.stop(0)
    await back_server.stop(0)
    front.tracing.shutdown()
    back.tracing.shutdown()


async def ask(address: str, question: str, traceparent: str | None = None) -> str:
    metadata = ((TRACEPARENT_KEY, traceparent),) if traceparent else None
    async with grpc.aio.insecure_channel(address) as channel:
        response = await rag_pb2_grpc.RagServiceStub(channel).Ask(
            rag_pb2.AskRequest(question=question), metadata=metadata, timeout=10
        )
    return response.answer


async def test_a_call_continues_the_callers_trace_across_two_hops(pair: Pair) -> None:
    seen = await ask(pair.front_address, "hello", TRACEPARENT)
    [front] = pair.front.spans()
    [back] = pair.back.spans()
    # The handler ran inside the front span (that is what logs and downstream calls see).
    assert seen == f"{TRACE_ID}/{format(front.context.span_id, '016x')}"
    assert front.context.trace_id == back.context.trace_id == int(TRACE_ID, 16)
    assert front.parent is not None and front.parent.span_id == int(PARENT_ID, 16)
    assert back.parent is not None and back.parent.span_id == front.context.span_id
    assert front.kind == back.kind == SpanKind.SERVER
    assert front.name == "/rag.v1.RagService/Ask"
    assert dict(front.attributes or {}) == {
        "rpc.system": "grpc",
        "rpc.service": "rag.v1.RagService",
        "rpc.method": "Ask",
        "rpc.grpc.status_code": 0,
        "ragmesh.replica": "front-0",
    }
    assert (back.attributes or {})["ragmesh.replica"] == "back-0"
    assert back.resource.attributes["service.name"] == "svc-back-0"


async def test_a_call_without_traceparent_starts_a_new_trace(pair: Pair) -> None:
    await ask(pair.front_address, "hello")
    [front] = pair.front.spans()
    [back] = pair.back.spans()
    assert front.parent is None
    assert format(front.context.trace_id, "032x") != TRACE_ID
    assert back.context.trace_id == front.context.trace_id


@pytest.mark.parametrize(
    ("question", "code", "is_error"),
    [
        ("crash", grpc.StatusCode.INTERNAL, True),
        ("invalid", grpc.StatusCode.INVALID_ARGUMENT, False),
    ],
)
async def test_span_status_follows_the_grpc_code(
    pair: Pair, question: str, code: grpc.StatusCode, is_error: bool
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await ask(pair.front_address, question)
    assert err.value.code() == code
    for span in (*pair.front.spans(), *pair.back.spans()):
        assert (span.attributes or {})["rpc.grpc.status_code"] == code.value[0]
        assert (span.status.status_code == trace.StatusCode.ERROR) is is_error


async def test_health_checks_are_not_traced(pair: Pair) -> None:
    async with grpc.aio.insecure_channel(pair.back_address) as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=""), timeout=5
        )
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    assert pair.back.spans() == []


async def test_sampling_ratio_applies_to_new_traces_only() -> None:
    never = traced("rare-0", ratio=0.0)
    server, address = await serve(probe_binding(), never.tracing)
    try:
        async with grpc.aio.insecure_channel(address) as channel:
            stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
            await stub.Embed(embedding_pb2.EmbedRequest(texts=["a"]), timeout=5)
            assert never.spans() == []
            # A caller (Envoy) that sampled the trace wins over our ratio.
            await stub.Embed(
                embedding_pb2.EmbedRequest(texts=["b"]),
                metadata=((TRACEPARENT_KEY, TRACEPARENT),),
                timeout=5,
            )
        [span] = never.spans()
        assert format(span.context.trace_id, "032x") == TRACE_ID
    finally:
        await server.stop(0)
        never.tracing.shutdown()


async def test_tracing_off_means_no_span_even_with_a_traceparent() -> None:
    front_back, back_address = await serve(probe_binding(), None)
    relay = RelayServicer(back_address)  # type: ignore[abstract]  # Ask is all it needs
    binding = ServiceBinding(
        "rag.v1.RagService", relay, rag_pb2_grpc.add_RagServiceServicer_to_server
    )
    front, front_address = await serve(binding, None)
    try:
        assert await ask(front_address, "hello", TRACEPARENT) == "/"
    finally:
        await front.stop(0)
        await front_back.stop(0)


# --- logs ---------------------------------------------------------------------------------


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs._CallFilter("front-0"))
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


async def test_log_lines_in_a_call_carry_its_trace_and_span_ids(
    pair: Pair, json_log: io.StringIO
) -> None:
    await ask(pair.front_address, "hello", TRACEPARENT)
    [front] = pair.front.spans()
    entries = [json.loads(line) for line in json_log.getvalue().splitlines()]
    [relay] = [e for e in entries if e["msg"] == "relaying hello"]
    assert relay["trace_id"] == TRACE_ID
    assert relay["span_id"] == format(front.context.span_id, "016x")
    assert relay["replica"] == "front-0"


def test_log_lines_outside_a_trace_have_no_trace_fields(json_log: io.StringIO) -> None:
    logging.getLogger("ragmesh.test").info("idle")
    [entry] = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert "trace_id" not in entry and "span_id" not in entry


# --- OTLP export for real -------------------------------------------------------------


async def test_create_server_exports_spans_over_otlp_to_a_collector() -> None:
    # Also proves the installed opentelemetry-proto is the real one (xds-protos ships stale
    # copies of it; the Makefile reinstalls it): the exporter serializes with it.
    collector = TestTraceCollector().start()
    try:
        settings = RuntimeSettings(
            port=0, metrics_port=-1, replica_id="probe-0", otlp_endpoint=collector.endpoint
        )
        host = await create_server([probe_binding()], settings)
        await host.start()
        try:
            async with grpc.aio.insecure_channel(host.address) as channel:
                await embedding_pb2_grpc.EmbeddingServiceStub(channel).Embed(
                    embedding_pb2.EmbedRequest(texts=["x"]),
                    metadata=((TRACEPARENT_KEY, TRACEPARENT),),
                    timeout=5,
                )
        finally:
            await host.stop(grace=0)  # flushes what is buffered
        [span] = collector.spans(TRACE_ID)
        assert span.service == "rag.v1.EmbeddingService"
        assert span.name == "/rag.v1.EmbeddingService/Embed"
        assert span.parent_span_id == PARENT_ID
        assert span.attributes["ragmesh.replica"] == "probe-0"
        assert span.attributes["rpc.grpc.status_code"] == 0
    finally:
        collector.stop()


async def test_a_collector_that_is_down_does_not_fail_calls() -> None:
    from tests.support.processes import free_port

    settings = RuntimeSettings(
        port=0,
        metrics_port=-1,
        otlp_endpoint=f"127.0.0.1:{free_port()}",
        otlp_timeout_s=1.0,
        trace_export_interval_ms=50,
    )
    host = await create_server([probe_binding()], settings)
    await host.start()
    try:
        async with grpc.aio.insecure_channel(host.address) as channel:
            stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
            for _ in range(3):
                reply = await stub.Embed(embedding_pb2.EmbedRequest(texts=["x"]), timeout=5)
                assert reply.model_id == "probe"
    finally:
        await host.stop(grace=0)


# --- Envoy config, supervisor and CLI wiring --------------------------------------------


def _manager(settings: MeshSettings) -> hcm_pb2.HttpConnectionManager:
    manager = hcm_pb2.HttpConnectionManager()
    listener(CATALOG, settings).filter_chains[0].filters[0].typed_config.Unpack(manager)
    return manager


def test_envoy_traces_only_when_a_collector_is_configured() -> None:
    off = MeshSettings()
    assert not _manager(off).HasField("tracing")
    assert OTLP_COLLECTOR_CLUSTER not in {
        c.name  # type: ignore[attr-defined]
        for c in build_resources(CATALOG, [], {}, off)[CLUSTER_TYPE]
    }

    on = MeshSettings(otlp_endpoint="10.0.0.7:4317", trace_sample_ratio=0.25)
    tracing = _manager(on).tracing
    assert tracing.provider.name == "envoy.tracers.opentelemetry"
    assert tracing.random_sampling.value == 25.0
    assert tracing.spawn_upstream_span.value
    config = opentelemetry_pb2.OpenTelemetryConfig()
    tracing.provider.typed_config.Unpack(config)
    assert config.grpc_service.envoy_grpc.cluster_name == OTLP_COLLECTOR_CLUSTER
    [collector] = [
        c
        for c in build_resources(CATALOG, [], {}, on)[CLUSTER_TYPE]
        if c.name == OTLP_COLLECTOR_CLUSTER  # type: ignore[attr-defined]
    ]
    address = collector.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address  # type: ignore[attr-defined]
    assert (address.socket_address.address, address.socket_address.port_value) == (
        "10.0.0.7",
        4317,
    )


def test_supervisor_gives_envoy_and_every_replica_the_same_collector() -> None:
    supervisor = Supervisor(UpSettings(otlp_endpoint="127.0.0.1:4317", trace_sample_ratio=0.5))
    assert supervisor.control_plane.settings.otlp_endpoint == "127.0.0.1:4317"
    assert supervisor.tracing_env() == {
        "RAGMESH_OTLP_ENDPOINT": "127.0.0.1:4317",
        "RAGMESH_TRACE_SAMPLE_RATIO": "0.5",
    }
    # Off is explicit, so a replica never inherits an endpoint from the caller's shell.
    assert Supervisor(UpSettings()).tracing_env()["RAGMESH_OTLP_ENDPOINT"] == ""


def test_cli_refuses_a_bad_otlp_endpoint_before_starting_anything() -> None:
    with pytest.raises(SystemExit, match=r"--otlp-endpoint: .*HOST:PORT"):
        cli.main(["up", "--no-auth", "--otlp-endpoint", "https://collector"])

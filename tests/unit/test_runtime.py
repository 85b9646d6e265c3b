"""The shared service runtime, with in-process servers (and one real process for SIGTERM)."""

from __future__ import annotations

import asyncio
import shutil
import time
import urllib.request
from collections.abc import AsyncIterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status
from prometheus_client import REGISTRY

from rag.v1 import embedding_pb2, embedding_pb2_grpc
from services.runtime.call_context import CallContext, reset_current_call, set_current_call
from services.runtime.downstream import propagated_call_details
from services.runtime.errors import DeadlineExceeded
from services.runtime.server import ServiceHost, create_server
from services.runtime.settings import RuntimeSettings
from tests.support.probe_service import SERVICE_NAME, probe_binding
from tests.support.processes import REPO, ServiceProcess

SETTINGS = RuntimeSettings(port=0, metrics_port=0, grace_period_s=5.0)


@pytest.fixture
async def host() -> AsyncIterator[ServiceHost]:
    server = await create_server([probe_binding()], SETTINGS)
    await server.start()
    yield server
    await server.stop(grace=0)


async def embed(address: str, *texts: str, deadline_s: float = 10) -> embedding_pb2.EmbedResponse:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        return await stub.Embed(embedding_pb2.EmbedRequest(texts=list(texts)), timeout=deadline_s)


async def health_status(address: str, service: str) -> int:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        response = await stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        return int(response.status)


def counter(service: str, method: str, code: str) -> float:
    value = REGISTRY.get_sample_value(
        "rag_requests_total", {"service": service, "method": method, "code": code}
    )
    return value or 0.0


async def test_health_turns_not_serving_on_shutdown() -> None:
    settings = RuntimeSettings(port=0, metrics_port=-1, drain_delay_s=1.0, grace_period_s=1.0)
    server = await create_server([probe_binding()], settings)
    await server.start()
    assert (
        await health_status(server.address, SERVICE_NAME) == health_pb2.HealthCheckResponse.SERVING
    )
    assert await health_status(server.address, "") == health_pb2.HealthCheckResponse.SERVING
    stopping = asyncio.create_task(server.stop())
    await asyncio.sleep(0.3)  # inside the drain delay: still answering, but NOT_SERVING
    assert (
        await health_status(server.address, SERVICE_NAME)
        == health_pb2.HealthCheckResponse.NOT_SERVING
    )
    await stopping


async def test_unknown_service_health_is_not_found(host: ServiceHost) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await health_status(host.address, "rag.v1.NoSuchService")
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.skipif(
    not (shutil.which("grpcurl") or (REPO / ".venv/bin/grpcurl").exists()),
    reason="grpcurl is installed by `make setup`",
)
async def test_reflection_lists_and_describes_with_real_grpcurl(host: ServiceHost) -> None:
    grpcurl = shutil.which("grpcurl") or str(REPO / ".venv/bin/grpcurl")

    async def run(*args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            grpcurl, "-plaintext", *args, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 0, out.decode()
        return out.decode()

    listing = await run(host.address, "list")
    assert SERVICE_NAME in listing.split()
    assert "grpc.health.v1.Health" in listing.split()
    described = await run(host.address, "describe", SERVICE_NAME)
    assert "rpc Embed ( .rag.v1.EmbedRequest ) returns ( .rag.v1.EmbedResponse )" in described
    assert "rpc GetModel" in described
    message = await run(host.address, "describe", "rag.v1.EmbedRequest")
    assert "repeated string texts = 1;" in message
    method = await run(host.address, "describe", f"{SERVICE_NAME}.Embed")
    assert "rpc Embed ( .rag.v1.EmbedRequest ) returns ( .rag.v1.EmbedResponse )" in method
    assert "required_role" in method  # the role option travels with the contract


async def test_metrics_count_and_time_calls_with_labels(host: ServiceHost) -> None:
    ok_before = counter(SERVICE_NAME, "Embed", "OK")
    bad_before = counter(SERVICE_NAME, "Embed", "INVALID_ARGUMENT")
    hist_before = (
        REGISTRY.get_sample_value(
            "rag_request_duration_seconds_count", {"service": SERVICE_NAME, "method": "Embed"}
        )
        or 0.0
    )
    await embed(host.address, "a")
    await embed(host.address, "b")
    with pytest.raises(grpc.aio.AioRpcError):
        await embed(host.address, "invalid")
    assert counter(SERVICE_NAME, "Embed", "OK") - ok_before == 2
    assert counter(SERVICE_NAME, "Embed", "INVALID_ARGUMENT") - bad_before == 1
    hist_after = REGISTRY.get_sample_value(
        "rag_request_duration_seconds_count", {"service": SERVICE_NAME, "method": "Embed"}
    )
    assert hist_after == hist_before + 3
    # And the same numbers are served over HTTP on the metrics port.
    body = await asyncio.to_thread(
        lambda: urllib.request.urlopen(f"http://127.0.0.1:{host.metrics_port}/metrics").read()
    )
    line = f'rag_requests_total{{code="INVALID_ARGUMENT",method="Embed",service="{SERVICE_NAME}"}}'
    assert line in body.decode()
    # Failure series exist before any failure, so the first ones show in rate().
    unused = f'rag_requests_total{{code="INTERNAL",method="GetModel",service="{SERVICE_NAME}"}}'
    assert unused in body.decode()


async def test_domain_error_maps_to_status_with_details(host: ServiceHost) -> None:
    async with grpc.aio.insecure_channel(host.address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        call = stub.Embed(embedding_pb2.EmbedRequest(texts=["invalid"]))
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await call
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details() == "texts[0]: the probe was asked to reject this"
    status = await rpc_status.aio.from_call(call)
    assert status is not None
    info = error_details_pb2.ErrorInfo()
    bad = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(info) and info.domain == "rag.v1"
    assert status.details[1].Unpack(bad) and bad.field_violations[0].field == "texts[0]"


async def test_unexpected_exception_is_internal_without_trace(host: ServiceHost) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await embed(host.address, "crash")
    assert err.value.code() == grpc.StatusCode.INTERNAL
    assert "secret" not in err.value.details()
    assert "Traceback" not in err.value.details()
    assert "request id" in err.value.details()


async def test_malformed_request_is_invalid_argument(host: ServiceHost) -> None:
    async with grpc.aio.insecure_channel(host.address) as channel:
        raw = channel.unary_unary("/rag.v1.EmbeddingService/Embed")
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await raw(b"\x0a\xff\xff\xff\xff", timeout=5)  # field 1, impossible length
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not a valid protobuf message" in err.value.details()


async def test_oversized_request_is_resource_exhausted() -> None:
    settings = RuntimeSettings(port=0, metrics_port=-1, max_message_bytes=4096)
    server = await create_server([probe_binding()], settings)
    await server.start()
    try:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await embed(server.address, "x" * 10_000)
        assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "larger than max" in err.value.details()
        assert (await embed(server.address, "small")).dimensions == 2  # still serving
    finally:
        await server.stop(grace=0)


async def test_test_only_latency_slows_calls_but_not_health(host: ServiceHost) -> None:
    host.latency.seconds = 0.3
    started = time.perf_counter()
    await embed(host.address, "a")
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    await health_status(host.address, SERVICE_NAME)
    assert time.perf_counter() - started < 0.3


async def test_test_only_latency_waits_in_parallel_but_computes_one_call_at_a_time(
    host: ServiceHost,
) -> None:
    """A waiting replica holds many slow calls at once; a computing one serves them in turn."""
    host.latency.seconds = 0.2
    elapsed = {}
    try:
        for busy in (False, True):
            host.latency.busy = busy
            started = time.perf_counter()
            await asyncio.gather(*(embed(host.address, f"call {i}") for i in range(4)))
            elapsed[busy] = time.perf_counter() - started
    finally:
        host.latency.seconds, host.latency.busy = 0.0, False
    assert elapsed[False] < 0.6, elapsed  # four 0.2 s sleeps overlap
    assert elapsed[True] >= 0.8, elapsed  # four 0.2 s spins cannot


def test_test_only_latency_http_knob_is_off_by_default_and_works_when_enabled() -> None:
    from services.runtime.metrics import LatencyInjector, MetricsEndpoint

    latency = LatencyInjector()
    for enabled in (False, True):
        endpoint = MetricsEndpoint("127.0.0.1", 0, latency if enabled else None)
        endpoint.start()
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{endpoint.port}/test-only/added-latency?ms=250", method="PUT"
            )
            if enabled:
                assert urllib.request.urlopen(request).status == 200
                assert latency.seconds == pytest.approx(0.25) and not latency.busy
                busy = urllib.request.Request(request.full_url + "&busy=1", method="PUT")
                assert urllib.request.urlopen(busy).status == 200
                assert latency.busy
                bad = urllib.request.Request(request.full_url + "&busy=yes", method="PUT")
                with pytest.raises(urllib.error.HTTPError) as err:
                    urllib.request.urlopen(bad)
                assert err.value.code == 400 and latency.busy
            else:
                with pytest.raises(urllib.error.HTTPError) as err:
                    urllib.request.urlopen(request)
                assert err.value.code == 404
        finally:
            endpoint.stop()


async def test_deadline_reaches_the_handler(host: ServiceHost) -> None:
    response = await embed(host.address, "deadline", deadline_s=4)
    remaining = float(response.model_id.split("=")[1])
    assert 2.0 < remaining <= 4.1  # clocks of client and server differ by microseconds


def test_downstream_calls_inherit_deadline_request_id_and_token() -> None:
    token = set_current_call(
        CallContext(
            request_id="req-1",
            authorization="Bearer abc",
            deadline=time.monotonic() + 2.0,
        )
    )
    try:
        details = grpc.aio.ClientCallDetails("/x/Y", None, None, None, None)
        out = propagated_call_details(details, default_timeout=30.0)
        assert out.timeout is not None and 1.5 < out.timeout <= 2.0
        assert ("x-request-id", "req-1") in list(out.metadata or ())
        assert ("authorization", "Bearer abc") in list(out.metadata or ())
    finally:
        reset_current_call(token)
    expired = set_current_call(CallContext(request_id="r2", deadline=time.monotonic() - 1))
    try:
        with pytest.raises(DeadlineExceeded):
            propagated_call_details(details, default_timeout=30.0)
    finally:
        reset_current_call(expired)


def test_settings_come_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAGMESH_PORT", "5051")
    monkeypatch.setenv("RAGMESH_TEST_ONLY_ADDED_LATENCY_MS", "12.5")
    settings = RuntimeSettings.from_env()
    assert settings.port == 5051
    assert settings.test_only_added_latency_ms == 12.5
    assert RuntimeSettings().test_only_added_latency_ms == 12.5
    monkeypatch.delenv("RAGMESH_TEST_ONLY_ADDED_LATENCY_MS")
    assert RuntimeSettings().test_only_added_latency_ms == 0.0


async def test_sigterm_lets_in_flight_call_finish_then_exits() -> None:
    proc = ServiceProcess(
        "tests.support.probe_service",
        {"RAGMESH_GRACE_PERIOD_S": "10", "RAGMESH_METRICS_PORT": "-1"},
    )
    await asyncio.to_thread(proc.wait_ready)
    try:
        in_flight = asyncio.create_task(embed(proc.address, "slow:1.5"))
        await asyncio.sleep(0.4)
        proc.terminate()
        response = await in_flight
        assert response.dimensions == 2
        code = await asyncio.to_thread(proc.proc.wait, 15)
        assert code == 0
        assert any("shutdown requested" in line for line in proc.output)
    finally:
        proc.stop()

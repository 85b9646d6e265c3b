"""Weights from every upstream attempt, three-state health and health through the front door,
with the real Envoy, control plane and replicas (started by the supervisor).

A replica whose health checks pass but which answers every call UNAVAILABLE (the test-only
failure mode) is seen by the control plane through Envoy's per-attempt log, although every
call the client makes succeeds (Envoy retries elsewhere): its weight falls to the floor and
it is not HEALTHY. Once it answers well again its weight comes back and it is HEALTHY.
Everything is polled for; nothing is timed.
"""

from __future__ import annotations

import asyncio
import contextlib
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mesh.balancing.endpoint_state import EndpointState
from mesh.catalog import CATALOG
from mesh.local.network import free_port
from mesh.local.supervisor import Replica, ServiceLaunch, Supervisor, UpSettings
from rag.v1 import (
    common_pb2,
    generation_pb2,
    generation_pb2_grpc,
    mesh_control_pb2,
    mesh_control_pb2_grpc,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

SERVICE = "rag.v1.GenerationService"
CLUSTER = CATALOG.by_name(SERVICE).cluster
REQUEST = generation_pb2.GenerateRequest(
    question="Which replica is failing?",
    contexts=[
        common_pb2.ScoredChunk(
            chunk=common_pb2.Chunk(id="m#0", document_id="m", text="Envoy logs every attempt."),
            score=1.0,
            rank=1,
        )
    ],
)


@pytest.fixture
async def mesh(tmp_path: Path) -> AsyncIterator[Supervisor]:
    supervisor = Supervisor(
        UpSettings(
            listener_port=free_port(),
            admin_port=free_port(),
            state_dir=tmp_path,
            drain_delay_s=0.0,
            services=[ServiceLaunch(SERVICE, "services.generation", replicas=3)],
            replica_env={
                "RAGMESH_TEST_ONLY_ADDED_LATENCY_MS": "1",
                "RAGMESH_TEST_ONLY_LATENCY_CONTROL": "true",
                "RAGMESH_LOG_LEVEL": "WARNING",
            },
        )
    )
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()


async def eventually(
    check: Callable[[], Awaitable[bool]],
    timeout_s: float,
    what: str,
    trace: Callable[[], str] | None = None,
) -> None:
    """Polls `check`; on time-out the error carries what `trace` said once a second, so a
    failure in CI says where it got stuck."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    seen: list[str] = []
    while loop.time() < start + timeout_s:
        if await check():
            return
        if trace is not None and loop.time() - start >= len(seen):
            seen.append(f"{loop.time() - start:5.1f}s {trace()}")
        await asyncio.sleep(0.2)
    raise AssertionError(f"not within {timeout_s}s: {what}" + "".join(f"\n  {s}" for s in seen))


def set_failure(replica: Replica, code: int) -> None:
    url = f"http://127.0.0.1:{replica.metrics_port}/test-only/failure?code={code}"
    with urllib.request.urlopen(urllib.request.Request(url, method="PUT"), timeout=5) as r:
        r.read()


@contextlib.asynccontextmanager
async def steady_calls(address: str, failures: list[str]) -> AsyncIterator[list[int]]:
    """Four callers through Envoy until the block ends; yields a one-item call counter."""
    count = [0]
    stop = asyncio.Event()

    async def caller(stub: generation_pb2_grpc.GenerationServiceStub) -> None:
        while not stop.is_set():
            try:
                await stub.Generate(REQUEST, timeout=5)
            except grpc.aio.AioRpcError as error:
                failures.append(f"{error.code().name}: {error.details()}")
            count[0] += 1
            # A steady load (~4 x 100/s), not as fast as possible: the control plane under test
            # shares this process's event loop, and a client starving it is not what we test.
            await asyncio.sleep(0.01)

    async with grpc.aio.insecure_channel(address) as channel:
        stub = generation_pb2_grpc.GenerationServiceStub(channel)
        tasks = [asyncio.create_task(caller(stub)) for _ in range(4)]
        try:
            yield count
        finally:
            stop.set()
            await asyncio.gather(*tasks)


async def list_endpoints(address: str) -> dict[str, mesh_control_pb2.Endpoint]:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(channel)
        response = await stub.ListEndpoints(
            mesh_control_pb2.ListEndpointsRequest(service_name=SERVICE), timeout=5
        )
    return {e.address: e for e in response.endpoints}


async def test_a_replica_failing_every_call_loses_its_weight_and_wins_it_back(
    mesh: Supervisor,
) -> None:
    plane = mesh.control_plane
    replicas = [r for r in mesh.replicas if r.launch.service == SERVICE]
    failing = replicas[-1]
    key = next(
        s.endpoint.key for s in plane.endpoint_status(CLUSTER) if s.endpoint.port == failing.port
    )
    failures: list[str] = []

    def status() -> tuple[int, EndpointState, str]:
        (s,) = [s for s in plane.endpoint_status(CLUSTER) if s.endpoint.key == key]
        return s.weight, s.state, s.state_reason

    def trace() -> str:
        weight, state, reason = status()
        peers = sorted(s.weight for s in plane.endpoint_status(CLUSTER) if s.endpoint.key != key)
        st = plane.observer.stats(key)
        seen = (
            f"errors {st.error_ratio:.3f} mass {st.sample_mass:.2f} latency {st.latency_s} "
            f"attempts {st.requests_total}"
            if st
            else "nothing observed"
        )
        return f"weight {weight} (peers {peers}) {state.value} {reason!r}; {seen}; calls {calls[0]}"

    async with steady_calls(mesh.envoy_address, failures) as calls:
        await eventually(lambda: _true(calls[0] > 50), 30, "calls flowing")
        assert status()[0] == plane.policy.max_weight
        await asyncio.to_thread(set_failure, failing, 14)  # UNAVAILABLE, health still SERVING

        # At the floor: a few units of weight next to two peers at 1000 (the policy rounds
        # its cost to 1-3, and 1 <-> 3 is not worth a push), i.e. well under 2% of the
        # weight, and not HEALTHY. Its evidence decays while it gets a trickle; the state
        # must hold anyway (mesh.balancing.endpoint_state).
        async def floored() -> bool:
            weight, state, _ = status()
            total = sum(s.weight for s in plane.endpoint_status(CLUSTER))
            return weight * 50 <= total and state is not EndpointState.HEALTHY

        await eventually(
            floored, 30, "the failing replica's weight at the floor, not HEALTHY", trace
        )

        # The measure: its share of every upstream attempt (Envoy's per-attempt log)
        # over the next seconds, and it is never HEALTHY meanwhile.
        def attempts() -> tuple[int, int]:
            mine = plane.observer.stats(key)
            every = [plane.observer.stats(s.endpoint.key) for s in plane.endpoint_status(CLUSTER)]
            return (mine.requests_total if mine else 0), sum(s.requests_total for s in every if s)

        mine_before, all_before = attempts()
        for _ in range(15):
            await asyncio.sleep(0.2)
            assert status()[1] is not EndpointState.HEALTHY, trace()
        mine_after, all_after = attempts()
        assert all_after - all_before > 100, "calls kept flowing"
        share = (mine_after - mine_before) / (all_after - all_before)
        assert share <= 0.02, f"{share:.1%} of attempts on the failing replica; {trace()}"
        _, _, reason = status()
        assert reason, "a state other than HEALTHY says why"
        stats = plane.observer.stats(key)
        assert stats is not None and stats.failures_total > 0  # attempts that were retried
        # Operators see the same through MeshControlService (via Envoy) and the metric.
        listed = (await list_endpoints(mesh.envoy_address))[f"127.0.0.1:{failing.port}"]
        assert listed.state in (
            mesh_control_pb2.ENDPOINT_STATE_DEGRADED,
            mesh_control_pb2.ENDPOINT_STATE_UNHEALTHY,
        )
        assert listed.state_reason
        exposition = plane.metrics.exposition().decode()
        assert (
            f'rag_mesh_endpoint_state{{cluster="{CLUSTER}",endpoint="{key.address}",state="healthy"}} 0.0'
            in exposition
        )

        await asyncio.to_thread(set_failure, failing, 0)

        # Back means among its peers again: weight 500 or more, a cost within about 1.35x of
        # the best replica's (mesh.balancing.policy): room for a busy machine's latency noise.
        async def recovered() -> bool:
            weight, state, _ = status()
            return weight >= plane.policy.max_weight // 2 and state is EndpointState.HEALTHY

        await eventually(recovered, 60, "the recovered replica's weight back, HEALTHY", trace)
    assert failures == [], f"{len(failures)} of {calls[0]} calls failed: {failures[:5]}"


async def test_health_through_the_front_door(mesh: Supervisor) -> None:
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        health = health_pb2_grpc.HealthStub(channel)

        async def check(service: str) -> int:
            response = await health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
            return int(response.status)

        async def generation_serving() -> bool:
            return await check(SERVICE) == health_pb2.HealthCheckResponse.SERVING

        await eventually(generation_serving, 10, "GenerationService SERVING through Envoy")
        # No replica of the embedding service runs in this mesh.
        assert await check("rag.v1.EmbeddingService") == health_pb2.HealthCheckResponse.NOT_SERVING
        # Every generation replica drained: none can take traffic.
        for replica in mesh.replicas:
            mesh.control_plane.registry.set_draining(CLUSTER, replica.replica_id, True)

        async def generation_not_serving() -> bool:
            return await check(SERVICE) == health_pb2.HealthCheckResponse.NOT_SERVING

        await eventually(generation_not_serving, 10, "GenerationService NOT_SERVING when drained")


async def _true(value: bool) -> bool:
    return value

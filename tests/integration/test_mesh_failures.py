"""Failures with the real Envoy, control plane and replica processes.

A replica killed with SIGKILL is taken out of rotation while idempotent calls
through Envoy keep succeeding: once by Envoy alone (health checks and outlier
detection; the control plane still lists the dead replica), once with the
supervisor, which also restarts it. Everything is polled for; nothing sleeps a
fixed time.

(That services calling each other go through Envoy is checked by
test_mesh_end_to_end.py with Envoy's per-cluster request counters.)
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import grpc
import pytest

from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.envoy_admin import EnvoyAdmin, UpstreamHost
from mesh.local.envoy_process import EnvoyProcess
from mesh.local.supervisor import ServiceLaunch, Supervisor, UpSettings
from mesh.xds.bootstrap import BootstrapSettings
from mesh.xds.resources import MeshSettings
from rag.v1 import common_pb2, generation_pb2, generation_pb2_grpc
from tests.support.processes import ServiceProcess, free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

SERVICE = "rag.v1.GenerationService"
CLUSTER = CATALOG.by_name(SERVICE).cluster
# Every replica sleeps a little per call, so the kill often lands on a call in flight.
REPLICA_ENV = {"RAGMESH_TEST_ONLY_ADDED_LATENCY_MS": "3", "RAGMESH_LOG_LEVEL": "WARNING"}
CALLS = 200
OUT_FLAGS = ("failed_active_hc", "failed_outlier_check")

REQUEST = generation_pb2.GenerateRequest(
    question="What keeps calls succeeding when a replica dies?",
    contexts=[
        common_pb2.ScoredChunk(
            chunk=common_pb2.Chunk(
                id="mesh#0",
                document_id="mesh",
                text="Envoy retries idempotent calls on another replica when one dies.",
            ),
            score=1.0,
            rank=1,
        )
    ],
)


def mesh_settings(listener_port: int) -> MeshSettings:
    # Faster health checks than the default 2 s keep the test short.
    return MeshSettings(listener_port=listener_port, health_check_interval_s=0.5)


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout_s: float, what: str, interval_s: float = 0.1
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        if await check():
            return
        await asyncio.sleep(interval_s)
    raise AssertionError(f"not within {timeout_s}s: {what}")


async def generation_hosts(admin: EnvoyAdmin) -> dict[str, UpstreamHost]:
    """Envoy's view of the generation cluster, by "ip:port"."""
    return {a: h for (c, a), h in (await admin.clusters()).items() if c == CLUSTER}


async def calls_while(
    address: str,
    kill: Callable[[], None],
    taken_out: Callable[[], Awaitable[bool]],
    kill_after: int = 20,
    timeout_s: float = 20.0,
) -> tuple[int, list[str]]:
    """Sequential idempotent calls through Envoy; `kill()` runs from another task once
    `kill_after` calls succeeded; go on until at least CALLS calls were made and
    `taken_out()` holds. Returns (calls, failures)."""
    failures: list[str] = []
    calls = 0
    armed, killed = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s

    async def killer() -> None:
        await armed.wait()  # runs while the caller waits for its next call
        kill()
        killed.set()

    task = asyncio.create_task(killer())
    try:
        async with grpc.aio.insecure_channel(address) as channel:
            stub = generation_pb2_grpc.GenerationServiceStub(channel)
            next_check = 0.0
            out = False
            while calls < CALLS or not out:
                assert loop.time() < deadline, f"dead replica still in rotation after {calls} calls"
                try:
                    response = await stub.Generate(REQUEST, timeout=5)
                    assert response.answer
                except grpc.aio.AioRpcError as error:
                    failures.append(f"{error.code().name}: {error.details()}")
                calls += 1
                if calls == kill_after:
                    armed.set()
                if killed.is_set() and loop.time() >= next_check:
                    out = await taken_out()
                    next_check = loop.time() + 0.1
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return calls, failures


# --- Envoy alone takes a dead replica out ------------------------------------------------


async def test_envoy_takes_a_killed_replica_out_and_calls_keep_succeeding(
    tmp_path: Path,
) -> None:
    listener_port = free_port()
    plane = ControlPlane(CATALOG, mesh_settings(listener_port), recompute_interval_s=0.5)
    replicas: list[ServiceProcess] = []
    envoy: EnvoyProcess | None = None
    try:
        cp_port = await plane.start("127.0.0.1", 0)
        replicas = [
            ServiceProcess(
                "services.generation",
                {**REPLICA_ENV, "RAGMESH_METRICS_PORT": "-1", "RAGMESH_REPLICA_ID": f"gen-{i}"},
            )
            for i in range(2)
        ]
        for i, replica in enumerate(replicas):
            await asyncio.to_thread(replica.wait_ready, 30)
            plane.registry.register(SERVICE, f"gen-{i}", "127.0.0.1", replica.port)
        envoy = EnvoyProcess(
            BootstrapSettings(control_plane_port=cp_port, admin_port=free_port(), node_id="fail"),
            tmp_path,
        )
        await envoy.start()
        await envoy.wait_ready()
        admin = envoy.admin

        async def both_healthy() -> bool:
            hosts = await generation_hosts(admin)
            return len(hosts) == 2 and all(h.healthy for h in hosts.values())

        await eventually(both_healthy, 15, "both replicas healthy in Envoy")
        victim, survivor = replicas
        victim_address = victim.address

        async def victim_out() -> bool:
            host = (await generation_hosts(admin)).get(victim_address)
            return host is not None and any(f in host.health_flags for f in OUT_FLAGS)

        calls, failures = await calls_while(
            f"127.0.0.1:{listener_port}", victim.proc.kill, victim_out
        )
        assert victim.proc.wait(5) == -signal.SIGKILL
        assert failures == [], f"{len(failures)} of {calls} calls failed: {failures[:5]}"
        assert calls >= CALLS
        # The control plane was not told: Envoy's own checks took the replica out,
        # and it stays registered (it would be back once healthy again).
        registered = {ep.address for ep in plane.registry.endpoints(CLUSTER)}
        assert registered == {victim_address, survivor.address}
        hosts = await generation_hosts(admin)
        assert hosts[survivor.address].healthy
        counters = await admin.stats(rf"^cluster\.{CLUSTER}\.")
        detected = counters.get(f"cluster.{CLUSTER}.health_check.failure", 0) + counters.get(
            f"cluster.{CLUSTER}.outlier_detection.ejections_enforced_total", 0
        )
        assert detected > 0, counters
        # An outlier ejection ends after base_ejection_time; the failing health
        # checks keep the dead replica out beyond it.

        async def failing_health_checks() -> bool:
            host = (await generation_hosts(admin)).get(victim_address)
            return host is not None and "failed_active_hc" in host.health_flags

        await eventually(failing_health_checks, 10, "the dead replica fails Envoy's health checks")
    finally:
        if envoy is not None:
            await envoy.stop()
        for replica in replicas:
            await asyncio.to_thread(replica.stop, 10)
        await plane.stop()


# --- with the supervisor: taken out and restarted ----------------------------------------


@pytest.fixture
async def supervised(tmp_path: Path) -> AsyncIterator[Supervisor]:
    listener_port = free_port()
    supervisor = Supervisor(
        UpSettings(
            listener_port=listener_port,
            admin_port=free_port(),
            state_dir=tmp_path,
            drain_delay_s=0.0,
            services=[ServiceLaunch(SERVICE, "services.generation", replicas=2)],
            replica_env=REPLICA_ENV,
            ready_timeout_s=30.0,
        ),
        control_plane=ControlPlane(CATALOG, mesh_settings(listener_port), recompute_interval_s=0.5),
    )
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()


async def test_the_supervisor_restarts_a_killed_replica_without_failed_calls(
    supervised: Supervisor,
) -> None:
    admin = EnvoyAdmin("127.0.0.1", supervised.settings.admin_port)
    victim = supervised.replicas[0]
    assert victim.process is not None
    process, old_address = victim.process, f"127.0.0.1:{victim.port}"

    async def old_host_gone() -> bool:
        host = (await generation_hosts(admin)).get(old_address)
        return host is None or any(f in host.health_flags for f in OUT_FLAGS)

    calls, failures = await calls_while(supervised.envoy_address, process.kill, old_host_gone)
    assert await process.wait() == -signal.SIGKILL
    assert failures == [], f"{len(failures)} of {calls} calls failed: {failures[:5]}"

    async def restarted_and_healthy() -> bool:
        if victim.restarts < 1 or victim.process is process or not victim.port:
            return False
        host = (await generation_hosts(admin)).get(f"127.0.0.1:{victim.port}")
        return host is not None and host.healthy

    await eventually(restarted_and_healthy, 20, "the killed replica restarted and healthy")
    new_address = f"127.0.0.1:{victim.port}"
    assert new_address != old_address or victim.process is not process

    # The restarted replica takes traffic again.
    async with grpc.aio.insecure_channel(supervised.envoy_address) as channel:
        stub = generation_pb2_grpc.GenerationServiceStub(channel)

        async def new_replica_serves() -> bool:
            for _ in range(10):
                await stub.Generate(REQUEST, timeout=5)
            host = (await generation_hosts(admin)).get(new_address)
            return host is not None and host.counters.get("rq_success", 0) > 0

        await eventually(new_replica_serves, 10, "the restarted replica serves calls")

"""Scaling in without a failed call, with the real supervisor, control plane and Envoy.

The replicas are the probe service (tests/support/probe_service.py) in the embedding
service's place: a call whose text is ``slow:S`` takes S seconds, so calls are surely in
flight on the replica that leaves. Everything is polled for; nothing sleeps a fixed time.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import grpc
import pytest

from mesh.balancing.autoscale import AutoscaleSettings, ServiceTargets
from mesh.catalog import CATALOG
from mesh.local.network import free_port
from mesh.local.supervisor import ServiceLaunch, Supervisor, UpSettings
from rag.v1 import embedding_pb2, embedding_pb2_grpc
from tests.support.processes import REPO

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

SERVICE = "rag.v1.EmbeddingService"
CLUSTER = CATALOG.by_name(SERVICE).cluster
REPLICA_ENV = {"RAGMESH_LOG_LEVEL": "WARNING"}


def settings(tmp_path: Path, replicas: int, autoscale: AutoscaleSettings | None) -> UpSettings:
    return UpSettings(
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=tmp_path,
        drain_delay_s=0.0,
        services=[ServiceLaunch(SERVICE, "tests.support.probe_service", replicas=replicas)],
        replica_env=REPLICA_ENV,
        ready_timeout_s=30.0,
        autoscale=autoscale,
    )


@contextlib.asynccontextmanager
async def mesh(up: UpSettings) -> AsyncIterator[Supervisor]:
    supervisor = Supervisor(up)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()


class Load:
    """`concurrency` callers of Embed through Envoy until stopped; every outcome kept."""

    def __init__(self, address: str, text: str, concurrency: int) -> None:
        self.text, self.concurrency = text, concurrency
        self.channel = grpc.aio.insecure_channel(address)
        self.ok = 0
        self.failures: list[str] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> Load:
        self._tasks = [asyncio.create_task(self._caller()) for _ in range(self.concurrency)]
        return self

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)
        await self.channel.close()

    async def _caller(self) -> None:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(self.channel)
        while not self._stop.is_set():
            try:
                await stub.Embed(embedding_pb2.EmbedRequest(texts=[self.text]), timeout=20)
                self.ok += 1
            except grpc.aio.AioRpcError as exc:
                self.failures.append(f"{exc.code().name}: {exc.details()}")


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {timeout_s}s: {what}")


async def in_flight_on(supervisor: Supervisor, port: int) -> int:
    assert supervisor.envoy is not None
    hosts = await supervisor.envoy.admin.clusters()
    host = hosts.get((CLUSTER, f"127.0.0.1:{port}"))
    return host.counters.get("rq_active", 0) if host else 0


async def test_a_retired_replica_finishes_its_calls_and_no_call_fails(tmp_path: Path) -> None:
    async with mesh(settings(tmp_path, 2, None)) as supervisor:
        leaving = supervisor.replicas[1]
        assert leaving.process is not None
        process = leaving.process
        slow = Load(supervisor.envoy_address, "slow:1.5", 6).start()
        quick = Load(supervisor.envoy_address, "slow:0.02", 2).start()
        try:

            async def busy() -> bool:
                return await in_flight_on(supervisor, leaving.port) >= 2

            await eventually(busy, 30, "calls in flight on the replica that leaves")
            finished_before = slow.ok
            await supervisor.retire(leaving)
            # It was stopped only once Envoy counted no call on it: the slow calls it had
            # were answered (their callers are still counting), and it exited cleanly.
            assert process.returncode == 0
            assert slow.ok > finished_before
            assert leaving not in supervisor.replicas
            assert [e.replica_id for e in supervisor.control_plane.registry.endpoints(CLUSTER)] == [
                supervisor.replicas[0].replica_id
            ]
            calls_after = quick.ok

            async def served_by_the_other() -> bool:
                return quick.ok >= calls_after + 20

            await eventually(served_by_the_other, 30, "calls answered after the scale-in")
        finally:
            await slow.stop()
            await quick.stop()
        assert slow.failures == [] and quick.failures == [], (slow.failures + quick.failures)[:5]


async def test_autoscaling_scales_out_under_load_and_back_in_without_failed_calls(
    tmp_path: Path,
) -> None:
    autoscale = AutoscaleSettings(
        services={CLUSTER: ServiceTargets(min_replicas=1, max_replicas=2, target_in_flight=2)},
        latency_ratio=0.0,  # the probe's latency is what the test asks for: calls in flight only
        scale_out_cooldown_s=0.0,
        scale_in_cooldown_s=1.0,
        scale_in_window_s=2.0,
        in_flight_decay_s=0.5,
    )
    async with mesh(settings(tmp_path, 1, autoscale)) as supervisor:
        plane = supervisor.control_plane

        def serving() -> int:
            return sum(1 for e in plane.registry.endpoints(CLUSTER) if not e.draining)

        heavy = Load(supervisor.envoy_address, "slow:0.3", 8).start()
        light = Load(supervisor.envoy_address, "slow:0.02", 1).start()
        try:

            async def scaled_out() -> bool:
                return serving() == 2 and len(supervisor.replicas) == 2

            await eventually(scaled_out, 40, "a second replica under 8 calls in flight")
            assert plane.desired_replicas(CLUSTER) == 2
            await heavy.stop()

            async def scaled_in() -> bool:
                return len(supervisor.replicas) == 1 and serving() == 1

            await eventually(scaled_in, 40, "back to one replica once the load dropped")
            assert plane.desired_replicas(CLUSTER) == 1
            status = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "ragmesh", "status", "--address", supervisor.envoy_address,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=REPO,
            )  # fmt: skip
            out = (await asyncio.wait_for(status.communicate(), 60))[0].decode()
            assert status.returncode == 0, out
            rows = [line.split() for line in out.splitlines()]
            scaling = rows[rows.index(["SERVICE", "REPLICAS", "DESIRED", "MIN..MAX", "IN",
                                       "FLIGHT/REPLICA", "LATENCY/HEALTHY", "WHY"]) :]  # fmt: skip
            row = next(r for r in scaling if r and r[0] == "EmbeddingService")
            assert row[1:4] == ["1", "1", "1..2"], out
        finally:
            await heavy.stop()
            await light.stop()
        assert heavy.ok > 0 and light.ok > 0
        assert heavy.failures == [] and light.failures == [], (heavy.failures + light.failures)[:5]

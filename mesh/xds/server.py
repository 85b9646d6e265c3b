"""State-of-the-world ADS: envoy.service.discovery.v3.AggregatedDiscoveryService.

Protocol only (after go-control-plane's pkg/server/v3): the config comes from a
SnapshotCache. Per stream and per resource type we track the last response's
nonce and version and what was requested:

* A request whose `response_nonce` is not the latest we sent answers an older
  response: it is stale and ignored.
* A request with the latest nonce and no `error_detail` is an ACK.
* With `error_detail` it is a NACK: logged and counted, and the rejected version
  is *not* sent again (go-control-plane #962 loops on that); the next response
  goes out only when the snapshot changes, or the request asks for other names.
* A type is (re)sent when its (version, requested names) differs from what this
  stream last got. Pushes follow PUSH_ORDER: clusters, endpoints, listeners, and
  a listener waits until the stream has the snapshot's clusters.
* After a CDS response, the next EDS request is answered even if nothing changed:
  Envoy keeps an updated cluster warming until it gets an EDS response
  (go-control-plane #245, java-control-plane #131).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import grpc
from envoy.service.discovery.v3 import ads_pb2_grpc, discovery_pb2
from google.protobuf import any_pb2
from google.protobuf.message import Message

from mesh.metrics import ControlPlaneMetrics
from mesh.xds.cache import (
    CLUSTER_TYPE,
    ENDPOINT_TYPE,
    LISTENER_TYPE,
    PUSH_ORDER,
    ROUTE_TYPE,
    SHORT_NAMES,
    Snapshot,
    SnapshotCache,
)

log = logging.getLogger(__name__)

Send = Callable[[discovery_pb2.DiscoveryResponse], Awaitable[None]]

# Types whose SotW response must carry every resource, whatever was asked for.
_FULL_STATE_TYPES = frozenset({CLUSTER_TYPE, LISTENER_TYPE})


@dataclass
class TypeState:
    """One resource type on one stream."""

    subscribed: bool = False
    names: frozenset[str] = frozenset()
    nonce: str = ""
    sent_version: str = ""
    sent_key: tuple[str, frozenset[str] | None] | None = None
    acked_version: str = ""
    rejected_version: str = ""
    last_error: str = ""
    nacks: int = 0


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """What one connected Envoy has, for status pages and tests."""

    stream_id: int
    node_id: str
    acked: dict[str, str]
    rejected: dict[str, str]
    nacks: int


@dataclass
class _Session:
    stream_id: int
    cache: SnapshotCache
    send: Send
    metrics: ControlPlaneMetrics | None
    node_id: str = ""
    states: dict[str, TypeState] = field(default_factory=dict)
    eds_after_cds: bool = False
    _nonces: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def state(self, type_url: str) -> TypeState:
        return self.states.setdefault(type_url, TypeState())

    async def on_request(self, request: discovery_pb2.DiscoveryRequest) -> None:
        if not self.node_id and request.node.id:
            self.node_id = request.node.id
        type_url = request.type_url
        if type_url not in PUSH_ORDER:
            log.debug("stream %d: ignoring request for unserved type %s", self.stream_id, type_url)
            return
        st = self.state(type_url)
        # A nonce we never issued on this stream (a new stream after a control
        # plane restart) cannot be stale: treat the request as a subscription.
        if request.response_nonce and st.nonce:
            if request.response_nonce != st.nonce:
                return  # stale: answers an older response
            if request.HasField("error_detail"):
                self._nack(type_url, st, request)
                return
            st.acked_version = request.version_info
            st.rejected_version = ""
        st.subscribed = True
        st.names = frozenset(request.resource_names)
        await self.maybe_send(type_url)

    async def on_snapshot_changed(self) -> None:
        for type_url in PUSH_ORDER:
            await self.maybe_send(type_url)

    async def maybe_send(self, type_url: str) -> None:
        st = self.states.get(type_url)
        snapshot = self.cache.get_snapshot(self.node_id) if self.node_id else None
        if st is None or not st.subscribed or snapshot is None:
            return
        if type_url not in snapshot.resources:
            return  # nothing of this type is served; Envoy keeps waiting
        if type_url in (LISTENER_TYPE, ROUTE_TYPE) and not self._has_clusters_of(snapshot):
            return  # sent right after the clusters it routes to
        version = snapshot.version(type_url)
        wildcard = type_url in _FULL_STATE_TYPES or not st.names or "*" in st.names
        key = (version, None if wildcard else st.names)
        force = type_url == ENDPOINT_TYPE and self.eds_after_cds
        if key == st.sent_key and not force:
            return
        items = snapshot.items(type_url)
        names = sorted(items) if wildcard else sorted(n for n in st.names if n in items)
        response = discovery_pb2.DiscoveryResponse(
            version_info=version,
            type_url=type_url,
            nonce=str(next(self._nonces)),
            resources=[_pack(items[n]) for n in names],
        )
        await self.send(response)
        st.sent_key, st.sent_version, st.nonce = key, version, response.nonce
        if self.metrics is not None:
            self.metrics.xds_push(SHORT_NAMES[type_url])
        log.debug(
            "stream %d (%s): sent %s version %s, %d resources",
            self.stream_id,
            self.node_id,
            SHORT_NAMES[type_url],
            version,
            len(names),
        )
        if type_url == CLUSTER_TYPE:
            self.eds_after_cds = True
            for later in PUSH_ORDER[1:]:
                await self.maybe_send(later)
        elif type_url == ENDPOINT_TYPE:
            self.eds_after_cds = False

    def _has_clusters_of(self, snapshot: Snapshot) -> bool:
        clusters = self.states.get(CLUSTER_TYPE)
        if clusters is None or not clusters.subscribed:
            return True  # this client does not use CDS on the stream; nothing to wait for
        return clusters.sent_version == snapshot.version(CLUSTER_TYPE)

    def _nack(self, type_url: str, st: TypeState, request: discovery_pb2.DiscoveryRequest) -> None:
        st.rejected_version = st.sent_version
        st.last_error = request.error_detail.message
        st.nacks += 1
        if self.metrics is not None:
            self.metrics.xds_nack(SHORT_NAMES[type_url])
        log.warning(
            "Envoy %s rejected %s version %s (keeps %r): %s",
            self.node_id or "?",
            SHORT_NAMES[type_url],
            st.sent_version,
            request.version_info,
            _shorten(st.last_error),
        )

    def status(self) -> StreamStatus:
        return StreamStatus(
            stream_id=self.stream_id,
            node_id=self.node_id,
            acked={SHORT_NAMES[t]: s.acked_version for t, s in self.states.items()},
            rejected={
                SHORT_NAMES[t]: s.rejected_version
                for t, s in self.states.items()
                if s.rejected_version
            },
            nacks=sum(s.nacks for s in self.states.values()),
        )


_CLOSED = object()
_CHANGED = object()


class AdsServer(ads_pb2_grpc.AggregatedDiscoveryServiceServicer):  # type: ignore[misc]
    """Serves the SnapshotCache to any number of Envoys, one session per stream."""

    def __init__(self, cache: SnapshotCache, metrics: ControlPlaneMetrics | None = None) -> None:
        self._cache = cache
        self._metrics = metrics
        self._sessions: dict[int, _Session] = {}
        self._stream_ids = itertools.count(1)

    async def StreamAggregatedResources(
        self,
        request_iterator: AsyncIterator[discovery_pb2.DiscoveryRequest],
        context: grpc.aio.ServicerContext[
            discovery_pb2.DiscoveryRequest, discovery_pb2.DiscoveryResponse
        ],
    ) -> None:
        await self.serve_stream(request_iterator, context.write)

    async def serve_stream(
        self, requests: AsyncIterator[discovery_pb2.DiscoveryRequest], send: Send
    ) -> None:
        """Run one ADS stream until the client closes it: requests and snapshot
        changes are handled one at a time, so a stream's responses keep order."""
        session = _Session(next(self._stream_ids), self._cache, send, self._metrics)
        self._sessions[session.stream_id] = session
        events: asyncio.Queue[object] = asyncio.Queue()
        changed = self._cache.watch()
        reader = asyncio.create_task(_read(requests, events))
        watcher = asyncio.create_task(_watch(changed, events))
        try:
            while True:
                item = await events.get()
                if item is _CLOSED:
                    break
                if item is _CHANGED:
                    await session.on_snapshot_changed()
                elif isinstance(item, discovery_pb2.DiscoveryRequest):
                    await session.on_request(item)
        finally:
            for task in (reader, watcher):
                task.cancel()
            await asyncio.gather(reader, watcher, return_exceptions=True)
            self._cache.unwatch(changed)
            del self._sessions[session.stream_id]
            log.info("ADS stream %d (%s) closed", session.stream_id, session.node_id or "?")

    def streams(self) -> list[StreamStatus]:
        return [s.status() for s in self._sessions.values()]


async def _read(
    requests: AsyncIterator[discovery_pb2.DiscoveryRequest], events: asyncio.Queue[object]
) -> None:
    try:
        async for request in requests:
            await events.put(request)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # the client went away mid-read
        log.debug("ADS stream read ended: %r", error)
    finally:
        events.put_nowait(_CLOSED)


async def _watch(changed: asyncio.Event, events: asyncio.Queue[object]) -> None:
    while True:
        await changed.wait()
        changed.clear()
        await events.put(_CHANGED)


def _shorten(message: str, limit: int = 600) -> str:
    """Envoy's NACK message embeds the whole rejected resource; the reason is at the end."""
    if len(message) <= limit:
        return message
    return f"{message[:150]} ... {message[-(limit - 150) :]}"


def _pack(message: Message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed

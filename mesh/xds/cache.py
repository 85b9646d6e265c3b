"""Snapshots of xDS resources per Envoy node, after go-control-plane's simple cache.

A `Snapshot` holds every resource type at one version per type. Versions come
from content: a type's version only moves when its resources change, so a weight
change re-sends EDS but neither CDS nor LDS. `SnapshotCache` maps node ids to
snapshots (with a wildcard fallback, since every Envoy of one mesh gets the same
config) and wakes the xDS streams when a node's snapshot changes.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from envoy.config.cluster.v3 import cluster_pb2
from envoy.config.endpoint.v3 import endpoint_pb2
from envoy.config.listener.v3 import listener_pb2
from envoy.config.route.v3 import route_pb2
from envoy.extensions.filters.network.http_connection_manager.v3 import (
    http_connection_manager_pb2 as hcm_pb2,
)
from google.protobuf.message import Message

_PREFIX = "type.googleapis.com/"
CLUSTER_TYPE = _PREFIX + "envoy.config.cluster.v3.Cluster"
ENDPOINT_TYPE = _PREFIX + "envoy.config.endpoint.v3.ClusterLoadAssignment"
LISTENER_TYPE = _PREFIX + "envoy.config.listener.v3.Listener"
ROUTE_TYPE = _PREFIX + "envoy.config.route.v3.RouteConfiguration"

# Make-before-break order for adds: clusters before their endpoints, listeners
# (whose routes name clusters) after both, route configurations last.
PUSH_ORDER = (CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE, ROUTE_TYPE)

SHORT_NAMES = {CLUSTER_TYPE: "cds", ENDPOINT_TYPE: "eds", LISTENER_TYPE: "lds", ROUTE_TYPE: "rds"}

ANY_NODE = "*"


@dataclass(frozen=True, slots=True)
class Resources:
    """All resources of one type, by name, at one version."""

    version: str
    items: Mapping[str, Message]


@dataclass(frozen=True, slots=True)
class Snapshot:
    resources: Mapping[str, Resources] = field(default_factory=dict)

    @classmethod
    def build(
        cls, resources: Mapping[str, Iterable[Message]], previous: Snapshot | None = None
    ) -> Snapshot:
        """Name every resource, and version each type by content: unchanged
        content keeps the previous snapshot's version string."""
        built: dict[str, Resources] = {}
        for type_url, messages in resources.items():
            items = {resource_name(m): m for m in messages}
            digest = _digest(items)
            old = previous.resources.get(type_url) if previous else None
            if old is not None and old.version.endswith(digest):
                version = old.version
            else:
                counter = int(old.version.split("-", 1)[0]) + 1 if old is not None else 1
                version = f"{counter}-{digest}"
            built[type_url] = Resources(version=version, items=MappingProxyType(items))
        return cls(resources=MappingProxyType(built))

    def version(self, type_url: str) -> str:
        found = self.resources.get(type_url)
        return found.version if found else ""

    def items(self, type_url: str) -> Mapping[str, Message]:
        found = self.resources.get(type_url)
        return found.items if found else {}

    def consistent(self) -> list[str]:
        """Problems with references between resources; empty when consistent.

        Every EDS cluster must have a ClusterLoadAssignment (else Envoy waits for
        it, warming, until initial_fetch_timeout), and every cluster a route
        points at must exist.
        """
        problems: list[str] = []
        clusters = self.items(CLUSTER_TYPE)
        assignments = self.items(ENDPOINT_TYPE)
        for name, c in clusters.items():
            assert isinstance(c, cluster_pb2.Cluster)
            if c.type == cluster_pb2.Cluster.EDS:
                wanted = c.eds_cluster_config.service_name or name
                if wanted not in assignments:
                    problems.append(f"cluster {name!r} has no ClusterLoadAssignment {wanted!r}")
        for listener in self.items(LISTENER_TYPE).values():
            assert isinstance(listener, listener_pb2.Listener)
            for route_config in _inline_route_configs(listener):
                for target in _route_clusters(route_config):
                    if target not in clusters:
                        problems.append(
                            f"listener {listener.name!r} routes to unknown cluster {target!r}"
                        )
        return problems


class SnapshotCache:
    """Snapshots per node id, with ANY_NODE as the fallback for unknown nodes."""

    def __init__(self) -> None:
        self._snapshots: dict[str, Snapshot] = {}
        self._watchers: set[asyncio.Event] = set()

    def set_snapshot(self, node_id: str, snapshot: Snapshot) -> None:
        problems = snapshot.consistent()
        if problems:
            raise ValueError("inconsistent snapshot: " + "; ".join(problems))
        self._snapshots[node_id] = snapshot
        for event in self._watchers:
            event.set()

    def get_snapshot(self, node_id: str) -> Snapshot | None:
        return self._snapshots.get(node_id) or self._snapshots.get(ANY_NODE)

    def clear_snapshot(self, node_id: str) -> None:
        self._snapshots.pop(node_id, None)

    def watch(self) -> asyncio.Event:
        """An event set whenever any snapshot changes; the stream re-reads its own."""
        event = asyncio.Event()
        self._watchers.add(event)
        return event

    def unwatch(self, event: asyncio.Event) -> None:
        self._watchers.discard(event)


def resource_name(message: Message) -> str:
    if isinstance(message, endpoint_pb2.ClusterLoadAssignment):
        return str(message.cluster_name)
    name = getattr(message, "name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(f"resource without a name: {type(message).__name__}")
    return name


def _digest(items: Mapping[str, Message]) -> str:
    h = hashlib.sha256()
    for name in sorted(items):
        h.update(name.encode())
        h.update(b"\0")
        h.update(items[name].SerializeToString(deterministic=True))
        h.update(b"\0")
    return h.hexdigest()[:12]


def _inline_route_configs(listener: listener_pb2.Listener) -> list[route_pb2.RouteConfiguration]:
    found = []
    for chain in listener.filter_chains:
        for f in chain.filters:
            if f.typed_config.Is(hcm_pb2.HttpConnectionManager.DESCRIPTOR):
                manager = hcm_pb2.HttpConnectionManager()
                f.typed_config.Unpack(manager)
                if manager.HasField("route_config"):
                    found.append(manager.route_config)
    return found


def _route_clusters(route_config: route_pb2.RouteConfiguration) -> set[str]:
    names = set()
    for vhost in route_config.virtual_hosts:
        for route in vhost.routes:
            if route.HasField("route") and route.route.cluster:
                names.add(route.route.cluster)
            for weighted in route.route.weighted_clusters.clusters:
                names.add(weighted.name)
    return names

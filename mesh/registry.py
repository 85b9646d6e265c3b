"""Where every replica is: services -> clusters -> endpoints.

The registry is the control plane's source of truth for membership and operator
intent (health reported by the supervisor, drain, weight overrides). It knows
nothing about Envoy; `mesh.xds.resources` turns its state into xDS resources.
Listeners are told of every change so the control plane can rebuild snapshots.

A registration may carry a lease (replicas that register themselves across hosts): unless
renewed within its TTL, `expire_leases` removes the endpoint, so a replica that dies or is
cut off without deregistering does not linger in Envoy's config.
"""

from __future__ import annotations

import enum
import ipaddress
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from mesh.catalog import Catalog, ServiceSpec

log = logging.getLogger(__name__)


class EndpointKey(NamedTuple):
    """Identifies a replica the way Envoy reports it: upstream cluster + "ip:port"."""

    cluster: str
    address: str


class Health(enum.Enum):
    """What the control plane has been told about a replica's health.

    Envoy's own active health checks decide routing; this is only a hint (e.g. the
    supervisor saw the process die) that is forwarded as the EDS health status.
    """

    UNKNOWN = "unknown"
    SERVING = "serving"
    NOT_SERVING = "not_serving"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One replica of one service."""

    service: str
    cluster: str
    replica_id: str
    host: str
    port: int
    health: Health = Health.UNKNOWN
    draining: bool = False
    weight_override: int | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def key(self) -> EndpointKey:
        return EndpointKey(self.cluster, self.address)


@dataclass(frozen=True, slots=True)
class Registration:
    """How an endpoint was registered: its labels, when, and its lease (if any).

    Kept apart from `Endpoint` so that renewing a lease is not a change Envoy sees.
    """

    registered_at: float  # wall clock (time.time), for operators
    labels: Mapping[str, str] = field(default_factory=dict)
    lease_ttl_s: float | None = None
    lease_expires_at: float | None = None  # the registry's (monotonic) clock


class UnknownEndpointError(KeyError):
    """No endpoint with that cluster and replica id is registered."""


class EndpointRegistry:
    """Mutable registry of endpoints, grouped by cluster.

    All methods are synchronous and meant to be called from the control plane's
    event loop; listeners run inline after each change and must be cheap (setting
    an asyncio.Event is the intended use).
    """

    def __init__(self, catalog: Catalog, clock: Callable[[], float] = time.monotonic) -> None:
        self._catalog = catalog
        self._clock = clock
        self._endpoints: dict[str, dict[str, Endpoint]] = {
            spec.cluster: {} for spec in catalog.services
        }
        self._registrations: dict[tuple[str, str], Registration] = {}
        self._listeners: list[Callable[[], None]] = []
        self.generation = 0

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    def add_listener(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def register(
        self,
        service: str,
        replica_id: str,
        host: str,
        port: int,
        *,
        lease_ttl_s: float | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Endpoint:
        """Add (or replace) a replica of `service`.

        `host` must be an IP address: EDS endpoints are not resolved by Envoy, and
        the access log reports upstream hosts by IP, so both sides must agree.
        Re-registering a replica id keeps its drain flag and weight override, and its
        health too when the address is the same (a lease renewal, not a restart).
        With `lease_ttl_s`, the endpoint expires unless registered again within it.
        """
        if lease_ttl_s is not None and lease_ttl_s <= 0:
            raise ValueError(f"a lease must be positive, got {lease_ttl_s}")
        spec = self._catalog.by_name(service)
        _check_ip(host)
        if not 0 < port < 65536:
            raise ValueError(f"port out of range: {port}")
        cluster = self._endpoints[spec.cluster]
        previous = cluster.get(replica_id)
        endpoint = Endpoint(
            service=spec.name,
            cluster=spec.cluster,
            replica_id=replica_id,
            host=host,
            port=port,
            health=previous.health
            if previous and previous.address == f"{host}:{port}"
            else Health.UNKNOWN,
            draining=previous.draining if previous else False,
            weight_override=previous.weight_override if previous else None,
        )
        for other in cluster.values():
            if other.replica_id != replica_id and other.address == endpoint.address:
                raise ValueError(f"{endpoint.address} is already registered as {other.replica_id}")
        self._registrations[(spec.cluster, replica_id)] = Registration(
            registered_at=time.time(),
            labels=dict(labels or {}),
            lease_ttl_s=lease_ttl_s,
            lease_expires_at=self._clock() + lease_ttl_s if lease_ttl_s is not None else None,
        )
        if previous != endpoint:
            cluster[replica_id] = endpoint
            self._changed()
        return endpoint

    def deregister(self, cluster: str, replica_id: str) -> Endpoint:
        endpoint = self.get(cluster, replica_id)
        del self._endpoints[cluster][replica_id]
        self._registrations.pop((cluster, replica_id), None)
        self._changed()
        return endpoint

    def registration(self, cluster: str, replica_id: str) -> Registration:
        self.get(cluster, replica_id)  # UnknownEndpointError when not registered
        return self._registrations.get((cluster, replica_id), Registration(registered_at=0.0))

    def lease_remaining(self, cluster: str, replica_id: str) -> float | None:
        """Seconds until the endpoint's lease lapses (<= 0: lapsed); None without a lease."""
        expires = self.registration(cluster, replica_id).lease_expires_at
        return None if expires is None else expires - self._clock()

    def expire_leases(self) -> list[Endpoint]:
        """Remove every endpoint whose lease has lapsed; one change for all of them."""
        now = self._clock()
        expired = [
            self._endpoints[cluster].pop(replica_id)
            for (cluster, replica_id), reg in list(self._registrations.items())
            if reg.lease_expires_at is not None and reg.lease_expires_at <= now
        ]
        for endpoint in expired:
            del self._registrations[(endpoint.cluster, endpoint.replica_id)]
            log.warning("lease of %s (%s) lapsed: removed", endpoint.replica_id, endpoint.address)
        if expired:
            self._changed()
        return expired

    def set_health(self, cluster: str, replica_id: str, health: Health) -> Endpoint:
        return self._update(cluster, replica_id, health=health)

    def set_draining(self, cluster: str, replica_id: str, draining: bool) -> Endpoint:
        return self._update(cluster, replica_id, draining=draining)

    def set_weight_override(self, cluster: str, replica_id: str, weight: int | None) -> Endpoint:
        """Pin a replica's weight (>= 1), or clear the pin with None."""
        if weight is not None and weight < 1:
            raise ValueError("a weight override must be at least 1 (Envoy rejects 0)")
        return self._update(cluster, replica_id, weight_override=weight)

    def get(self, cluster: str, replica_id: str) -> Endpoint:
        try:
            return self._endpoints[cluster][replica_id]
        except KeyError:
            raise UnknownEndpointError(f"{cluster}/{replica_id}") from None

    def find(self, key: EndpointKey) -> Endpoint | None:
        for endpoint in self._endpoints.get(key.cluster, {}).values():
            if endpoint.address == key.address:
                return endpoint
        return None

    def is_last_serving(self, endpoint: Endpoint) -> bool:
        """Whether no other replica of the endpoint's cluster would take traffic without it."""
        if endpoint.draining or endpoint.health is Health.NOT_SERVING:
            return False
        return not any(
            e.replica_id != endpoint.replica_id
            and not e.draining
            and e.health is not Health.NOT_SERVING
            for e in self.endpoints(endpoint.cluster)
        )

    def endpoints(self, cluster: str | None = None) -> list[Endpoint]:
        """Endpoints of one cluster (or all), in a stable order."""
        clusters: Iterable[str] = [cluster] if cluster is not None else sorted(self._endpoints)
        found: list[Endpoint] = []
        for name in clusters:
            found.extend(sorted(self._endpoints.get(name, {}).values(), key=_order))
        return found

    def clusters(self) -> list[ServiceSpec]:
        """Every catalog service, with or without endpoints: routes need all clusters."""
        return list(self._catalog.services)

    def _update(self, cluster: str, replica_id: str, **changes: object) -> Endpoint:
        endpoint = self.get(cluster, replica_id)
        updated = replace(endpoint, **changes)  # type: ignore[arg-type]
        if updated != endpoint:
            self._endpoints[cluster][replica_id] = updated
            self._changed()
        return updated

    def _changed(self) -> None:
        self.generation += 1
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # a broken listener must not break registration
                log.exception("registry listener failed")


def _order(endpoint: Endpoint) -> tuple[str, int, str]:
    return (endpoint.host, endpoint.port, endpoint.replica_id)


def _check_ip(host: str) -> None:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"endpoint host must be an IP address, got {host!r}") from None

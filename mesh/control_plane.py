"""The control plane: registry + observer + policy -> snapshots -> Envoy.

Owns every part of mesh/ and one grpc.aio server carrying ADS, the access log
service and grpc.health.v1 (the MeshControlService servicer is added to the same
server through `start(extra_servicers=...)`). A background task recomputes the
weights once per `recompute_interval_s` (which is also the rate limit of weight
pushes) and rebuilds the snapshot at once when the registry changes (register,
drain, override: operator intent is not rate-limited).

`strategy` chooses how weights are made (mesh.balancing.policy): "latency" (observed latency and
errors), "utilization" (the replicas' own load reports) or "equal" (every replica the
same weight: Envoy's own least-request or round robin decides).

Given Envoy's admin address (`watch_envoy`), it also reads Envoy's view once per
recompute: each host's health flags (failed health checks, outlier ejection) for the
three-state health of every replica (mesh.balancing.endpoint_state), and the access log entries
Envoy dropped, and each host's calls in flight (`rq_active`). Once per recompute it
computes every service's desired replica count (mesh.balancing.autoscale) from those calls
in flight (without Envoy's admin: request rate x latency from the access logs), exported as
rag_mesh_desired_replicas and served by MeshControlService.GetMeshStatus; `ragmesh up
--autoscale` acts on it. Each catalog service's grpc.health.v1 status on this server follows
its replicas: SERVING while at least one can take traffic, so Envoy can route
`grpc.health.v1.Health/Check` for any service here (health through the front door).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from wsgiref.simple_server import WSGIServer

import grpc
from envoy.service.accesslog.v3 import als_pb2_grpc
from envoy.service.discovery.v3 import ads_pb2_grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
from prometheus_client.metrics_core import Metric

from mesh.balancing.access_log import AccessLogReceiver
from mesh.balancing.autoscale import (
    AutoscaleSettings,
    LoadSignal,
    ScalingDecision,
    ScalingPolicy,
    ScalingState,
    ServiceLoad,
    decide,
    initial_state,
)
from mesh.balancing.endpoint_state import EndpointState, JudgedState, StateInput, endpoint_states
from mesh.balancing.observer import EndpointStats, LatencyObserver
from mesh.balancing.policy import (
    LB_STRATEGIES,
    EndpointObservation,
    LbStrategy,
    Strategy,
    WeightPolicy,
)
from mesh.catalog import CATALOG, Catalog
from mesh.envoy_admin import EnvoyAdmin
from mesh.metrics import ControlPlaneMetrics
from mesh.registry import Endpoint, EndpointKey, EndpointRegistry, Health
from mesh.xds.cache import ANY_NODE, Snapshot, SnapshotCache
from mesh.xds.resources import MeshSettings, build_resources
from mesh.xds.server import AdsServer, StreamStatus

log = logging.getLogger(__name__)

AddServicers = Callable[[grpc.aio.Server], None]


@dataclass(frozen=True, slots=True)
class EndpointStatus:
    """One replica as the control plane sees it (for MeshControlService and `ragmesh status`)."""

    endpoint: Endpoint
    weight: int
    proposed_weight: int
    stats: EndpointStats | None
    state: EndpointState = EndpointState.HEALTHY
    state_reason: str = ""


@dataclass(frozen=True, slots=True)
class ServiceScaling:
    """One service's desired replica count and what it was computed from."""

    service: str
    cluster: str
    load: ServiceLoad
    policy: ScalingPolicy
    decision: ScalingDecision


# Envoy pings its xDS and access-log connections every 10 s (envoy/bootstrap.yaml). gRPC's
# default allows one ping per 5 min without data and answers the third with GOAWAY
# too_many_pings, which closed Envoy's ADS stream every ~40 s on an idle mesh.
SERVER_OPTIONS = [
    ("grpc.http2.min_ping_interval_without_data_ms", 1000),
    ("grpc.keepalive_permit_without_calls", 1),
]


class _Registries:
    """Several registries served as one /metrics page."""

    def __init__(self, *registries: CollectorRegistry) -> None:
        self._registries = registries

    def collect(self) -> Iterator[Metric]:
        for registry in self._registries:
            yield from registry.collect()


class ControlPlane:
    def __init__(
        self,
        catalog: Catalog = CATALOG,
        settings: MeshSettings | None = None,
        policy: WeightPolicy | None = None,
        observer: LatencyObserver | None = None,
        *,
        recompute_interval_s: float = 1.0,
        hold_snapshots: bool = False,
        strategy: Strategy = "latency",
        autoscale: AutoscaleSettings | None = None,
    ) -> None:
        """`hold_snapshots`: publish nothing until `publish()` is called. A restarted
        control plane uses it so Envoy keeps its last config (rather than getting
        an empty one) until the supervisor has registered the replicas again."""
        self.catalog = catalog
        self.settings = settings or MeshSettings()
        self.policy = policy or WeightPolicy()
        self.observer = observer or LatencyObserver()
        self.metrics = ControlPlaneMetrics()
        self.registry = EndpointRegistry(catalog)
        self.cache = SnapshotCache()
        self.ads = AdsServer(self.cache, self.metrics)
        self.access_log = AccessLogReceiver(self.observer, self.metrics)
        self.health = health.aio.HealthServicer()
        self.recompute_interval_s = recompute_interval_s
        self.strategy: Strategy = strategy
        self._envoy_admin: EnvoyAdmin | None = None
        self._envoy_flags: dict[EndpointKey, str] = {}
        self._envoy_active: dict[EndpointKey, int] = {}
        self.autoscale = autoscale or AutoscaleSettings()
        self._load_signal = LoadSignal(self.autoscale)
        self._scaling: dict[str, ServiceScaling] = {}
        self._queue_depth: float | None = None
        self._states: dict[EndpointKey, JudgedState] = {}
        self._service_health: dict[str, bool] = {}
        self._self_services: set[str] = set()
        self._publishing = not hold_snapshots
        self._weights: dict[EndpointKey, int] = {}
        self._proposed: dict[EndpointKey, int] = {}
        self._snapshot: Snapshot | None = None
        self._registry_changed = asyncio.Event()
        self.registry.add_listener(self._registry_changed.set)
        self._server: grpc.aio.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.host: str | None = None
        self.port: int | None = None
        self._metrics_http: WSGIServer | None = None
        self.metrics_port: int | None = None

    # --- serving -----------------------------------------------------------------

    def add_servicers(self, server: grpc.aio.Server) -> None:
        ads_pb2_grpc.add_AggregatedDiscoveryServiceServicer_to_server(self.ads, server)
        als_pb2_grpc.add_AccessLogServiceServicer_to_server(self.access_log, server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, server)

    async def start(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        extra_servicers: Sequence[AddServicers] = (),
        metrics_port: int | None = None,
        interceptors: Sequence[grpc.aio.ServerInterceptor] = (),
    ) -> int:
        """Serve on host:port (0 picks a free port) and return the bound port.

        With `metrics_port` (0 picks one; see `self.metrics_port`), also serve
        Prometheus text on http://host:metrics_port/metrics.
        """
        # `interceptors`: e.g. the services' runtime interceptor, so MeshControlService
        # maps domain errors and exports rag_requests_total like every other service.
        server = grpc.aio.server(interceptors=list(interceptors), options=SERVER_OPTIONS)
        self.add_servicers(server)
        for add in extra_servicers:
            add(server)
        bound = server.add_insecure_port(f"{host}:{port}")
        if bound == 0:
            raise OSError(f"cannot bind {host}:{port}")
        await server.start()
        await self.health.set("", health_pb2.HealthCheckResponse.SERVING)
        self._server, self.host, self.port = server, host, bound
        if metrics_port is not None:
            # Its own registry (weights, xDS) and the process's default one, where the
            # runtime interceptor counts MeshControlService calls (rag_requests_total).
            both = _Registries(self.metrics.registry, REGISTRY)
            http, _ = start_http_server(metrics_port, host, registry=both)
            self._metrics_http, self.metrics_port = http, int(http.server_port)
        self.refresh(force=True)
        self._task = asyncio.create_task(self._run(), name="ragmesh-weights")
        log.info("control plane serving on %s:%d", host, bound)
        return bound

    async def stop(self, grace_s: float = 1.0) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._server is not None:
            await self.health.enter_graceful_shutdown()
            await self._server.stop(grace_s)
            self._server = None
        if self._metrics_http is not None:
            await asyncio.to_thread(self._metrics_http.shutdown)
            self._metrics_http.server_close()
            self._metrics_http = None

    async def register_self(
        self,
        service: str = "rag.v1.MeshControlService",
        replica_id: str = "control-plane",
        host: str | None = None,
    ) -> Endpoint:
        """Route `service` through Envoy to this server: mark it SERVING for Envoy's
        gRPC health checks and register this server as its endpoint. Call after
        `start()`, once the service's servicer was added (extra_servicers).
        `host`: the IP Envoy reaches us at, when we bind a wildcard (other hosts)."""
        if self.host is None or self.port is None:
            raise RuntimeError("start() the control plane first")
        spec = self.catalog.by_name(service)
        self._self_services.add(spec.name)  # its health is this server's, not its replicas'
        await self.health.set(spec.name, health_pb2.HealthCheckResponse.SERVING)
        return self.registry.register(spec.name, replica_id, host or self.host, self.port)

    def set_lb_strategy(self, name: LbStrategy) -> None:
        """Switch how the mesh balances (Envoy's policy and the weights) and push it."""
        lb_policy, strategy = LB_STRATEGIES[name]
        self.settings = replace(self.settings, lb_policy=lb_policy)
        self.strategy = strategy
        # A new strategy applies whole: the hysteresis that keeps noise from moving weights
        # would otherwise keep, say, 898 where the equal strategy says 1000.
        self._weights = {}
        self.refresh(force=True)

    def watch_envoy(self, admin: EnvoyAdmin) -> None:
        """Read Envoy's host health and dropped access log entries from its admin page."""
        self._envoy_admin = admin

    def publish(self) -> None:
        """Start publishing snapshots (see `hold_snapshots`)."""
        self._publishing = True
        self.refresh(force=True)

    # --- weights and snapshots ---------------------------------------------------

    def recompute_weights(self) -> bool:
        """Run the policy on every cluster; True when the served weights changed."""
        changed = False
        weights: dict[EndpointKey, int] = {}
        proposed: dict[EndpointKey, int] = {}
        for spec in self.catalog:
            members = self.registry.endpoints(spec.cluster)
            if not members:
                continue
            observations = {ep.key: self._observation(ep) for ep in members}
            previous = {k: self._weights[k] for k in observations if k in self._weights}
            decision = self.policy.decide(observations, previous, self.strategy)
            self._judge(members, observations)
            weights.update(decision.weights)
            proposed.update(decision.proposed)
            if decision.changed:
                changed = True
                self.metrics.weight_pushes.labels(spec.cluster).inc()
                log.info("weights of %s: %s", spec.cluster, _describe(decision.weights))
        gone = set(self._weights) - set(weights)
        for key in gone:
            self.metrics.remove_endpoint(key)
            self._states.pop(key, None)
        self.observer.forget(k for k in self.observer.observed() if k not in weights)
        self._weights, self._proposed = weights, proposed
        self._export_metrics()
        return changed or bool(gone)

    def refresh(self, *, force: bool = False) -> bool:
        """Recompute weights and publish a new snapshot if anything changed."""
        changed = self.recompute_weights()
        if not self._publishing:
            return False
        if not (changed or force or self._snapshot is None):
            return False
        resources = build_resources(
            self.catalog, self.registry.endpoints(), self._weights, self.settings
        )
        snapshot = Snapshot.build(resources, self._snapshot)
        if self._snapshot is not None and _versions(snapshot) == _versions(self._snapshot):
            return False
        self._snapshot = snapshot
        self.cache.set_snapshot(ANY_NODE, snapshot)
        return True

    def _judge(
        self, members: Sequence[Endpoint], observations: dict[EndpointKey, EndpointObservation]
    ) -> None:
        """Three-state health of one cluster's replicas (mesh.balancing.endpoint_state)."""
        costs = self.policy.costs(observations) or {}
        inputs = {}
        for ep in members:
            obs = observations[ep.key]
            remaining = self.registry.lease_remaining(ep.cluster, ep.replica_id)
            inputs[ep.key] = StateInput(
                not_serving=ep.health is Health.NOT_SERVING,
                envoy_health_flags=self._envoy_flags.get(ep.key),
                lease_lapsed=remaining is not None and remaining <= 0,
                draining=ep.draining,
                cost_s=costs.get(ep.key) if obs.sample_mass > 0 else None,
                error_ratio=obs.error_ratio,
                sample_mass=obs.sample_mass,
                previous=self.state(ep.key).state,
            )
        self._states.update(endpoint_states(inputs))

    def state(self, key: EndpointKey) -> JudgedState:
        return self._states.get(key, JudgedState(EndpointState.HEALTHY, ""))

    async def _update_service_health(self) -> None:
        """SERVING for a service while one of its replicas can take traffic."""
        for spec in self.catalog:
            if spec.name in self._self_services:
                continue
            serving = any(
                not ep.draining and self.state(ep.key).state is not EndpointState.UNHEALTHY
                for ep in self.registry.endpoints(spec.cluster)
            )
            if self._service_health.get(spec.name) != serving:
                self._service_health[spec.name] = serving
                await self.health.set(
                    spec.name,
                    health_pb2.HealthCheckResponse.SERVING
                    if serving
                    else health_pb2.HealthCheckResponse.NOT_SERVING,
                )

    async def _read_envoy(self) -> None:
        if self._envoy_admin is None:
            return
        try:
            hosts = await self._envoy_admin.clusters()
            dropped = await self._envoy_admin.stats(r"grpc_access_log\.logs_dropped")
        except OSError:
            return  # Envoy not up (yet): keep the last view
        self._envoy_flags = {
            EndpointKey(cluster, address): host.health_flags
            for (cluster, address), host in hosts.items()
        }
        self._envoy_active = {
            EndpointKey(cluster, address): host.counters.get("rq_active", 0)
            for (cluster, address), host in hosts.items()
        }
        self.metrics.set_access_log_dropped(sum(dropped.values()))

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_tick = loop.time() + self.recompute_interval_s
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._registry_changed.wait(), max(0.0, next_tick - loop.time())
                )
            try:
                if self._registry_changed.is_set():
                    self._registry_changed.clear()
                    self.refresh(force=True)  # membership or operator intent: push now
                if loop.time() >= next_tick:
                    next_tick = loop.time() + self.recompute_interval_s
                    await self._read_envoy()
                    self.refresh()
                    self.rescale(time.monotonic())
                await self._update_service_health()
            except Exception:  # keep serving the last good snapshot
                log.exception("weight recompute failed")

    def _observation(self, ep: Endpoint) -> EndpointObservation:
        stats = self.observer.stats(ep.key)
        # A drained or known-down replica gets no traffic: it must not set the
        # reference the others are compared with.
        excluded = ep.draining or ep.health is Health.NOT_SERVING
        if stats is None:
            return EndpointObservation(override=ep.weight_override, draining=excluded)
        return EndpointObservation(
            latency_s=stats.latency_s,
            error_ratio=stats.error_ratio,
            sample_mass=stats.sample_mass,
            override=ep.weight_override,
            draining=excluded,
            utilization=stats.utilization,
            reported_rps=stats.reported_rps,
        )

    # --- autoscaling --------------------------------------------------------------

    def report_queue_depth(self, depth: float | None) -> None:
        """The indexer's waiting changes (None: unknown), for the ingest path's services."""
        self._queue_depth = depth

    def rescale(self, now: float) -> None:
        """Every scalable service's desired replica count from the latest readings. Not
        scaled: the control plane's own service and one-writer services (a fixed count)."""
        seen: dict[str, ServiceScaling] = {}
        for spec in self.catalog:
            members = self.registry.endpoints(spec.cluster)
            if spec.name in self._self_services or spec.replicas is not None or not members:
                continue
            stats = [s for s in (self.observer.stats(ep.key) for ep in members) if s]
            calls = sum(s.sample_mass for s in stats)
            timed = [(s.latency_s, s.sample_mass) for s in stats if s.latency_s is not None]
            mass = sum(m for _, m in timed)
            policy = self.autoscale.policy(spec.cluster)
            if self._envoy_admin is not None:
                in_flight = float(sum(self._envoy_active.get(ep.key, 0) for ep in members))
            else:  # no Envoy admin to ask: Little's law on the access logs (rate x latency)
                in_flight = sum(m / self.observer.decay_s * lat for lat, m in timed)
            load = self._load_signal.load(
                spec.cluster,
                replicas=sum(1 for ep in members if not ep.draining),
                in_flight=in_flight,
                latency_s=sum(lat * m for lat, m in timed) / mass if mass > 0 else None,
                calls=calls,
                queue_depth=self._queue_depth,
                now=now,
            )
            previous = self._scaling.get(spec.cluster)
            state: ScalingState = (
                previous.decision.state if previous else initial_state(load, policy, now)
            )
            decision = decide(load, policy, state, now)
            if previous is None or decision.desired != previous.decision.desired:
                log.info(
                    "desired replicas of %s: %d (%s)",
                    spec.cluster,
                    decision.desired,
                    decision.reason,
                )
            seen[spec.cluster] = ServiceScaling(spec.name, spec.cluster, load, policy, decision)
            self.metrics.set_desired_replicas(spec.name, spec.cluster, decision.desired)
        for cluster, gone in self._scaling.items():
            if cluster not in seen:
                self.metrics.remove_desired_replicas(gone.service, cluster)
        self._load_signal.forget(seen)
        self._scaling = seen

    def scaling(self) -> list[ServiceScaling]:
        """The last desired replica counts, by service name."""
        return sorted(self._scaling.values(), key=lambda s: s.service)

    def desired_replicas(self, cluster: str) -> int | None:
        found = self._scaling.get(cluster)
        return found.decision.desired if found else None

    def _export_metrics(self) -> None:
        for key, weight in self._weights.items():
            stats = self.observer.stats(key)
            self.metrics.set_endpoint(
                key,
                weight=weight,
                proposed=self._proposed.get(key, weight),
                latency_s=stats.latency_s if stats else None,
                error_ratio=stats.error_ratio if stats else 0.0,
                state=self.state(key).state.value,
            )

    # --- status ------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot | None:
        return self._snapshot

    def weight(self, key: EndpointKey) -> int | None:
        return self._weights.get(key)

    def endpoint_status(self, cluster: str | None = None) -> list[EndpointStatus]:
        return [
            EndpointStatus(
                endpoint=ep,
                weight=self._weights.get(ep.key, 0),
                proposed_weight=self._proposed.get(ep.key, 0),
                stats=self.observer.stats(ep.key),
                state=self.state(ep.key).state,
                state_reason=self.state(ep.key).reason,
            )
            for ep in self.registry.endpoints(cluster)
        ]

    def streams(self) -> list[StreamStatus]:
        return self.ads.streams()


def _versions(snapshot: Snapshot) -> dict[str, str]:
    return {type_url: r.version for type_url, r in snapshot.resources.items()}


def _describe(weights: dict[EndpointKey, int]) -> str:
    return ", ".join(f"{k.address}={w}" for k, w in sorted(weights.items()))

"""Pure functions from registry state to Envoy v3 resources (CDS, EDS, LDS).

No I/O and no protocol here (that is mesh.xds.server): given the catalog, the
endpoints and their weights, build the protos Envoy will receive. Routes are
inline in the listener, so LDS + CDS + EDS cover everything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from envoy.config.accesslog.v3 import accesslog_pb2
from envoy.config.cluster.v3 import circuit_breaker_pb2, cluster_pb2, outlier_detection_pb2
from envoy.config.core.v3 import (
    address_pb2,
    base_pb2,
    config_source_pb2,
    grpc_service_pb2,
    health_check_pb2,
    protocol_pb2,
)
from envoy.config.endpoint.v3 import endpoint_components_pb2, endpoint_pb2
from envoy.config.listener.v3 import listener_components_pb2, listener_pb2
from envoy.config.route.v3 import route_components_pb2, route_pb2
from envoy.config.trace.v3 import http_tracer_pb2, opentelemetry_pb2
from envoy.extensions.access_loggers.grpc.v3 import als_pb2
from envoy.extensions.filters.http.router.v3 import router_pb2
from envoy.extensions.filters.network.http_connection_manager.v3 import (
    http_connection_manager_pb2 as hcm_pb2,
)
from envoy.extensions.retry.host.previous_hosts.v3 import previous_hosts_pb2
from envoy.extensions.upstreams.http.v3 import http_protocol_options_pb2
from envoy.type.v3 import percent_pb2
from google.protobuf import any_pb2, wrappers_pb2
from google.protobuf.message import Message

from mesh import edge_auth
from mesh.balancing.access_log import EDGE_LOG_NAME, UPSTREAM_LOG_NAME
from mesh.catalog import REFLECTION_SERVICES, Catalog, ServiceSpec
from mesh.registry import Endpoint, EndpointKey, Health
from mesh.xds.cache import CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE
from services.common.convert import duration
from services.runtime.load_report import LOAD_REPORT_HEADER
from services.runtime.settings import parse_otlp_endpoint
from services.runtime.tracing import is_ip

CONTROL_PLANE_CLUSTER = "ragmesh_control_plane"
LISTENER_NAME = "ragmesh_ingress"
ROUTE_CONFIG_NAME = "ragmesh_routes"
HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
OTLP_COLLECTOR_CLUSTER = "ragmesh_otlp_collector"
HEALTH_SERVICE = "grpc.health.v1.Health"

# Retried conditions on idempotent routes: the gRPC status UNAVAILABLE from the
# replica, plus transport failures where the request may or may not have run
# (safe only because the method is idempotent).
RETRY_ON = "unavailable,connect-failure,refused-stream,reset"


@dataclass(frozen=True, slots=True)
class MeshSettings:
    """Knobs of the generated Envoy config; defaults suit one machine."""

    listener_host: str = "127.0.0.1"
    listener_port: int = 10000
    # LEAST_REQUEST is the design; ROUND_ROBIN (weighted by the same weights)
    # exists so bench.lb can compare against it on the same mesh.
    lb_policy: Literal["LEAST_REQUEST", "ROUND_ROBIN"] = "LEAST_REQUEST"
    # Weighted LEAST_REQUEST picks by weight / (active + 1) ** bias. At 1.0 (Envoy's
    # default) steep weights still rule (1000:3 sends the slow replica nothing until a peer
    # holds ~300 calls), and near-equal weights act as least-request: the calls in flight
    # decide. At 0.0 Envoy ignores calls in flight once weights differ at all (plain
    # weighted round robin): bench.lb --quick at 64 in flight with one replica 5x slower
    # gave weighted/unweighted LR p99 2.02 and throughput 0.74 at bias 0, 0.93 and 1.00
    # at bias 1 (same shape otherwise).
    active_request_bias: float = 1.0
    connect_timeout_s: float = 1.0
    health_check_interval_s: float = 2.0
    health_check_timeout_s: float = 1.0
    unhealthy_threshold: int = 2
    healthy_threshold: int = 1
    num_retries: int = 3
    # Picks per retry that avoid hosts already tried (previous_hosts): with two replicas and
    # one dead, each pick still lands on the dead one half the time, so allow several.
    host_selection_retry_max_attempts: int = 5
    # Time one attempt of an idempotent call may take before Envoy retries it on another
    # replica. None: the route timeout. Across hosts a cut-off replica answers nothing (no
    # reset), so without it a call in flight there waits for the whole route timeout.
    per_try_timeout_s: float | None = None
    retry_budget_percent: float = 20.0
    # The budget's floor: this many retries may run at once whatever the load. At 3, a host
    # cut off with 4 calls in flight lost some of them (their retries overflowed the budget).
    min_retry_concurrency: int = 8
    max_connections: int = 1024
    max_pending_requests: int = 1024
    max_requests: int = 1024
    consecutive_gateway_failure: int = 3
    consecutive_5xx: int = 5
    outlier_interval_s: float = 1.0
    base_ejection_time_s: float = 5.0
    max_ejection_percent: int = 50
    reflection_cluster: str = "rag"
    """The cluster whose replicas serve reflection for every contract."""
    health_cluster: str | None = "mesh_control"
    """Where grpc.health.v1 through the listener goes: the control plane, which answers
    per service from its replicas' health. None: no such route (UNIMPLEMENTED)."""
    reflection_idle_timeout_s: float = 60.0
    control_plane_cluster: str = CONTROL_PLANE_CLUSTER
    # The connection manager's log: only requests Envoy refused itself (audit).
    access_log_name: str = EDGE_LOG_NAME
    # The router's log: one entry per upstream attempt (the weights' signal). The
    # control plane's receiver tells the two apart by this name.
    upstream_log_name: str = UPSTREAM_LOG_NAME
    # Envoy buffers access log entries and flushes every second by default; a
    # shorter flush keeps the latency signal within the 5 s convergence target.
    access_log_flush_interval_s: float = 0.25
    access_log_buffer_bytes: int = 16384
    # Per-request costs of the hop, switchable so bench.lb --hop-breakdown can price them.
    # The per-attempt log is the weights' signal: off only to measure what it costs.
    upstream_log: bool = True
    # Retries (with the previous-hosts predicate) on idempotent routes.
    retry_idempotent: bool = True
    # The router's per-request timing stats by cluster (upstream_rq_time histograms).
    dynamic_stats: bool = True
    # An x-request-id per request (services log it; the runtime makes one otherwise).
    generate_request_id: bool = True
    # Outlier ejections last base_ejection_time x (times ejected), up to this; Envoy's
    # default 300 s would keep a replica that recovered out for minutes.
    max_ejection_time_s: float = 10.0
    # Keycloak token checks and per-method RBAC at the edge; None = open (--no-auth).
    auth: edge_auth.EdgeAuth | None = None
    # OTLP/gRPC trace collector ("HOST:PORT"); None = Envoy traces nothing. When set, Envoy
    # starts (or continues, from traceparent) a span per request plus one per upstream
    # attempt and sends them there, so its spans join the services' traces.
    otlp_endpoint: str | None = None
    # Share of requests arriving without a sampling decision that Envoy traces (0..1).
    trace_sample_ratio: float = 1.0
    trace_service_name: str = "envoy"


# --- clusters (CDS) ---------------------------------------------------------


def cluster(spec: ServiceSpec, settings: MeshSettings) -> cluster_pb2.Cluster:
    """One EDS cluster per service: weighted LEAST_REQUEST (or, for comparison,
    weighted ROUND_ROBIN) over HTTP/2 replicas."""
    c = cluster_pb2.Cluster(
        name=spec.cluster,
        type=cluster_pb2.Cluster.EDS,
        eds_cluster_config=cluster_pb2.Cluster.EdsClusterConfig(eds_config=ads_config_source()),
        connect_timeout=duration(settings.connect_timeout_s),
        common_lb_config=cluster_pb2.Cluster.CommonLbConfig(
            # A replica that was just added is excluded (not counted as unhealthy)
            # until its first health check passes, so scaling up never trips panic mode.
            ignore_new_hosts_until_first_hc=True,
        ),
        # With active health checks Envoy otherwise keeps a removed endpoint for as
        # long as it passes them; a deregistered replica must stop getting traffic.
        ignore_health_on_host_removal=True,
        health_checks=[grpc_health_check(spec.name, settings)],
        outlier_detection=outlier_detection_pb2.OutlierDetection(
            consecutive_5xx=_u32(settings.consecutive_5xx),
            consecutive_gateway_failure=_u32(settings.consecutive_gateway_failure),
            enforcing_consecutive_gateway_failure=_u32(100),
            interval=duration(settings.outlier_interval_s),
            base_ejection_time=duration(settings.base_ejection_time_s),
            max_ejection_time=duration(settings.max_ejection_time_s),
            max_ejection_percent=_u32(settings.max_ejection_percent),
            # By default a passing active health check lets an ejected host back at once:
            # a replica whose health says SERVING while every call fails came straight
            # back after each ejection. Ejections now run their course.
            successful_active_health_check_uneject_host=wrappers_pb2.BoolValue(value=False),
        ),
        circuit_breakers=circuit_breaker_pb2.CircuitBreakers(
            thresholds=[
                circuit_breaker_pb2.CircuitBreakers.Thresholds(
                    priority=base_pb2.DEFAULT,
                    max_connections=_u32(settings.max_connections),
                    max_pending_requests=_u32(settings.max_pending_requests),
                    max_requests=_u32(settings.max_requests),
                    # A budget instead of a fixed max_retries: retries may add at most
                    # this share of the active requests, so a sick cluster is not
                    # hammered by its own retries.
                    retry_budget=circuit_breaker_pb2.CircuitBreakers.Thresholds.RetryBudget(
                        budget_percent=percent_pb2.Percent(value=settings.retry_budget_percent),
                        min_retry_concurrency=_u32(settings.min_retry_concurrency),
                    ),
                    track_remaining=True,
                )
            ]
        ),
    )
    if settings.lb_policy == "ROUND_ROBIN":
        c.lb_policy = cluster_pb2.Cluster.ROUND_ROBIN
    elif settings.lb_policy == "LEAST_REQUEST":
        c.lb_policy = cluster_pb2.Cluster.LEAST_REQUEST
        c.least_request_lb_config.CopyFrom(
            cluster_pb2.Cluster.LeastRequestLbConfig(
                active_request_bias=base_pb2.RuntimeDouble(
                    default_value=settings.active_request_bias,
                    runtime_key=f"ragmesh.{spec.cluster}.active_request_bias",
                ),
            )
        )
    else:
        raise ValueError(f"unsupported lb_policy {settings.lb_policy!r}")
    c.typed_extension_protocol_options[HTTP_PROTOCOL_OPTIONS].CopyFrom(_pack(http2_options()))
    return c


def http2_options() -> http_protocol_options_pb2.HttpProtocolOptions:
    """gRPC needs HTTP/2 upstream, and so do gRPC health checks."""
    return http_protocol_options_pb2.HttpProtocolOptions(
        explicit_http_config=http_protocol_options_pb2.HttpProtocolOptions.ExplicitHttpConfig(
            http2_protocol_options=protocol_pb2.Http2ProtocolOptions(
                # Notice a dead replica's connection without waiting for TCP.
                connection_keepalive=protocol_pb2.KeepaliveSettings(
                    interval=duration(10.0), timeout=duration(5.0)
                ),
            )
        )
    )


def grpc_health_check(service_name: str, settings: MeshSettings) -> health_check_pb2.HealthCheck:
    interval = duration(settings.health_check_interval_s)
    return health_check_pb2.HealthCheck(
        timeout=duration(settings.health_check_timeout_s),
        interval=interval,
        # Envoy checks idle clusters only every 60 s by default; replicas of a
        # cluster without traffic must still be known healthy before the first call.
        no_traffic_interval=interval,
        unhealthy_threshold=_u32(settings.unhealthy_threshold),
        healthy_threshold=_u32(settings.healthy_threshold),
        grpc_health_check=health_check_pb2.HealthCheck.GrpcHealthCheck(service_name=service_name),
    )


def ads_config_source() -> config_source_pb2.ConfigSource:
    return config_source_pb2.ConfigSource(
        ads=config_source_pb2.AggregatedConfigSource(),
        resource_api_version=config_source_pb2.V3,
    )


# --- endpoints (EDS) --------------------------------------------------------

_HEALTH_STATUS = {
    Health.UNKNOWN: health_check_pb2.UNKNOWN,
    Health.SERVING: health_check_pb2.HEALTHY,
    Health.NOT_SERVING: health_check_pb2.UNHEALTHY,
}


def load_assignment(
    cluster_name: str,
    endpoints: Sequence[Endpoint],
    weights: Mapping[EndpointKey, int],
) -> endpoint_pb2.ClusterLoadAssignment:
    """The cluster's replicas with their weights.

    A drained replica stays in the assignment with health status DRAINING rather
    than being removed: Envoy then excludes it from load balancing (and from the
    panic-threshold arithmetic) while keeping its connections, so in-flight
    streams finish, health checks keep running and undraining is instant. A
    replica that should get no traffic ever again is deregistered instead.
    """
    lb_endpoints = []
    for ep in endpoints:
        weight = weights[ep.key]
        if weight < 1:
            raise ValueError(f"weight of {ep.key} must be >= 1 (Envoy rejects 0), got {weight}")
        status = health_check_pb2.DRAINING if ep.draining else _HEALTH_STATUS[ep.health]
        lb_endpoints.append(
            endpoint_components_pb2.LbEndpoint(
                endpoint=endpoint_components_pb2.Endpoint(
                    address=socket_address(ep.host, ep.port),
                    # Shown by the admin /clusters page: which replica this is.
                    hostname=ep.replica_id,
                ),
                health_status=status,
                load_balancing_weight=_u32(weight),
            )
        )
    return endpoint_pb2.ClusterLoadAssignment(
        cluster_name=cluster_name,
        endpoints=[endpoint_components_pb2.LocalityLbEndpoints(lb_endpoints=lb_endpoints)],
    )


# --- listener (LDS) with inline routes -----------------------------------------


def listener(catalog: Catalog, settings: MeshSettings) -> listener_pb2.Listener:
    manager = hcm_pb2.HttpConnectionManager(
        stat_prefix="ingress",
        codec_type=hcm_pb2.HttpConnectionManager.AUTO,
        route_config=route_configuration(catalog, settings),
        http_filters=[
            *_auth_filters(catalog, settings),
            hcm_pb2.HttpFilter(
                name="envoy.filters.http.router", typed_config=_pack(router(settings))
            ),
        ],
        access_log=[edge_access_log(settings)],
        generate_request_id=wrappers_pb2.BoolValue(value=settings.generate_request_id),
    )
    if settings.auth is not None:
        manager.local_reply_config.CopyFrom(edge_auth.local_replies())
    if settings.otlp_endpoint:
        manager.tracing.CopyFrom(tracing(settings))
    return listener_pb2.Listener(
        name=LISTENER_NAME,
        address=socket_address(settings.listener_host, settings.listener_port),
        filter_chains=[
            listener_components_pb2.FilterChain(
                filters=[
                    listener_components_pb2.Filter(
                        name="envoy.filters.network.http_connection_manager",
                        typed_config=_pack(manager),
                    )
                ]
            )
        ],
    )


def _auth_filters(catalog: Catalog, settings: MeshSettings) -> list[hcm_pb2.HttpFilter]:
    if settings.auth is None:
        return []
    return [
        hcm_pb2.HttpFilter(
            name=edge_auth.JWT_FILTER, typed_config=_pack(edge_auth.jwt_authn(settings.auth))
        ),
        hcm_pb2.HttpFilter(
            name="envoy.filters.http.rbac", typed_config=_pack(edge_auth.rbac(catalog))
        ),
    ]


def tracing(settings: MeshSettings) -> hcm_pb2.HttpConnectionManager.Tracing:
    """OpenTelemetry spans for every request: one for the request through Envoy (named by
    its gRPC path) and one per upstream attempt (retries show), exported over OTLP/gRPC.
    Envoy continues an incoming ``traceparent`` and sends its own span's to the replica."""
    config = opentelemetry_pb2.OpenTelemetryConfig(
        grpc_service=grpc_service_pb2.GrpcService(
            envoy_grpc=grpc_service_pb2.GrpcService.EnvoyGrpc(cluster_name=OTLP_COLLECTOR_CLUSTER),
            timeout=duration(5.0),
        ),
        service_name=settings.trace_service_name,
    )
    return hcm_pb2.HttpConnectionManager.Tracing(
        provider=http_tracer_pb2.Tracing.Http(
            name="envoy.tracers.opentelemetry", typed_config=_pack(config)
        ),
        random_sampling=percent_pb2.Percent(value=settings.trace_sample_ratio * 100.0),
        spawn_upstream_span=wrappers_pb2.BoolValue(value=True),
        operation="%REQ(:PATH)%",
        upstream_operation="%UPSTREAM_CLUSTER% %REQ(:PATH)%",
    )


def otlp_collector_cluster(endpoint: str) -> cluster_pb2.Cluster:
    """Where Envoy sends its spans: the collector the services use, over HTTP/2 (gRPC)."""
    host, port = parse_otlp_endpoint(endpoint)
    c = cluster_pb2.Cluster(
        name=OTLP_COLLECTOR_CLUSTER,
        # A name (a Kubernetes service, another host) is resolved; an IP is taken as is.
        type=cluster_pb2.Cluster.STATIC if is_ip(host) else cluster_pb2.Cluster.STRICT_DNS,
        dns_lookup_family=cluster_pb2.Cluster.V4_PREFERRED,
        connect_timeout=duration(2.0),
        load_assignment=endpoint_pb2.ClusterLoadAssignment(
            cluster_name=OTLP_COLLECTOR_CLUSTER,
            endpoints=[
                endpoint_components_pb2.LocalityLbEndpoints(
                    lb_endpoints=[
                        endpoint_components_pb2.LbEndpoint(
                            endpoint=endpoint_components_pb2.Endpoint(
                                address=socket_address(host, port)
                            )
                        )
                    ]
                )
            ],
        ),
    )
    c.typed_extension_protocol_options[HTTP_PROTOCOL_OPTIONS].CopyFrom(_pack(http2_options()))
    return c


def router(settings: MeshSettings) -> router_pb2.Router:
    """The router, logging every upstream attempt (retried ones included) to the control
    plane: the connection manager's log names only a request's final host, so a replica
    that failed an attempt that then succeeded elsewhere was never blamed."""
    return router_pb2.Router(
        upstream_log=[access_log(settings, settings.upstream_log_name)]
        if settings.upstream_log
        else [],
        dynamic_stats=wrappers_pb2.BoolValue(value=settings.dynamic_stats),
    )


def edge_access_log(settings: MeshSettings) -> accesslog_pb2.AccessLog:
    """The connection manager's log, filtered in Envoy to refusals (401/403, or gRPC
    UNAUTHENTICATED/PERMISSION_DENIED): the audit trail of calls that never left Envoy.
    Attempts are logged by the router; logging every request twice cost CPU per hop."""
    log = access_log(settings, settings.access_log_name)
    log.filter.CopyFrom(
        accesslog_pb2.AccessLogFilter(
            or_filter=accesslog_pb2.OrFilter(
                filters=[
                    accesslog_pb2.AccessLogFilter(
                        status_code_filter=accesslog_pb2.StatusCodeFilter(
                            comparison=accesslog_pb2.ComparisonFilter(
                                op=accesslog_pb2.ComparisonFilter.GE,
                                value=base_pb2.RuntimeUInt32(
                                    default_value=401, runtime_key="ragmesh.edge_log_min_status"
                                ),
                            )
                        )
                    ),
                    accesslog_pb2.AccessLogFilter(
                        grpc_status_filter=accesslog_pb2.GrpcStatusFilter(
                            statuses=[
                                accesslog_pb2.GrpcStatusFilter.UNAUTHENTICATED,
                                accesslog_pb2.GrpcStatusFilter.PERMISSION_DENIED,
                            ]
                        )
                    ),
                ]
            )
        )
    )
    return log


def access_log(settings: MeshSettings, log_name: str) -> accesslog_pb2.AccessLog:
    """Upstream host, timings and status, streamed to the control plane as `log_name`."""
    config = als_pb2.HttpGrpcAccessLogConfig(
        common_config=als_pb2.CommonGrpcAccessLogConfig(
            log_name=log_name,
            grpc_service=grpc_service_pb2.GrpcService(
                envoy_grpc=grpc_service_pb2.GrpcService.EnvoyGrpc(
                    cluster_name=settings.control_plane_cluster
                )
            ),
            transport_api_version=config_source_pb2.V3,
            buffer_flush_interval=duration(settings.access_log_flush_interval_s),
            buffer_size_bytes=_u32(settings.access_log_buffer_bytes),
        ),
        # grpc-status is a trailer, except in trailers-only responses (most
        # errors), where it arrives with the headers.
        additional_response_headers_to_log=["grpc-status"],
        # The replica's own load report rides in the trailers (utilization strategy).
        additional_response_trailers_to_log=["grpc-status", LOAD_REPORT_HEADER],
    )
    return accesslog_pb2.AccessLog(
        name="envoy.access_loggers.http_grpc", typed_config=_pack(config)
    )


def route_configuration(catalog: Catalog, settings: MeshSettings) -> route_pb2.RouteConfiguration:
    """Per service: one exact-path route per idempotent method (with retries),
    then the service's prefix route (no retries). Reflection goes to one cluster
    that knows every contract; grpc.health.v1 to the control plane, which knows
    every service's replicas (Envoy's own health checks go to each replica)."""
    routes: list[route_components_pb2.Route] = []
    for spec in catalog:
        for method in sorted(spec.idempotent):
            routes.append(
                _route(
                    f"{spec.short_name}.{method}",
                    route_components_pb2.RouteMatch(path=spec.method_path(method), grpc=_GRPC_ONLY),
                    _route_action(spec, settings, retry=True),
                )
            )
        routes.append(
            _route(
                spec.short_name,
                route_components_pb2.RouteMatch(prefix=spec.path_prefix, grpc=_GRPC_ONLY),
                _route_action(spec, settings, retry=False),
            )
        )
    for service in REFLECTION_SERVICES:
        routes.append(
            _route(
                service,
                route_components_pb2.RouteMatch(prefix=f"/{service}/", grpc=_GRPC_ONLY),
                route_components_pb2.RouteAction(
                    cluster=settings.reflection_cluster,
                    # A reflection stream lives as long as the client's session.
                    timeout=duration(0.0),
                    idle_timeout=duration(settings.reflection_idle_timeout_s),
                ),
            )
        )
    if settings.health_cluster in {spec.cluster for spec in catalog}:
        routes.append(
            _route(
                HEALTH_SERVICE,
                route_components_pb2.RouteMatch(prefix=f"/{HEALTH_SERVICE}/", grpc=_GRPC_ONLY),
                route_components_pb2.RouteAction(
                    cluster=settings.health_cluster,
                    # Health/Watch is a stream that lives as long as the client wants.
                    timeout=duration(0.0),
                    idle_timeout=duration(settings.reflection_idle_timeout_s),
                ),
            )
        )
    return route_pb2.RouteConfiguration(
        name=ROUTE_CONFIG_NAME,
        virtual_hosts=[
            route_components_pb2.VirtualHost(name="ragmesh", domains=["*"], routes=routes)
        ],
        # A route to a cluster Envoy does not know yet answers 503 instead of
        # rejecting the whole listener; SnapshotCache.consistent() checks the
        # references before anything is served.
        validate_clusters=wrappers_pb2.BoolValue(value=False),
    )


_GRPC_ONLY = route_components_pb2.RouteMatch.GrpcRouteMatchOptions()


def _route(
    name: str, match: route_components_pb2.RouteMatch, action: route_components_pb2.RouteAction
) -> route_components_pb2.Route:
    return route_components_pb2.Route(name=name, match=match, route=action)


def _route_action(
    spec: ServiceSpec, settings: MeshSettings, *, retry: bool
) -> route_components_pb2.RouteAction:
    action = route_components_pb2.RouteAction(
        cluster=spec.cluster,
        timeout=duration(spec.timeout_s),
        # Honour the caller's grpc-timeout, capped by the route timeout.
        max_stream_duration=route_components_pb2.RouteAction.MaxStreamDuration(
            grpc_timeout_header_max=duration(spec.timeout_s)
        ),
    )
    if retry and settings.retry_idempotent:
        action.retry_policy.CopyFrom(retry_policy(settings))
    return action


def retry_policy(settings: MeshSettings) -> route_components_pb2.RetryPolicy:
    return route_components_pb2.RetryPolicy(
        retry_on=RETRY_ON,
        num_retries=_u32(settings.num_retries),
        # Retry on another replica than the one that just failed.
        retry_host_predicate=[
            route_components_pb2.RetryPolicy.RetryHostPredicate(
                name="envoy.retry_host_predicates.previous_hosts",
                typed_config=_pack(previous_hosts_pb2.PreviousHostsPredicate()),
            )
        ],
        host_selection_retry_max_attempts=settings.host_selection_retry_max_attempts,
        per_try_timeout=(
            duration(settings.per_try_timeout_s) if settings.per_try_timeout_s else None
        ),
    )


# --- everything -----------------------------------------------------------------


def build_resources(
    catalog: Catalog,
    endpoints: Sequence[Endpoint],
    weights: Mapping[EndpointKey, int],
    settings: MeshSettings,
) -> dict[str, list[Message]]:
    """Every resource Envoy receives, by type URL: all clusters of the catalog (a
    cluster without replicas still exists, its routes answer UNAVAILABLE), one
    assignment per cluster, one listener."""
    by_cluster: dict[str, list[Endpoint]] = {spec.cluster: [] for spec in catalog}
    for ep in endpoints:
        if ep.cluster in by_cluster:
            by_cluster[ep.cluster].append(ep)
    return {
        CLUSTER_TYPE: [
            *(cluster(spec, settings) for spec in catalog),
            *([edge_auth.keycloak_cluster(settings.auth)] if settings.auth else []),
            *([otlp_collector_cluster(settings.otlp_endpoint)] if settings.otlp_endpoint else []),
        ],
        ENDPOINT_TYPE: [
            load_assignment(name, members, weights) for name, members in by_cluster.items()
        ],
        LISTENER_TYPE: [listener(catalog, settings)],
    }


def socket_address(host: str, port: int) -> address_pb2.Address:
    return address_pb2.Address(
        socket_address=address_pb2.SocketAddress(address=host, port_value=port)
    )


def _pack(message: Message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def _u32(value: int) -> wrappers_pb2.UInt32Value:
    return wrappers_pb2.UInt32Value(value=value)

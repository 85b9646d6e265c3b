"""Registry state -> Envoy protos: structure Envoy relies on."""

from __future__ import annotations

from typing import Any

import pytest
from envoy.config.cluster.v3 import cluster_pb2
from envoy.config.core.v3 import health_check_pb2
from envoy.config.endpoint.v3 import endpoint_pb2
from envoy.config.listener.v3 import listener_pb2
from envoy.extensions.access_loggers.grpc.v3 import als_pb2
from envoy.extensions.filters.http.router.v3 import router_pb2
from envoy.extensions.filters.network.http_connection_manager.v3 import (
    http_connection_manager_pb2 as hcm_pb2,
)
from envoy.extensions.upstreams.http.v3 import http_protocol_options_pb2

from mesh.balancing.access_log import EDGE_LOG_NAME, UPSTREAM_LOG_NAME
from mesh.catalog import CATALOG, REFLECTION_SERVICES
from mesh.registry import EndpointRegistry, Health
from mesh.xds.cache import CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE, Snapshot
from mesh.xds.resources import (
    CONTROL_PLANE_CLUSTER,
    HTTP_PROTOCOL_OPTIONS,
    MeshSettings,
    build_resources,
    cluster,
    load_assignment,
)

SETTINGS = MeshSettings()


def hcm_of(listener: listener_pb2.Listener) -> hcm_pb2.HttpConnectionManager:
    manager = hcm_pb2.HttpConnectionManager()
    assert listener.filter_chains[0].filters[0].typed_config.Unpack(manager)
    return manager


@pytest.fixture
def registry() -> EndpointRegistry:
    registry = EndpointRegistry(CATALOG)
    registry.register("EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    registry.register("EmbeddingService", "embedding-1", "127.0.0.1", 50052)
    registry.register("RagService", "rag-0", "127.0.0.1", 50061)
    return registry


def test_cluster_is_eds_least_request_http2_with_health_checks() -> None:
    spec = CATALOG.by_name("VectorStoreService")
    c = cluster(spec, SETTINGS)
    assert c.name == "vector_store"
    assert c.type == cluster_pb2.Cluster.EDS
    assert c.eds_cluster_config.eds_config.HasField("ads")
    assert c.lb_policy == cluster_pb2.Cluster.LEAST_REQUEST
    assert c.least_request_lb_config.active_request_bias.default_value == 1.0
    options = http_protocol_options_pb2.HttpProtocolOptions()
    assert c.typed_extension_protocol_options[HTTP_PROTOCOL_OPTIONS].Unpack(options)
    assert options.explicit_http_config.HasField("http2_protocol_options")
    (check,) = c.health_checks
    assert check.grpc_health_check.service_name == "rag.v1.VectorStoreService"
    assert check.no_traffic_interval == check.interval
    assert c.outlier_detection.enforcing_consecutive_gateway_failure.value == 100
    (thresholds,) = c.circuit_breakers.thresholds
    assert thresholds.retry_budget.budget_percent.value == SETTINGS.retry_budget_percent
    assert c.ignore_health_on_host_removal
    assert not c.HasField("http2_protocol_options")  # deprecated field stays unused


def test_active_request_bias_is_configurable() -> None:
    c = cluster(CATALOG.by_name("RagService"), MeshSettings(active_request_bias=0.5))
    assert c.least_request_lb_config.active_request_bias.default_value == 0.5


def test_round_robin_can_replace_least_request() -> None:
    c = cluster(CATALOG.by_name("RagService"), MeshSettings(lb_policy="ROUND_ROBIN"))
    assert c.lb_policy == cluster_pb2.Cluster.ROUND_ROBIN
    assert not c.HasField("least_request_lb_config")
    assert cluster(CATALOG.by_name("RagService"), SETTINGS).HasField("least_request_lb_config")
    with pytest.raises(ValueError, match="lb_policy"):
        cluster(CATALOG.by_name("RagService"), MeshSettings(lb_policy="RANDOM"))  # type: ignore[arg-type]


def test_assignment_carries_weights_and_drain_state(registry: EndpointRegistry) -> None:
    registry.set_draining("embedding", "embedding-1", True)
    registry.set_health("embedding", "embedding-0", Health.SERVING)
    eps = registry.endpoints("embedding")
    weights = {eps[0].key: 1000, eps[1].key: 3}
    cla = load_assignment("embedding", eps, weights)
    lb = {e.endpoint.hostname: e for e in cla.endpoints[0].lb_endpoints}
    assert lb["embedding-0"].load_balancing_weight.value == 1000
    assert lb["embedding-0"].health_status == health_check_pb2.HEALTHY
    assert lb["embedding-1"].load_balancing_weight.value == 3
    assert lb["embedding-1"].health_status == health_check_pb2.DRAINING
    assert lb["embedding-0"].endpoint.address.socket_address.port_value == 50051


def test_a_zero_weight_is_refused(registry: EndpointRegistry) -> None:
    eps = registry.endpoints("embedding")
    with pytest.raises(ValueError):
        load_assignment("embedding", eps, {eps[0].key: 0, eps[1].key: 5})


def test_every_cluster_has_an_assignment_and_the_snapshot_is_consistent(
    registry: EndpointRegistry,
) -> None:
    weights = {ep.key: 1000 for ep in registry.endpoints()}
    resources: dict[str, Any] = build_resources(CATALOG, registry.endpoints(), weights, SETTINGS)
    clusters = {c.name for c in resources[CLUSTER_TYPE]}
    assignments = {a.cluster_name: a for a in resources[ENDPOINT_TYPE]}
    assert clusters == {s.cluster for s in CATALOG} == set(assignments)
    assert len(assignments["embedding"].endpoints[0].lb_endpoints) == 2
    assert len(assignments["graph"].endpoints[0].lb_endpoints) == 0
    for a in assignments.values():
        assert isinstance(a, endpoint_pb2.ClusterLoadAssignment)
        for lb in a.endpoints[0].lb_endpoints:
            assert lb.load_balancing_weight.value >= 1
    assert Snapshot.build(resources).consistent() == []


def test_retries_only_on_idempotent_unary_routes() -> None:
    (listener,) = build_resources(CATALOG, [], {}, SETTINGS)[LISTENER_TYPE]
    routes = hcm_of(listener).route_config.virtual_hosts[0].routes
    seen_prefix: set[str] = set()
    for route in routes:
        if route.match.path:
            service, method = route.match.path.strip("/").split("/")
            spec = CATALOG.by_name(service)
            assert method in spec.idempotent
            assert spec.cluster not in seen_prefix, "exact routes must precede the prefix route"
            assert route.route.retry_policy.retry_on.startswith("unavailable")
            assert route.route.retry_policy.num_retries.value >= 1
        else:
            assert not route.route.HasField("retry_policy"), route.name
            if route.match.prefix.startswith("/rag.v1."):
                seen_prefix.add(route.route.cluster)
        assert route.match.HasField("grpc")
    exact = {r.match.path for r in routes if r.match.path}
    for spec in CATALOG:
        assert {spec.method_path(m) for m in spec.idempotent} <= exact
        assert not {spec.method_path(m) for m in spec.streaming | spec.other} & exact
        prefix = next(r for r in routes if r.match.prefix == spec.path_prefix)
        assert prefix.route.cluster == spec.cluster
        assert prefix.route.timeout.ToNanoseconds() == round(spec.timeout_s * 1e9)


def test_reflection_goes_to_one_cluster_and_health_to_the_control_plane() -> None:
    settings = MeshSettings(reflection_cluster="rag")
    (listener,) = build_resources(CATALOG, [], {}, settings)[LISTENER_TYPE]
    routes = hcm_of(listener).route_config.virtual_hosts[0].routes
    prefixes = {r.match.prefix: r.route.cluster for r in routes if r.match.prefix}
    for service in REFLECTION_SERVICES:
        assert prefixes[f"/{service}/"] == "rag"
    # The control plane answers per service from its replicas' health.
    health_cluster = CATALOG.by_name("rag.v1.MeshControlService").cluster
    assert prefixes["/grpc.health.v1.Health/"] == health_cluster


def test_listener_address_and_access_log() -> None:
    settings = MeshSettings(listener_port=12345)
    listener: Any
    (listener,) = build_resources(CATALOG, [], {}, settings)[LISTENER_TYPE]
    assert listener.address.socket_address.address == "127.0.0.1"
    assert listener.address.socket_address.port_value == 12345
    (log,) = hcm_of(listener).access_log
    assert log.name == "envoy.access_loggers.http_grpc"
    config = als_pb2.HttpGrpcAccessLogConfig()
    assert log.typed_config.Unpack(config)
    assert config.common_config.grpc_service.envoy_grpc.cluster_name == CONTROL_PLANE_CLUSTER
    assert config.common_config.log_name == EDGE_LOG_NAME
    # Only refusals: every attempt is logged by the router instead.
    assert len(log.filter.or_filter.filters) == 2
    router = router_pb2.Router()
    assert hcm_of(listener).http_filters[-1].typed_config.Unpack(router)
    (upstream,) = router.upstream_log
    config = als_pb2.HttpGrpcAccessLogConfig()
    assert upstream.typed_config.Unpack(config)
    assert config.common_config.log_name == UPSTREAM_LOG_NAME
    assert config.common_config.grpc_service.envoy_grpc.cluster_name == CONTROL_PLANE_CLUSTER
    assert "grpc-status" in config.additional_response_trailers_to_log
    assert "grpc-status" in config.additional_response_headers_to_log

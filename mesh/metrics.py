"""Prometheus metrics of the control plane: what it pushes and why.

Each `ControlPlaneMetrics` owns its CollectorRegistry, so several control planes
(tests, a restart in-process) never collide on metric registration.
"""

from __future__ import annotations

import contextlib

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from mesh.registry import EndpointKey

ENDPOINT_STATES = ("healthy", "degraded", "unhealthy")


class ControlPlaneMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        labels = ["cluster", "endpoint"]
        self.endpoint_weight = Gauge(
            "ragmesh_endpoint_weight",
            "load_balancing_weight last pushed to Envoy for the endpoint",
            labels,
            registry=self.registry,
        )
        self.endpoint_proposed_weight = Gauge(
            "ragmesh_endpoint_proposed_weight",
            "Weight the policy computes now, before hysteresis",
            labels,
            registry=self.registry,
        )
        self.endpoint_latency = Gauge(
            "ragmesh_endpoint_latency_seconds",
            "Time-decaying EWMA of successful upstream request durations seen by Envoy",
            labels,
            registry=self.registry,
        )
        self.endpoint_error_ratio = Gauge(
            "ragmesh_endpoint_error_ratio",
            "Time-decaying ratio of failed upstream requests",
            labels,
            registry=self.registry,
        )
        self.endpoint_state = Gauge(
            "rag_mesh_endpoint_state",
            "1 for the replica's current three-state health (healthy, degraded, unhealthy), "
            "0 for the other two",
            [*labels, "state"],
            registry=self.registry,
        )
        self.access_log_dropped = Gauge(
            "ragmesh_access_log_dropped",
            "Access log entries Envoy dropped (its access_logs.grpc_access_log.logs_dropped): "
            "upstream attempts the weights never saw",
            registry=self.registry,
        )
        self.desired_replicas = Gauge(
            "rag_mesh_desired_replicas",
            "Replicas the service should run, from calls in flight per replica, latency against "
            "its healthy latency and the indexer's queue (mesh.balancing.autoscale)",
            ["service", "cluster"],
            registry=self.registry,
        )
        self.xds_pushes = Counter(
            "ragmesh_xds_pushes",
            "xDS responses sent to Envoy, by resource type",
            ["type"],
            registry=self.registry,
        )
        self.xds_nacks = Counter(
            "ragmesh_xds_nacks",
            "xDS responses rejected by Envoy, by resource type",
            ["type"],
            registry=self.registry,
        )
        self.access_log_entries = Counter(
            "ragmesh_access_log_entries",
            "Access log entries received from Envoy, by outcome "
            "(recorded, unattributed, intermediate, malformed)",
            ["outcome"],
            registry=self.registry,
        )
        self.weight_pushes = Counter(
            "ragmesh_weight_updates",
            "Weight recomputations that changed what is served, by cluster",
            ["cluster"],
            registry=self.registry,
        )

    def set_desired_replicas(self, service: str, cluster: str, replicas: int) -> None:
        self.desired_replicas.labels(service, cluster).set(replicas)

    def remove_desired_replicas(self, service: str, cluster: str) -> None:
        with contextlib.suppress(KeyError):
            self.desired_replicas.remove(service, cluster)

    def set_endpoint(
        self,
        key: EndpointKey,
        *,
        weight: int,
        proposed: int,
        latency_s: float | None,
        error_ratio: float,
        state: str = "healthy",
    ) -> None:
        labels = (key.cluster, key.address)
        for name in ENDPOINT_STATES:
            self.endpoint_state.labels(*labels, name).set(1.0 if name == state else 0.0)
        self.endpoint_weight.labels(*labels).set(weight)
        self.endpoint_proposed_weight.labels(*labels).set(proposed)
        self.endpoint_error_ratio.labels(*labels).set(error_ratio)
        if latency_s is not None:
            self.endpoint_latency.labels(*labels).set(latency_s)

    def remove_endpoint(self, key: EndpointKey) -> None:
        labels = (key.cluster, key.address)
        for gauge in (
            self.endpoint_weight,
            self.endpoint_proposed_weight,
            self.endpoint_latency,
            self.endpoint_error_ratio,
        ):
            with contextlib.suppress(KeyError):
                gauge.remove(*labels)
        for name in ENDPOINT_STATES:
            with contextlib.suppress(KeyError):
                self.endpoint_state.remove(*labels, name)

    def set_access_log_dropped(self, count: int) -> None:
        self.access_log_dropped.set(count)

    def xds_push(self, type_name: str) -> None:
        self.xds_pushes.labels(type_name).inc()

    def xds_nack(self, type_name: str) -> None:
        self.xds_nacks.labels(type_name).inc()

    def access_log_entry(self, outcome: str, count: int = 1) -> None:
        self.access_log_entries.labels(outcome).inc(count)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

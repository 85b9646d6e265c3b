"""`ragmesh control-plane`: the control plane alone, for meshes that span hosts.

No replicas and no Envoy: Envoys connect to it over ADS (their bootstrap names its
address), and replicas register themselves with MeshControlService.RegisterEndpoint
(RAGMESH_CONTROL_PLANE_ADDRESS in their environment, services/runtime/registration.py),
holding a lease they renew; a replica that stops renewing is removed when the lease lapses.
With RAGMESH_AUTH_MODE=keycloak, MeshControlService needs rag-admin (the replicas use the
service account) and the Envoy config it serves verifies tokens at the edge.

Settings (flags override them):

| variable | default | meaning |
| --- | --- | --- |
| ``RAGMESH_CONTROL_PLANE_HOST`` | ``127.0.0.1`` | address ADS, access logs and MeshControlService bind |
| ``RAGMESH_CONTROL_PLANE_PORT`` | ``18000`` | their port (0: a free one, printed at start) |
| ``RAGMESH_CONTROL_PLANE_METRICS_PORT`` | ``9102`` | Prometheus ``/metrics`` port (0: free, -1: off) |
| ``RAGMESH_CONTROL_PLANE_ADVERTISE_HOST`` | ``""`` | IP Envoy reaches MeshControlService at; default: the bind host (this host's address for a wildcard) |
| ``RAGMESH_CONTROL_PLANE_LISTENER_HOST`` | ``127.0.0.1`` | address of the gRPC listener it gives Envoy (``0.0.0.0`` in a pod) |
| ``RAGMESH_CONTROL_PLANE_LISTENER_PORT`` | ``10000`` | that listener's port |
| ``RAGMESH_CONTROL_PLANE_HEALTH_CHECK_INTERVAL_S`` | ``2`` | Envoy's gRPC health-check interval per replica |
| ``RAGMESH_CONTROL_PLANE_PER_TRY_TIMEOUT_S`` | unset | retry an idempotent call elsewhere after this long (unset: route timeout) |

``RAGMESH_AUTOSCALE_*`` (mesh/balancing/autoscale.py) set the targets of the desired replica
counts it exports (rag_mesh_desired_replicas); with no Envoy admin to read, calls in flight
are estimated from the access logs (request rate x latency).
"""

from __future__ import annotations

import asyncio
import logging
import signal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.edge_auth import edge_auth_from
from mesh.mesh_control import MeshControlServicer
from mesh.xds.resources import MeshSettings
from rag.v1 import mesh_control_pb2_grpc
from services.runtime.auth import TokenVerifier
from services.runtime.interceptors import ServiceInterceptor
from services.runtime.metrics import LatencyInjector
from services.runtime.registration import reachable_ip
from services.runtime.settings import RuntimeSettings
from services.runtime.tracing import configure_tracing

log = logging.getLogger(__name__)


class ControlPlaneSettings(BaseSettings):
    """Where the standalone control plane listens and what Envoy config it serves."""

    model_config = SettingsConfigDict(
        env_prefix="RAGMESH_CONTROL_PLANE_", extra="ignore", frozen=True
    )

    host: str = "127.0.0.1"
    port: int = Field(default=18000, ge=0, le=65535)
    metrics_port: int = Field(default=9102, ge=-1, le=65535)
    advertise_host: str = ""
    listener_host: str = "127.0.0.1"
    listener_port: int = Field(default=10000, gt=0, le=65535)
    health_check_interval_s: float = Field(default=2.0, gt=0)
    per_try_timeout_s: float | None = Field(default=None, gt=0)


async def run_control_plane(settings: ControlPlaneSettings, runtime: RuntimeSettings) -> None:
    """Serve until SIGTERM/SIGINT."""
    mesh = MeshSettings(
        listener_host=settings.listener_host,
        listener_port=settings.listener_port,
        health_check_interval_s=settings.health_check_interval_s,
        per_try_timeout_s=settings.per_try_timeout_s,
        auth=edge_auth_from(runtime),
        otlp_endpoint=runtime.otlp_endpoint or None,
        trace_sample_ratio=runtime.trace_sample_ratio,
    )
    plane = ControlPlane(CATALOG, mesh)
    verifier = TokenVerifier(runtime) if runtime.auth_enabled else None
    if verifier is None:
        log.warning(
            "AUTH DISABLED: anyone who reaches the control plane can register replicas and "
            "drain them (set RAGMESH_AUTH_MODE=keycloak)"
        )
    control = MeshControlServicer(plane)
    port = await plane.start(
        settings.host,
        settings.port,
        extra_servicers=[
            lambda server: mesh_control_pb2_grpc.add_MeshControlServiceServicer_to_server(
                control, server
            )
        ],
        metrics_port=None if settings.metrics_port < 0 else settings.metrics_port,
        interceptors=[
            ServiceInterceptor(
                LatencyInjector(),
                verifier,
                configure_tracing(runtime, "rag.v1.MeshControlService"),
            )
        ],
    )
    try:
        advertise = reachable_ip(
            settings.host,
            settings.advertise_host,
            "RAGMESH_CONTROL_PLANE_ADVERTISE_HOST",
            allow_loopback=True,
        )
        # Operators reach MeshControlService through Envoy like any other service.
        await plane.register_self(host=advertise)
        # Same line as every service prints, for tests and scripts that bind port 0.
        print(f"RAGMESH_LISTENING grpc={port} metrics={plane.metrics_port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("control plane stopping")
    finally:
        await plane.stop()

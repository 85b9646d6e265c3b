"""One way to serve any servicer: gRPC server, health, reflection, metrics, shutdown.

``create_server`` builds and binds (so tests can read the port back) without serving;
``ServiceHost.start``/``stop`` run it; ``serve`` is the process entry point that also
handles SIGTERM/SIGINT: health turns NOT_SERVING, in-flight calls get the grace period,
then the server stops.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import descriptor_pool
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.runtime.auth import TokenVerifier
from services.runtime.interceptors import ServiceInterceptor
from services.runtime.load_report import LoadTracker
from services.runtime.logs import configure_logging
from services.runtime.metrics import LatencyInjector, MetricsEndpoint, zero_request_series
from services.runtime.registration import EndpointRegistration
from services.runtime.roles import service_methods
from services.runtime.settings import RuntimeSettings
from services.runtime.tracing import Tracing, configure_tracing

log = logging.getLogger(__name__)

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


@dataclass(frozen=True)
class ServiceBinding:
    """A servicer and the generated function that registers it, under its full proto name."""

    name: str  # e.g. "rag.v1.EmbeddingService"
    servicer: object
    add_to_server: Callable[[Any, grpc.aio.Server], None]


@dataclass
class ServiceHost:
    """A bound (and possibly running) server with its health, metrics and test-only knobs."""

    server: grpc.aio.Server
    port: int
    settings: RuntimeSettings
    bindings: Sequence[ServiceBinding]
    health: health.aio.HealthServicer
    latency: LatencyInjector
    metrics: MetricsEndpoint | None = None
    tracing: Tracing | None = None
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _stopping: bool = False

    @property
    def address(self) -> str:
        return f"{self.settings.host}:{self.port}"

    @property
    def metrics_port(self) -> int | None:
        return self.metrics.port if self.metrics else None

    async def start(self) -> None:
        await self.server.start()
        if self.metrics:
            self.metrics.start()
        for binding in self.bindings:
            await self.health.set(binding.name, SERVING)
        await self.health.set("", SERVING)
        log.info(
            "serving %s on %s (metrics port %s)",
            ", ".join(b.name for b in self.bindings),
            self.address,
            self.metrics_port,
        )

    async def stop(self, grace: float | None = None) -> None:
        """Graceful stop: NOT_SERVING first, then let in-flight calls finish within the grace."""
        if self._stopping:
            return
        self._stopping = True
        await self.health.enter_graceful_shutdown()
        if self.settings.drain_delay_s > 0:
            # Envoy's health checks need a moment to see NOT_SERVING and stop sending.
            await asyncio.sleep(self.settings.drain_delay_s)
        await self.server.stop(self.settings.grace_period_s if grace is None else grace)
        for hook in self.on_stop:
            await hook()
        if self.metrics:
            self.metrics.stop()
        if self.tracing is not None:
            # Send the last spans (bounded by the export timeout) off the event loop.
            await asyncio.to_thread(self.tracing.shutdown)
        log.info("stopped %s", self.address)

    async def wait_for_termination(self) -> None:
        await self.server.wait_for_termination()


def server_options(settings: RuntimeSettings) -> list[tuple[str, int]]:
    return [
        ("grpc.max_receive_message_length", settings.max_message_bytes),
        ("grpc.max_send_message_length", settings.max_message_bytes),
        ("grpc.so_reuseport", 0),
        # Envoy keeps HTTP/2 connections open; answer its keepalives without complaint.
        ("grpc.http2.min_ping_interval_without_data_ms", 5000),
        ("grpc.keepalive_permit_without_calls", 1),
    ]


def token_verifier(settings: RuntimeSettings) -> TokenVerifier | None:
    """The verifier for this process, or None (with a loud warning) when auth is off."""
    if settings.auth_enabled:
        return TokenVerifier(settings)
    log.warning(
        "AUTH DISABLED: every caller of this server is unrestricted and sees every document "
        "(set RAGMESH_AUTH_MODE=keycloak to require Keycloak tokens)"
    )
    return None


class _MethodAwarePool:
    """The default descriptor pool, plus method symbols ("rag.v1.RagService.Ask").

    The upb-backed pool finds files by message and service names but not by method, so
    ``grpcurl describe rag.v1.RagService.Ask`` got "Symbol not found"; answer with the file
    of the method's service.
    """

    def __init__(self) -> None:
        self._pool = descriptor_pool.Default()

    def FindFileContainingSymbol(self, symbol: str) -> Any:  # the pool interface's name
        try:
            return self._pool.FindFileContainingSymbol(symbol)
        except KeyError:
            service_name, _, method = symbol.rpartition(".")
            service = self._pool.FindServiceByName(service_name)  # KeyError: not found
            if method not in service.methods_by_name:
                raise
            return service.file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


async def create_server(
    bindings: Sequence[ServiceBinding],
    settings: RuntimeSettings,
    reflection_services: Sequence[str] = (),
) -> ServiceHost:
    """Build and bind a server for ``bindings``; ``start()`` it to serve.

    ``reflection_services`` adds contracts this server does not implement to reflection
    (the gateway answers reflection for the whole mesh).
    """
    latency = LatencyInjector(settings.test_only_added_latency_ms / 1000.0)
    tracing = configure_tracing(settings, bindings[0].name if bindings else "ragmesh")
    server = grpc.aio.server(
        interceptors=[
            ServiceInterceptor(
                latency,
                token_verifier(settings),
                tracing,
                LoadTracker() if settings.load_reports else None,
            )
        ],
        options=server_options(settings),
        maximum_concurrent_rpcs=settings.max_concurrent_rpcs,
    )
    for binding in bindings:
        binding.add_to_server(binding.servicer, server)
        zero_request_series(binding.name, service_methods(binding.name))
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = {b.name for b in bindings} | set(reflection_services)
    health_name = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name
    reflection.enable_server_reflection(
        [*sorted(names), health_name, reflection.SERVICE_NAME], server, pool=_MethodAwarePool()
    )
    port = server.add_insecure_port(f"{settings.host}:{settings.port}")
    if port == 0:
        raise OSError(f"could not bind {settings.host}:{settings.port}")
    for binding in bindings:
        await health_servicer.set(binding.name, NOT_SERVING)
    metrics = None
    if settings.metrics_port >= 0:
        metrics = MetricsEndpoint(
            settings.host,
            settings.metrics_port,
            latency if settings.test_only_latency_control else None,
        )
    return ServiceHost(
        server=server,
        port=port,
        settings=settings,
        bindings=list(bindings),
        health=health_servicer,
        latency=latency,
        metrics=metrics,
        tracing=tracing,
    )


async def serve(
    bindings: Sequence[ServiceBinding],
    settings: RuntimeSettings,
    reflection_services: Sequence[str] = (),
    on_stop: Sequence[Callable[[], Awaitable[None]]] = (),
) -> None:
    """Process entry point: serve until SIGTERM/SIGINT, then shut down gracefully."""
    configure_logging(settings.log_level, settings.log_format, settings.replica_id)
    host = await create_server(bindings, settings, reflection_services)
    host.on_stop.extend(on_stop)
    await host.start()
    registration = None
    if settings.control_plane_address:
        # No supervisor registers us (another host, Kubernetes): register ourselves.
        registration = EndpointRegistration(settings, [b.name for b in bindings], host.port)
        await registration.start()
    # One machine-readable line for supervisors and tests that started us on port 0.
    print(f"RAGMESH_LISTENING grpc={host.port} metrics={host.metrics_port}", flush=True)
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop_requested.set)
    await stop_requested.wait()
    log.info("shutdown requested; finishing in-flight calls (grace %.1fs)", settings.grace_period_s)
    if registration is not None:
        await registration.stop()  # out of Envoy's config first, then drain
    await host.stop()


# The servicer context type every servicer method receives (messages typed by the stubs).
RpcContext = grpc.aio.ServicerContext[Any, Any]

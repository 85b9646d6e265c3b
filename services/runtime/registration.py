"""Self-registration: a replica keeps itself in the control plane's registry while it serves.

Used where no supervisor starts the replicas (other hosts, Kubernetes): with
``RAGMESH_CONTROL_PLANE_ADDRESS`` set, ``serve`` starts an ``EndpointRegistration`` that
calls MeshControlService.RegisterEndpoint with a lease, renews it every third of the lease
(retrying sooner after a failure), and deregisters on shutdown before the server drains.
A replica that dies or is cut off stops renewing, and the control plane drops it when the
lease lapses. With auth on, the calls carry the service account's token (rag-admin), which
``mesh_channel`` adds to calls made outside any request.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import re
import socket
from collections.abc import Sequence

import grpc
from google.protobuf import duration_pb2

from rag.v1 import mesh_control_pb2, mesh_control_pb2_grpc
from services.runtime.downstream import mesh_channel
from services.runtime.errors import DomainError
from services.runtime.settings import RuntimeSettings

log = logging.getLogger(__name__)

_WILDCARDS = {"", "0.0.0.0", "::", "[::]"}
_MAX_BACKOFF_S = 5.0


def advertised_host(settings: RuntimeSettings) -> str:
    """The IP other hosts reach this replica at.

    ``RAGMESH_ADVERTISE_HOST`` when set; else the bind host when it is one address; else (a
    wildcard bind) the address this host's name resolves to, unless that is loopback, which
    other hosts could not use.
    """
    return reachable_ip(settings.host, settings.advertise_host, "RAGMESH_ADVERTISE_HOST")


def reachable_ip(
    bind_host: str, advertise: str, variable: str, *, allow_loopback: bool = False
) -> str:
    """The IP to register for a server bound on ``bind_host`` (see ``advertised_host``);
    ``allow_loopback``: fall back to loopback (with a warning) instead of failing."""
    if advertise:
        return _ip(advertise, variable)
    if bind_host not in _WILDCARDS:
        return _ip(bind_host, "the bind host")
    name = socket.gethostname()
    try:
        found = socket.gethostbyname(name)
    except OSError:
        found = "127.0.0.1"
    if ipaddress.ip_address(found).is_loopback:
        problem = (
            f"the server binds every address ({bind_host or 'any'}) and the host name {name!r} "
            f"gives no address other hosts could reach: set {variable}"
        )
        if not allow_loopback:
            raise ValueError(problem)
        log.warning("%s; registering %s, reachable from this host only", problem, found)
    return found


def _ip(value: str, variable: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip("[]")))
    except ValueError:
        pass
    try:
        return socket.gethostbyname(value)
    except OSError as exc:
        raise ValueError(f"{variable}={value!r} is neither an IP nor a resolvable name") from exc


def endpoint_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def replica_ids(settings: RuntimeSettings, services: Sequence[str], port: int) -> list[str]:
    """One id per served service, in the contract's alphabet ([a-z0-9-], at most 63)."""
    raw = settings.replica_id or f"{socket.gethostname()}-{port}"
    base = re.sub(r"[^a-z0-9-]+", "-", raw.lower()).strip("-")[:58] or f"replica-{port}"
    if len(services) == 1:
        return [base]
    return [f"{base}-{index}" for index in range(len(services))]


class EndpointRegistration:
    """Registers ``services`` served on ``port`` and keeps the lease alive until ``stop``."""

    def __init__(
        self,
        settings: RuntimeSettings,
        services: Sequence[str],
        port: int,
        labels: dict[str, str] | None = None,
    ) -> None:
        if not settings.control_plane_address:
            raise ValueError("no control plane address (RAGMESH_CONTROL_PLANE_ADDRESS)")
        self._settings = settings
        self.address = endpoint_address(advertised_host(settings), port)
        self.replicas = dict(zip(services, replica_ids(settings, services, port), strict=True))
        self._labels = {"host": socket.gethostname(), **(labels or {})}
        self._lease_s = settings.registration_lease_s
        # Short calls: a control plane that does not answer must not hold a renewal past
        # the next one.
        self._call_timeout_s = max(1.0, self._lease_s / 6)
        self._channel: grpc.aio.Channel | None = None
        self._task: asyncio.Task[None] | None = None
        self.registered = asyncio.Event()
        self.renewals = 0

    async def start(self) -> None:
        self._channel = mesh_channel(self._settings, self._settings.control_plane_address)
        self._task = asyncio.create_task(self._run(), name="ragmesh-registration")

    async def stop(self) -> None:
        """Stop renewing and deregister, so Envoy stops sending before the server drains."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._channel is None:
            return
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(self._channel)
        for replica_id in self.replicas.values():
            try:
                await stub.DeregisterEndpoint(
                    mesh_control_pb2.DeregisterEndpointRequest(
                        replica_id=replica_id, allow_missing=True
                    ),
                    timeout=self._call_timeout_s,
                )
                log.info(
                    "deregistered %s from %s", replica_id, self._settings.control_plane_address
                )
            except (grpc.aio.AioRpcError, DomainError) as exc:
                # The lease removes it anyway; shutdown must not wait on the control plane.
                log.warning("could not deregister %s: %s", replica_id, _describe(exc))
        await self._channel.close()
        self._channel = None

    async def _run(self) -> None:
        assert self._channel is not None
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(self._channel)
        renew_every = self._lease_s / 3
        backoff = 0.25
        while True:
            try:
                for service, replica_id in self.replicas.items():
                    await self._register(stub, service, replica_id)
            except (grpc.aio.AioRpcError, DomainError) as exc:
                log.warning(
                    "registering %s at %s with %s failed (retry in %.2fs): %s",
                    ", ".join(self.replicas.values()),
                    self.address,
                    self._settings.control_plane_address,
                    min(backoff, renew_every),
                    _describe(exc),
                )
                await asyncio.sleep(min(backoff, renew_every))
                backoff = min(backoff * 2, _MAX_BACKOFF_S)
                continue
            if not self.registered.is_set():
                log.info(
                    "registered %s at %s with %s (lease %.0fs)",
                    ", ".join(self.replicas.values()),
                    self.address,
                    self._settings.control_plane_address,
                    self._lease_s,
                )
                self.registered.set()
            else:
                self.renewals += 1
            backoff = 0.25
            await asyncio.sleep(renew_every)

    async def _register(
        self, stub: mesh_control_pb2_grpc.MeshControlServiceStub, service: str, replica_id: str
    ) -> None:
        lease = duration_pb2.Duration()
        lease.FromNanoseconds(int(self._lease_s * 1e9))
        await stub.RegisterEndpoint(
            mesh_control_pb2.RegisterEndpointRequest(
                replica_id=replica_id,
                service_name=service,
                address=self.address,
                labels=self._labels,
                lease_ttl=lease,
            ),
            timeout=self._call_timeout_s,
        )


def _describe(exc: grpc.aio.AioRpcError | DomainError) -> str:
    if isinstance(exc, grpc.aio.AioRpcError):
        return f"{exc.code().name}: {exc.details()}"
    return f"{exc.code.name}: {exc.message}"

"""MeshControlService: what operators see and change in the mesh (served by the control plane).

Thin over ControlPlane: list and get replicas with health, observed latency and weight;
drain and undrain; pin or clear a weight; register and deregister replicas; mesh status.
Errors are the runtime's domain errors, mapped by the runtime interceptor.

Registrations with a lease (replicas on other hosts register themselves) get a timer: when
it fires and the lease was not renewed, the endpoint is removed and Envoy told at once.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import logging
import re
import time
from collections.abc import Mapping

from google.protobuf import timestamp_pb2

from mesh.balancing.endpoint_state import EndpointState
from mesh.control_plane import ControlPlane, EndpointStatus
from mesh.registry import Endpoint, Health
from rag.v1 import common_pb2, mesh_control_pb2, mesh_control_pb2_grpc
from services.common.convert import duration
from services.runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    invalid_field,
)
from services.runtime.server import RpcContext

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_OVERRIDE = 10_000
# RegisterEndpoint limits (see mesh_control.proto).
MIN_LEASE_S, MAX_LEASE_S = 5.0, 3600.0
MAX_LABELS, MAX_LABEL_KEY, MAX_LABEL_VALUE = 20, 63, 256
_REPLICA_ID = re.compile(r"[a-z0-9-]{1,63}")
_STATES = {
    EndpointState.HEALTHY: mesh_control_pb2.ENDPOINT_STATE_HEALTHY,
    EndpointState.DEGRADED: mesh_control_pb2.ENDPOINT_STATE_DEGRADED,
    EndpointState.UNHEALTHY: mesh_control_pb2.ENDPOINT_STATE_UNHEALTHY,
}


def _timestamp(unix_s: float) -> timestamp_pb2.Timestamp:
    value = timestamp_pb2.Timestamp()
    value.FromNanoseconds(int(unix_s * 1e9))
    return value


def _page_token(offset: int, scope: str) -> str:
    return base64.urlsafe_b64encode(f"{offset}:{scope}".encode()).decode() if offset else ""


def _page_offset(token: str, scope: str) -> int:
    if not token:
        return 0
    try:
        offset, _, token_scope = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if token_scope != scope:
            raise ValueError
        return int(offset)
    except ValueError as exc:
        raise invalid_field(
            "page_token", "is not a token returned by this call with the same filter"
        ) from exc


class MeshControlServicer(mesh_control_pb2_grpc.MeshControlServiceServicer):
    def __init__(self, control_plane: ControlPlane) -> None:
        self._cp = control_plane
        self._started = time.time()
        self._override_expiry: dict[str, tuple[float, asyncio.TimerHandle]] = {}
        self._lease_timers: dict[str, asyncio.TimerHandle] = {}

    # --- reading -----------------------------------------------------------------

    def _status(self, replica_id: str) -> EndpointStatus:
        if not replica_id:
            raise invalid_field("replica_id", "must not be empty")
        for status in self._cp.endpoint_status():
            if status.endpoint.replica_id == replica_id:
                return status
        raise NotFound(
            message=f"no replica {replica_id!r}; ListEndpoints shows the known replicas",
            reason="ENDPOINT_NOT_FOUND",
        )

    def _message(self, status: EndpointStatus) -> mesh_control_pb2.Endpoint:
        ep = status.endpoint
        if ep.draining:
            health = common_pb2.SERVING_STATUS_DRAINING
        elif ep.health is Health.SERVING:
            health = common_pb2.SERVING_STATUS_SERVING
        elif ep.health is Health.NOT_SERVING:
            health = common_pb2.SERVING_STATUS_NOT_SERVING
        else:
            health = common_pb2.SERVING_STATUS_UNSPECIFIED
        message = mesh_control_pb2.Endpoint(
            replica_id=ep.replica_id,
            service_name=ep.service,
            cluster_name=ep.cluster,
            address=ep.address,
            health=health,
            current_weight=status.weight,
            policy_weight=status.proposed_weight,
            weight_override=ep.weight_override or 0,
            draining=ep.draining,
            state=_STATES[status.state],
            state_reason=status.state_reason,
        )
        if status.stats is not None:
            if status.stats.latency_s is not None:
                message.latency_ewma.CopyFrom(duration(status.stats.latency_s))
            message.error_rate = status.stats.error_ratio
            message.requests_observed = status.stats.requests_total
        expiry = self._override_expiry.get(ep.replica_id)
        if expiry is not None:
            message.weight_override_expire_time.CopyFrom(_timestamp(expiry[0]))
        registration = self._cp.registry.registration(ep.cluster, ep.replica_id)
        message.labels.update(registration.labels)
        if registration.registered_at:
            message.register_time.CopyFrom(_timestamp(registration.registered_at))
        remaining = self._cp.registry.lease_remaining(ep.cluster, ep.replica_id)
        if remaining is not None:
            message.lease_expire_time.CopyFrom(_timestamp(time.time() + remaining))
        return message

    def _version(self) -> str:
        snapshot = self._cp.snapshot
        if snapshot is None:
            return ""
        return ";".join(
            f"{url.rsplit('.', 1)[-1]}={res.version}"
            for url, res in sorted(snapshot.resources.items())
        )

    async def ListEndpoints(
        self, request: mesh_control_pb2.ListEndpointsRequest, context: RpcContext
    ) -> mesh_control_pb2.ListEndpointsResponse:
        if request.page_size < 0:
            raise invalid_field("page_size", "must not be negative")
        size = min(request.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        cluster = None
        if request.service_name:
            try:
                cluster = self._cp.catalog.by_name(request.service_name).cluster
            except KeyError as exc:
                raise invalid_field("service_name", "is not a rag.v1 service of this mesh") from exc
        offset = _page_offset(request.page_token, request.service_name)
        statuses = self._cp.endpoint_status(cluster)
        page = statuses[offset : offset + size]
        more = offset + size < len(statuses)
        return mesh_control_pb2.ListEndpointsResponse(
            endpoints=[self._message(s) for s in page],
            next_page_token=_page_token(offset + size, request.service_name) if more else "",
        )

    async def GetEndpoint(
        self, request: mesh_control_pb2.GetEndpointRequest, context: RpcContext
    ) -> mesh_control_pb2.GetEndpointResponse:
        return mesh_control_pb2.GetEndpointResponse(
            endpoint=self._message(self._status(request.replica_id))
        )

    async def GetMeshStatus(
        self, request: mesh_control_pb2.GetMeshStatusRequest, context: RpcContext
    ) -> mesh_control_pb2.GetMeshStatusResponse:
        statuses = self._cp.endpoint_status()
        pushes = sum(
            sample.value
            for metric in self._cp.metrics.weight_pushes.collect()
            for sample in metric.samples
            if sample.name.endswith("_total")
        )
        return mesh_control_pb2.GetMeshStatusResponse(
            snapshot_version=self._version(),
            nodes=[
                mesh_control_pb2.EnvoyNode(
                    node_id=stream.node_id,
                    resource_types=[
                        mesh_control_pb2.ResourceTypeStatus(
                            type_url=url,
                            acked_version=version,
                            nacked_version=stream.rejected.get(url, ""),
                        )
                        for url, version in sorted(stream.acked.items())
                    ],
                )
                for stream in self._cp.streams()
            ],
            weight_push_count=int(pushes),
            endpoint_count=len(statuses),
            serving_endpoint_count=sum(
                1
                for s in statuses
                if s.endpoint.health is Health.SERVING and not s.endpoint.draining
            ),
            start_time=_timestamp(self._started),
            service_scalings=[
                mesh_control_pb2.ServiceScaling(
                    service_name=scaled.service,
                    cluster_name=scaled.cluster,
                    replicas=scaled.load.replicas,
                    desired_replicas=scaled.decision.desired,
                    reason=scaled.decision.reason,
                    in_flight_per_replica=scaled.load.in_flight / max(scaled.load.replicas, 1),
                    target_in_flight=scaled.policy.target_in_flight,
                    latency_ratio=scaled.load.latency_ratio or 0.0,
                    min_replicas=scaled.policy.min_replicas,
                    max_replicas=scaled.policy.max_replicas,
                )
                for scaled in self._cp.scaling()
            ],
        )

    # --- changing ----------------------------------------------------------------

    def _changed(self, endpoint: Endpoint) -> tuple[mesh_control_pb2.Endpoint, str]:
        self._cp.refresh(force=True)  # operator intent reaches Envoy now, not on the next tick
        return self._message(self._status(endpoint.replica_id)), self._version()

    async def DrainEndpoint(
        self, request: mesh_control_pb2.DrainEndpointRequest, context: RpcContext
    ) -> mesh_control_pb2.DrainEndpointResponse:
        ep = self._status(request.replica_id).endpoint
        if not request.force and self._cp.registry.is_last_serving(ep):
            raise FailedPrecondition(
                message=f"{ep.replica_id} is the last serving replica of {ep.service}; "
                "set force to drain it anyway",
                reason="LAST_SERVING_ENDPOINT",
            )
        updated = self._cp.registry.set_draining(ep.cluster, ep.replica_id, True)
        endpoint, version = self._changed(updated)
        return mesh_control_pb2.DrainEndpointResponse(endpoint=endpoint, snapshot_version=version)

    async def UndrainEndpoint(
        self, request: mesh_control_pb2.UndrainEndpointRequest, context: RpcContext
    ) -> mesh_control_pb2.UndrainEndpointResponse:
        ep = self._status(request.replica_id).endpoint
        updated = self._cp.registry.set_draining(ep.cluster, ep.replica_id, False)
        endpoint, version = self._changed(updated)
        return mesh_control_pb2.UndrainEndpointResponse(endpoint=endpoint, snapshot_version=version)

    async def SetWeightOverride(
        self, request: mesh_control_pb2.SetWeightOverrideRequest, context: RpcContext
    ) -> mesh_control_pb2.SetWeightOverrideResponse:
        if not 1 <= request.weight <= MAX_OVERRIDE:
            raise invalid_field("weight", f"must be between 1 and {MAX_OVERRIDE}")
        ttl = request.ttl.ToTimedelta().total_seconds() if request.HasField("ttl") else 0.0
        if ttl < 0:
            raise invalid_field("ttl", "must not be negative")
        ep = self._status(request.replica_id).endpoint
        self._cancel_expiry(ep.replica_id)
        updated = self._cp.registry.set_weight_override(ep.cluster, ep.replica_id, request.weight)
        if ttl > 0:
            handle = asyncio.get_running_loop().call_later(
                ttl, self._expire, ep.cluster, ep.replica_id
            )
            self._override_expiry[ep.replica_id] = (time.time() + ttl, handle)
        endpoint, version = self._changed(updated)
        return mesh_control_pb2.SetWeightOverrideResponse(
            endpoint=endpoint, snapshot_version=version
        )

    async def ClearWeightOverride(
        self, request: mesh_control_pb2.ClearWeightOverrideRequest, context: RpcContext
    ) -> mesh_control_pb2.ClearWeightOverrideResponse:
        ep = self._status(request.replica_id).endpoint
        self._cancel_expiry(ep.replica_id)
        updated = self._cp.registry.set_weight_override(ep.cluster, ep.replica_id, None)
        endpoint, version = self._changed(updated)
        return mesh_control_pb2.ClearWeightOverrideResponse(
            endpoint=endpoint, snapshot_version=version
        )

    async def RegisterEndpoint(
        self, request: mesh_control_pb2.RegisterEndpointRequest, context: RpcContext
    ) -> mesh_control_pb2.RegisterEndpointResponse:
        if not _REPLICA_ID.fullmatch(request.replica_id):
            raise invalid_field("replica_id", "must be 1-63 characters from [a-z0-9-]")
        host, port = _host_port(request.address)
        try:
            spec = self._cp.catalog.by_name(request.service_name)
        except KeyError as exc:
            raise invalid_field("service_name", "is not a rag.v1 service of this mesh") from exc
        lease_s: float | None = None
        if request.HasField("lease_ttl") and request.lease_ttl.ToNanoseconds():
            lease_s = request.lease_ttl.ToNanoseconds() / 1e9
            if not MIN_LEASE_S <= lease_s <= MAX_LEASE_S:
                raise invalid_field(
                    "lease_ttl", f"must be between {MIN_LEASE_S:.0f} s and {MAX_LEASE_S:.0f} s"
                )
        _check_labels(request.labels)
        for known in self._cp.registry.endpoints():
            if known.replica_id == request.replica_id and (
                known.service != spec.name or known.address != f"{host}:{port}"
            ):
                raise AlreadyExists(
                    message=f"replica {request.replica_id!r} is registered as {known.service} "
                    f"at {known.address}; deregister it first (or wait for its lease to lapse)",
                    reason="ENDPOINT_EXISTS",
                    metadata={"service_name": known.service, "address": known.address},
                )
        generation = self._cp.registry.generation
        try:
            endpoint = self._cp.registry.register(
                spec.name,
                request.replica_id,
                host,
                port,
                lease_ttl_s=lease_s,
                labels=dict(request.labels),
            )
        except ValueError as exc:
            raise InvalidArgument(message=str(exc), reason="INVALID_ENDPOINT") from exc
        self._schedule_lease(endpoint, lease_s)
        if self._cp.registry.generation == generation:
            # A renewal: nothing Envoy sees changed, so no new snapshot either.
            return mesh_control_pb2.RegisterEndpointResponse(
                endpoint=self._message(self._status(endpoint.replica_id))
            )
        message, version = self._changed(endpoint)
        return mesh_control_pb2.RegisterEndpointResponse(endpoint=message, snapshot_version=version)

    async def DeregisterEndpoint(
        self, request: mesh_control_pb2.DeregisterEndpointRequest, context: RpcContext
    ) -> mesh_control_pb2.DeregisterEndpointResponse:
        try:
            status = self._status(request.replica_id)
        except NotFound:
            if request.allow_missing:
                return mesh_control_pb2.DeregisterEndpointResponse(snapshot_version=self._version())
            raise
        message = self._message(status)
        self._cancel_expiry(request.replica_id)
        self._cancel_lease(request.replica_id)
        self._cp.registry.deregister(status.endpoint.cluster, status.endpoint.replica_id)
        self._cp.refresh(force=True)
        return mesh_control_pb2.DeregisterEndpointResponse(
            endpoint=message, snapshot_version=self._version()
        )

    def _cancel_expiry(self, replica_id: str) -> None:
        expiry = self._override_expiry.pop(replica_id, None)
        if expiry is not None:
            expiry[1].cancel()

    def _schedule_lease(self, endpoint: Endpoint, lease_s: float | None) -> None:
        self._cancel_lease(endpoint.replica_id)
        if lease_s is not None:
            self._lease_timers[endpoint.replica_id] = asyncio.get_running_loop().call_later(
                lease_s, self._lease_due, endpoint.cluster, endpoint.replica_id
            )

    def _cancel_lease(self, replica_id: str) -> None:
        timer = self._lease_timers.pop(replica_id, None)
        if timer is not None:
            timer.cancel()

    def _lease_due(self, cluster: str, replica_id: str) -> None:
        self._lease_timers.pop(replica_id, None)
        try:
            remaining = self._cp.registry.lease_remaining(cluster, replica_id)
        except KeyError:
            return  # deregistered meanwhile
        if remaining is None:
            return  # re-registered without a lease
        if remaining > 0:  # renewed, or the timer fired a hair early
            self._lease_timers[replica_id] = asyncio.get_running_loop().call_later(
                remaining, self._lease_due, cluster, replica_id
            )
            return
        for gone in self._cp.registry.expire_leases():
            self._cancel_expiry(gone.replica_id)
            self._cancel_lease(gone.replica_id)
            log.warning(
                "%s at %s missed its lease renewal: removed from %s",
                gone.replica_id,
                gone.address,
                gone.cluster,
            )
        self._cp.refresh(force=True)

    def _expire(self, cluster: str, replica_id: str) -> None:
        self._override_expiry.pop(replica_id, None)
        try:
            self._cp.registry.set_weight_override(cluster, replica_id, None)
        except KeyError:
            return
        self._cp.refresh(force=True)


def _host_port(address: str) -> tuple[str, int]:
    """Split "IP:PORT" or "[IPv6]:PORT"; INVALID_ARGUMENT for anything else."""
    host, _, port = address.rpartition(":")
    host = host.removeprefix("[").removesuffix("]") if host.startswith("[") else host
    try:
        ipaddress.ip_address(host)
        number = int(port)
    except ValueError:
        number = 0
    if not 0 < number < 65536:
        raise invalid_field(
            "address", "must be IP:PORT (Envoy does not resolve names), e.g. 10.0.0.7:50051"
        )
    return host, number


def _check_labels(labels: Mapping[str, str]) -> None:
    if len(labels) > MAX_LABELS:
        raise invalid_field("labels", f"at most {MAX_LABELS} labels")
    for key, value in labels.items():
        if not 0 < len(key) <= MAX_LABEL_KEY:
            raise invalid_field("labels", f"keys must be 1-{MAX_LABEL_KEY} characters")
        if len(value) > MAX_LABEL_VALUE:
            raise invalid_field(
                f"labels[{key}]", f"values must be at most {MAX_LABEL_VALUE} characters"
            )

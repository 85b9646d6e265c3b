"""MeshControlService: what operators see and change in the mesh (served by the control plane).

Thin over ControlPlane: list and get replicas with health, observed latency and weight;
drain and undrain; pin or clear a weight; register and deregister replicas; mesh status.
Errors are the runtime's domain errors, mapped by the runtime interceptor.
"""

from __future__ import annotations

import asyncio
import base64
import time

from google.protobuf import timestamp_pb2

from mesh.control_plane import ControlPlane, EndpointStatus
from mesh.registry import Endpoint, Health
from rag.v1 import common_pb2, mesh_control_pb2, mesh_control_pb2_grpc
from services.common.convert import duration
from services.runtime.errors import FailedPrecondition, InvalidArgument, NotFound, invalid_field
from services.runtime.server import RpcContext

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_OVERRIDE = 10_000


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
        )
        if status.stats is not None:
            if status.stats.latency_s is not None:
                message.latency_ewma.CopyFrom(duration(status.stats.latency_s))
            message.error_rate = status.stats.error_ratio
            message.requests_observed = status.stats.requests_total
        expiry = self._override_expiry.get(ep.replica_id)
        if expiry is not None:
            message.weight_override_expire_time.CopyFrom(_timestamp(expiry[0]))
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
        if not request.replica_id:
            raise invalid_field("replica_id", "must not be empty")
        host, _, port = request.address.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise invalid_field("address", "must be IP:PORT, e.g. 127.0.0.1:50051")
        try:
            self._cp.catalog.by_name(request.service_name)
        except KeyError as exc:
            raise invalid_field("service_name", "is not a rag.v1 service of this mesh") from exc
        try:
            endpoint = self._cp.registry.register(
                request.service_name, request.replica_id, host, int(port)
            )
        except ValueError as exc:
            raise InvalidArgument(message=str(exc), reason="INVALID_ENDPOINT") from exc
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
        self._cp.registry.deregister(status.endpoint.cluster, status.endpoint.replica_id)
        self._cp.refresh(force=True)
        return mesh_control_pb2.DeregisterEndpointResponse(
            endpoint=message, snapshot_version=self._version()
        )

    def _cancel_expiry(self, replica_id: str) -> None:
        expiry = self._override_expiry.pop(replica_id, None)
        if expiry is not None:
            expiry[1].cancel()

    def _expire(self, cluster: str, replica_id: str) -> None:
        self._override_expiry.pop(replica_id, None)
        try:
            self._cp.registry.set_weight_override(cluster, replica_id, None)
        except KeyError:
            return
        self._cp.refresh(force=True)

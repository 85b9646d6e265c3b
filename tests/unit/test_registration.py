"""Self-registration: registry leases, RegisterEndpoint's contract, the replica's renewal task."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator

import grpc
import pytest
import yaml  # type: ignore[import-untyped]
from google.protobuf import duration_pb2

from mesh import mesh_control
from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.mesh_control import MeshControlServicer
from mesh.registry import EndpointRegistry, Health
from rag.v1 import mesh_control_pb2, mesh_control_pb2_grpc
from services.runtime.errors import AlreadyExists, InvalidArgument
from services.runtime.interceptors import ServiceInterceptor
from services.runtime.metrics import LatencyInjector
from services.runtime.registration import (
    EndpointRegistration,
    advertised_host,
    reachable_ip,
    replica_ids,
)
from services.runtime.settings import RuntimeSettings
from tests.support.processes import REPO, free_port

EMBEDDING = "rag.v1.EmbeddingService"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- registry leases --------------------------------------------------------------------


def test_a_lease_lapses_unless_renewed_and_renewal_is_not_a_change() -> None:
    clock = FakeClock()
    registry = EndpointRegistry(CATALOG, clock=clock)
    changes: list[int] = []
    registry.add_listener(lambda: changes.append(registry.generation))
    registry.register(EMBEDDING, "a", "10.0.0.1", 50051, lease_ttl_s=10)
    registry.register(EMBEDDING, "pinned", "10.0.0.2", 50051)  # no lease: stays
    registry.set_health("embedding", "a", Health.SERVING)
    assert len(changes) == 3
    clock.now += 8
    renewed = registry.register(EMBEDDING, "a", "10.0.0.1", 50051, lease_ttl_s=10)
    assert renewed.health is Health.SERVING  # same address: a renewal keeps health
    assert len(changes) == 3  # nothing Envoy sees changed
    clock.now += 8  # 16 s after the first registration, 8 after the renewal
    assert registry.expire_leases() == []
    assert registry.lease_remaining("embedding", "a") == pytest.approx(2.0)
    clock.now += 2
    expired = registry.expire_leases()
    assert [e.replica_id for e in expired] == ["a"]
    assert [e.replica_id for e in registry.endpoints("embedding")] == ["pinned"]
    assert len(changes) == 4
    assert registry.lease_remaining("embedding", "pinned") is None


def test_registration_records_labels_and_rejects_a_non_positive_lease() -> None:
    registry = EndpointRegistry(CATALOG)
    registry.register(EMBEDDING, "a", "10.0.0.1", 1, lease_ttl_s=5, labels={"zone": "z1"})
    assert registry.registration("embedding", "a").labels == {"zone": "z1"}
    with pytest.raises(ValueError, match="positive"):
        registry.register(EMBEDDING, "b", "10.0.0.2", 1, lease_ttl_s=0)


# --- RegisterEndpoint ---------------------------------------------------------------------


def lease(seconds: float) -> duration_pb2.Duration:
    value = duration_pb2.Duration()
    value.FromNanoseconds(int(seconds * 1e9))
    return value


def request(
    replica_id: str = "embedding-a", address: str = "10.0.0.1:50051", lease_s: float = 0
) -> mesh_control_pb2.RegisterEndpointRequest:
    return mesh_control_pb2.RegisterEndpointRequest(
        replica_id=replica_id,
        service_name=EMBEDDING,
        address=address,
        labels={"host": "node-1"},
        lease_ttl=lease(lease_s) if lease_s else None,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"replica_id": "Embedding_A"}, "replica_id"),
        ({"replica_id": ""}, "replica_id"),
        ({"address": "replica.example:50051"}, "address"),
        ({"address": "10.0.0.1"}, "address"),
        ({"address": "10.0.0.1:0"}, "address"),
        ({"lease_s": 1}, "lease_ttl"),
        ({"lease_s": 7200}, "lease_ttl"),
    ],
)
async def test_register_rejects_what_the_contract_rejects(
    change: dict[str, object], field: str
) -> None:
    servicer = MeshControlServicer(ControlPlane(CATALOG))
    with pytest.raises(InvalidArgument) as caught:
        await servicer.RegisterEndpoint(request(**change), None)  # type: ignore[arg-type]
    assert [v.field for v in caught.value.field_violations] == [field]


async def test_register_accepts_ipv6_and_refuses_a_taken_replica_id() -> None:
    plane = ControlPlane(CATALOG)
    servicer = MeshControlServicer(plane)
    await servicer.RegisterEndpoint(request(address="[fd00::7]:50051"), None)  # type: ignore[arg-type]
    [endpoint] = plane.registry.endpoints("embedding")
    assert (endpoint.host, endpoint.port) == ("fd00::7", 50051)
    with pytest.raises(AlreadyExists, match="deregister it first"):
        await servicer.RegisterEndpoint(request(address="10.0.0.9:50051"), None)  # type: ignore[arg-type]


async def test_a_renewal_pushes_nothing_and_a_lapsed_lease_removes_the_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mesh_control, "MIN_LEASE_S", 0.1)  # the contract's minimum is 5 s
    plane = ControlPlane(CATALOG)
    servicer = MeshControlServicer(plane)
    first = await servicer.RegisterEndpoint(request(lease_s=0.4), None)  # type: ignore[arg-type]
    assert first.snapshot_version
    assert first.endpoint.labels == {"host": "node-1"}
    assert first.endpoint.HasField("lease_expire_time") and first.endpoint.HasField("register_time")
    await asyncio.sleep(0.25)
    renewed = await servicer.RegisterEndpoint(request(lease_s=0.4), None)  # type: ignore[arg-type]
    assert renewed.snapshot_version == ""
    await asyncio.sleep(0.25)  # past the first lease, within the renewed one
    assert [e.replica_id for e in plane.registry.endpoints("embedding")] == ["embedding-a"]
    before = plane.snapshot
    await asyncio.sleep(0.35)
    assert plane.registry.endpoints("embedding") == []
    assert plane.snapshot is not before  # Envoy is told at once


# --- the replica's side -------------------------------------------------------------------


def test_advertised_host_never_guesses_a_loopback_for_a_wildcard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert advertised_host(RuntimeSettings(host="10.1.2.3")) == "10.1.2.3"
    assert advertised_host(RuntimeSettings(host="0.0.0.0", advertise_host="10.9.9.9")) == (
        "10.9.9.9"
    )
    monkeypatch.setattr("socket.gethostbyname", lambda name: "127.0.1.1")
    with pytest.raises(ValueError, match="RAGMESH_ADVERTISE_HOST"):
        advertised_host(RuntimeSettings(host="0.0.0.0"))
    assert reachable_ip("0.0.0.0", "", "X", allow_loopback=True) == "127.0.1.1"


def test_replica_ids_fit_the_contract() -> None:
    settings = RuntimeSettings(replica_id="Vector_Store-0")
    assert replica_ids(settings, [EMBEDDING], 1) == ["vector-store-0"]
    assert replica_ids(settings, ["a", "b"], 1) == ["vector-store-0-0", "vector-store-0-1"]


@pytest.fixture
async def plane() -> AsyncIterator[ControlPlane]:
    control_plane = ControlPlane(CATALOG)
    control = MeshControlServicer(control_plane)
    await control_plane.start(
        "127.0.0.1",
        0,
        extra_servicers=[
            lambda server: mesh_control_pb2_grpc.add_MeshControlServiceServicer_to_server(
                control, server
            )
        ],
        # Maps domain errors to status codes, as in every deployment.
        interceptors=[ServiceInterceptor(LatencyInjector())],
    )
    try:
        yield control_plane
    finally:
        await control_plane.stop()


async def test_a_replica_registers_renews_and_deregisters(plane: ControlPlane) -> None:
    settings = RuntimeSettings(
        host="127.0.0.1",
        replica_id="probe-0",
        control_plane_address=f"127.0.0.1:{plane.port}",
        registration_lease_s=5,
    )
    registration = EndpointRegistration(settings, [EMBEDDING], 50999, labels={"zone": "a"})
    await registration.start()
    try:
        await asyncio.wait_for(registration.registered.wait(), 5)
        [endpoint] = plane.registry.endpoints("embedding")
        assert (endpoint.replica_id, endpoint.address) == ("probe-0", "127.0.0.1:50999")
        assert plane.registry.registration("embedding", "probe-0").labels["zone"] == "a"
        remaining = plane.registry.lease_remaining("embedding", "probe-0")
        assert remaining is not None and 0 < remaining <= 5
        # Renewed every third of the lease: it is still there after the lease.
        await asyncio.sleep(5.5)
        assert registration.renewals >= 2
        assert [e.replica_id for e in plane.registry.endpoints("embedding")] == ["probe-0"]
    finally:
        await registration.stop()
    assert plane.registry.endpoints("embedding") == []


async def test_a_replica_keeps_trying_until_the_control_plane_answers() -> None:
    control_plane = ControlPlane(CATALOG)
    control = MeshControlServicer(control_plane)
    # Reserve a port, then start the control plane on it only after the replica tried.
    port = free_port()
    settings = RuntimeSettings(
        replica_id="late-0", control_plane_address=f"127.0.0.1:{port}", registration_lease_s=6
    )
    registration = EndpointRegistration(settings, [EMBEDDING], 50998)
    await registration.start()
    try:
        await asyncio.sleep(0.6)
        assert not registration.registered.is_set()
        await control_plane.start(
            "127.0.0.1",
            port,
            extra_servicers=[
                lambda server: mesh_control_pb2_grpc.add_MeshControlServiceServicer_to_server(
                    control, server
                )
            ],
        )
        await asyncio.wait_for(registration.registered.wait(), 10)
        assert [e.replica_id for e in control_plane.registry.endpoints("embedding")] == ["late-0"]
    finally:
        await registration.stop()
        await control_plane.stop()


async def test_registration_over_grpc_reports_the_lease(plane: ControlPlane) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{plane.port}") as channel:
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(channel)
        await stub.RegisterEndpoint(request(lease_s=30), timeout=5)
        listed = await stub.ListEndpoints(
            mesh_control_pb2.ListEndpointsRequest(service_name=EMBEDDING), timeout=5
        )
        [endpoint] = listed.endpoints
        left = endpoint.lease_expire_time.ToDatetime().timestamp() - (
            endpoint.register_time.ToDatetime().timestamp()
        )
        assert 29 <= left <= 30.5
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.RegisterEndpoint(request(address="10.0.0.2:1"), timeout=5)
        assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS


# --- Kubernetes: the manifests use what exists --------------------------------------------


def test_k8s_pods_register_themselves_at_their_pod_ip() -> None:
    k8s = REPO / "deploy" / "k8s"
    settings = yaml.safe_load((k8s / "settings.yaml").read_text())["data"]
    assert settings["RAGMESH_CONTROL_PLANE_ADDRESS"].endswith(":18000")
    for doc in yaml.safe_load_all((k8s / "services.yaml").read_text()):
        if doc and doc["kind"] == "Deployment":
            container = doc["spec"]["template"]["spec"]["containers"][0]
            env = {e["name"]: e for e in container["env"]}
            assert env["RAGMESH_ADVERTISE_HOST"]["valueFrom"]["fieldRef"]["fieldPath"] == (
                "status.podIP"
            ), doc["metadata"]["name"]
    plane = next(
        d
        for d in yaml.safe_load_all((k8s / "control-plane.yaml").read_text())
        if d["kind"] == "Deployment"
    )
    command = plane["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[:2] == ["ragmesh", "control-plane"]
    usage = subprocess.run(
        [sys.executable, "-m", "ragmesh", "control-plane", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    for flag in (arg for arg in command[2:] if arg.startswith("--")):
        assert flag in usage, flag

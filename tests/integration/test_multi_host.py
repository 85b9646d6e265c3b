"""Beyond one machine: replicas on separate hosts (network namespaces), nothing on localhost.

Three hosts, each a network namespace with its own IP on a bridge; the root namespace is
the fourth host, running the control plane alone (`ragmesh control-plane`) and Envoy, both
bound to the bridge address. A probe replica of EmbeddingService runs on each host, bound
to that host's IP, and registers itself with the control plane (RAGMESH_CONTROL_PLANE_ADDRESS,
a 5 s lease). Envoy balances a steady stream of idempotent Embed calls across the three;
then one host is cut off the network mid-run (its bridge port goes down: packets vanish,
nothing is reset). No call may fail: Envoy retries a call stuck on the cut host on another
host (per-try timeout), health checks take the host out, and the control plane drops it
when its lease lapses, while the traffic moves to the two hosts left.

Also: `ragmesh up` (the supervisor) binds and registers the addresses RAGMESH_MESH_* give
it instead of loopback. Skipped (saying why) only without root or `ip netns`.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest

from mesh.envoy_admin import EnvoyAdmin, UpstreamHost
from mesh.local.envoy_process import EnvoyProcess
from mesh.local.network import MeshNetworkSettings
from mesh.local.supervisor import ServiceLaunch, Supervisor, UpSettings
from mesh.xds.bootstrap import BootstrapSettings
from mesh.xds.resources import MeshSettings
from rag.v1 import embedding_pb2, embedding_pb2_grpc, mesh_control_pb2, mesh_control_pb2_grpc
from tests.support.netns import HostNetwork, HostProcess, netns_unavailable
from tests.support.processes import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

SERVICE = "rag.v1.EmbeddingService"
CLUSTER = "embedding"
REPLICA_PORT = 50051  # every host has its own port space, as pods do
LEASE_S = 5  # the contract's shortest lease: a cut host is dropped within seconds
# Calls in flight at once, so the cut usually lands on some: as many as the retry budget
# always allows to retry together (min_retry_concurrency); beyond it Envoy deliberately
# refuses some retries (upstream_rq_retry_overflow) to spare a sick cluster.
WORKERS = MeshSettings().min_retry_concurrency
CALLS_AFTER_REMOVAL = 150
REQUEST = embedding_pb2.EmbedRequest(texts=["the same text on every host"])


@pytest.fixture
def network() -> Iterator[HostNetwork]:
    reason = netns_unavailable()
    if reason is not None:
        pytest.skip(reason)
    hosts = HostNetwork(3)
    try:
        yield hosts.create()
    finally:
        hosts.destroy()


@pytest.fixture
def processes() -> Iterator[list[HostProcess]]:
    started: list[HostProcess] = []
    try:
        yield started
    finally:
        for process in reversed(started):
            process.stop()


@pytest.fixture
async def envoy(tmp_path: Path) -> AsyncIterator[list[EnvoyProcess]]:
    holder: list[EnvoyProcess] = []
    try:
        yield holder
    finally:
        for process in holder:
            await process.stop()


def test_host_network_gives_each_host_its_own_address_and_cleans_up() -> None:
    reason = netns_unavailable()
    if reason is not None:
        pytest.skip(reason)
    hosts = HostNetwork(2)
    try:
        hosts.create()
        assert hosts.namespaces() == {h.namespace for h in hosts.hosts}
        first, second = hosts.hosts
        # A host sees its own address and reaches the other host over the bridge.
        listener = HostProcess(
            second,
            "tests.support.probe_service",
            {"RAGMESH_HOST": second.ip, "RAGMESH_PORT": "7000", "RAGMESH_METRICS_PORT": "-1"},
        ).wait_ready()
        try:
            code = (
                "import grpc,sys;"
                f"c=grpc.insecure_channel('{second.ip}:7000');"
                "grpc.channel_ready_future(c).result(timeout=10);print('reached')"
            )
            reached = subprocess.run(
                ["ip", "netns", "exec", first.namespace, sys.executable, "-c", code],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert "reached" in reached.stdout, reached.stderr
            hosts.cut(second)
            cut_off = subprocess.run(
                ["ip", "netns", "exec", first.namespace, sys.executable, "-c",
                 code.replace("timeout=10", "timeout=2")],
                capture_output=True,
                text=True,
                timeout=30,
            )  # fmt: skip
            assert "reached" not in cut_off.stdout
        finally:
            listener.stop()
    finally:
        hosts.destroy()
    assert hosts.namespaces() == set() and hosts.links() == set()


async def hosts_in_envoy(admin: EnvoyAdmin) -> dict[str, UpstreamHost]:
    return {a: h for (c, a), h in (await admin.clusters()).items() if c == CLUSTER}


async def registered(control_plane: str) -> dict[str, mesh_control_pb2.Endpoint]:
    async with grpc.aio.insecure_channel(control_plane) as channel:
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(channel)
        reply = await stub.ListEndpoints(
            mesh_control_pb2.ListEndpointsRequest(service_name=SERVICE), timeout=5
        )
    return {e.address: e for e in reply.endpoints}


async def eventually(check: object, timeout_s: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        assert callable(check)
        if await check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"not within {timeout_s}s: {what}")


async def test_envoy_balances_across_hosts_and_loses_no_call_when_one_is_cut_off(
    network: HostNetwork,
    processes: list[HostProcess],
    envoy: list[EnvoyProcess],
    tmp_path: Path,
) -> None:
    gateway = network.gateway
    listener_port = free_port()
    # The control plane alone, on the bridge address (no replicas, no Envoy).
    plane = HostProcess(
        None,
        "ragmesh",
        {
            "RAGMESH_AUTH_MODE": "disabled",
            # Quick health checks and a per-try timeout: a cut host answers nothing.
            "RAGMESH_CONTROL_PLANE_HEALTH_CHECK_INTERVAL_S": "0.5",
            "RAGMESH_CONTROL_PLANE_PER_TRY_TIMEOUT_S": "1",
        },
        args=[
            "control-plane",
            "--host", gateway,
            "--port", "0",
            "--metrics-port", "-1",
            "--listener-host", gateway,
            "--listener-port", str(listener_port),
        ],
    )  # fmt: skip
    processes.append(plane)
    plane.wait_ready(30)
    control_plane = f"{gateway}:{plane.port}"

    proxy = EnvoyProcess(
        BootstrapSettings(
            control_plane_port=plane.port,
            control_plane_host=gateway,
            node_id=f"multi-host-{network.bridge}",
            admin_port=free_port(),
        ),
        tmp_path,
        log_level="warning",
    )
    envoy.append(proxy)
    await proxy.start()
    await proxy.wait_ready()

    for host in network.hosts:
        replica = HostProcess(
            host,
            "tests.support.probe_service",
            {
                "RAGMESH_HOST": host.ip,
                "RAGMESH_PORT": str(REPLICA_PORT),
                "RAGMESH_METRICS_PORT": "-1",
                "RAGMESH_CONTROL_PLANE_ADDRESS": control_plane,
                "RAGMESH_REPLICA_ID": f"probe-host-{host.index}",
                "RAGMESH_REGISTRATION_LEASE_S": str(LEASE_S),
                "RAGMESH_AUTH_MODE": "disabled",
            },
        )
        processes.append(replica)
    for replica in processes[1:]:
        replica.wait_ready(60)

    addresses = {f"{h.ip}:{REPLICA_PORT}": h for h in network.hosts}
    admin = proxy.admin

    async def all_healthy() -> bool:
        found = await hosts_in_envoy(admin)
        return set(found) == set(addresses) and all(h.healthy for h in found.values())

    await eventually(all_healthy, 30, f"Envoy health-checks every host: {sorted(addresses)}")
    # Each replica registered itself, at its own host's address, with a lease.
    endpoints = await registered(control_plane)
    assert set(endpoints) == set(addresses)
    assert all(e.HasField("lease_expire_time") for e in endpoints.values())
    assert all(not a.startswith("127.") for a in endpoints)

    failures: list[str] = []
    successes = 0
    stop = asyncio.Event()

    async def worker(stub: embedding_pb2_grpc.EmbeddingServiceStub) -> None:
        nonlocal successes
        while not stop.is_set():
            try:
                reply = await stub.Embed(REQUEST, timeout=10)
                assert reply.model_id == "probe" and len(reply.embeddings) == 1
                successes += 1
            except grpc.aio.AioRpcError as error:
                failures.append(f"{error.code().name}: {error.details()}")

    cut = network.hosts[-1]
    cut_address = f"{cut.ip}:{REPLICA_PORT}"
    left = [a for a in addresses if a != cut_address]
    async with grpc.aio.insecure_channel(f"{gateway}:{listener_port}") as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        workers = [asyncio.create_task(worker(stub)) for _ in range(WORKERS)]
        try:

            async def every_host_served() -> bool:
                found = await hosts_in_envoy(admin)
                return all(found[a].counters.get("rq_success", 0) > 0 for a in addresses)

            await eventually(every_host_served, 30, "Envoy sends calls to every host")
            before_cut = successes
            network.cut(cut)

            async def cut_host_gone() -> bool:
                # The lease lapsed in the control plane, and Envoy no longer has the host.
                return cut_address not in await registered(control_plane) and (
                    cut_address not in await hosts_in_envoy(admin)
                )

            await eventually(cut_host_gone, LEASE_S * 4, f"{cut_address} dropped")
            served = {a: h.counters.get("rq_success", 0) for a, h in (
                await hosts_in_envoy(admin)).items()}  # fmt: skip
            at_removal = successes

            async def enough_calls() -> bool:
                return successes - at_removal >= CALLS_AFTER_REMOVAL

            await eventually(enough_calls, 60, f"{CALLS_AFTER_REMOVAL} calls after the cut")
        finally:
            stop.set()
            await asyncio.gather(*workers)

    assert successes > before_cut + CALLS_AFTER_REMOVAL
    retries = await admin.stats(
        rf"cluster\.{CLUSTER}\.upstream_rq_(retry|retry_overflow|retry_success|per_try_timeout)$"
    )
    assert failures == [], f"{len(failures)} idempotent calls failed ({retries}): {failures[:5]}"
    # The cut caught calls in flight on the cut host, and Envoy retried them elsewhere.
    per_try_timeouts = retries[f"cluster.{CLUSTER}.upstream_rq_per_try_timeout"]
    assert per_try_timeouts > 0, retries
    assert retries[f"cluster.{CLUSTER}.upstream_rq_retry_success"] >= per_try_timeouts, retries
    # The traffic moved: the hosts left served every call since the cut host was dropped.
    now = {a: h.counters.get("rq_success", 0) for a, h in (await hosts_in_envoy(admin)).items()}
    assert set(now) == set(left)
    moved = sum(now[a] - served[a] for a in left)
    assert moved >= CALLS_AFTER_REMOVAL
    assert all(now[a] > served[a] for a in left), (served, now)
    # The hosts left keep their registrations alive.
    assert set(await registered(control_plane)) == set(left)


async def test_ragmesh_up_binds_and_registers_the_addresses_it_is_given(
    network: HostNetwork, tmp_path: Path
) -> None:
    """`ragmesh up` with every address on the bridge instead of loopback (RAGMESH_MESH_*)."""
    gateway = network.gateway
    supervisor = Supervisor(
        UpSettings(
            listener_port=free_port(),
            admin_port=free_port(),
            state_dir=tmp_path,
            drain_delay_s=0.0,
            services=[ServiceLaunch(SERVICE, "tests.support.probe_service", replicas=2)],
            replica_env={"RAGMESH_METRICS_PORT": "-1"},
            ready_timeout_s=30.0,
            network=MeshNetworkSettings(
                replica_host=gateway, control_plane_host=gateway, listener_host=gateway
            ),
        )
    )
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        assert supervisor.envoy_address.startswith(f"{gateway}:")
        assert supervisor.control_plane.host == gateway
        hosts = {e.host for e in supervisor.control_plane.registry.endpoints()}
        assert hosts == {gateway}  # the replicas and MeshControlService itself
        async with grpc.aio.insecure_channel(supervisor.envoy_address) as channel:
            stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
            reply = await stub.Embed(REQUEST, timeout=10)
        assert reply.model_id == "probe"
    finally:
        await supervisor.stop()

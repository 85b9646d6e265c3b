"""`ragmesh up`: the control plane, Envoy and N replicas of every service, on one machine.

The supervisor runs the control plane in its own event loop, starts Envoy with a
bootstrap pointing at it, starts every replica as a child process on a free port
(each prints ``RAGMESH_LISTENING grpc=PORT``), registers it, restarts a crashed
replica with exponential backoff, and prints ``ready`` once every replica is
SERVING in Envoy's own health checks. Ctrl-C / SIGTERM stops everything:
replicas first (they drain), then Envoy, then the control plane.

With `autoscale` (`ragmesh up --autoscale`), once ready it follows the control plane's
desired replica count per service (mesh.balancing.autoscale): it starts a replica to scale
out, and scales in by retiring one: drained in the control plane (Envoy routes it nothing
new), waited on until Envoy has that update and counts no call in flight on it, then
SIGTERM (whose handler drains what is left). No call fails for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import re
import shutil
import sys
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mesh.balancing.autoscale import AutoscaleSettings
from mesh.balancing.policy import DEFAULT_LB_STRATEGY, LB_STRATEGIES, LbStrategy
from mesh.catalog import CATALOG
from mesh.control_plane import AddServicers, ControlPlane
from mesh.edge_auth import edge_auth_from
from mesh.local.envoy_process import EnvoyProcess
from mesh.local.keycloak import KeycloakProcess, KeycloakSettings
from mesh.local.ldap import LdapSettings, SlapdProcess, federate, realm_extension
from mesh.local.network import MeshNetworkSettings, free_port
from mesh.local.processes import stop_process
from mesh.local.prometheus import (
    PrometheusProcess,
    PrometheusSettings,
    prometheus_executable,
    scrape_targets,
)
from mesh.mesh_control import MeshControlServicer
from mesh.registry import Health
from mesh.xds.bootstrap import BootstrapSettings
from mesh.xds.resources import MeshSettings
from rag.v1 import mesh_control_pb2_grpc
from services.runtime.auth import TokenVerifier
from services.runtime.interceptors import ServiceInterceptor
from services.runtime.local_run import LocalEnv, LocalRun
from services.runtime.metrics import LatencyInjector
from services.runtime.settings import RuntimeSettings
from services.runtime.tracing import Tracing, configure_tracing

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(r"RAGMESH_LISTENING grpc=(\d+) metrics=(-?\w+)")


@dataclass(frozen=True)
class ServiceLaunch:
    """How to run replicas of one service."""

    service: str  # full proto name, e.g. "rag.v1.EmbeddingService"
    module: str  # python -m MODULE
    env: dict[str, str] = field(default_factory=dict)
    replicas: int | None = None  # None: the supervisor's --replicas


# Every service replica `ragmesh up` runs, in start order (mesh/catalog.py says which).
SERVICES: tuple[ServiceLaunch, ...] = tuple(
    ServiceLaunch(spec.name, spec.module, replicas=spec.replicas) for spec in CATALOG.launchable()
)


@dataclass
class UpSettings:
    replicas: int = 1
    listener_port: int = 10000
    admin_port: int = 9901
    state_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("RAGMESH_HOME", REPO / "var"))
    )
    services: Sequence[ServiceLaunch] = SERVICES
    # Extra environment for every replica (e.g. test-only latency in benchmarks).
    replica_env: dict[str, str] = field(default_factory=dict)
    ready_timeout_s: float = 180.0
    max_backoff_s: float = 30.0
    drain_delay_s: float = 1.0
    # Folders the indexer watches (`ragmesh up --watch DIR`); its HTTP webhook port (0: free).
    watch: Sequence[Path] = ()
    indexer_webhook_port: int = 0
    # Identity: "start" runs Keycloak (realm ragmesh) with the mesh; "external" uses the one
    # `keycloak` describes (tests share one); "off" = no token checks anywhere (--no-auth).
    auth: Literal["start", "external", "off"] = "off"
    keycloak: KeycloakSettings = field(default_factory=KeycloakSettings)
    # A directory federated into realm ragmesh (`ragmesh up --ldap`, mesh/local/ldap.py).
    ldap: LdapSettings | None = None
    # How long Envoy and the services trust cached realm keys (key rotation latency).
    jwks_cache_s: float = 60.0
    # OTLP/gRPC trace collector "HOST:PORT" for Envoy, every replica and the control plane
    # (`ragmesh up --otlp-endpoint`); None = no tracing anywhere.
    otlp_endpoint: str | None = None
    trace_sample_ratio: float = 1.0
    # Prometheus scraping every replica, the control plane and Envoy (mode auto: when installed).
    # Off unless asked for: `ragmesh up` asks (auto); tests and benchmarks that embed a
    # Supervisor should not each start a Prometheus.
    prometheus: PrometheusSettings = field(default_factory=lambda: PrometheusSettings(mode="off"))
    # Bind and advertised addresses (RAGMESH_MESH_*); all 127.0.0.1 unless told otherwise.
    network: MeshNetworkSettings = field(default_factory=MeshNetworkSettings)
    # How Envoy balances and how weights are made (`ragmesh up --lb-strategy`; bench.lb).
    lb_strategy: LbStrategy = DEFAULT_LB_STRATEGY
    # Follow the control plane's desired replica counts (`ragmesh up --autoscale`); None: the
    # counts stay as started (the control plane still computes and exports them).
    autoscale: AutoscaleSettings | None = None
    # How long a retired replica may take to finish its calls before it is stopped anyway.
    retire_timeout_s: float = 30.0


@dataclass
class Replica:
    launch: ServiceLaunch
    replica_id: str
    env: dict[str, str]
    process: asyncio.subprocess.Process | None = None
    port: int = 0
    metrics_port: int = 0
    restarts: int = 0
    started_at: float = 0.0
    stopping: bool = False
    index: int = 0


class Supervisor:
    def __init__(
        self,
        settings: UpSettings,
        control_plane: ControlPlane | None = None,
        extra_servicers: Sequence[Callable[[ControlPlane], AddServicers]] = (),
    ) -> None:
        self.settings = settings
        # The control plane runs in this process: it reads the same auth and tracing
        # settings the replicas get in their environment (auth_env, tracing_env).
        self.runtime = RuntimeSettings(
            auth_mode="disabled" if settings.auth == "off" else "keycloak",
            keycloak_url=settings.keycloak.url,
            auth_jwks_cache_s=settings.jwks_cache_s,
            otlp_endpoint=settings.otlp_endpoint or "",
            trace_sample_ratio=settings.trace_sample_ratio,
            replica_id="control-plane",
        )
        self.edge_auth = edge_auth_from(self.runtime)
        self.control_plane = control_plane or ControlPlane(
            CATALOG,
            MeshSettings(
                listener_host=settings.network.listener_host,
                listener_port=settings.listener_port,
                auth=self.edge_auth,
                otlp_endpoint=settings.otlp_endpoint,
                trace_sample_ratio=settings.trace_sample_ratio,
                lb_policy=LB_STRATEGIES[settings.lb_strategy][0],
            ),
            strategy=LB_STRATEGIES[settings.lb_strategy][1],
            autoscale=settings.autoscale,
        )
        self.keycloak: KeycloakProcess | None = None
        self.directory: SlapdProcess | None = None
        self.directory_provider_id = ""  # the LDAP provider added through the admin API
        self._extra = extra_servicers
        self.replicas: list[Replica] = []
        self.envoy: EnvoyProcess | None = None
        self.chroma: asyncio.subprocess.Process | None = None
        self.prometheus: PrometheusProcess | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._watches: dict[str, asyncio.Task[None]] = {}
        self._autoscaling: asyncio.Task[None] | None = None
        self._scaling: dict[str, asyncio.Task[object]] = {}  # a start or retire, by cluster
        self._shared_chroma: tuple[str, int] | None = None
        self._stopping = False
        self.logs = settings.state_dir / "logs"
        # Spans of MeshControlService calls served in this process (None: tracing off).
        self.tracing: Tracing | None = None

    @property
    def envoy_address(self) -> str:
        return f"{self.settings.network.listener_address}:{self.settings.listener_port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.admin_port}"

    def auth_env(self) -> dict[str, str]:
        """What every replica needs to verify tokens and get its own."""
        if self.settings.auth == "off":
            return {"RAGMESH_AUTH_MODE": "disabled"}
        kc = self.settings.keycloak
        return {
            "RAGMESH_AUTH_MODE": "keycloak",
            "RAGMESH_KEYCLOAK_URL": kc.url,
            "RAGMESH_AUTH_JWKS_CACHE_S": str(self.settings.jwks_cache_s),
            "RAGMESH_SERVICE_CLIENT_SECRET": kc.service_client_secret,
        }

    def tracing_env(self) -> dict[str, str]:
        """Every replica exports to the same collector as Envoy (or, explicitly, nowhere)."""
        return {
            "RAGMESH_OTLP_ENDPOINT": self.settings.otlp_endpoint or "",
            "RAGMESH_TRACE_SAMPLE_RATIO": str(self.settings.trace_sample_ratio),
        }

    async def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        kc = self.settings.keycloak
        directory = self.settings.ldap if self.settings.auth != "off" else None
        if directory is not None:
            self.directory = SlapdProcess(directory, self.settings.state_dir, kc.demo_password)
            await self.directory.start()
        if self.settings.auth == "start":
            # Our own Keycloak imports the directory with the realm (mesh/local/ldap.py).
            extension = realm_extension(directory) if directory is not None else None
            self.keycloak = KeycloakProcess(kc, self.settings.state_dir, extension)
            await self.keycloak.start()
            log.info("Keycloak ready on %s (realm ragmesh)", kc.url)
        elif directory is not None:  # a running Keycloak: through its admin API
            self.directory_provider_id = await federate(kc, directory)
        if directory is not None:
            log.info("directory %s (slapd) federated into realm ragmesh", directory.url)
        # The control plane serves MeshControlService: admins only, checked like a service.
        verifier = TokenVerifier(self.runtime) if self.runtime.auth_enabled else None
        control = MeshControlServicer(self.control_plane)
        network = self.settings.network
        self.tracing = configure_tracing(self.runtime, "rag.v1.MeshControlService")
        cp_port = await self.control_plane.start(
            host=network.control_plane_host,
            extra_servicers=[
                lambda server: mesh_control_pb2_grpc.add_MeshControlServiceServicer_to_server(
                    control, server
                ),
                *(make(self.control_plane) for make in self._extra),
            ],
            metrics_port=0,
            interceptors=[ServiceInterceptor(LatencyInjector(), verifier, self.tracing)],
        )
        # MeshControlService is reachable through Envoy like every other service.
        await self.control_plane.register_self(host=network.control_plane_address)
        self.envoy = EnvoyProcess(
            BootstrapSettings(
                control_plane_port=cp_port,
                control_plane_host=network.control_plane_address,
                admin_port=self.settings.admin_port,
            ),
            self.logs,
            log_level="warning",
        )
        await self.envoy.start()
        self.control_plane.watch_envoy(self.envoy.admin)  # host health, dropped log entries
        await self._maybe_start_prometheus()
        self._shared_chroma = await self._maybe_start_chroma()
        for launch in self.settings.services:
            for index in range(launch.replicas or self.settings.replicas):
                self.replicas.append(self._replica(launch, index))
        # Start replicas concurrently: model loading dominates start-up.
        await asyncio.gather(*(self._start_replica(r) for r in self.replicas))
        for replica in self.replicas:
            self._watches[replica.replica_id] = asyncio.create_task(self._watch(replica))
        if self.prometheus is not None:
            try:
                await self.prometheus.wait_ready()
            except (RuntimeError, TimeoutError):
                if self.settings.prometheus.mode == "on":
                    raise
                log.warning("Prometheus did not start; the mesh runs without it", exc_info=True)
                await self.prometheus.stop()
                self.prometheus = None

    async def wait_ready(self) -> None:
        """Every replica is SERVING in Envoy's health checks and Envoy listens."""
        deadline = time.monotonic() + self.settings.ready_timeout_s
        while time.monotonic() < deadline:
            if self.envoy is None or not self.envoy.running:
                raise RuntimeError(
                    f"Envoy exited; log:\n{self.envoy.log_tail() if self.envoy else ''}"
                )
            healthy = await self._envoy_healthy_endpoints()
            network = self.settings.network
            wanted = {f"{network.replica_address}:{r.port}" for r in self.replicas if r.port}
            wanted.add(f"{network.control_plane_address}:{self.control_plane.port}")
            if len(wanted) == len(self.replicas) + 1 and wanted <= healthy:
                if self.settings.autoscale is not None and self._autoscaling is None:
                    self._autoscaling = asyncio.create_task(self._follow_desired_replicas())
                return
            await asyncio.sleep(0.25)
        raise TimeoutError(
            f"mesh not ready within {self.settings.ready_timeout_s}s; logs in {self.logs}"
        )

    async def _envoy_healthy_endpoints(self) -> set[str]:
        assert self.envoy is not None
        try:
            hosts = await self.envoy.admin.clusters()
        except OSError:
            return set()  # admin not listening yet
        return {address for (_, address), host in hosts.items() if host.healthy}

    async def stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        for task in [*self._tasks, *self._watches.values()]:
            task.cancel()
        # A replica being started or retired is in self.replicas: stopped below with the rest.
        for scaling in [self._autoscaling, *self._scaling.values()]:
            if scaling is not None:
                scaling.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await scaling
        for replica in self.replicas:
            replica.stopping = True
        await asyncio.gather(*(stop_process(r.process, 15.0) for r in self.replicas))
        if self.prometheus is not None:
            await self.prometheus.stop()
        if self.envoy is not None:
            await self.envoy.stop()
        await stop_process(self.chroma, 5.0)
        await self.control_plane.stop()
        if self.tracing is not None:
            await asyncio.to_thread(self.tracing.shutdown)
        if self.keycloak is not None:
            await self.keycloak.stop()
        if self.directory is not None:
            await self.directory.stop()

    def _replica(self, launch: ServiceLaunch, index: int) -> Replica:
        """Replica `index` of `launch`, not started."""
        count = launch.replicas or self.settings.replicas
        if self._scalable(launch):
            assert self.settings.autoscale is not None
            # It shares the machine with as many replicas as may run (embedding threads).
            count = max(
                count, self.settings.autoscale.policy(_cluster(launch.service)).max_replicas
            )
        network = self.settings.network
        run = LocalRun(
            self.settings.state_dir,
            index,
            count,
            self._shared_chroma,
            tuple(self.settings.watch),
            self.settings.indexer_webhook_port,
        )
        assert self.envoy is not None
        env = {
            "RAGMESH_HOST": network.replica_host,
            "RAGMESH_PORT": "0",
            # The supervisor registers its replicas itself (no lease to renew).
            "RAGMESH_CONTROL_PLANE_ADDRESS": "",
            "RAGMESH_METRICS_PORT": "0",
            "RAGMESH_ENVOY_ADDRESS": self.envoy_address,
            "RAGMESH_DRAIN_DELAY_S": str(self.settings.drain_delay_s),
            "RAGMESH_REPLICA_ID": f"{_cluster(launch.service)}-{index}",
            # What the service itself declares (local_env in its settings module).
            **service_env(launch.module, run),
            **self.auth_env(),
            **self.tracing_env(),
            **self.settings.replica_env,
            **launch.env,
        }
        return Replica(launch, env["RAGMESH_REPLICA_ID"], env, index=index)

    def _scalable(self, launch: ServiceLaunch) -> bool:
        """Autoscaling is on and the service is not a fixed count (one writer)."""
        return (
            self.settings.autoscale is not None and CATALOG.by_name(launch.service).replicas is None
        )

    async def _follow_desired_replicas(self, interval_s: float = 1.0) -> None:
        """Start or retire replicas until each scaled service runs its desired count; one
        change at a time per service (a new replica is counted while it starts)."""
        busy = self._scaling
        while True:
            await asyncio.sleep(interval_s)
            await self._report_queue_depth()
            for launch in self.settings.services:
                cluster = _cluster(launch.service)
                desired = self.control_plane.desired_replicas(cluster)
                if not self._scalable(launch) or desired is None:
                    continue
                if cluster in busy and not busy[cluster].done():
                    continue
                live = [r for r in self.replicas if r.launch is launch and not r.stopping]
                if desired > len(live):
                    busy[cluster] = asyncio.create_task(self.add_replica(launch))
                elif desired < len(live):
                    newest = max(live, key=lambda r: r.index)
                    busy[cluster] = asyncio.create_task(self.retire(newest))

    async def add_replica(self, launch: ServiceLaunch) -> Replica | None:
        """Start one more replica of `launch` (the lowest free index); None if it failed."""
        taken = {r.index for r in self.replicas if r.launch is launch}
        index = next(i for i in range(len(taken) + 1) if i not in taken)
        replica = self._replica(launch, index)
        self.replicas.append(replica)
        log.info("scaling out: starting %s", replica.replica_id)
        try:
            await self._start_replica(replica)
        except RuntimeError as exc:
            log.error("scaling out failed: %s", exc)
            self.replicas.remove(replica)
            await stop_process(replica.process, 5.0)
            return None
        self._watches[replica.replica_id] = asyncio.create_task(self._watch(replica))
        return replica

    async def retire(self, replica: Replica) -> None:
        """Scale in by one replica without failing a call: drain it in the control plane,
        wait until Envoy has that and no call is in flight on it, then stop it (SIGTERM: it
        drains what may still arrive within its grace period) and forget it."""
        replica.stopping = True  # not restarted when it exits
        cluster = _cluster(replica.launch.service)
        address = f"{self.settings.network.replica_address}:{replica.port}"
        log.info("scaling in: retiring %s (%s)", replica.replica_id, address)
        with contextlib.suppress(KeyError):
            self.control_plane.registry.set_draining(cluster, replica.replica_id, True)
        deadline = time.monotonic() + self.settings.retire_timeout_s
        idle_reads = 0
        assert self.envoy is not None
        while time.monotonic() < deadline and idle_reads < 2:
            await asyncio.sleep(0.25)
            try:
                host = (await self.envoy.admin.clusters()).get((cluster, address))
            except OSError:
                idle_reads = 0  # Envoy's view unknown: nothing is proven
                continue
            drained = host is None or "eds_status_draining" in host.health_flags
            # Two idle reads in a row: Envoy's workers get the update just after its admin.
            idle = drained and (host is None or host.counters.get("rq_active", 0) == 0)
            idle_reads = idle_reads + 1 if idle else 0
        if idle_reads < 2:
            log.warning("%s still busy after %.0f s: stopping it", replica.replica_id,
                        self.settings.retire_timeout_s)  # fmt: skip
        with contextlib.suppress(KeyError):
            self.control_plane.registry.deregister(cluster, replica.replica_id)
        watch = self._watches.pop(replica.replica_id, None)
        if watch is not None:
            watch.cancel()
        await stop_process(replica.process, self.runtime.grace_period_s + 5.0)
        self.replicas.remove(replica)
        log.info("scaling in: %s stopped", replica.replica_id)

    async def _report_queue_depth(self) -> None:
        """The indexer's waiting changes (its rag_indexer_queue_depth), for the ingest path."""
        indexer = next(
            (r for r in self.replicas if r.launch.module == "services.indexer" and r.metrics_port),
            None,
        )
        if indexer is None:
            self.control_plane.report_queue_depth(None)
            return
        url = f"http://{self.settings.network.replica_address}:{indexer.metrics_port}/metrics"
        try:
            page = await asyncio.to_thread(_read, url)
        except OSError:
            self.control_plane.report_queue_depth(None)
            return
        depths = [
            float(line.rpartition(" ")[2])
            for line in page.splitlines()
            if line.startswith("rag_indexer_queue_depth")
        ]
        self.control_plane.report_queue_depth(sum(depths) if depths else None)

    async def _maybe_start_chroma(self) -> tuple[str, int] | None:
        """Several vector-store replicas (or as many as autoscaling may run) share one Chroma
        server (its host and port, for the store's local_env); one uses an embedded store."""
        store = next(
            (s for s in self.settings.services if s.module == "services.vector_store"), None
        )
        if store is None:
            return None
        most = store.replicas or self.settings.replicas
        if self._scalable(store):
            assert self.settings.autoscale is not None
            most = max(most, self.settings.autoscale.policy(_cluster(store.service)).max_replicas)
        if most < 2:
            return None
        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        port = free_port()
        path = self.settings.state_dir / "chroma-server"
        self.chroma = await _spawn(
            [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            self.logs / "chroma.log",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                await asyncio.to_thread(
                    urllib.request.urlopen, f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1
                )
                return "127.0.0.1", port
            await asyncio.sleep(0.25)
        raise RuntimeError(f"Chroma server did not start; see {self.logs / 'chroma.log'}")

    async def _maybe_start_prometheus(self) -> None:
        """Start Prometheus (mode on, or auto with the binary installed); its targets then
        follow the registry: every change rewrites the file_sd files."""
        settings = self.settings.prometheus
        if settings.mode == "off" or (
            settings.mode == "auto" and prometheus_executable(settings) is None
        ):
            return
        taken = settings.port != 0 and not _port_free(settings.host, settings.port)
        if settings.mode == "auto" and taken:
            # Another mesh (or test) has the default port: auto mode must not fail the mesh.
            log.warning("port %d is taken; Prometheus gets a free port", settings.port)
            settings = settings.model_copy(update={"port": 0})
        self.prometheus = PrometheusProcess(settings, self.settings.state_dir / "prometheus")
        await self.prometheus.start()
        self.control_plane.registry.add_listener(self._update_scrape_targets)
        self._update_scrape_targets()

    def _update_scrape_targets(self) -> None:
        if self.prometheus is None:
            return
        metrics_ports = {
            (_cluster(r.launch.service), r.replica_id): r.metrics_port for r in self.replicas
        }
        cp_metrics = self.control_plane.metrics_port
        targets = scrape_targets(
            self.control_plane.registry.endpoints(),
            metrics_ports,
            control_plane=(
                f"{self.settings.network.control_plane_address}:{cp_metrics}"
                if cp_metrics
                else None
            ),
            envoy_admin=[f"127.0.0.1:{self.settings.admin_port}"],
        )
        self.prometheus.targets.write(targets)

    async def _start_replica(self, replica: Replica) -> None:
        log_path = self.logs / f"{replica.replica_id}.log"
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            replica.launch.module,
            cwd=REPO,
            env={**os.environ, **replica.env},
            stdout=asyncio.subprocess.PIPE,
            stderr=log_path.open("ab"),
        )
        replica.process = process
        replica.started_at = time.monotonic()
        assert process.stdout is not None
        while True:
            line = await process.stdout.readline()
            if not line:
                raise RuntimeError(f"{replica.replica_id} exited before listening; see {log_path}")
            match = _LISTENING.search(line.decode(errors="replace"))
            if match:
                replica.port = int(match.group(1))
                replica.metrics_port = int(match.group(2)) if match.group(2).isdigit() else 0
                break
        self._tasks.append(asyncio.create_task(_drain(process.stdout)))
        self.control_plane.registry.register(
            replica.launch.service,
            replica.replica_id,
            self.settings.network.replica_address,
            replica.port,
        )
        self.control_plane.registry.set_health(
            _cluster(replica.launch.service), replica.replica_id, Health.SERVING
        )
        log.info(
            "%s listening on %s:%d",
            replica.replica_id,
            self.settings.network.replica_address,
            replica.port,
        )

    async def _watch(self, replica: Replica) -> None:
        """Restart a replica that dies, backing off 0.5 s, 1 s, 2 s ... up to the maximum."""
        backoff = 0.5
        while not replica.stopping:
            assert replica.process is not None
            code = await replica.process.wait()
            if replica.stopping:
                return
            cluster = _cluster(replica.launch.service)
            log.warning("%s exited with %s; restarting in %.1fs", replica.replica_id, code, backoff)
            with contextlib.suppress(KeyError):
                self.control_plane.registry.deregister(cluster, replica.replica_id)
            if time.monotonic() - replica.started_at > 60:
                backoff = 0.5  # it ran fine for a while: this is a fresh failure
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.settings.max_backoff_s)
            replica.restarts += 1
            try:
                await self._start_replica(replica)
            except RuntimeError as exc:
                log.error("%s", exc)


def service_env(module: str, run: LocalRun) -> dict[str, str]:
    """The environment the catalogued service ``python -m module`` declares for a local
    replica (``local_env`` in ``module.settings``); nothing for a module not in the catalogue
    (tests run probe services) or a service that declares none."""
    if module not in {spec.module for spec in CATALOG.launchable()}:
        return {}
    declared: LocalEnv | None = getattr(
        importlib.import_module(f"{module}.settings"), "local_env", None
    )
    return declared(run) if declared is not None else {}


def _cluster(service: str) -> str:
    return CATALOG.by_name(service).cluster


async def _spawn(command: list[str], output: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *command, stdout=output.open("ab"), stderr=asyncio.subprocess.STDOUT, cwd=REPO
    )


async def _drain(stream: asyncio.StreamReader) -> None:
    # Keep reading a replica's stdout so it never blocks on a full pipe.
    while await stream.readline():
        pass


def _read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return str(response.read().decode())


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True

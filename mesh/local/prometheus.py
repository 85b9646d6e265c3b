"""Prometheus for the mesh: scrape targets from what the control plane knows, and the process.

Prometheus' configuration (deploy/prometheus/prometheus.yml, a string.Template) lists
no addresses: three file_sd files do, one per job (every replica's metrics port, the
control plane's metrics port, Envoy's admin ``/stats/prometheus``). The supervisor
rewrites them whenever the endpoint registry changes, so the scraped replicas follow
the registered ones; Prometheus notices a changed file by itself (inotify).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import string
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mesh.local.network import free_port
from mesh.local.processes import stop_process
from mesh.registry import Endpoint

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATE = REPO / "deploy" / "prometheus" / "prometheus.yml"
DEFAULT_RULES_DIR = REPO / "deploy" / "prometheus" / "rules"
# Job names: the alert rules and the Grafana dashboard select on them.
SERVICES_JOB = "ragmesh-services"
CONTROL_PLANE_JOB = "ragmesh-control-plane"
ENVOY_JOB = "envoy"
# One file_sd file per job, named in the config template.
TARGET_FILES = {
    SERVICES_JOB: "services.json",
    CONTROL_PLANE_JOB: "control-plane.json",
    ENVOY_JOB: "envoy.json",
}


class PrometheusSettings(BaseSettings):
    """How `ragmesh up` runs Prometheus (``RAGMESH_PROMETHEUS_*``)."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_PROMETHEUS_", extra="ignore", frozen=True)

    # auto: run it when the binary is installed; on: fail without it; off: never.
    mode: Literal["auto", "on", "off"] = "auto"
    host: str = "127.0.0.1"
    # 0 picks a free port.
    port: int = Field(default=9090, ge=0, le=65535)
    scrape_interval_s: float = Field(default=5.0, gt=0)
    scrape_timeout_s: float = Field(default=4.0, gt=0)
    evaluation_interval_s: float = Field(default=5.0, gt=0)
    retention: str = "2d"
    rules_dir: Path = DEFAULT_RULES_DIR
    # Empty: `prometheus` on PATH, else Debian's /usr/bin/prometheus.
    binary: str = ""
    mesh_name: str = "ragmesh"
    ready_timeout_s: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _timeout_within_interval(self) -> PrometheusSettings:
        # Prometheus refuses a scrape timeout longer than the interval; say so here.
        if self.scrape_timeout_s > self.scrape_interval_s:
            raise ValueError(
                f"scrape_timeout_s ({self.scrape_timeout_s}) must not exceed "
                f"scrape_interval_s ({self.scrape_interval_s})"
            )
        return self


@dataclass(frozen=True, slots=True)
class ScrapeTarget:
    """One ``host:port`` to scrape and the labels every series from it gets."""

    address: str
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScrapeTargets:
    """Every target, by job."""

    services: tuple[ScrapeTarget, ...] = ()
    control_plane: tuple[ScrapeTarget, ...] = ()
    envoy: tuple[ScrapeTarget, ...] = ()

    def by_job(self) -> dict[str, tuple[ScrapeTarget, ...]]:
        return {
            SERVICES_JOB: self.services,
            CONTROL_PLANE_JOB: self.control_plane,
            ENVOY_JOB: self.envoy,
        }


def scrape_targets(
    endpoints: Iterable[Endpoint],
    metrics_ports: Mapping[tuple[str, str], int],
    *,
    control_plane: str | None = None,
    envoy_admin: Sequence[str] = (),
) -> ScrapeTargets:
    """Targets from the registry's endpoints.

    `metrics_ports` maps (cluster, replica_id) to the replica's metrics port; a replica
    without one (metrics disabled, or the control plane's own MeshControlService entry)
    is not a service target. `control_plane` and `envoy_admin` are ``host:port``.
    """
    services = []
    for ep in endpoints:
        port = metrics_ports.get((ep.cluster, ep.replica_id), 0)
        if port <= 0:
            continue
        # No "service" target label: it would overwrite the metrics' own `service`
        # label (the gRPC service of each RPC; Prometheus renames theirs exported_service).
        labels = {"cluster": ep.cluster, "replica": ep.replica_id}
        services.append(ScrapeTarget(f"{ep.host}:{port}", labels))
    return ScrapeTargets(
        services=tuple(sorted(services, key=lambda t: (t.labels["cluster"], t.address))),
        control_plane=(
            (ScrapeTarget(control_plane, {"replica": "control-plane"}),) if control_plane else ()
        ),
        envoy=tuple(
            ScrapeTarget(address, {"replica": f"envoy-{i}"})
            for i, address in enumerate(envoy_admin)
        ),
    )


def file_sd(targets: Sequence[ScrapeTarget]) -> list[dict[str, Any]]:
    """Prometheus' file_sd format: one group per target, so each keeps its own labels."""
    return [{"targets": [t.address], "labels": dict(t.labels)} for t in targets]


class TargetFiles:
    """The file_sd files of every job in one folder, rewritten atomically when they change."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._written: dict[str, str] = {}

    def path(self, job: str) -> Path:
        return self.directory / TARGET_FILES[job]

    def write(self, targets: ScrapeTargets) -> bool:
        """Write what changed; True if any file did. Prometheus never sees a half file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        changed = False
        for job, group in targets.by_job().items():
            text = json.dumps(file_sd(group), indent=2, sort_keys=True) + "\n"
            path = self.path(job)
            if self._written.get(job) == text and path.exists():
                continue
            temporary = path.with_suffix(".json.tmp")
            temporary.write_text(text)
            os.replace(temporary, path)
            self._written[job] = text
            changed = True
        return changed


def render_config(
    settings: PrometheusSettings, targets_dir: Path, template: Path = DEFAULT_TEMPLATE
) -> str:
    """The Prometheus configuration; every template placeholder must be given."""
    values = {
        "SCRAPE_INTERVAL": _duration(settings.scrape_interval_s),
        "SCRAPE_TIMEOUT": _duration(settings.scrape_timeout_s),
        "EVALUATION_INTERVAL": _duration(settings.evaluation_interval_s),
        "MESH_NAME": settings.mesh_name,
        "RULES_GLOB": str(settings.rules_dir / "*.yml"),
        "TARGETS_DIR": str(targets_dir),
    }
    return string.Template(template.read_text()).substitute(values)


def _duration(seconds: float) -> str:
    """Prometheus durations take integer units: whole seconds when possible, else ms."""
    milliseconds = round(seconds * 1000)
    return f"{milliseconds // 1000}s" if milliseconds % 1000 == 0 else f"{milliseconds}ms"


def prometheus_executable(settings: PrometheusSettings) -> Path | None:
    if settings.binary:
        return Path(settings.binary) if Path(settings.binary).exists() else None
    found = shutil.which("prometheus") or (
        "/usr/bin/prometheus" if Path("/usr/bin/prometheus").exists() else None
    )
    return Path(found) if found else None


class PrometheusProcess:
    """One Prometheus server: config and targets under `workdir`, data in ``workdir/data``."""

    def __init__(self, settings: PrometheusSettings, workdir: Path) -> None:
        self.settings = settings
        self.workdir = workdir
        self.config_path = workdir / "prometheus.yml"
        self.log_path = workdir / "prometheus.log"
        self.targets = TargetFiles(workdir / "targets")
        self.port = settings.port
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://{self.settings.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        binary = prometheus_executable(self.settings)
        if binary is None:
            raise FileNotFoundError(
                "no prometheus binary: `apt-get install prometheus` (make setup does) "
                "or set RAGMESH_PROMETHEUS_BINARY"
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self.port == 0:
            self.port = free_port(self.settings.host)
        # Empty target files first: file_sd logs an error for a missing file.
        self.targets.write(ScrapeTargets())
        self.config_path.write_text(render_config(self.settings, self.targets.directory))
        command = [
            str(binary),
            f"--config.file={self.config_path}",
            f"--storage.tsdb.path={self.workdir / 'data'}",
            f"--storage.tsdb.retention.time={self.settings.retention}",
            f"--web.listen-address={self.settings.host}:{self.port}",
        ]
        self._process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=self.log_path.open("ab"),
        )
        log.info("prometheus started on %s (pid %d)", self.url, self._process.pid)

    async def wait_ready(self) -> None:
        """Poll /-/ready; fail early (with its log) if Prometheus exits, e.g. on a bad rule."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.ready_timeout_s
        while loop.time() < deadline:
            if not self.running:
                raise RuntimeError(f"prometheus exited; log:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _ = await asyncio.to_thread(self._get, "/-/ready")
                if status == 200:
                    return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"prometheus not ready within {self.settings.ready_timeout_s}s")

    async def api(self, path: str) -> Any:
        """GET an HTTP API path (e.g. ``/api/v1/alerts``) and return its ``data``."""
        status, body = await asyncio.to_thread(self._get, path)
        payload = json.loads(body)
        if status != 200 or payload.get("status") != "success":
            raise RuntimeError(f"prometheus {path}: HTTP {status}: {body[:500]}")
        return payload["data"]

    def _get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=5) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode(errors="replace")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    async def stop(self, timeout_s: float = 10.0) -> None:
        process, self._process = self._process, None
        await stop_process(process, timeout_s)

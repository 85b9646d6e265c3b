"""The real Prometheus scraping a real mesh (`Supervisor` with Envoy, the control plane and
two probe replicas): targets follow the registered replicas, and alerts fire.

The alert rules are deploy/prometheus/rules/ragmesh.yml with only their `for:` durations
shortened; scrape and evaluation intervals are half a second. Everything is polled for.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml  # type: ignore[import-untyped]

from mesh.local.prometheus import PrometheusProcess, PrometheusSettings
from mesh.local.supervisor import Replica, ServiceLaunch, Supervisor, UpSettings
from rag.v1 import embedding_pb2, embedding_pb2_grpc
from tests.support.processes import free_port
from tests.support.promql import (
    RULES,
    dashboard_exprs,
    metric_names,
    rule_exprs,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(120),
    pytest.mark.skipif(shutil.which("prometheus") is None, reason="prometheus missing"),
]

SERVICE = "rag.v1.EmbeddingService"


def short_rules(directory: Path) -> Path:
    """The shipped rules with every `for:` at 1 s, so a test sees them fire."""
    data = yaml.safe_load(RULES.read_text())
    for group in data["groups"]:
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = "1s"
    directory.mkdir(parents=True)
    (directory / "ragmesh.yml").write_text(yaml.safe_dump(data))
    return directory


@pytest.fixture
async def mesh(tmp_path: Path) -> AsyncIterator[Supervisor]:
    settings = UpSettings(
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=tmp_path,
        services=(ServiceLaunch(SERVICE, "tests.support.probe_service", replicas=2),),
        replica_env={"RAGMESH_LOG_LEVEL": "WARNING", "RAGMESH_LOG_FORMAT": "text"},
        drain_delay_s=0.0,
        ready_timeout_s=60,
        prometheus=PrometheusSettings(
            mode="on",
            port=0,
            scrape_interval_s=0.5,
            scrape_timeout_s=0.4,
            evaluation_interval_s=0.5,
            rules_dir=short_rules(tmp_path / "rules"),
        ),
    )
    supervisor = Supervisor(settings)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        for replica in supervisor.replicas:  # a SIGSTOPped replica must be able to stop
            if replica.process is not None and replica.process.returncode is None:
                os.kill(replica.process.pid, signal.SIGCONT)
        await supervisor.stop()


async def eventually(
    check: Callable[[], Awaitable[Any]], what: str, timeout_s: float = 30.0
) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(0.2)
    raise AssertionError(f"not within {timeout_s}s: {what}")


async def active_targets(prometheus: PrometheusProcess) -> list[dict[str, Any]]:
    data = await prometheus.api("/api/v1/targets?state=active")
    targets: list[dict[str, Any]] = data["activeTargets"]
    return targets


async def firing(prometheus: PrometheusProcess, alert: str) -> list[dict[str, str]]:
    alerts = (await prometheus.api("/api/v1/alerts"))["alerts"]
    return [
        a["labels"] for a in alerts if a["labels"]["alertname"] == alert and a["state"] == "firing"
    ]


def metrics_address(replica: Replica) -> str:
    return f"127.0.0.1:{replica.metrics_port}"


async def every_target_up(mesh: Supervisor) -> PrometheusProcess:
    """Wait until Prometheus scrapes exactly the mesh's parts (file_sd updates reach its
    scrape loop within about 5 s) and each answered."""
    prometheus = mesh.prometheus
    assert prometheus is not None
    expected = {("ragmesh-services", metrics_address(r)) for r in mesh.replicas} | {
        ("ragmesh-control-plane", f"127.0.0.1:{mesh.control_plane.metrics_port}"),
        ("envoy", f"127.0.0.1:{mesh.settings.admin_port}"),
    }

    async def all_up() -> bool:
        targets = await active_targets(prometheus)
        seen = {(t["labels"]["job"], t["labels"]["instance"]) for t in targets}
        return seen == expected and all(t["health"] == "up" for t in targets)

    await eventually(all_up, "every replica, the control plane and Envoy scraped")
    return prometheus


async def test_prometheus_scrapes_every_part_and_follows_replicas(mesh: Supervisor) -> None:
    prometheus = await every_target_up(mesh)
    labels = {
        t["labels"]["instance"]: t["labels"]
        for t in await active_targets(prometheus)
        if t["labels"]["job"] == "ragmesh-services"
    }
    for replica in mesh.replicas:
        assert labels[metrics_address(replica)]["replica"] == replica.replica_id
        assert labels[metrics_address(replica)]["cluster"] == "embedding"

    # Every Envoy series the dashboard and rules read exists in the real Envoy's output
    # (Envoy exports a histogram once it has a sample: make one call through it).
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        await stub.Embed(embedding_pb2.EmbedRequest(texts=["hello"]), timeout=5)
    used = {
        m
        for _, expr in [*dashboard_exprs(), *rule_exprs()]
        for m in metric_names(expr)
        if m.startswith("envoy_")
    }

    async def envoy_names_present() -> bool:
        names: list[str] = await prometheus.api("/api/v1/label/__name__/values")
        return used <= set(names)

    await eventually(envoy_names_present, f"Envoy series {sorted(used)} in Prometheus")

    # A replica killed and restarted on new ports: its old target goes, the new one comes.
    victim = mesh.replicas[1]
    old = metrics_address(victim)
    assert victim.process is not None
    victim.process.kill()

    async def moved() -> bool:
        if metrics_address(victim) == old or victim.port == 0:
            return False
        instances = {t["labels"]["instance"] for t in await active_targets(prometheus)}
        return metrics_address(victim) in instances and old not in instances

    await eventually(moved, "the restarted replica's new metrics port replaces the old one")


async def test_error_ratio_and_replica_down_alerts_fire(mesh: Supervisor) -> None:
    prometheus = await every_target_up(mesh)
    assert await firing(prometheus, "RagHighErrorRatio") == []

    # The probe answers "crash" with INTERNAL: a service failing on its side, steadily
    # over a few scrapes (a counter's first sample has no increase to rate()).
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        codes = []
        for _ in range(60):
            await asyncio.sleep(0.05)
            try:
                await stub.Embed(embedding_pb2.EmbedRequest(texts=["crash"]), timeout=5)
                codes.append(grpc.StatusCode.OK)
            except grpc.aio.AioRpcError as error:
                codes.append(error.code())
    assert set(codes) == {grpc.StatusCode.INTERNAL}

    async def error_alert() -> list[dict[str, str]]:
        return await firing(prometheus, "RagHighErrorRatio")

    labels = await eventually(error_alert, "RagHighErrorRatio firing")
    assert [(a["service"], a["severity"]) for a in labels] == [(SERVICE, "page")]

    # A hung replica (SIGSTOP): it stays registered but answers no scrape.
    hung = mesh.replicas[0]
    assert hung.process is not None
    assert await firing(prometheus, "RagReplicaDown") == []
    os.kill(hung.process.pid, signal.SIGSTOP)

    async def down_alert() -> list[dict[str, str]]:
        return await firing(prometheus, "RagReplicaDown")

    labels = await eventually(down_alert, "RagReplicaDown firing")
    assert [(a["replica"], a["instance"]) for a in labels] == [
        (hung.replica_id, metrics_address(hung))
    ]

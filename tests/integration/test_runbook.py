"""The README's runbook, command by command, against a real mesh with Keycloak.

Every command in the README section "Runbook" is run as written (bash, the real grpcurl and
curl) with ENVOY, ADMIN, KEYCLOAK and REPLICA pointing at this test's mesh, and its output
is checked. A command without a check here, or a check whose command left the README,
fails the test, so the runbook and this test move together.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import shutil
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import pytest_asyncio

from mesh.local.keycloak import password_token
from mesh.local.supervisor import SERVICES, Supervisor, UpSettings
from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from ragmesh.cli import SAMPLE_CORPUS, content_type
from tests.support.keycloak import RunningKeycloak
from tests.support.processes import REPO, free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

README = REPO / "README.md"
DRAINED = "document_processor-1"
PINNED = "document_processor-0"


@dataclass(frozen=True)
class Command:
    text: str
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, object]:
        assert self.returncode == 0, self.describe()
        parsed: dict[str, object] = json.loads(self.stdout)
        return parsed

    def describe(self) -> str:
        return (
            f"$ {self.text}\nexit {self.returncode}\n{self.stdout[-2000:]}\n{self.stderr[-2000:]}"
        )


def runbook_commands(readme: Path = README) -> list[str]:
    """The shell lines of the README's Runbook section, in order (variable definitions too)."""
    text = readme.read_text()
    match = re.search(r"^## Runbook\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Runbook' section"
    commands: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", match.group(1), re.MULTILINE | re.DOTALL):
        commands.extend(
            line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")
        )
    return commands


def test_runbook_defines_the_variables_its_commands_use() -> None:
    commands = runbook_commands()
    defined = {m.group(1) for c in commands if (m := re.match(r"^([A-Z]+)=", c))}
    used = {v for c in commands for v in re.findall(r"\$([A-Z]+)\b", c)}
    # REPLICA is the one the reader picks from ListEndpoints; the text says so.
    assert used - defined == {"REPLICA"}
    assert defined == {"ENVOY", "ADMIN", "KEYCLOAK", "TOKEN"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(
    keycloak: RunningKeycloak, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Supervisor]:
    if not (shutil.which("grpcurl") or (REPO / ".venv/bin/grpcurl").exists()):
        pytest.skip("grpcurl is not installed (make setup)")
    # Two document processors, so that one can be drained without force.
    services = tuple(
        dataclasses.replace(s, replicas=2) if s.module == "services.document_processor" else s
        for s in SERVICES
    )
    settings = UpSettings(
        replicas=1,
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=Path(tmp_path_factory.mktemp("runbook-mesh")),
        drain_delay_s=0.0,
        services=services,
        # The session's Keycloak (tests/conftest.py), shared with the other mesh tests.
        auth="external",
        keycloak=keycloak.settings,
    )
    supervisor = Supervisor(settings)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        await _ingest_sample_corpus(supervisor)
        yield supervisor
    finally:
        await supervisor.stop()


async def _ingest_sample_corpus(mesh: Supervisor) -> None:
    kc = mesh.settings.keycloak
    token = (await password_token(kc, "bob", kc.demo_password))["access_token"]
    metadata = (("authorization", f"Bearer {token}"),)
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        for path in sorted(SAMPLE_CORPUS.glob("*.md")):
            document = common_pb2.Document(
                id=path.stem,
                content=path.read_bytes(),
                content_type=content_type(path),
                access_groups=["engineering"],  # bob's: a writer grants only his own groups
            )
            await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(document=document), metadata=metadata, timeout=120
            )


def _replica_address(mesh: Supervisor, replica_id: str) -> str:
    replica = next(r for r in mesh.replicas if r.replica_id == replica_id)
    return f"127.0.0.1:{replica.port}"


def _host_lines(mesh: Supervisor, address: str) -> dict[str, str]:
    """Envoy's /clusters lines of one host: {"health_flags": ..., "weight": ...}."""
    with urllib.request.urlopen(f"{mesh.admin_url}/clusters", timeout=5) as response:
        lines = response.read().decode().splitlines()
    out = {}
    for line in lines:
        parts = line.split("::")
        if len(parts) == 4 and parts[1] == address:
            out[parts[2]] = parts[3]
    return out


def _eventually(check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout}s: {what}")


# --- what each runbook command must print ------------------------------------------------


def _check_token(run: Command, mesh: Supervisor) -> None:
    pass  # checked by every command that uses $TOKEN


def _check_list(run: Command, mesh: Supervisor) -> None:
    listed = run.stdout.split()
    assert run.returncode == 0, run.describe()
    for name in ("rag.v1.RagService", "rag.v1.MeshControlService", "rag.v1.VectorStoreService"):
        assert name in listed, run.describe()


def _check_describe_service(run: Command, mesh: Supervisor) -> None:
    assert run.returncode == 0, run.describe()
    assert "rpc Ask ( .rag.v1.AskRequest ) returns ( .rag.v1.AskResponse )" in run.stdout
    assert "(.rag.v1.required_role) = ROLE_READER" in run.stdout, run.describe()
    assert "(.rag.v1.required_role) = ROLE_WRITER" in run.stdout, run.describe()


def _check_describe_message(run: Command, mesh: Supervisor) -> None:
    assert run.returncode == 0, run.describe()
    assert "message AskRequest {" in run.stdout and "string question = 1;" in run.stdout


def _check_describe_method(run: Command, mesh: Supervisor) -> None:
    assert run.returncode == 0, run.describe()
    assert "rpc IngestDocument ( .rag.v1.IngestDocumentRequest )" in run.stdout, run.describe()
    assert "(.rag.v1.required_role) = ROLE_WRITER" in run.stdout, run.describe()


def _check_ask_with_token(run: Command, mesh: Supervisor) -> None:
    answer = run.json()
    citations = answer.get("citations")
    assert isinstance(citations, list) and citations, run.describe()
    corpus = {p.stem for p in SAMPLE_CORPUS.glob("*.md")}
    assert {c["documentId"] for c in citations} <= corpus, run.describe()
    assert "[1]" in str(answer["answer"]) and "weight" in str(answer["answer"]).lower()


def _check_ask_without_token(run: Command, mesh: Supervisor) -> None:
    assert run.returncode != 0, run.describe()
    assert "Code: Unauthenticated" in run.stderr, run.describe()


def _check_mesh_status(run: Command, mesh: Supervisor) -> None:
    status = run.json()
    nodes = status["nodes"]
    assert isinstance(nodes, list) and len(nodes) == 1, run.describe()
    acked = {t["typeUrl"]: t.get("ackedVersion") for t in nodes[0]["resourceTypes"]}
    assert acked.get("cds") and acked.get("eds"), run.describe()
    # Every replica plus the control plane itself.
    assert status["endpointCount"] == len(mesh.replicas) + 1, run.describe()


def _check_list_endpoints(run: Command, mesh: Supervisor) -> None:
    endpoints = run.json()["endpoints"]
    assert isinstance(endpoints, list)
    by_id = {e["replicaId"]: e for e in endpoints}
    assert set(by_id) == {PINNED, DRAINED}, run.describe()
    for replica_id, endpoint in by_id.items():
        assert endpoint["address"] == _replica_address(mesh, replica_id)
        assert endpoint["health"] == "SERVING_STATUS_SERVING", run.describe()


def _check_drain(run: Command, mesh: Supervisor) -> None:
    endpoint = run.json()["endpoint"]
    assert isinstance(endpoint, dict) and endpoint.get("draining") is True, run.describe()
    address = _replica_address(mesh, DRAINED)
    _eventually(
        lambda: "eds_status_draining" in _host_lines(mesh, address).get("health_flags", ""),
        f"Envoy sees {DRAINED} draining",
    )


def _check_undrain(run: Command, mesh: Supervisor) -> None:
    endpoint = run.json()["endpoint"]
    assert isinstance(endpoint, dict) and not endpoint.get("draining"), run.describe()
    address = _replica_address(mesh, DRAINED)
    _eventually(
        lambda: _host_lines(mesh, address).get("health_flags") == "healthy",
        f"Envoy sees {DRAINED} healthy again",
    )


def _check_pin(run: Command, mesh: Supervisor) -> None:
    endpoint = run.json()["endpoint"]
    assert isinstance(endpoint, dict), run.describe()
    assert endpoint["weightOverride"] == 50 and endpoint["currentWeight"] == 50, run.describe()
    assert endpoint.get("weightOverrideExpireTime"), run.describe()
    address = _replica_address(mesh, PINNED)
    _eventually(
        lambda: _host_lines(mesh, address).get("weight") == "50", f"Envoy weighs {PINNED} 50"
    )


def _check_unpin(run: Command, mesh: Supervisor) -> None:
    endpoint = run.json()["endpoint"]
    assert isinstance(endpoint, dict) and not endpoint.get("weightOverride"), run.describe()
    address = _replica_address(mesh, PINNED)
    _eventually(
        lambda: _host_lines(mesh, address).get("weight") not in (None, "50"),
        f"Envoy no longer weighs {PINNED} 50",
    )


def _check_health(run: Command, mesh: Supervisor) -> None:
    assert run.json() == {"status": "SERVING"}, run.describe()


def _check_ready(run: Command, mesh: Supervisor) -> None:
    assert run.returncode == 0 and run.stdout.strip() == "LIVE", run.describe()


def _check_clusters(run: Command, mesh: Supervisor) -> None:
    assert run.returncode == 0, run.describe()
    for replica in mesh.replicas:
        address = f"127.0.0.1:{replica.port}"
        assert f"::{address}::health_flags::healthy" in run.stdout, (address, run.describe())
        assert re.search(rf"::{re.escape(address)}::weight::\d+", run.stdout), run.describe()


def _check_stats(run: Command, mesh: Supervisor) -> None:
    counters = dict(line.split(": ", 1) for line in run.stdout.splitlines() if ": " in line)
    assert set(counters) and all(k.startswith("cluster.rag.upstream_rq_") for k in counters)
    assert int(counters["cluster.rag.upstream_rq_total"]) > 0, run.describe()


def _check_prometheus(run: Command, mesh: Supervisor) -> None:
    match = re.search(r'^envoy_cluster_upstream_rq_total\{envoy_cluster_name="rag"\} (\d+)$',
                      run.stdout, re.MULTILINE)  # fmt: skip
    assert match and int(match.group(1)) > 0, run.describe()


def _check_config_dump(run: Command, mesh: Supervisor) -> None:
    configs = run.json()["configs"]
    assert isinstance(configs, list)
    names = {c["cluster"]["name"] for c in configs}
    assert {"rag", "document_processor", "embedding", "mesh_control"} <= names, names
    assert all(c.get("version_info") for c in configs), run.describe()


CHECKS: list[tuple[str, Callable[[Command, Supervisor], None]]] = [
    (r"^TOKEN=\$\(curl .*username=carol", _check_token),
    (r"^grpcurl -plaintext \$ENVOY list$", _check_list),
    (r"describe rag\.v1\.RagService$", _check_describe_service),
    (r"describe rag\.v1\.AskRequest$", _check_describe_message),
    (r"describe rag\.v1\.RagService\.IngestDocument$", _check_describe_method),
    (r'Bearer \$TOKEN" -d .*RagService/Ask$', _check_ask_with_token),
    (r"^grpcurl -plaintext -d .*RagService/Ask$", _check_ask_without_token),
    (r"MeshControlService/GetMeshStatus$", _check_mesh_status),
    (r"MeshControlService/ListEndpoints$", _check_list_endpoints),
    (r"MeshControlService/DrainEndpoint$", _check_drain),
    (r"MeshControlService/UndrainEndpoint$", _check_undrain),
    (r"MeshControlService/SetWeightOverride$", _check_pin),
    (r"MeshControlService/ClearWeightOverride$", _check_unpin),
    (r"\$REPLICA grpc\.health\.v1\.Health/Check$", _check_health),
    (r"\$ADMIN/ready$", _check_ready),
    (r"\$ADMIN/clusters \| grep", _check_clusters),
    (r"\$ADMIN/stats\?filter=", _check_stats),
    (r"\$ADMIN/stats/prometheus", _check_prometheus),
    (r"\$ADMIN/config_dump", _check_config_dump),
]


def _check_for(command: str) -> Callable[[Command, Supervisor], None]:
    matches = [check for pattern, check in CHECKS if re.search(pattern, command)]
    assert len(matches) == 1, f"{len(matches)} checks match the runbook command: {command}"
    return matches[0]


def test_every_runbook_command_has_exactly_one_check() -> None:
    commands = [c for c in runbook_commands() if not re.match(r"^[A-Z]+=[^$]", c)]
    used = {_check_for(c) for c in commands}
    assert used == {check for _, check in CHECKS}, "a check's command is gone from the README"


async def _bash(command: str, env: dict[str, str]) -> Command:
    process = await asyncio.create_subprocess_exec(
        "bash", "-c", command, env=env, cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return Command(command, process.returncode, out.decode(), err.decode())


@pytest.mark.asyncio(loop_scope="module")
async def test_every_runbook_command_works_as_written(mesh: Supervisor) -> None:
    env = {
        **os.environ,
        "PATH": f"{REPO / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
        "ENVOY": mesh.envoy_address,
        "ADMIN": mesh.admin_url,
        "KEYCLOAK": mesh.settings.keycloak.url,
        "REPLICA": _replica_address(mesh, PINNED),
        "RAGMESH_DEMO_PASSWORD": mesh.settings.keycloak.demo_password,
    }
    ran = 0
    for command in runbook_commands():
        if re.match(r"^[A-Z]+=[^$]", command):
            continue  # ENVOY=..., ADMIN=...: this test's own addresses stand in for them
        if command.startswith("TOKEN="):
            # Run the login line as written and keep what it assigned.
            run = await _bash(f'{command}\nprintf %s "$TOKEN"', env)
            assert run.returncode == 0 and run.stdout.count(".") == 2, run.describe()
            env["TOKEN"] = run.stdout
            ran += 1
            continue
        run = await _bash(command, env)
        await asyncio.to_thread(_check_for(command), run, mesh)
        ran += 1
    assert ran == len(CHECKS)

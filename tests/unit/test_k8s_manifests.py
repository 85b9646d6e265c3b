"""deploy/k8s: valid for Kubernetes (kubeconform -strict, offline schemas) and complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from mesh.local.supervisor import SERVICES
from tests.support.processes import REPO

DEPLOY = REPO / "deploy"
MANIFESTS = sorted((DEPLOY / "k8s").rglob("*.yaml"))  # k8s/autoscaling/ too
KUBECONFORM = shutil.which("kubeconform") or shutil.which(
    "kubeconform", path=str(Path(sys.executable).parent)
)
kubeconform = pytest.mark.skipif(KUBECONFORM is None, reason="kubeconform missing (make setup)")


def documents() -> list[dict[str, Any]]:
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc]


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("kubernetes_validate")
    out = tmp_path_factory.mktemp("k8s-schemas")
    subprocess.run(
        [sys.executable, str(DEPLOY / "k8s" / "kubeconform_schemas.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def run_kubeconform(schemas: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    assert KUBECONFORM is not None
    location = f"{schemas}/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json"
    return subprocess.run(
        [KUBECONFORM, "-strict", "-summary", "-schema-location", location, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


@kubeconform
def test_every_manifest_is_valid_for_kubernetes(schemas: Path) -> None:
    result = run_kubeconform(schemas, *MANIFESTS)
    assert result.returncode == 0, result.stdout + result.stderr
    # Every resource was checked against a schema: none skipped for want of one.
    assert f"Valid: {len(documents())}, Invalid: 0, Errors: 0, Skipped: 0" in result.stdout


@kubeconform
def test_kubeconform_rejects_an_unknown_field(schemas: Path, tmp_path: Path) -> None:
    deployment = yaml.safe_load_all((DEPLOY / "k8s" / "control-plane.yaml").read_text())
    broken = next(d for d in deployment if d["kind"] == "Deployment")
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["grcp"] = {}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken))
    result = run_kubeconform(schemas, path)
    assert result.returncode != 0
    assert "grcp" in result.stdout


def test_every_service_has_a_deployment_with_grpc_health_probes_and_a_service() -> None:
    deployments = by_kind("Deployment")
    services = by_kind("Service")
    for launch in SERVICES:
        matching = [
            d
            for d in deployments.values()
            if d["spec"]["template"]["metadata"].get("annotations", {}).get("rag.v1/service")
            == launch.service
        ]
        assert len(matching) == 1, launch.service
        deployment = matching[0]
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == ["python", "-m", launch.module]
        assert container["readinessProbe"]["grpc"] == {"port": 50051, "service": launch.service}
        assert container["livenessProbe"]["grpc"]["port"] == 50051
        assert deployment["metadata"]["name"] in services


def test_the_infrastructure_is_there() -> None:
    deployments = set(by_kind("Deployment"))
    assert {"envoy", "control-plane", "keycloak", "prometheus"} <= deployments
    assert "chroma" in by_kind("StatefulSet")
    assert {"envoy", "control-plane", "keycloak", "chroma", "prometheus"} <= set(by_kind("Service"))


def test_kustomization_lists_every_manifest_and_existing_files() -> None:
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(
        f"k8s/{p.relative_to(DEPLOY / 'k8s')}" for p in MANIFESTS
    )
    for generator in kustomization["configMapGenerator"]:
        for entry in generator["files"]:
            assert (DEPLOY / entry.split("=")[-1]).is_file(), entry
    mounted = {
        volume["configMap"]["name"]
        for d in documents()
        if d["kind"] in ("Deployment", "StatefulSet")
        for volume in d["spec"]["template"]["spec"].get("volumes", [])
        if "configMap" in volume
    }
    made = {g["name"] for g in kustomization["configMapGenerator"]} | set(by_kind("ConfigMap"))
    assert mounted <= made


def test_kubernetes_prometheus_has_the_jobs_the_rules_select() -> None:
    local = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    k8s = yaml.safe_load((DEPLOY / "prometheus" / "prometheus-kubernetes.yml").read_text())
    jobs = [job["job_name"] for job in k8s["scrape_configs"]]
    assert jobs == [job["job_name"] for job in local["scrape_configs"]]

"""deploy/ rendered by kustomize: one image setting for every ragmesh container, and the
autoscaling chain (HPA -> prometheus-adapter rule -> recording rule -> metric the code
exports) complete and safe (kubeconform checks the schemas: `make validate-deploy`).

The recording rules' arithmetic is unit-tested by promtool
(deploy/prometheus/tests/autoscaling_test.yml); the image itself by
tests/integration/test_image.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
KUSTOMIZE = Path(sys.executable).parent / "kustomize"
SINGLE_WRITERS = {"graph", "indexer"}  # strategy Recreate: one owner of a SQLite file


def kustomize_build(folder: Path) -> list[dict[str, Any]]:
    if not KUSTOMIZE.exists():
        pytest.skip("kustomize is not installed: run `make setup`")
    out = subprocess.run(
        [str(KUSTOMIZE), "build", str(folder)], capture_output=True, text=True, check=True
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    return kustomize_build(DEPLOY)


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def ragmesh_containers(docs: list[dict[str, Any]]) -> dict[str, str]:
    """Container name -> image, for the Deployments the ragmesh image runs."""
    images = {}
    for name, deployment in of_kind(docs, "Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            if "ragmesh" in container["image"] or container["image"].startswith("ragmesh"):
                images[f"{name}/{container['name']}"] = container["image"]
    return images


def test_every_ragmesh_container_runs_the_one_image_setting(
    rendered: list[dict[str, Any]], tmp_path: Path
) -> None:
    images = ragmesh_containers(rendered)
    expected = {"control-plane", "envoy"} | set(of_kind(rendered, "HorizontalPodAutoscaler"))
    assert expected | SINGLE_WRITERS <= {key.split("/")[0] for key in images}
    assert set(images.values()) == {"localhost/ragmesh:latest"}, images
    # Naming another image is one edit of the kustomization, and reaches every container.
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    subprocess.run(
        [str(KUSTOMIZE), "edit", "set", "image", "ragmesh=registry.example/team/ragmesh:1.2.3"],
        cwd=copy,
        check=True,
    )
    moved = ragmesh_containers(kustomize_build(copy))
    assert moved.keys() == images.keys()
    assert set(moved.values()) == {"registry.example/team/ragmesh:1.2.3"}


def test_ragmesh_pods_run_as_the_images_non_root_user(rendered: list[dict[str, Any]]) -> None:
    user = re.search(r"^USER (\d+):(\d+)$", (DEPLOY / "Containerfile").read_text(), re.M)
    assert user is not None
    deployments = of_kind(rendered, "Deployment")
    for key in ragmesh_containers(rendered):
        pod = deployments[key.split("/")[0]]["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, key
        assert str(pod["securityContext"]["runAsUser"]) == user.group(1), key
        container = next(c for c in pod["containers"] if key.endswith("/" + c["name"]))
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, key


def test_each_autoscaler_targets_a_stateless_deployment_it_alone_sizes(
    rendered: list[dict[str, Any]],
) -> None:
    deployments = of_kind(rendered, "Deployment")
    settings = of_kind(rendered, "ConfigMap")["ragmesh-settings"]["data"]
    drain_s = float(settings["RAGMESH_GRACE_PERIOD_S"]) + float(settings["RAGMESH_DRAIN_DELAY_S"])
    hpas = of_kind(rendered, "HorizontalPodAutoscaler")
    budgets = of_kind(rendered, "PodDisruptionBudget")
    assert len(hpas) >= 9
    for name, hpa in hpas.items():
        spec = hpa["spec"]
        target = spec["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        deployment = deployments[name]["spec"]
        assert name not in SINGLE_WRITERS
        assert deployment.get("strategy", {}).get("type") != "Recreate", name
        # A replicas field would be reset by every `kubectl apply`, fighting the HPA.
        assert "replicas" not in deployment, name
        assert 2 <= spec["minReplicas"] < spec["maxReplicas"], name
        # Scaling in drains: a pod gets longer than the grace period and drain delay.
        assert deployment["template"]["spec"]["terminationGracePeriodSeconds"] > drain_s, name
        down = spec["behavior"]["scaleDown"]
        assert down["stabilizationWindowSeconds"] >= 120, name  # cool-down
        assert all(p["type"] == "Pods" and p["value"] == 1 for p in down["policies"]), name
        assert spec["behavior"]["scaleUp"]["stabilizationWindowSeconds"] == 0, name
        # Drains for node maintenance also take one replica at a time.
        budget = budgets[name]["spec"]
        assert budget["maxUnavailable"] == 1, name
        labels = deployment["template"]["metadata"]["labels"]
        assert budget["selector"]["matchLabels"].items() <= labels.items(), name


def adapter_rules() -> list[dict[str, Any]]:
    config = yaml.safe_load((DEPLOY / "prometheus-adapter" / "config.yaml").read_text())
    return [*config["rules"], *config["externalRules"]]


def test_every_hpa_metric_is_served_by_the_adapter_from_a_recording_rule(
    rendered: list[dict[str, Any]],
) -> None:
    served = {rule["name"]["as"]: rule for rule in adapter_rules()}
    kinds = {"Pods": "rules", "External": "externalRules"}
    config = yaml.safe_load((DEPLOY / "prometheus-adapter" / "config.yaml").read_text())
    for name, hpa in of_kind(rendered, "HorizontalPodAutoscaler").items():
        for metric in hpa["spec"]["metrics"]:
            metric_name = metric[metric["type"].lower()]["metric"]["name"]
            assert metric_name in served, (name, metric_name)
            assert served[metric_name] in config[kinds[metric["type"]]], (name, metric_name)
    recorded = {
        rule["record"]: rule["expr"]
        for group in yaml.safe_load(
            (DEPLOY / "prometheus" / "rules" / "ragmesh-autoscaling.yml").read_text()
        )["groups"]
        for rule in group["rules"]
    }
    # An external metric with no series answers 0: the HPA never scales in while one of its
    # metrics is unavailable, so an idle service's missing latency would pin it at its peak.
    assert all(r["metricsQuery"].endswith(" or vector(0)") for r in config["externalRules"])
    for rule in adapter_rules():
        series = rule["seriesQuery"].split("{")[0].strip("'")
        assert series in recorded, series
        assert re.fullmatch(rule["name"]["matches"].strip("^$"), series), rule["name"]
    # The recording rules read metrics the code exports.
    code = "\n".join(p.read_text() for p in (REPO / "services").rglob("metrics.py"))
    for raw in (
        "rag_requests_in_flight",
        "rag_request_duration_seconds",
        "rag_indexer_queue_depth",
    ):
        assert f'"{raw}"' in code, raw
        assert any(raw in expr for expr in recorded.values()), raw


def test_adapter_finds_pods_by_the_labels_prometheus_gives_them(
    rendered: list[dict[str, Any]],
) -> None:
    scrape = yaml.safe_load(
        of_kind(rendered, "ConfigMap")["prometheus-config"]["data"]["prometheus.yml"]
    )
    services_job = next(j for j in scrape["scrape_configs"] if j["job_name"] == "ragmesh-services")
    targets = {
        r.get("target_label"): r.get("source_labels") for r in services_job["relabel_configs"]
    }
    assert targets["namespace"] == ["__meta_kubernetes_namespace"]
    assert targets["replica"] == ["__meta_kubernetes_pod_name"]
    pods_rule = next(r for r in adapter_rules() if r["name"]["as"] == "rag_requests_in_flight")
    assert pods_rule["resources"]["overrides"] == {
        "namespace": {"resource": "namespace"},
        "replica": {"resource": "pod"},
    }
    # Prometheus in the cluster loads the autoscaling rules next to the alerts.
    rules = of_kind(rendered, "ConfigMap")["prometheus-rules"]["data"]
    assert {"ragmesh.yml", "ragmesh-autoscaling.yml"} <= rules.keys()

"""mesh/local/prometheus.py: scrape targets from the registry, file_sd files, the rendered config."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from mesh.catalog import CATALOG
from mesh.local.prometheus import (
    CONTROL_PLANE_JOB,
    ENVOY_JOB,
    SERVICES_JOB,
    PrometheusSettings,
    ScrapeTargets,
    TargetFiles,
    render_config,
    scrape_targets,
)
from mesh.registry import EndpointRegistry

EMBEDDING = "rag.v1.EmbeddingService"


def registry_with_replicas() -> EndpointRegistry:
    registry = EndpointRegistry(CATALOG)
    registry.register(EMBEDDING, "embedding-0", "127.0.0.1", 5001)
    registry.register(EMBEDDING, "embedding-1", "10.0.0.7", 5002)
    registry.register("rag.v1.GenerationService", "generation-0", "127.0.0.1", 5003)
    registry.register("rag.v1.MeshControlService", "control-plane", "127.0.0.1", 18000)
    return registry


def test_every_registered_replica_with_a_metrics_port_is_a_service_target() -> None:
    registry = registry_with_replicas()
    ports = {("embedding", "embedding-0"): 9101, ("embedding", "embedding-1"): 9102,
             ("generation", "generation-0"): 0}  # fmt: skip
    targets = scrape_targets(
        registry.endpoints(), ports, control_plane="127.0.0.1:9100", envoy_admin=["127.0.0.1:9901"]
    )
    # The host is the replica's registered IP (not localhost); generation has metrics off;
    # MeshControlService's endpoint is the control plane, scraped by its own job.
    assert [(t.address, dict(t.labels)) for t in targets.services] == [
        ("10.0.0.7:9102", {"cluster": "embedding", "replica": "embedding-1"}),
        ("127.0.0.1:9101", {"cluster": "embedding", "replica": "embedding-0"}),
    ]
    assert [t.address for t in targets.control_plane] == ["127.0.0.1:9100"]
    assert [t.address for t in targets.envoy] == ["127.0.0.1:9901"]


def test_targets_follow_the_registry() -> None:
    registry = registry_with_replicas()
    ports = {("embedding", "embedding-0"): 9101, ("embedding", "embedding-1"): 9102}
    registry.deregister("embedding", "embedding-1")
    targets = scrape_targets(registry.endpoints(), ports)
    assert [t.labels["replica"] for t in targets.services] == ["embedding-0"]
    assert targets.control_plane == () and targets.envoy == ()


def test_target_files_are_file_sd_json_and_rewritten_only_on_change(tmp_path: Path) -> None:
    files = TargetFiles(tmp_path / "targets")
    registry = registry_with_replicas()
    ports = {("embedding", "embedding-0"): 9101}
    targets = scrape_targets(registry.endpoints(), ports, envoy_admin=["127.0.0.1:9901"])
    assert files.write(targets) is True
    services = json.loads(files.path(SERVICES_JOB).read_text())
    assert services == [
        {
            "targets": ["127.0.0.1:9101"],
            "labels": {"cluster": "embedding", "replica": "embedding-0"},
        }
    ]
    assert json.loads(files.path(CONTROL_PLANE_JOB).read_text()) == []
    assert json.loads(files.path(ENVOY_JOB).read_text())[0]["targets"] == ["127.0.0.1:9901"]
    assert files.write(targets) is False  # nothing changed: Prometheus is not poked
    assert files.write(ScrapeTargets()) is True
    assert json.loads(files.path(SERVICES_JOB).read_text()) == []
    assert not list((tmp_path / "targets").glob("*.tmp"))


def test_settings_read_the_environment_and_reject_a_timeout_over_the_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAGMESH_PROMETHEUS_PORT", "19090")
    monkeypatch.setenv("RAGMESH_PROMETHEUS_MODE", "off")
    settings = PrometheusSettings()
    assert (settings.port, settings.mode) == (19090, "off")
    with pytest.raises(ValidationError, match="scrape_timeout_s"):
        PrometheusSettings(scrape_interval_s=1, scrape_timeout_s=2)


def test_rendered_config_names_the_targets_rules_and_intervals(tmp_path: Path) -> None:
    settings = PrometheusSettings(scrape_interval_s=0.5, scrape_timeout_s=0.25)
    text = render_config(settings, tmp_path / "targets")
    assert "scrape_interval: 500ms" in text and "scrape_timeout: 250ms" in text
    assert "evaluation_interval: 5s" in text
    assert f'"{tmp_path / "targets"}/services.json"' in text
    assert str(settings.rules_dir / "*.yml") in text


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool missing (make setup)")
def test_rendered_config_passes_promtool(tmp_path: Path) -> None:
    config = tmp_path / "prometheus.yml"
    config.write_text(render_config(PrometheusSettings(), tmp_path / "targets"))
    result = subprocess.run(
        ["promtool", "check", "config", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout

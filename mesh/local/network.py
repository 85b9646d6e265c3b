"""Where the parts of a mesh listen and how they reach each other (``RAGMESH_MESH_*``).

The defaults keep everything on 127.0.0.1, as `ragmesh up` always did. Across hosts each
address is set on its own: what replicas bind, the address registered for them (what Envoy
connects to), where the control plane listens for Envoy (xDS), and Envoy's listener.

| variable | default | meaning |
| --- | --- | --- |
| ``RAGMESH_MESH_REPLICA_HOST`` | ``127.0.0.1`` | address every replica binds |
| ``RAGMESH_MESH_ADVERTISE_HOST`` | ``""`` | IP registered for replicas; empty: the replica host (loopback for a wildcard) |
| ``RAGMESH_MESH_CONTROL_PLANE_HOST`` | ``127.0.0.1`` | address the control plane (xDS, MeshControlService) binds |
| ``RAGMESH_MESH_CONTROL_PLANE_ADVERTISE_HOST`` | ``""`` | IP Envoy's bootstrap and the registry use for it; empty: as above |
| ``RAGMESH_MESH_LISTENER_HOST`` | ``127.0.0.1`` | address of Envoy's gRPC listener |
"""

from __future__ import annotations

import socket

from pydantic_settings import BaseSettings, SettingsConfigDict

WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})


def reachable(host: str, advertise: str = "") -> str:
    """The address to connect to for something bound on ``host``: the advertised one if
    given, loopback for a wildcard bind (a peer on this machine), else ``host`` itself."""
    if advertise:
        return advertise
    if host in WILDCARDS:
        return "::1" if host in ("::", "[::]") else "127.0.0.1"
    return host


class MeshNetworkSettings(BaseSettings):
    """Bind and advertised addresses of the replicas, the control plane and Envoy."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_MESH_", extra="ignore", frozen=True)

    replica_host: str = "127.0.0.1"
    advertise_host: str = ""
    control_plane_host: str = "127.0.0.1"
    control_plane_advertise_host: str = ""
    listener_host: str = "127.0.0.1"

    @property
    def replica_address(self) -> str:
        """The IP registered for every replica the supervisor starts."""
        return reachable(self.replica_host, self.advertise_host)

    @property
    def control_plane_address(self) -> str:
        """The IP Envoy (and the registry) use for the control plane."""
        return reachable(self.control_plane_host, self.control_plane_advertise_host)

    @property
    def listener_address(self) -> str:
        """The IP replicas use to call other services through Envoy."""
        return reachable(self.listener_host)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (for servers that must be told one)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])

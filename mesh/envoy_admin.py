"""A small client of Envoy's admin interface (`/ready`, `/clusters`, `/stats`).

Blocking urllib calls run in a thread, so the event loop (and the control plane
on it) keeps serving while we wait for Envoy.
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from dataclasses import dataclass, field


@dataclass
class UpstreamHost:
    """One host of one cluster as Envoy's /clusters reports it."""

    cluster: str
    address: str
    weight: int = 0
    hostname: str = ""
    health_flags: str = ""
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return self.health_flags == "healthy"


class EnvoyAdmin:
    def __init__(self, host: str, port: int, timeout_s: float = 2.0) -> None:
        self.base = f"http://{host}:{port}"
        self.timeout_s = timeout_s

    async def get(self, path: str) -> tuple[int, str]:
        return await asyncio.to_thread(self._get, path)

    def _get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=self.timeout_s) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    async def ready(self) -> bool:
        """True once Envoy is LIVE (initial config received and applied)."""
        try:
            status, body = await self.get("/ready")
        except OSError:
            return False
        return status == 200 and body.strip() == "LIVE"

    async def clusters(self) -> dict[tuple[str, str], UpstreamHost]:
        """Hosts by (cluster, "ip:port"), parsed from the text format of /clusters
        (`cluster::ip:port::key::value` lines)."""
        _, body = await self.get("/clusters")
        hosts: dict[tuple[str, str], UpstreamHost] = {}
        for line in body.splitlines():
            parts = line.split("::")
            if len(parts) != 4:
                continue
            cluster, address, key, value = parts
            if not address.rpartition(":")[2].isdigit():
                continue  # cluster-level lines: "c::default_priority::max_requests::1024"
            host = hosts.setdefault((cluster, address), UpstreamHost(cluster, address))
            if key == "weight":
                host.weight = int(value)
            elif key == "hostname":
                host.hostname = value
            elif key == "health_flags":
                host.health_flags = value
            elif value.isdigit():
                host.counters[key] = int(value)
        return hosts

    async def stats(self, name_filter: str) -> dict[str, int]:
        """Counters and gauges whose name matches the regex `name_filter`."""
        _, body = await self.get(f"/stats?filter={name_filter}")
        found: dict[str, int] = {}
        for line in body.splitlines():
            name, _, value = line.partition(": ")
            if value.strip().isdigit():
                found[name] = int(value)
        return found

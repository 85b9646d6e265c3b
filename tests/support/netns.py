"""Separate hosts on one machine: Linux network namespaces joined by a bridge.

``HostNetwork`` makes a bridge in the root namespace (it is the "router" host at
``.1``) and one namespace per host, each with its own IP on a veth pair whose root end
is a port of the bridge. Processes run on a host through ``ip netns exec``; a host is
cut off by taking its bridge port down, so packets to it vanish as in a real partition
(no reset, no ICMP). Names carry a random id, so concurrent runs never collide, and
``destroy`` removes everything (deleting a namespace deletes its veth pair).
Needs root and iproute2 (``make setup`` installs it).
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tests.support.processes import REPO


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=15)


def netns_unavailable() -> str | None:
    """Why this machine cannot make network namespaces, or None when it can."""
    if os.geteuid() != 0:
        return "needs root to create network namespaces (ip netns)"
    if shutil.which("ip") is None:
        return "iproute2's `ip` is missing (make setup installs it)"
    probe = f"rmprobe{secrets.token_hex(3)}"
    made = _ip("netns", "add", probe, check=False)
    if made.returncode != 0:
        return f"`ip netns add` is not permitted here: {made.stderr.strip()}"
    _ip("netns", "delete", probe, check=False)
    return None


def _free_subnet() -> ipaddress.IPv4Network:
    """A /24 in 10.77.0.0/16 that no interface or route of this machine uses."""
    used = _ip("-4", "addr").stdout + _ip("-4", "route").stdout
    taken = {int(m) for m in re.findall(r"10\.77\.(\d+)\.", used)}
    free = [n for n in range(256) if n not in taken]
    if not free:
        raise RuntimeError("no free /24 left in 10.77.0.0/16")
    return ipaddress.IPv4Network(f"10.77.{secrets.choice(free)}.0/24")


@dataclass(frozen=True)
class Host:
    """One namespace: its name, its IP, and the bridge port that connects it."""

    index: int
    namespace: str
    ip: str
    bridge_port: str  # root-side veth; down = the host is cut off


class HostNetwork:
    def __init__(self, hosts: int) -> None:
        tag = secrets.token_hex(3)
        self.subnet = _free_subnet()
        addresses = list(self.subnet.hosts())
        self.gateway = str(addresses[0])  # the root namespace, on the bridge
        self.bridge = f"rmb{tag}"
        self.hosts = [
            Host(i, f"ragmesh-{tag}-h{i}", str(addresses[9 + i]), f"rmv{tag}{i}")
            for i in range(1, hosts + 1)
        ]
        self._tag = tag
        self._made: list[str] = []

    def create(self) -> HostNetwork:
        prefix = self.subnet.prefixlen
        _ip("link", "add", self.bridge, "type", "bridge")
        self._made.append(f"link:{self.bridge}")
        _ip("addr", "add", f"{self.gateway}/{prefix}", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")
        for host in self.hosts:
            peer = f"rmp{self._tag}{host.index}"
            _ip("netns", "add", host.namespace)
            self._made.append(f"netns:{host.namespace}")
            _ip("link", "add", host.bridge_port, "type", "veth", "peer", "name", peer)
            _ip("link", "set", peer, "netns", host.namespace)
            _ip("link", "set", host.bridge_port, "master", self.bridge)
            _ip("link", "set", host.bridge_port, "up")
            _ip("-n", host.namespace, "link", "set", "lo", "up")
            _ip("-n", host.namespace, "addr", "add", f"{host.ip}/{prefix}", "dev", peer)
            _ip("-n", host.namespace, "link", "set", peer, "up")
            _ip("-n", host.namespace, "route", "add", "default", "via", self.gateway)
        return self

    def cut(self, host: Host) -> None:
        """Cut the host off the network: its packets, both ways, go nowhere."""
        _ip("link", "set", host.bridge_port, "down")

    def destroy(self) -> None:
        """Remove every namespace and link made; safe to call twice or after a failure."""
        for made in reversed(self._made):
            kind, _, name = made.partition(":")
            if kind == "netns":
                _ip("netns", "delete", name, check=False)
            else:
                _ip("link", "delete", name, check=False)
        # A veth whose namespace failed to take it would still be in the root namespace.
        for host in self.hosts:
            _ip("link", "delete", host.bridge_port, check=False)
        self._made.clear()

    def namespaces(self) -> set[str]:
        listed = _ip("netns", "list", check=False).stdout
        return {line.split()[0] for line in listed.splitlines() if line.strip()} & {
            h.namespace for h in self.hosts
        }

    def links(self) -> set[str]:
        listed = _ip("-o", "link", check=False).stdout
        names = {self.bridge, *(h.bridge_port for h in self.hosts)}
        return {name for name in names if re.search(rf"\d+: {name}[@:]", listed)}


class HostProcess:
    """``python -m MODULE`` on one host (inside its namespace), ready once it prints
    ``RAGMESH_LISTENING grpc=N``."""

    def __init__(
        self, host: Host | None, module: str, env: Mapping[str, str], args: Sequence[str] = ()
    ) -> None:
        prefix = ["ip", "netns", "exec", host.namespace] if host else []
        self.host = host
        self.proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", module, *args],
            cwd=REPO,
            env={**os.environ, "RAGMESH_LOG_FORMAT": "text", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        self.port = 0
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            match = re.search(r"RAGMESH_LISTENING grpc=(\d+)", line)
            if match:
                self.port = int(match.group(1))
                self._ready.set()
        self._ready.set()

    def wait_ready(self, timeout: float = 60.0) -> HostProcess:
        if not self._ready.wait(timeout) or not self.port:
            self.stop()
            raise RuntimeError(f"process did not start:\n{''.join(self.output)}")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        # `ip netns exec` execs the command: the pid is the Python process itself.
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

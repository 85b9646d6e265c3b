"""Start and stop real processes in tests: free ports, readiness by output, clean teardown."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from mesh.local.network import free_port

REPO = Path(__file__).resolve().parents[2]
__all__ = ["REPO", "ServiceProcess", "free_port", "wait_until"]


class ServiceProcess:
    """A ``python -m MODULE`` service process that prints ``RAGMESH_LISTENING grpc=N``."""

    def __init__(self, module: str, env: Mapping[str, str] | None = None) -> None:
        full_env = {**os.environ, "RAGMESH_LOG_FORMAT": "text", **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=REPO,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        self._ready = threading.Event()
        self.port = 0
        self.metrics_port = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            match = re.search(r"RAGMESH_LISTENING grpc=(\d+) metrics=(\w+)", line)
            if match:
                self.port = int(match.group(1))
                self.metrics_port = int(match.group(2)) if match.group(2).isdigit() else 0
                self._ready.set()
        self._ready.set()

    def wait_ready(self, timeout: float = 60.0) -> ServiceProcess:
        if not self._ready.wait(timeout) or not self.port:
            self.stop()
            raise RuntimeError(f"service did not start:\n{''.join(self.output)}")
        return self

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def terminate(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 15.0) -> int:
        self.terminate()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def wait_until(predicate: object, timeout: float = 10.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"condition not met within {timeout}s")

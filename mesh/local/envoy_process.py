"""Run one Envoy: render its bootstrap, start it, wait until it is LIVE, stop it."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from mesh.envoy_admin import EnvoyAdmin
from mesh.local.processes import stop_process
from mesh.xds.bootstrap import BootstrapSettings, envoy_command, write_bootstrap

log = logging.getLogger(__name__)


class EnvoyProcess:
    def __init__(
        self,
        settings: BootstrapSettings,
        workdir: Path,
        *,
        log_level: str = "info",
        concurrency: int = 1,
    ) -> None:
        self.settings = settings
        self.config_path = workdir / f"envoy-{settings.node_id}.yaml"
        self.log_path = workdir / f"envoy-{settings.node_id}.log"
        self.log_level = log_level
        self.concurrency = concurrency
        self.admin = EnvoyAdmin(settings.admin_host, settings.admin_port)
        self._process: asyncio.subprocess.Process | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    async def start(self) -> None:
        write_bootstrap(self.settings, self.config_path)
        command = envoy_command(
            self.config_path,
            log_level=self.log_level,
            concurrency=self.concurrency,
            log_path=self.log_path,
        )
        self._process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        log.info("envoy %s started (pid %d)", self.settings.node_id, self._process.pid)

    async def wait_ready(self, timeout_s: float = 30.0) -> None:
        """Poll /ready until LIVE; fail early if Envoy exits (bad bootstrap)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            if self._process is None or self._process.returncode is not None:
                raise RuntimeError(f"envoy exited; log:\n{self.log_tail()}")
            if await self.admin.ready():
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"envoy not LIVE after {timeout_s}s; log:\n{self.log_tail()}")

    async def stop(self, timeout_s: float = 5.0) -> None:
        process, self._process = self._process, None
        await stop_process(process, timeout_s)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

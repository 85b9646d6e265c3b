"""Stopping a local child process (Envoy, Keycloak, Prometheus, service replicas): SIGTERM,
a grace period to exit cleanly, then SIGKILL. One rule for every process the mesh starts."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal


async def stop_process(
    process: asyncio.subprocess.Process | None, grace_s: float, *, group: bool = False
) -> None:
    """Stop ``process`` (None or already exited: nothing to do). ``group``: signal its whole
    process group, for launchers whose children do the work (Keycloak's kc.sh runs a JVM)."""
    if process is None or process.returncode is not None:
        return

    def send(sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            if group:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)

    send(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace_s)
    except TimeoutError:
        send(signal.SIGKILL)
        await process.wait()

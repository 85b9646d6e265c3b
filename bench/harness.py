"""Shared pieces of the mesh benchmarks: a mesh on free ports, percentiles, tables."""

from __future__ import annotations

import contextlib
import statistics
import tempfile
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from mesh.local.network import free_port
from mesh.local.supervisor import Supervisor, UpSettings

DATASET = Path(__file__).resolve().parents[2] / "shared" / "data" / "scifact"


@contextlib.asynccontextmanager
async def running_mesh(replicas: int = 1, **settings: object) -> AsyncIterator[Supervisor]:
    with tempfile.TemporaryDirectory(prefix="ragmesh-bench-") as state:
        supervisor = Supervisor(
            UpSettings(
                replicas=replicas,
                listener_port=free_port(),
                admin_port=free_port(),
                state_dir=Path(state),
                drain_delay_s=0.0,
                **settings,  # type: ignore[arg-type]
            )
        )
        try:
            await supervisor.start()
            await supervisor.wait_ready()
            yield supervisor
        finally:
            await supervisor.stop()


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [list(map(str, header))] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)

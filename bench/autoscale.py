"""Autoscaling the embedding service on the mesh's own signal: a load step and back.

    python -m bench.autoscale [--quick | --smoke] [--max-replicas 2]

The supervisor runs the embedding service (one replica to begin with) behind the real
Envoy and control plane with autoscaling on (`ragmesh up --autoscale`): min 1 replica,
max `--max-replicas`, target 4 calls in flight per replica (deploy/k8s/autoscaling/hpa.yaml's
target for the embedding service). A load generator in its own process (so the mesh in this
process does not distort its timings) keeps 1 Embed call in flight through Envoy (one
passage of ~130 tokens per call), then 16, then 1 again:

1. warm-up at 1 in flight (the healthy latency is learnt here);
2. the step to 16 in flight: seconds until a second replica is healthy in Envoy
   (`scale_out_s`), then until the desired maximum runs; p99 of the calls started between
   the step and the first added replica's health (`p99_before_ms`: one replica under the
   load) and of the calls started after every added replica serves, a few seconds after
   (`p99_after_ms`);
3. back to 1 in flight: seconds until the mesh runs one replica again, the others drained
   and stopped (`scale_in_s`).
`failed` counts every failed call of the run, scale-in included (the target is 0).

Why p99 falls on a 2-core machine: every replica of an autoscaled service gets its share of
the cores as if the maximum ran (services/embedding/settings.py: threads = cores / replicas
per host), so one replica computes on one core and a second replica brings the second.

The bench shortens the cool-downs and the scale-in window (the defaults are 15 s, 60 s
and 300 s, the HPA's) so that a run takes minutes; the signal and the decisions are the
ones `ragmesh up --autoscale` makes. Last line:

    RESULT scale_out_s=… scale_in_s=… p99_before_ms=… p99_after_ms=… failed=…

Targets: scale_out_s <= 30, failed = 0, p99_after_ms < p99_before_ms. A limit not reached
prints the limit and says so.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import grpc

from bench.harness import median, percentile, running_mesh, table
from mesh.balancing.autoscale import AutoscaleSettings, ServiceTargets
from mesh.catalog import CATALOG
from mesh.local.supervisor import ServiceLaunch, Supervisor
from rag.v1 import embedding_pb2, embedding_pb2_grpc

SERVICE = "rag.v1.EmbeddingService"
CLUSTER = CATALOG.by_name(SERVICE).cluster
HIGH, LOW = 16, 1
PASSAGE = (
    "The control plane watches every replica through Envoy: the calls each one has in "
    "flight, how long its calls take against the service's healthy latency, and how many "
    "changes wait in the indexer's queues. From that it computes how many replicas each "
    "service should run, with hysteresis so that noise does not move the count, cool-downs "
    "so that a new replica can start and take load before the signal is read again, and a "
    "window before scaling in, so that a short lull does not stop a replica that the next "
    "burst needs. Scaling in drains a replica first: Envoy stops sending it calls, the calls "
    "it has finish, and only then is the process stopped."
)


@dataclass(frozen=True)
class Call:
    started: float  # time.monotonic(), the same clock in both processes (CLOCK_MONOTONIC)
    latency_s: float
    status: str  # "OK" or the gRPC status name


# --- the load generator (its own process) -----------------------------------------------


def generate(address: str, control: Connection) -> None:
    """Keep as many Embed calls in flight as the parent last sent (an int); "stop" ends
    the run and sends every call back."""
    logging.basicConfig(level=logging.WARNING)
    calls = asyncio.run(_generate(address, control))
    control.send(calls)


async def _generate(address: str, control: Connection) -> list[Call]:
    loop = asyncio.get_running_loop()
    wanted = [0]
    stopped = asyncio.Event()

    def listen() -> None:  # a thread: Connection.recv blocks
        while True:
            message = control.recv()
            if message == "stop":
                loop.call_soon_threadsafe(stopped.set)
                return
            loop.call_soon_threadsafe(wanted.__setitem__, 0, int(message))

    threading.Thread(target=listen, daemon=True).start()
    calls: list[Call] = []
    async with grpc.aio.insecure_channel(address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        request = embedding_pb2.EmbedRequest(texts=[PASSAGE])

        async def caller(index: int) -> None:
            while not stopped.is_set() and index < wanted[0]:
                started = time.monotonic()
                try:
                    await stub.Embed(request, timeout=30)
                    status = "OK"
                except grpc.aio.AioRpcError as exc:
                    status = exc.code().name
                calls.append(Call(started, time.monotonic() - started, status))

        running: dict[int, asyncio.Task[None]] = {}
        while not stopped.is_set():
            for index in range(wanted[0]):
                if index not in running or running[index].done():
                    running[index] = asyncio.create_task(caller(index))
            await asyncio.sleep(0.01)
        await asyncio.gather(*running.values())
    return calls


# --- the run ----------------------------------------------------------------------------


Sample = tuple[float, int, int, int]
CPU_TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")


@dataclass
class Timeline:
    step_at: float = 0.0
    scaled_out_at: float | None = None  # a second replica healthy in Envoy
    at_max_at: float | None = None  # every replica up to the maximum healthy
    after_from: float = 0.0
    drop_at: float = 0.0
    scaled_in_at: float | None = None  # one replica again, the others stopped
    samples: list[Sample] = field(default_factory=list)
    # (time, desired, healthy in Envoy, replicas the supervisor runs)
    cpu_before: dict[str, tuple[int, float]] = field(default_factory=dict)
    cpu_after: dict[str, tuple[int, float]] = field(default_factory=dict)
    # (calls Envoy sent it, CPU seconds) by process, from the step to the scale-out and over
    # the scaled-out window
    before_span_s: float = 0.0


async def healthy_replicas(mesh: Supervisor) -> int:
    assert mesh.envoy is not None
    try:
        hosts = await mesh.envoy.admin.clusters()
    except OSError:
        return 0
    return sum(1 for (cluster, _), host in hosts.items() if cluster == CLUSTER and host.healthy)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU of a process (and its waited-for children) so far; 0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (OSError, TypeError):
        return 0.0
    return sum(int(v) for v in fields[11:15]) * CPU_TICK_S


async def usage(mesh: Supervisor, generator: int | None) -> dict[str, tuple[int, float]]:
    """Calls Envoy sent each replica so far and the CPU seconds of every process of the run."""
    assert mesh.envoy is not None
    hosts = await mesh.envoy.admin.clusters()
    found = {
        r.replica_id: (
            hosts[(CLUSTER, f"127.0.0.1:{r.port}")].counters.get("rq_total", 0)
            if (CLUSTER, f"127.0.0.1:{r.port}") in hosts
            else 0,
            cpu_seconds(r.process.pid if r.process else None),
        )
        for r in mesh.replicas
    }
    found["envoy"] = (0, cpu_seconds(mesh.envoy.pid))
    found["load generator"] = (0, cpu_seconds(generator))
    found["control plane, supervisor"] = (0, cpu_seconds(os.getpid()))
    return found


def spent(
    first: dict[str, tuple[int, float]], last: dict[str, tuple[int, float]]
) -> dict[str, tuple[int, float]]:
    """Calls and CPU seconds between two `usage` readings (a process new since: all of it)."""
    return {
        name: (calls - first.get(name, (0, 0.0))[0], cpu - first.get(name, (0, 0.0))[1])
        for name, (calls, cpu) in last.items()
    }


async def watch(mesh: Supervisor, timeline: Timeline, until: asyncio.Event) -> None:
    while not until.is_set():
        timeline.samples.append(
            (
                time.monotonic(),
                mesh.control_plane.desired_replicas(CLUSTER) or 0,
                await healthy_replicas(mesh),
                len(mesh.replicas),
            )
        )
        await asyncio.sleep(0.25)


async def wait_for(
    timeline: Timeline, test: Callable[[Sample], bool], limit_s: float, since: float
) -> float | None:
    """The first sample time after `since` when `test(sample)` holds, waiting up to
    `limit_s` from `since`; None when it never did."""
    seen = 0
    while time.monotonic() - since < limit_s:
        for sample in timeline.samples[seen:]:
            if sample[0] >= since and test(sample):
                return float(sample[0])
        seen = len(timeline.samples)
        await asyncio.sleep(0.1)
    return None


async def run(args: argparse.Namespace) -> tuple[Timeline, list[Call]]:
    autoscale = AutoscaleSettings(
        services={
            CLUSTER: ServiceTargets(
                min_replicas=1, max_replicas=args.max_replicas, target_in_flight=4
            )
        },
        scale_out_cooldown_s=args.cooldown_s,
        scale_in_cooldown_s=args.cooldown_s,
        scale_in_window_s=args.window_s,
        in_flight_decay_s=args.decay_s,
    )
    async with running_mesh(
        replicas=1,
        services=[ServiceLaunch(SERVICE, "services.embedding")],
        replica_env={"RAGMESH_LOG_LEVEL": "WARNING"},
        autoscale=autoscale,
    ) as mesh:
        parent, child = multiprocessing.get_context("spawn").Pipe()
        generator = multiprocessing.get_context("spawn").Process(
            target=generate, args=(mesh.envoy_address, child), daemon=True
        )
        generator.start()
        timeline, done = Timeline(), asyncio.Event()
        watcher = asyncio.create_task(watch(mesh, timeline, done))
        try:
            parent.send(LOW)
            await asyncio.sleep(args.warm_s)
            timeline.step_at = time.monotonic()
            parent.send(HIGH)
            print(f"step to {HIGH} in flight", flush=True)
            at_step = await usage(mesh, generator.pid)
            timeline.scaled_out_at = await wait_for(
                timeline, lambda s: s[2] >= 2, args.limit_s, timeline.step_at
            )
            timeline.cpu_before = spent(at_step, await usage(mesh, generator.pid))
            timeline.before_span_s = time.monotonic() - timeline.step_at
            timeline.at_max_at = await wait_for(
                timeline, lambda s: s[2] >= args.max_replicas, args.limit_s, timeline.step_at
            )
            await asyncio.sleep(args.settle_s)
            timeline.after_from = time.monotonic()
            first = await usage(mesh, generator.pid)
            await asyncio.sleep(args.after_s)
            timeline.drop_at = time.monotonic()
            timeline.cpu_after = spent(first, await usage(mesh, generator.pid))
            parent.send(LOW)
            print(f"back to {LOW} in flight", flush=True)
            timeline.scaled_in_at = await wait_for(
                timeline, lambda s: s[1] == 1 and s[3] == 1, args.limit_s * 4, timeline.drop_at
            )
            await asyncio.sleep(args.settle_s)  # calls after the scale-in count too
        finally:
            parent.send("stop")
            calls: list[Call] = await asyncio.to_thread(parent.recv)
            await asyncio.to_thread(generator.join, 30)
            done.set()
            await watcher
    return timeline, calls


def report(
    args: argparse.Namespace, timeline: Timeline, calls: Sequence[Call], took_s: float
) -> None:
    def window(start: float, end: float) -> list[float]:
        return [c.latency_s * 1000 for c in calls if start <= c.started < end and c.status == "OK"]

    t0 = timeline.step_at
    scaled = timeline.scaled_out_at or timeline.drop_at
    warm = window(0.0, t0)
    before = window(t0, scaled)
    after = window(timeline.after_from, timeline.drop_at)
    low_end = timeline.scaled_in_at or time.monotonic()
    low = window(timeline.drop_at, low_end + args.settle_s)
    rows = [
        (name, LOW if name.startswith(("warm", "load")) else HIGH, len(v), median(v),
         percentile(v, 99))
        for name, v in (("warm-up, 1 replica", warm), ("step, 1 replica", before),
                        ("step, scaled out", after), ("load dropped", low))
    ]  # fmt: skip
    print(table(["phase", "in flight", "calls", "p50 ms", "p99 ms"], rows))
    print()
    span = timeline.drop_at - timeline.after_from
    before_span = max(timeline.before_span_s, 1e-9)
    print(
        f"at {HIGH} in flight, per process: calls Envoy sent it and CPU used (cores), from the "
        "step until a second replica serves (1 replica; the new one is starting) and scaled out"
    )
    usage_rows = [
        (name, *(_share(timeline.cpu_before.get(name), before_span)),
         calls, cpu / span)
        for name, (calls, cpu) in timeline.cpu_after.items()
    ]  # fmt: skip
    print(
        table(
            ["process", "calls, 1 replica", "cores, 1 replica", "calls, scaled", "cores, scaled"],
            usage_rows,
        )
    )
    print()

    def first(test: Callable[[Sample], bool]) -> float | None:
        return next((s[0] - t0 for s in timeline.samples if s[0] >= t0 and test(s)), None)

    events = [
        ("step to 16 in flight", 0.0),
        ("desired 2 replicas", first(lambda s: s[1] >= 2)),
        ("second replica starting", first(lambda s: s[3] >= 2)),
        ("second replica healthy", _since(timeline.scaled_out_at, t0)),
        (f"{args.max_replicas} replicas healthy", _since(timeline.at_max_at, t0)),
        ("load back to 1", timeline.drop_at - t0),
        ("one replica again", _since(timeline.scaled_in_at, t0)),
    ]
    print(
        table(
            ["event", "s after the step"], [(e, "not seen" if s is None else s) for e, s in events]
        )
    )
    failures: dict[str, int] = {}
    for c in calls:
        if c.status != "OK":
            failures[c.status] = failures.get(c.status, 0) + 1
    if failures:
        starts = [c.started - t0 for c in calls if c.status != "OK"]
        print(
            f"failed calls by status: {failures}, started {min(starts):.1f} to "
            f"{max(starts):.1f} s after the step"
        )
    scale_out = _since(timeline.scaled_out_at, t0)
    scale_in = _since(timeline.scaled_in_at, timeline.drop_at)
    if scale_out is None:
        print(f"no scale-out within {args.limit_s:.0f} s: the limit is reported")
    if scale_in is None:
        print(f"no scale-in within {args.limit_s * 4:.0f} s: the limit is reported")
    print(f"bench.autoscale took {took_s:.0f} s")
    print(
        f"RESULT scale_out_s={scale_out if scale_out is not None else args.limit_s:.1f} "
        f"scale_in_s={scale_in if scale_in is not None else args.limit_s * 4:.1f} "
        f"p99_before_ms={_finite(percentile(before, 99)):.1f} "
        f"p99_after_ms={_finite(percentile(after, 99)):.1f} "
        f"failed={sum(failures.values())}"
    )


def _share(used: tuple[int, float] | None, span_s: float) -> tuple[object, object]:
    return ("-", "-") if used is None else (used[0], used[1] / span_s)


def _since(at: float | None, start: float) -> float | None:
    return None if at is None else at - start


def _finite(value: float) -> float:
    return 0.0 if value != value else value  # no calls in a window: 0, not NaN


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="shorter phases (~2 min)")
    size.add_argument("--smoke", action="store_true", help="shortest phases (CI smoke)")
    parser.add_argument("--max-replicas", type=int, default=2, help="autoscaling maximum (2)")
    args = parser.parse_args()
    if args.max_replicas < 2:
        parser.error("--max-replicas must be at least 2 (there is nothing to scale out to)")
    # warm-up, after scale-out, settle, limit of a scale-out, cool-downs, window, decay (s)
    if args.smoke:
        preset = dict(warm_s=3.0, after_s=3.0, settle_s=1.0, limit_s=60.0, cooldown_s=2.0,
                      window_s=2.0, decay_s=1.0)  # fmt: skip
    elif args.quick:
        preset = dict(warm_s=8.0, after_s=15.0, settle_s=3.0, limit_s=60.0, cooldown_s=5.0,
                      window_s=5.0, decay_s=2.0)  # fmt: skip
    else:
        preset = dict(warm_s=20.0, after_s=40.0, settle_s=5.0, limit_s=90.0, cooldown_s=10.0,
                      window_s=15.0, decay_s=3.0)  # fmt: skip
    for key, value in preset.items():
        setattr(args, key, value)
    logging.basicConfig(level=logging.WARNING)
    started = time.monotonic()
    timeline, calls = asyncio.run(run(args))
    report(args, timeline, calls, time.monotonic() - started)


if __name__ == "__main__":
    main()

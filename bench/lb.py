"""Load balancing with one slow replica: round robin vs least-request, unweighted vs weighted.

    python -m bench.lb [--quick] [--base-ms 2] [--slow-factor 5] [--seconds 6]

Three GenerationService replicas (extractive, ~1 ms of work per call) behind the real
Envoy and control plane, started by the supervisor. Every replica sleeps `--base-ms`
per call (the test-only latency option) so latencies are well defined. In one run:

1. healthy: all replicas equal, least-request with the control plane's weights;
   plus the Envoy hop against calling one replica directly (p50 at concurrency 1);
2. one replica slowed so that its direct p50 is `--slow-factor` times a healthy
   replica's; load until the control plane's weight for it (in Envoy's /clusters)
   falls under 1% of the cluster: the convergence time;
3. at concurrency 1, 4 and 16: least-request with the control plane's weights,
   least-request with weights pinned equal (overrides: Envoy's power of two
   choices), and round robin with equal weights (cluster lb_policy ROUND_ROBIN).

Load comes from a separate process (so the control plane in this process does not
distort the client's timings), one channel, `concurrency` callers, each load bounded
by a request count and a duration; only 127.0.0.1 is targeted. "slow %" is the share
of the measured requests Envoy sent to the slow replica (its per-host rq_total).
Last line: RESULT weighted_p99_over_healthy=<x> unweighted_p99_over_healthy=<y>
envoy_overhead_p50_ms=<z>, where healthy is the healthy p99 at concurrency 1 and x, y
are the worst ratio over the concurrencies.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import multiprocessing
import os
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import grpc

from bench.harness import median, percentile, table
from mesh.cache import CLUSTER_TYPE, ENDPOINT_TYPE
from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.envoy_admin import EnvoyAdmin, UpstreamHost
from mesh.policy import WeightPolicy
from mesh.resources import MeshSettings
from mesh.supervisor import Replica, ServiceLaunch, Supervisor, UpSettings, free_port
from rag.v1 import common_pb2, generation_pb2, generation_pb2_grpc

SERVICE = "rag.v1.GenerationService"
CLUSTER = CATALOG.by_name(SERVICE).cluster
CONCURRENCIES = (1, 4, 16)
REPLICAS = 3
CONVERGED_SHARE = 0.01  # the slow replica's share of the cluster's weight


# --- load (runs in a worker process) -------------------------------------------------


def _request() -> generation_pb2.GenerateRequest:
    text = (
        "Envoy balances requests across replicas with least request. The control plane "
        "weights every replica by the latency Envoy observes, so a slow replica gets "
        "fewer requests without being removed."
    )
    return generation_pb2.GenerateRequest(
        question="How does the control plane weight replicas?",
        contexts=[
            common_pb2.ScoredChunk(
                chunk=common_pb2.Chunk(id=f"doc#{i}", document_id="doc", position=i, text=text),
                score=1.0 / (i + 1),
                rank=i + 1,
            )
            for i in range(3)
        ],
    )


def run_load(
    target: str,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    warmup_s: float = 0.0,
    stop_file: str | None = None,
) -> tuple[list[float], int, float]:
    """Call Generate on `target` with `concurrency` callers; (latencies s, errors, elapsed s)."""
    return asyncio.run(_load(target, concurrency, max_requests, max_seconds, warmup_s, stop_file))


async def _load(
    target: str,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    warmup_s: float,
    stop_file: str | None,
) -> tuple[list[float], int, float]:
    request = _request()
    latencies: list[float] = []
    errors = 0
    remaining = max_requests
    stop = False
    loop = asyncio.get_running_loop()
    async with grpc.aio.insecure_channel(target) as channel:
        stub = generation_pb2_grpc.GenerationServiceStub(channel)
        await asyncio.wait_for(channel.channel_ready(), 10)

        async def caller(until: float, record: bool) -> None:
            nonlocal errors, remaining
            while not stop and loop.time() < until and (remaining > 0 or not record):
                if record:
                    remaining -= 1
                started = time.perf_counter()
                try:
                    await stub.Generate(request, timeout=5)
                except grpc.aio.AioRpcError:
                    if record:
                        errors += 1
                    continue
                if record:
                    latencies.append(time.perf_counter() - started)

        async def watch_stop_file() -> None:
            nonlocal stop
            while stop_file is not None and not stop:
                if await asyncio.to_thread(os.path.exists, stop_file):
                    stop = True
                await asyncio.sleep(0.05)

        watcher = asyncio.create_task(watch_stop_file())
        if warmup_s > 0:
            until = loop.time() + warmup_s
            await asyncio.gather(*(caller(until, False) for _ in range(concurrency)))
        started = loop.time()
        until = started + max_seconds
        await asyncio.gather(*(caller(until, True) for _ in range(concurrency)))
        elapsed = loop.time() - started
        stop = True
        await watcher
    return latencies, errors, elapsed


# --- measurements ---------------------------------------------------------------------


@dataclass
class Run:
    mode: str
    concurrency: int
    latencies: list[float]
    errors: int
    elapsed_s: float
    slow_share: float | None = None

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 99) * 1000


@dataclass
class Bench:
    supervisor: Supervisor
    plane: ControlPlane
    admin: EnvoyAdmin
    pool: ProcessPoolExecutor
    max_requests: int
    seconds: float
    warmup_s: float

    @property
    def replicas(self) -> list[Replica]:
        return [r for r in self.supervisor.replicas if r.launch.service == SERVICE]

    @property
    def slow(self) -> Replica:
        return self.replicas[-1]

    async def load(
        self,
        target: str,
        concurrency: int,
        *,
        seconds: float | None = None,
        max_requests: int | None = None,
        warmup_s: float | None = None,
        stop_file: str | None = None,
    ) -> tuple[list[float], int, float]:
        return await asyncio.get_running_loop().run_in_executor(
            self.pool,
            run_load,
            target,
            concurrency,
            max_requests or self.max_requests,
            seconds or self.seconds,
            self.warmup_s if warmup_s is None else warmup_s,
            stop_file,
        )

    async def measure(self, mode: str, concurrency: int) -> Run:
        """Load through Envoy; also the share of it that reached the slow replica."""
        before = await self.host_requests()
        latencies, errors, elapsed = await self.load(self.supervisor.envoy_address, concurrency)
        after = await self.host_requests()
        delta = {a: after.get(a, 0) - before.get(a, 0) for a in after}
        total = sum(delta.values())
        share = delta.get(_address(self.slow), 0) / total if total else None
        run = Run(mode, concurrency, latencies, errors, elapsed, share)
        print(
            f"  {mode:<22} c={concurrency:<3} {len(latencies):>6} calls  "
            f"p50 {run.p50_ms:6.2f} ms  p99 {run.p99_ms:6.2f} ms",
            flush=True,
        )
        return run

    async def direct(self, replica: Replica, requests: int) -> list[float]:
        latencies, _, _ = await self.load(
            _address(replica), 1, max_requests=requests, seconds=self.seconds
        )
        return latencies

    async def hosts(self) -> dict[str, UpstreamHost]:
        clusters = await self.admin.clusters()
        return {address: h for (c, address), h in clusters.items() if c == CLUSTER}

    async def host_requests(self) -> dict[str, int]:
        return {a: h.counters.get("rq_total", 0) for a, h in (await self.hosts()).items()}

    def slow_weights(self) -> tuple[int, int]:
        """The slow replica's weight as pushed and as the policy proposes it now."""
        (status,) = [
            s
            for s in self.plane.endpoint_status(CLUSTER)
            if s.endpoint.address == _address(self.slow)
        ]
        return status.weight, status.proposed_weight

    async def set_added_latency(self, replica: Replica, ms: float) -> None:
        url = f"http://127.0.0.1:{replica.metrics_port}/test-only/added-latency?ms={ms}"

        def put() -> None:
            with urllib.request.urlopen(
                urllib.request.Request(url, method="PUT"), timeout=5
            ) as response:
                response.read()

        await asyncio.to_thread(put)

    async def envoy_applied(self, check: Callable[[dict[str, UpstreamHost]], bool]) -> None:
        """Wait until Envoy ACKed the current snapshot and its /clusters passes `check`."""

        async def done() -> bool:
            snapshot = self.plane.snapshot
            streams = self.plane.streams()
            if snapshot is None or not streams:
                return False
            acked = all(
                s.acked.get("cds") == snapshot.version(CLUSTER_TYPE)
                and s.acked.get("eds") == snapshot.version(ENDPOINT_TYPE)
                for s in streams
            )
            return acked and check(await self.hosts())

        await _eventually(done, 30, "Envoy applies the new configuration")

    async def pin_equal_weights(self, pinned: bool) -> None:
        for replica in self.replicas:
            self.plane.registry.set_weight_override(
                CLUSTER, replica.replica_id, 1000 if pinned else None
            )
        if pinned:
            await self.envoy_applied(
                lambda hosts: (
                    len(hosts) == REPLICAS
                    and all(h.weight == 1000 and h.healthy for h in hosts.values())
                )
            )

    async def set_lb_policy(self, policy: Literal["LEAST_REQUEST", "ROUND_ROBIN"]) -> None:
        self.plane.settings = dataclasses.replace(self.plane.settings, lb_policy=policy)
        self.plane.refresh(force=True)
        await self.envoy_applied(
            lambda hosts: len(hosts) == REPLICAS and all(h.healthy for h in hosts.values())
        )

    async def converge(
        self, slow_ms: float, concurrency: int, limit_s: float, settle_s: float
    ) -> tuple[float | None, list[tuple[float, int]]]:
        """Slow the replica down under load: seconds until its weight share in Envoy is
        under 1% (None if not within `limit_s`), and its weight in Envoy over time."""
        with tempfile.TemporaryDirectory(prefix="ragmesh-lb-") as tmp:
            stop_file = str(Path(tmp) / "stop")
            loader = asyncio.ensure_future(
                self.load(
                    self.supervisor.envoy_address,
                    concurrency,
                    seconds=limit_s + settle_s + 1.0,
                    max_requests=10**6,
                    warmup_s=0.0,
                    stop_file=stop_file,
                )
            )
            await asyncio.sleep(0.3)  # let the load start before the slowdown
            await self.set_added_latency(self.slow, slow_ms)
            slowed = time.monotonic()
            converged: float | None = None
            trace: list[tuple[float, int]] = []
            settle_until = slowed + limit_s
            while time.monotonic() < settle_until and not loader.done():
                hosts = await self.hosts()
                now = time.monotonic() - slowed
                total = sum(h.weight for h in hosts.values())
                slow = hosts.get(_address(self.slow))
                if slow is not None and (not trace or trace[-1][1] != slow.weight):
                    trace.append((now, slow.weight))
                if converged is None and slow and total and slow.weight / total < CONVERGED_SHARE:
                    converged = now
                    # keep feeding the observer a little longer before measuring
                    settle_until = min(settle_until, time.monotonic() + settle_s)
                await asyncio.sleep(0.05)
            await asyncio.to_thread(Path(stop_file).touch)
            await loader
        return converged, trace


def _address(replica: Replica) -> str:
    return f"127.0.0.1:{replica.port}"


async def _eventually(check: Callable[[], Awaitable[bool]], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"not within {timeout_s}s: {what}")


@contextlib.contextmanager
def _worker_pool() -> Iterator[ProcessPoolExecutor]:
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- the benchmark --------------------------------------------------------------------


async def bench(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="ragmesh-bench-lb-") as state:
        await _bench(args, Path(state))


async def _bench(args: argparse.Namespace, state: Path) -> None:
    listener_port = free_port()
    policy = WeightPolicy()
    if args.min_share_change is not None:
        policy = dataclasses.replace(policy, min_share_change=args.min_share_change)
    plane = ControlPlane(CATALOG, MeshSettings(listener_port=listener_port), policy=policy)
    supervisor = Supervisor(
        UpSettings(
            listener_port=listener_port,
            admin_port=free_port(),
            state_dir=state,
            drain_delay_s=0.0,
            services=[ServiceLaunch(SERVICE, "services.generation", replicas=REPLICAS)],
            replica_env={
                "RAGMESH_TEST_ONLY_ADDED_LATENCY_MS": str(args.base_ms),
                "RAGMESH_TEST_ONLY_LATENCY_CONTROL": "true",
                "RAGMESH_LOG_LEVEL": "WARNING",
            },
        ),
        control_plane=plane,
    )
    admin_port = supervisor.settings.admin_port
    started = time.monotonic()
    with _worker_pool() as pool:
        warm = asyncio.get_running_loop().run_in_executor(pool, _request)  # spawn it now
        try:
            await supervisor.start()
            await supervisor.wait_ready()
            await warm
            b = Bench(
                supervisor,
                plane,
                EnvoyAdmin("127.0.0.1", admin_port),
                pool,
                max_requests=args.max_requests,
                seconds=args.seconds,
                warmup_s=args.warmup,
            )
            print(f"mesh ready in {time.monotonic() - started:.1f}s", flush=True)
            await report(b, args)
        finally:
            await supervisor.stop()


async def report(b: Bench, args: argparse.Namespace) -> None:
    runs: list[Run] = []
    # 1. healthy, with the control plane's weights.
    await b.load(b.supervisor.envoy_address, 4, seconds=1.0)  # connections + first weights
    for c in CONCURRENCIES:
        runs.append(await b.measure("healthy (weighted LR)", c))
    healthy = {r.concurrency: r for r in runs}

    # The Envoy hop: alternate direct and through Envoy, concurrency 1, all healthy.
    n = args.hop_requests
    direct: list[float] = []
    via_envoy: list[float] = []
    for _ in range(2):
        direct += await b.direct(b.replicas[0], n)
        latencies, _, _ = await b.load(b.supervisor.envoy_address, 1, max_requests=n)
        via_envoy += latencies
    direct_p50, envoy_p50 = median(direct) * 1000, median(via_envoy) * 1000
    overhead = envoy_p50 - direct_p50
    print(f"  direct p50 {direct_p50:.3f} ms, via Envoy {envoy_p50:.3f} ms", flush=True)

    # 2. slow one replica to `slow_factor` x a healthy replica's direct p50.
    fast_p50 = median(direct) * 1000
    slow_ms = args.base_ms + (args.slow_factor - 1) * fast_p50
    converged, trace = await b.converge(slow_ms, 4, args.converge_limit, args.settle)
    slow_direct = await b.direct(b.slow, args.slow_probe_requests)
    slow_p50 = median(slow_direct) * 1000
    weights = {h.hostname: h.weight for h in (await b.hosts()).values()}
    served: list[tuple[int, int, int]] = []  # (concurrency, pushed, proposed) after each run
    history = ", ".join(f"{t:.2f}s={w}" for t, w in trace)
    print(f"  converged in {converged} s; slow weight in Envoy: {history}", flush=True)

    # 3. the three ways to balance, with the slow replica.
    for c in CONCURRENCIES:
        runs.append(await b.measure("weighted LR", c))
        served.append((c, *b.slow_weights()))
    await b.pin_equal_weights(True)
    for c in CONCURRENCIES:
        runs.append(await b.measure("unweighted LR", c))
    await b.set_lb_policy("ROUND_ROBIN")
    for c in CONCURRENCIES:
        runs.append(await b.measure("round robin", c))

    base_p99 = healthy[1].p99_ms
    rows = [
        [
            r.mode,
            r.concurrency,
            len(r.latencies),
            r.errors,
            round(r.rps),
            r.p50_ms,
            r.p99_ms,
            r.p99_ms / base_p99,
            r.p99_ms / healthy[r.concurrency].p99_ms,
            "-" if r.slow_share is None else f"{100 * r.slow_share:.1f}",
        ]
        for r in runs
    ]
    print()
    print(
        f"{REPLICAS} x {SERVICE} (extractive Generate) + {args.base_ms:g} ms added latency; "
        f"slow replica +{slow_ms:.1f} ms: direct p50 {slow_p50:.2f} ms vs healthy "
        f"{fast_p50:.2f} ms ({slow_p50 / fast_p50:.1f}x)"
    )
    print(
        table(
            [
                "mode",
                "conc",
                "calls",
                "err",
                "rps",
                "p50 ms",
                "p99 ms",
                "p99/healthy@1",
                "p99/healthy@c",
                "slow %",
            ],
            rows,
        )
    )
    conv = f"{converged:.2f} s" if converged is not None else f"not within {args.converge_limit} s"
    print(
        f"weights converged (slow replica < {CONVERGED_SHARE:.0%} of the weight in Envoy) "
        f"{conv} after the slowdown; weights then: {weights}"
    )
    print(f"slow replica's weight in Envoy after the slowdown: {history}")
    print(
        "slow replica's weight after each weighted run (pushed/proposed by the policy): "
        + ", ".join(f"c={c}: {w}/{p}" for c, w, p in served)
    )
    print(
        f"Envoy hop at concurrency 1: direct p50 {direct_p50:.3f} ms, through Envoy "
        f"{envoy_p50:.3f} ms, overhead {overhead:.3f} ms ({len(direct)} + {len(via_envoy)} calls)"
    )

    def worst(mode: str) -> float:
        return max(r.p99_ms / base_p99 for r in runs if r.mode == mode)

    print(
        f"RESULT weighted_p99_over_healthy={worst('weighted LR'):.2f} "
        f"unweighted_p99_over_healthy={worst('unweighted LR'):.2f} "
        f"envoy_overhead_p50_ms={overhead:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short loads (under 45 s)")
    parser.add_argument("--base-ms", type=float, default=2.0)
    parser.add_argument("--slow-factor", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=None, help="per measurement")
    parser.add_argument("--max-requests", type=int, default=None, help="per measurement")
    parser.add_argument(
        "--min-share-change",
        type=float,
        default=None,
        help="override WeightPolicy.min_share_change (push hysteresis) to compare",
    )
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 1.2 if args.quick else 6.0
    if args.max_requests is None:
        args.max_requests = 5000 if args.quick else 30000
    args.warmup = 0.2 if args.quick else 0.5
    args.hop_requests = 300 if args.quick else 1500
    args.slow_probe_requests = 40 if args.quick else 200
    args.converge_limit = 8.0
    args.settle = 1.0 if args.quick else 3.0  # more load after convergence, before measuring
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Run the importable module, not __main__: the load worker process unpickles
    # `bench.lb.run_load` by name.
    from bench import lb

    asyncio.run(lb.bench(args))


if __name__ == "__main__":
    main()

"""Load balancing against a slow, a failing and a recovering replica, for every strategy.

    python -m bench.lb [--quick | --smoke] [--base-ms 2] [--slow-factor 5]
                       [--slow-kind wait|busy] [--rounds N]

Three GenerationService replicas (extractive, ~1 ms of work per call) behind the real
Envoy and control plane, started by the supervisor. Every replica sleeps `--base-ms` per
call (the test-only latency option) so latencies are well defined. Strategies
(`ragmesh up --lb-strategy`): round robin, least-request with equal weights (Envoy alone),
least-request with the control plane's latency weights ("weighted"), and least-request with
weights from the replicas' own load reports ("utilization").

1. the Envoy hop: direct calls (taking the replicas in turn, as Envoy spreads them)
   against calls through the mesh's Envoy and through a bare Envoy (router only, static
   cluster), taking turns call by call, one in flight, all healthy; overhead = median of
   the Envoy p50s - median of the direct p50s; then the same with the replicas answering
   at once (no added latency), where no Envoy thread idles inside a call;
2. healthy and one replica `--slow-factor` times slower (its direct p50), side by side:
   every strategy at 1, 4, 16 and 64 in flight, in rounds (each round visits every strategy,
   in a rotated order, and runs its healthy and its slow cells back to back); a cell runs
   until it has `min_calls` calls and `min_seconds`, or `max_seconds`; the table shows
   medians over rounds, and the p99 is compared with the healthy p99 of the same strategy
   at the same concurrency. When the concurrency rises, its first `step_s` seconds (the
   load step: weights still set for the lower load) are measured apart, before the cell;
3. one replica failing fast (health SERVING, every call UNAVAILABLE in ~1 ms), 4 in flight:
   the failing replica's share of upstream attempts (Envoy's per-host rq_total, so retried
   attempts count) from `failing_judge_s` after the failure began to the end, the ratio of
   retries to calls over the same span (cluster upstream_rq_retry), and how long after it
   answers well again its share is back to 90% of a fair share;
4. one replica slow for `recovery_slow_s`, then healthy again, 4 in flight: seconds until
   its share of attempts (over a sliding window) is back to 90% of a fair share.

Load comes from a separate process (so the control plane in this process does not distort
the client's timings), one channel, `concurrency` callers; warm-up calls are excluded from
every count; only 127.0.0.1 is targeted. The last line:

    RESULT weighted_p99_ratio_max=... lr_p99_ratio_max=... rr_p99_ratio_max=...
           weighted_vs_lr_p99_worst=... weighted_vs_lr_rps_min=... failing_attempt_share=...
           failing_retry_ratio=... recovery_s=... envoy_overhead_p50_ms=...
           envoy_over_bare_p50_ms=... envoy_cpu_over_bare_ms=... weighted_vs_lr_step_p99_worst=...

`*_ratio_max`: the worst over concurrencies of (slow-replica p99 / healthy p99 at that
concurrency); `weighted_vs_lr_*`: weighted against unweighted least-request with the slow
replica, the worst p99 ratio and the lowest throughput ratio (`_step_`: the same over the
load steps); `envoy_over_bare_p50_ms`: the mesh's Envoy p50 minus the bare Envoy's, and
`envoy_cpu_over_bare_ms` the same for their CPU time per call; the failing and recovery
figures are the weighted (latency) strategy's. A recovery not seen within the watch limit
prints the limit and says so.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import itertools
import json
import logging
import multiprocessing
import os
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import grpc

from bench.harness import median, percentile, table
from mesh.balancing.policy import LbStrategy
from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.envoy_admin import EnvoyAdmin, UpstreamHost
from mesh.local.network import free_port
from mesh.local.supervisor import Replica, ServiceLaunch, Supervisor, UpSettings
from mesh.xds.bootstrap import envoy_command
from mesh.xds.cache import CLUSTER_TYPE, ENDPOINT_TYPE
from mesh.xds.resources import MeshSettings
from rag.v1 import common_pb2, generation_pb2, generation_pb2_grpc

SERVICE = "rag.v1.GenerationService"
CLUSTER = CATALOG.by_name(SERVICE).cluster
REPLICAS = 3
UNAVAILABLE = 14
# Table names of the strategies, in the order of the table.
STRATEGIES: dict[str, LbStrategy] = {
    "weighted": "latency",
    "unweighted LR": "least_request",
    "round robin": "round_robin",
    "utilization": "utilization",
}
FAIR_SHARE = 1.0 / REPLICAS
RECOVERED_SHARE = 0.9 * FAIR_SHARE
FAILING_HEADER = (
    "strategy",
    "failing share %",
    "retries/call",
    "client err",
    "weight",
    "back in s",
)


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


@dataclass(frozen=True)
class LoadShape:
    concurrency: int
    min_calls: int
    min_seconds: float
    max_seconds: float
    warmup_s: float = 0.0
    stop_file: str | None = None


def run_load(target: str, shape: LoadShape) -> tuple[list[float], int, float]:
    """Call Generate on `target` (an address, or several joined by commas: calls take
    them in turn); (latencies s, errors, elapsed s), warm-up excluded."""
    return asyncio.run(_load(target, shape))


async def _load(target: str, shape: LoadShape) -> tuple[list[float], int, float]:
    request = _request()
    latencies: list[float] = []
    errors = 0
    stop = False
    loop = asyncio.get_running_loop()
    async with contextlib.AsyncExitStack() as channels:
        stubs = []
        for address in target.split(","):
            channel = await channels.enter_async_context(grpc.aio.insecure_channel(address))
            await asyncio.wait_for(channel.channel_ready(), 10)
            stubs.append(generation_pb2_grpc.GenerationServiceStub(channel))
        turn = itertools.cycle(stubs)

        def generate() -> Awaitable[generation_pb2.GenerateResponse]:
            return next(turn).Generate(request, timeout=5)

        async def warm(until: float) -> None:
            while not stop and loop.time() < until:
                with contextlib.suppress(grpc.aio.AioRpcError):
                    await generate()

        def done(started: float) -> bool:
            elapsed = loop.time() - started
            if stop or elapsed >= shape.max_seconds:
                return True
            return len(latencies) + errors >= shape.min_calls and elapsed >= shape.min_seconds

        async def caller(started: float) -> None:
            nonlocal errors
            while not done(started):
                began = time.perf_counter()
                try:
                    await generate()
                except grpc.aio.AioRpcError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - began)

        async def watch_stop_file() -> None:
            nonlocal stop
            while shape.stop_file is not None and not stop:
                if await asyncio.to_thread(os.path.exists, shape.stop_file):
                    stop = True
                await asyncio.sleep(0.05)

        watcher = asyncio.create_task(watch_stop_file())
        if shape.warmup_s > 0:
            until = loop.time() + shape.warmup_s
            await asyncio.gather(*(warm(until) for _ in range(shape.concurrency)))
        started = loop.time()
        await asyncio.gather(*(caller(started) for _ in range(shape.concurrency)))
        elapsed = loop.time() - started
        stop = True
        await watcher
    return latencies, errors, elapsed


def run_paths(
    paths: dict[str, str], calls: int, warmup_s: float
) -> tuple[dict[str, list[float]], int]:
    """One call in flight, the paths taken in turn call by call (each path's addresses in
    turn too): every path's latencies (s), warm-up excluded, and the calls each path got,
    warm-up included. Taking turns call by call spreads the machine's moment-to-moment
    load evenly over the paths compared."""
    return asyncio.run(_paths(paths, calls, warmup_s))


async def _paths(
    paths: dict[str, str], calls: int, warmup_s: float
) -> tuple[dict[str, list[float]], int]:
    request = _request()
    loop = asyncio.get_running_loop()
    async with contextlib.AsyncExitStack() as channels:
        stubs: dict[str, Iterator[generation_pb2_grpc.GenerationServiceStub]] = {}
        for name, target in paths.items():
            mine = []
            for address in target.split(","):
                channel = await channels.enter_async_context(grpc.aio.insecure_channel(address))
                await asyncio.wait_for(channel.channel_ready(), 10)
                mine.append(generation_pb2_grpc.GenerationServiceStub(channel))
            stubs[name] = itertools.cycle(mine)
        latencies: dict[str, list[float]] = {name: [] for name in paths}
        until, warm = loop.time() + warmup_s, 0
        while loop.time() < until:
            warm += 1
            for turn in stubs.values():
                await next(turn).Generate(request, timeout=5)
        order = list(paths)
        for i in range(calls):
            # Rotate which path goes first, so none always follows the same one.
            for name in order[i % len(order) :] + order[: i % len(order)]:
                began = time.perf_counter()
                await next(stubs[name]).Generate(request, timeout=5)
                latencies[name].append(time.perf_counter() - began)
    return latencies, warm + calls


# --- measurements ---------------------------------------------------------------------


@dataclass
class Run:
    scenario: str
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
class Cell:
    """Every round of one (scenario, strategy, concurrency)."""

    runs: list[Run] = field(default_factory=list)

    @property
    def p99_ms(self) -> float:
        return median([r.p99_ms for r in self.runs])

    @property
    def p50_ms(self) -> float:
        return median([r.p50_ms for r in self.runs])

    @property
    def rps(self) -> float:
        return median([r.rps for r in self.runs])

    @property
    def calls(self) -> int:
        return sum(len(r.latencies) for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def slow_share(self) -> float | None:
        shares = [r.slow_share for r in self.runs if r.slow_share is not None]
        return median(shares) if shares else None

    @property
    def p99_spread(self) -> str:
        values = [r.p99_ms for r in self.runs]
        return f"{min(values):.1f}-{max(values):.1f}"


Cells = dict[tuple[str, int], Cell]
"""(strategy, concurrency) -> its cell."""


@dataclass
class FailingResult:
    share: float
    retry_ratio: float
    client_errors: int
    calls: int
    weight_at_end: int
    recovery_s: float | None


@dataclass
class Bench:
    supervisor: Supervisor
    plane: ControlPlane
    admin: EnvoyAdmin
    pool: ProcessPoolExecutor
    args: argparse.Namespace
    strategy: str = "weighted"
    last_background: tuple[list[float], int, float] = ([], 0, 0.0)

    @property
    def replicas(self) -> list[Replica]:
        return [r for r in self.supervisor.replicas if r.launch.service == SERVICE]

    @property
    def slow(self) -> Replica:
        return self.replicas[-1]

    async def load(self, target: str, shape: LoadShape) -> tuple[list[float], int, float]:
        return await asyncio.get_running_loop().run_in_executor(self.pool, run_load, target, shape)

    def cell_shape(self, concurrency: int) -> LoadShape:
        a = self.args
        return LoadShape(concurrency, a.min_calls, a.min_seconds, a.max_seconds, a.warmup)

    async def measure(self, scenario: str, concurrency: int, step: bool = False) -> Run:
        """Load through Envoy; also the share of it that reached the slow replica. `step`:
        the first `step_s` seconds at a new concurrency, no warm-up."""
        before = await self.host_requests()
        step_s = self.args.step_s
        shape = LoadShape(concurrency, 0, step_s, step_s) if step else self.cell_shape(concurrency)
        latencies, errors, elapsed = await self.load(self.supervisor.envoy_address, shape)
        after = await self.host_requests()
        delta = {a: after.get(a, 0) - before.get(a, 0) for a in after}
        total = sum(delta.values())
        share = delta.get(_address(self.slow), 0) / total if total else None
        run = Run(scenario, self.strategy, concurrency, latencies, errors, elapsed, share)
        print(
            f"  {scenario + (' step' if step else ''):<10} {self.strategy:<14} c={concurrency:<3} "
            f"{len(latencies):>6} calls "
            f"{errors:>3} err  p50 {run.p50_ms:6.2f} ms  p99 {run.p99_ms:6.2f} ms  "
            f"slow {100 * (share or 0):5.1f}%",
            flush=True,
        )
        return run

    async def direct(self, replica: Replica, calls: int) -> list[float]:
        shape = LoadShape(1, calls, 0.0, self.args.max_seconds, self.args.warmup)
        latencies, _, _ = await self.load(_address(replica), shape)
        return latencies

    async def hosts(self) -> dict[str, UpstreamHost]:
        clusters = await self.admin.clusters()
        return {address: h for (c, address), h in clusters.items() if c == CLUSTER}

    async def host_requests(self) -> dict[str, int]:
        return {a: h.counters.get("rq_total", 0) for a, h in (await self.hosts()).items()}

    async def retries(self) -> int:
        stats = await self.admin.stats(f"cluster.{CLUSTER}.upstream_rq_retry$")
        return stats.get(f"cluster.{CLUSTER}.upstream_rq_retry", 0)

    async def control(self, replica: Replica, path: str) -> None:
        url = f"http://127.0.0.1:{replica.metrics_port}/test-only/{path}"

        def put() -> None:
            request = urllib.request.Request(url, method="PUT")
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()

        await asyncio.to_thread(put)

    async def set_added_latency(self, replica: Replica, ms: float, busy: bool = False) -> None:
        """Every call to `replica` waits `ms` (or, `busy`, computes for `ms`)."""
        await self.control(replica, f"added-latency?ms={ms}&busy={int(busy)}")

    async def set_every_added_latency(self, ms: float) -> None:
        for replica in self.replicas:
            await self.set_added_latency(replica, ms)

    async def make_slow(self, ms: float) -> None:
        """The slow replica as `--slow-kind` says: waiting or computing for `ms` a call."""
        await self.set_added_latency(self.slow, ms, busy=self.args.slow_kind == "busy")

    async def set_failure(self, replica: Replica, code: int) -> None:
        await self.control(replica, f"failure?code={code}")

    async def use(self, strategy: str) -> None:
        """Switch the mesh to a strategy and wait until Envoy runs it."""
        self.strategy = strategy
        self.plane.set_lb_strategy(STRATEGIES[strategy])
        equal = STRATEGIES[strategy] in ("least_request", "round_robin")

        def check(hosts: dict[str, UpstreamHost]) -> bool:
            if len(hosts) != REPLICAS:
                return False
            return not equal or all(h.weight == 1000 for h in hosts.values())

        await self.envoy_applied(check)

    async def envoy_applied(self, check: Callable[[dict[str, UpstreamHost]], bool]) -> None:
        """Wait until Envoy ACKed the current snapshot and its /clusters passes `check`."""

        async def done() -> bool:
            snapshot = self.plane.snapshot
            streams = self.plane.streams()
            if snapshot is None or not streams:
                return False
            s = max(streams, key=lambda s: s.stream_id)  # Envoy's current ADS stream
            acked = s.acked.get("cds") == snapshot.version(CLUSTER_TYPE) and s.acked.get(
                "eds"
            ) == snapshot.version(ENDPOINT_TYPE)
            return acked and check(await self.hosts())

        try:
            await _eventually(done, 20, "Envoy applies the new configuration")
        except TimeoutError:
            # Measure anyway (the table says what ran), but say what Envoy showed.
            snapshot = self.plane.snapshot
            print(
                "  Envoy did not apply: streams",
                self.plane.streams(),
                "snapshot",
                snapshot and {t: r.version for t, r in snapshot.resources.items()},
                "hosts",
                {a: (h.weight, h.health_flags) for a, h in (await self.hosts()).items()},
                flush=True,
            )

    async def all_healthy(self) -> None:
        await _eventually(
            self._all_healthy, 60, "every replica healthy in Envoy (none ejected)", interval=0.2
        )

    async def _all_healthy(self) -> bool:
        hosts = await self.hosts()
        return len(hosts) == REPLICAS and all(h.healthy for h in hosts.values())

    def slow_weight(self) -> int:
        for status in self.plane.endpoint_status(CLUSTER):
            if status.endpoint.address == _address(self.slow):
                return status.weight
        return 0

    async def settle(self, healthy: bool) -> None:
        """Uncounted load at the first concurrency after a switch of strategy or scenario,
        so the weights follow the new situation (those left at 64 in flight, or by the slow
        replica, take a few decay times); back to healthy, until the once-slow replica's
        weight is within 10% of its peers' again (or `settle_limit_s`)."""
        a = self.args
        shape = LoadShape(a.concurrencies[0], 0, a.switch_settle_s, a.switch_settle_s)
        await self.load(self.supervisor.envoy_address, shape)
        deadline = time.monotonic() + a.settle_limit_s
        while healthy and time.monotonic() < deadline:
            weights = [s.weight for s in self.plane.endpoint_status(CLUSTER)]
            if weights and self.slow_weight() >= 0.9 * max(weights):
                return
            await self.load(self.supervisor.envoy_address, LoadShape(shape.concurrency, 0, 1, 1))

    @contextlib.asynccontextmanager
    async def background_load(self, concurrency: int) -> AsyncIterator[None]:
        """Load through Envoy until the block ends."""
        with tempfile.TemporaryDirectory(prefix="ragmesh-lb-") as tmp:
            stop_file = str(Path(tmp) / "stop")
            shape = LoadShape(concurrency, 10**9, 10**6, 10**6, 0.0, stop_file)
            loader = asyncio.ensure_future(self.load(self.supervisor.envoy_address, shape))
            try:
                await asyncio.sleep(0.3)  # connections up before anything changes
                yield
            finally:
                await asyncio.to_thread(Path(stop_file).touch)
                self.last_background = await loader

    async def watch_recovery(self, limit_s: float) -> float | None:
        """Seconds until the slow/failing replica's share of attempts over a sliding window
        reaches 90% of a fair share; None if not within `limit_s`."""
        window_s, started = self.args.share_window_s, time.monotonic()
        history: list[tuple[float, dict[str, int]]] = []
        while (now := time.monotonic()) - started < limit_s:
            counts = await self.host_requests()
            history.append((now, counts))
            old = next((h for h in history if now - h[0] <= window_s), history[0])
            if now - old[0] >= window_s * 0.8:
                delta = {a: counts.get(a, 0) - old[1].get(a, 0) for a in counts}
                total = sum(delta.values())
                if total and delta.get(_address(self.slow), 0) / total >= RECOVERED_SHARE:
                    return now - started  # the end of the first window with its share back
            await asyncio.sleep(0.25)
        return None


def _address(replica: Replica) -> str:
    return f"127.0.0.1:{replica.port}"


async def _eventually(
    check: Callable[[], Awaitable[bool]], timeout_s: float, what: str, interval: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(interval)
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
    mesh = MeshSettings(listener_port=listener_port)
    if args.active_request_bias is not None:
        mesh = dataclasses.replace(mesh, active_request_bias=args.active_request_bias)
    plane = ControlPlane(CATALOG, mesh)
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
                EnvoyAdmin("127.0.0.1", supervisor.settings.admin_port),
                pool,
                args,
            )
            print(f"mesh ready in {time.monotonic() - started:.1f}s", flush=True)
            await report(b, args)
        finally:
            await supervisor.stop()
    print(f"bench.lb took {time.monotonic() - started:.0f} s")


async def matrix(b: Bench, args: argparse.Namespace, slow_ms: float) -> tuple[Cells, Cells, Cells]:
    """Every strategy at every concurrency, healthy and with the slow replica, in rounds:
    (healthy cells, slow cells, slow load steps).

    Within a round each strategy runs its healthy cells and its slow cells back to back
    (which first alternates by round), so a cell and the healthy cell it is compared with
    are under a minute apart: a change in the machine's background load between them does
    not read as the strategy's doing. Strategies rotate within a round.

    When the concurrency rises, the first `step_s` seconds at the new one are measured
    apart (the load step: the weights still follow the previous load) and the cell is
    measured after them (the weights at that load)."""
    healthy: Cells = {}
    slow: Cells = {}
    steps: dict[str, Cells] = {"healthy": {}, "slow": {}}
    names = list(STRATEGIES)
    scenarios = [("healthy", healthy, args.base_ms), ("slow", slow, slow_ms)]
    for round_index in range(args.rounds):
        order = names[round_index % len(names) :] + names[: round_index % len(names)]
        print(f" round {round_index + 1}/{args.rounds}", flush=True)
        for strategy in order:
            await b.use(strategy)
            for scenario, cells, added_ms in scenarios[:: 1 if round_index % 2 == 0 else -1]:
                if scenario == "slow":
                    await b.make_slow(added_ms)
                else:
                    await b.set_added_latency(b.slow, added_ms)
                await b.settle(healthy=scenario == "healthy")
                for c in args.concurrencies:
                    if c != args.concurrencies[0] and args.step_s > 0:
                        step = await b.measure(scenario, c, step=True)
                        steps[scenario].setdefault((strategy, c), Cell()).runs.append(step)
                    run = await b.measure(scenario, c)
                    cells.setdefault((strategy, c), Cell()).runs.append(run)
    await b.set_added_latency(b.slow, args.base_ms)
    return healthy, slow, steps["slow"]


async def failing(b: Bench, args: argparse.Namespace, strategy: str) -> FailingResult:
    """One replica answers every call UNAVAILABLE at once (health still SERVING)."""
    await b.all_healthy()
    await b.use(strategy)
    async with b.background_load(4):
        await asyncio.sleep(args.settle_s)
        await b.set_failure(b.slow, UNAVAILABLE)
        began = time.monotonic()
        await asyncio.sleep(args.failing_judge_s)
        hosts_0, retries_0 = await b.host_requests(), await b.retries()
        await asyncio.sleep(max(0.0, args.failing_s - (time.monotonic() - began)))
        hosts_1, retries_1 = await b.host_requests(), await b.retries()
        weight = b.slow_weight()
        await b.set_failure(b.slow, 0)
        recovery = await b.watch_recovery(args.recovery_limit_s)
    _, client_errors, _ = b.last_background
    delta = {a: hosts_1.get(a, 0) - hosts_0.get(a, 0) for a in hosts_1}
    attempts = sum(delta.values())
    retries = retries_1 - retries_0
    calls = max(attempts - retries, 1)
    result = FailingResult(
        share=delta.get(_address(b.slow), 0) / attempts if attempts else float("nan"),
        retry_ratio=retries / calls,
        client_errors=client_errors,
        calls=calls,
        weight_at_end=weight,
        recovery_s=recovery,
    )
    print(
        f"  failing  {strategy:<14} share {100 * result.share:.2f}%  retries/call "
        f"{result.retry_ratio:.3f}  client errors {client_errors}  weight {weight}  "
        f"back to 90% of fair share: {_seconds(recovery, args.recovery_limit_s)}",
        flush=True,
    )
    return result


async def recovery(
    b: Bench, args: argparse.Namespace, strategy: str, slow_ms: float
) -> float | None:
    """One replica slow for a while, then healthy again: seconds until it has its share back."""
    await b.all_healthy()
    await b.use(strategy)
    async with b.background_load(4):
        await b.make_slow(slow_ms)
        await asyncio.sleep(args.recovery_slow_s)
        weight = b.slow_weight()
        await b.set_added_latency(b.slow, args.base_ms)
        seconds = await b.watch_recovery(args.recovery_limit_s)
    print(
        f"  recovery {strategy:<14} slow weight before {weight}; back to 90% of fair share: "
        f"{_seconds(seconds, args.recovery_limit_s)}",
        flush=True,
    )
    return seconds


def _seconds(value: float | None, limit: float) -> str:
    return f"{value:.1f} s" if value is not None else f"not within {limit:g} s"


@contextlib.asynccontextmanager
async def bare_envoy(replicas: Sequence[Replica], workdir: Path) -> AsyncIterator[tuple[str, int]]:
    """A second Envoy with the least config that proxies gRPC to the same replicas: a
    static listener, the router alone, one static LEAST_REQUEST cluster over HTTP/2; no
    control plane, logs, retries, health checks or stats beyond Envoy's own. What the
    mesh's Envoy costs beyond it is the price of our configuration."""
    port, admin = free_port(), free_port()
    any_type = "@type"
    config = {
        "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
        "static_resources": {
            "listeners": [
                {
                    "name": "bare",
                    "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}},
                    "filter_chains": [
                        {
                            "filters": [
                                {
                                    "name": "envoy.filters.network.http_connection_manager",
                                    "typed_config": {
                                        any_type: "type.googleapis.com/envoy.extensions.filters"
                                        ".network.http_connection_manager.v3.HttpConnectionManager",
                                        "stat_prefix": "bare",
                                        "route_config": {
                                            "virtual_hosts": [
                                                {
                                                    "name": "all",
                                                    "domains": ["*"],
                                                    "routes": [
                                                        {
                                                            "match": {"prefix": "/"},
                                                            "route": {"cluster": "replicas"},
                                                        }
                                                    ],
                                                }
                                            ]
                                        },
                                        "http_filters": [
                                            {
                                                "name": "envoy.filters.http.router",
                                                "typed_config": {
                                                    any_type: "type.googleapis.com/envoy"
                                                    ".extensions.filters.http.router.v3.Router"
                                                },
                                            }
                                        ],
                                    },
                                }
                            ]
                        }
                    ],
                }
            ],
            "clusters": [
                {
                    "name": "replicas",
                    "type": "STATIC",
                    "lb_policy": "LEAST_REQUEST",
                    "typed_extension_protocol_options": {
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                            any_type: "type.googleapis.com/envoy.extensions.upstreams.http.v3"
                            ".HttpProtocolOptions",
                            "explicit_http_config": {"http2_protocol_options": {}},
                        }
                    },
                    "load_assignment": {
                        "cluster_name": "replicas",
                        "endpoints": [
                            {
                                "lb_endpoints": [
                                    {
                                        "endpoint": {
                                            "address": {
                                                "socket_address": {
                                                    "address": "127.0.0.1",
                                                    "port_value": r.port,
                                                }
                                            }
                                        }
                                    }
                                    for r in replicas
                                ]
                            }
                        ],
                    },
                }
            ],
        },
    }
    path = workdir / "bare-envoy.json"
    path.write_text(json.dumps(config))
    process = await asyncio.create_subprocess_exec(
        *envoy_command(path, log_path=workdir / "bare-envoy.log"),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await _eventually(EnvoyAdmin("127.0.0.1", admin).ready, 30, "the bare Envoy is LIVE")
        yield f"127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        await process.wait()


@dataclass(frozen=True)
class Hop:
    """p50s at one in flight (ms): direct, through a bare Envoy, through the mesh's Envoy;
    and each Envoy's process CPU time per call (ms: user + system, over the whole hop
    measurement; the mesh's includes its health checks and the control plane's reads)."""

    direct_p50: float
    bare_p50: float
    envoy_p50: float
    bare_cpu_ms: float = float("nan")
    envoy_cpu_ms: float = float("nan")


def _cpu_s(pid: int | None) -> float:
    """A process's user + system CPU seconds (Linux /proc); NaN when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def hop(b: Bench, args: argparse.Namespace) -> Hop:
    """Direct calls, calls through a bare Envoy and through the mesh's Envoy, taking turns
    call by call, one in flight, all healthy; medians of the rounds' p50s. The direct calls
    take the replicas in turn, as Envoy spreads them: a replica that idles between calls
    wakes slower than one that is called back to back, and that is not the hop's cost."""
    direct_p50s: list[float] = []
    bare_p50s: list[float] = []
    envoy_p50s: list[float] = []
    every_replica = ",".join(_address(r) for r in b.replicas)
    loop = asyncio.get_running_loop()
    mesh_pid = b.supervisor.envoy.pid if b.supervisor.envoy else None
    calls = 0
    with tempfile.TemporaryDirectory(prefix="ragmesh-bare-envoy-") as workdir:
        async with bare_envoy(b.replicas, Path(workdir)) as (bare, bare_pid):
            paths = {"direct": every_replica, "bare": bare, "mesh": b.supervisor.envoy_address}
            cpu_before = _cpu_s(bare_pid), _cpu_s(mesh_pid)
            for _ in range(args.rounds):
                latencies, made = await loop.run_in_executor(
                    b.pool, run_paths, paths, args.hop_calls, args.warmup
                )
                calls += made
                direct_p50s.append(median(latencies["direct"]) * 1000)
                bare_p50s.append(median(latencies["bare"]) * 1000)
                envoy_p50s.append(median(latencies["mesh"]) * 1000)
            cpu_after = _cpu_s(bare_pid), _cpu_s(mesh_pid)
    bare_cpu, mesh_cpu = (
        (after - before) * 1000 / calls for after, before in zip(cpu_after, cpu_before, strict=True)
    )
    result = Hop(median(direct_p50s), median(bare_p50s), median(envoy_p50s), bare_cpu, mesh_cpu)
    print(
        f"  hop: direct p50 {result.direct_p50:.3f} ms, via a bare Envoy "
        f"{result.bare_p50:.3f} ms, via the mesh's Envoy {result.envoy_p50:.3f} ms; Envoy "
        f"CPU per call: bare {result.bare_cpu_ms:.3f} ms, mesh {result.envoy_cpu_ms:.3f} ms",
        flush=True,
    )
    return result


# What each per-request feature of the hop costs (MeshSettings switches).
HOP_VARIANTS: dict[str, dict[str, object]] = {
    "as configured": {},
    "no per-attempt log": {"upstream_log": False},
    "log flushed every 1 s": {"access_log_flush_interval_s": 1.0},
    "no retry policy": {"retry_idempotent": False},
    "no dynamic stats, no request id": {"dynamic_stats": False, "generate_request_id": False},
    "none of these": {
        "upstream_log": False,
        "retry_idempotent": False,
        "dynamic_stats": False,
        "generate_request_id": False,
    },
}


async def hop_breakdown(b: Bench, args: argparse.Namespace) -> None:
    base = b.plane.settings
    rows: list[tuple[str, Hop]] = []
    for _ in range(args.rounds):
        for name, changes in HOP_VARIANTS.items():
            b.plane.settings = dataclasses.replace(base, **changes)  # type: ignore[arg-type]
            b.plane.refresh(force=True)
            await b.envoy_applied(lambda hosts: len(hosts) == REPLICAS)
            print(f" {name}", flush=True)
            rows.append((name, await hop(b, argparse.Namespace(**{**vars(args), "rounds": 1}))))
    b.plane.settings = base
    b.plane.refresh(force=True)
    merged = []
    for name in HOP_VARIANTS:
        mine = [h for n, h in rows if n == name]
        merged.append(
            [
                name,
                median([h.direct_p50 for h in mine]),
                median([h.bare_p50 for h in mine]),
                median([h.envoy_p50 for h in mine]),
                median([h.envoy_p50 - h.direct_p50 for h in mine]),
                median([h.envoy_p50 - h.bare_p50 for h in mine]),
                median([h.envoy_cpu_ms for h in mine]),
                median([h.bare_cpu_ms for h in mine]),
            ]
        )
    print()
    print(f"Envoy hop at 1 in flight, medians of {args.rounds} rounds x {args.hop_calls} calls")
    print(
        table(
            [
                "variant",
                "direct p50 ms",
                "bare Envoy p50 ms",
                "mesh Envoy p50 ms",
                "overhead ms",
                "over bare ms",
                "mesh Envoy CPU/call ms",
                "bare Envoy CPU/call ms",
            ],
            merged,
        )
    )


async def report(b: Bench, args: argparse.Namespace) -> None:
    warm = LoadShape(4, 0, 1.0, 1.0)
    await b.load(b.supervisor.envoy_address, warm)  # connections + first weights
    if args.hop_breakdown:
        await hop_breakdown(b, args)
        return

    # 1. The Envoy hop: direct, bare Envoy and the mesh's Envoy in turn, one in flight; and
    # again with the replicas answering at once, so the Envoys never idle inside a call
    # (waking an idle thread is most of a hop's cost on a VM).
    the_hop = await hop(b, args)
    await b.set_every_added_latency(0.0)
    print("  the same, replicas answering at once:", flush=True)
    hop_at_once = await hop(b, args)
    await b.set_every_added_latency(args.base_ms)

    # 2. Healthy and one replica slow, side by side: every strategy at every concurrency.
    fast_p50 = the_hop.direct_p50
    slow_ms = args.base_ms + (args.slow_factor - 1) * fast_p50
    await b.make_slow(slow_ms)
    slow_direct = median(await b.direct(b.slow, args.slow_probe_calls)) * 1000
    print(
        f"  slow replica: +{slow_ms:.1f} ms ({args.slow_kind}), direct p50 {slow_direct:.2f} ms",
        flush=True,
    )
    healthy, slow, steps = await matrix(b, args, slow_ms)

    # 3. A replica failing fast; 4. a replica slow, then healthy again.
    failing_results = {s: await failing(b, args, s) for s in args.event_strategies}
    recovery_results = {s: await recovery(b, args, s, slow_ms) for s in args.event_strategies}

    dropped = float(b.plane.metrics.access_log_dropped._value.get())
    print_report(
        args,
        healthy=healthy,
        slow=slow,
        steps=steps,
        failing_results=failing_results,
        recovery_results=recovery_results,
        slow_ms=slow_ms,
        slow_direct=slow_direct,
        fast_p50=fast_p50,
        hop=the_hop,
        hop_at_once=hop_at_once,
        dropped=dropped,
    )


def print_report(
    args: argparse.Namespace,
    *,
    healthy: Cells,
    slow: Cells,
    steps: Cells,
    failing_results: dict[str, FailingResult],
    recovery_results: dict[str, float | None],
    slow_ms: float,
    slow_direct: float,
    fast_p50: float,
    hop: Hop,
    hop_at_once: Hop,
    dropped: float,
) -> None:
    """The tables and the RESULT line (apart from the measuring, so it can be checked)."""
    overhead = hop.envoy_p50 - hop.direct_p50
    print()
    print(
        f"{REPLICAS} x {SERVICE} (extractive Generate) + {args.base_ms:g} ms added latency; "
        f"slow replica +{slow_ms:.1f} ms ({args.slow_kind}): direct p50 {slow_direct:.2f} ms "
        f"vs healthy {fast_p50:.2f} ms ({slow_direct / fast_p50:.1f}x). {args.rounds} rounds; "
        f"a cell is >= {args.min_calls} calls and >= {args.min_seconds:g} s, or "
        f"{args.max_seconds:g} s; medians over rounds"
    )
    rows = []
    for scenario, cells in (("healthy", healthy), ("slow", slow)):
        for strategy in STRATEGIES:
            for c in args.concurrencies:
                cell = cells[(strategy, c)]
                base = healthy[(strategy, c)]
                share = cell.slow_share
                rows.append(
                    [
                        scenario,
                        strategy,
                        c,
                        cell.calls,
                        cell.errors,
                        round(cell.rps),
                        cell.p50_ms,
                        cell.p99_ms,
                        cell.p99_spread,
                        cell.p99_ms / base.p99_ms,
                        "-" if share is None else f"{100 * share:.1f}",
                    ]
                )
    header = ["scenario", "strategy", "conc", "calls", "err", "rps", "p50 ms", "p99 ms"]
    header += ["p99 range", "p99/healthy@c", "slow %"]
    print(table(header, rows))
    print()
    lr_rows = []
    for c in args.concurrencies:
        w, lr = slow[("weighted", c)], slow[("unweighted LR", c)]
        u = slow[("utilization", c)]
        lr_rows.append(
            [c, w.p99_ms / lr.p99_ms, u.p99_ms / lr.p99_ms, w.rps / lr.rps, u.rps / lr.rps]
        )
    print(
        table(["conc", "weighted/LR p99", "util/LR p99", "weighted/LR rps", "util/LR rps"], lr_rows)
    )
    step_rows = [
        [
            c,
            strategy,
            step.p99_ms,
            step.p99_ms / slow[(strategy, c)].p99_ms,
            round(step.rps),
            "-" if step.slow_share is None else f"{100 * step.slow_share:.1f}",
        ]
        for c in args.concurrencies
        for strategy in STRATEGIES
        if (step := steps.get((strategy, c))) is not None
    ]
    if step_rows:
        print()
        print(
            f"load steps, slow replica: the first {args.step_s:g} s after the concurrency rose "
            "to conc (not counted in the cells above; the weights still follow the lower load)"
        )
        print(table(["conc", "strategy", "p99 ms", "/ cell p99", "rps", "slow %"], step_rows))
    print()
    print(
        table(
            [*FAILING_HEADER, "slow->healthy back in s"],
            [
                [
                    s,
                    f"{100 * f.share:.2f}",
                    f.retry_ratio,
                    f.client_errors,
                    f.weight_at_end,
                    _seconds(f.recovery_s, args.recovery_limit_s),
                    _seconds(recovery_results[s], args.recovery_limit_s),
                ]
                for s, f in failing_results.items()
            ],
        )
    )
    print(
        f"failing: share of attempts from {args.failing_judge_s:g} s after the failure began to "
        f"{args.failing_s:g} s; 'back': share over a {args.share_window_s:g} s window >= 90% of "
        f"fair; recovery after {args.recovery_slow_s:g} s slow; 4 in flight"
    )
    print(
        f"Envoy hop at 1 in flight: direct p50 {hop.direct_p50:.3f} ms, through the mesh's "
        f"Envoy {hop.envoy_p50:.3f} ms ({args.rounds} x {args.hop_calls} calls each), overhead "
        f"{overhead:.3f} ms; through a bare Envoy (router only, static cluster) "
        f"{hop.bare_p50:.3f} ms, overhead {hop.bare_p50 - hop.direct_p50:.3f} ms (calls taking "
        f"turns); Envoy CPU per call: mesh {hop.envoy_cpu_ms:.3f} ms, bare {hop.bare_cpu_ms:.3f} ms"
    )
    print(
        f"  replicas answering at once ({args.base_ms:g} ms added latency off): direct p50 "
        f"{hop_at_once.direct_p50:.3f} ms, overhead through the mesh's Envoy "
        f"{hop_at_once.envoy_p50 - hop_at_once.direct_p50:.3f} ms, through a bare Envoy "
        f"{hop_at_once.bare_p50 - hop_at_once.direct_p50:.3f} ms: what the hop costs when no "
        "Envoy thread idles inside a call"
    )
    print(f"access log entries Envoy dropped: {dropped:g}")

    def ratio_max(strategy: str) -> float:
        return max(
            slow[(strategy, c)].p99_ms / healthy[(strategy, c)].p99_ms for c in args.concurrencies
        )

    vs_lr_p99 = max(
        slow[("weighted", c)].p99_ms / slow[("unweighted LR", c)].p99_ms for c in args.concurrencies
    )
    vs_lr_rps = min(
        slow[("weighted", c)].rps / slow[("unweighted LR", c)].rps for c in args.concurrencies
    )
    step_concurrencies = [c for c in args.concurrencies if ("weighted", c) in steps]
    vs_lr_step_p99 = max(
        (
            steps[("weighted", c)].p99_ms / steps[("unweighted LR", c)].p99_ms
            for c in step_concurrencies
        ),
        default=float("nan"),
    )
    weighted_failing = failing_results.get("weighted")
    recovered = recovery_results.get("weighted")
    if recovered is None:
        print(f"recovery not seen within {args.recovery_limit_s:g} s: recovery_s shows the limit")
    print(
        f"RESULT weighted_p99_ratio_max={ratio_max('weighted'):.2f} "
        f"lr_p99_ratio_max={ratio_max('unweighted LR'):.2f} "
        f"rr_p99_ratio_max={ratio_max('round robin'):.2f} "
        f"weighted_vs_lr_p99_worst={vs_lr_p99:.2f} "
        f"weighted_vs_lr_rps_min={vs_lr_rps:.2f} "
        f"failing_attempt_share={weighted_failing.share if weighted_failing else float('nan'):.4f} "
        f"failing_retry_ratio="
        f"{weighted_failing.retry_ratio if weighted_failing else float('nan'):.4f} "
        f"recovery_s={recovered if recovered is not None else args.recovery_limit_s:.1f} "
        f"envoy_overhead_p50_ms={overhead:.3f} "
        f"envoy_over_bare_p50_ms={hop.envoy_p50 - hop.bare_p50:.3f} "
        f"envoy_cpu_over_bare_ms={hop.envoy_cpu_ms - hop.bare_cpu_ms:.3f} "
        f"envoy_overhead_at_once_p50_ms={hop_at_once.envoy_p50 - hop_at_once.direct_p50:.3f} "
        f"weighted_vs_lr_step_p99_worst={vs_lr_step_p99:.2f}"
    )


def _positive_ints(text: str) -> Sequence[int]:
    return tuple(int(x) for x in text.split(","))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="same shape, small cells (~4 min)")
    size.add_argument("--smoke", action="store_true", help="tiny sizes, seconds (CI smoke)")
    parser.add_argument("--base-ms", type=float, default=2.0)
    parser.add_argument("--slow-factor", type=float, default=5.0)
    parser.add_argument(
        "--slow-kind",
        choices=("wait", "busy"),
        default="wait",
        help="the slow replica sleeps (it can hold many calls) or computes (one at a time)",
    )
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--concurrencies", type=_positive_ints, default=None, help="e.g. 1,4,16,64")
    parser.add_argument(
        "--active-request-bias",
        type=float,
        default=None,
        help="least-request's active request bias (default: MeshSettings')",
    )
    parser.add_argument(
        "--hop-breakdown",
        action="store_true",
        help="only the Envoy hop, with each per-request feature switched off in turn",
    )
    args = parser.parse_args()
    # min_calls, min_seconds, max_seconds, warm-up, hop calls, failing s, recovery slow s
    if args.smoke:
        preset = dict(min_calls=60, min_seconds=0.2, max_seconds=1.0, warmup=0.1, hop_calls=100,
                      failing_s=4.0, failing_judge_s=2.0, recovery_slow_s=2.0,
                      recovery_limit_s=8.0, rounds=1, concurrencies=(1, 4))  # fmt: skip
    elif args.quick:
        preset = dict(min_calls=400, min_seconds=0.5, max_seconds=3.0, warmup=0.2, hop_calls=400,
                      failing_s=16.0, failing_judge_s=10.0, recovery_slow_s=10.0,
                      recovery_limit_s=30.0, rounds=3, concurrencies=(1, 4, 16, 64))  # fmt: skip
    else:
        preset = dict(min_calls=2000, min_seconds=4.0, max_seconds=10.0, warmup=0.5,
                      hop_calls=1500, failing_s=30.0, failing_judge_s=10.0, recovery_slow_s=20.0,
                      recovery_limit_s=40.0, rounds=3, concurrencies=(1, 4, 16, 64))  # fmt: skip
    for key, value in preset.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    args.settle_s = 0.5 if args.smoke else 2.0  # load before the failure begins
    # The first seconds at a higher concurrency, measured apart: the control loop (2 s
    # decay, a push a second, weights rising 4x per push) takes about this long to follow.
    args.step_s = 0.3 if args.smoke else 1.5 if args.quick else 3.0
    args.switch_settle_s = 0.3 if args.smoke else 4.0  # load after a strategy switch
    args.settle_limit_s = 2.0 if args.smoke else 30.0  # for weights to recover
    args.share_window_s = 2.0
    args.slow_probe_calls = 30 if args.smoke else 200
    args.event_strategies = list(STRATEGIES)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Run the importable module, not __main__: the load worker process unpickles
    # `bench.lb.run_load` by name.
    from bench import lb

    asyncio.run(lb.bench(args))


if __name__ == "__main__":
    main()

"""What tracing costs: the same cheap RPC with tracing on (every call sampled) and off.

Two meshes of one EmbeddingService replica run at once; one exports Envoy's and the
replica's spans over OTLP/gRPC to a test collector in this process, the other has no
endpoint. Calls alternate between them in rounds (the machine is noisy), through Envoy and
straight at the replica (the service's span alone). ``GetModel`` does no work, so the
difference is the price of tracing.

    python -m bench.tracing [--calls 1500] [--smoke]

Last line: ``RESULT envoy_p50_ratio=<on/off> direct_p50_ratio=<on/off> envoy_added_p50_ms=<x>
spans_exported=<n>``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time

import grpc

from bench.harness import median, percentile, running_mesh, table
from mesh.local.supervisor import SERVICES, Supervisor
from rag.v1 import embedding_pb2, embedding_pb2_grpc
from tests.support.otlp_collector import TestTraceCollector

EMBEDDING = [s for s in SERVICES if s.service == "rag.v1.EmbeddingService"]


async def timed_calls(target: str, calls: int) -> list[float]:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        request = embedding_pb2.GetModelRequest()
        await stub.GetModel(request, timeout=10)  # warm the connection
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            await stub.GetModel(request, timeout=10)
            samples.append((time.perf_counter() - started) * 1000)
        return samples


def replica(mesh: Supervisor) -> str:
    return f"127.0.0.1:{mesh.replicas[0].port}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1500, help="calls per path (default 1500)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes (seconds): checks that the bench runs and reports, not what it measures",
    )
    args = parser.parse_args()
    if args.smoke:
        args.calls, args.rounds = 40, 2
    collector = TestTraceCollector().start()
    try:
        async with contextlib.AsyncExitStack() as stack:
            traced = await stack.enter_async_context(
                running_mesh(services=EMBEDDING, otlp_endpoint=collector.endpoint)
            )
            untraced = await stack.enter_async_context(running_mesh(services=EMBEDDING))
            paths = {
                "envoy, tracing on": traced.envoy_address,
                "envoy, tracing off": untraced.envoy_address,
                "direct, tracing on": replica(traced),
                "direct, tracing off": replica(untraced),
            }
            samples: dict[str, list[float]] = {name: [] for name in paths}
            per_round = max(1, args.calls // args.rounds)
            for _ in range(args.rounds):
                for name, target in paths.items():
                    samples[name] += await timed_calls(target, per_round)
        # The meshes have stopped, so every exporter has flushed.
        exported = len(collector.spans())
    finally:
        collector.stop()
    rows = [
        (name, len(s), median(s), percentile(s, 90), percentile(s, 99))
        for name, s in samples.items()
    ]
    print(table(("path", "calls", "p50 ms", "p90 ms", "p99 ms"), rows))
    p50 = {name: median(s) for name, s in samples.items()}
    envoy_ratio = p50["envoy, tracing on"] / p50["envoy, tracing off"]
    direct_ratio = p50["direct, tracing on"] / p50["direct, tracing off"]
    added = p50["envoy, tracing on"] - p50["envoy, tracing off"]
    print(
        f"RESULT envoy_p50_ratio={envoy_ratio:.2f} direct_p50_ratio={direct_ratio:.2f} "
        f"envoy_added_p50_ms={added:.3f} spans_exported={exported}"
    )


if __name__ == "__main__":
    asyncio.run(main())

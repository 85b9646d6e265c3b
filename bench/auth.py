"""What token checks cost: the same cheap RPC with auth on and off, side by side.

Two meshes of one EmbeddingService replica run at once, one trusting a real Keycloak
(Envoy's jwt_authn + RBAC, then the service's own verification) and one with auth off.
Calls alternate between them in rounds (the machine is noisy), through Envoy and straight
at the replica (the service's check alone). ``GetModel`` does no work, so the difference is
the price of authentication.

    python -m bench.auth [--calls 1500] [--smoke]

Last line: ``RESULT envoy_p50_ratio=<on/off> direct_p50_ratio=<on/off> envoy_added_p50_ms=<x>``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from pathlib import Path

import grpc

from bench.harness import median, percentile, running_mesh, table
from mesh.local.keycloak import KeycloakProcess, KeycloakSettings, password_token
from mesh.local.network import free_port
from mesh.local.supervisor import SERVICES, Supervisor
from rag.v1 import embedding_pb2, embedding_pb2_grpc

EMBEDDING = [s for s in SERVICES if s.service == "rag.v1.EmbeddingService"]


async def timed_calls(
    target: str, metadata: tuple[tuple[str, str], ...], calls: int
) -> list[float]:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        request = embedding_pb2.GetModelRequest()
        await stub.GetModel(request, metadata=metadata, timeout=10)  # warm the connection
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            await stub.GetModel(request, metadata=metadata, timeout=10)
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
    with tempfile.TemporaryDirectory(prefix="ragmesh-bench-kc-") as state:
        keycloak = KeycloakProcess(KeycloakSettings(port=free_port()), Path(state))
        print("starting Keycloak ...", flush=True)
        await keycloak.start()
        try:
            kc = keycloak.settings
            async with contextlib.AsyncExitStack() as stack:
                secured = await stack.enter_async_context(
                    running_mesh(services=EMBEDDING, auth="external", keycloak=kc)
                )
                open_mesh = await stack.enter_async_context(running_mesh(services=EMBEDDING))
                token = (await password_token(kc, "alice", kc.demo_password))["access_token"]
                auth = (("authorization", f"Bearer {token}"),)
                paths = {
                    "envoy, auth on": (secured.envoy_address, auth),
                    "envoy, auth off": (open_mesh.envoy_address, ()),
                    "direct, auth on": (replica(secured), auth),
                    "direct, auth off": (replica(open_mesh), ()),
                }
                samples: dict[str, list[float]] = {name: [] for name in paths}
                per_round = max(1, args.calls // args.rounds)
                for _ in range(args.rounds):
                    for name, (target, metadata) in paths.items():
                        samples[name] += await timed_calls(target, metadata, per_round)
        finally:
            await keycloak.stop()
    rows = [
        (name, len(s), median(s), percentile(s, 90), percentile(s, 99))
        for name, s in samples.items()
    ]
    print(table(("path", "calls", "p50 ms", "p90 ms", "p99 ms"), rows))
    p50 = {name: median(s) for name, s in samples.items()}
    envoy_ratio = p50["envoy, auth on"] / p50["envoy, auth off"]
    direct_ratio = p50["direct, auth on"] / p50["direct, auth off"]
    added = p50["envoy, auth on"] - p50["envoy, auth off"]
    print(
        f"RESULT envoy_p50_ratio={envoy_ratio:.2f} direct_p50_ratio={direct_ratio:.2f} "
        f"envoy_added_p50_ms={added:.3f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

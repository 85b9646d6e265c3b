"""The `ragmesh` command: up, status, ingest, ask.

ragmesh up [--replicas N] [--demo]     start the mesh; `ready` when healthy
ragmesh status                         replicas, health, latency and weight
ragmesh ingest PATH...                 ingest files or folders through Envoy
ragmesh ask "QUESTION"                 answer with citations
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import mimetypes
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import grpc

from rag.v1 import common_pb2, mesh_control_pb2, mesh_control_pb2_grpc, rag_pb2, rag_pb2_grpc

DEFAULT_ADDRESS = "127.0.0.1:10000"
REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "examples" / "corpus"
SAMPLE_QUESTION = "How does ragmesh decide how much traffic a slow replica gets?"
CONTENT_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".txt": "text/plain",
                 ".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf"}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ragmesh", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start control plane, Envoy and every service")
    up.add_argument("--replicas", type=int, default=1, help="replicas per service (default 1)")
    up.add_argument("--port", type=int, default=10000, help="Envoy listener port")
    up.add_argument("--admin-port", type=int, default=9901, help="Envoy admin port")
    up.add_argument("--demo", action="store_true", help="ingest the sample corpus and ask")
    up.add_argument(
        "--exit-after-demo", action="store_true", help="stop the mesh after the demo answer"
    )

    status = commands.add_parser("status", help="print replicas with health, latency, weight")
    status.add_argument("--address", default=DEFAULT_ADDRESS)

    ingest = commands.add_parser("ingest", help="ingest files or folders")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--address", default=DEFAULT_ADDRESS)
    ingest.add_argument("--group", action="append", default=[], help="access group (repeatable)")

    ask = commands.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--address", default=DEFAULT_ADDRESS)
    ask.add_argument("--top-k", type=int, default=5)
    ask.add_argument("--stream", action="store_true", help="stream the answer as it is written")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        if args.command == "up":
            return asyncio.run(_up(args))
        if args.command == "status":
            return asyncio.run(_status(args.address))
        if args.command == "ingest":
            return asyncio.run(_ingest(args.address, args.paths, args.group))
        if args.command == "ask":
            return asyncio.run(_ask(args.address, args.question, args.top_k, args.stream))
    except grpc.aio.AioRpcError as exc:
        print(f"error: {exc.code().name}: {exc.details()}", file=sys.stderr)
        return 1
    return 2


async def _up(args: argparse.Namespace) -> int:
    from mesh.supervisor import Supervisor, UpSettings

    supervisor = Supervisor(
        UpSettings(replicas=args.replicas, listener_port=args.port, admin_port=args.admin_port)
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        print("ready", flush=True)
        if args.demo:
            address = supervisor.envoy_address
            await _ingest(address, [SAMPLE_CORPUS], [])
            print(f"\nQ: {SAMPLE_QUESTION}")
            await _ask(address, SAMPLE_QUESTION, 5, stream=False)
            if args.exit_after_demo:
                return 0
        print(
            f"\nmesh is up: gRPC on {supervisor.envoy_address}, Envoy admin on "
            f"{supervisor.admin_url}; Ctrl-C stops it",
            flush=True,
        )
        await stop.wait()
        return 0
    finally:
        await supervisor.stop()


def _files(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"error: {path} does not exist")
    return found


def document_id(path: Path) -> str:
    """Sample documents by name; anything else by its absolute path, made id-safe."""
    raw = path.stem if path.resolve().is_relative_to(SAMPLE_CORPUS) else str(path.resolve())
    return re.sub(r"[^A-Za-z0-9._:/-]", "_", raw.lstrip("/"))[-256:]


def content_type(path: Path) -> str:
    return (
        CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "text/plain"
    )


async def _ingest(address: str, paths: Sequence[Path], groups: Sequence[str]) -> int:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        for path in _files(paths):
            document = common_pb2.Document(
                id=document_id(path),
                title="",
                source=str(path),
                content_type=content_type(path),
                content=path.read_bytes(),
                access_groups=list(groups),
            )
            response = await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(document=document), timeout=120
            )
            result = response.result
            state = "unchanged" if result.unchanged else f"{result.chunk_count} chunks"
            print(f"ingested {result.document_id}: {state}")
    return 0


async def _ask(address: str, question: str, top_k: int, stream: bool) -> int:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        retrieval = common_pb2.RetrievalOptions(top_k=top_k)
        if stream:
            citations: list[common_pb2.Citation] = []
            async for event in stub.AskStream(
                rag_pb2.AskStreamRequest(question=question, retrieval=retrieval), timeout=60
            ):
                kind = event.WhichOneof("event")
                if kind == "answer_delta":
                    print(event.answer_delta, end="", flush=True)
                elif kind == "citation":
                    citations.append(event.citation)
            print()
            _print_citations(citations)
            return 0
        response = await stub.Ask(
            rag_pb2.AskRequest(question=question, retrieval=retrieval), timeout=60
        )
        print(f"A: {response.answer}")
        _print_citations(response.citations)
        stages = ", ".join(
            f"{t.stage} {t.duration.ToTimedelta().total_seconds() * 1000:.1f} ms"
            for t in response.timings
        )
        print(f"   ({stages})")
    return 0


def _print_citations(citations: Sequence[common_pb2.Citation]) -> None:
    for c in citations:
        snippet = c.snippet if len(c.snippet) < 120 else c.snippet[:117] + "..."
        print(f"  [{c.marker}] {c.document_id} ({c.chunk_id}, score {c.score:.3f}): {snippet}")


async def _status(address: str) -> int:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(channel)
        endpoints: list[mesh_control_pb2.Endpoint] = []
        token = ""
        while True:
            page = await stub.ListEndpoints(
                mesh_control_pb2.ListEndpointsRequest(page_size=100, page_token=token), timeout=10
            )
            endpoints.extend(page.endpoints)
            token = page.next_page_token
            if not token:
                break
    rows = [("SERVICE", "REPLICA", "ADDRESS", "HEALTH", "LATENCY", "WEIGHT")]
    for e in endpoints:
        health = common_pb2.ServingStatus.Name(e.health).removeprefix("SERVING_STATUS_")
        latency = e.latency_ewma.ToTimedelta().total_seconds() * 1000
        weight = f"{e.current_weight}" + (" (pinned)" if e.weight_override else "")
        rows.append(
            (e.service_name.removeprefix("rag.v1."), e.replica_id, e.address,
             health + (" draining" if e.draining else ""), f"{latency:.2f} ms", weight)
        )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

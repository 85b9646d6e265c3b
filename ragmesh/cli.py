"""The `ragmesh` command: up, status, ingest, ask.

ragmesh up [--replicas N] [--demo]     start the mesh (with Keycloak); `ready` when healthy
ragmesh up --watch DIR                 ... and keep the index in sync with a folder
ragmesh login [--user NAME]            log in to Keycloak; later commands send the token
ragmesh login --sso [--idp ALIAS]      ... in a browser (single sign-on, e.g. the SAML corp-idp)
ragmesh control-plane [--host H]       the control plane alone; replicas register themselves
ragmesh up --autoscale                 ... and scale each service on the mesh's own signal
ragmesh status                         replicas, health, latency and weight; desired replicas
ragmesh ingest PATH...                 ingest files or folders through Envoy
ragmesh ask "QUESTION"                 answer with citations
ragmesh eval BEIR_FOLDER               retrieval nDCG/recall/MRR on a labelled set
ragmesh experiment ACTION ...          A/B experiments: create/list/get/start/stop/results
ragmesh agent "QUESTION" [--stream]    plan, retrieve, check, refine; answer with the trace
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import mimetypes
import os
import re
import signal
import sys
import webbrowser
from collections.abc import Sequence
from pathlib import Path

import grpc

from mesh.balancing.policy import DEFAULT_LB_STRATEGY, LB_STRATEGIES
from rag.v1 import common_pb2, mesh_control_pb2, mesh_control_pb2_grpc, rag_pb2, rag_pb2_grpc
from ragmesh import agent as agent_cli
from ragmesh import credentials
from ragmesh import evaluation as evaluation_cli

DEFAULT_ADDRESS = "127.0.0.1:10000"
REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "examples" / "corpus"
SAMPLE_QUESTION = "How does ragmesh decide how much traffic a slow replica gets?"
DEMO_GROUP = "engineering"  # bob's group: the demo's documents are readable by alice and bob
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
        "--no-auth",
        action="store_true",
        help="no Keycloak, no token checks: every caller sees every document (local hacking)",
    )
    up.add_argument("--keycloak-port", type=int, default=8180, help="Keycloak port (8180)")
    up.add_argument(
        "--ldap",
        action="store_true",
        help="also start the demo directory (OpenLDAP slapd) and federate it into the realm",
    )
    up.add_argument(
        "--exit-after-demo", action="store_true", help="stop the mesh after the demo answer"
    )
    up.add_argument(
        "--watch",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="keep the index in sync with this folder (repeatable; RAGMESH_INDEXER_* tune it)",
    )
    up.add_argument(
        "--webhook-port", type=int, default=0, help="indexer HTTP webhook port (0: any free)"
    )
    up.add_argument(
        "--prometheus",
        choices=("auto", "on", "off"),
        default=None,
        help="run Prometheus scraping the mesh (auto: when installed; RAGMESH_PROMETHEUS_MODE)",
    )
    up.add_argument("--prometheus-port", type=int, default=None, help="Prometheus port (9090)")
    up.add_argument(
        "--otlp-endpoint",
        default=os.environ.get("RAGMESH_OTLP_ENDPOINT") or None,
        metavar="HOST:PORT",
        help="send OpenTelemetry spans of Envoy and every service to this OTLP/gRPC collector",
    )
    up.add_argument(
        "--trace-sample-ratio",
        type=float,
        default=float(os.environ.get("RAGMESH_TRACE_SAMPLE_RATIO", "1.0")),
        help="share of requests traced, 0..1 (default 1.0; with --otlp-endpoint)",
    )
    up.add_argument(
        "--lb-strategy",
        choices=sorted(LB_STRATEGIES),
        default=DEFAULT_LB_STRATEGY,
        help="how Envoy balances: round_robin, least_request (Envoy alone), latency "
        "(least-request with the control plane's latency weights; default, see bench.lb) or "
        "utilization (weights from the replicas' own load reports)",
    )

    up.add_argument(
        "--autoscale",
        action="store_true",
        help="start and retire replicas to follow the control plane's desired counts "
        "(RAGMESH_AUTOSCALE_* set targets and bounds; see the README's Autoscaling)",
    )

    login = commands.add_parser("login", help="log in to Keycloak (password grant or --sso)")
    login.add_argument("--user", default=os.environ.get("RAGMESH_USER", "alice"))
    login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    login.add_argument(
        "--keycloak", default=os.environ.get("RAGMESH_KEYCLOAK_URL", "http://127.0.0.1:8180")
    )
    login.add_argument(
        "--sso",
        action="store_true",
        help="sign in in a browser (authorization code + PKCE, loopback redirect); the login "
        "page offers the corporate identity provider",
    )
    login.add_argument("--idp", help="with --sso: straight to this identity provider (corp-idp)")
    commands.add_parser("logout", help="forget the stored token")

    plane = commands.add_parser(
        "control-plane",
        help="run the control plane alone (replicas on other hosts register themselves)",
    )
    plane.add_argument("--host", help="bind address (RAGMESH_CONTROL_PLANE_HOST, 127.0.0.1)")
    plane.add_argument("--port", type=int, help="xDS + MeshControlService port (18000)")
    plane.add_argument("--metrics-port", type=int, help="Prometheus port (9102; -1: off)")
    plane.add_argument("--advertise-host", help="IP Envoy reaches this control plane at")
    plane.add_argument("--listener-host", help="address of Envoy's gRPC listener (127.0.0.1)")
    plane.add_argument("--listener-port", type=int, help="port of Envoy's gRPC listener (10000)")

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

    evaluation_cli.add_commands(commands, DEFAULT_ADDRESS)  # eval, experiment
    agent_cli.add_command(commands, DEFAULT_ADDRESS)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        if args.command == "login" and args.sso:
            return _login_sso(args.keycloak, args.idp)
        if args.command == "login":
            return _login(args.user, args.keycloak, args.password_stdin)
        if args.command == "logout":
            print("logged out" if credentials.logout() else "not logged in")
            return 0
        if args.command == "control-plane":
            return asyncio.run(_control_plane(args))
        if args.command == "up":
            return asyncio.run(_up(args))
        if args.command == "status":
            return asyncio.run(_status(args.address))
        if args.command == "ingest":
            return asyncio.run(_ingest(args.address, args.paths, args.group))
        if args.command == "ask":
            return asyncio.run(_ask(args.address, args.question, args.top_k, args.stream))
        if args.command in ("eval", "experiment"):
            return asyncio.run(evaluation_cli.run(args, _metadata()))
        if args.command == "agent":
            return asyncio.run(agent_cli.run(args, _metadata()))
    except grpc.aio.AioRpcError as exc:
        print(f"error: {exc.code().name}: {exc.details()}", file=sys.stderr)
        if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
            print("hint: run `ragmesh login --user NAME`", file=sys.stderr)
        return 1
    except credentials.LoginRequired as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2


async def _control_plane(args: argparse.Namespace) -> int:
    from mesh.control_plane_main import ControlPlaneSettings, run_control_plane
    from services.runtime.settings import RuntimeSettings

    flags = ("host", "port", "metrics_port", "advertise_host", "listener_host", "listener_port")
    given = {name: getattr(args, name) for name in flags if getattr(args, name) is not None}
    await run_control_plane(ControlPlaneSettings(**given), RuntimeSettings.from_env())
    return 0


async def _up(args: argparse.Namespace) -> int:
    from mesh.balancing.autoscale import AutoscaleSettings
    from mesh.local.keycloak import KeycloakSettings, password_token
    from mesh.local.ldap import LdapSettings
    from mesh.local.prometheus import PrometheusSettings
    from mesh.local.supervisor import Supervisor, UpSettings

    overrides = {"mode": args.prometheus, "port": args.prometheus_port}
    prometheus = PrometheusSettings(**{k: v for k, v in overrides.items() if v is not None})
    if args.no_auth:
        print(
            "WARNING: --no-auth: no Keycloak and no token checks; every caller is unrestricted "
            "and sees every document. Never expose this mesh beyond your machine.",
            file=sys.stderr,
            flush=True,
        )
    supervisor = Supervisor(
        UpSettings(
            replicas=args.replicas,
            listener_port=args.port,
            admin_port=args.admin_port,
            prometheus=prometheus,
            auth="off" if args.no_auth else "start",
            keycloak=KeycloakSettings(port=args.keycloak_port),
            ldap=LdapSettings() if args.ldap and not args.no_auth else None,
            watch=[_watched_folder(p) for p in args.watch],
            indexer_webhook_port=args.webhook_port,
            otlp_endpoint=_otlp_endpoint(args.otlp_endpoint),
            trace_sample_ratio=_ratio(args.trace_sample_ratio),
            lb_strategy=args.lb_strategy,
            autoscale=AutoscaleSettings() if args.autoscale else None,
        )
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
            demo_auth = ""
            if not args.no_auth:
                # The demo acts as bob (rag-writer), without touching the user's stored login.
                kc = supervisor.settings.keycloak
                reply = await password_token(kc, "bob", kc.demo_password)
                demo_auth = f"Bearer {reply['access_token']}"
                print(f"demo: logged in to {kc.url} as bob (rag-writer)")
            # bob may give documents only his own group (services/runtime/grants.py).
            groups = [] if args.no_auth else [DEMO_GROUP]
            await _ingest(address, [SAMPLE_CORPUS], groups, demo_auth)
            print(f"\nQ: {SAMPLE_QUESTION}")
            await _ask(address, SAMPLE_QUESTION, 5, stream=False, authorization=demo_auth)
            if args.exit_after_demo:
                return 0
        print(
            f"\nmesh is up: gRPC on {supervisor.envoy_address}, Envoy admin on "
            f"{supervisor.admin_url}"
            + (f", Prometheus on {supervisor.prometheus.url}" if supervisor.prometheus else "")
            + "; Ctrl-C stops it",
            flush=True,
        )
        if not args.no_auth:
            kc = supervisor.settings.keycloak
            print(
                f"Keycloak on {kc.url} (realm ragmesh): log in with `ragmesh login --user "
                "alice|bob|carol|dave|erin` (password from RAGMESH_DEMO_PASSWORD, default "
                "ragmesh-demo; see the README's users table)",
                flush=True,
            )
        await stop.wait()
        return 0
    finally:
        await supervisor.stop()


def _watched_folder(path: Path) -> Path:
    if not path.is_dir():
        raise SystemExit(f"error: --watch {path}: not a folder")
    return path.resolve()


def _otlp_endpoint(value: str | None) -> str | None:
    if not value:
        return None
    from services.runtime.settings import parse_otlp_endpoint

    try:
        parse_otlp_endpoint(value)
    except ValueError as exc:
        raise SystemExit(f"error: --otlp-endpoint: {exc}") from None
    return value


def _ratio(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise SystemExit(f"error: --trace-sample-ratio {value}: must be between 0 and 1")
    return value


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


def _login(user: str, keycloak_url: str, password_stdin: bool) -> int:
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else getpass.getpass(f"password for {user}: ")
    )
    stored = credentials.login(keycloak_url, user, password)
    print(f"logged in as {stored.username}; token stored in {credentials.token_file()}")
    return 0


def _login_sso(keycloak_url: str, idp: str | None) -> int:
    def open_browser(url: str) -> None:
        print(f"sign in in your browser (waiting up to 5 minutes):\n  {url}", flush=True)
        webbrowser.open(url)  # where there is none, the printed URL is the way

    stored = credentials.login_in_browser(keycloak_url, open_browser, idp_hint=idp)
    print(f"logged in as {stored.username}; token stored in {credentials.token_file()}")
    return 0


def _metadata(authorization: str | None = None) -> tuple[tuple[str, str], ...]:
    """The call's authorization: given, else the stored login; none when never logged in."""
    value = authorization if authorization is not None else credentials.authorization()
    return (("authorization", value),) if value else ()


async def _ingest(
    address: str, paths: Sequence[Path], groups: Sequence[str], authorization: str | None = None
) -> int:
    metadata = _metadata(authorization)
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
                rag_pb2.IngestDocumentRequest(document=document), timeout=120, metadata=metadata
            )
            result = response.result
            state = "unchanged" if result.unchanged else f"{result.chunk_count} chunks"
            print(f"ingested {result.document_id}: {state}")
    return 0


async def _ask(
    address: str, question: str, top_k: int, stream: bool, authorization: str | None = None
) -> int:
    metadata = _metadata(authorization)
    async with grpc.aio.insecure_channel(address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        retrieval = common_pb2.RetrievalOptions(top_k=top_k)
        if stream:
            citations: list[common_pb2.Citation] = []
            async for event in stub.AskStream(
                rag_pb2.AskStreamRequest(question=question, retrieval=retrieval),
                timeout=60,
                metadata=metadata,
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
            rag_pb2.AskRequest(question=question, retrieval=retrieval),
            timeout=60,
            metadata=metadata,
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
    metadata = _metadata()
    async with grpc.aio.insecure_channel(address) as channel:
        stub = mesh_control_pb2_grpc.MeshControlServiceStub(channel)
        endpoints: list[mesh_control_pb2.Endpoint] = []
        token = ""
        while True:
            page = await stub.ListEndpoints(
                mesh_control_pb2.ListEndpointsRequest(page_size=100, page_token=token),
                timeout=10,
                metadata=metadata,
            )
            endpoints.extend(page.endpoints)
            token = page.next_page_token
            if not token:
                break
        mesh = await stub.GetMeshStatus(
            mesh_control_pb2.GetMeshStatusRequest(), timeout=10, metadata=metadata
        )
    rows = [("SERVICE", "REPLICA", "ADDRESS", "HEALTH", "STATE", "LATENCY", "ERRORS", "WEIGHT",
             "WHY")]  # fmt: skip
    for e in endpoints:
        health = common_pb2.ServingStatus.Name(e.health).removeprefix("SERVING_STATUS_")
        state = mesh_control_pb2.EndpointState.Name(e.state).removeprefix("ENDPOINT_STATE_")
        latency = e.latency_ewma.ToTimedelta().total_seconds() * 1000
        weight = f"{e.current_weight}" + (" (pinned)" if e.weight_override else "")
        rows.append(
            (e.service_name.removeprefix("rag.v1."), e.replica_id, e.address,
             health + (" draining" if e.draining else ""), state, f"{latency:.2f} ms",
             f"{e.error_rate:.1%}", weight, e.state_reason)
        )  # fmt: skip
    _print_table(rows)
    if mesh.service_scalings:
        print()
        scaling = [("SERVICE", "REPLICAS", "DESIRED", "MIN..MAX", "IN FLIGHT/REPLICA",
                    "LATENCY/HEALTHY", "WHY")]  # fmt: skip
        for s in mesh.service_scalings:
            ratio = f"{s.latency_ratio:.1f}x" if s.latency_ratio else "-"
            scaling.append(
                (s.service_name.removeprefix("rag.v1."), str(s.replicas), str(s.desired_replicas),
                 f"{s.min_replicas}..{s.max_replicas}",
                 f"{s.in_flight_per_replica:.1f} (target {s.target_in_flight:g})", ratio, s.reason)
            )  # fmt: skip
        _print_table(scaling)
    return 0


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    raise SystemExit(main())

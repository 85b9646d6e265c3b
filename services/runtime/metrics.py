"""Prometheus metrics every service exports, and the HTTP endpoint that serves them."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, make_wsgi_app

REQUESTS = Counter(
    "rag_requests_total",
    "RPCs handled, by service, method and gRPC status code.",
    ["service", "method", "code"],
)
DURATION = Histogram(
    "rag_request_duration_seconds",
    "Wall-clock time to handle an RPC, from first byte to last response.",
    ["service", "method"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
IN_FLIGHT = Gauge("rag_requests_in_flight", "RPCs being handled now.", ["service"])

log = logging.getLogger(__name__)

# Server-side failures the alert rules watch. Their series exist from start-up at 0, so the
# first failures of a fresh replica show in rate() (a series born at 1 has no increase).
_WATCHED_CODES = ("OK", "INTERNAL", "UNKNOWN", "UNAVAILABLE", "DEADLINE_EXCEEDED")


def zero_request_series(service: str, methods: Iterable[str]) -> None:
    for method in methods:
        for code in _WATCHED_CODES:
            REQUESTS.labels(service, method, code)


class LatencyInjector:
    """TEST ONLY: added latency for every call, adjustable while serving (mesh benchmarks);
    and a failure mode: every call answered at once with `failure_code` (a gRPC status
    number; 0 = off) while health checks still say SERVING, as a broken replica might.

    The latency is waiting (a sleep: the replica can hold many such calls at once), or with
    `busy` computing (the event loop spins: one call at a time, a core's worth of CPU), the
    two ways a replica is slow."""

    def __init__(self, seconds: float = 0.0, failure_code: int = 0, busy: bool = False) -> None:
        self.seconds = seconds
        self.failure_code = failure_code
        self.busy = busy

    async def delay(self) -> None:
        if not self.busy:
            await asyncio.sleep(self.seconds)
            return
        until = time.perf_counter() + self.seconds
        while time.perf_counter() < until:
            pass  # blocks the event loop on purpose: calls queue behind it


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class MetricsEndpoint:
    """``GET /metrics`` (Prometheus text) on its own port; optionally the test-only latency knob."""

    def __init__(self, host: str, port: int, latency: LatencyInjector | None = None) -> None:
        self._metrics_app = make_wsgi_app(REGISTRY)
        self._latency = latency
        self._server: WSGIServer = make_server(host, port, self._app, handler_class=_QuietHandler)
        self.port: int = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="metrics-http", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/test-only/added-latency" and self._latency is not None:
            return self._set_latency(environ, start_response)
        if path == "/test-only/failure" and self._latency is not None:
            return self._set_failure(environ, start_response)
        if path in ("/metrics", "/"):
            return self._metrics_app(environ, start_response)  # type: ignore[no-any-return]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found: try /metrics\n"]

    def _set_latency(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        assert self._latency is not None
        if environ.get("REQUEST_METHOD") != "PUT":
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain")])
            return [b"use PUT /test-only/added-latency?ms=N\n"]
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            ms = float(query["ms"][0])
            busy = query.get("busy", ["0"])[0]
            if ms < 0 or busy not in ("0", "1"):
                raise ValueError
        except (KeyError, ValueError):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"ms must be a number >= 0, busy 0 (sleep) or 1 (spin)\n"]
        self._latency.seconds, self._latency.busy = ms / 1000.0, busy == "1"
        kind = "computing" if busy == "1" else "waiting"
        log.warning("test-only added latency set to %.1f ms (%s)", ms, kind)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"added latency {ms} ms ({kind})\n".encode()]

    def _set_failure(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        assert self._latency is not None
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            code = int(query["code"][0])
            if not 0 <= code <= 16 or environ.get("REQUEST_METHOD") != "PUT":
                raise ValueError
        except (KeyError, ValueError):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"use PUT /test-only/failure?code=N (a gRPC status, 0 = off)\n"]
        self._latency.failure_code = code
        log.warning("test-only failure mode: every call answers status %d (0 = off)", code)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"failure code {code}\n".encode()]

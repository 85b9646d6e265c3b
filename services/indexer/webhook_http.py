"""Plain HTTP webhook: ``POST /v1/changes`` with a NotifyChangeRequest as JSON.

For systems that can send an HTTP POST but not gRPC (CMS hooks, database triggers via
http extensions, CI jobs). The body is the proto3 JSON form of NotifyChangeRequest, e.g.
``{"idempotencyKey": "d-42", "kind": "CHANGE_KIND_UPSERT", "document": {"id": "faq",
"content": "<base64>", "contentType": "text/markdown"}}``; an ``Idempotency-Key`` header
stands in for a missing ``idempotencyKey``. The request is forwarded as a gRPC
NotifyChange call with the caller's ``Authorization`` header (through Envoy by default),
so authentication, roles and validation are exactly those of the gRPC API.

``POST /v1/sources/{id}/events`` takes what a source's own system pushes (S3 bucket
notifications, Confluence webhooks, Microsoft Graph change notifications, Git push hooks):
no bearer token, the source checks the vendor's signature or shared secret itself
(services/indexer/event_sources.py; a Git source reads nothing of it and just fetches).
202 with how many changes were queued; 200 text/plain for Graph's validation handshake;
401/403 for a missing/wrong signature, nothing queued.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import grpc
from aiohttp import web
from google.protobuf import json_format

from rag.v1 import indexer_pb2, indexer_pb2_grpc
from services.indexer.event_sources import EventDelivery, EventOutcome
from services.indexer.rag_sink import _reason
from services.runtime.errors import DomainError

log = logging.getLogger(__name__)

HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 412,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}


# A source's events, handled in-process by the indexer (Indexer.receive_event).
EventHandler = Callable[[str, EventDelivery], Awaitable[EventOutcome]]


def _error(status: int, code: str, message: str, reason: str = "") -> web.Response:
    return web.json_response({"code": code, "message": message, "reason": reason}, status=status)


class WebhookEndpoint:
    """The HTTP server; ``start`` binds and returns the port."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        host: str,
        port: int,
        max_body_bytes: int,
        events: EventHandler | None = None,
    ) -> None:
        self._stub = indexer_pb2_grpc.IndexerServiceStub(channel)
        self._host = host
        self._port = port
        app = web.Application(client_max_size=max_body_bytes)
        app.router.add_post("/v1/changes", self._notify)
        self._events = events
        if events is not None:
            app.router.add_post("/v1/sources/{source_id}/events", self._source_event)
        app.router.add_get("/healthz", self._health)
        self._runner = web.AppRunner(app, access_log=None)
        self.port = 0

    async def start(self) -> int:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self._port
        return self.port

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _source_event(self, request: web.Request) -> web.Response:
        assert self._events is not None
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "RESOURCE_EXHAUSTED", "request body too large")
        delivery = EventDelivery(
            body=body,
            headers={k.lower(): v for k, v in request.headers.items()},
            query=dict(request.query),
        )
        try:
            outcome = await self._events(request.match_info["source_id"], delivery)
        except DomainError as exc:
            status = HTTP_STATUS.get(grpc.StatusCode[exc.code.value], 500)
            return _error(status, exc.code.value, exc.message, exc.reason)
        except Exception:
            log.exception("event for source %s failed", request.match_info["source_id"])
            return _error(500, "INTERNAL", "the event could not be queued; retry later")
        if outcome.reply is not None:
            return web.Response(text=outcome.reply, content_type="text/plain")
        return web.json_response({"queued": outcome.queued, "ignored": outcome.ignored}, status=202)

    async def _notify(self, request: web.Request) -> web.Response:
        try:
            body = await request.text()
            message = json_format.Parse(body or "{}", indexer_pb2.NotifyChangeRequest())
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "RESOURCE_EXHAUSTED", "request body too large")
        except (json_format.ParseError, UnicodeDecodeError) as exc:
            return _error(400, "INVALID_ARGUMENT", f"body is not a NotifyChangeRequest: {exc}")
        if not message.idempotency_key:
            message.idempotency_key = request.headers.get("Idempotency-Key", "")
        metadata = []
        if authorization := request.headers.get("Authorization"):
            metadata.append(("authorization", authorization))
        try:
            response = await self._stub.NotifyChange(message, metadata=metadata, timeout=30)
        except grpc.aio.AioRpcError as exc:
            status = HTTP_STATUS.get(exc.code(), 500)
            reply = _error(status, exc.code().name, exc.details() or "", _reason(exc))
            if status == 429:
                reply.headers["Retry-After"] = "2"
            return reply
        return web.json_response(
            json_format.MessageToDict(response, preserving_proto_field_name=False), status=202
        )

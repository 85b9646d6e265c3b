"""Each example client logs in to Keycloak and sends the token on every call.

A stand-in token endpoint and a stand-in RagService (real HTTP and gRPC servers on
127.0.0.1) record what the client sends: the password grant form, then the bearer token in
the metadata of IngestDocument and Ask. A rejected login must stop the client before any call.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import pytest
import pytest_asyncio

from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from tests.interop.clients import ClientCommand, run

pytestmark = [pytest.mark.timeout(900)]

ISSUED_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"


@dataclass
class TokenEndpoint:
    """Keycloak's token endpoint as far as a password-grant client can tell."""

    password: str
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def keycloak() -> Iterator[TokenEndpoint]:
    endpoint = TokenEndpoint(password="correct horse")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            endpoint.requests.append((self.path, form))
            ok = form.get("password") == [endpoint.password]
            body = (
                {"access_token": ISSUED_TOKEN, "token_type": "Bearer", "expires_in": 300}
                if ok
                else {"error": "invalid_grant", "error_description": "Invalid user credentials"}
            )
            payload = json.dumps(body).encode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()


class RecordingGateway(rag_pb2_grpc.RagServiceServicer):
    """Answers IngestDocument and Ask, remembering each call's authorization header."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.documents: list[common_pb2.Document] = []

    def _record(self, method: str, context: grpc.aio.ServicerContext) -> None:  # type: ignore[type-arg]
        headers = dict(context.invocation_metadata() or ())
        self.calls.append((method, str(headers.get("authorization", ""))))

    async def IngestDocument(
        self,
        request: rag_pb2.IngestDocumentRequest,
        context: grpc.aio.ServicerContext,  # type: ignore[type-arg]
    ) -> rag_pb2.IngestDocumentResponse:
        self._record("IngestDocument", context)
        self.documents.append(request.document)
        return rag_pb2.IngestDocumentResponse(
            result=rag_pb2.IngestResult(document_id=request.document.id, chunk_count=3)
        )

    async def Ask(
        self,
        request: rag_pb2.AskRequest,
        context: grpc.aio.ServicerContext,  # type: ignore[type-arg]
    ) -> rag_pb2.AskResponse:
        self._record("Ask", context)
        return rag_pb2.AskResponse(
            answer=f"You asked: {request.question} [1]",
            citations=[
                common_pb2.Citation(
                    document_id=self.documents[-1].id if self.documents else "none",
                    chunk_id="chunk-7",
                    score=0.5,
                    snippet="a snippet",
                    marker=1,
                )
            ],
        )


@pytest_asyncio.fixture
async def gateway() -> AsyncIterator[tuple[str, RecordingGateway]]:
    servicer = RecordingGateway()  # type: ignore[abstract]  # other RPCs: UNIMPLEMENTED
    server = grpc.aio.server()
    rag_pb2_grpc.add_RagServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}", servicer
    finally:
        await server.stop(None)


async def test_client_logs_in_and_sends_the_token_on_every_call(
    client: ClientCommand,
    keycloak: TokenEndpoint,
    gateway: tuple[str, RecordingGateway],
) -> None:
    address, servicer = gateway
    result = await run(
        client,
        ["--address", address, "--id", f"login-{client.language}", "--question", "Who is there?"],
        {
            "RAGMESH_KEYCLOAK_URL": keycloak.url + "/",
            "RAGMESH_USER": "alice",
            "RAGMESH_PASSWORD": keycloak.password,
        },
    )
    assert result.returncode == 0, result.stderr
    assert keycloak.requests == [
        (
            "/realms/ragmesh/protocol/openid-connect/token",
            {
                "grant_type": ["password"],
                "client_id": ["ragmesh-cli"],
                "username": ["alice"],
                "password": [keycloak.password],
            },
        )
    ]
    assert servicer.calls == [
        ("IngestDocument", f"Bearer {ISSUED_TOKEN}"),
        ("Ask", f"Bearer {ISSUED_TOKEN}"),
    ]
    assert servicer.documents[0].id == f"login-{client.language}"
    assert servicer.documents[0].content  # the built-in sample when no --file is given
    assert "logged in as alice" in result.stdout
    assert result.ingested == {f"login-{client.language}": "3 chunks"}
    assert result.answer == "You asked: Who is there? [1]"
    assert result.citations == [(1, f"login-{client.language}", "chunk-7")]


async def test_client_without_keycloak_calls_without_a_token(
    client: ClientCommand, gateway: tuple[str, RecordingGateway]
) -> None:
    address, servicer = gateway
    result = await run(client, ["--address", address], {"RAGMESH_KEYCLOAK_URL": ""})
    assert result.returncode == 0, result.stderr
    assert servicer.calls == [("IngestDocument", ""), ("Ask", "")]
    assert result.ingested == {f"example-{client.language}": "3 chunks"}


async def test_rejected_login_stops_the_client_before_any_call(
    client: ClientCommand,
    keycloak: TokenEndpoint,
    gateway: tuple[str, RecordingGateway],
) -> None:
    address, servicer = gateway
    result = await run(
        client,
        ["--address", address],
        {"RAGMESH_KEYCLOAK_URL": keycloak.url, "RAGMESH_PASSWORD": "wrong"},
    )
    assert result.returncode != 0
    assert "401" in result.stderr and "invalid_grant" in result.stderr
    assert keycloak.requests[0][1]["username"] == ["bob"]  # the default user
    assert servicer.calls == []

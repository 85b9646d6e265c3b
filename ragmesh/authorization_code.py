"""Sign-in in a browser: the OAuth 2.0 authorization-code flow with PKCE and a loopback redirect.

RFC 8252 (OAuth for native apps): the CLI listens on 127.0.0.1, on a port the system picks, for
exactly one redirect; the browser carries the person through Keycloak's login page (and, with
single sign-on, through the corporate identity provider and back); the code that arrives is
exchanged with the PKCE verifier (RFC 7636), so a code seen by anyone else is worthless.
Keycloak ignores the port of a loopback redirect URI, so ``ragmesh-cli`` registers
``http://127.0.0.1/callback`` once for every port.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from mesh.local.keycloak import CLI_CLIENT_ID, REALM, token_url

CALLBACK_PATH = "/callback"
_DONE_PAGE = (
    b"<!doctype html><title>ragmesh</title><p>Signed in to ragmesh. You may close this tab."
)


class AuthorizationFailed(Exception):
    """The browser flow ended without a usable code: the message says why."""


@dataclass(frozen=True)
class Pkce:
    """A PKCE pair: the verifier stays here, its S256 challenge goes in the browser's URL."""

    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class _Redirect:
    """What the one awaited redirect carried."""

    code: str | None = None
    error: str | None = None
    arrived: threading.Event = field(default_factory=threading.Event)


class LoopbackReceiver:
    """An HTTP server on 127.0.0.1 (free port) waiting for the redirect that carries ``state``.

    A request with another state, or to another path, is answered 400/404 and the wait goes on:
    a stray local request cannot end or hijack the login.
    """

    def __init__(self, state: str) -> None:
        self.state = state
        self._redirect = _Redirect()
        self._server = HTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}{CALLBACK_PATH}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path != CALLBACK_PATH:
                    self.send_error(404)
                elif not secrets.compare_digest(query.get("state", ""), receiver.state):
                    self.send_error(400, "unknown state")
                else:
                    receiver._arrive(query)
                    self.send_response(200)
                    self.send_header("content-type", "text/html; charset=utf-8")
                    self.end_headers()
                    self.wfile.write(_DONE_PAGE)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the CLI's output is for the person, not for access logs

        return Handler

    def _arrive(self, query: dict[str, str]) -> None:
        if self._redirect.arrived.is_set():
            return
        self._redirect.code = query.get("code")
        if "error" in query or not self._redirect.code:
            detail = query.get("error_description") or query.get("error") or "no code"
            self._redirect.error = f"Keycloak ended the sign-in: {detail}"
        self._redirect.arrived.set()

    def wait(self, timeout_s: float) -> str:
        """The authorization code, once the browser has been redirected here."""
        if not self._redirect.arrived.wait(timeout_s):
            raise AuthorizationFailed(f"no sign-in completed in the browser within {timeout_s:g}s")
        if self._redirect.error is not None or self._redirect.code is None:
            raise AuthorizationFailed(self._redirect.error or "no code")
        return self._redirect.code

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class BrowserLogin:
    """One browser sign-in against ``realm``: open ``authorization_url``, then ``finish``."""

    def __init__(
        self,
        keycloak_url: str,
        *,
        idp_hint: str | None = None,
        realm: str = REALM,
        client_id: str = CLI_CLIENT_ID,
    ) -> None:
        self.keycloak_url = keycloak_url.rstrip("/")
        self.realm = realm
        self.client_id = client_id
        self._pkce = Pkce()
        self._receiver = LoopbackReceiver(secrets.token_urlsafe(24))
        query = {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": self._receiver.redirect_uri,
            "state": self._receiver.state,
            "code_challenge": self._pkce.challenge,
            "code_challenge_method": "S256",
        }
        if idp_hint:
            # Straight to that identity provider, past the choice on Keycloak's login page.
            query["kc_idp_hint"] = idp_hint
        self.authorization_url = (
            f"{self.keycloak_url}/realms/{realm}/protocol/openid-connect/auth?{urlencode(query)}"
        )

    def finish(self, timeout_s: float) -> dict[str, object]:
        """Wait for the redirect, exchange its code: the token endpoint's JSON reply."""
        code = self._receiver.wait(timeout_s)
        reply = httpx.post(
            token_url(self.keycloak_url, self.realm),
            data={
                "grant_type": "authorization_code",
                "client_id": self.client_id,
                "code": code,
                "redirect_uri": self._receiver.redirect_uri,
                "code_verifier": self._pkce.verifier,
            },
            timeout=10.0,
        )
        if reply.status_code in (400, 401):
            detail = reply.json().get("error_description", reply.text) if reply.content else ""
            raise AuthorizationFailed(f"Keycloak refused the code: {detail}")
        reply.raise_for_status()
        result: dict[str, object] = reply.json()
        return result

    def close(self) -> None:
        self._receiver.close()

    def __enter__(self) -> BrowserLogin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

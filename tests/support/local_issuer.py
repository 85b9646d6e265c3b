"""FAKE identity provider for fast tests: signs tokens like Keycloak and serves its JWKS.

Tests of one service's access rules (e.g. the vector store's group filter) would otherwise
each wait ~40 s for the real Keycloak; the real one is exercised end to end in
tests/integration/test_auth.py. Tokens carry Keycloak's claim layout (realm_access.roles,
groups, aud, azp) and are served at Keycloak's JWKS path, so services verify them unchanged.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jwcrypto import jwk, jwt

from services.runtime.settings import RuntimeSettings

REALM = "ragmesh"


class LocalIssuer:
    def __init__(self) -> None:
        self.rotate()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200 if self.path.endswith("/certs") else 404)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(issuer.jwks())

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def rotate(self) -> None:
        """A new signing key; the JWKS then publishes only the new one."""
        self.key = jwk.JWK.generate(
            kty="RSA", size=2048, kid=uuid.uuid4().hex, use="sig", alg="RS256"
        )

    def jwks(self) -> bytes:
        return json.dumps({"keys": [json.loads(self.key.export_public())]}).encode()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/realms/{REALM}"

    def runtime_settings(self, **overrides: Any) -> RuntimeSettings:
        """Service settings that trust this issuer."""
        return RuntimeSettings(auth_mode="keycloak", keycloak_url=self.url, **overrides)

    def token(self, user: str, roles: list[str], groups: list[str], ttl_s: float = 300) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": "ragmesh",
            "sub": f"sub-{user}",
            "preferred_username": user,
            "azp": "ragmesh-cli",
            "iat": now,
            "exp": now + int(ttl_s),
            "realm_access": {"roles": roles},
            "groups": groups,
        }
        signed = jwt.JWT(
            header={"alg": "RS256", "kid": self.key["kid"], "typ": "JWT"}, claims=claims
        )
        signed.make_signed_token(self.key)
        return str(signed.serialize())

    def metadata(
        self, user: str, roles: list[str], groups: list[str]
    ) -> tuple[tuple[str, str], ...]:
        return (("authorization", f"Bearer {self.token(user, roles, groups)}"),)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

"""A real Keycloak for the tests: one dev-mode server per test session, realm imported.

Started lazily by the ``keycloak`` fixture (tests/conftest.py) the first time a test needs
it, stopped at the end of the session. Also: password-grant tokens for the demo users and
an admin client for the realm (new clients, key rotation).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from mesh.local.keycloak import (
    REALM,
    KeycloakProcess,
    KeycloakSettings,
    RealmExtension,
    keycloak_home,
    token_url,
)
from tests.support.processes import free_port


@dataclass
class RunningKeycloak:
    settings: KeycloakSettings
    process: subprocess.Popen[bytes]
    log_path: Path

    def token(self, user: str, client_id: str = "ragmesh-cli", host: str | None = None) -> str:
        """An access token for a demo user (password grant). ``host`` changes the URL the
        token is requested through, and with it the issuer Keycloak writes into it."""
        base = self.settings.url if host is None else f"http://{host}:{self.settings.port}"
        reply = httpx.post(
            token_url(base),
            data={
                "grant_type": "password",
                "client_id": client_id,
                "username": user,
                "password": self.settings.demo_password,
            },
            timeout=30,
        )
        reply.raise_for_status()
        return str(reply.json()["access_token"])

    def admin(self, realm: str = REALM) -> httpx.Client:
        """An HTTP client on the admin REST API of ``realm`` (master realm admin)."""
        reply = httpx.post(
            token_url(self.settings.url, realm="master"),
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": "admin",
                "password": self.settings.admin_password,
            },
            timeout=30,
        )
        reply.raise_for_status()
        return httpx.Client(
            base_url=f"{self.settings.url}/admin/realms/{realm}",
            headers={"authorization": f"Bearer {reply.json()['access_token']}"},
            timeout=30,
        )

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def jwt_part(token: str, index: int) -> dict[str, Any]:
    """A token's header (0) or claims (1), decoded without verifying anything."""
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def keycloak_installed() -> bool:
    return (keycloak_home() / "bin" / "kc.sh").exists()


def start_keycloak(
    state_dir: Path, timeout_s: float = 300.0, extension: RealmExtension | None = None
) -> RunningKeycloak:
    """Started and ready (``extension``: more for realm ragmesh's import)."""
    settings = KeycloakSettings(port=free_port())
    launcher = KeycloakProcess(settings, state_dir, extension)
    command = launcher.command()
    launcher.log_path.parent.mkdir(parents=True, exist_ok=True)
    with launcher.log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(launcher.environment()),
            start_new_session=True,
        )
    running = RunningKeycloak(settings, process, launcher.log_path)
    url = f"{settings.issuer}/.well-known/openid-configuration"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Keycloak exited:\n{running.log_tail()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return running
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    running.stop()
    raise TimeoutError(f"Keycloak not ready in {timeout_s}s:\n{running.log_tail()}")


def create_client(kc: RunningKeycloak, client_id: str, **attributes: Any) -> None:
    """A public direct-grant client like ragmesh-cli (same audience and group mappers)."""
    with kc.admin() as admin:
        cli = admin.get("/clients", params={"clientId": "ragmesh-cli"}).json()[0]
        body = {
            "clientId": client_id,
            "publicClient": True,
            "directAccessGrantsEnabled": True,
            "standardFlowEnabled": False,
            "protocolMappers": [
                {k: v for k, v in m.items() if k != "id"} for m in cli.get("protocolMappers", [])
            ],
            "attributes": {k.replace("_", "."): str(v) for k, v in attributes.items()},
        }
        reply = admin.post("/clients", json=body)
        if reply.status_code != 409:
            reply.raise_for_status()


def create_user(kc: RunningKeycloak, username: str, roles: list[str], groups: list[str]) -> None:
    """A realm user with the demo password, the given realm roles and group memberships."""
    with kc.admin() as admin:
        reply = admin.post(
            "/users",
            json={
                "username": username,
                "enabled": True,
                "emailVerified": True,
                "firstName": username,
                "lastName": "Test",
                "email": f"{username}@ragmesh.example",
                "groups": [f"/{g}" for g in groups],
                "credentials": [
                    {"type": "password", "value": kc.settings.demo_password, "temporary": False}
                ],
            },
        )
        if reply.status_code == 409:
            return
        reply.raise_for_status()
        user_id = admin.get("/users", params={"username": username, "exact": "true"}).json()[0][
            "id"
        ]
        wanted = [admin.get(f"/roles/{role}").json() for role in roles]
        admin.post(f"/users/{user_id}/role-mappings/realm", json=wanted).raise_for_status()

"""The CLI's stored login: `ragmesh login` writes it, every other command sends it.

The token file (``~/.config/ragmesh/token.json``, mode 0600; ``RAGMESH_TOKEN_FILE``
overrides) holds the access and refresh tokens of the public client ``ragmesh-cli``, from a
password grant (``ragmesh login --user``) or from a sign-in in the browser, single sign-on
through a corporate identity provider included (``ragmesh login --sso``,
ragmesh/authorization_code.py). An expired access token is refreshed with the refresh token; when
that is gone too, the command says to log in again. ``RAGMESH_TOKEN`` (a raw access token)
wins over the file, for scripts.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from mesh.local.keycloak import CLI_CLIENT_ID, token_url
from ragmesh.authorization_code import AuthorizationFailed, BrowserLogin

DEFAULT_KEYCLOAK_URL = "http://127.0.0.1:8180"
# Refresh this long before expiry, so a command never leaves with a dying token.
_EARLY_S = 15.0


class LoginRequired(Exception):
    """No usable stored token: the message says what to run."""


@dataclass
class StoredLogin:
    keycloak_url: str
    username: str
    access_token: str
    refresh_token: str
    expires_at: float
    refresh_expires_at: float


def token_file() -> Path:
    override = os.environ.get("RAGMESH_TOKEN_FILE")
    if override:
        return Path(override)
    config = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return config / "ragmesh" / "token.json"


def _stored(keycloak_url: str, username: str, reply: dict[str, object]) -> StoredLogin:
    now = time.time()
    return StoredLogin(
        keycloak_url=keycloak_url,
        username=username,
        access_token=str(reply["access_token"]),
        refresh_token=str(reply.get("refresh_token", "")),
        expires_at=now + float(str(reply.get("expires_in", 60))),
        refresh_expires_at=now + float(str(reply.get("refresh_expires_in", 0))),
    )


def _save(login: StoredLogin) -> Path:
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    # Written 0600 from the start: the refresh token is a credential.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(asdict(login), handle)
    tmp.replace(path)
    return path


def login(keycloak_url: str, username: str, password: str) -> StoredLogin:
    """Password grant; the token is stored for later commands."""
    reply = httpx.post(
        token_url(keycloak_url),
        data={
            "grant_type": "password",
            "client_id": CLI_CLIENT_ID,
            "username": username,
            "password": password,
        },
        timeout=10.0,
    )
    if reply.status_code in (400, 401):
        detail = reply.json().get("error_description", reply.text) if reply.content else ""
        raise LoginRequired(f"Keycloak refused the login for {username!r}: {detail}")
    reply.raise_for_status()
    stored = _stored(keycloak_url, username, reply.json())
    _save(stored)
    return stored


def login_in_browser(
    keycloak_url: str,
    open_browser: Callable[[str], object],
    idp_hint: str | None = None,
    timeout_s: float = 300.0,
) -> StoredLogin:
    """Authorization code + PKCE: ``open_browser`` is handed the sign-in URL (the CLI prints it
    and tries the system's browser; a test drives a headless one); the token is stored."""
    with BrowserLogin(keycloak_url, idp_hint=idp_hint) as flow:
        open_browser(flow.authorization_url)
        try:
            reply = flow.finish(timeout_s)
        except AuthorizationFailed as exc:
            raise LoginRequired(str(exc)) from exc
    stored = _stored(keycloak_url, _username(str(reply["access_token"])), reply)
    _save(stored)
    return stored


def _username(access_token: str) -> str:
    """Who signed in, for messages only: the token was just issued to us, not verified here."""
    part = access_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return str(claims.get("preferred_username", "?"))


def logout() -> bool:
    path = token_file()
    if path.exists():
        path.unlink()
        return True
    return False


def authorization() -> str | None:
    """``Bearer <token>`` for the next call, refreshed if needed; None when never logged in."""
    raw = os.environ.get("RAGMESH_TOKEN")
    if raw:
        return f"Bearer {raw}"
    path = token_file()
    if not path.exists():
        return None
    stored = StoredLogin(**json.loads(path.read_text()))
    now = time.time()
    if now < stored.expires_at - _EARLY_S:
        return f"Bearer {stored.access_token}"
    if not stored.refresh_token or now >= stored.refresh_expires_at - _EARLY_S:
        raise LoginRequired(f"the stored login of {stored.username!r} expired: run `ragmesh login`")
    reply = httpx.post(
        token_url(stored.keycloak_url),
        data={
            "grant_type": "refresh_token",
            "client_id": CLI_CLIENT_ID,
            "refresh_token": stored.refresh_token,
        },
        timeout=10.0,
    )
    if reply.status_code in (400, 401):
        raise LoginRequired(f"the stored login of {stored.username!r} expired: run `ragmesh login`")
    reply.raise_for_status()
    refreshed = _stored(stored.keycloak_url, stored.username, reply.json())
    _save(refreshed)
    return f"Bearer {refreshed.access_token}"

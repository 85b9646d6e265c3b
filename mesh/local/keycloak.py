"""Run the real Keycloak server (dev mode) with the `ragmesh` realm imported.

`make setup` unpacks `org.keycloak:keycloak-quarkus-dist` from Maven Central into
``keycloak_home()``; the version and that folder are decided once, in
``mesh/local/keycloak_dist.py`` (the Makefile asks the same file). Each run gets
its own instance folder: a copy of ``bin/kc.sh`` plus links to the shared ``lib``,
``themes``, ``providers`` and ``conf``, and its own ``data/import`` with the realms
(deploy/keycloak/realm-*.json: ``ragmesh``, and ``corp-idp``, the demo SAML identity provider
it brokers to). kc.sh derives its home from its own path, so several instances (a demo and a
test run) never share state. The database is in memory: every start imports the realms
afresh, with the demo password, the service client secret and Keycloak's own URL (the SAML
endpoints both realms name) from the environment (Keycloak resolves ``${VAR}`` in imported
realms).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from mesh.local import keycloak_dist
from mesh.local.network import free_port
from mesh.local.processes import stop_process

KEYCLOAK_VERSION = keycloak_dist.VERSION
REALM = "ragmesh"
REPO_ROOT = Path(__file__).resolve().parents[2]
REALM_FILES = (
    REPO_ROOT / "deploy" / "keycloak" / "realm-ragmesh.json",
    REPO_ROOT / "deploy" / "keycloak" / "realm-corp-idp.json",
)
DEFAULT_DEMO_PASSWORD = "ragmesh-demo"
CLI_CLIENT_ID = "ragmesh-cli"
SERVICE_CLIENT_ID = "ragmesh-services"
# Keycloak 26 runs on Java 17, 21 or 25; the newest one found wins (faster start-up).
_JAVA_HOMES = (
    "/usr/lib/jvm/temurin-25-jdk-amd64",
    "/usr/lib/jvm/java-21-openjdk-amd64",
    "/usr/lib/jvm/java-17-openjdk-amd64",
)


def token_url(keycloak_url: str, realm: str = REALM) -> str:
    """The OpenID Connect token endpoint of ``realm`` on the Keycloak at ``keycloak_url``."""
    return f"{keycloak_url.rstrip('/')}/realms/{realm}/protocol/openid-connect/token"


def keycloak_home() -> Path:
    """Where the distribution is unpacked (``RAGMESH_KEYCLOAK_HOME`` overrides)."""
    return keycloak_dist.home()


def java_home() -> str | None:
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    for candidate in _JAVA_HOMES:
        if Path(candidate, "bin", "java").exists():
            return candidate
    return None


@dataclass
class KeycloakSettings:
    """One Keycloak instance: where it listens and the secrets its realm is imported with."""

    port: int = 8180
    host: str = "127.0.0.1"
    demo_password: str = field(
        default_factory=lambda: os.environ.get("RAGMESH_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    )
    service_client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    heap: str = "-Xms64m -Xmx768m"
    ready_timeout_s: float = 240.0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/realms/{REALM}"

    @property
    def token_url(self) -> str:
        return token_url(self.url)


@dataclass(frozen=True)
class RealmExtension:
    """More for realm ragmesh at import: representation keys added to realm-ragmesh.json
    (e.g. ``components``: a user-federation provider), and the environment variables their
    ``${VAR}`` placeholders name (secrets stay out of the written file)."""

    representation: Mapping[str, object]
    env: Mapping[str, str] = field(default_factory=dict)


class KeycloakProcess:
    """Start, wait for and stop one dev-mode Keycloak with the ragmesh realm."""

    def __init__(
        self, settings: KeycloakSettings, state_dir: Path, extension: RealmExtension | None = None
    ) -> None:
        self.settings = settings
        self.extension = extension
        self.instance = state_dir / "keycloak"
        self.log_path = state_dir / "logs" / "keycloak.log"
        self._process: asyncio.subprocess.Process | None = None

    def _prepare(self) -> Path:
        home = keycloak_home()
        if not (home / "bin" / "kc.sh").exists():
            raise RuntimeError(
                f"Keycloak {KEYCLOAK_VERSION} is not installed in {home}; run `make setup` "
                "(it downloads org.keycloak:keycloak-quarkus-dist from Maven Central)"
            )
        shutil.rmtree(self.instance, ignore_errors=True)
        (self.instance / "bin").mkdir(parents=True)
        (self.instance / "data" / "import").mkdir(parents=True)
        shutil.copy2(home / "bin" / "kc.sh", self.instance / "bin" / "kc.sh")
        for part in ("lib", "themes", "providers", "conf"):
            (self.instance / part).symlink_to(home / part)
        for realm_file in REALM_FILES:
            target = self.instance / "data" / "import" / realm_file.name
            if self.extension is not None and realm_file.name == f"realm-{REALM}.json":
                realm = json.loads(realm_file.read_text())
                for key, value in self.extension.representation.items():
                    known = realm.get(key)
                    if isinstance(known, dict) and isinstance(value, Mapping):
                        realm[key] = {**known, **value}
                    else:
                        realm[key] = value
                target.write_text(json.dumps(realm, indent=1))
            else:
                shutil.copy2(realm_file, target)
        return self.instance / "bin" / "kc.sh"

    def environment(self) -> Mapping[str, str]:
        env = dict(os.environ)
        env.update(
            RAGMESH_DEMO_PASSWORD=self.settings.demo_password,
            RAGMESH_SERVICE_CLIENT_SECRET=self.settings.service_client_secret,
            RAGMESH_KEYCLOAK_URL=self.settings.url,
            KC_BOOTSTRAP_ADMIN_USERNAME="admin",
            KC_BOOTSTRAP_ADMIN_PASSWORD=self.settings.admin_password,
            JAVA_OPTS_KC_HEAP=self.settings.heap,
        )
        if self.extension is not None:
            env.update(self.extension.env)
        home = java_home()
        if home:
            env["JAVA_HOME"] = home
            env["PATH"] = f"{home}/bin:{env.get('PATH', '')}"
        return env

    def command(self) -> list[str]:
        """Prepare a fresh instance folder; the command line that starts Keycloak in it."""
        kc = self._prepare()
        return [
            str(kc),
            "start-dev",
            f"--http-host={self.settings.host}",
            f"--http-port={self.settings.port}",
            f"--http-management-port={free_port()}",
            "--db=dev-mem",
            "--import-realm",
            "--log-level=WARN,org.keycloak.services:INFO,io.quarkus:INFO",
        ]

    async def start(self) -> None:
        command = self.command()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self._process = await asyncio.create_subprocess_exec(
                *command,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                env=dict(self.environment()),
                start_new_session=True,
            )
        await self.wait_ready()

    async def wait_ready(self) -> None:
        deadline = time.monotonic() + self.settings.ready_timeout_s
        url = f"{self.settings.issuer}/.well-known/openid-configuration"
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.returncode is not None:
                    raise RuntimeError(f"Keycloak exited; log:\n{self.log_tail()}")
                try:
                    if (await client.get(url)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.5)
        raise TimeoutError(
            f"Keycloak not ready in {self.settings.ready_timeout_s}s:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def stop(self) -> None:
        process, self._process = self._process, None
        await stop_process(process, 20, group=True)


async def password_token(
    settings: KeycloakSettings, username: str, password: str, client_id: str = CLI_CLIENT_ID
) -> dict[str, object]:
    """A password grant (the CLI's login and the tests): the token endpoint's JSON reply."""
    async with httpx.AsyncClient(timeout=10.0) as client:
        reply = await client.post(
            settings.token_url,
            data={
                "grant_type": "password",
                "client_id": client_id,
                "username": username,
                "password": password,
                "scope": "openid",
            },
        )
    reply.raise_for_status()
    result: dict[str, object] = reply.json()
    return result

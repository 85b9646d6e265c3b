"""A directory for `ragmesh up --ldap`: OpenLDAP's slapd, and Keycloak federating it.

slapd comes from Debian (`make slapd`); we start it ourselves, as a plain process on a free
port, from a slapd.conf generated into the run's state folder (no system service, no
cn=config). The database is loaded offline with ``slapadd`` from deploy/ldap/directory.ldif
before slapd starts, every person given the demo password, so each start begins from the
demo directory.

Keycloak then gets an LDAP user-federation provider with its mappers
(deploy/keycloak/ldap-federation.json, the directory's address filled in). When `ragmesh up
--ldap` starts Keycloak itself, the provider is part of the realm import (`realm_extension`:
the realm's ``components``; Keycloak resolves the bind secret from its environment, so it is
not written into the import file). A Keycloak that is already running (a supervisor with
auth "external", such as the tests' shared one) gets it through the admin REST API
(`federate`). Directory groups under ou=groups become realm groups, and so the token's
``groups`` claim; groups under ou=roles become realm roles; ``userAccountControl`` decides
whether an account is enabled, as in Active Directory. The provider's cache policy is
NO_CACHE: Keycloak asks the directory at every login, so a membership removed there is gone
from the next token (the delay is the lifetime of the tokens already issued, 300 s in the
realm).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from mesh.local.keycloak import REALM, KeycloakSettings, RealmExtension, token_url
from mesh.local.processes import stop_process

REPO_ROOT = Path(__file__).resolve().parents[2]
DIRECTORY_LDIF = REPO_ROOT / "deploy" / "ldap" / "directory.ldif"
FEDERATION = REPO_ROOT / "deploy" / "keycloak" / "ldap-federation.json"
SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SCHEMA_DIR = Path("/etc/ldap/schema")
# msuser: Active Directory's user attributes (userAccountControl); it needs nis.
SCHEMAS = ("core", "cosine", "inetorgperson", "nis", "msuser")
MODULE_DIR = "/usr/lib/ldap"
_INSTALL_HINT = "install OpenLDAP's slapd with `make slapd` (Debian packages slapd, ldap-utils)"


@dataclass
class LdapSettings:
    """One directory server: where it listens, its tree and its administrator."""

    port: int = 3389
    host: str = "127.0.0.1"
    base_dn: str = "dc=ragmesh,dc=example"
    # The directory administrator's password (Keycloak binds with it): set it to change
    # the directory by hand (ldapmodify); generated per run otherwise.
    admin_password: str = field(
        default_factory=lambda: (
            os.environ.get("RAGMESH_LDAP_ADMIN_PASSWORD") or secrets.token_urlsafe(16)
        )
    )
    seed: Path = DIRECTORY_LDIF
    ready_timeout_s: float = 30.0

    @property
    def url(self) -> str:
        return f"ldap://{self.host}:{self.port}"

    @property
    def admin_dn(self) -> str:
        return f"cn=admin,{self.base_dn}"

    @property
    def people_dn(self) -> str:
        return f"ou=people,{self.base_dn}"

    @property
    def groups_dn(self) -> str:
        return f"ou=groups,{self.base_dn}"

    @property
    def roles_dn(self) -> str:
        return f"ou=roles,{self.base_dn}"


def slapd_installed() -> bool:
    return Path(SLAPD).exists() and Path(SLAPADD).exists()


def ssha(password: str) -> str:
    """``{SSHA}`` of a password: what slapd compares a simple bind against."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def seeded_ldif(ldif: str, password: str) -> str:
    """The directory with a ``userPassword`` for every person (inetOrgPerson)."""
    entries = []
    for entry in ldif.split("\n\n"):
        lines = [line for line in entry.strip().splitlines() if not line.startswith("#")]
        if not lines:
            continue
        if "objectClass: inetOrgPerson" in lines:
            lines.append(f"userPassword: {ssha(password)}")
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + "\n"


def slapd_conf(settings: LdapSettings, folder: Path) -> str:
    includes = "\n".join(f"include {SCHEMA_DIR / name}.schema" for name in SCHEMAS)
    return f"""{includes}
pidfile {folder / "slapd.pid"}
argsfile {folder / "slapd.args"}
modulepath {MODULE_DIR}
moduleload back_mdb
database mdb
maxsize 67108864
suffix "{settings.base_dn}"
rootdn "{settings.admin_dn}"
rootpw {ssha(settings.admin_password)}
directory {folder / "data"}
index objectClass,uid,member eq
# Passwords: checked by binding, never read. Everything else: readable once bound.
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
"""


class SlapdProcess:
    """Seed, start, wait for and stop one slapd with the demo directory."""

    def __init__(self, settings: LdapSettings, state_dir: Path, demo_password: str) -> None:
        self.settings = settings
        self.folder = state_dir / "ldap"
        self.log_path = state_dir / "logs" / "slapd.log"
        self._demo_password = demo_password
        self._process: asyncio.subprocess.Process | None = None

    async def _prepare(self) -> Path:
        if not slapd_installed():
            raise RuntimeError(f"slapd is not installed; {_INSTALL_HINT}")
        shutil.rmtree(self.folder, ignore_errors=True)
        (self.folder / "data").mkdir(parents=True)
        conf = self.folder / "slapd.conf"
        conf.write_text(slapd_conf(self.settings, self.folder))
        seed = self.folder / "directory.ldif"
        seed.write_text(seeded_ldif(self.settings.seed.read_text(), self._demo_password))
        loaded = await asyncio.create_subprocess_exec(
            SLAPADD, "-f", str(conf), "-l", str(seed),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await loaded.communicate()
        if loaded.returncode != 0:
            raise RuntimeError(f"slapadd could not load {self.settings.seed}:\n{output.decode()}")
        return conf

    async def start(self) -> None:
        conf = await self._prepare()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            # -d: stay in the foreground (a child we can stop), logging to stderr.
            self._process = await asyncio.create_subprocess_exec(
                SLAPD, "-f", str(conf), "-h", f"{self.settings.url}/", "-d", "256",
                stdout=log, stderr=asyncio.subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        await self.wait_ready()

    async def wait_ready(self) -> None:
        deadline = time.monotonic() + self.settings.ready_timeout_s
        while time.monotonic() < deadline:
            if self._process is not None and self._process.returncode is not None:
                raise RuntimeError(f"slapd exited; log:\n{self.log_tail()}")
            try:
                _, writer = await asyncio.open_connection(self.settings.host, self.settings.port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            return
        raise TimeoutError(f"slapd not listening in {self.settings.ready_timeout_s}s")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def stop(self) -> None:
        process, self._process = self._process, None
        await stop_process(process, 10)


# The environment variable the imported realm's bind credential names (Keycloak resolves
# ${VAR} in imported realms).
BIND_CREDENTIAL_ENV = "RAGMESH_LDAP_BIND_CREDENTIAL"


def federation_components(
    directory: LdapSettings, bind_credential: str | None = None
) -> dict[str, Any]:
    """deploy/keycloak/ldap-federation.json with this directory's address and secrets
    (``bind_credential``: what to write for the secret; the directory's password by default)."""
    text = FEDERATION.read_text()
    credential = directory.admin_password if bind_credential is None else bind_credential
    for name, value in {
        "LDAP_URL": directory.url,
        "LDAP_BIND_DN": directory.admin_dn,
        "LDAP_BIND_CREDENTIAL": credential,
        "LDAP_USERS_DN": directory.people_dn,
        "LDAP_GROUPS_DN": directory.groups_dn,
        "LDAP_ROLES_DN": directory.roles_dn,
    }.items():
        text = text.replace("${" + name + "}", json.dumps(value)[1:-1])
    parsed: dict[str, Any] = json.loads(text)
    return parsed


# The attribute mappers Keycloak adds by itself when a provider is created through the admin
# API, but not when one is imported (without "username" every directory login fails:
# "User returned from LDAP has null username"). (name, LDAP attribute, user attribute,
# mandatory in LDAP.)
_MAPPER_TYPE = "org.keycloak.storage.ldap.mappers.LDAPStorageMapper"
_IMPORTED_ATTRIBUTE_MAPPERS = (
    ("username", "uid", "username", True),
    ("first name", "givenName", "firstName", False),
    ("last name", "sn", "lastName", True),
    ("email", "mail", "email", False),
)


def realm_extension(directory: LdapSettings) -> RealmExtension:
    """The directory as part of realm ragmesh's import: the LDAP provider with its mappers
    as the realm's ``components`` (the shape of a realm export: children by provider type)."""
    spec = federation_components(directory, bind_credential="${" + BIND_CREDENTIAL_ENV + "}")
    provider = spec["provider"]
    attributes = [
        {
            "name": name,
            "providerId": "user-attribute-ldap-mapper",
            "providerType": _MAPPER_TYPE,
            "config": {
                "ldap.attribute": [ldap_attribute],
                "user.model.attribute": [user_attribute],
                "is.mandatory.in.ldap": [str(mandatory).lower()],
                "read.only": ["true"],
                "always.read.value.from.ldap": ["true"],
            },
        }
        for name, ldap_attribute, user_attribute, mandatory in _IMPORTED_ATTRIBUTE_MAPPERS
    ]
    children: dict[str, list[dict[str, Any]]] = {}
    for mapper in attributes + spec["mappers"]:
        exported = {k: v for k, v in mapper.items() if k != "providerType"}
        children.setdefault(mapper["providerType"], []).append(exported)
    component = {
        "name": provider["name"],
        "providerId": provider["providerId"],
        "subComponents": children,
        "config": provider["config"],
    }
    return RealmExtension(
        representation={"components": {provider["providerType"]: [component]}},
        env={BIND_CREDENTIAL_ENV: directory.admin_password},
    )


async def federate(keycloak: KeycloakSettings, directory: LdapSettings) -> str:
    """Add the directory to realm ragmesh as an LDAP provider with its mappers (the admin
    REST API of the running Keycloak); returns the provider's component id."""
    spec = federation_components(directory)
    async with httpx.AsyncClient(timeout=30.0) as client:
        login = await client.post(
            token_url(keycloak.url, realm="master"),
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": "admin",
                "password": keycloak.admin_password,
            },
        )
        login.raise_for_status()
        admin = f"{keycloak.url}/admin/realms/{REALM}"
        headers = {"authorization": f"Bearer {login.json()['access_token']}"}
        realm_id = (await client.get(admin, headers=headers)).json()["id"]
        provider = {**spec["provider"], "parentId": realm_id}
        created = await client.post(f"{admin}/components", json=provider, headers=headers)
        if created.status_code != 201:
            raise RuntimeError(f"Keycloak refused the LDAP provider: {created.text}")
        provider_id = created.headers["location"].rsplit("/", 1)[-1]
        for mapper in spec["mappers"]:
            body = {**mapper, "parentId": provider_id}
            made = await client.post(f"{admin}/components", json=body, headers=headers)
            if made.status_code != 201:
                raise RuntimeError(f"Keycloak refused LDAP mapper {mapper['name']}: {made.text}")
    return provider_id

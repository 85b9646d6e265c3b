"""Single sign-on through the corporate SAML identity provider, in a real browser.

The session's Keycloak serves two realms: ``corp-idp``, a SAML 2.0 identity provider with its
own users and groups, and ``ragmesh``, which brokers to it. Headless chromium runs the CLI's
own sign-in (ragmesh/credentials.py ``login_in_browser``: authorization code + PKCE, loopback
redirect) through the whole round trip: Keycloak's login page, the "Corporate sign-in"
button, the identity provider's login form, the signed SAML response POSTed back, the
first-broker-login (no form: the assertion carries every required attribute), the redirect
with the code. Then the token's groups are the IdP user's groups, and Ask through the mesh
answers from that group's documents only. The signatures are checked, not only sent: an
unsigned response is refused.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from mesh.local.prometheus import PrometheusSettings
from mesh.local.supervisor import SERVICES, Supervisor, UpSettings
from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from ragmesh import credentials
from ragmesh.authorization_code import AuthorizationFailed, BrowserLogin
from tests.support.browser import (
    IDP,
    STEP_S,
    chromium_installed,
    headless_chromium,
    log_in_at_idp,
    sign_in_through_idp,
)
from tests.support.keycloak import RunningKeycloak, jwt_part
from tests.support.processes import REPO, free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

ASK_SERVICES = {
    "rag.v1.EmbeddingService",
    "rag.v1.DocumentProcessorService",
    "rag.v1.VectorStoreService",
    "rag.v1.GenerationService",
    "rag.v1.RagService",
}
GATEWAY_ENV = {"RAGMESH_GATEWAY_GRAPH_ENABLED": "false", "RAGMESH_GATEWAY_SCORE_ANSWERS": "false"}


@pytest.fixture(autouse=True)
def _chromium() -> None:
    if not chromium_installed():
        pytest.skip("chromium and chromium-driver are not installed: run `make setup`")


@pytest.fixture
def token_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI's token file, private to the test."""
    path = tmp_path / "token.json"
    monkeypatch.setenv("RAGMESH_TOKEN_FILE", str(path))
    monkeypatch.delenv("RAGMESH_TOKEN", raising=False)
    yield path


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(
    keycloak: RunningKeycloak, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Supervisor]:
    settings = UpSettings(
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=Path(tmp_path_factory.mktemp("sso-mesh")),
        services=[
            dataclasses.replace(s, env={**s.env, **GATEWAY_ENV})
            if s.service == "rag.v1.RagService"
            else s
            for s in SERVICES
            if s.service in ASK_SERVICES
        ],
        drain_delay_s=0.0,
        auth="external",
        keycloak=keycloak.settings,
        prometheus=PrometheusSettings(mode="off"),
    )
    supervisor = Supervisor(settings)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()


def browser_login(kc: RunningKeycloak, username: str) -> credentials.StoredLogin:
    """The CLI's `login --sso` flow, with headless chromium as the person's browser."""
    with headless_chromium() as driver:
        return credentials.login_in_browser(
            kc.settings.url,
            lambda url: sign_in_through_idp(driver, url, username, kc.settings.demo_password),
            timeout_s=STEP_S,
        )


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.usefixtures("token_file")
async def test_saml_user_signs_in_in_the_browser_and_asks_with_their_groups(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    stored = await asyncio.to_thread(browser_login, keycloak, "frank")

    assert stored.username == "frank"
    claims = jwt_part(stored.access_token, 1)
    assert claims["iss"] == keycloak.settings.issuer
    assert claims["groups"] == ["finance"]  # frank's group at the identity provider
    assert "rag-reader" in claims["realm_access"]["roles"]
    assert claims["email"] == "frank@corp.example"
    with keycloak.admin() as admin:
        user = admin.get("/users", params={"username": "frank", "exact": "true"}).json()[0]
        links = admin.get(f"/users/{user['id']}/federated-identity").json()
    assert [(link["identityProvider"], link["userName"]) for link in links] == [(IDP, "frank")]

    carol = f"Bearer {keycloak.token('carol')}"  # admin: may give any access list
    documents = {
        "sso-finance": (["finance"], "The finance ledger closes on the ninth working day."),
        "sso-engineering": (["engineering"], "The engineering ledger closes on the third day."),
        "sso-legal": (["legal"], "The legal ledger closes on the last day of the quarter."),
    }
    bearer = credentials.authorization()
    assert bearer == f"Bearer {stored.access_token}"  # stored where later commands read it
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        for doc_id, (groups, text) in documents.items():
            document = common_pb2.Document(
                id=doc_id, content=text.encode(), content_type="text/plain", access_groups=groups
            )
            await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(document=document),
                timeout=60,
                metadata=(("authorization", carol),),
            )
        answer = await stub.Ask(
            rag_pb2.AskRequest(question="When does the ledger close?"),
            timeout=60,
            metadata=(("authorization", bearer),),
        )
    cited = {c.document_id for c in answer.citations}
    assert "sso-finance" in cited
    assert not cited & {"sso-engineering", "sso-legal"}


@pytest.mark.asyncio(loop_scope="module")
async def test_ragmesh_login_sso_hands_the_url_to_the_browser_and_stores_the_token(
    keycloak: RunningKeycloak, tmp_path: Path
) -> None:
    # Python's webbrowser runs $BROWSER with the URL: here, headless chromium signing frank in.
    browser = tmp_path / "browser"
    browser.write_text(
        f'#!/bin/sh\ncd {REPO} && exec {sys.executable} -m tests.support.browser frank "$1"\n'
    )
    browser.chmod(0o755)
    env = {
        **os.environ,
        "BROWSER": str(browser),
        "RAGMESH_TOKEN_FILE": str(tmp_path / "token.json"),
        "RAGMESH_TOKEN": "",
        "RAGMESH_DEMO_PASSWORD": keycloak.settings.demo_password,
    }
    login = [sys.executable, "-m", "ragmesh", "login", "--sso", "--keycloak", keycloak.settings.url]
    done = await asyncio.to_thread(
        subprocess.run, login, capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert f"{keycloak.settings.issuer}/protocol/openid-connect/auth?" in done.stdout
    assert "logged in as frank" in done.stdout
    stored = json.loads((tmp_path / "token.json").read_text())
    assert jwt_part(stored["access_token"], 1)["groups"] == ["finance"]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.usefixtures("token_file")
async def test_group_changes_at_the_identity_provider_apply_at_the_next_sign_in(
    keycloak: RunningKeycloak,
) -> None:
    first = await asyncio.to_thread(browser_login, keycloak, "grace")
    assert sorted(jwt_part(first.access_token, 1)["groups"]) == ["engineering", "legal"]

    with keycloak.admin(IDP) as idp:
        grace = idp.get("/users", params={"username": "grace", "exact": "true"}).json()[0]
        legal = next(g for g in idp.get("/groups").json() if g["name"] == "legal")
        idp.delete(f"/users/{grace['id']}/groups/{legal['id']}").raise_for_status()
    try:
        again = await asyncio.to_thread(browser_login, keycloak, "grace")
        assert jwt_part(again.access_token, 1)["groups"] == ["engineering"]
    finally:
        with keycloak.admin(IDP) as idp:
            idp.put(f"/users/{grace['id']}/groups/{legal['id']}").raise_for_status()


def refused_sign_in(kc: RunningKeycloak, username: str) -> str:
    """A sign-in that realm ragmesh ends on its broker endpoint: the error page's text."""
    with headless_chromium() as driver, BrowserLogin(kc.settings.url) as flow:
        log_in_at_idp(driver, flow.authorization_url, username, kc.settings.demo_password)
        WebDriverWait(driver, STEP_S).until(
            lambda d: f"/realms/ragmesh/broker/{IDP}/endpoint" in d.current_url
        )
        with pytest.raises(AuthorizationFailed):
            flow.finish(1.0)  # no code reached the CLI
        return str(driver.find_element(By.TAG_NAME, "body").text)


@pytest.mark.asyncio(loop_scope="module")
async def test_an_unsigned_saml_response_is_refused(keycloak: RunningKeycloak) -> None:
    # Signatures are checked, not only sent: with the IdP's signing switched off, ragmesh
    # refuses what comes back.
    with keycloak.admin(IDP) as idp:
        client = next(c for c in idp.get("/clients").json() if c["protocol"] == "saml")
        signed = dict(client["attributes"])
        unsigned = {"saml.server.signature": "false", "saml.assertion.signature": "false"}
        idp.put(
            f"/clients/{client['id']}", json={**client, "attributes": {**signed, **unsigned}}
        ).raise_for_status()
    try:
        page = await asyncio.to_thread(refused_sign_in, keycloak, "frank")
    finally:
        with keycloak.admin(IDP) as idp:
            idp.put(f"/clients/{client['id']}", json=client).raise_for_status()
    assert "Invalid signature in response from identity provider" in page

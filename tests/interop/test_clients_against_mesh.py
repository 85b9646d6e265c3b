"""Every example client (Go, Node, Java, Rust) against a real mesh: login, ingest, ask, citations.

The mesh is the real one (`ragmesh up` without the demo): control plane, Envoy and one
replica per service, and Keycloak when it is installed (`make setup`), in which case each
client logs in as bob (rag-writer) and Envoy verifies its token. Each language ingests its
own document with a fact found nowhere else and asks about it; the answer must state the
fact and its first citation must point at that document.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from mesh.local.supervisor import Supervisor, UpSettings
from tests.interop.clients import ClientCommand, run
from tests.support.keycloak import RunningKeycloak
from tests.support.processes import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]
log = logging.getLogger(__name__)

# language -> (document, question, what the answer must say)
DOCUMENTS = {
    "go": (
        "# Quillmere lighthouse\n\nThe Quillmere lighthouse stands on Saltreach Island. Its lamp "
        "was first lit in 1887 by keeper Odalys Venn. The tower is painted in ochre and teal.",
        "Who first lit the lamp of the Quillmere lighthouse?",
        "Odalys Venn",
    ),
    "node": (
        "# Brackenfell glacier\n\nThe Brackenfell glacier retreats about 38 metres every summer. "
        "Surveyor Tamsin Oakhurst measures it from the Harrow ridge with a theodolite.",
        "How far does the Brackenfell glacier retreat every summer?",
        "38 metres",
    ),
    "java": (
        "# Vellichor orchard\n\nThe Vellichor orchard grows a pear variety called Amberwick. "
        "Botanist Ilse Marrow grafted the first Amberwick tree in 1931.",
        "Which pear variety does the Vellichor orchard grow?",
        "Amberwick",
    ),
    "rust": (
        "# Corvane ferry\n\nThe Corvane ferry crosses the Lisk estuary eleven times a day. "
        "Its captain, Mireille Dunfold, has sailed the route since 2009.",
        "Who is the captain of the Corvane ferry?",
        "Mireille Dunfold",
    ),
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(
    keycloak: RunningKeycloak, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Supervisor]:
    # The session's Keycloak (tests/conftest.py), shared with the other mesh tests.
    settings = UpSettings(
        replicas=1,
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=Path(tmp_path_factory.mktemp("interop-mesh")),
        drain_delay_s=0.0,
        auth="external",
        keycloak=keycloak.settings,
    )
    supervisor = Supervisor(settings)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()


def _login_env(mesh: Supervisor) -> dict[str, str]:
    if mesh.settings.auth == "off":
        return {"RAGMESH_KEYCLOAK_URL": ""}
    kc = mesh.settings.keycloak
    return {
        "RAGMESH_KEYCLOAK_URL": kc.url,
        "RAGMESH_USER": "bob",
        "RAGMESH_DEMO_PASSWORD": kc.demo_password,
        "RAGMESH_PASSWORD": "",
    }


@pytest.mark.asyncio(loop_scope="module")
async def test_client_ingests_and_answers_with_citations_through_envoy(
    client: ClientCommand, mesh: Supervisor, tmp_path: Path
) -> None:
    text, question, fact = DOCUMENTS[client.language]
    document = tmp_path / f"{client.language}.md"
    document.write_text(text)
    document_id = f"interop-{client.language}"
    args = ["--file", str(document), "--id", document_id, "--question", question]
    if mesh.settings.auth != "off":
        args += ["--groups", "engineering"]  # bob's: a writer grants only his own groups
    env = {**_login_env(mesh), "RAGMESH_ADDRESS": mesh.envoy_address}

    result = await run(client, args, env)

    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    if mesh.settings.auth != "off":
        assert "logged in as bob" in result.stdout
    chunks = result.ingested[document_id]
    assert chunks.endswith(" chunks") and int(chunks.split()[0]) >= 1, chunks
    assert fact in result.answer, result.stdout
    assert result.citations, result.stdout
    marker, cited_document, _ = result.citations[0]
    assert (marker, cited_document) == (1, document_id), result.stdout

    # Ingest is idempotent: the same document again is recognised as unchanged.
    again = await run(client, args, env)
    assert again.returncode == 0, again.stderr
    assert again.ingested == {document_id: "unchanged"}


@pytest.mark.asyncio(loop_scope="module")
async def test_client_without_a_token_is_refused_when_auth_is_on(
    client: ClientCommand, mesh: Supervisor
) -> None:
    if mesh.settings.auth == "off":
        pytest.skip("Keycloak is not installed (make setup): the mesh runs without auth")
    result = await run(client, ["--address", mesh.envoy_address], {"RAGMESH_KEYCLOAK_URL": ""})
    assert result.returncode != 0
    assert "UNAUTHENTICATED" in result.stderr.upper().replace(" ", "_"), result.stderr

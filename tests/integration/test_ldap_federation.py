"""LDAP federation against the real OpenLDAP slapd and the real Keycloak (issue 18 item 1).

The mesh is started as `ragmesh up --ldap` starts it, but on the session's running Keycloak:
the Supervisor runs slapd with the demo directory (deploy/ldap/directory.ldif) and adds the
LDAP provider and its mappers (deploy/keycloak/ldap-federation.json) through the admin API.
A `ragmesh up --ldap` that starts its own Keycloak imports them with the realm instead: the
last test starts one that way. Directory users then log in with the password grant; their
directory groups are the token's ``groups`` and decide what Ask, ListDocuments and ingest
allow. The provider is removed from the shared Keycloak at the end (with the users it
imported), so later tests see the realm as imported.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import httpx
import pytest
import pytest_asyncio

from mesh.local.keycloak import DEFAULT_DEMO_PASSWORD, token_url
from mesh.local.ldap import (
    BIND_CREDENTIAL_ENV,
    LdapSettings,
    SlapdProcess,
    realm_extension,
    slapd_installed,
)
from mesh.local.supervisor import Supervisor
from rag.v1 import common_pb2, rag_pb2, rag_pb2_grpc
from tests.support.auth_mesh import auth_mesh
from tests.support.keycloak import RunningKeycloak, jwt_part, start_keycloak
from tests.support.processes import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

CORE = {
    "rag.v1.EmbeddingService",
    "rag.v1.DocumentProcessorService",
    "rag.v1.VectorStoreService",
    "rag.v1.GenerationService",
    "rag.v1.QueryEnhancementService",
    "rag.v1.RagService",
}
Code = grpc.StatusCode
# One document per group, each with its own word; "ledger" is in all of them.
DOCUMENTS = {
    "ldap-finance": ["finance"],
    "ldap-engineering": ["engineering"],
    "ldap-legal": ["legal"],
    "ldap-hr": ["hr"],
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(
    keycloak: RunningKeycloak, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Supervisor]:
    if not slapd_installed():
        pytest.skip("slapd is not installed: run `make setup` (make slapd)")
    state_dir = Path(tmp_path_factory.mktemp("ldap-mesh"))
    directory = LdapSettings(port=free_port())
    provider = ""
    try:
        async with auth_mesh(keycloak, state_dir, CORE, ldap=directory) as supervisor:
            provider = supervisor.directory_provider_id
            yield supervisor
        assert supervisor.directory is not None and not supervisor.directory.running
    finally:
        if provider:  # the shared Keycloak as imported again, for the tests after these
            with keycloak.admin() as admin:
                admin.delete(f"/components/{provider}").raise_for_status()


def login(keycloak: RunningKeycloak, user: str) -> httpx.Response:
    return httpx.post(
        token_url(keycloak.settings.url),
        data={
            "grant_type": "password",
            "client_id": "ragmesh-cli",
            "username": user,
            "password": keycloak.settings.demo_password,
        },
        timeout=30,
    )


def token(keycloak: RunningKeycloak, user: str) -> str:
    reply = login(keycloak, user)
    assert reply.status_code == 200, f"{user}: {reply.text}"
    return str(reply.json()["access_token"])


def bearer(access_token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {access_token}"),)


async def visible(stub: rag_pb2_grpc.RagServiceStub, access_token: str) -> set[str]:
    """This test's documents the token's owner may list, and those Ask cites."""
    listed = await stub.ListDocuments(
        rag_pb2.ListDocumentsRequest(page_size=1000), timeout=30, metadata=bearer(access_token)
    )
    ids = {d.id for d in listed.documents} & set(DOCUMENTS)
    answer = await stub.Ask(
        rag_pb2.AskRequest(
            question="What does the ledger say?", retrieval=common_pb2.RetrievalOptions(top_k=20)
        ),
        timeout=60,
        metadata=bearer(access_token),
    )
    cited = {c.document_id for c in answer.citations} & set(DOCUMENTS)
    assert cited <= ids, f"Ask cited {sorted(cited - ids)}, which ListDocuments hides"
    if ids:
        assert cited, "Ask cited none of the documents the caller may read"
    return ids


def remove_member(directory: LdapSettings, group: str, user: str) -> None:
    """What a directory administrator does: ldapmodify, as the directory's admin."""
    change = (
        f"dn: cn={group},{directory.groups_dn}\nchangetype: modify\n"
        f"delete: member\nmember: uid={user},{directory.people_dn}\n"
    )
    done = subprocess.run(
        ["ldapmodify", "-x", "-H", directory.url, "-D", directory.admin_dn,
         "-w", directory.admin_password],
        input=change.encode(), capture_output=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.asyncio(loop_scope="module")
async def test_directory_users_see_exactly_their_directory_groups_documents(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    directory = mesh.settings.ldap
    assert directory is not None
    olivia, peggy = token(keycloak, "olivia"), token(keycloak, "peggy")
    # The directory decides groups and roles.
    claims = {user: jwt_part(t, 1) for user, t in (("olivia", olivia), ("peggy", peggy))}
    assert set(claims["olivia"]["groups"]) == {"finance"}
    assert set(claims["peggy"]["groups"]) == {"engineering", "legal"}
    assert "rag-reader" in claims["olivia"]["realm_access"]["roles"]
    assert "rag-writer" not in claims["olivia"]["realm_access"]["roles"]
    assert "rag-writer" in claims["peggy"]["realm_access"]["roles"]
    admin = bearer(token(keycloak, "carol"))
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        for doc_id, groups in DOCUMENTS.items():
            text = f"The {groups[0]} ledger: {doc_id} figures for the quarter."
            await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(
                    document=common_pb2.Document(
                        id=doc_id, content=text.encode(), content_type="text/plain",
                        access_groups=groups,
                    )
                ),
                timeout=60,
                metadata=admin,
            )  # fmt: skip
        assert await visible(stub, olivia) == {"ldap-finance"}
        assert await visible(stub, peggy) == {"ldap-engineering", "ldap-legal"}

        # Removed from finance in the directory: her next token has no finance, and with it
        # no finance document. The token she already holds keeps its groups until it
        # expires (accessTokenLifespan, 300 s): the delay of a directory change.
        remove_member(directory, "finance", "olivia")
        fresh = token(keycloak, "olivia")
        assert set(jwt_part(fresh, 1).get("groups", [])) == set()
        assert await visible(stub, fresh) == set()
        assert await visible(stub, olivia) == {"ldap-finance"}


@pytest.mark.asyncio(loop_scope="module")
async def test_a_disabled_directory_account_gets_no_token(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    """victor is in the directory, in engineering and rag-reader, with userAccountControl
    514 (ACCOUNTDISABLE): Keycloak refuses him with the right password, as for a wrong one
    no token; peggy's right password works (the refusal is not a broken provider)."""
    refused = login(keycloak, "victor")
    assert refused.status_code in (400, 401), refused.text
    assert "access_token" not in refused.text
    assert refused.json()["error"] == "invalid_grant"
    assert login(keycloak, "peggy").status_code == 200


@pytest.mark.asyncio(loop_scope="module")
async def test_a_directory_writer_grants_only_their_directory_groups(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    """Who may grant access (issue 18 item 3) through the gateway, with groups from the
    directory: peggy (engineering, legal) gives legal, not finance; in a batch the refused
    document fails alone; every refusal is in the gateway's audit trail."""
    peggy = bearer(token(keycloak, "peggy"))

    def doc(doc_id: str, groups: list[str]) -> common_pb2.Document:
        return common_pb2.Document(
            id=doc_id, content=b"peggy's notes", content_type="text/plain", access_groups=groups
        )

    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        await stub.IngestDocument(
            rag_pb2.IngestDocumentRequest(document=doc("ldap-peggy-legal", ["legal"])),
            timeout=60,
            metadata=peggy,
        )
        with pytest.raises(grpc.aio.AioRpcError) as planted:
            await stub.IngestDocument(
                rag_pb2.IngestDocumentRequest(document=doc("ldap-peggy-plant", ["finance"])),
                timeout=60,
                metadata=peggy,
            )
        assert planted.value.code() == Code.PERMISSION_DENIED
        assert "'finance'" in (planted.value.details() or "")
        batch = await stub.BatchIngestDocuments(
            rag_pb2.BatchIngestDocumentsRequest(
                documents=[doc("ldap-peggy-eng", ["engineering"]), doc("ldap-peggy-pub", [])]
            ),
            timeout=60,
            metadata=peggy,
        )
        outcomes = {r.document_id: r for r in batch.results}
        assert outcomes["ldap-peggy-eng"].HasField("result")
        refused = outcomes["ldap-peggy-pub"].error
        assert refused.code == Code.PERMISSION_DENIED.value[0]
        assert refused.reason == "ACCESS_GRANT_DENIED" and "everyone" in refused.message
        # Shared with finance by an admin: peggy reads it (legal) but may not delete it.
        await stub.IngestDocument(
            rag_pb2.IngestDocumentRequest(document=doc("ldap-shared", ["legal", "finance"])),
            timeout=60,
            metadata=bearer(token(keycloak, "carol")),
        )
        with pytest.raises(grpc.aio.AioRpcError) as deleted:
            await stub.DeleteDocument(
                rag_pb2.DeleteDocumentRequest(document_id="ldap-shared"),
                timeout=30,
                metadata=peggy,
            )
        assert deleted.value.code() == Code.PERMISSION_DENIED
        assert "'finance'" in (deleted.value.details() or "")
    log = (mesh.logs / "rag-0.log").read_text()
    audits = [json.loads(line) for line in log.splitlines() if '"ACCESS_GRANT_DENIED"' in line]
    assert len([a for a in audits if a.get("user") == "peggy" and a.get("audit")]) >= 2


async def test_ragmesh_up_ldap_imports_the_directory_with_the_realm(tmp_path: Path) -> None:
    """`ragmesh up --ldap` with a Keycloak of its own: the LDAP provider and its mappers come
    with realm ragmesh's import (no admin call), the bind secret resolved from Keycloak's
    environment rather than written into the import file; directory users then sign in with
    their directory groups, and a disabled account cannot."""
    if not slapd_installed():
        pytest.skip("slapd is not installed: run `make setup` (make slapd)")
    directory = LdapSettings(port=free_port())
    demo_password = os.environ.get("RAGMESH_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    slapd = SlapdProcess(directory, tmp_path, demo_password)
    await slapd.start()
    keycloak: RunningKeycloak | None = None
    try:
        keycloak = await asyncio.to_thread(
            start_keycloak, tmp_path, extension=realm_extension(directory)
        )
        imported = (tmp_path / "keycloak" / "data" / "import" / "realm-ragmesh.json").read_text()
        assert directory.admin_password not in imported
        assert "${" + BIND_CREDENTIAL_ENV + "}" in imported
        with keycloak.admin() as admin:
            providers = admin.get(
                "/components", params={"type": "org.keycloak.storage.UserStorageProvider"}
            ).json()
            assert [(p["name"], p["providerId"]) for p in providers] == [("directory", "ldap")]
            mappers = admin.get("/components", params={"parent": providers[0]["id"]}).json()
            assert {"groups", "roles"} <= {m["name"] for m in mappers}
        claims = jwt_part(await asyncio.to_thread(token, keycloak, "olivia"), 1)
        assert claims["preferred_username"] == "olivia"
        assert set(claims["groups"]) == {"finance"}
        assert "rag-reader" in claims["realm_access"]["roles"]
        refused = await asyncio.to_thread(login, keycloak, "victor")
        assert refused.json().get("error") == "invalid_grant", refused.text
    finally:
        if keycloak is not None:
            keycloak.stop()
        await slapd.stop()

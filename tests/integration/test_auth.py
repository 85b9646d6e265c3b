"""Authentication, per-method roles and document-level access, against the real Keycloak.

One mesh (control plane, Envoy, one replica per core service) trusting the session's
Keycloak. Every check runs twice where it matters: through Envoy (jwt_authn + RBAC) and
straight at a replica (the services verify again), so neither layer relies on the other.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesh.prometheus import PrometheusSettings
from mesh.supervisor import SERVICES, Supervisor, UpSettings
from rag.v1 import (
    agent_pb2,
    agent_pb2_grpc,
    common_pb2,
    graph_pb2,
    graph_pb2_grpc,
    mesh_control_pb2,
    mesh_control_pb2_grpc,
    query_enhancement_pb2,
    rag_pb2,
    rag_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from tests.support.fake_llm import FakeLLM
from tests.support.keycloak import RunningKeycloak, create_client, create_user, jwt_part
from tests.support.processes import REPO, free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

CORE = {
    "rag.v1.EmbeddingService",
    "rag.v1.DocumentProcessorService",
    "rag.v1.VectorStoreService",
    "rag.v1.GenerationService",
    "rag.v1.QueryEnhancementService",
    "rag.v1.RagService",
    "rag.v1.GraphService",
    "rag.v1.AgentService",
}
JWKS_CACHE_S = 3.0
Code = grpc.StatusCode


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(
    keycloak: RunningKeycloak, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Supervisor]:
    llm = FakeLLM()
    hyde = {"RAGMESH_GENERATION_OPENAI_BASE_URL": llm.base_url}
    settings = UpSettings(
        listener_port=free_port(),
        admin_port=free_port(),
        state_dir=Path(tmp_path_factory.mktemp("auth-mesh")),
        services=[
            dataclasses.replace(s, env={**s.env, **hyde})
            if s.service == "rag.v1.GenerationService"
            else s
            for s in SERVICES
            if s.service in CORE
        ],
        drain_delay_s=0.0,
        auth="external",
        keycloak=keycloak.settings,
        jwks_cache_s=JWKS_CACHE_S,
        prometheus=PrometheusSettings(mode="off"),
    )
    supervisor = Supervisor(settings)
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()
        llm.close()


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


def replica_address(mesh: Supervisor, service: str) -> str:
    replica = next(r for r in mesh.replicas if r.launch.service == service)
    return f"127.0.0.1:{replica.port}"


def document(doc_id: str, text: str, groups: list[str]) -> common_pb2.Document:
    return common_pb2.Document(
        id=doc_id, content=text.encode(), content_type="text/plain", access_groups=groups
    )


async def code_of(call: object) -> grpc.StatusCode:
    try:
        await call  # type: ignore[misc]
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    return Code.OK


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_tokens(kc: RunningKeycloak) -> dict[str, str]:
    """Tokens that must all be refused, each for one reason."""
    good = kc.token("alice")
    header, payload, signature = good.split(".")
    claims = jwt_part(good, 1)
    claims["realm_access"] = {"roles": ["rag-admin", "rag-writer", "rag-reader"]}
    escalated = _b64(json.dumps(claims).encode())
    none_header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    flipped = signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")
    return {
        # A valid signature on other claims: the payload was edited after signing.
        "tampered_payload": f"{header}.{escalated}.{signature}",
        "tampered_signature": f"{header}.{payload}.{flipped}",
        "alg_none": f"{none_header}.{escalated}.",
        # Signed by the realm, but the issuer names another host.
        "wrong_issuer": kc.token("alice", host="localhost"),
        # Signed by the realm for a client without the ragmesh audience.
        "wrong_audience": kc.token("alice", client_id="admin-cli"),
        "garbage": "not-a-jwt",
    }


@pytest.mark.asyncio(loop_scope="module")
async def test_calls_without_a_valid_token_are_unauthenticated_at_envoy_and_services(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    request = rag_pb2.AskRequest(question="what is the retry budget?")
    targets = [mesh.envoy_address, replica_address(mesh, "rag.v1.RagService")]
    tokens = forged_tokens(keycloak)
    for target in targets:
        async with grpc.aio.insecure_channel(target) as channel:
            stub = rag_pb2_grpc.RagServiceStub(channel)
            assert await code_of(stub.Ask(request, timeout=30)) == Code.UNAUTHENTICATED
            for reason, token in tokens.items():
                got = await code_of(stub.Ask(request, timeout=30, metadata=bearer(token)))
                assert got == Code.UNAUTHENTICATED, (target == mesh.envoy_address, reason)
            # The real token works at both layers (the mesh has no documents: empty answer ok).
            good = await code_of(
                stub.Ask(request, timeout=60, metadata=bearer(keycloak.token("alice")))
            )
            assert good == Code.OK, target


@pytest.mark.asyncio(loop_scope="module")
async def test_expired_token_is_unauthenticated(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    create_client(keycloak, "ragmesh-short-lived", access_token_lifespan=1)
    token = keycloak.token("alice", client_id="ragmesh-short-lived")
    claims = jwt_part(token, 1)
    # Past expiry plus both layers' clock-skew tolerance (5 s).
    await asyncio.sleep(max(0.0, claims["exp"] + 6.5 - time.time()))
    request = rag_pb2.AskRequest(question="anything")
    for target in (mesh.envoy_address, replica_address(mesh, "rag.v1.RagService")):
        async with grpc.aio.insecure_channel(target) as channel:
            stub = rag_pb2_grpc.RagServiceStub(channel)
            try:
                await stub.Ask(request, timeout=30, metadata=bearer(token))
            except grpc.aio.AioRpcError as exc:
                assert exc.code() == Code.UNAUTHENTICATED, target
                if target != mesh.envoy_address:
                    assert "expired" in (exc.details() or "")
            else:
                pytest.fail(f"expired token accepted by {target}")


@pytest.mark.asyncio(loop_scope="module")
async def test_roles_decide_which_methods_a_caller_may_use(
    mesh: Supervisor, keycloak: RunningKeycloak, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="ragmesh.audit")
    ingest = rag_pb2.IngestDocumentRequest(document=document("roles-doc", "role check", []))
    alice, bob, carol = (keycloak.token(u) for u in ("alice", "bob", "carol"))
    for target in (mesh.envoy_address, replica_address(mesh, "rag.v1.RagService")):
        async with grpc.aio.insecure_channel(target) as channel:
            stub = rag_pb2_grpc.RagServiceStub(channel)
            try:
                await stub.IngestDocument(ingest, timeout=60, metadata=bearer(alice))
            except grpc.aio.AioRpcError as exc:
                assert exc.code() == Code.PERMISSION_DENIED, target
                if target != mesh.envoy_address:
                    assert "rag-writer" in (exc.details() or "")
            else:
                pytest.fail(f"a reader ingested through {target}")
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = rag_pb2_grpc.RagServiceStub(channel)
        written = await stub.IngestDocument(ingest, timeout=60, metadata=bearer(bob))
        assert written.result.chunk_count > 0
        control = mesh_control_pb2_grpc.MeshControlServiceStub(channel)
        listing = mesh_control_pb2.ListEndpointsRequest()
        assert await code_of(control.ListEndpoints(listing, metadata=bearer(bob))) == (
            Code.PERMISSION_DENIED
        )
        endpoints = await control.ListEndpoints(listing, timeout=10, metadata=bearer(carol))
        assert len(endpoints.endpoints) >= len(CORE)

    # Envoy's own refusal reaches the audit trail through its access log (flushed 4x/s).
    async def edge_denial_logged() -> bool:
        return any(
            getattr(r, "method", "") == "/rag.v1.RagService/IngestDocument"
            and getattr(r, "code", "") == "PERMISSION_DENIED"
            and "rbac" in getattr(r, "reason", "")
            for r in caplog.records
        )

    assert await _eventually(edge_denial_logged, 5.0)
    # The audit trail names the writer and the denied reader.
    log = (mesh.logs / "rag-0.log").read_text()
    audits = [json.loads(line) for line in log.splitlines() if '"audit"' in line]
    assert any(a.get("user") == "bob" and a["code"] == "OK" for a in audits)
    assert any(a.get("user") == "alice" and a["code"] == "PERMISSION_DENIED" for a in audits)


@pytest.mark.asyncio(loop_scope="module")
async def test_health_and_reflection_stay_open_to_operators(mesh: Supervisor) -> None:
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        responses = stub.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=10
        )
        names = {s.name async for r in responses for s in r.list_services_response.service}
        assert "rag.v1.RagService" in names


def ragmesh(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mesh.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.asyncio(loop_scope="module")
async def test_cli_login_stores_a_token_that_later_commands_send(
    mesh: Supervisor, keycloak: RunningKeycloak, tmp_path: Path
) -> None:
    env = {"RAGMESH_TOKEN_FILE": str(tmp_path / "token.json"), "RAGMESH_TOKEN": ""}
    kc = ["--keycloak", keycloak.settings.url]
    address = ["--address", mesh.envoy_address]
    anonymous = await asyncio.to_thread(ragmesh, "ask", "anything?", *address, env=env)
    assert anonymous.returncode == 1
    assert "UNAUTHENTICATED" in anonymous.stderr and "ragmesh login" in anonymous.stderr
    refused = await asyncio.to_thread(
        ragmesh, "login", "--user", "bob", "--password-stdin", *kc, env=env, stdin="wrong\n"
    )
    assert refused.returncode == 1 and "refused the login" in refused.stderr
    assert not (tmp_path / "token.json").exists()
    password = keycloak.settings.demo_password + "\n"
    logged_in = await asyncio.to_thread(
        ragmesh, "login", "--user", "bob", "--password-stdin", *kc, env=env, stdin=password
    )
    assert logged_in.returncode == 0, logged_in.stderr
    assert oct((tmp_path / "token.json").stat().st_mode & 0o777) == "0o600"
    note = tmp_path / "cli-note.md"
    note.write_text("The quarterly tide report says the harbour gate opens at dawn.")
    ingested = await asyncio.to_thread(
        ragmesh, "ingest", str(note), "--group", "engineering", *address, env=env
    )
    assert ingested.returncode == 0, ingested.stderr
    asked = await asyncio.to_thread(
        ragmesh, "ask", "When does the harbour gate open?", *address, env=env
    )
    assert asked.returncode == 0, asked.stderr
    assert "cli-note" in asked.stdout  # cited
    # dave (finance) logs in over the same file and cannot see bob's engineering note.
    await asyncio.to_thread(
        ragmesh, "login", "--user", "dave", "--password-stdin", *kc, env=env, stdin=password
    )
    hidden = await asyncio.to_thread(
        ragmesh, "ask", "When does the harbour gate open?", *address, env=env
    )
    assert hidden.returncode == 0 and "cli-note" not in hidden.stdout
    status = await asyncio.to_thread(ragmesh, "status", *address, env=env)
    assert status.returncode == 1 and "PERMISSION_DENIED" in status.stderr


@pytest.mark.asyncio(loop_scope="module")
async def test_a_method_no_contract_names_is_unimplemented_not_denied(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    async with grpc.aio.insecure_channel(mesh.envoy_address) as channel:
        unknown = channel.unary_unary(
            "/rag.v1.RagService/NoSuchMethod",
            request_serializer=lambda raw: raw,
            response_deserializer=lambda raw: raw,
        )
        valid = bearer(keycloak.token("alice"))
        assert await code_of(unknown(b"", timeout=10, metadata=valid)) == Code.UNIMPLEMENTED
        assert await code_of(unknown(b"", timeout=10)) == Code.UNAUTHENTICATED
        no_audience = bearer(keycloak.token("alice", client_id="admin-cli"))
        assert await code_of(unknown(b"", timeout=10, metadata=no_audience)) == (
            Code.UNAUTHENTICATED
        )


# --- document-level access: a property over users, groups and documents ---------------

# The demo users, plus readers made for this test with other group sets (none, several).
USERS = {
    "alice": {"engineering"},
    "dave": {"finance"},
    "bob": {"engineering"},
    "prop-nogroup": set(),
    "prop-eng-fin": {"engineering", "finance"},
    "prop-hr-legal": {"hr", "legal"},
}
GROUPS = ["engineering", "finance", "hr", "legal"]
STRATEGIES = [
    0,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_MULTI_QUERY,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK,
    # Through the FAKE LLM (tests/support/fake_llm.py): no generative model runs here.
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_HYDE,
]
WORDS = ["budget", "salary", "roadmap", "incident", "contract", "launch", "audit", "vendor"]


def visible(groups: list[str], user: str) -> bool:
    return not groups or bool(set(groups) & USERS[user])


# Named companies link documents in the knowledge graph, across access lists.
COMPANIES = ["Acme Robotics", "Borealis Labs", "Cobalt Shipping", "Dunmore Bank"]
documents = st.lists(
    st.tuples(
        st.lists(st.sampled_from(GROUPS), max_size=2, unique=True),
        st.lists(st.sampled_from(WORDS), min_size=3, max_size=6),
        st.lists(st.sampled_from(COMPANIES), min_size=2, max_size=2, unique=True),
    ),
    min_size=1,
    max_size=5,
)


@pytest.mark.asyncio(loop_scope="module")
async def test_no_path_returns_counts_or_cites_a_chunk_the_caller_may_not_see(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    for user, groups in USERS.items():
        if user.startswith("prop-"):
            create_user(keycloak, user, ["rag-reader"], sorted(groups))
    tokens = {user: keycloak.token(user) for user in USERS}
    for user, token in tokens.items():  # the realm agrees with the table above
        assert set(jwt_part(token, 1).get("groups", [])) == USERS[user], user
    writer = keycloak.token("carol")  # admin: may write any access list
    rounds = iter(range(10_000))
    # Hypothesis drives plain functions: use a blocking channel, off the event loop's thread.
    channel = grpc.insecure_channel(mesh.envoy_address)
    rag = rag_pb2_grpc.RagServiceStub(channel)
    store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
    agent = agent_pb2_grpc.AgentServiceStub(channel)
    graph = graph_pb2_grpc.GraphServiceStub(channel)
    graph_hits: list[int] = []

    @settings(
        max_examples=10,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(docs=documents, user=st.sampled_from(sorted(USERS)), word=st.sampled_from(WORDS))
    def check(docs: list[tuple[list[str], list[str], list[str]]], user: str, word: str) -> None:
        prefix = f"acl{next(rounds)}-"
        acl = {f"{prefix}{i}": groups for i, (groups, _, _) in enumerate(docs)}
        for (doc_id, groups), (_, words, (buyer, target)) in zip(acl.items(), docs, strict=True):
            text = f"{buyer} acquired {target}. {' '.join(words)} {word} report {doc_id}."
            rag.IngestDocument(
                rag_pb2.IngestDocumentRequest(document=document(doc_id, text, groups)),
                timeout=60,
                metadata=bearer(writer),
            )
        auth = bearer(tokens[user])
        allowed = {d for d, g in acl.items() if visible(g, user)}

        def only_allowed(ids: list[str], path: str) -> None:
            ours = {i for i in ids if i.startswith(prefix)}
            assert ours <= allowed, f"{path}: {user} saw {sorted(ours - allowed)}"

        # Two named companies: the gateway consults the graph even without use_graph.
        query = f"{word} report on {COMPANIES[0]} and {COMPANIES[1]}"
        found = store.SearchChunks(
            vector_store_pb2.SearchChunksRequest(
                query=query, options=common_pb2.RetrievalOptions(top_k=50)
            ),
            timeout=30,
            metadata=auth,
        )
        only_allowed([c.chunk.document_id for c in found.scored_chunks], "SearchChunks")
        counted = store.CountChunks(
            vector_store_pb2.CountChunksRequest(document_ids=list(acl)), timeout=30, metadata=auth
        ).chunk_count
        truth = (
            store.CountChunks(
                vector_store_pb2.CountChunksRequest(document_ids=sorted(allowed)),
                timeout=30,
                metadata=bearer(writer),
            ).chunk_count
            if allowed
            else 0
        )
        assert counted == truth, f"CountChunks: {user} counted {counted}, may see {truth}"
        for strategy in STRATEGIES:
            answer = rag.Ask(
                rag_pb2.AskRequest(
                    question=query,
                    retrieval=common_pb2.RetrievalOptions(top_k=20),
                    enhancement_strategies=[strategy] if strategy else [],
                ),
                timeout=60,
                metadata=auth,
            )
            path = f"Ask with strategy {strategy}"
            only_allowed([c.document_id for c in answer.citations], path)
            only_allowed(re.findall(r"acl\d+-\d+", answer.answer), path + " (answer text)")
        walked = graph.TraverseGraph(
            graph_pb2.TraverseGraphRequest(question=query, max_hops=2), timeout=30, metadata=auth
        )
        only_allowed([c.document_id for c in walked.supporting_chunks], "TraverseGraph")
        only_allowed(
            [d for path in walked.paths for r in path.relations for d in r.document_ids],
            "TraverseGraph paths",
        )
        graph_hits.append(len(walked.supporting_chunks))
        graph_answer = rag.Ask(
            rag_pb2.AskRequest(
                question=query, retrieval=common_pb2.RetrievalOptions(top_k=20), use_graph=True
            ),
            timeout=60,
            metadata=auth,
        )
        only_allowed([c.document_id for c in graph_answer.citations], "Ask with the graph")
        only_allowed(re.findall(r"acl\d+-\d+", graph_answer.answer), "Ask with the graph (text)")
        run = agent.RunAgent(
            agent_pb2.RunAgentRequest(
                question=f"{query} and {word} details",
                budget=agent_pb2.AgentBudget(max_steps=4),
            ),
            timeout=60,
            metadata=auth,
        ).result
        only_allowed([c.document_id for c in run.citations], "RunAgent citations")
        found = [i.split("#")[0] for s in run.steps for i in s.found_chunk_ids]
        only_allowed(found, "RunAgent trace")
        only_allowed(re.findall(r"acl\d+-\d+", run.answer), "RunAgent answer")
        cited: list[str] = []
        text = ""
        for event in rag.AskStream(
            rag_pb2.AskStreamRequest(
                question=query, retrieval=common_pb2.RetrievalOptions(top_k=20)
            ),
            timeout=60,
            metadata=auth,
        ):
            if event.WhichOneof("event") == "citation":
                cited.append(event.citation.document_id)
            elif event.WhichOneof("event") == "answer_delta":
                text += event.answer_delta
        only_allowed(cited, "AskStream citations")
        only_allowed(re.findall(r"acl\d+-\d+", text), "AskStream text")

    try:
        await asyncio.to_thread(check)
    finally:
        channel.close()
    assert any(graph_hits), "the graph never returned a chunk: the graph paths went untested"


def _kid(token: str) -> str:
    return str(jwt_part(token, 0)["kid"])


async def _codes_everywhere(mesh: Supervisor, token: str) -> set[grpc.StatusCode]:
    """What Ask answers with ``token`` through Envoy and straight at the gateway replica."""
    request = rag_pb2.AskRequest(question="key rotation")
    codes = set()
    for target in (mesh.envoy_address, replica_address(mesh, "rag.v1.RagService")):
        async with grpc.aio.insecure_channel(target) as channel:
            stub = rag_pb2_grpc.RagServiceStub(channel)
            codes.add(await code_of(stub.Ask(request, timeout=30, metadata=bearer(token))))
    return codes


async def _accepted_everywhere(mesh: Supervisor, token: str) -> bool:
    return await _codes_everywhere(mesh, token) == {Code.OK}


async def _refused_everywhere(mesh: Supervisor, token: str) -> bool:
    return await _codes_everywhere(mesh, token) == {Code.UNAUTHENTICATED}


async def _eventually(check: object, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await check():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.5)
    return False


# Last in this module: it changes the realm's signing keys.
@pytest.mark.asyncio(loop_scope="module")
async def test_rotated_realm_key_is_picked_up_without_restarting_anything(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    old_token = keycloak.token("alice")
    assert await _accepted_everywhere(mesh, old_token)
    with keycloak.admin() as admin:
        realm_id = admin.get("").json()["id"]
        providers = admin.get("/components", params={"type": "org.keycloak.keys.KeyProvider"})
        old_rsa = [c for c in providers.json() if c["providerId"] == "rsa-generated"]
        created = admin.post(
            "/components",
            json={
                "name": "rotated-rsa",
                "providerId": "rsa-generated",
                "providerType": "org.keycloak.keys.KeyProvider",
                "parentId": realm_id,
                "config": {"priority": ["500"], "keySize": ["2048"], "algorithm": ["RS256"]},
            },
        )
        assert created.status_code == 201, created.text
        new_token = keycloak.token("alice")
        assert _kid(new_token) != _kid(old_token)
        # Envoy refreshes on its cache period, the services on an unknown kid: both within
        # a few cache periods, with no restart.
        assert await _eventually(lambda: _accepted_everywhere(mesh, new_token), 8 * JWKS_CACHE_S)
        # Retire the old key: tokens it signed stop working once the caches refresh.
        for component in old_rsa:
            component["config"]["enabled"] = ["false"]
            admin.put(f"/components/{component['id']}", json=component).raise_for_status()
    assert await _eventually(lambda: _refused_everywhere(mesh, old_token), 8 * JWKS_CACHE_S)
    assert await _accepted_everywhere(mesh, new_token)
    assert all(replica.restarts == 0 for replica in mesh.replicas)
    assert mesh.envoy is not None and mesh.envoy.running

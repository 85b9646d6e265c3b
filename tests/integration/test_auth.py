"""Authentication, per-method roles and document-level access, against the real Keycloak.

One mesh (control plane, Envoy, one replica per core service) trusting the session's
Keycloak. The token and role checks run twice: through Envoy (jwt_authn + RBAC) and
straight at a replica (the services verify again), so neither layer relies on the other.

Document-level access is a property over users with no, one and several groups and
documents with no, one and several access groups, with the truth computed from the test's
own model. One random seed drives it, printed at the start (replay a failure with
``RAGMESH_PROPERTY_SEED=<seed>``); fixed examples run on every run too. The split:
- in process, 250 generated examples (+3 fixed) against VectorStoreService's store (the
  ``ChunkStore``, where the access filter lives, on an in-memory Chroma): each a history
  of upserts, replacements and deletes, then every document ever stored is read, listed,
  counted and searched as the caller (no leak, no over-filtering, no stale version);
- through the real mesh, 6 generated examples (+1 fixed): ingest through RagService, then
  every document ingested so far is listed, counted and keyword-searched (exactly the
  readable ones) and every Ask, AskStream, TraverseGraph and RunAgent path is checked for
  leaks, through Envoy and straight at the RagService, VectorStoreService, GraphService and
  AgentService replicas.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st

from mesh.local.supervisor import Supervisor
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
from services.runtime.errors import NotFound, PermissionDenied
from services.vector_store.core import (
    UNRESTRICTED,
    Caller,
    ChunkData,
    ChunkStore,
    DocumentInput,
    EmbeddedChunk,
    RetrievalMode,
    SearchQuery,
)
from services.vector_store.settings import VectorStoreSettings
from tests.support.auth_mesh import auth_mesh
from tests.support.keycloak import RunningKeycloak, create_client, create_user, jwt_part
from tests.support.processes import REPO

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
    state_dir = Path(tmp_path_factory.mktemp("auth-mesh"))
    async with auth_mesh(keycloak, state_dir, CORE, jwks_cache_s=JWKS_CACHE_S) as supervisor:
        yield supervisor


Metadata = tuple[tuple[str, str], ...]


def bearer(token: str) -> Metadata:
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
    ingest = rag_pb2.IngestDocumentRequest(
        document=document("roles-doc", "role check", ["engineering"])
    )
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
        [sys.executable, "-m", "ragmesh", *args],
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
#
# Truth comes from the test's own model: a document is readable by a caller when its access
# list is empty or shares a group with the caller's groups. Both parts use one random seed,
# printed at the start (replay with RAGMESH_PROPERTY_SEED=<seed>); the @example cases run
# on every run as well.

GROUPS = ["engineering", "finance", "hr", "legal"]
WORDS = ["budget", "salary", "roadmap", "incident", "contract", "launch", "audit", "vendor"]
SEED = int(os.environ.get("RAGMESH_PROPERTY_SEED") or secrets.randbits(32))
IN_PROCESS_EXAMPLES = 250
MESH_EXAMPLES = 6


def readable(access_groups: Iterable[str], user_groups: Iterable[str]) -> bool:
    wanted = set(access_groups)
    return not wanted or not wanted.isdisjoint(user_groups)


def announce_seed(part: str) -> None:
    # -s shows it at once; otherwise pytest prints captured output with any failure.
    print(f"{part}: hypothesis seed {SEED} (replay: RAGMESH_PROPERTY_SEED={SEED})")


# Access lists with no group (public), one group and several.
access_lists = st.lists(st.sampled_from(GROUPS), max_size=3, unique=True)


# --- in-process: VectorStoreService's store (ChunkStore on an embedded Chroma) -------------

POOL = [f"doc-{i}" for i in range(6)]  # ids are reused: documents get replaced and deleted
DIMS = 4
STORE_HASH = "0" * 64
DENSE, KEYWORD, HYBRID = RetrievalMode.DENSE, RetrievalMode.KEYWORD, RetrievalMode.HYBRID


@dataclasses.dataclass(frozen=True)
class Upsert:
    doc_id: str
    groups: tuple[str, ...]
    chunks: tuple[tuple[str, ...], ...]  # the words of each chunk

    def text(self, position: int) -> str:
        return f"{' '.join(self.chunks[position])} ({self.doc_id} part {position})"


@dataclasses.dataclass(frozen=True)
class Delete:
    doc_id: str


Operation = Upsert | Delete
operations = st.lists(
    st.one_of(
        st.builds(
            Upsert,
            st.sampled_from(POOL),
            access_lists.map(tuple),
            st.lists(
                st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(tuple),
                min_size=1,
                max_size=3,
            ).map(tuple),
        ),
        st.builds(Delete, st.sampled_from(POOL)),
    ),
    min_size=1,
    max_size=8,
)
# Callers with no group, one group and several, including groups no document names.
user_groups = st.frozensets(st.sampled_from([*GROUPS, "ops"]), max_size=3)


def vector(text: str) -> list[float]:
    raw = np.frombuffer(hashlib.sha256(text.encode()).digest()[:DIMS], dtype=np.uint8)
    v = raw.astype(np.float32) + 1.0
    return (v / np.linalg.norm(v)).tolist()  # type: ignore[no-any-return]


def upsert_input(op: Upsert) -> tuple[DocumentInput, list[EmbeddedChunk]]:
    """The document and embedded chunks an Upsert writes."""
    chunks = [
        EmbeddedChunk(
            ChunkData(id=f"{op.doc_id}#{i}", document_id=op.doc_id, position=i, text=t),
            vector(t),
        )
        for i in range(len(op.chunks))
        for t in [op.text(i)]
    ]
    return DocumentInput(op.doc_id, STORE_HASH, access_groups=op.groups), chunks


@dataclasses.dataclass
class StoreModel:
    """What the store must hold: the live version of each document, and every id ever used."""

    live: dict[str, Upsert] = dataclasses.field(default_factory=dict)
    ever: set[str] = dataclasses.field(default_factory=set)

    def apply(self, store: ChunkStore, op: Operation) -> None:
        if isinstance(op, Upsert):
            store.upsert(*upsert_input(op))
            self.live[op.doc_id] = op
            self.ever.add(op.doc_id)
        else:
            store.delete(op.doc_id, allow_missing=True)
            self.live.pop(op.doc_id, None)


def check_store(
    store: ChunkStore, model: StoreModel, groups: frozenset[str], word: str, mode: RetrievalMode
) -> None:
    caller = Caller(groups)
    visible = {d: u for d, u in model.live.items() if readable(u.groups, groups)}
    # Every document ever stored: read and paged exactly when the caller may read it.
    for doc_id in sorted(model.ever):
        if doc_id in visible:
            got = store.get_document(doc_id, caller)
            assert set(got.access_groups) == set(visible[doc_id].groups)
            texts = [c.text for c in store.list_chunks(doc_id, caller=caller).chunks]
            assert texts == [visible[doc_id].text(i) for i in range(len(texts))]
            assert len(texts) == len(visible[doc_id].chunks)
        else:
            with pytest.raises(NotFound):
                store.get_document(doc_id, caller)
            with pytest.raises(NotFound):
                store.list_chunks(doc_id, caller=caller)
    listed = {d.id for d in store.list_documents(page_size=1000, caller=caller).documents}
    assert listed == set(visible), "ListDocuments"
    chunk_total = sum(len(u.chunks) for u in visible.values())
    for ids in ((), sorted(model.ever)):
        counted = store.count_chunks(document_ids=ids, caller=caller)
        assert (counted.chunk_count, counted.document_count) == (chunk_total, len(visible))
    # Search: nothing unreadable, nothing stale, and every readable chunk that matches.
    query = SearchQuery(text=word, embedding=vector(word), mode=mode, top_k=100)
    result = store.search(query, caller)
    found = {(c.chunk.document_id, c.chunk.position): c.chunk for c in result.chunks}
    allowed = {(d, i) for d, u in visible.items() for i in range(len(u.chunks))}
    assert set(found) <= allowed, f"{mode}: leaked {sorted(set(found) - allowed)}"
    for (doc_id, position), chunk in found.items():
        assert chunk.text == visible[doc_id].text(position), "a replaced version was returned"
        assert set(chunk.access_groups) == set(visible[doc_id].groups)
    # Dense search ranks every chunk (top_k exceeds the store); keyword needs the word.
    matching = {
        (d, i)
        for d, u in visible.items()
        for i, words in enumerate(u.chunks)
        if mode is DENSE or word in words
    }
    assert matching <= set(found), f"{mode}: missed {sorted(matching - set(found))}"


@pytest.fixture(scope="module")
def chroma() -> Any:
    """Chroma in memory: the same query engine and filters as on disk, without the I/O."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))


# A reader outside the only group of a document that was public before.
REPLACED_PUBLIC = (
    [Upsert("doc-0", (), (("budget",),)), Upsert("doc-0", ("hr",), (("budget",),))],
    frozenset({"engineering"}),
    "budget",
    HYBRID,
)
# Several groups on both sides sharing one; a deleted document; a group no document names.
SHARED_AND_DELETED = (
    [
        Upsert("doc-1", ("finance", "legal"), (("audit", "vendor"), ("audit",))),
        Upsert("doc-2", ("hr",), (("audit",),)),
        Upsert("doc-3", (), (("audit",),)),
        Delete("doc-3"),
    ],
    frozenset({"legal", "ops"}),
    "audit",
    KEYWORD,
)
# A caller with no group sees public documents only.
NO_GROUP = (
    [Upsert("doc-4", ("engineering",), (("launch",),)), Upsert("doc-5", (), (("launch",),))],
    frozenset(),
    "launch",
    DENSE,
)


def test_the_store_returns_exactly_what_the_caller_may_read(chroma: Any) -> None:
    """In process, IN_PROCESS_EXAMPLES generated examples (plus the fixed ones): a fresh
    store per example, its history of upserts, replacements and deletes applied, then every
    document ever stored checked for the caller (get, list chunks, list, count, search)."""
    announce_seed("in-process access property")
    ran: list[int] = []

    @seed(SEED)
    @settings(
        max_examples=IN_PROCESS_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        history=operations,
        groups=user_groups,
        word=st.sampled_from(WORDS),
        mode=st.sampled_from([KEYWORD, HYBRID, DENSE]),
    )
    @example(*REPLACED_PUBLIC)
    @example(*SHARED_AND_DELETED)
    @example(*NO_GROUP)
    def check(
        history: list[Operation], groups: frozenset[str], word: str, mode: RetrievalMode
    ) -> None:
        ran.append(1)
        prefix = f"acl{secrets.token_hex(4)}"
        store = ChunkStore(
            chroma,
            VectorStoreSettings(
                collection_prefix=prefix, dimensions=DIMS, embedding_model_id="test-model"
            ),
        )
        # Collections are left in place: after delete_collection, Chroma 1.5.9 lets a record
        # of a new collection inherit the list metadata (acl_groups!) of a deleted one's
        # record, so where-filters match groups it never had (chroma-core/chroma#7594). The
        # services never delete a collection; after dropping one by hand, start the store
        # on a new folder.
        model = StoreModel()
        for op in history:
            model.apply(store, op)
        check_store(store, model, groups, word, mode)

    check()
    assert len(ran) >= IN_PROCESS_EXAMPLES


# --- writers: who may create, replace and delete (issue 18) -------------------------------
#
# The truth is the rule as stated, on the test's own model: a writer (None: rag-admin) may
# give a document an access list only if every group in it is theirs, and an empty one
# (everyone) only where the deployment allows it; a stored document may be replaced or
# deleted only by a writer who could have given it its current list.

WRITER_EXAMPLES = 150


@dataclasses.dataclass(frozen=True)
class Write:
    writer: frozenset[str] | None  # the writer's groups; None: rag-admin
    op: Operation


writes = st.lists(
    st.builds(Write, st.one_of(st.none(), user_groups), operations.map(lambda ops: ops[0])),
    min_size=1,
    max_size=10,
)


def may_grant(writer: frozenset[str] | None, groups: Iterable[str], everyone: bool) -> bool:
    wanted = set(groups)
    return writer is None or (wanted <= writer and (bool(wanted) or everyone))


def apply_write(store: ChunkStore, model: StoreModel, write: Write, everyone: bool) -> None:
    """One write as its writer; it must succeed exactly when the rule allows it, and a
    refused write must change nothing (checked by the caller against the model)."""
    writer, op = write.writer, write.op
    caller = UNRESTRICTED if writer is None else Caller(writer, everyone, "prop-writer")
    stored = model.live.get(op.doc_id)
    if isinstance(op, Upsert):
        allowed = may_grant(writer, op.groups, everyone) and (
            stored is None or may_grant(writer, stored.groups, everyone)
        )
        if not allowed:
            with pytest.raises(PermissionDenied):
                store.upsert(*upsert_input(op), caller=caller)
            return
        store.upsert(*upsert_input(op), caller=caller)
        model.live[op.doc_id] = op
        model.ever.add(op.doc_id)
        return
    if stored is None or (writer is not None and not readable(stored.groups, writer)):
        with pytest.raises(NotFound):  # a hidden document is not found, as a missing one
            store.delete(op.doc_id, caller=caller)
    elif not may_grant(writer, stored.groups, everyone):
        with pytest.raises(PermissionDenied):
            store.delete(op.doc_id, caller=caller)
    else:
        store.delete(op.doc_id, caller=caller)
        del model.live[op.doc_id]


def check_stored(store: ChunkStore, model: StoreModel) -> None:
    """As an admin: exactly the model's documents, with their lists and chunks."""
    listed = store.list_documents(page_size=1000).documents
    assert {d.id: set(d.access_groups) for d in listed} == {
        d: set(u.groups) for d, u in model.live.items()
    }
    for doc_id, upsert in model.live.items():
        texts = [c.text for c in store.list_chunks(doc_id).chunks]
        assert texts == [upsert.text(i) for i in range(len(upsert.chunks))]


# bob (engineering) plants a finance document, then a public one with "everyone" off.
PLANTED = ([Write(frozenset({"engineering"}), Upsert("doc-0", ("finance",), (("budget",),)))],
           False)  # fmt: skip
# A document engineering and finance read: an engineering writer may read it, not touch it.
SHARED = (
    [
        Write(None, Upsert("doc-1", ("engineering", "finance"), (("audit",),))),
        Write(frozenset({"engineering"}), Upsert("doc-1", ("engineering",), (("audit",),))),
        Write(frozenset({"engineering"}), Delete("doc-1")),
        Write(frozenset({"engineering", "finance"}), Delete("doc-1")),
    ],
    False,
)
# A public document: only with "everyone" allowed may a writer replace or delete it.
PUBLIC = (
    [
        Write(None, Upsert("doc-2", (), (("launch",),))),
        Write(frozenset({"hr"}), Upsert("doc-2", ("hr",), (("launch",),))),
        Write(frozenset(), Delete("doc-2")),
    ],
    True,
)


def test_no_writer_creates_replaces_or_deletes_a_document_a_group_they_are_not_in_reads(
    chroma: Any,
) -> None:
    """In process, WRITER_EXAMPLES generated histories of writes by writers with no, one
    and several groups and by admins, with "everyone" allowed or not: every write succeeds
    exactly when its writer could grant both the new and the stored access list, and the
    store holds exactly what the allowed writes left (nothing of a refused one)."""
    announce_seed("in-process writer property")
    ran: list[int] = []

    @seed(SEED)
    @settings(
        max_examples=WRITER_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(history=writes, everyone=st.booleans())
    @example(*PLANTED)
    @example(*SHARED)
    @example(*PUBLIC)
    def check(history: list[Write], everyone: bool) -> None:
        ran.append(1)
        store = ChunkStore(
            chroma,
            VectorStoreSettings(
                collection_prefix=f"acw{secrets.token_hex(4)}",
                dimensions=DIMS,
                embedding_model_id="test-model",
            ),
        )
        model = StoreModel()
        for write in history:
            before = dict(model.live)
            apply_write(store, model, write, everyone)
            if write.writer is not None and model.live != before:
                # The property itself: whatever a writer changed, they could grant.
                touched = {write.op.doc_id}
                for doc_id in touched:
                    for version in (before.get(doc_id), model.live.get(doc_id)):
                        if version is not None:
                            assert set(version.groups) <= write.writer
                            assert version.groups or everyone
            check_stored(store, model)

    check()
    assert len(ran) >= WRITER_EXAMPLES


# --- through the real mesh: a sample, at Envoy and straight at the replicas ---------------

# The demo users, plus readers made for this test with other group sets (none, several).
USERS = {
    "alice": {"engineering"},
    "dave": {"finance"},
    "bob": {"engineering"},
    "prop-nogroup": set(),
    "prop-eng-fin": {"engineering", "finance"},
    "prop-hr-legal": {"hr", "legal"},
}
STRATEGIES = [
    0,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_MULTI_QUERY,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK,
    # Through the FAKE LLM (tests/support/fake_llm.py): no generative model runs here.
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_HYDE,
]
# Named companies link documents in the knowledge graph, across access lists.
COMPANIES = ["Acme Robotics", "Borealis Labs", "Cobalt Shipping", "Dunmore Bank"]
MESH_ID = re.compile(r"acl\d+-\d+")
documents = st.lists(
    st.tuples(
        access_lists,
        st.lists(st.sampled_from(WORDS), min_size=3, max_size=6),
        st.lists(st.sampled_from(COMPANIES), min_size=2, max_size=2, unique=True),
    ),
    min_size=1,
    max_size=4,
)


@dataclasses.dataclass(frozen=True)
class MeshDocument:
    groups: tuple[str, ...]
    words: frozenset[str]
    chunk_count: int  # as the writer's ingest reported it


@dataclasses.dataclass(frozen=True)
class Paths:
    """One stub per service, all on Envoy's channel or each on its own replica's."""

    name: str
    rag: rag_pb2_grpc.RagServiceStub
    store: vector_store_pb2_grpc.VectorStoreServiceStub
    graph: graph_pb2_grpc.GraphServiceStub
    agent: agent_pb2_grpc.AgentServiceStub


def mesh_paths(mesh: Supervisor) -> tuple[list[Paths], list[grpc.Channel]]:
    envoy = grpc.insecure_channel(mesh.envoy_address)
    direct = {
        service: grpc.insecure_channel(replica_address(mesh, f"rag.v1.{service}"))
        for service in ("RagService", "VectorStoreService", "GraphService", "AgentService")
    }
    paths = [
        Paths(
            "Envoy",
            rag_pb2_grpc.RagServiceStub(envoy),
            vector_store_pb2_grpc.VectorStoreServiceStub(envoy),
            graph_pb2_grpc.GraphServiceStub(envoy),
            agent_pb2_grpc.AgentServiceStub(envoy),
        ),
        Paths(
            "replica",
            rag_pb2_grpc.RagServiceStub(direct["RagService"]),
            vector_store_pb2_grpc.VectorStoreServiceStub(direct["VectorStoreService"]),
            graph_pb2_grpc.GraphServiceStub(direct["GraphService"]),
            agent_pb2_grpc.AgentServiceStub(direct["AgentService"]),
        ),
    ]
    return paths, [envoy, *direct.values()]


def listed_ids(store: vector_store_pb2_grpc.VectorStoreServiceStub, auth: Metadata) -> set[str]:
    ids: set[str] = set()
    token = ""
    while True:
        page = store.ListDocuments(
            vector_store_pb2.VectorStoreServiceListDocumentsRequest(
                page_size=1000, page_token=token
            ),
            timeout=30,
            metadata=auth,
        )
        ids |= {d.id for d in page.documents}
        token = page.next_page_token
        if not token:
            return ids


def check_mesh_paths(
    path: Paths, stored: dict[str, MeshDocument], user: str, auth: Metadata, word: str
) -> list[int]:
    """Every document the test ever stored, for ``user`` on one path; the graph's hits."""
    allowed = {d for d, doc in stored.items() if readable(doc.groups, USERS[user])}
    where = f"{path.name}, {user}"

    def only_allowed(ids: Iterable[str], what: str) -> None:
        ours = {i for i in ids if MESH_ID.fullmatch(i)}
        assert ours <= allowed, f"{what} at {where}: saw {sorted(ours - allowed)}"

    # Listed and counted: exactly the readable ones (no leak, no over-filtering).
    listed = {i for i in listed_ids(path.store, auth) if MESH_ID.fullmatch(i)}
    assert listed == allowed, f"ListDocuments at {where}: {sorted(listed ^ allowed)}"
    counted = path.store.CountChunks(
        vector_store_pb2.CountChunksRequest(document_ids=sorted(stored)), timeout=30, metadata=auth
    )
    assert counted.chunk_count == sum(stored[d].chunk_count for d in allowed), where
    assert counted.document_count == len(allowed), where
    # Keyword search for the word: every readable document with it, nothing else.
    keyword = path.store.SearchChunks(
        vector_store_pb2.SearchChunksRequest(
            query=word,
            options=common_pb2.RetrievalOptions(mode=common_pb2.RETRIEVAL_MODE_KEYWORD, top_k=100),
        ),
        timeout=30,
        metadata=auth,
    )
    hits = {c.chunk.document_id for c in keyword.scored_chunks}
    only_allowed(hits, "SearchChunks (keyword)")
    matching = {d for d in allowed if word in stored[d].words}
    assert matching <= hits, f"SearchChunks (keyword) at {where} missed {sorted(matching - hits)}"

    # Every other path that returns, cites or mentions documents: nothing unreadable.
    # Two named companies: the gateway consults the graph even without use_graph.
    query = f"{word} report on {COMPANIES[0]} and {COMPANIES[1]}"
    found = path.store.SearchChunks(
        vector_store_pb2.SearchChunksRequest(
            query=query, options=common_pb2.RetrievalOptions(top_k=50)
        ),
        timeout=30,
        metadata=auth,
    )
    only_allowed([c.chunk.document_id for c in found.scored_chunks], "SearchChunks (hybrid)")
    for strategy in STRATEGIES:
        answer = path.rag.Ask(
            rag_pb2.AskRequest(
                question=query,
                retrieval=common_pb2.RetrievalOptions(top_k=20),
                enhancement_strategies=[strategy] if strategy else [],
            ),
            timeout=60,
            metadata=auth,
        )
        what = f"Ask with strategy {strategy}"
        only_allowed([c.document_id for c in answer.citations], what)
        only_allowed(MESH_ID.findall(answer.answer), what + " (answer text)")
    walked = path.graph.TraverseGraph(
        graph_pb2.TraverseGraphRequest(question=query, max_hops=2), timeout=30, metadata=auth
    )
    only_allowed([c.document_id for c in walked.supporting_chunks], "TraverseGraph")
    only_allowed(
        [d for p in walked.paths for r in p.relations for d in r.document_ids],
        "TraverseGraph paths",
    )
    graph_answer = path.rag.Ask(
        rag_pb2.AskRequest(
            question=query, retrieval=common_pb2.RetrievalOptions(top_k=20), use_graph=True
        ),
        timeout=60,
        metadata=auth,
    )
    only_allowed([c.document_id for c in graph_answer.citations], "Ask with the graph")
    only_allowed(MESH_ID.findall(graph_answer.answer), "Ask with the graph (text)")
    run = path.agent.RunAgent(
        agent_pb2.RunAgentRequest(
            question=f"{query} and {word} details", budget=agent_pb2.AgentBudget(max_steps=4)
        ),
        timeout=60,
        metadata=auth,
    ).result
    only_allowed([c.document_id for c in run.citations], "RunAgent citations")
    only_allowed([i.split("#")[0] for s in run.steps for i in s.found_chunk_ids], "RunAgent trace")
    only_allowed(MESH_ID.findall(run.answer), "RunAgent answer")
    cited: list[str] = []
    text = ""
    for event in path.rag.AskStream(
        rag_pb2.AskStreamRequest(question=query, retrieval=common_pb2.RetrievalOptions(top_k=20)),
        timeout=60,
        metadata=auth,
    ):
        if event.WhichOneof("event") == "citation":
            cited.append(event.citation.document_id)
        elif event.WhichOneof("event") == "answer_delta":
            text += event.answer_delta
    only_allowed(cited, "AskStream citations")
    only_allowed(MESH_ID.findall(text), "AskStream text")
    return [len(walked.supporting_chunks)]


@pytest.mark.asyncio(loop_scope="module")
async def test_no_path_returns_counts_or_cites_a_chunk_the_caller_may_not_see(
    mesh: Supervisor, keycloak: RunningKeycloak
) -> None:
    """Through the real mesh, MESH_EXAMPLES generated examples plus a fixed one (the bulk of
    the examples runs in process, above): ingest through RagService, then for the drawn
    user every document ingested so far is checked, through Envoy and straight at the
    RagService, VectorStoreService, GraphService and AgentService replicas."""
    announce_seed("mesh access property")
    for user, groups in USERS.items():
        if user.startswith("prop-"):
            create_user(keycloak, user, ["rag-reader"], sorted(groups))
    tokens = {user: keycloak.token(user) for user in USERS}
    for user, token in tokens.items():  # the realm agrees with the table above
        assert set(jwt_part(token, 1).get("groups", [])) == USERS[user], user
    writer = bearer(keycloak.token("carol"))  # admin: may write any access list
    rounds = iter(range(10_000))
    stored: dict[str, MeshDocument] = {}  # every document this test ever ingested
    graph_hits: list[int] = []
    ran: list[int] = []
    # Hypothesis drives plain functions: blocking channels, off the event loop's thread.
    paths, channels = mesh_paths(mesh)

    @seed(SEED)
    @settings(
        max_examples=MESH_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        # The mesh's state outlives an example, so neither replay from a database nor
        # shrinking would run a failure alone; the seed and the printed example replay it.
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )
    @given(docs=documents, user=st.sampled_from(sorted(USERS)), word=st.sampled_from(WORDS))
    # Several groups on each side, a public document, and a reader with no group.
    @example(
        docs=[
            (["hr", "legal"], ["audit", "vendor", "audit"], ["Acme Robotics", "Borealis Labs"]),
            ([], ["audit", "launch", "budget"], ["Borealis Labs", "Cobalt Shipping"]),
            (["finance"], ["audit", "salary", "budget"], ["Acme Robotics", "Dunmore Bank"]),
        ],
        user="prop-nogroup",
        word="audit",
    )
    def check(docs: list[tuple[list[str], list[str], list[str]]], user: str, word: str) -> None:
        ran.append(1)
        prefix = f"acl{next(rounds)}-"
        for i, (groups, words, (buyer, target)) in enumerate(docs):
            doc_id = f"{prefix}{i}"
            text = f"{buyer} acquired {target}. {' '.join(words)} {word} report {doc_id}."
            written = paths[0].rag.IngestDocument(
                rag_pb2.IngestDocumentRequest(document=document(doc_id, text, groups)),
                timeout=60,
                metadata=writer,
            )
            stored[doc_id] = MeshDocument(
                tuple(groups), frozenset([*words, word]), written.result.chunk_count
            )
        for path in paths:
            graph_hits.extend(check_mesh_paths(path, stored, user, bearer(tokens[user]), word))

    try:
        await asyncio.to_thread(check)
    finally:
        for channel in channels:
            channel.close()
    assert len(ran) >= MESH_EXAMPLES + 1
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

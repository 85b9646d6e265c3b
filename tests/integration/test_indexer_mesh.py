"""The indexer in a real mesh: a watched folder, webhooks, poisoned files and a SIGKILL.

Supervisor, control plane, Envoy and one replica of each service the ingest path needs
(embedding, processor, vector store, graph, gateway) plus the indexer watching a temporary
folder. What the tests check is what a user sees through Envoy: a chunk is searchable, or
gone; the dead letters say why; after a crash nothing is lost or stored twice.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from google.protobuf import duration_pb2

from mesh.local.supervisor import SERVICES, Replica, Supervisor, UpSettings
from rag.v1 import (
    common_pb2,
    document_processor_pb2,
    document_processor_pb2_grpc,
    indexer_pb2,
    indexer_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from services.indexer.confluence import sign
from services.indexer.detection import safe_key
from tests.support.git_repo import GitRepo
from tests.support.postgres import PostgresServer, start_server
from tests.support.processes import free_port
from tests.support.s3_server import S3Server
from tests.support.s3_server import start_server as start_s3_server

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

NEEDED = {
    "rag.v1.EmbeddingService",
    "rag.v1.DocumentProcessorService",
    "rag.v1.VectorStoreService",
    "rag.v1.GraphService",
    "rag.v1.RagService",
    "rag.v1.IndexerService",
}
# Generous: these bound a hung indexer, they do not measure speed (bench.freshness does).
WITHIN_S = 60.0
FIXTURES = Path(__file__).parent.parent / "fixtures"
# Secrets the S3 and Confluence sources name: variables of the indexer's environment.
SOURCE_SECRETS = {
    "KB_S3_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "KB_S3_SECRET": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "WIKI_HOOK_SECRET": "confluence-webhook-secret",
}


class Mesh:
    def __init__(self, supervisor: Supervisor, folder: Path, webhook_port: int) -> None:
        self.supervisor = supervisor
        self.folder = folder
        self.webhook_port = webhook_port
        self.channel = grpc.aio.insecure_channel(supervisor.envoy_address)
        self.store = vector_store_pb2_grpc.VectorStoreServiceStub(self.channel)
        self.indexer = indexer_pb2_grpc.IndexerServiceStub(self.channel)
        self.processor = document_processor_pb2_grpc.DocumentProcessorServiceStub(self.channel)
        self.source_id = ""

    async def search(self, word: str) -> set[str]:
        """Ids of documents with a chunk containing ``word`` (keyword search)."""
        response = await self.store.SearchChunks(
            vector_store_pb2.SearchChunksRequest(
                query=word,
                options=common_pb2.RetrievalOptions(
                    mode=common_pb2.RETRIEVAL_MODE_KEYWORD, top_k=100
                ),
            ),
            timeout=10,
        )
        return {c.chunk.document_id for c in response.scored_chunks if word in c.chunk.text}

    async def chunks(self, document_id: str) -> list[common_pb2.Chunk]:
        out: list[common_pb2.Chunk] = []
        token = ""
        while True:
            try:
                page = await self.store.ListChunks(
                    vector_store_pb2.ListChunksRequest(
                        document_id=document_id, page_size=100, page_token=token
                    ),
                    timeout=10,
                )
            except grpc.aio.AioRpcError as exc:
                if exc.code() == grpc.StatusCode.NOT_FOUND:
                    return []
                raise
            out.extend(page.chunks)
            token = page.next_page_token
            if not token:
                return out

    def doc(self, relative: str) -> str:
        return f"{self.source_id}:{relative}"

    async def dead_letters(self) -> list[indexer_pb2.DeadLetter]:
        response = await self.indexer.ListDeadLetters(
            indexer_pb2.ListDeadLettersRequest(page_size=500), timeout=10
        )
        return list(response.dead_letters)


async def until(check: Callable[[], Awaitable[bool]], what: str, within: float = WITHIN_S) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if await check():
                return
        except grpc.aio.AioRpcError as exc:
            if exc.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.NOT_FOUND):
                raise
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {within}s: {what}")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mesh(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Mesh]:
    folder = tmp_path_factory.mktemp("watched")
    webhook_port = free_port()
    supervisor = Supervisor(
        UpSettings(
            replicas=1,
            listener_port=free_port(),
            admin_port=free_port(),
            state_dir=tmp_path_factory.mktemp("mesh"),
            drain_delay_s=0.0,
            services=[s for s in SERVICES if s.service in NEEDED],
            watch=[folder],
            indexer_webhook_port=webhook_port,
            replica_env=SOURCE_SECRETS,
        )
    )
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        running = Mesh(supervisor, folder, webhook_port)
        sources = await running.indexer.ListSources(indexer_pb2.ListSourcesRequest(), timeout=10)
        running.source_id = next(
            s.id for s in sources.sources if s.filesystem.path == str(folder.resolve())
        )
        yield running
        await running.channel.close()
    finally:
        await supervisor.stop()


@pytest.mark.asyncio(loop_scope="module")
async def test_create_modify_rename_delete_in_the_watched_folder(mesh: Mesh) -> None:
    first, second = f"alpha{uuid.uuid4().hex[:8]}", f"bravo{uuid.uuid4().hex[:8]}"
    note = mesh.folder / "notes" / "plan.md"
    note.parent.mkdir()
    note.write_text(f"# Plan\n\nThe launch code word is {first}.\n")
    await until(lambda: _has(mesh, first, {mesh.doc("notes/plan.md")}), "created file searchable")

    note.write_text(f"# Plan\n\nThe launch code word is now {second}.\n")
    await until(lambda: _has(mesh, second, {mesh.doc("notes/plan.md")}), "edit searchable")
    assert await mesh.search(first) == set()  # the old version is gone, not mixed in

    note.rename(mesh.folder / "plan-final.md")
    await until(lambda: _has(mesh, second, {mesh.doc("plan-final.md")}), "renamed file searchable")
    assert await mesh.chunks(mesh.doc("notes/plan.md")) == []

    (mesh.folder / "plan-final.md").unlink()
    await until(lambda: _has(mesh, second, set()), "deleted file gone")
    assert await mesh.chunks(mesh.doc("plan-final.md")) == []


async def _has(mesh: Mesh, word: str, documents: set[str]) -> bool:
    return await mesh.search(word) == documents


@pytest.mark.asyncio(loop_scope="module")
async def test_poisoned_files_are_dead_lettered_and_do_not_stall_the_queue(mesh: Mesh) -> None:
    (mesh.folder / "garbage.txt").write_bytes(os.urandom(64 * 1024))
    (mesh.folder / "latin1.md").write_bytes("caf\xe9 cr\xe8me br\xfbl\xe9e".encode("latin-1"))
    with (mesh.folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB of NULs, written without using 50 MB of RAM
    marker = f"charlie{uuid.uuid4().hex[:8]}"
    (mesh.folder / "after.md").write_text(f"Written after the poison: {marker}.")
    await until(lambda: _has(mesh, marker, {mesh.doc("after.md")}), "queue not stalled")

    poisoned = {mesh.doc(n) for n in ("garbage.txt", "latin1.md", "huge.txt")}

    async def all_dead() -> bool:
        return poisoned <= {d.change.document_id for d in await mesh.dead_letters()}

    await until(all_dead, "poisoned files dead-lettered")
    reasons = {d.change.document_id: d.change.last_error for d in await mesh.dead_letters()}
    assert "UNDECODABLE_CONTENT" in reasons[mesh.doc("garbage.txt")]
    assert "UNDECODABLE_CONTENT" in reasons[mesh.doc("latin1.md")]
    assert "DOCUMENT_TOO_LARGE" in reasons[mesh.doc("huge.txt")]
    for document_id in poisoned:
        assert await mesh.chunks(document_id) == []

    # The operator fixes a file; the detector picks up the new content on its own, and the
    # stale dead letter can no longer be retried, only purged.
    (mesh.folder / "latin1.md").write_text("caf\xe9 cr\xe8me br\xfbl\xe9e, now in UTF-8")
    await until(lambda: _has(mesh, "UTF", {mesh.doc("latin1.md")}), "fixed file searchable")
    stale = next(
        d.change.id for d in await mesh.dead_letters()
        if d.change.document_id == mesh.doc("latin1.md")
    )  # fmt: skip
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await mesh.indexer.RetryDeadLetter(
            indexer_pb2.RetryDeadLetterRequest(change_id=stale), timeout=10
        )
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    purged = await mesh.indexer.PurgeDeadLetter(
        indexer_pb2.PurgeDeadLetterRequest(change_id=stale), timeout=10
    )
    assert purged.dead_letter.change.id == stale
    (mesh.folder / "huge.txt").unlink()
    (mesh.folder / "garbage.txt").unlink()


@pytest.mark.asyncio(loop_scope="module")
async def test_webhooks_over_http_and_grpc(mesh: Mesh) -> None:
    word = f"delta{uuid.uuid4().hex[:8]}"
    body = json.dumps(
        {
            "idempotencyKey": f"delivery-{word}",
            "kind": "CHANGE_KIND_UPSERT",
            "document": {
                "id": f"cms:{word}",
                "contentType": "text/markdown",
                "content": _b64(f"# CMS page\n\nPublished with the word {word}."),
                "accessGroups": ["editors"],
            },
        }
    ).encode()

    def post() -> tuple[int, dict[str, object]]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{mesh.webhook_port}/v1/changes",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, reply = await asyncio.to_thread(post)
    assert status == 202, reply
    change_id = reply["change"]["id"]  # type: ignore[index]
    again_status, again = await asyncio.to_thread(post)  # a redelivery: same change
    assert again_status == 202 and again["change"]["id"] == change_id  # type: ignore[index]
    await until(lambda: _has(mesh, word, {f"cms:{word}"}), "webhook upsert searchable")
    chunk = (await mesh.chunks(f"cms:{word}"))[0]
    assert list(chunk.access_groups) == ["editors"]

    async def applied(change: str) -> bool:
        got = await mesh.indexer.GetChange(indexer_pb2.GetChangeRequest(change_id=change))
        return got.change.state == indexer_pb2.CHANGE_STATE_APPLIED

    await until(lambda: applied(change_id), "change reported APPLIED")
    deletion = await mesh.indexer.NotifyChange(
        indexer_pb2.NotifyChangeRequest(
            idempotency_key=f"delete-{word}",
            kind=indexer_pb2.CHANGE_KIND_DELETE,
            document=common_pb2.Document(id=f"cms:{word}"),
        ),
        timeout=10,
    )
    await until(lambda: _has(mesh, word, set()), "webhook deletion applied")
    await until(lambda: applied(deletion.change.id), "deletion reported APPLIED")

    bad = await asyncio.to_thread(
        lambda: _post_raw(mesh.webhook_port, b'{"kind": "CHANGE_KIND_UPSERT"}')
    )
    assert bad == 400


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _post_raw(port: int, body: bytes) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/changes", data=body, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.asyncio(loop_scope="module")
async def test_sigkill_mid_batch_then_restart_applies_everything_once(mesh: Mesh) -> None:
    batch = mesh.folder / "batch"
    batch.mkdir()
    count = 40
    word = f"echo{uuid.uuid4().hex[:8]}"
    contents = {}
    for i in range(count):
        paragraphs = [
            f"Section {j} of report {i}. " + ("Findings are recorded here in detail. " * 12)
            for j in range(4)
        ]
        contents[f"batch/r{i:02d}.md"] = f"# Report {i} {word}\n\n" + "\n\n".join(paragraphs)
    for rel, text in contents.items():
        (mesh.folder / rel).write_text(text)

    async def mid_batch() -> bool:
        status = await mesh.indexer.GetIndexerStatus(
            indexer_pb2.GetIndexerStatusRequest(), timeout=10
        )
        update = status.queues[0]
        return update.processed_total >= 3 and update.depth + update.in_flight > 0

    await until(mid_batch, "indexer busy with the batch", within=WITHIN_S)
    replica = next(
        r for r in mesh.supervisor.replicas if r.launch.service == "rag.v1.IndexerService"
    )
    assert replica.process is not None
    killed_pid = replica.process.pid
    os.kill(killed_pid, signal.SIGKILL)
    # Edited while the indexer is down: found by the rescan at start.
    edited = "batch/r00.md"
    contents[edited] = contents[edited].replace("Findings", "Revised findings")
    (mesh.folder / edited).write_text(contents[edited])

    async def everything_searchable() -> bool:
        return len(await mesh.search(word)) == count

    await until(everything_searchable, "every document of the batch searchable", within=180)
    assert replica.restarts >= 1 and replica.process is not None
    assert replica.process.pid != killed_pid
    await until(
        lambda: _chunks_contain(mesh, mesh.doc(edited), "Revised findings"), "edit after restart"
    )
    for rel, text in contents.items():
        chunks = await mesh.chunks(mesh.doc(rel))
        positions = sorted(c.position for c in chunks)
        assert positions == list(range(len(chunks))), f"{rel}: duplicate or missing chunks"
        assert len({c.id for c in chunks}) == len(chunks)
        expected = await mesh.processor.ProcessDocument(
            document_processor_pb2.ProcessDocumentRequest(
                document=common_pb2.Document(
                    id=mesh.doc(rel), content=text.encode(), content_type="text/markdown"
                )
            ),
            timeout=30,
        )
        assert len(chunks) == len(expected.chunks), f"{rel}: chunk count differs"
    counted = await mesh.store.CountChunks(
        vector_store_pb2.CountChunksRequest(document_ids=[mesh.doc(r) for r in contents]),
        timeout=10,
    )
    assert counted.document_count == count


async def _chunks_contain(mesh: Mesh, document_id: str, text: str) -> bool:
    return any(text in c.text for c in await mesh.chunks(document_id))


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    running = start_server()
    try:
        yield running
    finally:
        running.close()


@pytest.mark.asyncio(loop_scope="module")
async def test_postgres_source_refuses_bad_configuration_naming_the_field(
    mesh: Mesh, postgres: PostgresServer
) -> None:
    source = indexer_pb2.Source(
        postgres=indexer_pb2.PostgresSourceConfig(dsn=postgres.dsn, table="t", id_column="id")
    )
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await mesh.indexer.CreateSource(
            indexer_pb2.CreateSourceRequest(source_id="pg-bad", source=source), timeout=10
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "source.postgres.content_columns" in (raised.value.details() or "")


@pytest.mark.asyncio(loop_scope="module")
async def test_postgres_sigkill_mid_burst_then_restart_leaves_the_index_exact(
    mesh: Mesh, postgres: PostgresServer
) -> None:
    """Rows inserted, updated and deleted in PostgreSQL while the indexer is killed and
    restarted: afterwards every live row is searchable once, with its last content, and no
    deleted row is."""
    postgres.sql("CREATE TABLE kill_docs (id integer PRIMARY KEY, body text NOT NULL)")
    word = f"pgecho{uuid.uuid4().hex[:8]}"
    body = "Section {j}: the ledger for quarter {i} is reconciled and filed. " * 6

    def text(i: int, revised: bool = False) -> str:
        note = "This ledger was revised after audit. " if revised else ""
        sections = "\n\n".join(note + body.format(i=i, j=j) for j in range(3))
        return f"# Ledger {i} {word}\n\n{sections}"

    source = indexer_pb2.Source(
        postgres=indexer_pb2.PostgresSourceConfig(
            dsn=postgres.dsn,
            table="kill_docs",
            id_column="id",
            content_columns=["body"],
            content_type="text/markdown",
        )
    )
    created = await mesh.indexer.CreateSource(
        indexer_pb2.CreateSourceRequest(source_id="pg-kill", source=source), timeout=30
    )
    assert created.source.kind == indexer_pb2.SOURCE_KIND_POSTGRES
    assert created.source.postgres.slot_name == "ragmesh_pg_kill"
    before = await _processed(mesh)
    for i in range(40):  # one transaction each: 40 positions to acknowledge
        postgres.sql(f"INSERT INTO kill_docs VALUES ({i}, $${text(i)}$$)")
    killed_pid = await _kill_indexer_when_busy(mesh, before)
    # While the indexer is down: the slot keeps these for it.
    for i in range(10):
        postgres.sql(f"UPDATE kill_docs SET body=$${text(i, revised=True)}$$ WHERE id={i}")
    postgres.sql("DELETE FROM kill_docs WHERE id >= 30")
    for i in range(40, 45):
        postgres.sql(f"INSERT INTO kill_docs VALUES ({i}, $${text(i)}$$)")
    await _assert_exact_after_restart(
        mesh,
        killed_pid,
        word,
        live={f"pg-kill:{i}" for i in [*range(30), *range(40, 45)]},
        revised=({f"pg-kill:{i}" for i in range(10)}, "revised after audit"),
        gone={f"pg-kill:{i}" for i in range(30, 40)},
    )
    status = await mesh.indexer.GetSource(
        indexer_pb2.GetSourceRequest(source_id="pg-kill"), timeout=10
    )
    assert status.source.cursor and not status.source.last_error
    await mesh.indexer.DeleteSource(
        indexer_pb2.DeleteSourceRequest(source_id="pg-kill", delete_documents=True), timeout=30
    )
    slots = postgres.query("SELECT slot_name FROM pg_replication_slots")
    assert ("ragmesh_pg_kill",) not in slots


@pytest.mark.asyncio(loop_scope="module")
async def test_git_source_refuses_bad_configuration_naming_the_field(
    mesh: Mesh, tmp_path: Path
) -> None:
    for git, code, field in (
        (indexer_pb2.GitSourceConfig(url=""), grpc.StatusCode.INVALID_ARGUMENT, "url"),
        (
            indexer_pb2.GitSourceConfig(url=str(tmp_path), branch="bad..name"),
            grpc.StatusCode.INVALID_ARGUMENT,
            "branch",
        ),
        (
            indexer_pb2.GitSourceConfig(url=str(tmp_path / "missing.git")),
            grpc.StatusCode.FAILED_PRECONDITION,
            "url",
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await mesh.indexer.CreateSource(
                indexer_pb2.CreateSourceRequest(
                    source_id="git-bad", source=indexer_pb2.Source(git=git)
                ),
                timeout=30,
            )
        assert raised.value.code() == code
        assert f"source.git.{field}" in (raised.value.details() or "")


@pytest.mark.asyncio(loop_scope="module")
async def test_git_sigkill_mid_burst_of_commits_then_restart_leaves_the_index_exact(
    mesh: Mesh, tmp_path: Path
) -> None:
    """Commits pushed one after another while the indexer is killed and restarted, and more
    pushed while it is down (edits, a rename, deletions, additions): afterwards every file
    of the branch's head is searchable once, with its last content, and no other is."""
    repo = GitRepo(tmp_path / "repo")
    word = f"gitecho{uuid.uuid4().hex[:8]}"
    body = "Section {j}: the design note {i} is reviewed and merged. " * 6

    def text(i: int, revised: bool = False) -> str:
        note = "This note was revised after review. " if revised else ""
        sections = "\n\n".join(note + body.format(i=i, j=j) for j in range(3))
        return f"# Note {i} {word}\n\n{sections}"

    repo.write("README.md", f"# Notes {word}\n\nOne file per design note.")
    repo.commit("start")
    source = indexer_pb2.Source(
        git=indexer_pb2.GitSourceConfig(
            url=str(repo.origin), poll_interval=duration_pb2.Duration(seconds=1)
        )
    )
    created = await mesh.indexer.CreateSource(
        indexer_pb2.CreateSourceRequest(source_id="git-kill", source=source), timeout=30
    )
    assert created.source.kind == indexer_pb2.SOURCE_KIND_GIT
    before = await _processed(mesh)

    def burst() -> None:  # one commit per note, pushed as it is made
        for i in range(40):
            repo.write(f"notes/n{i:02d}.md", text(i))
            repo.commit(f"note {i}")

    pushing = asyncio.create_task(asyncio.to_thread(burst))
    killed_pid = await _kill_indexer_when_busy(mesh, before)
    await pushing
    # While the indexer is down: edits, a rename, deletions and additions.
    for i in range(10):
        repo.write(f"notes/n{i:02d}.md", text(i, revised=True))
    repo.commit("revise the first ten")
    repo.move("notes/n10.md", "archive/n10.md")
    for i in range(30, 40):
        repo.remove(f"notes/n{i:02d}.md")
    repo.commit("archive one, drop ten")
    for i in range(40, 45):
        repo.write(f"notes/n{i:02d}.md", text(i))
    repo.commit("five more")
    live = {f"notes/n{i:02d}.md" for i in [*range(30), *range(40, 45)]} - {"notes/n10.md"}
    live |= {"archive/n10.md", "README.md"}
    await _assert_exact_after_restart(
        mesh,
        killed_pid,
        word,
        live={f"git-kill:{path}" for path in live},
        revised=({f"git-kill:notes/n{i:02d}.md" for i in range(10)}, "revised after review"),
        gone={f"git-kill:notes/n{i:02d}.md" for i in [10, *range(30, 40)]},
    )

    async def caught_up() -> bool:
        found = await mesh.indexer.GetSource(
            indexer_pb2.GetSourceRequest(source_id="git-kill"), timeout=10
        )
        return found.source.cursor == repo.head() and found.source.git.commits_behind == 0

    await until(caught_up, "cursor at the head")
    status = await mesh.indexer.GetSource(
        indexer_pb2.GetSourceRequest(source_id="git-kill"), timeout=10
    )
    assert not status.source.last_error and status.source.document_count == len(live)
    await mesh.indexer.DeleteSource(
        indexer_pb2.DeleteSourceRequest(source_id="git-kill", delete_documents=True), timeout=30
    )


def _post_event(port: int, source_id: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/sources/{source_id}/events",
        data=body,
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    running = start_s3_server()
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.asyncio(loop_scope="module")
async def test_s3_source_lists_then_follows_bucket_notifications(mesh: Mesh, s3: S3Server) -> None:
    bucket = "ragmesh-kb"  # the bucket and keys tests/fixtures/s3 name
    first, second = (f"{w}{uuid.uuid4().hex[:8]}" for w in ("echo", "foxtrot"))
    client = s3.client()
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="docs/guide.md", Body=f"# Guide\n\n{first}".encode())
    config = indexer_pb2.S3SourceConfig(
        bucket=bucket,
        prefix="docs/",
        endpoint_url=s3.url,
        access_key_id_env="KB_S3_KEY_ID",
        secret_access_key_env="KB_S3_SECRET",
        poll_interval=duration_pb2.Duration(seconds=3600),  # notifications only after the sync
    )
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        bad = indexer_pb2.S3SourceConfig(bucket="Not_A_Bucket", endpoint_url=s3.url)
        await mesh.indexer.CreateSource(
            indexer_pb2.CreateSourceRequest(source_id="s3-bad", source=indexer_pb2.Source(s3=bad)),
            timeout=10,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "source.s3.bucket" in (raised.value.details() or "")
    created = await mesh.indexer.CreateSource(
        indexer_pb2.CreateSourceRequest(source_id="kb-s3", source=indexer_pb2.Source(s3=config)),
        timeout=30,
    )
    assert created.source.kind == indexer_pb2.SOURCE_KIND_S3
    await until(lambda: _has(mesh, first, {"kb-s3:guide.md"}), "initial listing indexed")

    client.put_object(Bucket=bucket, Key="docs/release notes.md", Body=f"Notes: {second}".encode())
    client.delete_object(Bucket=bucket, Key="docs/guide.md")
    event = (FIXTURES / "s3" / "aws_object_created_and_removed.json").read_bytes()
    status = await asyncio.to_thread(_post_event, mesh.webhook_port, "kb-s3", event, {})
    assert status == 202
    notes = f"kb-s3:{safe_key('release notes.md')}"
    await until(lambda: _has(mesh, second, {notes}), "notified upsert searchable")
    await until(lambda: _has(mesh, first, set()), "notified deletion applied")
    source = (
        await mesh.indexer.GetSource(indexer_pb2.GetSourceRequest(source_id="kb-s3"), timeout=10)
    ).source
    assert source.state == indexer_pb2.SOURCE_STATE_ACTIVE and source.last_error == ""
    assert source.cursor.startswith("listed ") and source.lag_bytes == 0
    assert SOURCE_SECRETS["KB_S3_SECRET"] not in str(source)
    await mesh.indexer.DeleteSource(
        indexer_pb2.DeleteSourceRequest(source_id="kb-s3", delete_documents=True), timeout=10
    )
    await until(lambda: _has(mesh, second, set()), "source's documents deleted with it")


@pytest.mark.asyncio(loop_scope="module")
async def test_s3_sigkill_mid_sync_then_restart_leaves_the_index_exact(
    mesh: Mesh, s3: S3Server
) -> None:
    """Objects written, rewritten and deleted while the indexer is killed in the middle of
    applying a bucket's initial sync: after the restart's listing, every object is
    searchable once with its last content, and no deleted one is."""
    bucket, word = "kill-kb", f"s3echo{uuid.uuid4().hex[:8]}"
    body = "Section {j}: the invoice batch for week {i} is matched and archived. " * 6

    def text(i: int, revised: bool = False) -> bytes:
        note = "This batch was re-matched after review. " if revised else ""
        sections = "\n\n".join(note + body.format(i=i, j=j) for j in range(3))
        return f"# Batch {i} {word}\n\n{sections}".encode()

    client = s3.client()
    client.create_bucket(Bucket=bucket)
    for i in range(40):
        client.put_object(Bucket=bucket, Key=f"batches/{i}.md", Body=text(i))
    config = indexer_pb2.S3SourceConfig(
        bucket=bucket,
        prefix="batches/",
        endpoint_url=s3.url,
        access_key_id_env="KB_S3_KEY_ID",
        secret_access_key_env="KB_S3_SECRET",
        poll_interval=duration_pb2.Duration(seconds=1),
    )
    before = await _processed(mesh)
    await mesh.indexer.CreateSource(
        indexer_pb2.CreateSourceRequest(source_id="s3-kill", source=indexer_pb2.Source(s3=config)),
        timeout=30,
    )
    killed_pid = await _kill_indexer_when_busy(mesh, before)
    for i in range(10):
        client.put_object(Bucket=bucket, Key=f"batches/{i}.md", Body=text(i, revised=True))
    for i in range(30, 40):
        client.delete_object(Bucket=bucket, Key=f"batches/{i}.md")
    for i in range(40, 45):
        client.put_object(Bucket=bucket, Key=f"batches/{i}.md", Body=text(i))
    await _assert_exact_after_restart(
        mesh,
        killed_pid,
        word,
        live={f"s3-kill:{i}.md" for i in [*range(30), *range(40, 45)]},
        revised=({f"s3-kill:{i}.md" for i in range(10)}, "re-matched after review"),
        gone={f"s3-kill:{i}.md" for i in range(30, 40)},
    )
    status = await mesh.indexer.GetSource(
        indexer_pb2.GetSourceRequest(source_id="s3-kill"), timeout=10
    )
    assert status.source.cursor.startswith("listed ") and not status.source.last_error
    await mesh.indexer.DeleteSource(
        indexer_pb2.DeleteSourceRequest(source_id="s3-kill", delete_documents=True), timeout=30
    )


@pytest.mark.asyncio(loop_scope="module")
async def test_signed_confluence_events_are_indexed_with_their_restrictions(mesh: Mesh) -> None:
    source = indexer_pb2.Source(
        confluence=indexer_pb2.ConfluenceSourceConfig(secret_env="WIKI_HOOK_SECRET")
    )
    await mesh.indexer.CreateSource(
        indexer_pb2.CreateSourceRequest(source_id="wiki", source=source), timeout=10
    )
    event = (FIXTURES / "saas" / "confluence_page_updated_with_body.json").read_bytes()
    forged = {"X-Hub-Signature": sign(event, b"guessed")}
    assert await asyncio.to_thread(_post_event, mesh.webhook_port, "wiki", event, forged) == 403
    secret = SOURCE_SECRETS["WIKI_HOOK_SECRET"].encode()
    signed = {"X-Hub-Signature": sign(event, secret)}
    assert await asyncio.to_thread(_post_event, mesh.webhook_port, "wiki", event, signed) == 202
    await until(lambda: _has(mesh, "reimbursed", {"wiki:98306"}), "signed page searchable")
    chunk = (await mesh.chunks("wiki:98306"))[0]
    assert set(chunk.access_groups) == {"finance", "confluence-user:5b10ac8d82e05b22cc7d4ef5"}
    trashed = (FIXTURES / "saas" / "confluence_page_trashed.json").read_bytes()
    trashed = trashed.replace(b'"id": 65538', b'"id": 98306')
    headers = {"X-Hub-Signature": sign(trashed, secret)}
    assert await asyncio.to_thread(_post_event, mesh.webhook_port, "wiki", trashed, headers) == 202
    await until(lambda: _has(mesh, "reimbursed", set()), "trashed page removed")


async def _processed(mesh: Mesh) -> int:
    status = await mesh.indexer.GetIndexerStatus(indexer_pb2.GetIndexerStatusRequest(), timeout=10)
    return status.queues[0].processed_total


async def _kill_indexer_when_busy(mesh: Mesh, before: int) -> int:
    """SIGKILL the indexer once it has applied 3 updates since ``before`` (its processed
    total) with more waiting or in flight; returns the killed process id."""

    async def mid_burst() -> bool:
        status = await mesh.indexer.GetIndexerStatus(
            indexer_pb2.GetIndexerStatusRequest(), timeout=10
        )
        update = status.queues[0]
        return update.processed_total >= before + 3 and update.depth + update.in_flight > 0

    await until(mid_burst, "indexer busy with the burst")
    replica = _indexer_replica(mesh)
    assert replica.process is not None
    killed_pid = replica.process.pid
    os.kill(killed_pid, signal.SIGKILL)
    return killed_pid


def _indexer_replica(mesh: Mesh) -> Replica:
    return next(r for r in mesh.supervisor.replicas if r.launch.service == "rag.v1.IndexerService")


async def _assert_exact_after_restart(
    mesh: Mesh,
    killed_pid: int,
    word: str,
    live: set[str],
    revised: tuple[set[str], str],
    gone: set[str],
) -> None:
    """After the restart, exactly the ``live`` documents carry ``word``, each once (chunk
    positions 0..n-1), the ``revised`` ones contain their revision, the ``gone`` ones
    have no chunk left."""

    async def exact() -> bool:
        return await mesh.search(word) == live

    await until(exact, "exactly the live documents searchable", within=180)
    replica = _indexer_replica(mesh)
    assert replica.process is not None and replica.process.pid != killed_pid
    documents, marker = revised
    for document_id in sorted(documents):
        await until(
            lambda d=document_id: _chunks_contain(mesh, d, marker),  # type: ignore[misc]
            f"{document_id} revised",
        )
    for document_id in sorted(live):
        chunks = await mesh.chunks(document_id)
        positions = sorted(c.position for c in chunks)
        assert chunks and positions == list(range(len(chunks))), f"{document_id}: duplicates"
    for document_id in sorted(gone):
        assert await mesh.chunks(document_id) == [], f"{document_id} still indexed"

"""Confluence and SharePoint change events through the indexer's webhook port (in-process
HTTP server, real queues, in-memory sink), with payloads written from the vendors'
documentation (tests/fixtures/saas/README.md)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import grpc
import pytest
from prometheus_client import REGISTRY

from services.indexer import convert
from services.indexer.__main__ import detector_factory
from services.indexer.changes import DeadLetter
from services.indexer.confluence import sign
from services.indexer.core import Indexer
from services.indexer.detection import safe_key
from services.indexer.source_registry import spec_from_json, spec_to_json
from services.indexer.sources import (
    ConfluenceConfig,
    FilesystemConfig,
    S3Config,
    SharePointConfig,
    SourceSpec,
    SourceState,
    SourceStatus,
)
from services.indexer.webhook_http import WebhookEndpoint
from services.runtime.errors import InvalidArgument
from tests.unit.test_indexer_core import MemorySink, eventually, settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "saas"
SECRET = "s3cr3t-for-the-confluence-webhook"
CLIENT_STATE = "ragmesh-test-state"  # what the SharePoint fixtures carry
SITE_ITEM = (
    "sites/example.sharepoint.com,6c0ed8ec-5e6e-4a4c-9d1f-2b8f0c1d2e3f,"
    "1a2b3c4d-0000-4e5f-8a9b-0c1d2e3f4a5b/lists/8f3e2a1b-4c5d-4e6f-8a9b-1c2d3e4f5a6b/items/12"
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Running:
    def __init__(self, indexer: Indexer, sink: MemorySink, url: str) -> None:
        self.indexer, self.sink, self.url = indexer, sink, url

    async def post(
        self, source_id: str, body: bytes, headers: dict[str, str] | None = None, query: str = ""
    ) -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{self.url}/v1/sources/{source_id}/events{query}", data=body, headers=headers
            ) as reply,
        ):
            return reply.status, await reply.text()

    async def dead_letters(self, source_id: str) -> list[DeadLetter]:
        """The source's dead letters, once there is one (changes fail at their own pace)."""
        for _ in range(500):
            found = (await self.indexer.list_dead_letters(10, "", source_id, None)).items
            if found:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"no dead letter for {source_id}")

    async def nothing_queued(self) -> bool:
        depth = sum(
            s.depth + s.in_flight + s.retrying for s in await self.indexer.store.queue_stats()
        )
        return depth == 0 and await self.indexer.store.dead_letter_count() == 0


@pytest.fixture
async def running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Running]:
    monkeypatch.setenv("KB_CONFLUENCE_SECRET", SECRET)
    monkeypatch.setenv("KB_SHAREPOINT_STATE", CLIENT_STATE)
    config = settings(tmp_path)
    sink = MemorySink()
    indexer = Indexer(config, sink, detector_factory(config))
    await indexer.start()
    channel = grpc.aio.insecure_channel("127.0.0.1:9")  # /v1/changes is not used here
    endpoint = WebhookEndpoint(channel, "127.0.0.1", 0, 1 << 20, events=indexer.receive_event)
    port = await endpoint.start()
    try:
        yield Running(indexer, sink, f"http://127.0.0.1:{port}")
    finally:
        await endpoint.stop()
        await channel.close()
        await indexer.stop()


async def confluence(running: Running, secret_env: str = "KB_CONFLUENCE_SECRET") -> str:
    spec = SourceSpec(
        id="wiki",
        config=ConfluenceConfig(secret_env=secret_env),
        access_groups=("staff",),
    )
    await running.indexer.create_source(spec)
    return spec.id


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    return {"X-Hub-Signature": sign(body, secret.encode()), "Content-Type": "application/json"}


async def test_a_confluence_event_with_content_is_indexed_with_its_read_restrictions(
    running: Running,
) -> None:
    source = await confluence(running)
    body = fixture("confluence_page_updated_with_body.json")
    status, text = await running.post(source, body, signed(body))
    assert (status, json.loads(text)["queued"]) == (202, 1)
    await eventually(lambda: "wiki:98306" in running.sink.index)
    document = running.sink.index["wiki:98306"]
    assert b"reimbursed within 30 days" in document.content
    assert document.content_type == "text/html"
    assert document.title == "Expense policy"
    # The page's restrictions replace the source's groups: never opened to "staff".
    assert set(document.access_groups) == {"finance", "confluence-user:5b10ac8d82e05b22cc7d4ef5"}
    status_now = await running.indexer.get_source(source)
    assert status_now.state is SourceState.ACTIVE and status_now.last_error == ""
    assert (
        status_now.cursor.startswith("2025-12-03T17:05:00.000+00:00")
        and "page_updated 98306" in status_now.cursor
    )

    removed = json.loads(fixture("confluence_page_trashed.json"))
    removed["page"]["id"] = 98306
    trashed = json.dumps(removed).encode()
    status, _ = await running.post(source, trashed, signed(trashed))
    assert status == 202
    await eventually(lambda: "wiki:98306" not in running.sink.index)
    assert "wiki:98306" in running.sink.deletes


async def test_a_confluence_event_without_content_needs_a_fetch_and_says_so(
    running: Running,
) -> None:
    source = await confluence(running)
    body = fixture("confluence_page_created.json")
    status, _ = await running.post(source, body, signed(body))
    assert status == 202
    letters = await running.dead_letters(source)
    assert [d.change.document_id for d in letters] == ["wiki:65538"]
    assert letters[0].change.last_error.startswith("NEEDS_FETCH:")
    assert "no confluence fetcher is configured" in letters[0].change.last_error
    assert "wiki:65538" not in running.sink.index
    status_now = await running.indexer.get_source(source)
    assert status_now.state is SourceState.ERROR
    assert "NEEDS_FETCH" in status_now.last_error and "65538" in status_now.last_error

    removed = fixture("confluence_page_removed.json")
    status, _ = await running.post(source, removed, signed(removed))
    assert status == 202
    await eventually(lambda: "wiki:65538" in running.sink.deletes)


async def test_confluence_connect_events_name_the_event_in_the_url(running: Running) -> None:
    source = await confluence(running)
    body = fixture("confluence_page_updated_connect.json")
    status, text = await running.post(source, body, signed(body))
    assert status == 400 and "?event=" in text
    status, text = await running.post(source, body, signed(body), "?event=page_updated")
    assert (status, json.loads(text)["queued"]) == (202, 1)
    comment = json.dumps({"event": "comment_created", "comment": {"id": 5}}).encode()
    status, text = await running.post(source, comment, signed(comment))
    assert json.loads(text) == {"queued": 0, "ignored": 1}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, 401),
        ({"X-Hub-Signature": "sha1=0123"}, 401),
        ({"X-Hub-Signature": sign(b"another body", SECRET.encode())}, 403),
        ({"X-Hub-Signature": sign(b"", b"wrong secret")}, 403),
    ],
)
async def test_a_bad_confluence_signature_is_refused_and_nothing_queued(
    running: Running, headers: dict[str, str], expected: int
) -> None:
    source = await confluence(running)
    refused = REGISTRY.get_sample_value(
        "rag_indexer_source_events_total", {"source": source, "outcome": "refused"}
    )
    body = fixture("confluence_page_updated_with_body.json")
    if "wrong" in str(headers):
        headers = {"X-Hub-Signature": sign(body, b"wrong secret")}
    status, text = await running.post(source, body, headers)
    assert status == expected, text
    assert "X-Hub-Signature" in json.loads(text)["message"]
    assert await running.nothing_queued()
    assert running.sink.index == {}
    after = REGISTRY.get_sample_value(
        "rag_indexer_source_events_total", {"source": source, "outcome": "refused"}
    )
    assert after == (refused or 0) + 1


async def test_events_are_refused_while_the_secret_is_missing(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = await confluence(running)
    monkeypatch.delenv("KB_CONFLUENCE_SECRET")
    body = fixture("confluence_page_updated_with_body.json")
    status, text = await running.post(source, body, signed(body))
    assert status == 503 and "KB_CONFLUENCE_SECRET" in text and SECRET not in text
    assert await running.nothing_queued()


async def sharepoint(running: Running) -> str:
    spec = SourceSpec(
        id="intranet", config=SharePointConfig(client_state_env="KB_SHAREPOINT_STATE")
    )
    await running.indexer.create_source(spec)
    return spec.id


async def test_sharepoint_validation_handshake_echoes_the_token(running: Running) -> None:
    source = await sharepoint(running)
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{running.url}/v1/sources/{source}/events",
            params={"validationToken": "Validation: Testing client application reachability"},
            headers={"Content-Type": "text/plain; charset=utf-8"},
        ) as reply,
    ):
        assert reply.status == 200
        assert reply.content_type == "text/plain"
        assert await reply.text() == "Validation: Testing client application reachability"
    assert await running.nothing_queued()


async def test_sharepoint_notifications_become_deletions_and_recorded_fetches(
    running: Running,
) -> None:
    source = await sharepoint(running)
    status, text = await running.post(source, fixture("sharepoint_listitem_updated.json"))
    assert (status, json.loads(text)["queued"]) == (202, 1)
    letters = await running.dead_letters(source)
    assert letters[0].change.document_id == f"intranet:{safe_key(SITE_ITEM)}"
    assert letters[0].change.last_error.startswith("NEEDS_FETCH:")
    assert "NEEDS_FETCH" in (await running.indexer.get_source(source)).last_error
    # Graph notifies every edit: the item's dead letter stands for all of them.
    status, text = await running.post(source, fixture("sharepoint_listitem_updated.json"))
    assert json.loads(text) == {"queued": 0, "ignored": 1}
    assert await running.indexer.store.dead_letter_count() == 1

    status, _ = await running.post(source, fixture("sharepoint_driveitem_deleted.json"))
    assert status == 202
    deleted = "drives/b!ZkzRUH0KH0mwYjgBvnJaYw/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K"
    await eventually(lambda: f"intranet:{safe_key(deleted)}" in running.sink.deletes)

    status, _ = await running.post(source, fixture("sharepoint_lifecycle_missed.json"))
    assert status == 202
    last_error = (await running.indexer.get_source(source)).last_error
    assert "'missed'" in last_error and "re-index" in last_error


async def test_a_wrong_client_state_refuses_the_whole_delivery(running: Running) -> None:
    source = await sharepoint(running)
    body: dict[str, Any] = json.loads(fixture("sharepoint_driveitem_deleted.json"))
    forged = dict(body["value"][0], clientState="guessed")
    body["value"].append(forged)
    status, text = await running.post(source, json.dumps(body).encode())
    assert status == 403 and "value[1].clientState" in text
    del forged["clientState"]
    status, _ = await running.post(source, json.dumps(body).encode())
    assert status == 401
    assert await running.nothing_queued()


async def test_events_for_other_sources_are_refused(running: Running, tmp_path: Path) -> None:
    status, text = await running.post("nope", b"{}")
    assert status == 404
    folder = tmp_path / "folder"
    folder.mkdir()
    await running.indexer.create_source(
        SourceSpec(id="files", config=FilesystemConfig(str(folder)))
    )
    status, text = await running.post("files", b"{}")
    assert status == 412 and "takes no events" in text


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (SharePointConfig(client_state_env=""), "source.sharepoint.client_state_env"),
        (
            SharePointConfig(client_state_env="NOT_SET_ANYWHERE"),
            "source.sharepoint.client_state_env",
        ),
        (ConfluenceConfig(secret_env="1BAD"), "source.confluence.secret_env"),
        (ConfluenceConfig(secret_env="NOT_SET_ANYWHERE"), "source.confluence.secret_env"),
        (ConfluenceConfig(space_keys=("ENG", "no spaces")), "source.confluence.space_keys"),
    ],
)
async def test_bad_saas_configuration_is_refused_naming_the_field(
    running: Running, config: Any, field: str
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        await running.indexer.create_source(SourceSpec(id="bad", config=config))
    assert [v.field for v in refused.value.field_violations] == [field]
    assert (await running.indexer.list_sources(10, "")).items == []


@pytest.mark.parametrize(
    "config",
    [
        S3Config(
            bucket="kb-docs",
            prefix="handbook/",
            endpoint_url="http://minio:9000",
            region="eu-west-1",
            access_key_id_env="KB_S3_KEY_ID",
            secret_access_key_env="KB_S3_SECRET",
            poll_interval_s=90.0,
        ),
        ConfluenceConfig(secret_env="WIKI_SECRET", space_keys=("ENG", "~5b10ac")),
        SharePointConfig(client_state_env="SP_STATE"),
    ],
)
def test_configs_survive_the_contract_and_the_registry(config: Any) -> None:
    spec = SourceSpec(id="src", config=config, access_groups=("staff",))
    status = SourceStatus(spec, SourceState.ACTIVE, 1.0, None, "", 0)
    message = convert.source_message(status)
    assert message.WhichOneof("config") == spec.kind.name.lower()
    assert convert.source_spec("src", message) == spec
    assert spec_from_json(spec_to_json(spec)) == spec

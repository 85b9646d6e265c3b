"""The S3 source against a real S3-compatible server (moto's, started here): initial sync,
changes and deletions by listing, restarts, bucket notifications, an unreachable server,
bad configuration."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

from mesh.local.network import free_port
from services.indexer import convert
from services.indexer import s3 as s3_module
from services.indexer.__main__ import detector_factory
from services.indexer.changes import ChangeKind
from services.indexer.core import Indexer
from services.indexer.detection import Detector, safe_key
from services.indexer.event_sources import EventDelivery
from services.indexer.model import NotifyInput
from services.indexer.s3 import S3Poller
from services.indexer.settings import IndexerSettings
from services.indexer.sources import S3Config, SourceSpec, SourceState
from services.runtime.errors import FailedPrecondition, InvalidArgument, Unavailable
from tests.support.s3_server import S3Server, start_server
from tests.unit.test_indexer_core import MemorySink, eventually, settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "s3"
BUCKET = "ragmesh-kb"  # the bucket the notification fixtures name
KEY_ID, SECRET_KEY = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture(scope="module")
def server() -> Iterator[S3Server]:
    running = start_server()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def bucket(server: S3Server) -> Iterator[Any]:
    client = server.client()
    client.create_bucket(Bucket=BUCKET)
    client.put_object(Bucket=BUCKET, Key="docs/guide.md", Body=b"# Guide\n\nread the guide")
    client.put_object(Bucket=BUCKET, Key="docs/faq.txt", Body=b"questions and answers")
    client.put_object(Bucket=BUCKET, Key="docs/logo.png", Body=b"\x89PNG not indexed")
    client.put_object(Bucket=BUCKET, Key="other/outside.md", Body=b"outside the prefix")
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_S3_KEY_ID", KEY_ID)
    monkeypatch.setenv("KB_S3_SECRET", SECRET_KEY)


def spec_for(server: S3Server, poll_s: float = 3600.0, **changes: Any) -> SourceSpec:
    config = S3Config(
        bucket=BUCKET,
        prefix="docs/",
        endpoint_url=server.url,
        access_key_id_env="KB_S3_KEY_ID",
        secret_access_key_env="KB_S3_SECRET",
        poll_interval_s=poll_s,
    )
    values = {**config.__dict__, **changes}
    return SourceSpec(id="kb", config=S3Config(**values), access_groups=("staff",))


class Harness:
    """An indexer on a state file that outlives it (restarts), and its S3 pollers."""

    def __init__(self, config: IndexerSettings) -> None:
        self.config = config
        self.sink = MemorySink()
        self.pollers: dict[str, S3Poller] = {}
        self.indexer = self.make()

    def make(self) -> Indexer:
        build = detector_factory(self.config)

        def factory(spec: SourceSpec, indexer: Indexer) -> Detector:
            made: Detector = build(spec, indexer)
            if isinstance(made, S3Poller):
                self.pollers[spec.id] = made
            return made

        return Indexer(self.config, self.sink, factory)

    async def restart(self) -> None:
        await self.indexer.stop()
        self.indexer = self.make()
        await self.indexer.start()

    def text(self, key: str) -> str | None:
        return self.sink.text(f"kb:{safe_key(key)}")


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    running = Harness(settings(tmp_path))
    await running.indexer.start()
    try:
        yield running
    finally:
        await running.indexer.stop()


async def test_listing_indexes_changes_and_deletions(
    harness: Harness, server: S3Server, bucket: Any
) -> None:
    created = await harness.indexer.create_source(spec_for(server))
    assert created.state is SourceState.SYNCING
    await eventually(lambda: harness.text("guide.md") and harness.text("faq.txt"))
    document = harness.sink.index["kb:guide.md"]
    assert (document.content_type, document.title) == ("text/markdown", "guide.md")
    assert document.source == f"s3://{BUCKET}/docs/guide.md"
    assert document.access_groups == ("staff",)
    assert set(harness.sink.index) == {"kb:guide.md", "kb:faq.txt"}  # no png, no other/
    status = await harness.indexer.get_source("kb")
    assert status.cursor.startswith("listed ") and ": 2 objects, newest " in status.cursor
    assert status.lag_bytes == 0 and status.document_count == 2

    poller = harness.pollers["kb"]
    assert await poller.sync() == 0  # nothing changed: nothing queued
    bucket.put_object(Bucket=BUCKET, Key="docs/guide.md", Body=b"# Guide\n\nversion two")
    bucket.delete_object(Bucket=BUCKET, Key="docs/faq.txt")
    bucket.put_object(Bucket=BUCKET, Key="docs/sub/new.html", Body=b"<p>new page</p>")
    assert await poller.sync() == 3
    await eventually(
        lambda: (
            harness.text("guide.md") == "# Guide\n\nversion two"
            and harness.text("faq.txt") is None
            and harness.text("sub/new.html") == "<p>new page</p>"
        )
    )
    assert "kb:faq.txt" in harness.sink.deletes

    # NotifyChange "read it from the source" for a key no listing has seen yet.
    bucket.put_object(Bucket=BUCKET, Key="docs/pushed.md", Body=b"told by a webhook")
    await harness.indexer.notify(
        NotifyInput("k-1", ChangeKind.UPSERT, "kb:pushed.md", "h-1", source_id="kb")
    )
    await eventually(lambda: harness.text("pushed.md") == "told by a webhook")


async def test_a_listing_of_several_pages_is_queued_page_by_page(
    harness: Harness, server: S3Server, bucket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s3_module, "_PAGE", 2)
    for i in range(5):
        bucket.put_object(Bucket=BUCKET, Key=f"docs/many/{i}.txt", Body=f"note {i}".encode())
    await harness.indexer.create_source(spec_for(server))
    await eventually(lambda: len(harness.sink.index) == 7)
    status = await harness.indexer.get_source("kb")
    assert ": 7 objects" in status.cursor  # 5 pages of 2 (a png among them)
    bucket.delete_object(Bucket=BUCKET, Key="docs/many/0.txt")
    assert await harness.pollers["kb"].sync() == 1
    await eventually(lambda: harness.text("many/0.txt") is None)
    assert len(harness.sink.index) == 6


async def test_a_restart_queues_only_what_changed_while_down(
    harness: Harness, server: S3Server, bucket: Any
) -> None:
    await harness.indexer.create_source(spec_for(server))
    await eventually(lambda: len(harness.sink.index) == 2)
    await harness.indexer.stop()
    bucket.put_object(Bucket=BUCKET, Key="docs/faq.txt", Body=b"changed while down")
    bucket.delete_object(Bucket=BUCKET, Key="docs/guide.md")
    upserts_before = list(harness.sink.upserts)
    harness.indexer = harness.make()
    await harness.indexer.start()
    await eventually(
        lambda: harness.text("faq.txt") == "changed while down" and harness.text("guide.md") is None
    )
    # The unchanged-ETag comparison held across the restart: only faq.txt was sent again.
    assert harness.sink.upserts[len(upserts_before) :] == ["kb:faq.txt"]


async def test_bucket_notifications_sync_the_named_keys_at_once(
    harness: Harness, server: S3Server, bucket: Any
) -> None:
    await harness.indexer.create_source(spec_for(server))  # listings hourly: events only
    await eventually(lambda: len(harness.sink.index) == 2)
    bucket.put_object(Bucket=BUCKET, Key="docs/release notes.md", Body=b"released today")
    bucket.delete_object(Bucket=BUCKET, Key="docs/guide.md")
    aws = EventDelivery((FIXTURES / "aws_object_created_and_removed.json").read_bytes())
    outcome = await harness.indexer.receive_event("kb", aws)
    assert outcome.queued == 2
    await eventually(
        lambda: (
            harness.text("release notes.md") == "released today"
            and harness.text("guide.md") is None
        )
    )
    # A notification is a hint: the same keys again (or a forged one) change nothing.
    minio = EventDelivery((FIXTURES / "minio_object_created.json").read_bytes())
    assert (await harness.indexer.receive_event("kb", minio)).queued == 0
    forged = {"Records": [{"eventName": "ObjectRemoved:Delete",
                           "s3": {"bucket": {"name": BUCKET},
                                  "object": {"key": "docs/faq.txt"}}}]}  # fmt: skip
    assert (
        await harness.indexer.receive_event("kb", EventDelivery(json.dumps(forged).encode()))
    ).queued == 0
    test_event = EventDelivery((FIXTURES / "aws_test_event.json").read_bytes())
    assert (await harness.indexer.receive_event("kb", test_event)).ignored == 1
    with pytest.raises(InvalidArgument, match="Records"):
        await harness.indexer.receive_event("kb", EventDelivery(b'{"Records": "x"}'))
    assert harness.text("faq.txt") == "questions and answers"


async def test_an_unreachable_server_backs_off_and_says_why(harness: Harness, bucket: Any) -> None:
    other = start_server()
    try:
        client = other.client()
        client.create_bucket(Bucket=BUCKET)
        client.put_object(Bucket=BUCKET, Key="docs/a.md", Body=b"from the other server")
        await harness.indexer.create_source(spec_for(other, poll_s=1.0))
        await eventually(lambda: harness.text("a.md") == "from the other server")
        errors = REGISTRY.get_sample_value("rag_indexer_source_errors_total", {"source": "kb"})
    finally:
        other.stop()
    for _ in range(300):
        status = await harness.indexer.get_source("kb")
        if status.state is SourceState.ERROR:
            break
        await asyncio.sleep(0.05)
    assert status.state is SourceState.ERROR
    assert f"cannot connect to {other.url}" in status.last_error
    assert "retrying in" in status.last_error
    assert status.lag_bytes is None
    after = REGISTRY.get_sample_value("rag_indexer_source_errors_total", {"source": "kb"})
    assert (after or 0) > (errors or 0)
    assert harness.text("a.md") == "from the other server"  # nothing deleted for it
    notified = EventDelivery((FIXTURES / "aws_object_created_and_removed.json").read_bytes())
    with pytest.raises(Unavailable, match=f"cannot connect to {other.url}"):
        await harness.indexer.receive_event("kb", notified)
    message = convert.source_message(status)
    assert KEY_ID not in str(message) and SECRET_KEY not in str(message)
    assert message.s3.access_key_id_env == "KB_S3_KEY_ID" and message.lag_bytes == -1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bucket": "Bad_Bucket"}, "source.s3.bucket"),
        ({"bucket": "ab"}, "source.s3.bucket"),
        ({"bucket": "192.168.1.10"}, "source.s3.bucket"),
        ({"bucket": "a..b"}, "source.s3.bucket"),
        ({"prefix": "/docs"}, "source.s3.prefix"),
        ({"endpoint_url": "ftp://host"}, "source.s3.endpoint_url"),
        ({"endpoint_url": "http://user:pw@host:9000"}, "source.s3.endpoint_url"),
        ({"endpoint_url": "http://host:9000/bucket"}, "source.s3.endpoint_url"),
        ({"secret_access_key_env": ""}, "source.s3.secret_access_key_env"),
        ({"access_key_id_env": "UNSET_VARIABLE_X"}, "source.s3.access_key_id_env"),
        ({"region": "US EAST"}, "source.s3.region"),
        ({"poll_interval_s": 0.1}, "source.s3.poll_interval"),
    ],
)
async def test_bad_configuration_is_refused_naming_the_field(
    harness: Harness, server: S3Server, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        await harness.indexer.create_source(spec_for(server, **changes))
    assert [v.field for v in refused.value.field_violations] == [field]
    assert "EXAMPLE" not in refused.value.message
    assert (await harness.indexer.list_sources(10, "")).items == []


async def test_a_missing_bucket_or_server_is_a_failed_precondition(
    harness: Harness, server: S3Server
) -> None:
    with pytest.raises(FailedPrecondition, match="bucket 'no-such-bucket' does not exist"):
        await harness.indexer.create_source(spec_for(server, bucket="no-such-bucket"))
    closed = S3Server(free_port())  # never started
    with pytest.raises(FailedPrecondition, match="cannot connect to"):
        await harness.indexer.create_source(spec_for(closed))
    assert (await harness.indexer.list_sources(10, "")).items == []

"""S3-compatible object storage source: a bucket and key prefix, listed for changes.

Each listing is compared with what the indexer remembers per document (the ETag it last
queued, ``documents.seen_hash``, and the key, ``documents.locator``): new or changed
objects become upserts, remembered keys that are gone become deletions. Each change is
written in the same SQLite transaction as the ETag that records it, page by page, and the
cursor moves with the last deletion once the listing is complete, so the last listing is
the durable state: a crash before a commit lists and queues that part again, one after it
finds nothing new there (no loss, no duplicate), and a partial listing deletes nothing. Content is read by key when a change
is applied, so the latest object wins and a key deleted meanwhile is removed.

Bucket notifications (S3 event JSON, ``Records[].eventName`` ObjectCreated:* and
ObjectRemoved:*, as MinIO's webhook target or SNS deliver them) name keys to check at
once; each key is looked up in the bucket (HEAD), so a notification is a hint that cannot
put content into the index and needs no secret. Listings and notifications take turns,
so a listing that began before a key was written never deletes it.

Credentials come from environment variables named in the config (or the host's default
chain) and are never logged or returned.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import boto3
import botocore.config
import botocore.exceptions

from services.indexer import metrics
from services.indexer.changes import (
    ApplyFailure,
    ChangeKind,
    ChangeRequest,
    DocumentPayload,
    Origin,
)
from services.indexer.detection import ChangeIntake, safe_key
from services.indexer.event_sources import EventDelivery, EventOutcome, json_body
from services.indexer.polling import poll_forever
from services.indexer.sources import (
    S3Config,
    SourceSpec,
    content_type_for,
    document_id,
    secret_from_env,
)
from services.runtime.errors import FailedPrecondition, InvalidArgument, Unavailable

log = logging.getLogger(__name__)
_CHUNK = 256  # changes per SQLite transaction
_PAGE = 1000  # keys per listing page (S3's maximum)
MAX_EVENT_RECORDS = 1000


@dataclass(frozen=True)
class S3Object:
    key: str
    etag: str
    size: int
    last_modified: dt.datetime


def _why(exc: Exception, config: S3Config) -> str:
    """What went wrong, in words an operator can act on (no credentials in it)."""
    where = config.endpoint_url or "AWS S3"
    if isinstance(exc, botocore.exceptions.EndpointConnectionError | ConnectionError):
        return f"cannot connect to {where}"
    if isinstance(exc, botocore.exceptions.NoCredentialsError):
        return "no credentials: set access_key_id_env/secret_access_key_env or AWS_* variables"
    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        if code in ("NoSuchBucket", "404"):
            return f"bucket {config.bucket!r} does not exist at {where}"
        if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return f"{where} refused the credentials for bucket {config.bucket!r} ({code})"
        return f"{where}: {code} {str(error.get('Message', ''))[:200]}".strip()
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{type(exc).__name__}: {first}"


def _missing(exc: botocore.exceptions.ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey")


class S3Bucket:
    """boto3 access to one source's bucket: check, list, head, read. Blocking calls."""

    def __init__(self, config: S3Config, environ: Mapping[str, str] | None = None) -> None:
        self.config = config
        credentials: dict[str, str] = {}
        if config.access_key_id_env:
            credentials = {
                "aws_access_key_id": secret_from_env(
                    config.access_key_id_env, "source.s3.access_key_id_env", environ
                ),
                "aws_secret_access_key": secret_from_env(
                    config.secret_access_key_env, "source.s3.secret_access_key_env", environ
                ),
            }
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=config.endpoint_url or None,
            region_name=config.region or "us-east-1",
            config=botocore.config.Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 2, "mode": "standard"},
                # S3-compatible servers rarely resolve bucket subdomains.
                s3={"addressing_style": "path" if config.endpoint_url else "auto"},
            ),
            **credentials,
        )

    def check(self) -> None:
        """FAILED_PRECONDITION (SOURCE_UNREACHABLE) unless the bucket can be listed."""
        try:
            self._client.list_objects_v2(
                Bucket=self.config.bucket, Prefix=self.config.prefix, MaxKeys=1
            )
        except Exception as exc:
            raise FailedPrecondition(
                message=_why(exc, self.config), reason="SOURCE_UNREACHABLE"
            ) from exc

    def pages(self) -> Iterator[list[S3Object]]:
        """The prefix's objects, one listing page at a time."""
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.config.bucket,
            Prefix=self.config.prefix,
            PaginationConfig={"PageSize": _PAGE},
        )
        for page in pages:
            yield [
                S3Object(item["Key"], item["ETag"].strip('"'), item["Size"], item["LastModified"])
                for item in page.get("Contents", ())
            ]

    def head(self, key: str) -> S3Object | None:
        try:
            found = self._client.head_object(Bucket=self.config.bucket, Key=key)
        except botocore.exceptions.ClientError as exc:
            if _missing(exc):
                return None
            raise
        return S3Object(
            key, found["ETag"].strip('"'), found["ContentLength"], found["LastModified"]
        )

    def read(self, key: str, max_bytes: int) -> bytes | None:
        try:
            found = self._client.get_object(Bucket=self.config.bucket, Key=key)
        except botocore.exceptions.ClientError as exc:
            if _missing(exc):
                return None
            raise
        body = found["Body"]
        try:
            if found["ContentLength"] > max_bytes:
                raise ApplyFailure(
                    f"DOCUMENT_TOO_LARGE: object is {found['ContentLength']} bytes; the "
                    f"limit is {max_bytes} bytes",
                    permanent=True,
                )
            return bytes(body.read())
        finally:
            body.close()


def event_keys(body: Any, bucket: str) -> list[str]:
    """Keys of ``bucket`` named by an S3 event notification (or an SNS envelope of one);
    raises InvalidArgument for anything else. Keys arrive URL-encoded ("+" for space)."""
    if isinstance(body, dict) and body.get("Type") == "Notification" and "Message" in body:
        try:
            body = json.loads(body["Message"])
        except (TypeError, json.JSONDecodeError) as exc:
            raise InvalidArgument(
                message=f"SNS Message is not S3 event JSON: {exc}", reason="INVALID_EVENT"
            ) from exc
    if isinstance(body, dict) and "Records" not in body and body.get("Event") == "s3:TestEvent":
        return []
    records = body.get("Records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise InvalidArgument(
            message='expected an S3 event notification: {"Records": [...]}',
            reason="INVALID_EVENT",
        )
    if len(records) > MAX_EVENT_RECORDS:
        raise InvalidArgument(
            message=f"{len(records)} records; at most {MAX_EVENT_RECORDS}", reason="INVALID_EVENT"
        )
    keys: list[str] = []
    for index, record in enumerate(records):
        s3 = record.get("s3") if isinstance(record, dict) else None
        name = str(record.get("eventName", "")) if isinstance(record, dict) else ""
        if not isinstance(s3, dict) or not name:
            raise InvalidArgument(
                message=f"Records[{index}] needs eventName and s3.object.key",
                reason="INVALID_EVENT",
            )
        if "ObjectCreated:" not in name and "ObjectRemoved:" not in name:
            continue  # restores, replication, lifecycle transitions: content unchanged
        if (s3.get("bucket") or {}).get("name") != bucket:
            continue
        key = (s3.get("object") or {}).get("key")
        if not isinstance(key, str) or not key:
            raise InvalidArgument(
                message=f"Records[{index}].s3.object.key is missing", reason="INVALID_EVENT"
            )
        keys.append(urllib.parse.unquote_plus(key))
    return keys


class S3Poller:
    """One S3 source: listings with backoff, notifications, and reading objects."""

    def __init__(
        self,
        spec: SourceSpec,
        intake: ChangeIntake,
        *,
        max_document_bytes: int,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        assert isinstance(spec.config, S3Config)
        self.spec = spec
        self.config: S3Config = spec.config
        self._intake = intake
        self._max_bytes = max_document_bytes
        self._environ = environ
        self._bucket: S3Bucket | None = None
        # Listings and notification syncs take turns (see the module docstring).
        self._turn = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.lag_bytes: int | None = None

    @property
    def bucket(self) -> S3Bucket:
        if self._bucket is None:
            self._bucket = S3Bucket(self.config, self._environ)
        return self._bucket

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"s3-list-{self.spec.id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        with contextlib.suppress(KeyError):
            metrics.SOURCE_LAG_BYTES.remove(self.spec.id)

    async def _run(self) -> None:
        where = f"s3://{self.config.bucket}/{self.config.prefix}"
        await poll_forever(
            self.spec.id,
            self._intake,
            self.sync,
            interval_s=self.config.poll_interval_s,
            why=lambda exc: f"cannot list {where}: {_why(exc, self.config)}",
            on_error=self._lag_unknown,
        )

    def _lag_unknown(self) -> None:
        self.lag_bytes = None

    def _doc_id(self, key: str) -> str:
        return document_id(self.spec.id, safe_key(key[len(self.config.prefix) :]))

    def _wanted(self, key: str) -> bool:
        return (
            key.startswith(self.config.prefix)
            and not key.endswith("/")
            and bool(content_type_for(key))
        )

    def _upsert(self, obj: S3Object, origin: Origin, now: float) -> tuple[ChangeRequest, str]:
        request = ChangeRequest(
            ChangeKind.UPSERT,
            self._doc_id(obj.key),
            origin,
            self.spec.id,
            seen_hash=obj.etag,
            seen_time=now,
            bulk=origin is Origin.INITIAL_SYNC,
        )
        return request, obj.key

    def _delete(self, doc_id: str, now: float) -> tuple[ChangeRequest, str]:
        return ChangeRequest(ChangeKind.DELETE, doc_id, Origin.S3, self.spec.id, seen_time=now), ""

    async def sync(self) -> int:
        """List the prefix and queue what changed since the last listing; returns how many.

        Page by page: a page's changes are queued (with the ETags that record them) before
        the next page is read, so memory holds one page and the ids listed. Deletions wait
        for the complete listing (a partial one would delete what it did not reach yet);
        the cursor moves with the last of them."""
        async with self._turn:
            listed_at = dt.datetime.now(dt.UTC)
            origin = Origin.S3 if await self._intake.cursor(self.spec.id) else Origin.INITIAL_SYNC
            known = {k.document_id: k for k in await self._intake.source_documents(self.spec.id)}
            pages = self.bucket.pages()
            listed: set[str] = set()
            newest: dt.datetime | None = None
            queued = 0
            while (page := await asyncio.to_thread(next, pages, None)) is not None:
                now = time.time()
                changes: list[tuple[ChangeRequest, str]] = []
                pending = 0
                for obj in page:
                    if not self._wanted(obj.key):
                        continue
                    doc_id = self._doc_id(obj.key)
                    listed.add(doc_id)
                    newest = obj.last_modified if newest is None else max(newest, obj.last_modified)
                    seen = known.get(doc_id)
                    if seen is None or seen.seen_hash != obj.etag or seen.locator != obj.key:
                        changes.append(self._upsert(obj, origin, now))
                        pending += obj.size
                self._set_lag(pending)
                queued += await self._queue(changes, "")
                self._set_lag(0)
            cursor = f"listed {listed_at.isoformat(timespec='seconds')}: {len(listed)} objects"
            if newest is not None:
                cursor += f", newest {newest.astimezone(dt.UTC).isoformat(timespec='seconds')}"
            now = time.time()
            deletions = [self._delete(d, now) for d in known if d not in listed]
            queued += await self._queue(deletions, cursor)
            return queued

    async def _queue(self, changes: list[tuple[ChangeRequest, str]], cursor: str) -> int:
        """Queue in transactions of at most _CHUNK changes; the last moves the cursor."""
        if not changes and not cursor:
            return 0
        for start in range(0, max(len(changes), 1), _CHUNK):
            last = start + _CHUNK >= len(changes)
            chunk = changes[start : start + _CHUNK]
            await self._intake.queue_with_cursor(self.spec.id, chunk, cursor if last else "")
        return len(changes)

    def _set_lag(self, value: int) -> None:
        self.lag_bytes = value
        metrics.SOURCE_LAG_BYTES.labels(self.spec.id).set(value)

    async def receive(self, delivery: EventDelivery) -> EventOutcome:
        """A bucket notification: check the keys it names now, queue what changed."""
        body = json_body(delivery)
        keys = [k for k in dict.fromkeys(event_keys(body, self.config.bucket)) if self._wanted(k)]
        if not keys:
            return EventOutcome(ignored=1)
        async with self._turn:
            try:
                found = await asyncio.to_thread(lambda: [(k, self.bucket.head(k)) for k in keys])
            except Exception as exc:
                raise Unavailable(
                    message=f"cannot check the notified keys: {_why(exc, self.config)}; "
                    "retry the delivery (the next listing finds the changes too)",
                    reason="SOURCE_UNREACHABLE",
                ) from exc
            now = time.time()
            changes: list[tuple[ChangeRequest, str]] = []
            for key, obj in found:
                doc_id = self._doc_id(key)
                seen = await self._intake.known(doc_id)
                if obj is None:
                    if seen is not None and (seen.seen_hash or seen.present):
                        changes.append(self._delete(doc_id, now))
                elif seen is None or seen.seen_hash != obj.etag or seen.locator != key:
                    changes.append(self._upsert(obj, Origin.S3, now))
            await self._intake.queue_with_cursor(self.spec.id, changes, "")
        return EventOutcome(queued=len(changes))

    async def read(self, document_id: str, locator: str) -> DocumentPayload | None:
        if not locator:
            return None
        content = await asyncio.to_thread(self.bucket.read, locator, self._max_bytes)
        if content is None:
            return None
        return DocumentPayload(
            content=content,
            content_type=content_type_for(locator) or "text/plain",
            title=PurePosixPath(locator).name,
            source=f"s3://{self.config.bucket}/{locator}",
            access_groups=self.spec.access_groups,
            metadata={**self.spec.metadata, "source_id": self.spec.id},
        )

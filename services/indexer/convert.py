"""rag.v1 indexer messages <-> the indexer's domain types. No logic beyond the mapping."""

from __future__ import annotations

import hashlib

from google.protobuf import duration_pb2, timestamp_pb2

from rag.v1 import indexer_pb2
from services.common.convert import duration
from services.indexer.changes import Change, ChangeKind, DeadLetter, DocumentPayload
from services.indexer.model import FreshnessSummary, IndexerStatus, NotifyInput
from services.indexer.sources import (
    DEFAULT_GIT_POLL_S,
    DEFAULT_POLL_S,
    DEFAULT_RESCAN_S,
    DEFAULT_S3_POLL_S,
    ConfluenceConfig,
    DatabaseConfig,
    FilesystemConfig,
    GitConfig,
    PostgresConfig,
    S3Config,
    SharePointConfig,
    SourceConfig,
    SourceSpec,
    SourceStatus,
    redact_dsn,
    slot_name,
)
from services.runtime.errors import invalid_field

_KINDS: dict[int, ChangeKind] = {
    int(indexer_pb2.CHANGE_KIND_UPSERT): ChangeKind.UPSERT,
    int(indexer_pb2.CHANGE_KIND_DELETE): ChangeKind.DELETE,
}


def timestamp(seconds: float | None) -> timestamp_pb2.Timestamp | None:
    if seconds is None:
        return None
    value = timestamp_pb2.Timestamp()
    value.FromNanoseconds(int(seconds * 1e9))
    return value


def _seconds(value: duration_pb2.Duration, default: float) -> float:
    total = value.seconds + value.nanos / 1e9
    return total if total > 0 else default


def change_kind(value: int) -> ChangeKind | None:
    return _KINDS.get(int(value))


def notify_input(request: indexer_pb2.NotifyChangeRequest) -> NotifyInput:
    document = request.document
    payload = None
    if document.content:
        payload = DocumentPayload(
            content=document.content,
            content_type=document.content_type or "text/plain",
            title=document.title,
            source=document.source,
            access_groups=tuple(document.access_groups),
            metadata=dict(document.metadata),
        )
    # The request itself, byte for byte, tells a retry from a reused idempotency key.
    request_hash = hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()
    return NotifyInput(
        idempotency_key=request.idempotency_key,
        kind=change_kind(request.kind),
        document_id=document.id,
        request_hash=request_hash,
        source_id=request.source_id,
        payload=payload,
    )


def change_message(change: Change) -> indexer_pb2.Change:
    message = indexer_pb2.Change(
        id=change.id,
        kind=int(change.kind),  # type: ignore[arg-type]
        document_id=change.document_id,
        source_id=change.source_id,
        origin=change.origin.value,
        idempotency_key=change.idempotency_key,
        state=int(change.state),  # type: ignore[arg-type]
        attempt_count=change.attempt_count,
        last_error=change.last_error,
        superseded_by=change.superseded_by,
    )
    for name, value in (
        ("enqueue_time", change.enqueue_time),
        ("update_time", change.update_time),
        ("apply_time", change.apply_time),
        ("next_attempt_time", change.next_attempt_time),
    ):
        stamp = timestamp(value)
        if stamp is not None:
            getattr(message, name).CopyFrom(stamp)
    return message


def dead_letter_message(letter: DeadLetter) -> indexer_pb2.DeadLetter:
    message = indexer_pb2.DeadLetter(
        change=change_message(letter.change), errors=list(letter.errors)
    )
    for name, value in (
        ("first_failure_time", letter.first_failure_time),
        ("dead_letter_time", letter.dead_letter_time),
    ):
        stamp = timestamp(value or None)
        if stamp is not None:
            getattr(message, name).CopyFrom(stamp)
    return message


def source_spec(source_id: str, source: indexer_pb2.Source) -> SourceSpec:
    which = source.WhichOneof("config")
    config: SourceConfig
    if which == "postgres":
        pg = source.postgres
        config = PostgresConfig(
            dsn=pg.dsn,
            table=pg.table,
            id_column=pg.id_column,
            content_columns=tuple(pg.content_columns),
            content_type=pg.content_type or "text/plain",
            title_column=pg.title_column,
            access_groups_column=pg.access_groups_column,
        )
    elif which == "git":
        git = source.git
        config = GitConfig(
            url=git.url,
            branch=git.branch or "main",
            include_globs=tuple(git.include_globs),
            exclude_globs=tuple(git.exclude_globs),
            poll_interval_s=_seconds(git.poll_interval, DEFAULT_GIT_POLL_S),
        )
    elif which == "s3":
        s3 = source.s3
        config = S3Config(
            bucket=s3.bucket,
            prefix=s3.prefix,
            endpoint_url=s3.endpoint_url,
            region=s3.region,
            access_key_id_env=s3.access_key_id_env,
            secret_access_key_env=s3.secret_access_key_env,
            poll_interval_s=_seconds(s3.poll_interval, DEFAULT_S3_POLL_S),
        )
    elif which == "confluence":
        config = ConfluenceConfig(
            secret_env=source.confluence.secret_env,
            space_keys=tuple(source.confluence.space_keys),
        )
    elif which == "sharepoint":
        config = SharePointConfig(client_state_env=source.sharepoint.client_state_env)
    elif which == "filesystem":
        fs = source.filesystem
        config = FilesystemConfig(
            path=fs.path,
            recursive=fs.recursive,
            include_globs=tuple(fs.include_globs),
            exclude_globs=tuple(fs.exclude_globs),
            rescan_interval_s=_seconds(fs.rescan_interval, DEFAULT_RESCAN_S),
        )
    elif which == "database":
        db = source.database
        config = DatabaseConfig(
            dsn=db.dsn,
            table=db.table,
            id_column=db.id_column,
            updated_at_column=db.updated_at_column,
            content_column=db.content_column,
            tombstone_column=db.tombstone_column,
            title_column=db.title_column,
            content_type=db.content_type or "text/plain",
            poll_interval_s=_seconds(db.poll_interval, DEFAULT_POLL_S),
            reconcile_interval_s=_seconds(db.reconcile_interval, DEFAULT_RESCAN_S),
        )
    else:
        raise invalid_field("source.config", "required: filesystem, database, postgres or git")
    return SourceSpec(
        id=source_id,
        config=config,
        display_name=source.display_name,
        access_groups=tuple(source.access_groups),
        metadata=dict(source.metadata),
    )


def source_message(status: SourceStatus) -> indexer_pb2.Source:
    spec = status.spec
    message = indexer_pb2.Source(
        id=spec.id,
        display_name=spec.display_name,
        kind=int(spec.kind),  # type: ignore[arg-type]
        access_groups=list(spec.access_groups),
        metadata=dict(spec.metadata),
        state=int(status.state),  # type: ignore[arg-type]
        last_error=status.last_error,
        document_count=status.document_count,
        cursor=status.cursor,
        lag_bytes=-1 if status.lag_bytes is None else status.lag_bytes,
    )
    config = spec.config
    if isinstance(config, FilesystemConfig):
        message.filesystem.CopyFrom(
            indexer_pb2.FilesystemSourceConfig(
                path=config.path,
                recursive=config.recursive,
                include_globs=list(config.include_globs),
                exclude_globs=list(config.exclude_globs),
                rescan_interval=duration(config.rescan_interval_s),
            )
        )
    elif isinstance(config, PostgresConfig):
        message.postgres.CopyFrom(
            indexer_pb2.PostgresSourceConfig(
                dsn=redact_dsn(config.dsn),
                table=config.table,
                id_column=config.id_column,
                content_columns=list(config.content_columns),
                content_type=config.content_type,
                title_column=config.title_column,
                access_groups_column=config.access_groups_column,
                slot_name=slot_name(spec.id),
            )
        )
    elif isinstance(config, GitConfig):
        message.git.CopyFrom(
            indexer_pb2.GitSourceConfig(
                url=redact_dsn(config.url),
                branch=config.branch,
                include_globs=list(config.include_globs),
                exclude_globs=list(config.exclude_globs),
                poll_interval=duration(config.poll_interval_s),
                commits_behind=-1 if status.commits_behind is None else status.commits_behind,
            )
        )
    elif isinstance(config, S3Config):
        message.s3.CopyFrom(
            indexer_pb2.S3SourceConfig(
                bucket=config.bucket,
                prefix=config.prefix,
                endpoint_url=config.endpoint_url,
                region=config.region,
                access_key_id_env=config.access_key_id_env,
                secret_access_key_env=config.secret_access_key_env,
                poll_interval=duration(config.poll_interval_s),
            )
        )
    elif isinstance(config, ConfluenceConfig):
        message.confluence.CopyFrom(
            indexer_pb2.ConfluenceSourceConfig(
                secret_env=config.secret_env, space_keys=list(config.space_keys)
            )
        )
    elif isinstance(config, SharePointConfig):
        message.sharepoint.CopyFrom(
            indexer_pb2.SharePointSourceConfig(client_state_env=config.client_state_env)
        )
    else:
        message.database.CopyFrom(
            indexer_pb2.DatabaseSourceConfig(
                dsn=redact_dsn(config.dsn),
                table=config.table,
                id_column=config.id_column,
                updated_at_column=config.updated_at_column,
                content_column=config.content_column,
                tombstone_column=config.tombstone_column,
                title_column=config.title_column,
                content_type=config.content_type,
                poll_interval=duration(config.poll_interval_s),
                reconcile_interval=duration(config.reconcile_interval_s),
            )
        )
    for name, value in (
        ("create_time", status.create_time),
        ("last_sync_time", status.last_sync_time),
    ):
        stamp = timestamp(value)
        if stamp is not None:
            getattr(message, name).CopyFrom(stamp)
    return message


def freshness_message(summary: FreshnessSummary) -> indexer_pb2.FreshnessLag:
    return indexer_pb2.FreshnessLag(
        last=duration(summary.last_s),
        p50=duration(summary.p50_s),
        p95=duration(summary.p95_s),
        sample_count=summary.sample_count,
    )


def status_message(status: IndexerStatus) -> indexer_pb2.GetIndexerStatusResponse:
    response = indexer_pb2.GetIndexerStatusResponse(
        freshness_lag=freshness_message(status.freshness),
        sources=[source_message(s) for s in status.sources],
        dead_letter_count=status.dead_letter_count,
    )
    response.start_time.FromNanoseconds(int(status.start_time * 1e9))
    for stats, totals in status.queues:
        queue = indexer_pb2.QueueStatus(
            queue=int(stats.queue),  # type: ignore[arg-type]
            depth=stats.depth,
            capacity=stats.capacity,
            in_flight=stats.in_flight,
            retrying=stats.retrying,
            processed_total=totals.processed,
            failed_total=totals.failed,
            dead_lettered_total=totals.dead_lettered,
        )
        oldest = timestamp(stats.oldest_enqueue_time)
        if oldest is not None:
            queue.oldest_enqueue_time.CopyFrom(oldest)
        response.queues.append(queue)
    return response

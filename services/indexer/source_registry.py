"""The indexer's source registry: the folders and database tables it keeps in sync, their
state, sync cursor and last error. Its table lives in the indexer's one SQLite database
beside the change queue (services/indexer/queue_store.py), so deleting a source and queueing
the deletion of its documents is one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from services.common.sqlite import SqliteThread, on_sqlite_thread
from services.indexer.changes import ChangeRequest, QueueKind
from services.indexer.queue_store import QueueStore
from services.indexer.sources import (
    ConfluenceConfig,
    DatabaseConfig,
    FilesystemConfig,
    GitConfig,
    PostgresConfig,
    S3Config,
    SharePointConfig,
    SourceConfig,
    SourceSpec,
    SourceState,
    SourceStatus,
)
from services.runtime.errors import AlreadyExists, NotFound, ResourceExhausted

_JSON_KEYS: dict[type[S3Config | ConfluenceConfig | SharePointConfig], str] = {
    S3Config: "s3",
    ConfluenceConfig: "confluence",
    SharePointConfig: "sharepoint",
}


def spec_to_json(spec: SourceSpec) -> str:
    config = spec.config
    body: dict[str, Any] = {
        "id": spec.id,
        "display_name": spec.display_name,
        "access_groups": list(spec.access_groups),
        "metadata": dict(spec.metadata),
    }
    if isinstance(config, S3Config | ConfluenceConfig | SharePointConfig):
        fields = type(config).__dataclass_fields__
        body[_JSON_KEYS[type(config)]] = {name: getattr(config, name) for name in fields}
    elif isinstance(config, FilesystemConfig):
        body["filesystem"] = {
            "path": config.path,
            "recursive": config.recursive,
            "include_globs": list(config.include_globs),
            "exclude_globs": list(config.exclude_globs),
            "rescan_interval_s": config.rescan_interval_s,
        }
    elif isinstance(config, PostgresConfig):
        body["postgres"] = {
            name: getattr(config, name) for name in PostgresConfig.__dataclass_fields__
        }
    elif isinstance(config, GitConfig):
        body["git"] = {name: getattr(config, name) for name in GitConfig.__dataclass_fields__}
    else:
        body["database"] = {
            name: getattr(config, name) for name in DatabaseConfig.__dataclass_fields__
        }
    return json.dumps(body, sort_keys=True)


def spec_from_json(text: str) -> SourceSpec:
    body = json.loads(text)
    config: SourceConfig
    remote = next((k for k in _JSON_KEYS.items() if k[1] in body), None)
    if remote is not None:
        kind, key = remote
        values = dict(body[key])
        if "space_keys" in values:
            values["space_keys"] = tuple(values["space_keys"])
        config = kind(**values)
    elif "postgres" in body:
        pg = body["postgres"]
        config = PostgresConfig(**{**pg, "content_columns": tuple(pg["content_columns"])})
    elif "git" in body:
        git = body["git"]
        config = GitConfig(
            **{
                **git,
                "include_globs": tuple(git["include_globs"]),
                "exclude_globs": tuple(git["exclude_globs"]),
            }
        )
    elif "filesystem" in body:
        fs = body["filesystem"]
        config = FilesystemConfig(
            path=fs["path"],
            recursive=fs["recursive"],
            include_globs=tuple(fs["include_globs"]),
            exclude_globs=tuple(fs["exclude_globs"]),
            rescan_interval_s=fs["rescan_interval_s"],
        )
    else:
        config = DatabaseConfig(**body["database"])
    return SourceSpec(
        id=body["id"],
        config=config,
        display_name=body["display_name"],
        access_groups=tuple(body["access_groups"]),
        metadata=body["metadata"],
    )


class SourceRegistry:
    """Sources of one indexer, on the queue store's database and thread."""

    def __init__(self, queue: QueueStore) -> None:
        self._queue = queue
        # Bytes a source is behind (measured by its running detector; None: unknown).
        self.lag_of: Callable[[str], int | None] = lambda source_id: None
        self.commits_behind_of: Callable[[str], int | None] = lambda source_id: None

    @property
    def sqlite(self) -> SqliteThread:
        return self._queue.sqlite

    def _db(self) -> sqlite3.Connection:
        return self._queue.connection()

    @on_sqlite_thread
    def create_source(self, spec: SourceSpec, max_sources: int) -> SourceStatus:
        now = self._queue.clock()
        with self._queue.transaction() as tx:
            if tx.execute("SELECT 1 FROM sources WHERE id=?", (spec.id,)).fetchone():
                raise AlreadyExists(
                    message=f"source {spec.id!r} already exists", reason="SOURCE_EXISTS"
                )
            if tx.execute("SELECT COUNT(*) FROM sources").fetchone()[0] >= max_sources:
                raise ResourceExhausted(
                    message=f"already {max_sources} sources; delete one first",
                    reason="TOO_MANY_SOURCES",
                )
            tx.execute(
                "INSERT INTO sources (id, spec, state, create_time) VALUES (?,?,?,?)",
                (spec.id, spec_to_json(spec), SourceState.SYNCING, now),
            )
        return SourceStatus(spec, SourceState.SYNCING, now, None, "", 0)

    @on_sqlite_thread
    def get_source(self, source_id: str) -> SourceStatus:
        found = self._sources("WHERE s.id=?", (source_id,))
        if not found:
            raise NotFound(message=f"no source {source_id[:80]!r}", reason="SOURCE_NOT_FOUND")
        return found[0]

    @on_sqlite_thread
    def list_sources(self, after_id: str = "", limit: int = 1000) -> list[SourceStatus]:
        return self._sources("WHERE s.id>? ORDER BY s.id LIMIT ?", (after_id, limit))

    def _sources(self, where: str, args: Sequence[Any]) -> list[SourceStatus]:
        rows = (
            self._db()
            .execute(
                "SELECT s.spec, s.state, s.create_time, s.last_sync_time, s.last_error, "
                "(SELECT COUNT(*) FROM documents d WHERE d.source_id=s.id AND d.present=1), "
                f"s.cursor, s.id FROM sources s {where}",
                tuple(args),
            )
            .fetchall()
        )
        return [
            SourceStatus(
                spec_from_json(r[0]),
                SourceState(r[1]),
                create_time=r[2],
                last_sync_time=r[3],
                last_error=r[4],
                document_count=r[5],
                cursor=r[6],
                lag_bytes=self.lag_of(r[7]),
                commits_behind=self.commits_behind_of(r[7]),
            )
            for r in rows
        ]

    @on_sqlite_thread
    def set_source_state(
        self, source_id: str, state: SourceState, error: str = "", synced: bool = False
    ) -> None:
        with self._queue.transaction() as tx:
            tx.execute(
                "UPDATE sources SET state=?, last_error=?, "
                "last_sync_time=CASE WHEN ? THEN ? ELSE last_sync_time END WHERE id=?",
                (state, error, synced, self._queue.clock(), source_id),
            )

    @on_sqlite_thread
    def cursor(self, source_id: str) -> str:
        row = self._db().execute("SELECT cursor FROM sources WHERE id=?", (source_id,)).fetchone()
        return str(row[0]) if row else ""

    @on_sqlite_thread
    def set_cursor(self, source_id: str, cursor: str) -> None:
        with self._queue.transaction() as tx:
            tx.execute("UPDATE sources SET cursor=? WHERE id=?", (cursor, source_id))

    @on_sqlite_thread
    def queue_with_cursor(
        self, source_id: str, changes: Sequence[tuple[ChangeRequest, str]], cursor: str
    ) -> list[QueueKind]:
        """Queue ``changes`` (each with its document's locator, "" to keep it) and move the
        source's cursor, all in one transaction: either the position and its changes are
        durable together, or neither is. QUEUE_FULL when a queue cannot take them all."""
        now = self._queue.clock()
        with self._queue.transaction() as tx:
            for request, locator in changes:
                self._queue.insert(tx, request, now)
                if locator:
                    tx.execute(
                        "UPDATE documents SET locator=? WHERE document_id=?",
                        (locator, request.document_id),
                    )
            if cursor:
                tx.execute("UPDATE sources SET cursor=? WHERE id=?", (cursor, source_id))
        return sorted({request.kind.queue for request, _ in changes})

    @on_sqlite_thread
    def delete_source(self, source_id: str, deletions: Sequence[ChangeRequest]) -> int:
        """Remove the source and queue ``deletions``, all in one transaction."""
        now = self._queue.clock()
        with self._queue.transaction() as tx:
            if tx.execute("DELETE FROM sources WHERE id=?", (source_id,)).rowcount == 0:
                raise NotFound(message=f"no source {source_id[:80]!r}", reason="SOURCE_NOT_FOUND")
            for request in deletions:
                self._queue.insert(tx, request, now)
        return len(deletions)

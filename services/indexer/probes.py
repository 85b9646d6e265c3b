"""CreateSource's checks that a source can be read before it is registered: the folder
exists, the database answers with the table, the bucket can be listed, the repository can be
fetched, a webhook source's secret is set. FAILED_PRECONDITION (SOURCE_UNREACHABLE) says
why; INVALID_ARGUMENT names a field that cannot work."""

from __future__ import annotations

import asyncio
from pathlib import Path

from services.indexer.sources import (
    ConfluenceConfig,
    FilesystemConfig,
    GitConfig,
    PostgresConfig,
    S3Config,
    SharePointConfig,
    SourceSpec,
    secret_from_env,
)
from services.runtime.errors import DomainError, FailedPrecondition, InvalidArgument


def _probe_folder(path: Path) -> None:
    if not path.is_dir():
        raise FailedPrecondition(
            message=f"{path} does not exist or is not a folder on the indexer host",
            reason="SOURCE_UNREACHABLE",
        )
    try:
        next(iter(path.iterdir()), None)
    except OSError as exc:
        raise FailedPrecondition(
            message=f"cannot read {path}: {exc.strerror}", reason="SOURCE_UNREACHABLE"
        ) from exc


async def probe_source(spec: SourceSpec) -> None:
    config = spec.config
    if isinstance(config, FilesystemConfig):
        await asyncio.to_thread(_probe_folder, Path(config.path))
        return
    if isinstance(config, PostgresConfig):
        from services.indexer.postgres import PostgresTable

        await asyncio.to_thread(PostgresTable(spec).check)
        return
    if isinstance(config, S3Config):
        from services.indexer.s3 import S3Bucket

        await asyncio.to_thread(S3Bucket(config).check)
        return
    if isinstance(config, ConfluenceConfig | SharePointConfig):
        # The secret must be there now; events are refused while it is missing later.
        name = "secret_env" if isinstance(config, ConfluenceConfig) else "client_state_env"
        env = getattr(config, name)
        if env:
            secret_from_env(env, f"source.{spec.kind.name.lower()}.{name}")
        return
    if isinstance(config, GitConfig):
        from services.indexer.git import check_repository

        await check_repository(config)
        return
    from services.indexer.database import DatabaseTable

    try:
        table = DatabaseTable(config)
    except DomainError:
        raise
    except Exception as exc:
        raise InvalidArgument(
            message=f"source.database.dsn: cannot use this URL: {type(exc).__name__}",
            reason="INVALID_DSN",
        ) from exc
    try:
        await asyncio.to_thread(table.check)
    finally:
        await asyncio.to_thread(table.dispose)

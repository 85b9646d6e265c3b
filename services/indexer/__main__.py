"""Run the IndexerService: ``python -m services.indexer``.

One replica per state file: the durable queues live in a local SQLite database
(``RAGMESH_INDEXER_STATE_PATH``), so run a single indexer per deployment.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import grpc

from rag.v1 import indexer_pb2_grpc
from services.indexer.confluence import ConfluenceEvents
from services.indexer.core import Indexer
from services.indexer.database import DatabasePoller
from services.indexer.detection import Detector
from services.indexer.event_sources import PushedSource
from services.indexer.filesystem import FilesystemWatcher
from services.indexer.git import GitFollower
from services.indexer.postgres import PostgresFollower
from services.indexer.rag_sink import RagServiceAccess, RagServiceSink
from services.indexer.s3 import S3Poller
from services.indexer.servicer import IndexerServicer
from services.indexer.settings import IndexerSettings
from services.indexer.sharepoint import SharePointEvents
from services.indexer.sources import (
    ConfluenceConfig,
    FilesystemConfig,
    GitConfig,
    PostgresConfig,
    S3Config,
    SharePointConfig,
    SourceSpec,
)
from services.indexer.webhook_http import WebhookEndpoint
from services.runtime.auth import service_credentials
from services.runtime.downstream import mesh_channel
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.IndexerService"


def detector_factory(settings: IndexerSettings):  # type: ignore[no-untyped-def]
    def make(spec: SourceSpec, indexer: Indexer) -> Detector:
        if isinstance(spec.config, FilesystemConfig):
            return FilesystemWatcher(
                spec,
                indexer,
                max_document_bytes=settings.max_document_bytes,
                debounce_s=settings.debounce_s,
                debounce_max_wait_s=settings.debounce_max_wait_s,
                max_pending_paths=settings.max_pending_paths,
            )
        if isinstance(spec.config, PostgresConfig):
            return PostgresFollower(spec, indexer, max_document_bytes=settings.max_document_bytes)
        if isinstance(spec.config, GitConfig):
            # Mirrors live beside the queue, in the indexer's own data folder.
            return GitFollower(
                spec,
                indexer,
                mirror_root=Path(settings.state_path).parent / "git",
                max_document_bytes=settings.max_document_bytes,
            )
        if isinstance(spec.config, S3Config):
            return S3Poller(spec, indexer, max_document_bytes=settings.max_document_bytes)
        if isinstance(spec.config, ConfluenceConfig):
            parse = ConfluenceEvents(spec.config.secret_env, spec.config.space_keys)
            return PushedSource(spec, indexer, parse)
        if isinstance(spec.config, SharePointConfig):
            return PushedSource(spec, indexer, SharePointEvents(spec.config.client_state_env))
        return DatabasePoller(spec, indexer, max_document_bytes=settings.max_document_bytes)

    return make


def build(runtime: RuntimeSettings, settings: IndexerSettings) -> Indexer:
    channel = mesh_channel(runtime)
    sink = RagServiceSink(channel, settings.apply_timeout_s)
    access = RagServiceAccess(channel, service_credentials(runtime))
    return Indexer(
        settings,
        sink,
        detector_factory(settings),
        access=access,
        writers_may_grant_everyone=runtime.writers_may_grant_everyone,
    )


def binding(indexer: Indexer) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        IndexerServicer(indexer),
        indexer_pb2_grpc.add_IndexerServiceServicer_to_server,
    )


async def main() -> None:
    runtime = RuntimeSettings()
    settings = IndexerSettings()
    indexer = build(runtime, settings)
    await indexer.start()
    on_stop = [indexer.stop]
    if settings.webhook_port >= 0:
        # A plain channel on purpose: the webhook forwards the caller's token or none, never
        # the service's own (mesh_channel would add it to calls without one).
        channel = grpc.aio.insecure_channel(runtime.envoy_address)
        webhook = WebhookEndpoint(
            channel,
            settings.webhook_host,
            settings.webhook_port,
            max_body_bytes=settings.max_notify_bytes * 4 // 3 + 65536,
            events=indexer.receive_event,
        )
        port = await webhook.start()
        print(f"RAGMESH_INDEXER_WEBHOOK http={port}", flush=True)
        on_stop.insert(0, webhook.stop)
    await serve([binding(indexer)], runtime, on_stop=on_stop)


if __name__ == "__main__":
    asyncio.run(main())

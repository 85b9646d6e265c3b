"""Run one VectorStoreService replica: ``python -m services.vector_store``."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from rag.v1 import vector_store_pb2_grpc
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings
from services.vector_store.core import ChunkStore, QueryEmbedder, VectorStore, open_client
from services.vector_store.query_embedding import EmbeddingServiceEmbedder
from services.vector_store.servicer import VectorStoreServicer
from services.vector_store.settings import VectorStoreSettings

SERVICE_NAME = "rag.v1.VectorStoreService"
log = logging.getLogger(__name__)


def binding(store: VectorStore, writers_may_grant_everyone: bool = False) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        VectorStoreServicer(store, writers_may_grant_everyone),
        vector_store_pb2_grpc.add_VectorStoreServiceServicer_to_server,
    )


def runtime_settings(settings: VectorStoreSettings) -> RuntimeSettings:
    """The contract accepts upserts up to 128 MiB: raise the message limit unless set."""
    runtime = RuntimeSettings()
    if "max_message_bytes" in runtime.model_fields_set:  # RAGMESH_MAX_MESSAGE_BYTES was set
        return runtime
    return runtime.model_copy(update={"max_message_bytes": settings.max_request_bytes})


async def main() -> None:
    settings = VectorStoreSettings()
    runtime = runtime_settings(settings)
    chunk_store = await asyncio.to_thread(ChunkStore, open_client(settings), settings)
    embedder = EmbeddingServiceEmbedder(runtime, settings.embedding_target)
    query_embedder: QueryEmbedder = embedder
    store = VectorStore(chunk_store, query_embedder)
    # The keyword index starts from what Chroma holds, before serving.
    loaded = await asyncio.to_thread(chunk_store.sync_keyword_index, True)
    log.info("keyword index loaded with %d documents", loaded)
    stop = asyncio.Event()
    syncing = asyncio.create_task(store.sync_forever(stop))

    async def shutdown() -> None:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await syncing
        await embedder.close()
        await store.close()

    await serve([binding(store, runtime.writers_may_grant_everyone)], runtime, on_stop=[shutdown])


if __name__ == "__main__":
    asyncio.run(main())

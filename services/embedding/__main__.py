"""Run one EmbeddingService replica: ``python -m services.embedding``."""

from __future__ import annotations

import asyncio
import logging
import sys

from rag.v1 import embedding_pb2_grpc
from services.embedding.core import EmbeddingModel, MicroBatcher, build_encoder
from services.embedding.servicer import EmbeddingServicer
from services.embedding.settings import EmbeddingSettings
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.EmbeddingService"
log = logging.getLogger(__name__)


def build_model(settings: EmbeddingSettings) -> EmbeddingModel:
    encoder = build_encoder(settings)
    log.info("embedding with %s, %d thread(s)", encoder.backend_name, settings.resolved_threads())
    batcher = MicroBatcher(
        encoder,
        settings.micro_batch_max_texts,
        settings.micro_batch_wait_ms / 1000.0,
        settings.background_batch_max_texts,
        settings.background_niceness,
    )
    return EmbeddingModel(
        batcher,
        model_id=settings.model_id,
        dimensions=encoder.dimensions,
        max_sequence_length=settings.max_sequence_length,
        max_texts=settings.max_texts_per_request,
        max_text_chars=settings.max_text_chars,
    )


def binding(model: EmbeddingModel) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        EmbeddingServicer(model),
        embedding_pb2_grpc.add_EmbeddingServiceServicer_to_server,
    )


async def main() -> None:
    settings = EmbeddingSettings()
    # The background lane's Python work (tokenising, pooling) holds the GIL up to the
    # switch interval (5 ms by default) while an interactive call waits for it: a setting of
    # the process, so it is made here, not where the model is built.
    sys.setswitchinterval(settings.gil_switch_interval_ms / 1000.0)
    model = build_model(settings)
    await serve([binding(model)], RuntimeSettings(), on_stop=[model.close])


if __name__ == "__main__":
    asyncio.run(main())

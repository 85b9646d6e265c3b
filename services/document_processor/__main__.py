"""Run one DocumentProcessorService replica: ``python -m services.document_processor``."""

from __future__ import annotations

import asyncio

import numpy as np

from rag.v1 import (
    document_processor_pb2_grpc,
    embedding_pb2,
    embedding_pb2_grpc,
    multi_modal_pb2_grpc,
)
from services.document_processor.core import DocumentProcessor
from services.document_processor.multi_modal_client import mesh_extractor
from services.document_processor.servicer import DocumentProcessorServicer
from services.document_processor.settings import DocumentProcessorSettings
from services.runtime.downstream import mesh_channel
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.DocumentProcessorService"


def build(settings: DocumentProcessorSettings, runtime: RuntimeSettings) -> DocumentProcessor:
    channel = mesh_channel(runtime)
    embedding = embedding_pb2_grpc.EmbeddingServiceStub(channel)

    async def embed(texts: list[str]) -> np.ndarray:
        # Semantic chunking embeds sentences through the mesh, 256 at a time (contract limit).
        rows: list[list[float]] = []
        for start in range(0, len(texts), 256):
            response = await embedding.Embed(
                embedding_pb2.EmbedRequest(texts=texts[start : start + 256])
            )
            rows.extend(list(e.values) for e in response.embeddings)
        return np.asarray(rows, dtype=np.float32)

    extract = None
    if settings.multi_modal_routing:
        extract = mesh_extractor(
            multi_modal_pb2_grpc.MultiModalServiceStub(channel), settings.multi_modal_timeout_s
        )
    return DocumentProcessor(
        settings.max_document_bytes,
        settings.max_chunks,
        settings.max_parallel_documents,
        embed=embed,
        extract=extract,
    )


def binding(processor: DocumentProcessor) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        DocumentProcessorServicer(processor),
        document_processor_pb2_grpc.add_DocumentProcessorServiceServicer_to_server,
    )


async def main() -> None:
    runtime = RuntimeSettings()
    await serve([binding(build(DocumentProcessorSettings(), runtime))], runtime)


if __name__ == "__main__":
    asyncio.run(main())

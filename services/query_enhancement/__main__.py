"""Run one QueryEnhancementService replica: ``python -m services.query_enhancement``."""

from __future__ import annotations

import asyncio

from rag.v1 import (
    common_pb2,
    embedding_pb2,
    embedding_pb2_grpc,
    generation_pb2,
    generation_pb2_grpc,
    query_enhancement_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from services.query_enhancement.core import Feedback, QueryEnhancer
from services.query_enhancement.servicer import QueryEnhancementServicer
from services.query_enhancement.settings import QueryEnhancementSettings
from services.runtime.downstream import mesh_channel
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.QueryEnhancementService"


def build(runtime: RuntimeSettings, settings: QueryEnhancementSettings) -> QueryEnhancer:
    channel = mesh_channel(runtime)
    store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
    generation = generation_pb2_grpc.GenerationServiceStub(channel)
    embedding = embedding_pb2_grpc.EmbeddingServiceStub(channel)

    async def search(query: str, k: int) -> list[Feedback]:
        response = await store.SearchChunks(
            vector_store_pb2.SearchChunksRequest(
                query=query, options=common_pb2.RetrievalOptions(top_k=k)
            )
        )
        return [Feedback(s.chunk.text, s.score) for s in response.scored_chunks]

    async def hypothesize(question: str) -> str:
        response = await generation.GenerateHypotheticalDocument(
            generation_pb2.GenerateHypotheticalDocumentRequest(question=question)
        )
        return response.hypothetical_document

    async def embed(texts: list[str]) -> list[list[float]]:
        response = await embedding.Embed(embedding_pb2.EmbedRequest(texts=texts))
        return [list(e.values) for e in response.embeddings]

    return QueryEnhancer(search, hypothesize, embed, settings)


def binding(enhancer: QueryEnhancer) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        QueryEnhancementServicer(enhancer),
        query_enhancement_pb2_grpc.add_QueryEnhancementServiceServicer_to_server,
    )


async def main() -> None:
    runtime = RuntimeSettings()
    await serve([binding(build(runtime, QueryEnhancementSettings()))], runtime)


if __name__ == "__main__":
    asyncio.run(main())

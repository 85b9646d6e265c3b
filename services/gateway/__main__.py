"""Run one RagService (gateway) replica: ``python -m services.gateway``.

The gateway also answers server reflection for every rag.v1 contract, so that
``grpcurl`` through Envoy sees the whole API (Envoy routes reflection here).
"""

from __future__ import annotations

import asyncio

import grpc

from rag.v1 import (
    agent_pb2,
    document_processor_pb2_grpc,
    embedding_pb2_grpc,
    evaluation_pb2,
    evaluation_pb2_grpc,
    generation_pb2_grpc,
    graph_pb2,
    graph_pb2_grpc,
    indexer_pb2,
    mesh_control_pb2,
    multi_modal_pb2,
    query_enhancement_pb2_grpc,
    rag_pb2_grpc,
    vector_store_pb2_grpc,
)
from services.common.retrieval import RetrievalClients, Retriever
from services.gateway.asking import Asker
from services.gateway.experiments import ExperimentClient
from services.gateway.graph_expansion import ExpansionSettings, GraphExpansion
from services.gateway.pipeline import Clients, RagPipeline
from services.gateway.servicer import RagServicer
from services.gateway.settings import GatewaySettings
from services.runtime.auth import service_credentials
from services.runtime.downstream import mesh_channel
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.RagService"
# Every contract, for reflection (importing the modules registers their descriptors).
ALL_SERVICES = [
    "rag.v1.DocumentProcessorService",
    "rag.v1.EmbeddingService",
    "rag.v1.VectorStoreService",
    "rag.v1.QueryEnhancementService",
    "rag.v1.GenerationService",
    "rag.v1.RagService",
    *(
        m.DESCRIPTOR.services_by_name[name].full_name
        for m, name in (
            (evaluation_pb2, "EvaluationService"),
            (graph_pb2, "GraphService"),
            (agent_pb2, "AgentService"),
            (multi_modal_pb2, "MultiModalService"),
            (indexer_pb2, "IndexerService"),
            (mesh_control_pb2, "MeshControlService"),
        )
    ),
]


def build(
    runtime: RuntimeSettings,
    settings: GatewaySettings,
    experiments: ExperimentClient | None = None,
) -> tuple[Asker, RagPipeline]:
    """The Ask path and the documents path, sharing one channel and one graph expansion."""
    channel = mesh_channel(runtime)
    embedding = embedding_pb2_grpc.EmbeddingServiceStub(channel)
    store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
    graph = graph_expansion(channel, settings)
    retriever = Retriever(
        RetrievalClients(
            embedding=embedding,
            store=store,
            enhancement=query_enhancement_pb2_grpc.QueryEnhancementServiceStub(channel),
        ),
        settings.fusion_k,
        graph,
    )
    generation = generation_pb2_grpc.GenerationServiceStub(channel)
    asker = Asker(retriever, generation, settings, experiments)
    clients = Clients(
        processor=document_processor_pb2_grpc.DocumentProcessorServiceStub(channel),
        embedding=embedding,
        store=store,
    )
    return asker, RagPipeline(clients, settings, graph)


def graph_expansion(channel: grpc.aio.Channel, settings: GatewaySettings) -> GraphExpansion | None:
    """GraphService at ingest, delete and Ask (via Envoy), unless disabled."""
    if not settings.graph_enabled:
        return None
    return GraphExpansion(
        graph_pb2_grpc.GraphServiceStub(channel),
        vector_store_pb2_grpc.VectorStoreServiceStub(channel),
        ExpansionSettings(
            auto_min_entities=settings.graph_auto_min_entities,
            max_hops=settings.graph_max_hops,
            max_chunks=settings.graph_max_chunks,
            weight=settings.graph_weight,
            fusion_k=settings.fusion_k,
            timeout_s=settings.graph_timeout_s,
        ),
    )


def experiment_client(runtime: RuntimeSettings, settings: GatewaySettings) -> ExperimentClient:
    """A/B assignment and answer signals through EvaluationService (via Envoy)."""
    stub = evaluation_pb2_grpc.EvaluationServiceStub(mesh_channel(runtime))
    return ExperimentClient(stub, settings, service_credentials(runtime))


def binding(asker: Asker, pipeline: RagPipeline, settings: GatewaySettings) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        RagServicer(asker, pipeline, settings),
        rag_pb2_grpc.add_RagServiceServicer_to_server,
    )


async def main() -> None:
    runtime = RuntimeSettings()
    settings = GatewaySettings()
    experiments = experiment_client(runtime, settings)
    await serve(
        [binding(*build(runtime, settings, experiments), settings)],
        runtime,
        reflection_services=ALL_SERVICES,
        on_stop=[experiments.drain],
    )


if __name__ == "__main__":
    asyncio.run(main())

"""Run one RagService (gateway) replica: ``python -m services.gateway``.

The gateway also answers server reflection for every rag.v1 contract, so that
``grpcurl`` through Envoy sees the whole API (Envoy routes reflection here).
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil

import grpc

import rag.v1
from rag.v1 import (
    document_processor_pb2_grpc,
    embedding_pb2_grpc,
    evaluation_pb2_grpc,
    generation_pb2_grpc,
    graph_pb2_grpc,
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


def contract_services() -> list[str]:
    """Every rag.v1 service, for reflection: the contracts are the one list (importing each
    module registers its descriptors, so reflection can describe them)."""
    names: list[str] = []
    for module in pkgutil.iter_modules(rag.v1.__path__):
        if module.name.endswith("_pb2"):
            descriptor = importlib.import_module(f"rag.v1.{module.name}").DESCRIPTOR
            names.extend(service.full_name for service in descriptor.services_by_name.values())
    return sorted(names)


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
    return asker, RagPipeline(clients, settings, graph, runtime.writers_may_grant_everyone)


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
        reflection_services=contract_services(),
        on_stop=[experiments.drain],
    )


if __name__ == "__main__":
    asyncio.run(main())

"""Run one GraphService replica: ``python -m services.graph``.

Replicas share nothing but the SQLite file: run one replica per database file (SQLite
serialises writers, and WAL lets a second process read while one writes).
"""

from __future__ import annotations

import asyncio

from rag.v1 import graph_pb2_grpc
from services.graph.core import GraphService
from services.graph.servicer import GraphServicer
from services.graph.settings import GraphSettings
from services.graph.store import GraphStore
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.GraphService"


def binding(graph: GraphService, writers_may_grant_everyone: bool = False) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        GraphServicer(graph, writers_may_grant_everyone),
        graph_pb2_grpc.add_GraphServiceServicer_to_server,
    )


async def main() -> None:
    settings = GraphSettings()
    runtime = RuntimeSettings()
    graph = GraphService(GraphStore(settings.database_path), settings)
    await serve(
        [binding(graph, runtime.writers_may_grant_everyone)], runtime, on_stop=[graph.close]
    )


if __name__ == "__main__":
    asyncio.run(main())

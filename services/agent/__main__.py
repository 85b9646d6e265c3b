"""Run one AgentService replica: ``python -m services.agent``."""

from __future__ import annotations

import asyncio

from rag.v1 import agent_pb2_grpc
from services.agent.core import Agent
from services.agent.mesh_tools import MeshClients
from services.agent.servicer import AgentServicer, ToolsFactory
from services.agent.settings import AgentSettings
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.AgentService"


def binding(agent: Agent, tools: ToolsFactory, settings: AgentSettings) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        AgentServicer(agent, tools, settings),
        agent_pb2_grpc.add_AgentServiceServicer_to_server,
    )


async def main() -> None:
    runtime = RuntimeSettings()
    settings = AgentSettings()
    clients = MeshClients.connect(runtime, settings)
    await serve(
        [binding(Agent(settings), clients.tools, settings)], runtime, on_stop=[clients.close]
    )


if __name__ == "__main__":
    asyncio.run(main())

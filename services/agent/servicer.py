"""gRPC surface of AgentService: converts messages and drives the Agent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from rag.v1 import agent_pb2, agent_pb2_grpc, common_pb2
from services.agent.convert import agent_result, agent_step, run_request
from services.agent.core import Agent, AgentResult, Tools
from services.agent.settings import AgentSettings
from services.runtime.server import RpcContext

# Builds one run's tools from the request's retrieval options (MeshClients.tools in service).
ToolsFactory = Callable[[common_pb2.RetrievalOptions], Tools]


class AgentServicer(agent_pb2_grpc.AgentServiceServicer):
    def __init__(self, agent: Agent, tools: ToolsFactory, settings: AgentSettings) -> None:
        self._agent = agent
        self._tools = tools
        self._settings = settings

    async def RunAgent(
        self, request: agent_pb2.RunAgentRequest, context: RpcContext
    ) -> agent_pb2.RunAgentResponse:
        run = run_request(self._settings, request)
        result = await self._agent.run_to_end(
            run, self._tools(request.retrieval), context.time_remaining()
        )
        return agent_pb2.RunAgentResponse(result=agent_result(result))

    async def RunAgentStream(
        self, request: agent_pb2.RunAgentStreamRequest, context: RpcContext
    ) -> AsyncIterator[agent_pb2.RunAgentStreamResponse]:
        run = run_request(self._settings, request)
        tools = self._tools(request.retrieval)
        async for event in self._agent.run(run, tools, context.time_remaining()):
            if isinstance(event, AgentResult):
                yield agent_pb2.RunAgentStreamResponse(result=agent_result(event))
            else:
                yield agent_pb2.RunAgentStreamResponse(step=agent_step(event))

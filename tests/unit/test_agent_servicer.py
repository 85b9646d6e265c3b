"""AgentService over in-process gRPC with fake tools: status codes, trace and streaming."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from google.protobuf import duration_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from rag.v1 import agent_pb2, agent_pb2_grpc, common_pb2
from services.agent.__main__ import binding
from services.agent.core import Agent, Tools
from services.agent.settings import AgentSettings
from services.runtime.server import create_server
from services.runtime.settings import RuntimeSettings
from tests.unit.test_agent import FakeRetriever, FakeWriter

RUNTIME = RuntimeSettings(port=0, metrics_port=-1, grace_period_s=0)
Code = grpc.StatusCode


@pytest.fixture
async def stub() -> AsyncIterator[agent_pb2_grpc.AgentServiceStub]:
    settings = AgentSettings(answer_margin_s=0.5, max_concurrent_runs=2)

    def tools(options: common_pb2.RetrievalOptions) -> Tools:
        return Tools(FakeRetriever(), FakeWriter())

    host = await create_server([binding(Agent(settings), tools, settings)], RUNTIME)
    await host.start()
    async with grpc.aio.insecure_channel(host.address) as channel:
        yield agent_pb2_grpc.AgentServiceStub(channel)
    await host.stop(grace=0)


async def test_run_agent_returns_answer_citations_and_trace(
    stub: agent_pb2_grpc.AgentServiceStub,
) -> None:
    response = await stub.RunAgent(
        agent_pb2.RunAgentRequest(question="How does Envoy pick a replica?"), timeout=10
    )
    result = response.result
    kinds = [s.kind for s in result.steps]
    assert kinds == [
        agent_pb2.AGENT_STEP_KIND_PLAN,
        agent_pb2.AGENT_STEP_KIND_RETRIEVE,
        agent_pb2.AGENT_STEP_KIND_CHECK,
        agent_pb2.AGENT_STEP_KIND_ANSWER,
    ]
    assert result.stop_reason == agent_pb2.AGENT_STOP_REASON_SUFFICIENT and not result.partial
    assert result.citations[0].chunk_id == "envoy#0" and result.citations[0].marker == 1
    assert result.steps[1].found_chunk_ids[0] == "envoy#0"
    assert result.steps[2].sufficiency_score == result.final_sufficiency_score >= 0.7
    assert result.duration.ToTimedelta().total_seconds() > 0


async def test_stream_sends_each_step_then_one_result(
    stub: agent_pb2_grpc.AgentServiceStub,
) -> None:
    events = [
        e
        async for e in stub.RunAgentStream(
            agent_pb2.RunAgentStreamRequest(
                question="What is reciprocal rank fusion and how does Envoy pick a replica?"
            ),
            timeout=10,
        )
    ]
    assert [e.WhichOneof("event") for e in events][-1] == "result"
    steps = [e.step for e in events[:-1]]
    assert all(e.WhichOneof("event") == "step" for e in events[:-1])
    assert [s.step_number for s in steps] == list(range(1, len(steps) + 1))
    assert agent_pb2.AGENT_STEP_KIND_REFINE in [s.kind for s in steps]
    assert list(events[-1].result.steps) == steps


async def test_step_budget_exhaustion_is_a_partial_answer_not_an_error(
    stub: agent_pb2_grpc.AgentServiceStub,
) -> None:
    response = await stub.RunAgent(
        agent_pb2.RunAgentRequest(
            question="What is reciprocal rank fusion and how does Envoy pick a replica?",
            budget=agent_pb2.AgentBudget(max_steps=1),
        ),
        timeout=10,
    )
    result = response.result
    assert result.partial and result.stop_reason == agent_pb2.AGENT_STOP_REASON_STEP_BUDGET
    assert result.answer and result.citations


@pytest.mark.parametrize(
    ("request_fields", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "q" * 2001}, "question"),
        ({"budget": agent_pb2.AgentBudget(max_steps=-1)}, "budget.max_steps"),
        ({"budget": agent_pb2.AgentBudget(max_steps=11)}, "budget.max_steps"),
        (
            {"budget": agent_pb2.AgentBudget(time_budget=duration_pb2.Duration(seconds=-1))},
            "budget.time_budget",
        ),
        (
            {"budget": agent_pb2.AgentBudget(time_budget=duration_pb2.Duration(seconds=121))},
            "budget.time_budget",
        ),
        ({"sufficiency_threshold": 1.01}, "sufficiency_threshold"),
    ],
)
async def test_bad_input_is_invalid_argument_with_the_field(
    stub: agent_pb2_grpc.AgentServiceStub, request_fields: dict[str, object], field: str
) -> None:
    fields: dict[str, object] = {"question": "What is BM25?", **request_fields}
    for call in (
        stub.RunAgent(agent_pb2.RunAgentRequest(**fields), timeout=10),  # type: ignore[arg-type]
        _drain(stub.RunAgentStream(agent_pb2.RunAgentStreamRequest(**fields), timeout=10)),  # type: ignore[arg-type]
    ):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await call
        assert err.value.code() == Code.INVALID_ARGUMENT, err.value.details()
        status = rpc_status.from_call(err.value)
        assert status is not None
        bad = error_details_pb2.BadRequest()
        assert any(d.Unpack(bad) for d in status.details)
        assert bad.field_violations[0].field == field


async def test_exhausted_time_budget_still_answers_partially(
    stub: agent_pb2_grpc.AgentServiceStub,
) -> None:
    # A 1 ns budget is gone before the first round: the agent answers, marked partial.
    response = await stub.RunAgent(
        agent_pb2.RunAgentRequest(
            question="How does Envoy pick a replica?",
            budget=agent_pb2.AgentBudget(time_budget=duration_pb2.Duration(nanos=1)),
        ),
        timeout=10,
    )
    assert response.result.partial
    assert response.result.stop_reason == agent_pb2.AGENT_STOP_REASON_TIME_BUDGET


async def _drain(call: object) -> None:
    async for _ in call:  # type: ignore[attr-defined]
        pass

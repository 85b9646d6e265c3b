"""`ragmesh agent "QUESTION" [--stream]`: run the agent through Envoy and print its trace.

Registered on the `ragmesh` parser by ragmesh/cli.py; talks to AgentService only.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import grpc

from rag.v1 import agent_pb2, agent_pb2_grpc, common_pb2
from services.common.convert import duration

Metadata = tuple[tuple[str, str], ...]


def add_command(commands: Any, default_address: str) -> None:
    """Register `agent` on the `ragmesh` subcommand parser."""
    agent = commands.add_parser(
        "agent", help="answer a complex question by planning, retrieving and checking"
    )
    agent.add_argument("question")
    agent.add_argument("--address", default=default_address)
    agent.add_argument("--stream", action="store_true", help="print each step as it completes")
    agent.add_argument("--max-steps", type=int, default=0, help="retrieval rounds (default 4)")
    agent.add_argument("--time-budget", type=float, default=0.0, help="seconds (default 30)")
    agent.add_argument("--threshold", type=float, default=0.0, help="sufficiency (default 0.7)")
    agent.add_argument("--top-k", type=int, default=0, help="chunks per search (default 10)")
    agent.add_argument("--graph", action="store_true", help="expand through the knowledge graph")


async def run(args: argparse.Namespace, metadata: Metadata) -> int:
    budget = agent_pb2.AgentBudget(max_steps=args.max_steps)
    if args.time_budget:
        budget.time_budget.CopyFrom(duration(args.time_budget))
    fields: dict[str, Any] = dict(
        question=args.question,
        budget=budget,
        retrieval=common_pb2.RetrievalOptions(top_k=args.top_k),
        sufficiency_threshold=args.threshold,
        use_graph=args.graph,
    )
    # The deadline leaves the agent its whole budget plus time to answer.
    timeout = (args.time_budget or 30.0) + 30.0
    async with grpc.aio.insecure_channel(args.address) as channel:
        stub = agent_pb2_grpc.AgentServiceStub(channel)
        if args.stream:
            async for event in stub.RunAgentStream(
                agent_pb2.RunAgentStreamRequest(**fields), timeout=timeout, metadata=metadata
            ):
                if event.WhichOneof("event") == "step":
                    print(format_step(event.step), flush=True)
                else:
                    print_result(event.result, with_steps=False)
            return 0
        response = await stub.RunAgent(
            agent_pb2.RunAgentRequest(**fields), timeout=timeout, metadata=metadata
        )
        print_result(response.result, with_steps=True)
    return 0


def format_step(step: agent_pb2.AgentStep) -> str:
    kind = agent_pb2.AgentStepKind.Name(step.kind).removeprefix("AGENT_STEP_KIND_").lower()
    ms = step.duration.ToTimedelta().total_seconds() * 1000
    head = f"{step.step_number:>2}. {kind:<8} round {step.round}  {ms:7.1f} ms"
    lines = [head]
    if step.queries:
        lines.append("      queries: " + " | ".join(step.queries))
    if step.found_chunk_ids:
        lines.append(
            f"      found {len(step.found_chunk_ids)} ({step.new_chunk_count} new): "
            + ", ".join(step.found_chunk_ids[:5])
            + (" ..." if len(step.found_chunk_ids) > 5 else "")
        )
    if step.note:
        lines.append(f"      {step.note}")
    return "\n".join(lines)


def print_result(result: agent_pb2.AgentResult, with_steps: bool) -> None:
    if with_steps:
        for step in result.steps:
            print(format_step(step))
    reason = agent_pb2.AgentStopReason.Name(result.stop_reason).removeprefix("AGENT_STOP_REASON_")
    seconds = result.duration.ToTimedelta().total_seconds()
    print(f"\nA: {result.answer}")
    _print_citations(result.citations)
    partial = "PARTIAL answer, " if result.partial else ""
    print(
        f"   ({partial}stopped: {reason.lower()}, sufficiency "
        f"{result.final_sufficiency_score:.2f}, {seconds:.2f} s)"
    )


def _print_citations(citations: Sequence[common_pb2.Citation]) -> None:
    for c in citations:
        snippet = c.snippet if len(c.snippet) < 120 else c.snippet[:117] + "..."
        print(f"  [{c.marker}] {c.document_id} ({c.chunk_id}, score {c.score:.3f}): {snippet}")

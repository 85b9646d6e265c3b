"""AgentService with real processes: embedding, vector store, generation, evaluation, agent.

The multi-hop sample set (examples/multihop) is indexed through the real services; the
agent answers questions that need two linked documents, streams its steps, reports bad
input as INVALID_ARGUMENT and answers partially when its budget runs out. Query
enhancement and the graph point at a closed port, so their degradation is exercised too.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import duration_pb2

from rag.v1 import (
    agent_pb2,
    agent_pb2_grpc,
    common_pb2,
    embedding_pb2,
    embedding_pb2_grpc,
    vector_store_pb2,
    vector_store_pb2_grpc,
)
from tests.support.processes import REPO, ServiceProcess, free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

MULTIHOP = REPO / "examples" / "multihop"
QUIET = {
    "RAGMESH_METRICS_PORT": "-1",
    "RAGMESH_LOG_LEVEL": "WARNING",
    "RAGMESH_GRACE_PERIOD_S": "0",
}
Code = grpc.StatusCode


@pytest.fixture(scope="module")
def agent_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = Path(tmp_path_factory.mktemp("agent"))
    nowhere = f"127.0.0.1:{free_port()}"  # nothing listens: the service is "down"
    started: list[ServiceProcess] = []
    try:
        embedding = ServiceProcess("services.embedding", QUIET)
        started.append(embedding)
        generation = ServiceProcess("services.generation", QUIET)
        started.append(generation)
        embedding.wait_ready(120)
        store = ServiceProcess(
            "services.vector_store",
            {
                **QUIET,
                "RAGMESH_VECTOR_STORE_PERSIST_PATH": str(state / "chroma"),
                "RAGMESH_VECTOR_STORE_EMBEDDING_TARGET": embedding.address,
            },
        )
        started.append(store)
        evaluation = ServiceProcess(
            "services.evaluation",
            {
                **QUIET,
                "RAGMESH_EVALUATION_DATABASE_PATH": str(state / "evaluation.sqlite3"),
                "RAGMESH_EVALUATION_EMBEDDING_TARGET": embedding.address,
            },
        )
        started.append(evaluation)
        for process in (generation, store, evaluation):
            process.wait_ready(120)
        agent = ServiceProcess(
            "services.agent",
            {
                **QUIET,
                "RAGMESH_AGENT_VECTOR_STORE_TARGET": store.address,
                "RAGMESH_AGENT_EMBEDDING_TARGET": embedding.address,
                "RAGMESH_AGENT_GENERATION_TARGET": generation.address,
                "RAGMESH_AGENT_EVALUATION_TARGET": evaluation.address,
                "RAGMESH_AGENT_QUERY_ENHANCEMENT_TARGET": nowhere,
                "RAGMESH_AGENT_GRAPH_TARGET": nowhere,
            },
        )
        started.append(agent)
        agent.wait_ready(60)
        asyncio.run(_index_multihop(embedding.address, store.address))
        yield agent.address
    finally:
        for process in reversed(started):
            process.stop()


async def _index_multihop(embedding_address: str, store_address: str) -> None:
    """One chunk per sample document, embedded by the real model and stored."""
    documents = [json.loads(line) for line in (MULTIHOP / "documents.jsonl").open()]
    async with grpc.aio.insecure_channel(embedding_address) as channel:
        vectors = await embedding_pb2_grpc.EmbeddingServiceStub(channel).Embed(
            embedding_pb2.EmbedRequest(texts=[d["text"] for d in documents]), timeout=120
        )
    async with grpc.aio.insecure_channel(store_address) as channel:
        store = vector_store_pb2_grpc.VectorStoreServiceStub(channel)
        for document, vector in zip(documents, vectors.embeddings, strict=True):
            digest = hashlib.sha256(document["text"].encode()).hexdigest()
            chunk = common_pb2.Chunk(
                id=f"{document['id']}#0", position=0, text=document["text"], title=document["title"]
            )
            await store.UpsertDocument(
                vector_store_pb2.UpsertDocumentRequest(
                    document=common_pb2.Document(
                        id=document["id"], title=document["title"], content_hash=digest
                    ),
                    chunks=[vector_store_pb2.EmbeddedChunk(chunk=chunk, embedding=vector.values)],
                    embedding_model_id=vectors.model_id,
                ),
                timeout=30,
            )


@pytest.fixture
async def agent(agent_address: str) -> AsyncIterator[agent_pb2_grpc.AgentServiceStub]:
    async with grpc.aio.insecure_channel(agent_address) as channel:
        yield agent_pb2_grpc.AgentServiceStub(channel)


def _trace(result: agent_pb2.AgentResult) -> str:
    """The trace, for assertion messages."""
    return (
        "\n".join(
            f"{s.step_number} {agent_pb2.AgentStepKind.Name(s.kind)} {list(s.queries)} "
            f"{list(s.found_chunk_ids)} {s.sufficiency_score:.2f} {s.note}"
            for s in result.steps
        )
        + f"\nanswer: {result.answer}"
    )


def _found(result: agent_pb2.AgentResult) -> set[str]:
    return {c.split("#")[0] for s in result.steps for c in s.found_chunk_ids}


async def test_multi_hop_question_is_answered_from_both_linked_documents(
    agent: agent_pb2_grpc.AgentServiceStub,
) -> None:
    response = await agent.RunAgent(
        agent_pb2.RunAgentRequest(
            question="In which town is the company that acquired Widget Inc headquartered?",
            retrieval=common_pb2.RetrievalOptions(top_k=3),
        ),
        timeout=60,
    )
    result = response.result
    kinds = [s.kind for s in result.steps]
    assert kinds[0] == agent_pb2.AGENT_STEP_KIND_PLAN
    assert kinds[-1] == agent_pb2.AGENT_STEP_KIND_ANSWER
    # The second hop (mh02, found through the bridge entity of mh01) is in the evidence,
    # and the answer cites the linked documents, not the look-alike distractors.
    assert {"mh01", "mh02"} <= _found(result), _trace(result)
    cited = {c.document_id for c in result.citations}
    assert "mh01" in cited and cited <= {"mh01", "mh02"}, _trace(result)
    checks = [s for s in result.steps if s.kind == agent_pb2.AGENT_STEP_KIND_CHECK]
    # The real EvaluationService scored the evidence.
    assert "EvaluationService" in checks[0].note, checks[0].note
    assert result.stop_reason != agent_pb2.AGENT_STOP_REASON_UNSPECIFIED
    assert [s.step_number for s in result.steps] == list(range(1, len(result.steps) + 1))


async def test_stream_sends_steps_as_they_complete_then_the_result(
    agent: agent_pb2_grpc.AgentServiceStub,
) -> None:
    events = [
        e
        async for e in agent.RunAgentStream(
            agent_pb2.RunAgentStreamRequest(
                question="Who founded the lab that designed the Kestrel X-17 engine?",
                retrieval=common_pb2.RetrievalOptions(top_k=3),
            ),
            timeout=60,
        )
    ]
    kinds = [e.WhichOneof("event") for e in events]
    assert kinds[-1] == "result" and set(kinds[:-1]) == {"step"} and len(kinds) >= 5
    steps = [e.step for e in events[:-1]]
    assert steps[0].kind == agent_pb2.AGENT_STEP_KIND_PLAN
    assert steps[1].kind == agent_pb2.AGENT_STEP_KIND_RETRIEVE and steps[1].found_chunk_ids
    assert list(events[-1].result.steps) == steps
    assert "mh03" in _found(events[-1].result)


async def test_step_budget_exhaustion_answers_partially(
    agent: agent_pb2_grpc.AgentServiceStub,
) -> None:
    response = await agent.RunAgent(
        agent_pb2.RunAgentRequest(
            question="What is the difference between Widget Inc and Aurora Propulsion Labs?",
            budget=agent_pb2.AgentBudget(max_steps=1),
            sufficiency_threshold=1.0,
        ),
        timeout=60,
    )
    result = response.result
    assert result.partial
    assert result.stop_reason == agent_pb2.AGENT_STOP_REASON_STEP_BUDGET
    assert result.answer and result.final_sufficiency_score < 1.0
    retrieves = [s for s in result.steps if s.kind == agent_pb2.AGENT_STEP_KIND_RETRIEVE]
    assert len(retrieves) == 1


async def test_refinement_degrades_when_query_enhancement_is_down(
    agent: agent_pb2_grpc.AgentServiceStub,
) -> None:
    response = await agent.RunAgent(
        agent_pb2.RunAgentRequest(
            question="Who is the chief executive of the company that bought Widget Inc?",
            budget=agent_pb2.AgentBudget(max_steps=2),
            retrieval=common_pb2.RetrievalOptions(top_k=3),
            sufficiency_threshold=1.0,
            use_graph=True,
        ),
        timeout=60,
    )
    result = response.result
    retrieve = next(s for s in result.steps if s.kind == agent_pb2.AGENT_STEP_KIND_RETRIEVE)
    assert "graph expansion unavailable" in retrieve.note
    refine = [s for s in result.steps if s.kind == agent_pb2.AGENT_STEP_KIND_REFINE]
    assert refine and "QueryEnhancementService unavailable" in refine[0].note, _trace(result)
    assert result.answer


@pytest.mark.parametrize(
    "fields",
    [
        {"question": ""},
        {"question": "   "},
        {"budget": agent_pb2.AgentBudget(max_steps=-1)},
        {"budget": agent_pb2.AgentBudget(max_steps=11)},
        {"budget": agent_pb2.AgentBudget(time_budget=duration_pb2.Duration(seconds=-5))},
        {"budget": agent_pb2.AgentBudget(time_budget=duration_pb2.Duration(seconds=600))},
        {"sufficiency_threshold": -0.5},
    ],
)
async def test_bad_input_is_invalid_argument(
    agent: agent_pb2_grpc.AgentServiceStub, fields: dict[str, object]
) -> None:
    merged: dict[str, object] = {"question": "Who founded Aurora Propulsion Labs?", **fields}
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await agent.RunAgent(agent_pb2.RunAgentRequest(**merged), timeout=10)  # type: ignore[arg-type]
    assert err.value.code() == Code.INVALID_ARGUMENT, err.value.details()
    with pytest.raises(grpc.aio.AioRpcError) as err:
        async for _ in agent.RunAgentStream(
            agent_pb2.RunAgentStreamRequest(**merged),  # type: ignore[arg-type]
            timeout=10,
        ):
            pass
    assert err.value.code() == Code.INVALID_ARGUMENT, err.value.details()

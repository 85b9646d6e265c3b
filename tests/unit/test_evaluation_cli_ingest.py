"""`ragmesh eval --ingest-corpus`: the corpus goes in batches, more than one in flight."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

from rag.v1 import rag_pb2, rag_pb2_grpc
from ragmesh.evaluation import INGEST_BATCH, INGEST_IN_FLIGHT, _ingest_corpus


class CountingGateway(rag_pb2_grpc.RagServiceServicer):
    """Answers no batch until INGEST_IN_FLIGHT batches have been in flight together, so a
    client that sends one batch at a time never gets an answer; the guard timeout only
    keeps such a failure from hanging the test."""

    def __init__(self) -> None:
        self.received: list[list[str]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.changed = asyncio.Condition()

    async def BatchIngestDocuments(
        self, request: rag_pb2.BatchIngestDocumentsRequest, context: grpc.aio.ServicerContext
    ) -> rag_pb2.BatchIngestDocumentsResponse:
        ids = [d.id for d in request.documents]
        async with self.changed:
            self.received.append(ids)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.changed.notify_all()
            await asyncio.wait_for(
                self.changed.wait_for(lambda: self.most_in_flight >= INGEST_IN_FLIGHT), 10
            )
            self.in_flight -= 1
        results = [
            rag_pb2.BatchIngestDocumentsResult(
                document_id=i, result=rag_pb2.IngestResult(document_id=i, chunk_count=1)
            )
            for i in ids
        ]
        return rag_pb2.BatchIngestDocumentsResponse(results=results)


@pytest.fixture
async def corpus(tmp_path: Path) -> Path:
    rows = [{"_id": f"d{i}", "title": f"T{i}", "text": f"abstract {i}"} for i in range(100)]
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[CountingGateway, grpc.aio.Channel]]:
    servicer = CountingGateway()
    server = grpc.aio.server()
    rag_pb2_grpc.add_RagServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield servicer, channel
    finally:
        await channel.close()
        await server.stop(None)


async def test_the_corpus_is_sent_in_batches_several_in_flight(
    corpus: Path, gateway: tuple[CountingGateway, grpc.aio.Channel]
) -> None:
    servicer, channel = gateway
    await _ingest_corpus(channel, corpus, ())
    sent = [i for batch in servicer.received for i in batch]
    assert sorted(sent) == sorted(f"d{i}" for i in range(100))  # each exactly once
    assert all(len(batch) <= INGEST_BATCH for batch in servicer.received)
    assert len(servicer.received) == -(-100 // INGEST_BATCH)
    assert INGEST_IN_FLIGHT > 1 and servicer.most_in_flight == INGEST_IN_FLIGHT

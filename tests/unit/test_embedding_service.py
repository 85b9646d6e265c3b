"""EmbeddingService: real model, real pooling, micro-batching and limits over gRPC."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import numpy as np
import pytest

from rag.v1 import embedding_pb2, embedding_pb2_grpc
from services.embedding.__main__ import binding
from services.embedding.core import EmbeddingModel, MicroBatcher, SentenceEncoder
from services.runtime.server import ServiceHost, create_server
from services.runtime.settings import RuntimeSettings

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture
async def service(encoder: SentenceEncoder) -> AsyncIterator[tuple[ServiceHost, EmbeddingModel]]:
    model = EmbeddingModel(
        MicroBatcher(encoder, max_texts=64, wait_s=0.01),
        model_id=MODEL_ID,
        dimensions=encoder.dimensions,
        max_sequence_length=256,
        max_texts=8,
        max_text_chars=2000,
    )
    host = await create_server([binding(model)], RuntimeSettings(metrics_port=-1))
    await host.start()
    yield host, model
    await host.stop(grace=0)
    await model.close()


async def call(
    host: ServiceHost, texts: list[str], model_id: str = ""
) -> embedding_pb2.EmbedResponse:
    async with grpc.aio.insecure_channel(host.address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        return await stub.Embed(embedding_pb2.EmbedRequest(texts=texts, model_id=model_id))


def test_matches_sentence_transformers_known_similarity(encoder: SentenceEncoder) -> None:
    # The sentence-transformers documentation example: these two score 0.7553.
    a, b, c = encoder.encode(
        [
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
        ]
    )
    assert float(a.vector @ b.vector) == pytest.approx(0.7553, abs=1e-3)
    assert float(a.vector @ c.vector) < 0.2
    assert float(np.linalg.norm(a.vector)) == pytest.approx(1.0, abs=1e-5)


def test_vectors_equal_sentence_transformers_library(encoder: SentenceEncoder) -> None:
    from sentence_transformers import SentenceTransformer

    from services.embedding.settings import EmbeddingSettings

    texts = ["short", "A longer sentence about retrieval augmented generation. " * 3]
    reference = SentenceTransformer(EmbeddingSettings().model_path, device="cpu").encode(
        texts, normalize_embeddings=True
    )
    ours = np.stack([e.vector for e in encoder.encode(texts)])
    assert np.abs(ours - reference).max() < 1e-5


def test_long_text_is_truncated_and_flagged(encoder: SentenceEncoder) -> None:
    short, long = encoder.encode(["a few words", "word " * 1000])
    assert not short.truncated
    assert long.truncated and long.token_count == 256


async def test_embed_returns_model_id_and_vectors(
    service: tuple[ServiceHost, EmbeddingModel],
) -> None:
    host, _ = service
    response = await call(host, ["retrieval", "generation"])
    assert response.model_id == MODEL_ID
    assert response.dimensions == 384
    assert [len(e.values) for e in response.embeddings] == [384, 384]


async def test_concurrent_calls_are_micro_batched(
    service: tuple[ServiceHost, EmbeddingModel],
) -> None:
    host, model = service
    batcher = model._batcher
    before = batcher.batches_run
    responses = await asyncio.gather(*(call(host, [f"query number {i}"]) for i in range(12)))
    assert all(len(r.embeddings) == 1 for r in responses)
    assert batcher.batches_run - before < 12  # several calls shared a batch
    # Each caller got its own text's vector back, not a neighbour's.
    direct = model._batcher._encoder.encode(["query number 7"])[0].vector
    assert np.allclose(np.asarray(responses[7].embeddings[0].values), direct, atol=1e-5)


@pytest.mark.parametrize(
    ("texts", "code", "fragment"),
    [
        ([], grpc.StatusCode.INVALID_ARGUMENT, "texts is empty"),
        (["ok", "   "], grpc.StatusCode.INVALID_ARGUMENT, "texts[1]"),
        (["x" * 2001], grpc.StatusCode.INVALID_ARGUMENT, "limit is 2000"),
        (["t"] * 9, grpc.StatusCode.RESOURCE_EXHAUSTED, "limit is 8"),
    ],
)
async def test_bad_input(
    service: tuple[ServiceHost, EmbeddingModel],
    texts: list[str],
    code: grpc.StatusCode,
    fragment: str,
) -> None:
    host, _ = service
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call(host, texts)
    assert err.value.code() == code
    assert fragment in err.value.details()


async def test_model_mismatch_is_failed_precondition(
    service: tuple[ServiceHost, EmbeddingModel],
) -> None:
    host, _ = service
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call(host, ["x"], model_id="other-model")
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION

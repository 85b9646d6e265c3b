"""EmbeddingService: real model, real pooling, micro-batching and limits over gRPC."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import grpc
import numpy as np
import pytest

from rag.v1 import embedding_pb2, embedding_pb2_grpc
from services.embedding.__main__ import binding
from services.embedding.backends import split_rows
from services.embedding.core import (
    EmbeddingModel,
    EncodedText,
    MicroBatcher,
    SentenceEncoder,
    build_encoder,
    plan_batches,
)
from services.embedding.settings import EmbeddingSettings
from services.runtime.server import ServiceHost, create_server
from services.runtime.settings import RuntimeSettings

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
SIMILARITY_EXAMPLE = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
]


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


@pytest.fixture(scope="module", params=["onnx", "torch"])
def fp32_encoder(request: pytest.FixtureRequest) -> SentenceEncoder:
    """Each full-precision backend: both must reproduce sentence-transformers exactly."""
    return build_encoder(EmbeddingSettings(), backend=request.param, threads=1)


def test_matches_sentence_transformers_known_similarity(fp32_encoder: SentenceEncoder) -> None:
    # The sentence-transformers documentation example: these two score 0.7553.
    a, b, c = fp32_encoder.encode(SIMILARITY_EXAMPLE)
    assert float(a.vector @ b.vector) == pytest.approx(0.7553, abs=1e-3)
    assert float(a.vector @ c.vector) < 0.2
    assert float(np.linalg.norm(a.vector)) == pytest.approx(1.0, abs=1e-5)


def test_vectors_equal_sentence_transformers_library(fp32_encoder: SentenceEncoder) -> None:
    from sentence_transformers import SentenceTransformer

    texts = ["short", "A longer sentence about retrieval augmented generation. " * 3, "word " * 400]
    reference = SentenceTransformer(EmbeddingSettings().model_path, device="cpu").encode(
        texts, normalize_embeddings=True
    )
    ours = np.stack([e.vector for e in fp32_encoder.encode(texts)])
    assert np.abs(ours - reference).max() < 1e-5


@pytest.fixture(scope="module", params=["openvino-int8", "onnx-int8"])
def quantised_encoder(request: pytest.FixtureRequest) -> SentenceEncoder:
    """Each quantised backend, on one thread."""
    return build_encoder(EmbeddingSettings(), backend=request.param, threads=1)


def test_default_backend_is_openvino_int8(encoder: SentenceEncoder) -> None:
    assert encoder.backend_name == EmbeddingSettings().backend == "openvino-int8"


def test_quantised_backends_stay_close_to_full_precision(
    quantised_encoder: SentenceEncoder,
) -> None:
    # Not bit-equal, but the same geometry. (Retrieval quality is judged by nDCG in
    # bench.embed; this catches a broken graph, mask or pooling.) Five texts padded to the
    # longest are a batch big enough for OpenVINO's path; alone, each takes the small path.
    full = build_encoder(EmbeddingSettings(), backend="onnx", threads=1)
    texts = [*SIMILARITY_EXAMPLE, "short", "Mean pooling over real tokens only. " * 20]
    reference = np.stack([e.vector for e in full.encode(texts)])
    batched = np.stack([e.vector for e in quantised_encoder.encode(texts)])
    alone = np.stack([quantised_encoder.encode([t])[0].vector for t in texts])
    for quantised in (batched, alone):
        assert (quantised * reference).sum(axis=1).min() > 0.97
        a, b, c = quantised[:3]
        assert float(a @ b) == pytest.approx(0.7553, abs=0.02)
        assert float(a @ c) < 0.2
        assert np.allclose(np.linalg.norm(quantised, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("count", [20, 70])
def test_jobs_on_two_streams_keep_their_order_and_their_vectors(count: int) -> None:
    # Two threads are two OpenVINO streams: one batch's rows split across them (20 texts),
    # or several batches as jobs, largest first (70). The vectors come back in the callers'
    # order and as one stream computes them (the same kernels).
    texts = [f"Passage {i} about topic {i % 5}. " * (1 + 3 * (i % 7)) for i in range(count)]
    one = build_encoder(EmbeddingSettings(), backend="openvino-int8", threads=1)
    two = build_encoder(EmbeddingSettings(), backend="openvino-int8", threads=2)
    alone = np.stack([e.vector for e in one.encode(texts)])
    split = np.stack([e.vector for e in two.encode(texts)])
    assert (alone * split).sum(axis=1).min() > 0.999
    # Each row is its own text's vector, not a neighbour's.
    assert np.argmax(split @ alone.T, axis=1).tolist() == list(range(count))


@pytest.mark.parametrize(
    ("rows", "streams", "parts"),
    [
        (1, 2, [(0, 1)]),
        (3, 2, [(0, 2), (2, 3)]),
        (7, 3, [(0, 3), (3, 6), (6, 7)]),
        (20, 2, [(0, 16), (16, 20)]),
        (32, 2, [(0, 16), (16, 32)]),
        (33, 2, [(0, 24), (24, 33)]),
        (40, 1, [(0, 40)]),
    ],
)
def testsplit_rows_covers_every_row_once_in_bucketed_parts(
    rows: int, streams: int, parts: list[tuple[int, int]]
) -> None:
    assert split_rows(rows, streams) == parts


def test_padding_does_not_change_a_vector(
    fp32_encoder: SentenceEncoder, encoder: SentenceEncoder
) -> None:
    # A text embedded alone and next to a much longer one (so padded): in full precision the
    # same vector; quantised, alone and batched take different paths, so only nearly the same.
    texts = ["hybrid retrieval", "a much longer neighbour text " * 30]
    alone = fp32_encoder.encode(texts[:1])[0].vector
    assert np.abs(alone - fp32_encoder.encode(texts)[0].vector).max() < 1e-5
    alone = encoder.encode(texts[:1])[0].vector
    assert float(alone @ encoder.encode(texts)[0].vector) > 0.98


def test_long_text_is_truncated_and_flagged(encoder: SentenceEncoder) -> None:
    short, long = encoder.encode(["a few words", "word " * 1000])
    assert not short.truncated
    assert long.truncated and long.token_count == 256


async def test_background_priority_over_grpc_and_backend_in_model_info(
    service: tuple[ServiceHost, EmbeddingModel],
) -> None:
    host, _ = service
    async with grpc.aio.insecure_channel(host.address) as channel:
        stub = embedding_pb2_grpc.EmbeddingServiceStub(channel)
        info = await stub.GetModel(embedding_pb2.GetModelRequest())
        background = await stub.Embed(
            embedding_pb2.EmbedRequest(
                texts=["scored later"], priority=embedding_pb2.EMBED_PRIORITY_BACKGROUND
            )
        )
    assert info.model.backend == "openvino-int8"
    assert len(background.embeddings[0].values) == 384


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
    topics = (
        "apples rivers engines poetry taxes glaciers violins proteins chess bridges tea volcanoes"
    )
    texts = [f"a question about {topic}" for topic in topics.split()]
    responses = await asyncio.gather(*(call(host, [text]) for text in texts))
    assert all(len(r.embeddings) == 1 for r in responses)
    assert batcher.batches_run - before < 12  # several calls shared a batch
    # Each caller got its own text's vector back, not a neighbour's.
    # (int8 vectors depend slightly on their batch mates, so: nearest to its own text.)
    direct = np.stack([e.vector for e in model._batcher._encoder.encode(texts)])
    for i, response in enumerate(responses):
        similarity = direct @ np.asarray(response.embeddings[0].values)
        assert int(similarity.argmax()) == i and similarity[i] > 0.98


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


class RecordingEncoder:
    """Stands in for the model in scheduling tests: records each batch, vector = [len(text)].
    Batches of texts starting with "b" wait for ``gate`` (a model busy with them)."""

    backend_name = "recording"

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.threads: list[str] = []
        self.gate = threading.Event()
        self.gate.set()

    def encode(self, texts: list[str], one_thread: bool = False) -> list[EncodedText]:
        self.batches.append(list(texts))
        self.threads.append(threading.current_thread().name)
        if texts[0].startswith("b"):
            self.gate.wait(timeout=10)
        return [EncodedText(np.array([len(t)], dtype=np.float32), 1, False) for t in texts]


async def wait_for_batches(encoder: RecordingEncoder, count: int) -> None:
    for _ in range(1000):
        if len(encoder.batches) >= count:
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"only {len(encoder.batches)} batches ran")


async def test_background_work_never_holds_up_an_interactive_call() -> None:
    fake = RecordingEncoder()
    batcher = MicroBatcher(fake, max_texts=32, wait_s=0.0, background_max_texts=4)  # type: ignore[arg-type]
    fake.gate.clear()  # the model is stuck in a background slice
    background = asyncio.create_task(
        batcher.embed([f"b{i:02d}" for i in range(20)], background=True)
    )
    await wait_for_batches(fake, 1)
    # The question is answered while the background slice is still in the model.
    answer = await asyncio.wait_for(batcher.embed(["the question?"]), 5)
    assert answer[0].vector[0] == len("the question?")
    assert not background.done()
    fake.gate.set()
    scored = await background
    assert [int(e.vector[0]) for e in scored] == [3] * 20
    assert all(len(b) <= 4 for b in fake.batches if b != ["the question?"])
    # Background slices ran on the background lane's thread, the question on the other.
    lanes = dict(zip(map(tuple, fake.batches), fake.threads, strict=True))
    assert lanes[("the question?",)].startswith("embed-interactive")
    assert all(t.startswith("embed-background") for b, t in lanes.items() if b[0].startswith("b"))
    await batcher.close()


async def test_the_background_thread_runs_nicer() -> None:
    import os

    fake = RecordingEncoder()
    batcher = MicroBatcher(fake, max_texts=8, wait_s=0.0, background_niceness=5)  # type: ignore[arg-type]
    seen: list[int] = []
    encode = fake.encode

    def encode_and_look(texts: list[str], one_thread: bool = False) -> list[EncodedText]:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return encode(texts, one_thread)

    fake.encode = encode_and_look  # type: ignore[method-assign]
    await batcher.embed(["q"])
    await batcher.embed(["scored later"], background=True)
    assert seen[1] == min(19, seen[0] + 5)
    await batcher.close()


async def test_a_short_call_rides_in_the_next_batch_of_a_bulk_call() -> None:
    fake = RecordingEncoder()
    batcher = MicroBatcher(fake, max_texts=8, wait_s=0.0)  # type: ignore[arg-type]
    fake.gate.clear()
    bulk_texts = [f"bulk passage {i}" + "x" * i for i in range(40)]
    bulk = asyncio.create_task(batcher.embed(bulk_texts))
    await wait_for_batches(fake, 1)  # the model is busy with the first slice
    question = asyncio.create_task(batcher.embed(["q"]))
    await asyncio.sleep(0.01)
    fake.gate.set()
    await question
    vectors = await bulk
    assert "q" in fake.batches[1]  # not after all five slices of the bulk call
    assert all(len(b) <= 8 for b in fake.batches)
    # Every bulk text got its own vector back, in order.
    assert [int(e.vector[0]) for e in vectors] == [len(t) for t in bulk_texts]
    await batcher.close()


async def test_a_call_larger_than_a_batch_is_sliced_by_length_and_answered_in_order() -> None:
    fake = RecordingEncoder()
    batcher = MicroBatcher(fake, max_texts=4, wait_s=0.0)  # type: ignore[arg-type]
    lengths = [30, 2, 17, 9, 25, 4, 12, 28, 1, 20, 6, 15]  # long and short interleaved
    texts = ["x" * n for n in lengths]
    vectors = await batcher.embed(texts)
    assert [int(e.vector[0]) for e in vectors] == lengths
    # Each slice holds neighbours in length: the 4 shortest, the next 4, the 4 longest.
    assert [sorted(len(t) for t in b) for b in fake.batches] == [
        sorted(lengths)[0:4],
        sorted(lengths)[4:8],
        sorted(lengths)[8:12],
    ]
    await batcher.close()


def test_plan_batches_covers_every_text_within_the_row_limit() -> None:
    widths = sorted([12, 15, 40, 41, 44, 120, 128, 250, 256, 256] * 7)
    sizes = plan_batches(widths, 16)
    assert sum(sizes) == len(widths)
    assert all(0 < size <= 16 for size in sizes)


def test_plan_batches_cuts_where_lengths_jump() -> None:
    # 10 short texts then 10 passages: a fixed cut of 16 would pad 6 short ones to 256.
    widths = [20] * 10 + [256] * 10
    assert plan_batches(widths, 16) == [10, 10]


def test_plan_batches_uses_the_fewest_calls_for_equal_lengths() -> None:
    assert len(plan_batches([200] * 40, 16)) == 3


def test_plan_batches_fills_the_rows_the_backend_pads_to() -> None:
    # Rows padded to multiples of 8: 16 + 9 + 15 would compute 48 rows for 40 texts.
    assert sorted(plan_batches([200] * 40, 16, row_bucket=8)) == [8, 16, 16]

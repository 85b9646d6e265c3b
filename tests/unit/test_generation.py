"""GenerationService: extractive answers with citations, streaming, LM paths, bad input."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import grpc
import pytest

from rag.v1 import common_pb2, generation_pb2, generation_pb2_grpc
from services.generation import convert
from services.generation.__main__ import binding
from services.generation.answers import Context
from services.generation.core import AnswerGenerator, MarkerRenumberer
from services.generation.language_models import LocalCausalLM, OpenAICompatibleClient
from services.generation.settings import GenerationSettings
from services.runtime.server import ServiceHost, create_server
from services.runtime.settings import RuntimeSettings

CONTEXTS = [
    common_pb2.ScoredChunk(
        chunk=common_pb2.Chunk(
            id="leave#0-a", document_id="leave", title="Leave policy",
            text="Employees receive 25 days of paid annual leave. Unused leave expires in March. "
            "The office has a coffee machine on every floor.",
        ),
        score=0.9,
    ),
    common_pb2.ScoredChunk(
        chunk=common_pb2.Chunk(
            id="faq#3-b", document_id="faq", title="HR FAQ",
            text="Part-time employees receive paid annual leave in proportion to their hours. "
            "Employees receive 25 days of paid annual leave.",
        ),
        score=0.7,
    ),
]  # fmt: skip


async def serve_generator(generator: AnswerGenerator) -> ServiceHost:
    host = await create_server(
        [binding(generator, GenerationSettings())], RuntimeSettings(metrics_port=-1)
    )
    await host.start()
    return host


@pytest.fixture
async def host() -> AsyncIterator[ServiceHost]:
    server = await serve_generator(AnswerGenerator(2000, 100, 2048))
    yield server
    await server.stop(grace=0)


def stub(channel: grpc.aio.Channel) -> generation_pb2_grpc.GenerationServiceStub:
    return generation_pb2_grpc.GenerationServiceStub(channel)


async def test_extractive_answer_cites_supporting_sentences(host: ServiceHost) -> None:
    async with grpc.aio.insecure_channel(host.address) as channel:
        response = await stub(channel).Generate(
            generation_pb2.GenerateRequest(
                question="How many days of paid annual leave do employees get?", contexts=CONTEXTS
            )
        )
    assert "25 days of paid annual leave" in response.answer
    assert "coffee" not in response.answer
    assert response.answer.count("Employees receive 25 days") == 1  # duplicate dropped
    assert response.citations[0].document_id == "leave" and response.citations[0].marker == 1
    assert "[1]" in response.answer
    assert response.finish_reason == generation_pb2.FINISH_REASON_STOP
    assert response.model_id == "extractive"


async def test_no_supporting_sentence_is_no_answer(host: ServiceHost) -> None:
    async with grpc.aio.insecure_channel(host.address) as channel:
        response = await stub(channel).Generate(
            generation_pb2.GenerateRequest(
                question="What is the capital of Peru?", contexts=CONTEXTS
            )
        )
    assert response.finish_reason == generation_pb2.FINISH_REASON_NO_ANSWER
    assert not response.citations


async def test_stream_yields_text_then_citations_then_summary(host: ServiceHost) -> None:
    async with grpc.aio.insecure_channel(host.address) as channel:
        events = [
            e
            async for e in stub(channel).GenerateStream(
                generation_pb2.GenerateStreamRequest(
                    question="How much paid annual leave do part-time employees get?",
                    contexts=CONTEXTS,
                )
            )
        ]
    kinds = [e.WhichOneof("event") for e in events]
    assert kinds[-1] == "summary" and "citation" in kinds
    assert kinds.index("citation") > max(i for i, k in enumerate(kinds) if k == "text_delta")
    text = "".join(e.text_delta for e in events if e.WhichOneof("event") == "text_delta")
    assert "proportion to their hours" in text
    assert events[-1].summary.citation_count == kinds.count("citation")


@pytest.mark.parametrize(
    ("request_kwargs", "code", "fragment"),
    [
        ({"question": ""}, grpc.StatusCode.INVALID_ARGUMENT, "question"),
        ({"question": "x" * 2001}, grpc.StatusCode.INVALID_ARGUMENT, "limit is 2000"),
        (
            {"question": "q", "options": generation_pb2.GenerationOptions(max_answer_tokens=5000)},
            grpc.StatusCode.INVALID_ARGUMENT,
            "max_answer_tokens",
        ),
        (
            {"question": "q", "options": generation_pb2.GenerationOptions(generator=generation_pb2.GENERATOR_LOCAL_LM)},
            grpc.StatusCode.FAILED_PRECONDITION,
            "LOCAL_MODEL_PATH",
        ),
    ],
)  # fmt: skip
async def test_bad_input(
    host: ServiceHost, request_kwargs: dict[str, object], code: grpc.StatusCode, fragment: str
) -> None:
    async with grpc.aio.insecure_channel(host.address) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub(channel).Generate(generation_pb2.GenerateRequest(**request_kwargs))  # type: ignore[arg-type]
    assert err.value.code() == code
    assert fragment in err.value.details()


async def test_hyde_without_language_model_is_failed_precondition(host: ServiceHost) -> None:
    async with grpc.aio.insecure_channel(host.address) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub(channel).GenerateHypotheticalDocument(
                generation_pb2.GenerateHypotheticalDocumentRequest(question="what is RRF?")
            )
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_marker_renumbering_survives_split_pieces() -> None:
    contexts = [Context("d1", "c1", "a"), Context("d2", "c2", "b"), Context("d3", "c3", "c")]
    renumber = MarkerRenumberer(contexts, max_citations=5)
    out = "".join(renumber.feed(p) for p in ["Fact A [", "3] and fact B [1", "]. Bogus [9]."])
    out += renumber.flush()
    assert out == "Fact A [1] and fact B [2]. Bogus ."
    assert [(c.context.chunk_id, c.marker) for c in renumber.citations()] == [("c3", 1), ("c1", 2)]


@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight GPT-2 built here (no download): proves the local-LM path runs."""
    from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel

    from services.embedding.settings import EmbeddingSettings

    folder = tmp_path_factory.mktemp("tiny-lm")
    tokenizer = AutoTokenizer.from_pretrained(EmbeddingSettings().model_path, local_files_only=True)
    tokenizer.save_pretrained(folder)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=32, n_layer=1, n_head=2)
    GPT2LMHeadModel(config).save_pretrained(folder)
    return folder


async def test_local_lm_path_streams_and_respects_token_limit(tiny_lm: Path) -> None:
    generator = AnswerGenerator(2000, 100, 2048, local_lm=LocalCausalLM(str(tiny_lm), 1))
    server = await serve_generator(generator)
    try:
        options = generation_pb2.GenerationOptions(
            generator=generation_pb2.GENERATOR_LOCAL_LM, max_answer_tokens=8
        )
        async with grpc.aio.insecure_channel(server.address) as channel:
            response = await stub(channel).Generate(
                generation_pb2.GenerateRequest(
                    question="How much leave?", contexts=CONTEXTS, options=options
                )
            )
            hyde = await stub(channel).GenerateHypotheticalDocument(
                generation_pb2.GenerateHypotheticalDocumentRequest(
                    question="What is leave?", max_tokens=6
                )
            )
        assert response.model_id == f"local:{tiny_lm.name}"
        assert 0 < response.usage.completion_tokens <= 8
        assert response.usage.prompt_tokens > 50  # the sources were in the prompt
        assert hyde.model_id == response.model_id
    finally:
        await server.stop(grace=0)


class _FakeOpenAIHandler(BaseHTTPRequestHandler):
    """FAKE OpenAI-compatible endpoint (no such service can run here): streams a fixed reply."""

    seen: list[dict[str, object]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in ["Employees get 25 days [", "2] of leave [1]."]:
            chunk = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def fake_openai() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAIHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


async def test_openai_compatible_path_streams_and_renumbers_citations(fake_openai: str) -> None:
    client = OpenAICompatibleClient(fake_openai, "k", "m", 5.0)
    generator = AnswerGenerator(2000, 100, 2048, openai=client)
    answer = await generator.generate(
        convert.request(
            "How much leave?",
            CONTEXTS,
            generation_pb2.GenerationOptions(generator=generation_pb2.GENERATOR_OPENAI_COMPATIBLE),
            GenerationSettings(),
        )
    )
    assert answer.text == "Employees get 25 days [1] of leave [2]."
    assert [c.context.document_id for c in answer.citations] == ["faq", "leave"]
    sent = _FakeOpenAIHandler.seen[-1]
    assert sent["model"] == "m" and "[1] Leave policy" in str(sent["messages"])

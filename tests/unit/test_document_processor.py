"""DocumentProcessorService: parsing, chunking strategies, stable ids, bad input over gRPC."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import grpc
import numpy as np
import pytest

from rag.v1 import common_pb2, document_processor_pb2, document_processor_pb2_grpc
from services.common.chunking import ChunkingConfig, Strategy, chunk_document
from services.document_processor.__main__ import binding
from services.document_processor.core import DocumentProcessor
from services.document_processor.parsing import parse
from services.embedding.core import SentenceEncoder
from services.runtime.server import ServiceHost, create_server
from services.runtime.settings import RuntimeSettings
from tests.support.pdf import make_pdf

MARKDOWN = (
    "# Handbook\n\nWelcome to the handbook.\n\n## Leave\n\n"
    + "Employees get twenty days of paid leave per year. " * 30
    + "\n\n## Expenses\n\nKeep receipts for every expense above ten euros.\n"
).encode()


@pytest.fixture
async def host() -> AsyncIterator[ServiceHost]:
    server = await create_server(
        [binding(DocumentProcessor(1024 * 1024, 1000, 2))], RuntimeSettings(metrics_port=-1)
    )
    await server.start()
    yield server
    await server.stop(grace=0)


async def process(
    host: ServiceHost, document: common_pb2.Document, **chunking: object
) -> document_processor_pb2.ProcessDocumentResponse:
    async with grpc.aio.insecure_channel(host.address) as channel:
        stub = document_processor_pb2_grpc.DocumentProcessorServiceStub(channel)
        return await stub.ProcessDocument(
            document_processor_pb2.ProcessDocumentRequest(
                document=document, chunking=document_processor_pb2.ChunkingOptions(**chunking)
            )
        )


async def test_markdown_chunks_carry_sections_offsets_and_stable_ids(host: ServiceHost) -> None:
    doc = common_pb2.Document(id="hb", content=MARKDOWN, content_type="text/markdown")
    first = await process(host, doc, chunk_size=400)
    again = await process(host, doc, chunk_size=400)
    assert [c.id for c in first.chunks] == [c.id for c in again.chunks]
    assert first.stats.detected_title == "Handbook"
    text = MARKDOWN.decode()
    for chunk in first.chunks:
        assert len(chunk.text) <= 400
        assert text[chunk.start_offset : chunk.end_offset] == chunk.text
        assert chunk.id.startswith(f"hb#{chunk.position}-")
    sections = {tuple(c.section_path) for c in first.chunks}
    assert ("Handbook", "Leave") in sections and ("Handbook", "Expenses") in sections
    expenses = [c for c in first.chunks if tuple(c.section_path) == ("Handbook", "Expenses")]
    assert "receipts" in expenses[0].text


async def test_changed_content_changes_only_affected_ids(host: ServiceHost) -> None:
    doc = common_pb2.Document(id="hb", content=MARKDOWN, content_type="text/markdown")
    edited = common_pb2.Document(
        id="hb", content=MARKDOWN.replace(b"ten euros", b"five euros"), content_type="text/markdown"
    )
    before = [c.id for c in (await process(host, doc, chunk_size=400)).chunks]
    after = [c.id for c in (await process(host, edited, chunk_size=400)).chunks]
    assert before[:-1] == after[:-1] and before[-1] != after[-1]


async def test_html_and_pdf_are_parsed(host: ServiceHost) -> None:
    html = b"<html><head><title>Policy</title><style>p{}</style></head><body><h1>Travel</h1><p>Book trains, not planes.</p><script>evil()</script></body></html>"
    response = await process(
        host, common_pb2.Document(id="h", content=html, content_type="text/html")
    )
    joined = " ".join(c.text for c in response.chunks)
    assert "Book trains, not planes." in joined and "evil" not in joined and "p{}" not in joined
    assert response.stats.detected_title == "Policy"
    pdf = make_pdf(["First page about apples.", "Second page about pears."], title="Fruit")
    response = await process(
        host, common_pb2.Document(id="p", content=pdf, content_type="application/pdf")
    )
    assert response.stats.page_count == 2
    assert [tuple(c.section_path) for c in response.chunks] == [("page 1",), ("page 2",)]
    assert "pears" in response.chunks[1].text


@pytest.mark.parametrize(
    ("document", "chunking", "code", "fragment"),
    [
        (common_pb2.Document(id="a", content=b""), {}, grpc.StatusCode.INVALID_ARGUMENT, "empty"),
        (common_pb2.Document(id="bad id!", content=b"x"), {}, grpc.StatusCode.INVALID_ARGUMENT, "document.id"),
        (common_pb2.Document(id="a", content=b"\xff\xfe\xfa"), {}, grpc.StatusCode.INVALID_ARGUMENT, "UTF-8"),
        (common_pb2.Document(id="a", content=b"x", content_type="image/gif"), {}, grpc.StatusCode.INVALID_ARGUMENT, "not supported"),
        (common_pb2.Document(id="a", content=b"%PDF-broken", content_type="application/pdf"), {}, grpc.StatusCode.INVALID_ARGUMENT, "PDF"),
        (common_pb2.Document(id="a", content=b"x" * (1024 * 1024 + 1)), {}, grpc.StatusCode.RESOURCE_EXHAUSTED, "limit"),
        (common_pb2.Document(id="a", content=b"text"), {"chunk_size": 50}, grpc.StatusCode.INVALID_ARGUMENT, "chunk_size"),
        (common_pb2.Document(id="a", content=b"text"), {"chunk_size": 200, "chunk_overlap": 200}, grpc.StatusCode.INVALID_ARGUMENT, "chunk_overlap"),
    ],
)  # fmt: skip
async def test_bad_input(
    host: ServiceHost,
    document: common_pb2.Document,
    chunking: dict[str, int],
    code: grpc.StatusCode,
    fragment: str,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await process(host, document, **chunking)
    assert err.value.code() == code
    assert fragment in err.value.details()


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_strategy_covers_the_text_within_size(strategy: Strategy) -> None:
    parsed = parse(MARKDOWN, "text/markdown")
    chunks = chunk_document("d", parsed, ChunkingConfig(strategy, chunk_size=300, chunk_overlap=60))
    assert chunks and all(c.end - c.start <= 300 for c in chunks)
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    words = [m for m in range(len(parsed.text)) if not parsed.text[m].isspace()]
    assert set(words) <= covered  # nothing lost between chunks


def test_overlap_repeats_text_between_neighbours() -> None:
    parsed = parse(("Sentence number %d is here. " * 60 % tuple(range(60))).encode(), "text/plain")
    chunks = chunk_document("d", parsed, ChunkingConfig(Strategy.SENTENCE, 300, 80))
    assert all(b.start < a.end for a, b in itertools.pairwise(chunks))


def test_semantic_strategy_splits_where_topic_changes(encoder: SentenceEncoder) -> None:
    cooking = "Simmer the tomato sauce slowly. Add basil and garlic to the sauce. Season the pasta water with salt. "
    space = "The rocket reached orbit after launch. Astronauts docked with the space station. The capsule returned to Earth. "
    parsed = parse((cooking + space).encode(), "text/plain")

    def embed(texts: list[str]) -> np.ndarray:
        return np.stack([e.vector for e in encoder.encode(texts)])

    chunks = chunk_document(
        "d", parsed, ChunkingConfig(Strategy.SEMANTIC, 2000, 0, semantic_quantile=0.8), embed
    )
    assert len(chunks) == 2
    assert "pasta" in chunks[0].text and "rocket" in chunks[1].text

"""Which documents the processor sends to MultiModalService, and how the answer is used."""

from __future__ import annotations

from rag.v1 import common_pb2, multi_modal_pb2
from services.common.chunking import ChunkingConfig, ParsedDocument, TextChunk
from services.common.documents import DocumentInput
from services.document_processor.core import DocumentProcessor
from services.document_processor.multi_modal_client import extracted_document
from services.document_processor.multi_modal_routing import ExtractedDocument
from tests.support import multi_modal_content as content
from tests.support.pdf import make_pdf


class RecordingExtractor:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, document: DocumentInput, max_chunk_chars: int) -> ExtractedDocument:
        self.calls.append((document.id, max_chunk_chars))
        chunk = TextChunk(
            f"{document.id}#0-x", document.id, 0, "extracted", (), 0, 9, "image", "image"
        )
        return ExtractedDocument(ParsedDocument("extracted"), [chunk])


async def test_only_images_tables_and_scanned_pdfs_are_routed() -> None:
    extractor = RecordingExtractor()
    processor = DocumentProcessor(10**7, 1000, 2, extract=extractor)
    config = ChunkingConfig(chunk_size=700, chunk_overlap=0)
    cases = {
        "png": (b"\x89PNG...", "image/png", True),
        "csv": (b"a,b\n1,2\n", "text/csv; charset=utf-8", True),
        "scan": (content.scanned_pdf([["scanned words"]]), "application/pdf", True),
        "text": (b"plain words", "text/plain", False),
        "html": (b"<table><tr><td>x</td></tr></table>", "text/html", False),
        "pdf": (make_pdf(["A page with a proper text layer."]), "application/pdf", False),
    }
    results = {}
    for doc_id, (data, content_type, _) in cases.items():
        results[doc_id] = await processor.process(DocumentInput(doc_id, data, content_type), config)
    routed = {doc_id for doc_id, _ in extractor.calls}
    assert routed == {doc_id for doc_id, case in cases.items() if case[2]}
    assert all(size == 700 for _, size in extractor.calls)
    assert results["png"].chunks[0].modality == "image"
    [page] = results["pdf"].chunks
    assert (page.modality, page.location, dict(page.metadata)) == ("pdf", "page=1", {"page": "1"})
    assert results["text"].chunks[0].modality == "text" and not results["text"].chunks[0].location


async def test_without_the_service_routed_types_are_unsupported_and_scans_stay_local() -> None:
    processor = DocumentProcessor(10**7, 1000, 2)
    scanned = await processor.process(
        DocumentInput("scan", content.scanned_pdf([["x"]]), "application/pdf"), ChunkingConfig()
    )
    assert scanned.chunks == []  # no OCR without MultiModalService, as before it existed


def test_extracted_chunks_keep_tags_and_pages_form_sections() -> None:
    response = multi_modal_pb2.ExtractContentResponse(
        chunks=[
            common_pb2.Chunk(id="d#0", document_id="d", position=0, text="a" * 5,
                             section_path=["page 1"], start_offset=0, end_offset=5,
                             modality=common_pb2.MODALITY_PDF, location="page=1"),
            common_pb2.Chunk(id="d#1", document_id="d", position=1, text="b" * 5,
                             section_path=["page 1"], start_offset=7, end_offset=12,
                             modality=common_pb2.MODALITY_PDF, location="page=1"),
            common_pb2.Chunk(id="d#2", document_id="d", position=2, text="c" * 5,
                             section_path=["page 2"], start_offset=14, end_offset=19,
                             modality=common_pb2.MODALITY_IMAGE, location="page=2",
                             metadata={"ocr_confidence": "91.0"}),
        ],
        extracted_metadata={"pdf.Title": "Manual"},
    )  # fmt: skip
    extracted = extracted_document(response)
    assert [(c.modality, c.location) for c in extracted.chunks] == [
        ("pdf", "page=1"), ("pdf", "page=1"), ("image", "page=2")
    ]  # fmt: skip
    assert extracted.chunks[2].metadata == {"ocr_confidence": "91.0"}
    assert [(s.heading_path, s.start, s.end) for s in extracted.parsed.sections] == [
        (("page 1",), 0, 12), (("page 2",), 14, 19)
    ]  # fmt: skip
    assert extracted.parsed.text[14:19] == "ccccc" and extracted.parsed.title == "Manual"

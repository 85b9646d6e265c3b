"""MultiModalService over gRPC (in-process server, real Tesseract): OCR of images and scanned
PDF pages, tables with their cell ranges, metadata, warnings, and bad input with its status."""

from __future__ import annotations

import asyncio
import csv
import io
import threading
from collections.abc import AsyncIterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from PIL import Image

from rag.v1 import common_pb2, multi_modal_pb2, multi_modal_pb2_grpc
from services.common.documents import DocumentInput
from services.multi_modal.__main__ import binding
from services.multi_modal.core import MultiModalExtractor, RequestedOptions
from services.multi_modal.ocr import OcrResult, Tesseract, parse_tsv
from services.multi_modal.settings import MultiModalSettings
from services.runtime.errors import ResourceExhausted
from services.runtime.server import ServiceHost, create_server
from services.runtime.settings import RuntimeSettings
from tests.support import multi_modal_content as content
from tests.support.pdf import make_pdf

Code = grpc.StatusCode
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUNTIME = RuntimeSettings(metrics_port=-1, grace_period_s=0)

pytestmark = pytest.mark.skipif(
    not Tesseract("tesseract", 30, 10**7).status().available,
    reason="tesseract not installed (make setup installs it)",
)


async def serve(settings: MultiModalSettings) -> ServiceHost:
    host = await create_server([binding(MultiModalExtractor(settings))], RUNTIME)
    await host.start()
    return host


@pytest.fixture
async def stub() -> AsyncIterator[multi_modal_pb2_grpc.MultiModalServiceStub]:
    host = await serve(MultiModalSettings())
    async with grpc.aio.insecure_channel(host.address) as channel:
        yield multi_modal_pb2_grpc.MultiModalServiceStub(channel)
    await host.stop(grace=0)


def request(
    data: bytes, content_type: str = "", doc_id: str = "doc-1", **options: object
) -> multi_modal_pb2.ExtractContentRequest:
    return multi_modal_pb2.ExtractContentRequest(
        document=common_pb2.Document(
            id=doc_id,
            title="Quarterly report",
            content=data,
            content_type=content_type,
            access_groups=["finance"],
            metadata={"department": "sales"},
        ),
        options=multi_modal_pb2.ContentExtractionOptions(**options),  # type: ignore[arg-type]
    )


def words(text: str) -> set[str]:
    return {w.strip(".,|").lower() for w in text.split()}


def warning_codes(response: multi_modal_pb2.ExtractContentResponse) -> list[tuple[str, str]]:
    return [
        (w.location, multi_modal_pb2.ContentExtractionWarningCode.Name(w.code))
        for w in response.warnings
    ]


def error_reason(error: grpc.aio.AioRpcError) -> str:
    status = rpc_status.from_call(error)
    assert status is not None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return str(info.reason)
    return ""


# ---- images -----------------------------------------------------------------------------


async def test_png_is_ocred_with_confidence_and_document_fields_copied(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    png = content.encoded(
        content.text_image(["Quarterly revenue grew by twelve percent", "Leeds warehouse closed"]),
        "PNG",
    )
    response = await stub.ExtractContent(request(png))  # content type detected from bytes
    assert response.content_type == "image/png"
    assert response.part_count == 1
    [chunk] = response.chunks
    assert {"quarterly", "revenue", "twelve", "percent", "leeds", "warehouse"} <= words(chunk.text)
    assert chunk.modality == common_pb2.MODALITY_IMAGE
    assert chunk.location == "image"
    assert 60 <= float(chunk.metadata["ocr_confidence"]) <= 100
    assert chunk.metadata["department"] == "sales"
    assert list(chunk.access_groups) == ["finance"]
    assert chunk.title == "Quarterly report"
    assert chunk.document_id == "doc-1" and chunk.id.startswith("doc-1#0-")
    assert response.extracted_metadata["image.width"] == "1500"
    again = await stub.ExtractContent(request(png))
    assert [c.id for c in again.chunks] == [c.id for c in response.chunks]


async def test_jpeg_exif_is_returned_without_gps(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    exif = Image.Exif()
    exif[0x0110] = "TestCam 3000"  # Model
    exif.get_ifd(0x8769)[0x9003] = "2024:05:01 10:00:00"  # DateTimeOriginal
    exif.get_ifd(0x8825)[1] = "N"  # GPSLatitudeRef
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    image = content.text_image(["Delivery note for invoice"], mode="RGB")
    jpeg = content.encoded(image, "JPEG", exif=exif, quality=95)
    response = await stub.ExtractContent(request(jpeg, "image/jpeg"))
    meta = response.extracted_metadata
    assert meta["exif.Model"] == "TestCam 3000"
    assert meta["exif.DateTimeOriginal"] == "2024:05:01 10:00:00"
    assert not [k for k in meta if "gps" in k.lower()]
    assert {"delivery", "invoice"} <= words(response.chunks[0].text)


async def test_tiff_frames_become_pages_and_max_pages_truncates(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    tiff = content.tiff_frames([["First frame mentions apples"], ["Second frame mentions pears"]])
    response = await stub.ExtractContent(request(tiff, "image/tiff"))
    assert [c.location for c in response.chunks] == ["page=1", "page=2"]
    assert "apples" in words(response.chunks[0].text) and "pears" in words(response.chunks[1].text)
    truncated = await stub.ExtractContent(request(tiff, "image/tiff", max_pages=1))
    assert [c.location for c in truncated.chunks] == ["page=1"]
    assert truncated.part_count == 2
    assert ("page=2", "CONTENT_EXTRACTION_WARNING_CODE_TRUNCATED") in warning_codes(truncated)


async def test_ocr_off_gives_no_text_warning_for_an_image(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    png = content.encoded(content.text_image(["Some text"]), "PNG")
    response = await stub.ExtractContent(
        request(png, "image/png", ocr_mode=multi_modal_pb2.OCR_MODE_OFF)
    )
    assert not response.chunks
    assert warning_codes(response) == [("image", "CONTENT_EXTRACTION_WARNING_CODE_NO_TEXT")]


# ---- PDFs -------------------------------------------------------------------------------


async def test_pdf_text_layer_and_scanned_page_ocr(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    pdf = content.mixed_pdf(
        "The text layer page talks about solar panels.", ["Scanned page about wind turbines"]
    )
    response = await stub.ExtractContent(request(pdf, "application/pdf"))
    first, second = response.chunks
    assert first.modality == common_pb2.MODALITY_PDF and first.location == "page=1"
    assert "solar panels" in first.text and "ocr_confidence" not in first.metadata
    assert second.modality == common_pb2.MODALITY_IMAGE and second.location == "page=2"
    assert {"scanned", "wind", "turbines"} <= words(second.text)
    assert float(second.metadata["ocr_confidence"]) >= 60
    assert list(second.section_path) == ["page 2"]
    assert response.extracted_metadata["pdf.page_count"] == "2"
    assert response.extracted_metadata["pdf.Author"] == "Test Author"
    # Offsets index one document text: parts in order, never overlapping.
    assert first.end_offset - first.start_offset == len(first.text)
    assert second.start_offset >= first.end_offset

    no_ocr = await stub.ExtractContent(
        request(pdf, "application/pdf", ocr_mode=multi_modal_pb2.OCR_MODE_OFF)
    )
    assert [c.location for c in no_ocr.chunks] == ["page=1"]
    assert warning_codes(no_ocr) == [("page=2", "CONTENT_EXTRACTION_WARNING_CODE_NO_TEXT")]


async def test_fully_scanned_pdf_and_forced_ocr(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    scanned = content.scanned_pdf([["Contract signed in Berlin"], ["Payment due in thirty days"]])
    response = await stub.ExtractContent(request(scanned, "application/pdf"))
    assert [c.location for c in response.chunks] == ["page=1", "page=2"]
    assert {"contract", "berlin"} <= words(response.chunks[0].text)
    assert {"payment", "thirty", "days"} <= words(response.chunks[1].text)
    forced = await stub.ExtractContent(
        request(
            make_pdf(["Forced recognition of this line"]),
            "application/pdf",
            ocr_mode=multi_modal_pb2.OCR_MODE_FORCE,
        )
    )
    [chunk] = forced.chunks
    assert chunk.modality == common_pb2.MODALITY_IMAGE and "ocr_confidence" in chunk.metadata
    assert {"forced", "recognition"} <= words(chunk.text)


# ---- tables -----------------------------------------------------------------------------


async def test_csv_splits_at_rows_with_header_repeated(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["city", "population", "note"])
    for i in range(60):
        writer.writerow([f"city-{i}", 1000 + i, "has, a comma" if i == 5 else "plain"])
    data = buffer.getvalue().encode()
    response = await stub.ExtractContent(request(data, "text/csv", max_chunk_chars=600))
    chunks = response.chunks
    assert len(chunks) > 2
    covered: list[int] = []
    for chunk in chunks:
        assert chunk.modality == common_pb2.MODALITY_TABLE
        assert len(chunk.text) <= 600
        lines = chunk.text.splitlines()
        assert lines[0] == "| city | population | note |" and lines[1] == "|---|---|---|"
        first, last = (int(n) for n in chunk.location.removeprefix("rows=").split("-"))
        covered.extend(range(first, last + 1))
        # The rows named in the location are exactly the data rows in the chunk.
        data_rows = lines[2:]
        assert len(data_rows) == last - first + 1 - (1 if first == 1 else 0)
    assert covered == list(range(1, 62))  # header line plus 60 data lines, each once
    joined = "\n".join(c.text for c in chunks)
    assert "| city-5 | 1005 | has, a comma |" in joined and "| city-59 | 1059 | plain |" in joined


async def test_xlsx_sheets_have_cell_ranges_and_warnings(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    data = content.workbook(
        {
            "Q1": {"B3": "Region", "C3": "Sales", "B4": "North", "C4": 120, "B5": "South",
                   "C5": 80.5, "C6": "=SUM(C4:C5)"},
            "Q2 plan": {"A1": "Item", "A2": "Hire two engineers"},
            "Empty": {},
        }
    )  # fmt: skip
    response = await stub.ExtractContent(request(data, XLSX))
    assert response.part_count == 3
    assert response.extracted_metadata["xlsx.sheet_names"] == "Q1,Q2 plan,Empty"
    q1, q2 = response.chunks
    assert q1.location == "sheet=Q1!B3:C6"
    assert q1.text.splitlines()[:3] == ["| Region | Sales |", "|---|---|", "| North | 120 |"]
    assert "| South | 80.5 |" in q1.text
    assert q2.location == "sheet='Q2 plan'!A1:A2" and "Hire two engineers" in q2.text
    assert list(q2.section_path) == ["Q2 plan"] and q2.metadata["sheet"] == "Q2 plan"
    codes = warning_codes(response)
    # openpyxl saves formulas without results: reported, formula text kept.
    assert ("sheet=Q1", "CONTENT_EXTRACTION_WARNING_CODE_UNSUPPORTED_ELEMENT") in codes
    assert ("sheet=Empty", "CONTENT_EXTRACTION_WARNING_CODE_NO_TEXT") in codes
    assert "=SUM(C4:C5)" in q1.text
    one = await stub.ExtractContent(request(data, XLSX, max_pages=1))
    assert [c.location for c in one.chunks] == ["sheet=Q1!B3:C6"]
    assert ("sheet=Q2 plan", "CONTENT_EXTRACTION_WARNING_CODE_TRUNCATED") in warning_codes(one)


async def test_html_tables_with_caption_and_colspan(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
) -> None:
    html = b"""<html><body><p>Intro text that is not a table.</p>
    <table><caption>Prices</caption>
      <tr><th>Item</th><th>Price</th></tr>
      <tr><td>Tea</td><td>2.50</td></tr>
      <tr><td colspan="2">Prices include VAT</td></tr>
    </table>
    <script>var x = "<table>";</script>
    <table><tr><td>Opening</td><td>9-17</td></tr></table></body></html>"""
    response = await stub.ExtractContent(request(html, "text/html"))
    first, second = response.chunks
    assert first.location == "table=1" and list(first.section_path) == ["Prices"]
    assert first.text.splitlines() == [
        "| Item | Price |",
        "|---|---|",
        "| Tea | 2.50 |",
        "| Prices include VAT | Prices include VAT |",
    ]
    assert second.location == "table=2" and "| Opening | 9-17 |" in second.text
    assert "Intro" not in first.text + second.text


async def test_list_supported_types(stub: multi_modal_pb2_grpc.MultiModalServiceStub) -> None:
    response = await stub.ListSupportedTypes(multi_modal_pb2.ListSupportedTypesRequest())
    by_type = {t.content_type: t for t in response.content_types}
    assert {"application/pdf", "image/png", "image/jpeg", "image/tiff", "text/csv", XLSX,
            "text/html"} == set(by_type)  # fmt: skip
    assert by_type["image/png"].available and by_type["image/png"].ocr_available
    assert not by_type["text/csv"].ocr_available and by_type["text/csv"].available
    assert "tiff" in by_type["image/tiff"].file_extensions
    assert "eng" in response.ocr_languages
    assert response.max_content_bytes == 32 * 1024 * 1024


# ---- bad input --------------------------------------------------------------------------

PNG = content.encoded(content.text_image(["x"]), "PNG")


@pytest.mark.parametrize(
    ("req", "code", "reason", "fragment"),
    [
        (request(b"GIF89a....", "image/gif"), Code.INVALID_ARGUMENT, "UNSUPPORTED_CONTENT_TYPE", "application/pdf"),
        (request(b"\x00\x01\x02binary", ""), Code.INVALID_ARGUMENT, "UNSUPPORTED_CONTENT_TYPE", "text/csv"),
        (request(PNG[:40] + b"garbage" * 10, "image/png"), Code.INVALID_ARGUMENT, "CONTENT_UNREADABLE", "image"),
        (request(b"%PDF-1.4 broken", "application/pdf"), Code.INVALID_ARGUMENT, "CONTENT_UNREADABLE", "PDF"),
        (request(content.encrypted_pdf(), "application/pdf"), Code.INVALID_ARGUMENT, "CONTENT_UNREADABLE", "password"),
        (request(b"PK\x03\x04 not a zip", XLSX), Code.INVALID_ARGUMENT, "CONTENT_UNREADABLE", "XLSX"),
        (request(b"a,b\n\xff\xfe,1\n", "text/csv"), Code.INVALID_ARGUMENT, "CONTENT_UNREADABLE", "charset"),
        (request(b"", "image/png"), Code.INVALID_ARGUMENT, "EMPTY_CONTENT", "empty"),
        (request(PNG, "image/png", doc_id=""), Code.INVALID_ARGUMENT, "INVALID_DOCUMENT_ID", "document.id"),
        (request(PNG, "image/png", max_chunk_chars=50), Code.INVALID_ARGUMENT, "INVALID_FIELD", "max_chunk_chars"),
        (request(PNG, "image/png", max_pages=-1), Code.INVALID_ARGUMENT, "INVALID_FIELD", "max_pages"),
        (request(PNG, "image/png", ocr_language="klingon"), Code.INVALID_ARGUMENT, "UNKNOWN_OCR_LANGUAGE", "eng"),
        (request(PNG, "image/png", ocr_language="eng;rm -rf"), Code.INVALID_ARGUMENT, "UNKNOWN_OCR_LANGUAGE", "ocr_language"),
    ],
)  # fmt: skip
async def test_bad_input(
    stub: multi_modal_pb2_grpc.MultiModalServiceStub,
    req: multi_modal_pb2.ExtractContentRequest,
    code: grpc.StatusCode,
    reason: str,
    fragment: str,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ExtractContent(req)
    assert err.value.code() == code
    assert error_reason(err.value) == reason
    assert fragment in (err.value.details() or "")


async def test_content_over_the_limit_is_rejected() -> None:
    host = await serve(MultiModalSettings(max_content_bytes=1000))
    try:
        async with grpc.aio.insecure_channel(host.address) as channel:
            stub = multi_modal_pb2_grpc.MultiModalServiceStub(channel)
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.ExtractContent(request(b"a,b\n" * 300, "text/csv"))
    finally:
        await host.stop(grace=0)
    assert err.value.code() == Code.INVALID_ARGUMENT
    assert error_reason(err.value) == "CONTENT_TOO_LARGE" and "1000" in (err.value.details() or "")


async def test_without_tesseract_images_fail_precondition_and_pdfs_warn() -> None:
    host = await serve(MultiModalSettings(tesseract_command="/nonexistent/tesseract"))
    try:
        async with grpc.aio.insecure_channel(host.address) as channel:
            stub = multi_modal_pb2_grpc.MultiModalServiceStub(channel)
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.ExtractContent(request(PNG, "image/png"))
            pdf = await stub.ExtractContent(
                request(content.mixed_pdf("Readable text layer page here.", ["scan"]), "")
            )
            table = await stub.ExtractContent(request(b"a,b\n1,2\n", "text/csv"))
            types = await stub.ListSupportedTypes(multi_modal_pb2.ListSupportedTypesRequest())
    finally:
        await host.stop(grace=0)
    assert err.value.code() == Code.FAILED_PRECONDITION
    assert error_reason(err.value) == "OCR_UNAVAILABLE"
    assert "apt-get install -y tesseract-ocr" in (err.value.details() or "")
    assert [c.location for c in pdf.chunks] == ["page=1"]
    assert ("page=2", "CONTENT_EXTRACTION_WARNING_CODE_OCR_UNAVAILABLE") in warning_codes(pdf)
    assert table.chunks[0].text.startswith("| a | b |")
    by_type = {t.content_type: t for t in types.content_types}
    assert (
        not by_type["image/png"].available
        and "tesseract" in by_type["image/png"].unavailable_reason
    )
    assert by_type["application/pdf"].available and not by_type["application/pdf"].ocr_available
    assert not types.ocr_languages


# ---- domain -----------------------------------------------------------------------------


class _BlockingTesseract(Tesseract):
    """Real status, but recognition waits until released: holds an extraction slot."""

    def __init__(self) -> None:
        super().__init__("tesseract", 30, 10**7)
        self.entered = threading.Event()
        self.release = threading.Event()

    def recognize(
        self, image: Image.Image, languages: str, dpi: int | None, timeout_s: float | None = None
    ) -> OcrResult:
        self.entered.set()
        self.release.wait(10)
        return OcrResult("released", 90.0, 1)


async def test_busy_server_answers_resource_exhausted_with_retry() -> None:
    tesseract = _BlockingTesseract()
    settings = MultiModalSettings(max_parallel_extractions=1, max_queued_extractions=0)
    extractor = MultiModalExtractor(settings, tesseract)
    document = DocumentInput("busy", PNG, "image/png")
    first = asyncio.create_task(extractor.extract(document, RequestedOptions()))
    try:
        await asyncio.to_thread(tesseract.entered.wait, 10)
        with pytest.raises(ResourceExhausted) as err:
            await extractor.extract(document, RequestedOptions())
        assert err.value.retry_after_s is not None and err.value.retry_after_s > 0
    finally:
        tesseract.release.set()
    assert (await first).chunks[0].text == "released"
    # Once the slot is free again, the next document is accepted.
    tesseract.entered.clear()
    assert (await extractor.extract(document, RequestedOptions())).chunks


def test_tsv_is_rebuilt_into_lines_and_paragraphs_with_mean_confidence() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "4\t1\t1\t1\t1\t0\t0\t0\t1\t1\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tHello",
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t80\tworld",
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t70\tsecond",
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t40\tnext",
        "5\t1\t2\t1\t1\t2\t0\t0\t1\t1\t-1\t ",
    ]
    result = parse_tsv("\n".join([header, *rows]))
    assert result.text == "Hello world\nsecond\n\nnext"
    assert result.confidence == 70.0 and result.word_count == 4

"""DocumentProcessorService -> MultiModalService as real processes: images, spreadsheets and
scanned PDFs are routed and come back tagged; text stays local; the service's errors keep
their code; with MultiModalService down, routed types are UNAVAILABLE and text still works."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import grpc
import pytest

from rag.v1 import common_pb2, document_processor_pb2, document_processor_pb2_grpc
from services.multi_modal.ocr import Tesseract
from tests.support import multi_modal_content as content
from tests.support.pdf import make_pdf
from tests.support.processes import ServiceProcess

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not Tesseract("tesseract", 30, 10**7).status().available,
        reason="tesseract not installed (make setup installs it)",
    ),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE_ENV = {"RAGMESH_METRICS_PORT": "-1", "RAGMESH_AUTH_MODE": "disabled"}


@pytest.fixture
def processes() -> Iterator[tuple[ServiceProcess, ServiceProcess]]:
    multi_modal = ServiceProcess("services.multi_modal", BASE_ENV).wait_ready()
    try:
        # No Envoy here: the processor's mesh address is the multi-modal replica itself.
        processor = ServiceProcess(
            "services.document_processor",
            {**BASE_ENV, "RAGMESH_ENVOY_ADDRESS": multi_modal.address},
        ).wait_ready()
    except Exception:
        multi_modal.stop()
        raise
    yield multi_modal, processor
    processor.stop()
    multi_modal.stop()


@pytest.fixture
async def stub(
    processes: tuple[ServiceProcess, ServiceProcess],
) -> AsyncIterator[document_processor_pb2_grpc.DocumentProcessorServiceStub]:
    async with grpc.aio.insecure_channel(processes[1].address) as channel:
        yield document_processor_pb2_grpc.DocumentProcessorServiceStub(channel)


def process_request(
    doc_id: str, data: bytes, content_type: str, chunk_size: int = 0
) -> document_processor_pb2.ProcessDocumentRequest:
    return document_processor_pb2.ProcessDocumentRequest(
        document=common_pb2.Document(
            id=doc_id,
            content=data,
            content_type=content_type,
            access_groups=["ops"],
            metadata={"source_system": "scanner"},
        ),
        chunking=document_processor_pb2.ChunkingOptions(chunk_size=chunk_size),
    )


async def test_routed_types_come_back_tagged(
    stub: document_processor_pb2_grpc.DocumentProcessorServiceStub,
) -> None:
    png = content.encoded(content.text_image(["Boiler pressure must stay below two bar"]), "PNG")
    image = await stub.ProcessDocument(process_request("img", png, "image/png"), timeout=60)
    [chunk] = image.chunks
    assert chunk.modality == common_pb2.MODALITY_IMAGE and chunk.location == "image"
    assert "boiler" in chunk.text.lower() and float(chunk.metadata["ocr_confidence"]) >= 60
    assert chunk.metadata["source_system"] == "scanner" and list(chunk.access_groups) == ["ops"]

    xlsx = content.workbook({"Stock": {"A1": "Part", "B1": "Count", "A2": "Valve", "B2": 12}})
    table = await stub.ProcessDocument(process_request("xls", xlsx, XLSX), timeout=60)
    [chunk] = table.chunks
    assert chunk.modality == common_pb2.MODALITY_TABLE
    assert chunk.location == "sheet=Stock!A1:B2" and "| Valve | 12 |" in chunk.text

    pdf = content.mixed_pdf("Maintenance schedule for the pumps.", ["Pump seals replaced"])
    mixed = await stub.ProcessDocument(process_request("pdf", pdf, "application/pdf"), timeout=60)
    assert [(c.modality, c.location) for c in mixed.chunks] == [
        (common_pb2.MODALITY_PDF, "page=1"),
        (common_pb2.MODALITY_IMAGE, "page=2"),
    ]
    assert "seals" in mixed.chunks[1].text.lower()
    assert mixed.stats.page_count == 2


async def test_errors_keep_their_code_and_local_types_survive_an_outage(
    processes: tuple[ServiceProcess, ServiceProcess],
    stub: document_processor_pb2_grpc.DocumentProcessorServiceStub,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ProcessDocument(
            process_request("bad", b"\x89PNG\r\n\x1a\n" + b"junk" * 20, "image/png"), timeout=60
        )
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not a readable image" in (err.value.details() or "")

    processes[0].stop()
    png = content.encoded(content.text_image(["anything"]), "PNG")
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ProcessDocument(process_request("img", png, "image/png"), timeout=30)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "MultiModalService" in (err.value.details() or "")
    # A text-layer PDF never needed the multi-modal service.
    pdf = make_pdf(["Everything on this page is a text layer."])
    local = await stub.ProcessDocument(process_request("t", pdf, "application/pdf"), timeout=30)
    assert [(c.modality, c.location) for c in local.chunks] == [(common_pb2.MODALITY_PDF, "page=1")]

"""DocumentProcessorService settings (``RAGMESH_DOCUMENT_PROCESSOR_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DocumentProcessorSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAGMESH_DOCUMENT_PROCESSOR_", extra="ignore", frozen=True
    )

    max_document_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    max_chunks: int = Field(default=50_000, gt=0)
    # Parsing and chunking are CPU work: at most this many documents at once per replica.
    max_parallel_documents: int = Field(default=2, gt=0)
    # Send images, spreadsheets and scanned PDFs to MultiModalService (off: they are refused
    # as unsupported, and scanned PDF pages yield no text).
    multi_modal_routing: bool = True
    # OCR costs 1-3 s per page: the extraction call gets this long (within the caller's deadline).
    multi_modal_timeout_s: float = Field(default=300.0, gt=0)

"""MultiModalService settings (``RAGMESH_MULTI_MODAL_*``).

| variable | default | meaning |
| --- | --- | --- |
| ``RAGMESH_MULTI_MODAL_MAX_CONTENT_BYTES`` | ``33554432`` | largest accepted content (32 MiB, the contract's limit) |
| ``RAGMESH_MULTI_MODAL_MAX_PAGES`` | ``1000`` | server limit on pages, frames, sheets or tables per document |
| ``RAGMESH_MULTI_MODAL_MAX_TABLE_CELLS`` | ``2000000`` | cells read from one document's tables; the rest is truncated |
| ``RAGMESH_MULTI_MODAL_MAX_PARALLEL_EXTRACTIONS`` | ``2`` | documents extracted at once (OCR is CPU work) |
| ``RAGMESH_MULTI_MODAL_MAX_QUEUED_EXTRACTIONS`` | ``8`` | documents waiting beyond that; more get RESOURCE_EXHAUSTED |
| ``RAGMESH_MULTI_MODAL_TESSERACT_COMMAND`` | ``tesseract`` | the Tesseract executable (name on PATH or absolute path) |
| ``RAGMESH_MULTI_MODAL_OCR_DPI`` | ``300`` | resolution at which scanned PDF pages are rendered for OCR |
| ``RAGMESH_MULTI_MODAL_OCR_TIMEOUT_S`` | ``120`` | longest one page's OCR may take |
| ``RAGMESH_MULTI_MODAL_OCR_MAX_PIXELS`` | ``40000000`` | larger images are scaled down to this many pixels before OCR |
| ``RAGMESH_MULTI_MODAL_MIN_TEXT_LAYER_CHARS`` | ``16`` | a PDF page with fewer non-space characters counts as scanned |
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MultiModalSettings(BaseSettings):
    """Limits and OCR configuration of one MultiModalService replica."""

    model_config = SettingsConfigDict(
        env_prefix="RAGMESH_MULTI_MODAL_", extra="ignore", frozen=True
    )

    max_content_bytes: int = Field(default=32 * 1024 * 1024, gt=0)
    max_pages: int = Field(default=1000, gt=0)
    max_table_cells: int = Field(default=2_000_000, gt=0)
    max_parallel_extractions: int = Field(default=2, gt=0)
    max_queued_extractions: int = Field(default=8, ge=0)
    tesseract_command: str = "tesseract"
    ocr_dpi: int = Field(default=300, ge=72, le=600)
    ocr_timeout_s: float = Field(default=120.0, gt=0)
    ocr_max_pixels: int = Field(default=40_000_000, gt=0)
    min_text_layer_chars: int = Field(default=16, ge=1)

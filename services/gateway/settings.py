"""RagService (gateway) settings (``RAGMESH_GATEWAY_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAGMESH_GATEWAY_", extra="ignore", frozen=True)

    max_question_chars: int = Field(default=2000, gt=0)
    default_top_k: int = Field(default=5, gt=0)
    max_top_k: int = Field(default=100, gt=0)
    max_batch_documents: int = Field(default=100, gt=0)
    # Stream ingest assembles the document here; the processor's limit applies after that.
    max_stream_document_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    embed_batch_size: int = Field(default=256, gt=0, le=256)
    embed_parallel_batches: int = Field(default=2, gt=0)
    # Reciprocal-rank-fusion constant when several enhanced queries are fused.
    fusion_k: float = Field(default=60.0, gt=0)

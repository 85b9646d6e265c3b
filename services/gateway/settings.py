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
    # Documents of one BatchIngestDocuments call ingested concurrently.
    batch_parallel_documents: int = Field(default=8, gt=0)
    # Stream ingest assembles the document here; the processor's limit applies after that.
    max_stream_document_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    embed_batch_size: int = Field(default=256, gt=0, le=256)
    embed_parallel_batches: int = Field(default=2, gt=0)
    # Reciprocal-rank-fusion constant when several enhanced queries are fused.
    fusion_k: float = Field(default=60.0, gt=0)
    # A/B experiments and answer-quality signals (services/gateway/experiments.py): every
    # answer is scored by EvaluationService in the background when score_answers is on.
    score_answers: bool = True
    experiment_assign_timeout_s: float = Field(default=2.0, gt=0)
    answer_signal_timeout_s: float = Field(default=10.0, gt=0)
    max_pending_answer_signals: int = Field(default=64, gt=0)
    # Knowledge graph (services/gateway/graph_expansion.py): facts indexed at ingest, dropped at
    # delete; Ask fuses in graph chunks on use_graph, or unasked when the question names
    # at least graph_auto_min_entities known entities (0 = only on request).
    graph_enabled: bool = True
    graph_auto_min_entities: int = Field(default=2, ge=0)
    graph_max_hops: int = Field(default=2, ge=1, le=4)
    graph_max_chunks: int = Field(default=10, gt=0, le=100)
    graph_weight: float = Field(default=1.0, gt=0)
    graph_timeout_s: float = Field(default=3.0, gt=0)

"""VectorStoreService settings (``RAGMESH_VECTOR_STORE_*``).

| variable | default | meaning |
| --- | --- | --- |
| ``..._PERSIST_PATH`` | ``.ragmesh/vector_store`` | folder of the embedded Chroma (one replica) |
| ``..._CHROMA_HOST`` / ``..._CHROMA_PORT`` | unset | a shared Chroma server (several replicas); both set -> HttpClient |
| ``..._COLLECTION_PREFIX`` | ``ragmesh`` | collections ``<prefix>_chunks`` and ``<prefix>_documents`` |
| ``..._DIMENSIONS`` / ``..._EMBEDDING_MODEL_ID`` | 384 / all-MiniLM-L6-v2 | what every stored vector must be |
| ``..._EMBEDDING_TARGET`` | unset | EmbeddingService address for query embedding; unset = through Envoy |
| ``..._FUSION`` | ``score`` | hybrid fusion: z-scores of the two lists (``score``) or reciprocal ranks (``rrf``) |
| ``..._COALESCE_MAX_DOCUMENTS`` / ``..._COALESCE_MAX_CHUNKS`` | 64 / 4096 | concurrent upserts written together, at most this much per write |
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.runtime.local_run import LocalRun


class VectorStoreSettings(BaseSettings):
    """Where the chunks live, the store's vector contract, limits and search tuning."""

    model_config = SettingsConfigDict(
        env_prefix="RAGMESH_VECTOR_STORE_", extra="ignore", frozen=True
    )

    persist_path: str = ".ragmesh/vector_store"
    chroma_host: str | None = None
    chroma_port: int | None = Field(default=None, gt=0, le=65535)
    collection_prefix: str = Field(default="ragmesh", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{0,40}$")

    # The store's vector contract: every embedding written or searched must match it.
    dimensions: int = Field(default=384, gt=0, le=8192)
    embedding_model_id: str = "sentence-transformers/all-MiniLM-L6-v2"

    # Limits from the contract (vector_store.proto, common.proto).
    max_chunks_per_document: int = Field(default=50_000, gt=0)
    max_request_bytes: int = Field(default=128 * 1024 * 1024, gt=0)
    max_query_chars: int = Field(default=16_000, gt=0)
    default_top_k: int = Field(default=10, gt=0)
    max_top_k: int = Field(default=100, gt=0)
    max_filters: int = Field(default=32, gt=0)
    max_filter_values: int = Field(default=1000, gt=0)
    max_document_ids: int = Field(default=1000, gt=0)
    max_documents_per_batch: int = Field(default=1000, gt=0)
    max_chunks_per_batch: int = Field(default=50_000, gt=0)

    # Concurrent UpsertDocument calls are written together (one Chroma add, one record
    # upsert, one delete of the old versions for all of them: Chroma's cost is mostly per
    # call). A write takes what has queued while the previous one ran, up to these sizes;
    # a lone upsert is written at once.
    coalesce_max_documents: int = Field(default=64, gt=0)
    coalesce_max_chunks: int = Field(default=4096, gt=0)

    # Hybrid search fuses a dense and a keyword list of candidates, each holding
    # max(top_k * candidates_per_result, min_candidates) chunks (services/common/fusion.py).
    # "score" (default): the weighted sum of each list's z-scores (a chunk missing from a
    # list gets that list's lowest); "rrf": weighted reciprocal rank fusion with rrf_k.
    # Weights 1:1 and no per-domain constant: on SciFact, score fusion at 1:1 beats RRF at
    # its train-tuned k and weights (bench/retrieval.py), and it needs no tuning per corpus.
    fusion: Literal["score", "rrf"] = "score"
    rrf_k: float = Field(default=60.0, gt=0)
    default_dense_weight: float = Field(default=1.0, gt=0)
    default_keyword_weight: float = Field(default=1.0, gt=0)
    candidates_per_result: int = Field(default=4, gt=0)
    min_candidates: int = Field(default=50, gt=0)

    # BM25 (Okapi) of the in-process keyword index. k1 0.9, b 0.4 are Anserini's defaults,
    # which it uses unchanged on every BEIR corpus: a published general choice, not tuned
    # here. In the hybrid they beat the textbook 1.2 / 0.75 on SciFact's train split and
    # test split alike (bench/retrieval.py); BM25 alone they do not.
    bm25_k1: float = Field(default=0.9, ge=0)
    bm25_b: float = Field(default=0.4, ge=0, le=1)
    bm25_stemming: bool = True
    # How many times a chunk's title is indexed with its text (0 = text only).
    bm25_title_repeats: int = Field(default=1, ge=0, le=5)

    # Replicas sharing one Chroma converge their keyword index by polling the documents
    # collection for records changed since the last poll, plus a full reconcile now and then.
    keyword_sync_interval_s: float = Field(default=1.0, gt=0)
    keyword_sync_lookback_s: float = Field(default=5.0, ge=0)
    full_reconcile_interval_s: float = Field(default=60.0, gt=0)
    # Orphaned chunks (a writer died between writing chunks and switching versions, or
    # lost a race) and deletion tombstones are swept after these ages.
    sweep_interval_s: float = Field(default=300.0, gt=0)
    orphan_grace_s: float = Field(default=600.0, gt=0)
    tombstone_ttl_s: float = Field(default=3600.0, gt=0)

    # Chroma and BM25 calls are blocking: they run on this many worker threads.
    worker_threads: int = Field(default=4, gt=0)

    # Query embedding: EmbeddingService address; unset = through Envoy (RAGMESH_ENVOY_ADDRESS).
    embedding_target: str | None = None


def local_env(run: LocalRun) -> dict[str, str]:
    """`ragmesh up`: the store under the mesh's state folder; several replicas share the
    Chroma server the supervisor started."""
    env = {"RAGMESH_VECTOR_STORE_PERSIST_PATH": str(run.state_dir / "chroma")}
    if run.shared_chroma is not None:
        host, port = run.shared_chroma
        env["RAGMESH_VECTOR_STORE_CHROMA_HOST"] = host
        env["RAGMESH_VECTOR_STORE_CHROMA_PORT"] = str(port)
    return env

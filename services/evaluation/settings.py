"""EvaluationService settings (``RAGMESH_EVALUATION_*``).

| variable | default | meaning |
| --- | --- | --- |
| ``..._DATABASE_PATH`` | ``.ragmesh/evaluation.sqlite3`` | SQLite file holding experiments, enrolments and outcomes |
| ``..._DATASETS_ROOT`` | ``../shared/data`` | folder that ``BeirDataset.path`` is relative to |
| ``..._MAX_CONCURRENT_EVALUATIONS`` | ``2`` | EvaluateRetrieval calls running at once; more get RESOURCE_EXHAUSTED |
| ``..._QUERY_CONCURRENCY`` | ``4`` | queries of one evaluation in flight at once |
| ``..._SUPPORT_THRESHOLD`` | ``0.5`` | support score a sentence needs to count as grounded |
| ``..._CPU_NICENESS`` | ``10`` | added to the process's nice value at start: its work (scoring answers after the fact, offline evaluations) takes the cores only when callers' requests leave them free |
| ``..._EMBEDDING_TARGET`` etc. | unset | direct address of a dependency; unset = through Envoy |
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.runtime.local_run import LocalRun


class EvaluationSettings(BaseSettings):
    """Storage, limits and scorer tuning of the evaluation service."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_EVALUATION_", extra="ignore", frozen=True)

    database_path: str = ".ragmesh/evaluation.sqlite3"
    datasets_root: str = "../shared/data"

    # Limits from the contract (evaluation.proto).
    max_queries: int = Field(default=10_000, gt=0)
    max_k: int = Field(default=100, gt=0, le=100)
    max_k_values: int = Field(default=10, gt=0)
    max_query_chars: int = Field(default=2000, gt=0)
    max_answer_chars: int = Field(default=32_000, gt=0)
    max_contexts: int = Field(default=100, gt=0)
    max_citations: int = Field(default=100, gt=0)

    # An evaluation fans out to the whole retrieval pipeline: bound both levels.
    max_concurrent_evaluations: int = Field(default=2, gt=0)
    query_concurrency: int = Field(default=4, gt=0)
    # Chunks searched per query = largest k x this (capped at 100, the store's limit), so that
    # about k distinct documents remain when several chunks of one document rank high.
    chunk_depth_factor: int = Field(default=3, gt=0)
    graph_max_chunks: int = Field(default=10, gt=0)

    # Answer scoring: a sentence is grounded when its best passage's support reaches this.
    support_threshold: float = Field(default=0.5, gt=0, le=1)
    # Everything this service does is background work for someone (the gateway scores every
    # answer here after replying): below interactive services in the CPU scheduler.
    cpu_niceness: int = Field(default=10, ge=0, le=19)

    # Experiments.
    default_page_size: int = Field(default=50, gt=0)
    max_page_size: int = Field(default=500, gt=0)
    default_bootstrap_resamples: int = Field(default=2000, gt=0)
    bootstrap_seed: int = 20240611

    # Direct addresses of dependencies (tests, debugging); unset = through Envoy.
    embedding_target: str | None = None
    vector_store_target: str | None = None
    query_enhancement_target: str | None = None
    graph_target: str | None = None


def local_env(run: LocalRun) -> dict[str, str]:
    """`ragmesh up`: experiments live with the rest of the mesh's state (one SQLite file)."""
    return {"RAGMESH_EVALUATION_DATABASE_PATH": str(run.state_dir / "evaluation.sqlite3")}

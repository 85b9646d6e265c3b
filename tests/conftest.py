"""Fixtures shared across test modules; the CI skip rule (tests/support/skip_policy.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.embedding.core import SentenceEncoder, build_encoder
from services.embedding.settings import EmbeddingSettings
from tests.support.keycloak import RunningKeycloak, keycloak_installed, start_keycloak

# With CI set, a skip whose reason tests/allowed_skips.toml does not list fails the run;
# pytester runs that rule on small suites (tests/unit/test_skip_policy.py).
pytest_plugins = ["tests.support.skip_policy", "pytester"]


@pytest.fixture(scope="session")
def encoder() -> SentenceEncoder:
    """The real all-MiniLM-L6-v2 encoder with the default backend, as a replica runs it
    (loading costs a few seconds: once per session)."""
    return build_encoder(EmbeddingSettings(), threads=1)


@pytest.fixture(scope="session")
def keycloak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningKeycloak]:
    """The real Keycloak (dev mode, realm ragmesh imported), shared by the whole session."""
    if not keycloak_installed():
        pytest.skip("Keycloak is not installed: run `make setup`")
    running = start_keycloak(tmp_path_factory.mktemp("keycloak"))
    try:
        yield running
    finally:
        running.stop()

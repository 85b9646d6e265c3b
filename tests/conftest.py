"""Fixtures shared across test modules."""

from __future__ import annotations

import pytest

from services.embedding.core import SentenceEncoder
from services.embedding.settings import EmbeddingSettings


@pytest.fixture(scope="session")
def encoder() -> SentenceEncoder:
    """The real all-MiniLM-L6-v2 encoder (loading costs a few seconds: once per session)."""
    settings = EmbeddingSettings()
    return SentenceEncoder(settings.model_path, settings.max_sequence_length, 32, 1)

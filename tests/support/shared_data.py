"""Data sets the project shares beside the repository (``../shared/data``).

A test that needs one calls ``scifact()``: on a developer's machine without the data the
test skips, in CI (``CI`` set) it fails, since CI always has ``../shared`` beside the clone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import REPO
from tests.support.skip_policy import in_ci

SCIFACT = REPO.parent / "shared" / "data" / "scifact"


def scifact() -> Path:
    """The BEIR SciFact folder (corpus.jsonl.gz, queries.jsonl, qrels/{train,test}.tsv)."""
    if not (SCIFACT / "corpus.jsonl.gz").is_file():
        message = f"shared SciFact data not present in {SCIFACT}"
        if in_ci():
            pytest.fail(message + ": CI runs with ../shared beside the clone")
        pytest.skip(message)
    return SCIFACT

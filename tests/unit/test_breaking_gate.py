"""The contract gate can fail: `make breaking` on scratch copies of the repository's contracts.

`make breaking` compares the working tree's protos with the committed image of the
contracts that shipped (protos/shipped/rag-v1.binpb). Each test copies what the target
needs (Makefile, buf.yaml, protos/ with the image) into a temporary folder, edits one
shipped field there and runs the real target, with the project's virtualenv for `buf`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv"
IMAGE = Path("protos/shipped/rag-v1.binpb")
COMMON = Path("protos/rag/v1/common.proto")


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    # copy2 keeps modification times, so make sees nothing newer than the installed venv.
    for name in ("Makefile", "buf.yaml", "pyproject.toml", "mesh/local/keycloak_dist.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "protos", tmp_path / "protos")
    return tmp_path


def make_breaking(root: Path) -> subprocess.CompletedProcess[str]:
    # -o: never rebuild the virtualenv from the scratch copy (it only lends `buf`): with a
    # pyproject.toml newer than a stamp, make would install the scratch copy over the
    # shared venv's editable install.
    return subprocess.run(
        [
            "make",
            "-C",
            str(root),
            f"VENV={VENV}",
            "-o",
            f"{VENV}/.installed",
            "-o",
            f"{VENV}/.installed-dev",
            "breaking",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new))


def test_the_shipped_image_is_committed_and_the_tree_passes(scratch: Path) -> None:
    assert (REPO / IMAGE).stat().st_size > 0
    tracked = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "--error-unmatch", str(IMAGE)], capture_output=True
    )
    assert tracked.returncode == 0, f"{IMAGE} is not committed"
    unchanged = make_breaking(scratch)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr


def test_a_renumbered_field_fails_the_gate(scratch: Path) -> None:
    edit(scratch / COMMON, "  string content_hash = 8;", "  string content_hash = 18;")
    result = make_breaking(scratch)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    # buf reports the old number as gone (the new number is just a new field).
    assert re.search(r'field "8" with name "content_hash" on message "Document" was deleted', out)


def test_a_removed_field_fails_the_gate(scratch: Path) -> None:
    edit(scratch / COMMON, "  int32 chunk_count = 9;\n", "")
    result = make_breaking(scratch)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert re.search(r'field "9" with name "chunk_count" on message "Document" was deleted', out)

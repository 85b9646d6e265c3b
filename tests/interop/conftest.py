"""Fixtures for the interop tests: each example client built once per session."""

from __future__ import annotations

import pytest

from tests.interop.clients import LANGUAGES, ClientCommand, ToolchainMissing, build

_built: dict[str, ClientCommand | str] = {}


@pytest.fixture(params=LANGUAGES)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> ClientCommand:
    """One built example client per language; skipped (with the reason) without its toolchain."""
    language: str = request.param
    if language not in _built:
        try:
            _built[language] = build(language, tmp_path_factory.mktemp(f"client-{language}"))
        except ToolchainMissing as exc:
            _built[language] = f"{language} toolchain missing: {exc}"
    built = _built[language]
    if isinstance(built, str):
        pytest.skip(built)
    return built

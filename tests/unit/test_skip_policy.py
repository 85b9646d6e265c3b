"""The CI skip rule fails a run: an unexplained skip is red with CI set, an allowed one is not.

Each case runs pytest in a subprocess on a two-test file with the plugin
(tests/support/skip_policy.py) and an allow-list of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.skip_policy import DEFAULT_FILE, load_allowed

REPO = Path(__file__).resolve().parents[2]
SUITE = """
import pytest

def test_runs():
    pass

def test_needs_a_tool():
    pytest.skip("frobnicator is not installed")
"""


@pytest.fixture
def run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str, str], pytest.RunResult]:
    def run_with(ci: str, allowed: str) -> pytest.RunResult:
        pytester.makepyfile(test_suite=SUITE)
        allow = pytester.path / "allowed.toml"
        allow.write_text(allowed)
        monkeypatch.setenv("PYTHONPATH", str(REPO))
        monkeypatch.setenv("CI", ci)
        return pytester.runpytest_subprocess(
            "-p", "tests.support.skip_policy", "-o", f"allowed_skips_file={allow}", "-rs"
        )

    return run_with


def test_an_unexplained_skip_fails_the_run_in_ci(
    run: Callable[[str, str], pytest.RunResult],
) -> None:
    result = run("true", "allowed = []\n")
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*skips not allowed in CI*", "*frobnicator is not installed*"])


def test_an_allowed_skip_passes_in_ci(run: Callable[[str, str], pytest.RunResult]) -> None:
    allowed = '[[allowed]]\nreason = "frobnicator is not installed"\nwhy = "no frobnicator"\n'
    result = run("true", allowed)
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK


def test_outside_ci_a_skip_is_only_reported(run: Callable[[str, str], pytest.RunResult]) -> None:
    result = run("", "allowed = []\n")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["SKIPPED*frobnicator is not installed*"])


def test_every_allowed_entry_says_why(tmp_path: Path) -> None:
    load_allowed(DEFAULT_FILE)  # raises on an entry without a reason to be there
    bad = tmp_path / "bad.toml"
    bad.write_text('[[allowed]]\nreason = "x"\n')
    with pytest.raises(ValueError, match="does not say why"):
        load_allowed(bad)

"""A pytest plugin: in CI, a skipped test fails the run unless its reason is allowed.

With ``CI`` set (CI runs with ``CI=true``), every skip is matched against the entries of
the allow-list (``tests/allowed_skips.toml``; the ini option ``allowed_skips_file``
points elsewhere). An entry is a regular expression searched in the skip's reason plus
``why``: the reason that test cannot run on a CI machine. Any other skip turns a passing
run into a failed one and is listed at the end, so a broken install step shows up red
instead of as a quiet skip. Outside CI skips are only reported (``make test`` runs ``-rs``).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "allowed_skips.toml"


@dataclass(frozen=True)
class AllowedSkip:
    reason: re.Pattern[str]
    why: str


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def load_allowed(path: Path) -> list[AllowedSkip]:
    entries = tomllib.loads(path.read_text()).get("allowed", [])
    allowed = [AllowedSkip(re.compile(e["reason"]), str(e.get("why", "")).strip()) for e in entries]
    for entry in allowed:
        if not entry.why:
            raise ValueError(f"{path}: {entry.reason.pattern!r} does not say why it may skip")
    return allowed


def _reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


class SkipPolicy:
    def __init__(self, allowed_file: Path) -> None:
        self.allowed_file = allowed_file
        self.skipped: list[tuple[str, str]] = []  # (test id, reason)
        self.unexplained: list[tuple[str, str]] = []

    def _record(self, report: pytest.CollectReport | pytest.TestReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):
            self.skipped.append((report.nodeid, _reason(report)))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._record(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._record(report)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.skipped:
            return
        allowed = load_allowed(self.allowed_file)
        self.unexplained = [
            (test, reason)
            for test, reason in self.skipped
            if not any(a.reason.search(reason) for a in allowed)
        ]
        if self.unexplained and exitstatus in (
            pytest.ExitCode.OK,
            pytest.ExitCode.NO_TESTS_COLLECTED,
        ):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.unexplained:
            return
        terminalreporter.section(f"skips not allowed in CI ({self.allowed_file})", red=True)
        for test, reason in self.unexplained:
            terminalreporter.line(f"{test}: {reason}", red=True)
        terminalreporter.line(
            f"{len(self.unexplained)} skipped without an allowed reason: fix what made them "
            "skip (often an install step), or allow the reason with why it cannot run in CI",
            red=True,
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "allowed_skips_file",
        "TOML list of skip reasons allowed in CI, each with why (tests/allowed_skips.toml)",
        default=str(DEFAULT_FILE),
    )


def pytest_configure(config: pytest.Config) -> None:
    if in_ci():
        path = Path(str(config.getini("allowed_skips_file")))
        config.pluginmanager.register(SkipPolicy(path), "ragmesh-skip-policy")

"""The replicas' own load reports: made by the runtime, read by the control plane."""

from __future__ import annotations

import pytest

from mesh.balancing.access_log import parse_load_report
from services.runtime.load_report import LoadTracker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_report_is_calls_in_flight_over_time_cpu_and_rate() -> None:
    wall, cpu = Clock(), Clock()
    tracker = LoadTracker(window_s=1.0, clock=wall, cpu_clock=cpu)
    # Two calls overlap for the whole second; 0.25 s of CPU.
    tracker.started()
    tracker.started()
    wall.now, cpu.now = 1.0, 0.25
    tracker.finished()
    tracker.finished()
    report = parse_load_report(tracker.report())
    assert report is not None
    assert report.utilization == pytest.approx(2.0)  # max(in flight 2.0, cpu 0.25)
    assert report.rps == pytest.approx(2.0)


def test_the_report_is_rebuilt_once_per_window() -> None:
    wall = Clock()
    tracker = LoadTracker(window_s=1.0, clock=wall, cpu_clock=lambda: 0.0)
    wall.now = 1.0
    first = tracker.report()
    tracker.started()
    wall.now = 1.5
    assert tracker.report() == first  # within the window: the same string


@pytest.mark.parametrize(
    "raw", ["", "JSON {}", "TEXT cpu_utilization=x", "TEXT cpu_utilization=0.5"]
)
def test_unreadable_or_incomplete_reports_are_ignored(raw: str) -> None:
    assert parse_load_report(raw) is None

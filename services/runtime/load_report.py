"""The replica's own load, reported in every response's trailers (ORCA's in-band form).

Envoy's upstream log carries the trailer to the control plane, whose `utilization`
strategy (mesh/balancing/policy.py) weighs replicas by the capacity they report:

    endpoint-load-metrics: TEXT application_utilization=1.93, cpu_utilization=0.41,
                           rps_fractional=512.0, named_metrics.in_flight=2

- application_utilization: mean number of calls in flight over the last window
  (time-integrated), so with rps it gives the time a call spends here (Little's law);
- cpu_utilization: this process's CPU seconds per wall second over the window;
- rps_fractional: calls finished per second over the window;
- named_metrics.in_flight: calls in flight now.

The report is rebuilt at most once per window, so a call pays for a lookup only.
"""

from __future__ import annotations

import time
from collections.abc import Callable

LOAD_REPORT_HEADER = "endpoint-load-metrics"


class LoadTracker:
    def __init__(
        self,
        window_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        cpu_clock: Callable[[], float] = time.process_time,
    ) -> None:
        self._window_s = window_s
        self._clock = clock
        self._cpu_clock = cpu_clock
        now = clock()
        self._in_flight = 0
        self._changed_at = now
        self._window_start = now
        self._cpu_start = cpu_clock()
        self._busy_integral = 0.0  # sum of in-flight x seconds since the window started
        self._finished = 0
        self._report = "TEXT application_utilization=0, cpu_utilization=0, rps_fractional=0"

    def started(self) -> None:
        self._advance()
        self._in_flight += 1

    def finished(self) -> None:
        self._advance()
        self._in_flight = max(0, self._in_flight - 1)
        self._finished += 1

    def report(self) -> str:
        """The trailer's value, refreshed when the window has passed."""
        self._advance()
        now = self._clock()
        elapsed = now - self._window_start
        if elapsed >= self._window_s:
            cpu = self._cpu_clock()
            self._report = (
                f"TEXT application_utilization={self._busy_integral / elapsed:.4f}, "
                f"cpu_utilization={(cpu - self._cpu_start) / elapsed:.4f}, "
                f"rps_fractional={self._finished / elapsed:.2f}, "
                f"named_metrics.in_flight={self._in_flight}"
            )
            self._window_start, self._cpu_start = now, cpu
            self._busy_integral, self._finished = 0.0, 0
        return self._report

    def _advance(self) -> None:
        now = self._clock()
        self._busy_integral += self._in_flight * (now - self._changed_at)
        self._changed_at = now

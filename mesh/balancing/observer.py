"""Per-replica latency and error signal, decaying with time.

Samples are grouped into short time slots (`slot_s`); each slot's mean latency
(of successful requests) and failure fraction then enter an exponentially
weighted moving average in which a slot `dt` seconds after the previous one
weighs (1 - exp(-dt / decay_s)). The average is over *time*, not over requests:
a replica whose traffic just fell from 50% to 1% of the requests (because its
weight fell) still converges at the pace of `decay_s`, instead of being held
back by the many requests it served before. Slots also absorb Envoy's batching:
a whole access-log flush arrives at one instant.

Besides the averages we keep the decayed request count ("mass": each request
weighs exp(-age / decay_s)), i.e. how much recent evidence there is; the weight
policy trusts a replica's estimate only when there is some, and the mass falls
to zero when a replica stops receiving traffic.

Failures are tracked apart from latency: a fast failure would otherwise make a
broken replica look fast. The policy turns the error ratio into a penalty.

Attempts that ended by the caller's doing (a client error status, a cancelled
call) are counted (`client_errors_total`) and otherwise ignored: they say nothing
about the replica, so they move neither its latency, nor its error ratio, nor its
evidence, and so can never lower (or raise) its weight.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mesh.registry import EndpointKey


@dataclass(frozen=True, slots=True)
class EndpointStats:
    """A replica's decayed statistics at one instant."""

    latency_s: float | None
    """Time-weighted EWMA of successful request durations; None before the first success."""
    error_ratio: float
    """Time-weighted EWMA of the failure fraction, in [0, 1]."""
    sample_mass: float
    """Decayed request count: ~ request rate * decay_s in steady state; 0 if never seen."""
    requests_total: int
    failures_total: int
    last_seen: float
    client_errors_total: int = 0
    """Attempts that ended by the caller's doing; not in requests_total."""
    utilization: float | None = None
    """Time-weighted EWMA of the load the replica reports (mesh.balancing.policy); None: no report."""
    reported_rps: float | None = None
    """Time-weighted EWMA of the requests per second the replica reports."""
    """Clock time of the latest sample."""


@dataclass(slots=True)
class _Average:
    """A time-weighted EWMA fed one value per slot."""

    value: float | None = None
    updated: float = 0.0

    def folded(self, sample: float, at: float, decay_s: float) -> float:
        if self.value is None:
            return sample
        keep = math.exp(-max(at - self.updated, 0.0) / decay_s)
        return self.value * keep + sample * (1.0 - keep)

    def fold(self, sample: float, at: float, decay_s: float) -> None:
        self.value = self.folded(sample, at, decay_s)
        self.updated = at


@dataclass(slots=True)
class _Slot:
    index: int
    end: float
    requests: int = 0
    failures: int = 0
    latency_sum: float = 0.0

    @property
    def successes(self) -> int:
        return self.requests - self.failures


@dataclass(slots=True)
class _Series:
    slot: _Slot
    latency: _Average
    errors: _Average
    mass: float = 0.0
    mass_updated: float = 0.0
    requests_total: int = 0
    failures_total: int = 0
    client_errors_total: int = 0
    last_sample: float = 0.0
    utilization: _Average | None = None
    reported_rps: _Average | None = None


class LatencyObserver:
    """Time-decaying EWMA of upstream request duration and failures, per endpoint."""

    def __init__(
        self,
        decay_s: float = 2.0,
        slot_s: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if decay_s <= 0 or slot_s <= 0:
            raise ValueError("decay_s and slot_s must be positive")
        self.decay_s = decay_s
        self.slot_s = slot_s
        self._clock = clock
        self._series: dict[EndpointKey, _Series] = {}

    def record(
        self,
        key: EndpointKey,
        duration_s: float,
        failed: bool = False,
        *,
        client_error: bool = False,
    ) -> None:
        """One upstream attempt. `failed`: the replica's fault; `client_error`: the
        caller's (counted, otherwise ignored; see the module docstring)."""
        now = self._clock()
        index = math.floor(now / self.slot_s)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = _Series(
                slot=self._new_slot(index), latency=_Average(), errors=_Average()
            )
        if client_error and not failed:
            series.client_errors_total += 1
            return
        if index != series.slot.index:
            self._close(series)
            series.slot = self._new_slot(index)
        slot = series.slot
        slot.requests += 1
        if failed:
            slot.failures += 1
        else:
            slot.latency_sum += max(duration_s, 0.0)
        series.mass = series.mass * self._keep(now - series.mass_updated) + 1.0
        series.mass_updated = now
        series.requests_total += 1
        series.failures_total += int(failed)
        series.last_sample = now

    def record_load(self, key: EndpointKey, utilization: float, rps: float) -> None:
        """A load report the replica attached to a response (ORCA-style trailer)."""
        now = self._clock()
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = _Series(
                slot=self._new_slot(math.floor(now / self.slot_s)),
                latency=_Average(),
                errors=_Average(),
            )
        if series.utilization is None or series.reported_rps is None:
            series.utilization, series.reported_rps = _Average(), _Average()
        # Reports arrive with every response: a slot's worth are one sample, like latency.
        if now - series.utilization.updated >= self.slot_s or series.utilization.value is None:
            series.utilization.fold(max(utilization, 0.0), now, self.decay_s)
            series.reported_rps.fold(max(rps, 0.0), now, self.decay_s)

    def stats(self, key: EndpointKey) -> EndpointStats | None:
        series = self._series.get(key)
        if series is None:
            return None
        now = self._clock()
        # The open slot counts as if it closed now, so readers see fresh data.
        slot = series.slot
        at = min(slot.end, now)
        latency = series.latency.value
        if slot.successes:
            latency = series.latency.folded(slot.latency_sum / slot.successes, at, self.decay_s)
        errors = series.errors.value or 0.0
        if slot.requests:
            errors = series.errors.folded(slot.failures / slot.requests, at, self.decay_s)
        return EndpointStats(
            latency_s=latency,
            error_ratio=min(max(errors, 0.0), 1.0),
            sample_mass=series.mass * self._keep(now - series.mass_updated),
            requests_total=series.requests_total,
            failures_total=series.failures_total,
            last_seen=series.last_sample,
            client_errors_total=series.client_errors_total,
            utilization=series.utilization.value if series.utilization else None,
            reported_rps=series.reported_rps.value if series.reported_rps else None,
        )

    def observed(self) -> list[EndpointKey]:
        return list(self._series)

    def forget(self, keys: Iterable[EndpointKey]) -> None:
        for key in list(keys):
            self._series.pop(key, None)

    def _new_slot(self, index: int) -> _Slot:
        return _Slot(index=index, end=(index + 1) * self.slot_s)

    def _close(self, series: _Series) -> None:
        slot = series.slot
        if slot.successes:
            series.latency.fold(slot.latency_sum / slot.successes, slot.end, self.decay_s)
        if slot.requests:
            series.errors.fold(slot.failures / slot.requests, slot.end, self.decay_s)

    def _keep(self, age_s: float) -> float:
        return math.exp(-max(age_s, 0.0) / self.decay_s)

"""LatencyObserver with a fake clock: decay, convergence, errors."""

from __future__ import annotations

import math

import pytest

from mesh.balancing.observer import LatencyObserver
from mesh.balancing.policy import EndpointObservation, WeightPolicy
from mesh.registry import EndpointKey

KEY = EndpointKey("embedding", "127.0.0.1:5001")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def feed(
    observer: LatencyObserver,
    clock: FakeClock,
    key: EndpointKey,
    *,
    rate: float,
    seconds: float,
    latency_s: float,
    failed: bool = False,
) -> None:
    for _ in range(round(rate * seconds)):
        clock.advance(1.0 / rate)
        observer.record(key, latency_s, failed)


def test_unknown_endpoint_has_no_stats() -> None:
    assert LatencyObserver().stats(KEY) is None


def test_single_sample() -> None:
    clock = FakeClock()
    observer = LatencyObserver(decay_s=2.0, clock=clock)
    observer.record(KEY, 0.004)
    stats = observer.stats(KEY)
    assert stats is not None
    assert stats.latency_s == pytest.approx(0.004)
    assert stats.error_ratio == 0.0
    assert stats.sample_mass == pytest.approx(1.0)
    assert stats.requests_total == 1


def test_mass_decays_but_the_estimate_holds_when_idle() -> None:
    clock = FakeClock()
    observer = LatencyObserver(decay_s=2.0, clock=clock)
    feed(observer, clock, KEY, rate=100, seconds=10, latency_s=0.003)
    busy = observer.stats(KEY)
    assert busy is not None
    assert busy.sample_mass == pytest.approx(200, rel=0.05)  # rate * decay_s
    clock.advance(4.0)
    idle = observer.stats(KEY)
    assert idle is not None
    assert idle.latency_s == pytest.approx(0.003)
    assert idle.sample_mass == pytest.approx(busy.sample_mass * math.exp(-2.0), rel=1e-6)
    assert idle.last_seen == busy.last_seen


def test_old_samples_fade_with_the_decay_constant() -> None:
    clock = FakeClock()
    observer = LatencyObserver(decay_s=2.0, clock=clock)
    feed(observer, clock, KEY, rate=200, seconds=10, latency_s=0.001)
    feed(observer, clock, KEY, rate=200, seconds=2, latency_s=0.005)  # one decay constant
    stats = observer.stats(KEY)
    assert stats is not None and stats.latency_s is not None
    expected = 0.005 - 0.004 * math.exp(-1.0)
    assert stats.latency_s == pytest.approx(expected, rel=0.02)


def test_a_slowed_replica_loses_its_share_within_five_seconds() -> None:
    """Observer + policy together: the issue's convergence target."""
    clock = FakeClock()
    observer = LatencyObserver(decay_s=2.0, clock=clock)
    policy = WeightPolicy()
    keys = [EndpointKey("embedding", f"127.0.0.1:{5000 + i}") for i in range(3)]
    for _ in range(10 * 300):  # 10 s at 300 req/s each, all fast
        clock.advance(1 / 300)
        for key in keys:
            observer.record(key, 0.002)
    # The third slows down 5x; for the next 5 s it gets a tenth of the others'
    # traffic (its weight falls as it goes, so that is pessimistic).
    for tick in range(5 * 300):
        clock.advance(1 / 300)
        observer.record(keys[0], 0.002)
        observer.record(keys[1], 0.002)
        if tick % 10 == 0:
            observer.record(keys[2], 0.010)

    def observation(key: EndpointKey) -> EndpointObservation:
        stats = observer.stats(key)
        assert stats is not None
        return EndpointObservation(stats.latency_s, stats.error_ratio, stats.sample_mass)

    weights = policy.weights({k: observation(k) for k in keys})
    assert weights[keys[2]] / sum(weights.values()) < 0.01


def test_errors_are_counted_apart_from_latency() -> None:
    clock = FakeClock()
    observer = LatencyObserver(decay_s=2.0, clock=clock)
    feed(observer, clock, KEY, rate=100, seconds=5, latency_s=0.004)
    feed(observer, clock, KEY, rate=100, seconds=1, latency_s=0.0001, failed=True)
    stats = observer.stats(KEY)
    assert stats is not None
    assert stats.latency_s == pytest.approx(0.004)  # fast failures do not make it look fast
    assert 0.3 < stats.error_ratio < 0.5
    assert stats.failures_total == 100
    # Errors fade too once requests succeed again.
    feed(observer, clock, KEY, rate=100, seconds=10, latency_s=0.004)
    recovered = observer.stats(KEY)
    assert recovered is not None and recovered.error_ratio < 0.01


def test_forget() -> None:
    observer = LatencyObserver()
    observer.record(KEY, 0.001)
    observer.forget([KEY])
    assert observer.stats(KEY) is None
    assert observer.observed() == []


def test_decay_must_be_positive() -> None:
    with pytest.raises(ValueError):
        LatencyObserver(decay_s=0)


def test_convergence_does_not_wait_for_traffic_to_come_back() -> None:
    """A replica whose weight (so traffic) collapses still converges at the decay pace."""
    clock = FakeClock()
    observer = LatencyObserver(decay_s=2.0, clock=clock)
    feed(observer, clock, KEY, rate=300, seconds=10, latency_s=0.002)
    feed(observer, clock, KEY, rate=3, seconds=4, latency_s=0.010)
    stats = observer.stats(KEY)
    assert stats is not None and stats.latency_s is not None
    progress = (stats.latency_s - 0.002) / (0.010 - 0.002)
    assert progress > 0.8  # 1 - exp(-4 / 2) = 0.86


def test_a_batch_arriving_at_one_instant_counts_whole() -> None:
    clock = FakeClock()
    observer = LatencyObserver(decay_s=2.0, clock=clock)
    feed(observer, clock, KEY, rate=100, seconds=5, latency_s=0.002)
    clock.advance(1.0)
    for latency in (0.004, 0.006, 0.008):  # one access-log flush
        observer.record(KEY, latency)
    clock.advance(0.3)
    stats = observer.stats(KEY)
    assert stats is not None and stats.latency_s is not None
    keep = math.exp(-1.0 / 2.0)  # the batch's slot ends ~1 s after the previous one
    assert stats.latency_s == pytest.approx(0.002 * keep + 0.006 * (1 - keep), rel=0.1)

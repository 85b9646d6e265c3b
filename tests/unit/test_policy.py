"""WeightPolicy: steep enough, never zero, quiet under noise, errors count as slowness."""

from __future__ import annotations

import random

import pytest

from mesh.balancing.policy import EndpointObservation, WeightPolicy

POLICY = WeightPolicy()


def observed(
    latency_s: float | None, *, errors: float = 0.0, mass: float = 1000.0
) -> EndpointObservation:
    return EndpointObservation(latency_s=latency_s, error_ratio=errors, sample_mass=mass)


def share(weights: dict[str, int], key: str) -> float:
    return weights[key] / sum(weights.values())


def test_a_replica_five_times_slower_gets_well_under_one_percent() -> None:
    weights = POLICY.weights({"a": observed(0.002), "b": observed(0.002), "slow": observed(0.010)})
    assert weights["a"] == weights["b"] == POLICY.max_weight
    assert share(weights, "slow") < 0.01
    # Next to a single peer too.
    pair = POLICY.weights({"a": observed(0.002), "slow": observed(0.010)})
    assert share(pair, "slow") < 0.01


def test_a_slow_replica_with_little_evidence_still_loses_most_of_its_share() -> None:
    # At ~0.5% of 500 req/s the slow replica gets ~2.5 req/s: mass ~5 over 2 s.
    weights = POLICY.weights(
        {"a": observed(0.002), "b": observed(0.002), "slow": observed(0.010, mass=5.0)}
    )
    assert share(weights, "slow") < 0.01


def test_weights_are_never_zero() -> None:
    weights = POLICY.weights(
        {
            "fast": observed(0.0001),
            "glacial": observed(100.0),
            "broken": observed(None, errors=1.0),
            "pinned_low": EndpointObservation(override=0),
        }
    )
    assert all(w >= 1 for w in weights.values())
    assert weights["glacial"] == weights["broken"] == weights["pinned_low"] == 1


def test_unobserved_cluster_gets_equal_full_weights() -> None:
    weights = POLICY.weights({"a": EndpointObservation(), "b": EndpointObservation()})
    assert weights == {"a": POLICY.max_weight, "b": POLICY.max_weight}


def test_a_new_replica_is_placed_at_the_median_and_sampled() -> None:
    weights = POLICY.weights(
        {
            "fast": observed(0.002),
            "slow": observed(0.008),
            "mid": observed(0.004),
            "new": EndpointObservation(),
        }
    )
    assert weights["new"] == weights["mid"]
    assert 1 < weights["new"] < POLICY.max_weight


def test_a_fast_failing_replica_does_not_win() -> None:
    weights = POLICY.weights(
        {"a": observed(0.005), "b": observed(0.005), "fails_fast": observed(0.0001, errors=0.5)}
    )
    assert weights["a"] == POLICY.max_weight
    assert share(weights, "fails_fast") < 0.01
    only_failures = POLICY.weights({"a": observed(0.005), "dead": observed(None, errors=1.0)})
    assert only_failures["dead"] == 1


def test_a_few_errors_cost_less_than_many() -> None:
    weights = POLICY.weights(
        {
            "ok": observed(0.005),
            "some": observed(0.005, errors=0.001),
            "many": observed(0.005, errors=0.05),
        }
    )
    assert weights["ok"] >= weights["some"] > weights["many"] >= 1


def test_hysteresis_keeps_weights_under_noise() -> None:
    rng = random.Random(7)
    base = {"a": 0.002, "b": 0.002, "slow": 0.010}
    served = POLICY.weights({k: observed(v) for k, v in base.items()})
    for _ in range(200):
        noisy = {k: observed(v * rng.uniform(0.9, 1.1)) for k, v in base.items()}
        decision = POLICY.decide(noisy, served)
        assert not decision.changed, decision.proposed
        assert decision.weights == served


def test_a_real_change_is_reported() -> None:
    before = {"a": observed(0.002), "b": observed(0.002)}
    served = POLICY.weights(before)
    decision = POLICY.decide({"a": observed(0.002), "b": observed(0.006)}, served)
    assert decision.changed
    assert decision.weights == decision.proposed
    assert decision.weights["b"] < served["b"]


def test_membership_and_override_changes_are_reported_at_once() -> None:
    served = POLICY.weights({"a": observed(0.002), "b": observed(0.002)})
    grown = POLICY.decide(
        {"a": observed(0.002), "b": observed(0.002), "c": EndpointObservation()}, served
    )
    assert grown.changed and set(grown.weights) == {"a", "b", "c"}
    pinned = POLICY.decide(
        {
            "a": observed(0.002),
            "b": EndpointObservation(latency_s=0.002, sample_mass=1000, override=990),
        },
        served,
    )
    assert pinned.changed and pinned.weights["b"] == 990


def test_draining_replicas_do_not_set_the_reference() -> None:
    weights = POLICY.weights(
        {
            "a": observed(0.005),
            "b": observed(0.005),
            "drained_fast": EndpointObservation(latency_s=0.0005, sample_mass=100, draining=True),
        }
    )
    assert weights["a"] == weights["b"] == POLICY.max_weight


def test_an_idle_slow_replica_drifts_back_toward_its_peers() -> None:
    busy = POLICY.weights(
        {"a": observed(0.002), "b": observed(0.002), "slow": observed(0.010, mass=50)}
    )
    idle = POLICY.weights(
        {"a": observed(0.002), "b": observed(0.002), "slow": observed(0.010, mass=0.05)}
    )
    assert idle["slow"] > 10 * busy["slow"]


def test_invalid_configuration_is_rejected() -> None:
    with pytest.raises(ValueError):
        WeightPolicy(max_weight=0)
    with pytest.raises(ValueError):
        WeightPolicy(exponent=0)


def test_small_shares_still_shrink_when_they_shrink_a_lot() -> None:
    # 1000:1000:22 -> 1000:1000:5 moves the slow share by under half a point, yet it
    # quarters the slow replica's traffic: that must reach Envoy.
    served = {"a": 1000, "b": 1000, "slow": 22}
    proposed_slow = POLICY.weights(
        {"a": observed(0.002), "b": observed(0.002), "slow": observed(0.012)}
    )
    assert proposed_slow["slow"] <= 5
    decision = POLICY.decide(
        {"a": observed(0.002), "b": observed(0.002), "slow": observed(0.012)}, served
    )
    assert decision.changed and decision.weights["slow"] == proposed_slow["slow"]


def reported(utilization: float, rps: float, *, errors: float = 0.0) -> EndpointObservation:
    return EndpointObservation(
        latency_s=0.002,
        error_ratio=errors,
        sample_mass=100.0,
        utilization=utilization,
        reported_rps=rps,
    )


def test_utilization_weights_follow_reported_capacity_linearly() -> None:
    # Same rate, five times the time in flight per call: a fifth of the capacity.
    weights = POLICY.decide(
        {"a": reported(1.0, 500), "b": reported(1.0, 500), "slow": reported(5.0, 500)},
        {},
        "utilization",
    ).weights
    assert weights["a"] == weights["b"] == POLICY.max_weight
    assert weights["slow"] == POLICY.max_weight // 5


def test_utilization_weights_fall_for_a_failing_replica_and_wait_for_reports() -> None:
    weights = POLICY.utilization_weights(
        {
            "a": reported(1.0, 500),
            "failing": reported(0.01, 500, errors=1.0),
            "new": EndpointObservation(),  # no report yet: the median capacity
        }
    )
    assert weights["failing"] == 1
    assert weights["new"] >= 1 and weights["a"] == POLICY.max_weight


def test_equal_strategy_ignores_latency_but_keeps_overrides() -> None:
    decision = POLICY.decide(
        {
            "a": observed(0.002),
            "slow": observed(0.010),
            "pinned": EndpointObservation(latency_s=0.002, sample_mass=10, override=7),
        },
        {},
        "equal",
    )
    assert decision.weights == {"a": POLICY.max_weight, "slow": POLICY.max_weight, "pinned": 7}


def test_a_replica_failing_every_call_falls_to_the_floor_and_recovers() -> None:
    failing = POLICY.weights(
        {"a": observed(0.002), "b": observed(0.002), "c": observed(0.001, errors=1.0)}
    )
    assert failing["c"] == 1
    # Answers well again, a few seconds of decay later: back among its peers.
    healed = POLICY.weights(
        {"a": observed(0.002), "b": observed(0.002), "c": observed(0.002, errors=0.001, mass=2.0)}
    )
    assert healed["c"] >= 0.9 * POLICY.max_weight


def test_a_weight_falls_at_once_but_climbs_back_in_steps() -> None:
    healthy = {"a": observed(0.002), "b": observed(0.002)}
    fallen = POLICY.decide({**healthy, "c": observed(0.010)}, {"a": 1000, "b": 1000, "c": 1000})
    assert fallen.changed and fallen.weights["c"] < 10  # at once
    served, climb = fallen.weights, []
    for _ in range(10):
        decision = POLICY.decide({**healthy, "c": observed(0.002)}, served)
        served = decision.weights
        climb.append(served["c"])
        assert decision.proposed["c"] == POLICY.max_weight  # what the formula says
    assert climb[0] <= max(4 * fallen.weights["c"], fallen.weights["c"] + 4)
    assert climb == sorted(climb) and climb[-1] == POLICY.max_weight
    assert len(set(climb)) >= 4  # several steps, not one jump

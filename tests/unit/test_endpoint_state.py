"""Three-state health: a pure function of what the control plane knows (no Envoy)."""

from __future__ import annotations

import dataclasses

from mesh.balancing.endpoint_state import EndpointState, StateInput, endpoint_states

GOOD = StateInput(cost_s=0.002, error_ratio=0.0, sample_mass=20.0)


def states(**replicas: StateInput) -> dict[str, EndpointState]:
    return {k: judged.state for k, judged in endpoint_states(replicas).items()}


def test_equal_replicas_are_healthy() -> None:
    assert states(a=GOOD, b=GOOD, c=GOOD) == dict.fromkeys("abc", EndpointState.HEALTHY)


def test_a_replica_failing_more_than_its_peers_is_degraded_with_the_reason() -> None:
    failing = StateInput(cost_s=0.05, error_ratio=0.4, sample_mass=20.0)
    judged = endpoint_states({"a": GOOD, "b": GOOD, "c": failing})
    assert judged["c"].state is EndpointState.DEGRADED
    assert "40%" in judged["c"].reason
    assert judged["a"].state is EndpointState.HEALTHY


def test_a_replica_several_times_slower_is_degraded() -> None:
    slow = StateInput(cost_s=0.010, sample_mass=20.0)
    judged = endpoint_states({"a": GOOD, "b": GOOD, "c": slow})
    assert judged["c"].state is EndpointState.DEGRADED
    assert "5.0x slower" in judged["c"].reason


def test_a_little_slower_or_without_evidence_is_not_degraded() -> None:
    a_bit_slower = StateInput(cost_s=0.003, sample_mass=20.0)
    idle_and_slow = StateInput(cost_s=0.050, error_ratio=1.0, sample_mass=0.5)
    assert states(a=GOOD, b=a_bit_slower, c=idle_and_slow) == dict.fromkeys(
        "abc", EndpointState.HEALTHY
    )


def test_when_every_replica_fails_alike_none_is_singled_out() -> None:
    # A broken dependency fails them all: that is the service's alert, not a replica's.
    all_failing = StateInput(cost_s=0.05, error_ratio=0.5, sample_mass=20.0)
    assert states(a=all_failing, b=all_failing) == dict.fromkeys("ab", EndpointState.HEALTHY)


def test_unhealthy_sources_each_give_their_reason() -> None:
    judged = endpoint_states(
        {
            "hc": StateInput(envoy_health_flags="/failed_active_hc"),
            "ejected": StateInput(envoy_health_flags="/failed_outlier_check"),
            "down": StateInput(not_serving=True),
            "lease": StateInput(lease_lapsed=True),
            "fine": GOOD,
        }
    )
    assert {k: j.state for k, j in judged.items()} == {
        "hc": EndpointState.UNHEALTHY,
        "ejected": EndpointState.UNHEALTHY,
        "down": EndpointState.UNHEALTHY,
        "lease": EndpointState.UNHEALTHY,
        "fine": EndpointState.HEALTHY,
    }
    assert judged["hc"].reason == "failing Envoy's health checks"
    assert judged["ejected"].reason == "ejected by outlier detection"
    assert judged["lease"].reason == "lease lapsed"


def test_transitions_healthy_degraded_unhealthy_and_back() -> None:
    def judge(c: StateInput) -> EndpointState:
        return endpoint_states({"a": GOOD, "b": GOOD, "c": c})["c"].state

    assert judge(GOOD) is EndpointState.HEALTHY
    starts_failing = StateInput(cost_s=0.03, error_ratio=0.3, sample_mass=20.0)
    assert judge(starts_failing) is EndpointState.DEGRADED
    ejected = StateInput(
        cost_s=0.1, error_ratio=1.0, sample_mass=20.0, envoy_health_flags="/failed_outlier_check"
    )
    assert judge(ejected) is EndpointState.UNHEALTHY
    recovered = StateInput(cost_s=0.002, error_ratio=0.01, sample_mass=5.0)
    assert judge(recovered) is EndpointState.HEALTHY


def test_unhealthy_peers_do_not_set_the_reference() -> None:
    # The only other replica is down: a good one is not "slower than its peers".
    down = StateInput(cost_s=0.0001, sample_mass=20.0, envoy_health_flags="/failed_active_hc")
    assert states(a=GOOD, b=down)["a"] is EndpointState.HEALTHY


def test_a_degraded_replica_starved_by_its_weight_stays_degraded_until_it_does_well() -> None:
    # At the weight floor it gets a trickle, so its evidence decays below min_mass: while
    # its peers are busy, that trickle still judges it (here: every call of it failed).
    floored = StateInput(cost_s=0.1, error_ratio=1.0, sample_mass=0.4)
    for previous in (EndpointState.DEGRADED, EndpointState.UNHEALTHY):
        was_bad = dataclasses.replace(floored, previous=previous)
        judged = endpoint_states({"a": GOOD, "b": GOOD, "c": was_bad})["c"]
        assert judged.state is EndpointState.DEGRADED
        assert "100%" in judged.reason
    # The same numbers on a replica last judged HEALTHY are too little evidence.
    assert states(a=GOOD, b=GOOD, c=floored)["c"] is EndpointState.HEALTHY
    # Its trickle succeeds again: healthy, still on little evidence.
    recovering = StateInput(
        cost_s=0.002, error_ratio=0.01, sample_mass=0.4, previous=EndpointState.DEGRADED
    )
    assert states(a=GOOD, b=GOOD, c=recovering)["c"] is EndpointState.HEALTHY
    # A whole idle cluster judges nobody: the verdict needs traffic somewhere.
    idle = StateInput(cost_s=0.002, sample_mass=0.1)
    idle_bad = StateInput(
        cost_s=0.1, error_ratio=1.0, sample_mass=0.1, previous=EndpointState.DEGRADED
    )
    assert states(a=idle, b=idle, c=idle_bad)["c"] is EndpointState.HEALTHY

"""Observed latency and errors -> integer `load_balancing_weight`s for one cluster.

Why weights this steep: with unequal weights Envoy's LEAST_REQUEST is an
earliest-deadline-first weighted round robin over weight / (active + 1) ** bias
(bias 1, Envoy's default and ours). At concurrency 1 a replica's share of the
requests is its share of the weights, so "a 5x slower replica gets well under 1%"
needs a weight ratio of 1:100 or more against its peers. With many calls in flight
the (active + 1) term lets least-request correct weights that are only mildly
unequal, while a steep ratio still keeps a slow replica nearly idle: the policy is
never steeper than the replicas' queues warrant.

The formula, per cluster (all durations in seconds):

    L_i   EWMA duration of replica i's successful requests   (mesh.balancing.observer)
    e_i   decayed error ratio of replica i, in [0, 1]
    m_i   decayed request count ("evidence") of replica i

    P        = max(error_penalty_s, error_penalty_factor * min_i L_i)
    own_i    = (1 - e_i) * L_i + e_i * P          a failure counts as a long request
                                                  (Linkerd's penalty), so a replica
                                                  that fails fast never looks fast;
                                                  own_i = P when nothing succeeded
    prior    = median of own_i over observed, non-draining replicas
    c_i      = m_i / (m_i + prior_mass)           trust own_i only with evidence;
    cost_i   = c_i * own_i + (1 - c_i) * prior    an unobserved or idle replica drifts
                                                  to the median, so it is re-sampled
    best     = min_i cost_i over non-draining replicas
    r_i      = max(1, cost_i / (best * (1 + tolerance)))   replicas within `tolerance`
                                                            of the best tie: noise
                                                            among equals moves nothing
    w_i      = clamp(round(max_weight / r_i ** exponent), 1, max_weight)

An operator override replaces w_i by the pinned value, clamped to
[1, max_override_weight] (it may exceed max_weight: overrides are relative to the
other replicas' weights, 1-10000 per MeshControlService).
Weights are never 0: Envoy rejects 0 (UInt32 wrapper, >= 1), and a slow replica
must keep receiving a trickle of requests or it could never prove it recovered.

With the defaults (max_weight 1000, exponent 4, tolerance 0.15):

    slower than the best by   1.15x   1.3x   1.5x   2x    3x    5x
    weight                    1000    612    345    109   22    3

so a replica 5x slower than its peers gets 0.15% of the requests next to two
peers, 0.3% next to one. Failures, next to peers at 2 ms (penalty 0.1 s):

    share of its calls failing   1%    2%    5%    10%   100%
    weight                       355   114   12    1     1 The tolerance keeps +-10% noise between equal replicas
from moving any weight; the exponent 4 (rather than 3) restores the steepness
the tolerance takes away.

A second strategy, `utilization` (`utilization_weights`), weighs by the load the
replicas report themselves (ORCA-style `endpoint-load-metrics` trailers, logged by
Envoy's upstream log): capacity in proportion to throughput per unit of busy-ness,
the form of Envoy's client-side weighted round robin,

    u_i   = max(application_utilization_i, cpu_utilization_i)   reported by the replica:
            mean calls in flight over its last second, and its process's CPU share
    q_i   = the replica's own requests per second
    cap_i = (1 - e_i) * q_i / u_i          (Little's law: q/u is 1 / time per call)
    w_i   = clamp(round(max_weight * cap_i / max_j cap_j), 1, max_weight)

It is linear where the latency formula is steep: a replica 5x slower gets 1/5 of a
peer's share, which is what its capacity warrants once the healthy replicas queue.
Replicas that report nothing yet get the median capacity.

Hysteresis: every weight change rebuilds Envoy's load balancer, so `decide`
keeps the previously pushed weights unless membership or an override changed,
or some weight moved by more than `change_threshold` of its old value *and* its
share of the cluster's traffic moved by more than `min_share_change` points or by a
factor of `min_share_ratio`. The ratio matters for small shares: 1% -> 0.3% is only
0.7 points but triples the slow replica's effect on the tail, so it must be pushed.
The caller also rate-limits pushes (about once a second).

Ramp-up: a weight falls at once but rises at most `max_raise_factor` times (or
`min_raise_step` units, if more) per decision, e.g. 1 -> 5 -> 20 -> 80 -> 320 -> 1000
over five pushes. Latency includes queueing: when the healthy replicas queue (many calls
in flight), a slow replica that gets almost nothing looks fast; jumping its weight to the
top at once floods it and flips the weights back and forth. Rising in steps lets its
latency catch up with its new share while the weight climbs.

At high load the formula flattens by itself, because L_i includes queueing: once the
healthy replicas queue, their latency rises toward the slow one's, the ratio falls within
the tolerance, and the weights approach least-request's. A replica slow because it waits
(bench.lb's: 5x at one in flight) then gets its equal share (26.6% against
least-request's 26.9% at 64 in flight). One slow because it computes sees its latency
rise with every call it gets, so its weight settles where its latency meets its peers',
at a share in proportion to its speed: what its capacity warrants. `bench.lb --slow-kind
busy` (each call to it computes 17 ms, one at a time, ~60 calls/s of the ~1,800 served)
gave it 3.9% of calls at 64 in flight, p99 138 ms against least-request's 15% and 973 ms.
After a load step (16 -> 64 in flight) the weights take about 3 s to follow (the 2 s
decay, then 4x per push); bench.lb measures those seconds apart.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

K = TypeVar("K", bound=Hashable)
Strategy = Literal["latency", "utilization", "equal"]

LbStrategy = Literal["round_robin", "least_request", "latency", "utilization"]
# `ragmesh up --lb-strategy`: Envoy's policy, and how the control plane makes weights.
# The default is what bench.lb shows best (see the issue 13 closing note in bench/RESULTS.md).
LB_STRATEGIES: dict[LbStrategy, tuple[Literal["ROUND_ROBIN", "LEAST_REQUEST"], Strategy]] = {
    "round_robin": ("ROUND_ROBIN", "equal"),
    "least_request": ("LEAST_REQUEST", "equal"),
    "latency": ("LEAST_REQUEST", "latency"),
    "utilization": ("LEAST_REQUEST", "utilization"),
}
DEFAULT_LB_STRATEGY: LbStrategy = "latency"

_MIN_COST_S = 1e-6  # guards against zero-duration samples
_MIN_UTILIZATION = 1e-3  # an idle replica's report: capacity is not infinite


@dataclass(frozen=True, slots=True)
class EndpointObservation:
    """What the policy knows about one replica."""

    latency_s: float | None = None
    error_ratio: float = 0.0
    sample_mass: float = 0.0
    override: int | None = None
    draining: bool = False
    utilization: float | None = None
    """Reported busy-ness (max of mean in-flight calls and CPU share); None: no report."""
    reported_rps: float | None = None
    """The replica's own requests per second, from the same report."""


@dataclass(frozen=True, slots=True)
class WeightDecision(Generic[K]):
    weights: dict[K, int]
    """The weights to serve: the proposal when `changed`, else the previous ones."""
    proposed: dict[K, int]
    """What the formula says right now, pushed or not (for metrics and status)."""
    changed: bool


@dataclass(frozen=True, slots=True)
class WeightPolicy:
    max_weight: int = 1000
    max_override_weight: int = 10000
    exponent: float = 4.0
    tolerance: float = 0.15
    # A failure counts as a call this long (or 10x the best latency, if longer). 1 s held
    # a recovered replica's weight at the floor for long: its residual decayed error ratio
    # times 1 s dwarfed a 2 ms latency for ~16 s. At 0.1 s a replica failing every call
    # still costs 50x a 2 ms peer (weight 1) and one failing 10% costs ~6x (weight ~1).
    error_penalty_s: float = 0.1
    error_penalty_factor: float = 10.0
    prior_mass: float = 0.5
    change_threshold: float = 0.2
    min_share_change: float = 0.005
    min_share_ratio: float = 2.5
    max_raise_factor: float = 4.0
    min_raise_step: int = 4

    def __post_init__(self) -> None:
        if self.max_weight < 1:
            raise ValueError("max_weight must be at least 1")
        if self.exponent <= 0 or self.tolerance < 0 or self.prior_mass <= 0:
            raise ValueError("exponent and prior_mass must be positive, tolerance >= 0")

    def costs(self, observations: Mapping[K, EndpointObservation]) -> dict[K, float] | None:
        """Effective cost (seconds) of every replica; None when nothing was observed."""
        observed = {k: o for k, o in observations.items() if o.sample_mass > 0}
        if not observed:
            return None
        live = _prefer_live(observed)
        latencies = [o.latency_s for o in live.values() if o.latency_s is not None]
        if not latencies:
            latencies = [o.latency_s for o in observed.values() if o.latency_s is not None]
        best_latency = min(latencies) if latencies else 0.0
        penalty = max(self.error_penalty_s, self.error_penalty_factor * best_latency)

        own = {k: self._own_cost(o, penalty) for k, o in observed.items()}
        prior = statistics.median(own[k] for k in live)
        costs: dict[K, float] = {}
        for key, obs in observations.items():
            if key not in own:
                costs[key] = prior
                continue
            confidence = obs.sample_mass / (obs.sample_mass + self.prior_mass)
            costs[key] = confidence * own[key] + (1.0 - confidence) * prior
        return costs

    def weights(self, observations: Mapping[K, EndpointObservation]) -> dict[K, int]:
        costs = self.costs(observations)
        weights: dict[K, int] = {}
        if costs is None:
            best = 0.0
        else:
            live_costs = [costs[k] for k, o in observations.items() if not o.draining]
            best = min(live_costs or costs.values())
        for key, obs in observations.items():
            if obs.override is not None:
                weights[key] = min(max(obs.override, 1), self.max_override_weight)
            elif costs is None:
                weights[key] = self.max_weight
            else:
                ratio = max(1.0, costs[key] / (best * (1.0 + self.tolerance)))
                weights[key] = self._clamp(round(self.max_weight / ratio**self.exponent))
        return weights

    def utilization_weights(self, observations: Mapping[K, EndpointObservation]) -> dict[K, int]:
        """Weights in proportion to reported capacity (see the module docstring)."""
        capacity: dict[K, float] = {}
        for key, obs in observations.items():
            if obs.utilization is None or obs.reported_rps is None or obs.reported_rps <= 0:
                continue
            success = 1.0 - min(max(obs.error_ratio, 0.0), 1.0)
            capacity[key] = success * obs.reported_rps / max(obs.utilization, _MIN_UTILIZATION)
        live = [capacity[k] for k, o in observations.items() if k in capacity and not o.draining]
        reference = statistics.median(live or capacity.values()) if capacity else 1.0
        best = max([*live, reference]) or 1.0
        weights: dict[K, int] = {}
        for key, obs in observations.items():
            if obs.override is not None:
                weights[key] = min(max(obs.override, 1), self.max_override_weight)
                continue
            share = capacity.get(key, reference) / best
            weights[key] = self._clamp(round(self.max_weight * share))
        return weights

    def decide(
        self,
        observations: Mapping[K, EndpointObservation],
        previous: Mapping[K, int],
        strategy: Strategy = "latency",
    ) -> WeightDecision[K]:
        """The weights to serve under `strategy`: "latency" (the formula above),
        "utilization" (reported load), or "equal" (max_weight for all: Envoy's own
        least-request or round robin; overrides still apply)."""
        if strategy == "utilization":
            proposed = self.utilization_weights(observations)
        elif strategy == "equal":
            proposed = {
                k: self.max_weight
                if o.override is None
                else min(max(o.override, 1), self.max_override_weight)
                for k, o in observations.items()
            }
        else:
            proposed = self.weights(observations)
        # Equal weights are not a measurement that could flip back: no ramp.
        ramped = (
            dict(proposed)
            if strategy == "equal"
            else self._ramped(observations, previous, proposed)
        )
        changed = self._differs(observations, previous, ramped)
        return WeightDecision(
            weights=ramped if changed else dict(previous),
            proposed=proposed,
            changed=changed,
        )

    def _ramped(
        self,
        observations: Mapping[K, EndpointObservation],
        previous: Mapping[K, int],
        proposed: Mapping[K, int],
    ) -> dict[K, int]:
        """Rises limited per decision (see the module docstring); falls and overrides not."""
        ramped = dict(proposed)
        for key, new in proposed.items():
            old = previous.get(key)
            if old is None or observations[key].override is not None:
                continue
            ceiling = max(round(old * self.max_raise_factor), old + self.min_raise_step)
            ramped[key] = min(new, ceiling)
        return ramped

    def _differs(
        self,
        observations: Mapping[K, EndpointObservation],
        previous: Mapping[K, int],
        proposed: Mapping[K, int],
    ) -> bool:
        if set(previous) != set(proposed):
            return True
        for key, obs in observations.items():
            if obs.override is not None and previous[key] != proposed[key]:
                return True  # operator intent is applied at once
        old_total = sum(previous.values()) or 1
        new_total = sum(proposed.values()) or 1
        for key, new in proposed.items():
            old = previous[key]
            if abs(new - old) <= self.change_threshold * old:
                continue
            new_share, old_share = new / new_total, old / old_total
            if abs(new_share - old_share) > self.min_share_change:
                return True
            # Weights of a few units flicker by rounding alone (1 <-> 3): ignore those.
            ratio = max(new_share, old_share) / min(new_share, old_share)
            if ratio > self.min_share_ratio and abs(new - old) > 3:
                return True
        return False

    def _own_cost(self, obs: EndpointObservation, penalty: float) -> float:
        error_ratio = min(max(obs.error_ratio, 0.0), 1.0)
        if obs.latency_s is None:
            return penalty
        cost = (1.0 - error_ratio) * obs.latency_s + error_ratio * penalty
        return max(cost, _MIN_COST_S)

    def _clamp(self, weight: int) -> int:
        return min(max(int(weight), 1), self.max_weight)


def _prefer_live(
    observations: Mapping[K, EndpointObservation],
) -> Mapping[K, EndpointObservation]:
    """Non-draining replicas set the reference; if every one drains, all of them do."""
    live = {k: o for k, o in observations.items() if not o.draining}
    return live or observations

"""Three-state health of every replica, as an operator thinks of it (a pure function).

- UNHEALTHY: it cannot take traffic. The supervisor saw it down (NOT_SERVING), Envoy's
  active health checks fail it, outlier detection ejected it, or its lease lapsed.
- DEGRADED: it serves, but clearly worse than its peers: it fails a clearly larger share
  of calls, or its cost (latency with failures counted as slow calls, mesh.balancing.policy) is
  several times theirs. Judged only with enough recent evidence, so an idle replica is
  never called degraded for want of traffic. Once judged DEGRADED or UNHEALTHY, though,
  a replica gets little traffic by design (its weight falls to the floor): while its
  peers are busy it is judged on what little it gets, so it stays DEGRADED until that
  trickle says otherwise instead of passing for HEALTHY once its evidence decays.
- HEALTHY: neither.

Every state comes with a short reason for `ragmesh status` and the alert.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


class EndpointState(enum.Enum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNHEALTHY = "unhealthy"


@dataclass(frozen=True, slots=True)
class StateInput:
    """What is known about one replica when its state is judged."""

    not_serving: bool = False
    """The supervisor (or the replica's registration) says it is down."""
    envoy_health_flags: str | None = None
    """Envoy's /clusters health_flags ("healthy", "/failed_active_hc", ...); None: unknown."""
    lease_lapsed: bool = False
    draining: bool = False
    cost_s: float | None = None
    """The policy's effective cost; None before anything was observed."""
    error_ratio: float = 0.0
    sample_mass: float = 0.0
    previous: EndpointState = EndpointState.HEALTHY
    """The state judged last time (HEALTHY for a new replica)."""


@dataclass(frozen=True, slots=True)
class StateThresholds:
    min_mass: float = 3.0
    """Decayed request count needed before a replica is judged DEGRADED."""
    error_ratio: float = 0.05
    """DEGRADED when failing at least this share of calls more than its peers do..."""
    cost_ratio: float = 2.0
    """...or when its cost is at least this many times its peers' median."""


@dataclass(frozen=True, slots=True)
class JudgedState:
    state: EndpointState
    reason: str


def endpoint_states(
    inputs: Mapping[K, StateInput], thresholds: StateThresholds | None = None
) -> dict[K, JudgedState]:
    """The state of every replica of one cluster (peers are the other members)."""
    t = thresholds or StateThresholds()
    judged: dict[K, JudgedState] = {}
    for key, item in inputs.items():
        down = _unhealthy_reason(item)
        if down is not None:
            judged[key] = JudgedState(EndpointState.UNHEALTHY, down)
            continue
        peers = [
            p
            for k, p in inputs.items()
            if k != key and _unhealthy_reason(p) is None and not p.draining
        ]
        worse = _degraded_reason(item, peers, t)
        if worse is not None:
            judged[key] = JudgedState(EndpointState.DEGRADED, worse)
        else:
            judged[key] = JudgedState(EndpointState.HEALTHY, "draining" if item.draining else "")
    return judged


def _unhealthy_reason(item: StateInput) -> str | None:
    flags = item.envoy_health_flags or ""
    if item.lease_lapsed:
        return "lease lapsed"
    if item.not_serving:
        return "reported NOT_SERVING"
    if "failed_active_hc" in flags:
        return "failing Envoy's health checks"
    if "failed_outlier_check" in flags:
        return "ejected by outlier detection"
    if "failed_eds_health" in flags:
        return "marked unhealthy"
    if "pending_active_hc" in flags:
        return "not health-checked yet"  # Envoy sends it nothing until the first check passes
    return None


def _degraded_reason(item: StateInput, peers: list[StateInput], t: StateThresholds) -> str | None:
    busy_peers = any(p.sample_mass >= t.min_mass for p in peers)
    starved = item.previous is not EndpointState.HEALTHY and busy_peers
    if item.sample_mass < t.min_mass and not starved:
        return None
    judged_peers = [p for p in peers if p.sample_mass >= t.min_mass]
    peer_errors = statistics.median(p.error_ratio for p in judged_peers) if judged_peers else 0.0
    if item.error_ratio >= peer_errors + t.error_ratio:
        return f"fails {item.error_ratio:.0%} of calls (peers {peer_errors:.0%})"
    peer_costs = [p.cost_s for p in peers if p.cost_s is not None]
    if item.cost_s is not None and peer_costs:
        reference = statistics.median(peer_costs)
        if reference > 0 and item.cost_s >= t.cost_ratio * reference:
            return f"{item.cost_s / reference:.1f}x slower than its peers"
    return None

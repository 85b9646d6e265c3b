"""How many replicas each service should run, from what the mesh observes.

The signal is the one the Kubernetes HorizontalPodAutoscalers use
(deploy/k8s/autoscaling/hpa.yaml, through deploy/prometheus/rules/ragmesh-autoscaling.yml),
measured by the control plane instead of Prometheus:

- calls in flight per replica against a target (Envoy's per-host ``rq_active``, averaged
  over ``in_flight_decay_s``): asks for ``ceil(calls in flight / target)`` replicas;
- latency against the service's healthy latency (the lowest it was over the last hour):
  past ``latency_ratio`` times, asks for ``ceil(replicas * ratio / latency_ratio)``. It only
  ever asks for more: a service at its healthy latency says nothing about needing fewer;
- the indexer's queue depth, for services on the ingest path: ``ceil(depth / per replica)``.

The largest ask wins, within ``min_replicas..max_replicas``. A target within ``tolerance``
of the observed value asks for no change (hysteresis against noise). Scaling out happens at
once (also right after start-up or a scale-in), then waits ``scale_out_cooldown_s`` (the new
replicas must start and take load before the signal means anything again). Scaling in takes the highest ask of the last
``scale_in_window_s``, one replica at a time, no sooner than ``scale_in_cooldown_s`` after
the last change, as the HPA's ``behavior`` does.

`decide` is a pure function of the load, the policy, the previous state and the time;
`LoadSignal` keeps what it needs between ticks (smoothed in-flight calls, healthy latency).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceTargets(BaseModel):
    """One service's targets; None (or absent) takes the global setting."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_replicas: int | None = Field(default=None, ge=1)
    max_replicas: int | None = Field(default=None, ge=1)
    target_in_flight: float | None = Field(default=None, gt=0)
    # 0 turns the latency signal off for the service.
    latency_ratio: float | None = Field(default=None, ge=0)
    # Indexer changes waiting per replica; None: the service is not on the ingest path.
    queue_depth_per_replica: float | None = Field(default=None, gt=0)


def _hpa_targets() -> dict[str, ServiceTargets]:
    """The targets of deploy/k8s/autoscaling/hpa.yaml, by cluster (a test keeps them equal):
    latency counts only on the CPU-bound leaves, the queue only on the ingest path."""
    no_latency = 0.0
    return {
        "embedding": ServiceTargets(target_in_flight=4, queue_depth_per_replica=200),
        "vector_store": ServiceTargets(target_in_flight=8, queue_depth_per_replica=400),
        "document_processor": ServiceTargets(
            target_in_flight=4, latency_ratio=no_latency, queue_depth_per_replica=200
        ),
        "multi_modal": ServiceTargets(target_in_flight=2, latency_ratio=no_latency),
        "generation": ServiceTargets(target_in_flight=4),
        "query_enhancement": ServiceTargets(target_in_flight=8, latency_ratio=no_latency),
        "evaluation": ServiceTargets(target_in_flight=8, latency_ratio=no_latency),
        "rag": ServiceTargets(target_in_flight=16, latency_ratio=no_latency),  # the gateway
        "agent": ServiceTargets(target_in_flight=8, latency_ratio=no_latency),
    }


class AutoscaleSettings(BaseSettings):
    """Autoscaling targets (``RAGMESH_AUTOSCALE_*``). ``RAGMESH_AUTOSCALE_SERVICES`` is JSON
    by cluster, e.g. ``{"embedding": {"max_replicas": 4, "target_in_flight": 4}}``, and
    replaces the built-in per-service targets (hpa.yaml's) as a whole."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_AUTOSCALE_", extra="ignore", frozen=True)

    min_replicas: int = Field(default=1, ge=1)
    max_replicas: int = Field(default=3, ge=1)
    target_in_flight: float = Field(default=8.0, gt=0)
    # Scale out once latency is this many times the healthy latency (0: never on latency).
    latency_ratio: float = Field(default=2.0, ge=0)
    # A signal within this fraction of its target asks for no change.
    tolerance: float = Field(default=0.1, ge=0, lt=1)
    scale_out_cooldown_s: float = Field(default=15.0, ge=0)
    scale_in_cooldown_s: float = Field(default=60.0, ge=0)
    scale_in_window_s: float = Field(default=300.0, ge=0)
    # Calls in flight are averaged over this decay time (one reading is a noisy sample).
    in_flight_decay_s: float = Field(default=10.0, gt=0)
    # The healthy latency is the lowest seen over this long.
    healthy_window_s: float = Field(default=3600.0, gt=0)
    # Latency is judged only with at least this many recent calls (decayed count).
    latency_min_calls: float = Field(default=5.0, ge=0)
    services: dict[str, ServiceTargets] = Field(default_factory=_hpa_targets)

    def policy(self, cluster: str) -> ScalingPolicy:
        own = self.services.get(cluster, ServiceTargets())
        low = own.min_replicas if own.min_replicas is not None else self.min_replicas
        high = own.max_replicas if own.max_replicas is not None else self.max_replicas
        return ScalingPolicy(
            min_replicas=low,
            max_replicas=max(low, high),
            target_in_flight=own.target_in_flight or self.target_in_flight,
            latency_ratio=own.latency_ratio
            if own.latency_ratio is not None
            else self.latency_ratio,
            queue_depth_per_replica=own.queue_depth_per_replica,
            tolerance=self.tolerance,
            scale_out_cooldown_s=self.scale_out_cooldown_s,
            scale_in_cooldown_s=self.scale_in_cooldown_s,
            scale_in_window_s=self.scale_in_window_s,
        )


@dataclass(frozen=True, slots=True)
class ScalingPolicy:
    """One service's resolved targets (AutoscaleSettings.policy)."""

    min_replicas: int = 1
    max_replicas: int = 3
    target_in_flight: float = 8.0
    latency_ratio: float = 2.0
    queue_depth_per_replica: float | None = None
    tolerance: float = 0.1
    scale_out_cooldown_s: float = 15.0
    scale_in_cooldown_s: float = 60.0
    scale_in_window_s: float = 300.0

    def bounded(self, replicas: int) -> int:
        return min(max(replicas, self.min_replicas), self.max_replicas)


@dataclass(frozen=True, slots=True)
class ServiceLoad:
    """What is observed of one service at one instant."""

    replicas: int
    """Replicas taking traffic (registered, not draining)."""
    in_flight: float
    """Calls in flight over all its replicas (smoothed)."""
    latency_ratio: float | None = None
    """Its latency over its healthy latency; None: too few calls to tell."""
    queue_depth: float | None = None
    """Changes waiting in the indexer; None: unknown or not on the ingest path."""


@dataclass(frozen=True, slots=True)
class ScalingState:
    """What `decide` remembers between ticks."""

    desired: int
    changed_at: float
    """When `desired` last changed (or the service was first seen): the scale-in cool-down
    starts here."""
    scaled_out_at: float = -math.inf
    """The last scale-out: the scale-out cool-down starts here (load may rise at any time)."""
    asks: tuple[tuple[float, int], ...] = ()
    """(time, bounded ask) of the last scale_in_window_s."""


@dataclass(frozen=True, slots=True)
class ScalingDecision:
    desired: int
    reason: str
    """For people: which signal decided, or what held the count."""
    ask: int
    """What the signals ask for now, within the bounds, before cool-downs and the window."""
    state: ScalingState


def initial_state(load: ServiceLoad, policy: ScalingPolicy, now: float) -> ScalingState:
    """A service first seen: what runs is what is desired; scaling in waits a cool-down."""
    return ScalingState(desired=policy.bounded(load.replicas), changed_at=now)


def ask(load: ServiceLoad, policy: ScalingPolicy) -> tuple[int, str]:
    """The replicas the signals ask for (the largest ask) and why, before the bounds."""
    replicas = max(load.replicas, 1)
    per_replica = load.in_flight / replicas
    target = policy.target_in_flight
    asks = [(replicas, f"{per_replica:.1f} calls in flight per replica (target {target:g})")]
    if abs(per_replica / target - 1.0) > policy.tolerance:
        asks[0] = (max(1, math.ceil(load.in_flight / target - 1e-9)), asks[0][1])
    ratio = load.latency_ratio
    limit = policy.latency_ratio
    if limit > 0 and ratio is not None and ratio > limit * (1.0 + policy.tolerance):
        asks.append(
            (
                math.ceil(replicas * ratio / limit),
                f"latency {ratio:.1f}x healthy (limit {limit:g}x)",
            )
        )
    per_queue = policy.queue_depth_per_replica
    if per_queue is not None and load.queue_depth is not None and load.queue_depth > 0:
        asks.append(
            (
                math.ceil(load.queue_depth / per_queue),
                f"indexer queue {load.queue_depth:.0f} ({per_queue:g} per replica)",
            )
        )
    return max(asks, key=lambda item: item[0])


def decide(
    load: ServiceLoad, policy: ScalingPolicy, state: ScalingState, now: float
) -> ScalingDecision:
    """Desired replicas for one service (see the module docstring)."""
    wanted, why = ask(load, policy)
    bounded = policy.bounded(wanted)
    if bounded != wanted:
        why += f"; at {'max' if wanted > bounded else 'min'} {bounded}"
    recent = [(at, n) for at, n in state.asks if now - at < policy.scale_in_window_s]
    window = (*recent, (now, bounded))
    current = state.desired
    since_change = now - state.changed_at

    def keep(reason: str) -> ScalingDecision:
        kept = ScalingState(current, state.changed_at, state.scaled_out_at, window)
        return ScalingDecision(current, reason, bounded, kept)

    def move(to: int, reason: str) -> ScalingDecision:
        out = now if to > current else state.scaled_out_at
        return ScalingDecision(to, reason, bounded, ScalingState(to, now, out, window))

    if current > policy.max_replicas or current < policy.min_replicas:
        return move(policy.bounded(current), f"bounds {policy.min_replicas}..{policy.max_replicas}")
    if bounded > current:
        since_out = now - state.scaled_out_at
        if since_out < policy.scale_out_cooldown_s:
            left = policy.scale_out_cooldown_s - since_out
            return keep(f"{why}; scale-out cool-down ({left:.0f} s left)")
        return move(bounded, why)
    if bounded < current:
        highest = max(n for _, n in window)
        if highest >= current:
            return keep(f"{why}; holding: {highest} asked within {policy.scale_in_window_s:g} s")
        if since_change < policy.scale_in_cooldown_s:
            left = policy.scale_in_cooldown_s - since_change
            return keep(f"{why}; scale-in cool-down ({left:.0f} s left)")
        return move(max(highest, current - 1), f"{why}; one replica at a time")
    return keep(why)


@dataclass(slots=True)
class _ServiceSignal:
    in_flight: float | None = None
    updated: float = 0.0
    # (minute, lowest latency seen in it), oldest first: at most healthy_window_s of them.
    lowest: deque[tuple[int, float]] = field(default_factory=deque)


class LoadSignal:
    """What `decide` needs that takes memory: calls in flight averaged over time, and each
    service's healthy latency (the lowest per-minute latency over ``healthy_window_s``)."""

    def __init__(self, settings: AutoscaleSettings) -> None:
        self._settings = settings
        self._signals: dict[str, _ServiceSignal] = {}

    def load(
        self,
        cluster: str,
        *,
        replicas: int,
        in_flight: float,
        latency_s: float | None,
        calls: float,
        queue_depth: float | None,
        now: float,
    ) -> ServiceLoad:
        """Fold one reading in: `in_flight` now (Envoy's active requests over the service's
        hosts), `latency_s` (its recent mean) and `calls` (how many recent calls it rests on)."""
        signal = self._signals.setdefault(cluster, _ServiceSignal())
        if signal.in_flight is None:
            signal.in_flight = in_flight
        else:
            keep = math.exp(-max(now - signal.updated, 0.0) / self._settings.in_flight_decay_s)
            signal.in_flight = signal.in_flight * keep + in_flight * (1.0 - keep)
        signal.updated = now
        ratio = None
        if latency_s is not None and latency_s > 0 and calls >= self._settings.latency_min_calls:
            minute = int(now // 60)
            if signal.lowest and signal.lowest[-1][0] == minute:
                signal.lowest[-1] = (minute, min(signal.lowest[-1][1], latency_s))
            else:
                signal.lowest.append((minute, latency_s))
            horizon = (now - self._settings.healthy_window_s) // 60
            while signal.lowest and signal.lowest[0][0] < horizon:
                signal.lowest.popleft()
            ratio = latency_s / min(low for _, low in signal.lowest)
        return ServiceLoad(replicas, signal.in_flight, ratio, queue_depth)

    def forget(self, keep: Mapping[str, object]) -> None:
        for cluster in [c for c in self._signals if c not in keep]:
            del self._signals[cluster]

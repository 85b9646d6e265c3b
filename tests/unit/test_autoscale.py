"""The scaling policy's decisions (mesh.balancing.autoscale.decide, a pure function), the
load signal it is fed, and that its per-service targets are hpa.yaml's."""

from __future__ import annotations

import asyncio
import math
from dataclasses import replace
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

from mesh.balancing.autoscale import (
    AutoscaleSettings,
    LoadSignal,
    ScalingDecision,
    ScalingPolicy,
    ServiceLoad,
    ServiceTargets,
    decide,
    initial_state,
)
from mesh.balancing.observer import LatencyObserver
from mesh.catalog import CATALOG
from mesh.control_plane import ControlPlane
from mesh.envoy_admin import EnvoyAdmin, UpstreamHost

POLICY = ScalingPolicy(
    min_replicas=1,
    max_replicas=3,
    target_in_flight=4,
    latency_ratio=2.0,
    queue_depth_per_replica=200,
    tolerance=0.1,
    scale_out_cooldown_s=15,
    scale_in_cooldown_s=60,
    scale_in_window_s=120,
)
HPA = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "autoscaling" / "hpa.yaml"


def load(replicas: int, in_flight: float, **more: float | None) -> ServiceLoad:
    return ServiceLoad(replicas=replicas, in_flight=in_flight, **more)


def run(
    loads: list[tuple[float, ServiceLoad]], policy: ScalingPolicy = POLICY
) -> list[ScalingDecision]:
    """Decisions of successive ticks (time, load), from the first load's replicas."""
    state = initial_state(loads[0][1], policy, loads[0][0])
    decisions = []
    for now, observed in loads:
        decision = decide(observed, policy, state, now)
        decisions.append(decision)
        state = decision.state
    return decisions


def test_scales_out_at_once_under_load_to_calls_in_flight_over_the_target() -> None:
    # 1 replica, 16 calls in flight, target 4: 4 asked, 3 allowed; cool-down counts from the
    # last change, and the service was first seen long ago.
    decisions = run([(0.0, load(1, 1)), (100.0, load(1, 16))])
    assert [d.desired for d in decisions] == [1, 3]
    assert decisions[-1].ask == 3
    assert "16.0 calls in flight per replica (target 4)" in decisions[-1].reason
    assert "at max 3" in decisions[-1].reason


def test_scale_out_needs_no_cool_down_after_start_up_but_scale_in_does() -> None:
    short_window = replace(POLICY, scale_in_window_s=0.5)
    decisions = run([(0.0, load(2, 8)), (1.0, load(2, 20)), (2.0, load(3, 0))], short_window)
    assert [d.desired for d in decisions] == [2, 3, 3]
    assert "scale-in cool-down (59 s left)" in decisions[-1].reason


def test_within_the_tolerance_nothing_moves() -> None:
    # 4.3 per replica against 4 (+-10%): no change, though ceil(8.6 / 4) would be 3.
    decisions = run([(0.0, load(2, 8.6)), (100.0, load(2, 8.6))])
    assert [d.desired for d in decisions] == [2, 2]
    assert decisions[-1].ask == 2


def test_scale_out_waits_for_its_cool_down() -> None:
    decisions = run([(0.0, load(1, 1)), (100.0, load(1, 8)), (105.0, load(2, 24))])
    assert [d.desired for d in decisions] == [1, 2, 2]
    assert "scale-out cool-down (10 s left)" in decisions[-1].reason
    later = decide(load(2, 24), POLICY, decisions[-1].state, 115.0)
    assert later.desired == 3


def test_latency_over_healthy_scales_out_but_never_in() -> None:
    slow = run([(0.0, load(2, 7.5)), (100.0, load(2, 7.5, latency_ratio=3.0))])
    assert slow[-1].desired == 3  # ceil(2 * 3 / 2)
    assert "latency 3.0x healthy" in slow[-1].reason
    healthy = run([(0.0, load(2, 7.5)), (100.0, load(2, 7.5, latency_ratio=1.0))])
    assert healthy[-1].ask == 2  # a healthy latency asks for no fewer


def test_the_indexer_queue_scales_the_ingest_path() -> None:
    decisions = run([(0.0, load(1, 0.5)), (100.0, load(1, 0.5, queue_depth=450))])
    assert decisions[-1].desired == 3  # ceil(450 / 200)
    assert "indexer queue 450" in decisions[-1].reason
    no_queue = replace(POLICY, queue_depth_per_replica=None)
    assert (
        run([(0.0, load(1, 0.5)), (100.0, load(1, 0.5, queue_depth=450))], no_queue)[-1].desired
        == 1
    )


def test_scale_in_only_after_the_window_one_replica_at_a_time() -> None:
    busy = [(float(t), load(3, 12)) for t in range(0, 60, 10)]
    quiet = [(float(t), load(3, 1)) for t in range(60, 400, 10)]
    decisions = run(busy + quiet)
    desired = {int(t): d.desired for (t, _), d in zip(busy + quiet, decisions, strict=True)}
    # The last busy ask (3) was at t=50: held while it is within the 120 s window.
    assert all(desired[t] == 3 for t in range(0, 170, 10))
    assert "holding: 3 asked within 120 s" in decisions[16].reason
    assert desired[170] == 2  # the window has only asks of 1 now: one replica fewer
    # The next step waits for the scale-in cool-down (60 s after the last change).
    assert all(desired[t] == 2 for t in range(170, 230, 10))
    assert desired[230] == 1
    assert desired[390] == 1  # min


def test_a_burst_in_the_window_holds_the_count() -> None:
    ticks = [(0.0, load(2, 8)), (200.0, load(2, 1)), (250.0, load(2, 8)), (300.0, load(2, 1))]
    decisions = run(ticks)
    assert [d.desired for d in decisions] == [2, 1, 2, 2]
    # A new ask of 2 at t=250 was a scale-out; at 300 the window still holds it.
    assert "holding" in decisions[-1].reason


def test_bounds_are_kept_even_against_the_signal() -> None:
    tight = replace(POLICY, min_replicas=2, max_replicas=2)
    decisions = run([(0.0, load(1, 0)), (100.0, load(2, 40)), (400.0, load(2, 0))], tight)
    assert [d.desired for d in decisions] == [2, 2, 2]
    assert "at min 2" in decisions[-1].reason
    assert "at max 2" in decisions[1].reason


def test_a_count_outside_new_bounds_moves_into_them_at_once() -> None:
    state = initial_state(load(3, 12), POLICY, 0.0)
    narrower = replace(POLICY, max_replicas=2)
    assert decide(load(3, 12), narrower, state, 1.0).desired == 2


def test_load_signal_smooths_in_flight_and_judges_latency_against_the_lowest() -> None:
    settings = AutoscaleSettings(in_flight_decay_s=10.0, latency_min_calls=5)
    signal = LoadSignal(settings)
    first = signal.load(
        "embedding", replicas=1, in_flight=0, latency_s=0.01, calls=10, queue_depth=None, now=0
    )
    assert first.in_flight == 0 and first.latency_ratio == pytest.approx(1.0)
    later = signal.load(
        "embedding", replicas=1, in_flight=16, latency_s=0.05, calls=10, queue_depth=None, now=10
    )
    assert later.in_flight == pytest.approx(16 * (1 - math.exp(-1)))
    assert later.latency_ratio == pytest.approx(5.0)
    idle = signal.load(
        "embedding", replicas=1, in_flight=0, latency_s=0.05, calls=1, queue_depth=7, now=11
    )
    assert idle.latency_ratio is None  # too few calls to judge
    assert idle.queue_depth == 7


def test_settings_resolve_per_service_targets_over_the_global_ones() -> None:
    settings = AutoscaleSettings(
        max_replicas=5, services={"embedding": ServiceTargets(min_replicas=2, target_in_flight=3)}
    )
    own = settings.policy("embedding")
    assert (own.min_replicas, own.max_replicas, own.target_in_flight) == (2, 5, 3)
    other = settings.policy("agent")
    assert (other.min_replicas, other.target_in_flight) == (1, settings.target_in_flight)


def test_built_in_targets_are_the_hpa_manifests() -> None:
    """The mesh's own autoscaler and the Kubernetes HPAs act on one signal with one target."""
    settings = AutoscaleSettings()
    assert set(settings.services) <= {spec.cluster for spec in CATALOG}  # keyed by cluster
    for hpa in yaml.safe_load_all(HPA.read_text()):
        if not hpa or hpa.get("kind") != "HorizontalPodAutoscaler":
            continue
        # A Deployment is named after its service's package (the gateway's cluster is "rag").
        module = "services." + hpa["metadata"]["name"].replace("-", "_")
        cluster = next(spec.cluster for spec in CATALOG if spec.module == module)
        policy = settings.policy(cluster)
        by_name = {
            (m.get("pods") or m.get("external"))["metric"]["name"]: m
            for m in hpa["spec"]["metrics"]
        }
        in_flight = by_name["rag_requests_in_flight"]["pods"]["target"]["averageValue"]
        assert policy.target_in_flight == float(in_flight), hpa["metadata"]["name"]
        latency = by_name.get("rag_latency_over_healthy")
        expected_ratio = float(latency["external"]["target"]["value"]) if latency else 0.0
        assert policy.latency_ratio == expected_ratio, hpa["metadata"]["name"]
        queue = by_name.get("rag_indexer_queue_depth")
        expected_queue = float(queue["external"]["target"]["averageValue"]) if queue else None
        assert policy.queue_depth_per_replica == expected_queue, hpa["metadata"]["name"]


class FakeEnvoy(EnvoyAdmin):
    """Envoy's admin page as the control plane reads it: calls in flight per host."""

    def __init__(self, active: dict[tuple[str, str], int]) -> None:
        super().__init__("127.0.0.1", 1)
        self.active = active

    async def clusters(self) -> dict[tuple[str, str], UpstreamHost]:
        return {
            key: UpstreamHost(*key, health_flags="healthy", counters={"rq_active": n})
            for key, n in self.active.items()
        }

    async def stats(self, name_filter: str) -> dict[str, int]:
        return {}


async def test_the_control_plane_exports_and_serves_the_desired_count() -> None:
    settings = AutoscaleSettings(
        services={"embedding": ServiceTargets(max_replicas=3, target_in_flight=4)},
        in_flight_decay_s=0.05,
        scale_in_cooldown_s=0.5,
        scale_in_window_s=0.0,
    )
    plane = ControlPlane(CATALOG, recompute_interval_s=0.05, autoscale=settings)
    envoy = FakeEnvoy({("embedding", "127.0.0.1:50051"): 16})
    plane.watch_envoy(envoy)
    plane.registry.register("rag.v1.EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    await plane.start(port=0)
    try:

        async def desired(n: int) -> None:
            for _ in range(250):
                if plane.desired_replicas("embedding") == n:
                    return
                await asyncio.sleep(0.02)
            raise AssertionError(f"desired {plane.desired_replicas('embedding')}, not {n}")

        await desired(3)
        scaled = {s.cluster: s for s in plane.scaling()}
        assert set(scaled) == {"embedding"}  # services with no replica are not scaled
        assert "calls in flight per replica (target 4)" in scaled["embedding"].decision.reason
        exported = plane.metrics.exposition().decode()
        assert (
            'rag_mesh_desired_replicas{cluster="embedding",service="rag.v1.EmbeddingService"} 3.0'
            in exported
        )
        envoy.active[("embedding", "127.0.0.1:50051")] = 0
        await desired(2)  # one replica at a time
        await desired(1)
    finally:
        await plane.stop()


def test_without_envoy_admin_calls_in_flight_come_from_the_access_logs() -> None:
    """Rate x latency (Little's law): 20 calls/s of 0.4 s each are 8 calls in flight."""
    now = [0.0]
    observer = LatencyObserver(clock=lambda: now[0])
    settings = AutoscaleSettings(
        services={"embedding": ServiceTargets(max_replicas=3, target_in_flight=5)},
        in_flight_decay_s=0.001,
    )
    plane = ControlPlane(CATALOG, observer=observer, autoscale=settings)
    endpoint = plane.registry.register("rag.v1.EmbeddingService", "embedding-0", "127.0.0.1", 50051)
    for _ in range(200):  # 10 s at 20 calls/s
        now[0] += 0.05
        observer.record(endpoint.key, 0.4)
    plane.rescale(now[0])
    (scaled,) = plane.scaling()
    assert scaled.load.in_flight == pytest.approx(8.0, rel=0.05)
    assert scaled.decision.desired == 2  # ceil(8 / 5)

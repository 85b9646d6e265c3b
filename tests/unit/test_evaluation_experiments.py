"""Experiments: validation, lifecycle, durable SQLite storage, assignment, outcomes, results."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from services.evaluation.ab_results import SignificanceTest, compute
from services.evaluation.experiments import (
    Experiment,
    ExperimentStore,
    Outcome,
    State,
    Variant,
    assign,
)
from services.runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound

TWO = (Variant("control", 50), Variant("hyde", 50, b"\x12\x01\x03"))


def draft(experiment_id: str = "exp-a", variants: tuple[Variant, ...] = TWO) -> Experiment:
    return Experiment(experiment_id, "Enhancer test", "does HyDE help", variants, "")


@pytest.fixture
def store(tmp_path: Path) -> ExperimentStore:
    return ExperimentStore(tmp_path / "eval.sqlite3")


def test_create_validates_and_fills_the_control(store: ExperimentStore) -> None:
    created = store.create(draft(), creator="user-1")
    assert created.state is State.DRAFT
    assert created.control_variant == "control"
    assert created.creator == "user-1"
    with pytest.raises(AlreadyExists):
        store.create(draft(), creator="user-1")
    generated = store.create(draft(""), creator="")
    assert generated.id.startswith("exp-") and len(generated.id) == 16
    bad = [
        draft("Bad_Id"),
        draft("x", (Variant("only", 1),)),
        draft("x", (Variant("a", 1), Variant("a", 1))),
        draft("x", (Variant("a", 0), Variant("b", 1))),
        draft("x", (Variant("A", 1), Variant("b", 1))),
        Experiment("x", "", "", TWO, "missing"),
    ]
    for experiment in bad:
        with pytest.raises(InvalidArgument):
            store.create(experiment, creator="")


def test_experiments_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "eval.sqlite3"
    first = ExperimentStore(path)
    first.create(draft(), creator="u")
    first.set_state("exp-a", State.RUNNING)
    first.record(Outcome("o1", "exp-a", "alice", "", {"thumbs_up": 1.0}, 0.0))
    first.close()
    again = ExperimentStore(path)
    found = again.get("exp-a")
    assert found.state is State.RUNNING
    assert found.variants == TWO  # including the opaque config bytes
    data = again.data("exp-a", [])
    assert sum(len(s) for v in data.values["thumbs_up"].values() for s in v.values()) == 1
    assert sum(data.enrolled.values()) == 0  # recording an outcome does not enrol


def test_state_machine(store: ExperimentStore) -> None:
    store.create(draft(), creator="")
    with pytest.raises(FailedPrecondition):
        store.assign("exp-a", "alice")  # a draft assigns nothing
    running = store.set_state("exp-a", State.RUNNING)
    assert running.start_time is not None
    assert store.set_state("exp-a", State.RUNNING) == running  # idempotent
    paused = store.set_state("exp-a", State.PAUSED)
    assert store.set_state("exp-a", State.RUNNING).start_time == paused.start_time
    stopped = store.set_state("exp-a", State.STOPPED)
    assert stopped.end_time is not None
    with pytest.raises(FailedPrecondition, match="STOPPED to RUNNING"):
        store.set_state("exp-a", State.RUNNING)
    with pytest.raises(InvalidArgument):
        store.set_state("exp-a", State.DRAFT)
    with pytest.raises(NotFound):
        store.set_state("exp-missing", State.RUNNING)


def test_update_rules(store: ExperimentStore) -> None:
    store.create(draft(), creator="")
    changes = Experiment("exp-a", "New name", "", (Variant("x", 1), Variant("y", 3)), "y")
    updated = store.update(changes, ["display_name", "variants", "control_variant"])
    assert (updated.display_name, updated.control_variant) == ("New name", "y")
    assert updated.description == "does HyDE help"  # not in the mask
    with pytest.raises(InvalidArgument, match="UpdateExperimentState"):
        store.update(changes, ["state"])
    with pytest.raises(InvalidArgument, match="unknown"):
        store.update(changes, ["creator"])
    store.set_state("exp-a", State.RUNNING)
    assert store.update(Experiment("exp-a", "Renamed", "", (), ""), ["display_name"])
    with pytest.raises(FailedPrecondition):
        store.update(Experiment("exp-a", "", "", TWO, ""), ["variants"])


def test_delete_needs_a_stopped_or_paused_experiment(store: ExperimentStore) -> None:
    store.create(draft(), creator="")
    store.set_state("exp-a", State.RUNNING)
    store.record(Outcome("o1", "exp-a", "alice", "", {"m": 1.0}, 0.0))
    with pytest.raises(FailedPrecondition):
        store.delete("exp-a", allow_missing=False)
    store.set_state("exp-a", State.STOPPED)
    assert store.delete("exp-a", allow_missing=False) == 1
    with pytest.raises(NotFound):
        store.get("exp-a")
    assert store.delete("exp-a", allow_missing=True) == 0
    with pytest.raises(NotFound):
        store.delete("exp-a", allow_missing=False)


def test_list_pages_newest_first_with_state_filter(store: ExperimentStore) -> None:
    for i in range(5):
        store.create(draft(f"exp-{i}"), creator="")
    store.set_state("exp-1", State.RUNNING)
    seen: list[str] = []
    token = ""
    while True:
        page = store.list_experiments(2, token, [], 50, 500)
        seen.extend(e.id for e in page.experiments)
        token = page.next_page_token
        if not token:
            break
    assert seen == [f"exp-{i}" for i in (4, 3, 2, 1, 0)]
    running = store.list_experiments(0, "", [State.RUNNING], 50, 500)
    assert [e.id for e in running.experiments] == ["exp-1"]
    first = store.list_experiments(1, "", [], 50, 500)
    with pytest.raises(InvalidArgument, match="different"):
        store.list_experiments(1, first.next_page_token, [State.DRAFT], 50, 500)
    with pytest.raises(InvalidArgument):
        store.list_experiments(1, "garbage!", [], 50, 500)
    with pytest.raises(InvalidArgument):
        store.list_experiments(-1, "", [], 50, 500)


def test_assignment_is_deterministic_and_follows_the_weights() -> None:
    variants = (Variant("a", 90), Variant("b", 10))
    picks = collections.Counter(assign("exp-w", f"user-{i}", variants).name for i in range(5000))
    assert 0.87 < picks["a"] / 5000 < 0.93
    assert all(assign("exp-w", "u7", variants) == assign("exp-w", "u7", variants) for _ in range(3))
    # Experiments are independent: the same users split differently in another experiment.
    other = [assign("exp-v", f"user-{i}", TWO).name for i in range(200)]
    this = [assign("exp-w", f"user-{i}", TWO).name for i in range(200)]
    assert other != this


def test_assign_enrolls_only_while_running(store: ExperimentStore) -> None:
    store.create(draft(), creator="")
    store.set_state("exp-a", State.RUNNING)
    first = store.assign("exp-a", "alice")
    assert first.enrolled and first.variant == store.assign("exp-a", "alice").variant
    store.set_state("exp-a", State.PAUSED)
    paused = store.assign("exp-a", "alice")
    assert not paused.enrolled and paused.variant.name == "control"
    data = store.data("exp-a", [])
    assert sum(data.enrolled.values()) == 1  # the repeated assignment counted once


def test_outcomes_are_idempotent_and_checked(store: ExperimentStore) -> None:
    store.create(draft(), creator="")
    with pytest.raises(FailedPrecondition):
        store.record(Outcome("o1", "exp-a", "alice", "", {"m": 1.0}, 0.0))  # draft
    store.set_state("exp-a", State.RUNNING)
    stored = store.record(Outcome("o1", "exp-a", "alice", "", {"m": 1.0}, 0.0))
    assert stored.variant == assign("exp-a", "alice", TWO).name
    assert store.record(Outcome("o1", "exp-a", "alice", "", {"m": 1.0}, 0.0)) == stored
    with pytest.raises(AlreadyExists):
        store.record(Outcome("o1", "exp-a", "alice", "", {"m": 0.0}, 0.0))
    wrong = "hyde" if stored.variant == "control" else "control"
    with pytest.raises(InvalidArgument, match="assigned"):
        store.record(Outcome("o2", "exp-a", "alice", wrong, {"m": 1.0}, 0.0))
    for values in ({"Bad": 1.0}, {"m": float("nan")}, {}):
        with pytest.raises(InvalidArgument):
            store.record(Outcome("o3", "exp-a", "alice", "", values, 0.0))
    store.set_state("exp-a", State.PAUSED)
    store.record(Outcome("o4", "exp-a", "alice", "", {"m": 0.0}, 0.0))  # late feedback counts
    store.set_state("exp-a", State.STOPPED)
    with pytest.raises(FailedPrecondition):
        store.record(Outcome("o5", "exp-a", "alice", "", {"m": 1.0}, 0.0))


def test_results_average_per_subject_and_seeded_aa_is_not_a_win(store: ExperimentStore) -> None:
    import numpy as np

    store.create(draft("exp-aa", (Variant("a", 1), Variant("b", 1))), creator="")
    store.set_state("exp-aa", State.RUNNING)
    rng = np.random.default_rng(42)
    for i in range(300):
        subject = f"user-{i}"
        store.assign("exp-aa", subject)
        # Identical distributions in both arms: an A/A test.
        for j in range(int(rng.integers(1, 4))):
            value = float(rng.random() < 0.6)
            store.record(Outcome(f"{subject}-{j}", "exp-aa", subject, "", {"thumbs_up": value}, 0))
    data = store.data("exp-aa", [])
    for test in (SignificanceTest.WELCH_T, SignificanceTest.BOOTSTRAP):
        results = compute(data, 0.05, test, 1000, seed=1)
        (metric,) = results.metrics
        (comparison,) = metric.comparisons
        assert not comparison.comparison.significant, test
        assert comparison.comparison.p_value > 0.05
        assert sum(v.summary.n for v in metric.variants) == 300  # subjects, not outcomes
        assert sum(v.outcome_count for v in metric.variants) > 300
        assert results.sample_ratio_mismatch_p_value > 0.001
        assert sum(e.enrolled for e in results.enrollments) == 300
    with pytest.raises(FailedPrecondition):
        store.create(draft("exp-new"), creator="")
        store.data("exp-new", [])

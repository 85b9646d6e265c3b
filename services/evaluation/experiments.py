"""A/B experiments: validation, deterministic assignment, and a durable SQLite store.

A variant's retrieval configuration is opaque here (serialized ``rag.v1.RetrievalConfig``
bytes): the store keeps it and the gateway interprets it. Times are seconds since the epoch.
SQLite in WAL mode lets several replicas on one machine share the file; every write is one
transaction, so a failed call leaves nothing half-written.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
import math
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from services.common.page_tokens import bounded_page_size, decode_page_token, encode_page_token
from services.common.sqlite import connect, immediate
from services.runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    NotFound,
    invalid_field,
)

EXPERIMENT_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
VARIANT_NAME = re.compile(r"^[a-z0-9_-]{1,63}$")
METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MAX_VARIANTS = 10
MAX_WEIGHT = 10_000
MAX_METRICS = 20
MAX_OUTCOME_ID = 128
MAX_SUBJECT_KEY = 256


class State(enum.IntEnum):
    DRAFT = 1
    RUNNING = 2
    PAUSED = 3
    STOPPED = 4


_TRANSITIONS = {
    (State.DRAFT, State.RUNNING),
    (State.RUNNING, State.PAUSED),
    (State.PAUSED, State.RUNNING),
    (State.DRAFT, State.STOPPED),
    (State.RUNNING, State.STOPPED),
    (State.PAUSED, State.STOPPED),
}
MUTABLE_FIELDS = frozenset({"display_name", "description", "variants", "control_variant"})


@dataclass(frozen=True)
class Variant:
    name: str
    traffic_weight: int
    config: bytes | None = None  # serialized RetrievalConfig; None = changes nothing


@dataclass(frozen=True)
class Experiment:
    id: str
    display_name: str
    description: str
    variants: tuple[Variant, ...]
    control_variant: str
    state: State = State.DRAFT
    create_time: float = 0.0
    update_time: float = 0.0
    start_time: float | None = None
    end_time: float | None = None
    creator: str = ""

    def variant(self, name: str) -> Variant:
        for v in self.variants:
            if v.name == name:
                return v
        raise KeyError(name)


@dataclass(frozen=True)
class Outcome:
    id: str
    experiment_id: str
    subject_key: str
    variant: str
    metric_values: dict[str, float]
    observe_time: float
    record_time: float = 0.0


@dataclass(frozen=True)
class Assignment:
    variant: Variant
    enrolled: bool
    subject_key: str


@dataclass(frozen=True)
class ExperimentPage:
    experiments: list[Experiment]
    next_page_token: str


@dataclass
class ExperimentData:
    """What results are computed from: per (metric, variant, subject) the values recorded."""

    experiment: Experiment
    values: dict[str, dict[str, dict[str, list[float]]]] = field(default_factory=dict)
    enrolled: dict[str, int] = field(default_factory=dict)


# ---- validation and assignment ------------------------------------------------------------


def validate_id(experiment_id: str, field_path: str = "experiment_id") -> str:
    if not experiment_id:
        raise invalid_field(field_path, "must not be empty")
    if not EXPERIMENT_ID.match(experiment_id):
        raise invalid_field(
            field_path,
            "must be 1-63 characters from a-z, 0-9 and '-', starting with a letter",
        )
    return experiment_id


def validate_fields(experiment: Experiment) -> Experiment:
    """Check descriptive fields, variants and control; returns it with the control filled in."""
    if len(experiment.display_name) > 200:
        raise invalid_field("experiment.display_name", "at most 200 characters")
    if len(experiment.description) > 4000:
        raise invalid_field("experiment.description", "at most 4,000 characters")
    variants = experiment.variants
    if not 2 <= len(variants) <= MAX_VARIANTS:
        raise invalid_field(
            "experiment.variants", f"{len(variants)} variants; need 2 to {MAX_VARIANTS}"
        )
    seen: set[str] = set()
    for i, variant in enumerate(variants):
        where = f"experiment.variants[{i}]"
        if not VARIANT_NAME.match(variant.name):
            raise invalid_field(f"{where}.name", "must be 1-63 characters from a-z, 0-9, '_', '-'")
        if variant.name in seen:
            raise invalid_field(f"{where}.name", f"duplicate variant name {variant.name!r}")
        seen.add(variant.name)
        if not 1 <= variant.traffic_weight <= MAX_WEIGHT:
            raise invalid_field(f"{where}.traffic_weight", f"must be 1-{MAX_WEIGHT}")
    control = experiment.control_variant or variants[0].name
    if control not in seen:
        raise invalid_field("experiment.control_variant", f"{control!r} is not one of the variants")
    return replace(experiment, control_variant=control)


def assign(experiment_id: str, subject_key: str, variants: Sequence[Variant]) -> Variant:
    """SHA-256 of (experiment id, subject) -> a point in [0, 1) -> the variant whose share of
    the total weight covers it. Stable across replicas and restarts; experiments independent."""
    digest = hashlib.sha256(f"{experiment_id}\x00{subject_key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    total = sum(v.traffic_weight for v in variants)
    edge = 0.0
    for variant in variants:
        edge += variant.traffic_weight / total
        if point < edge:
            return variant
    return variants[-1]


def validate_outcome(outcome: Outcome) -> None:
    if not 1 <= len(outcome.id) <= MAX_OUTCOME_ID:
        raise invalid_field("outcome.id", f"must be 1-{MAX_OUTCOME_ID} characters")
    if not 1 <= len(outcome.subject_key) <= MAX_SUBJECT_KEY:
        raise invalid_field("outcome.subject_key", f"must be 1-{MAX_SUBJECT_KEY} characters")
    if not outcome.metric_values:
        raise invalid_field("outcome.metric_values", "must hold at least one metric")
    if len(outcome.metric_values) > MAX_METRICS:
        raise invalid_field("outcome.metric_values", f"at most {MAX_METRICS} metrics")
    for name, value in outcome.metric_values.items():
        if not METRIC_NAME.match(name):
            raise invalid_field(
                f"outcome.metric_values[{name!r}]",
                "names are 1-63 characters from a-z, 0-9, '_', starting with a letter",
            )
        if not math.isfinite(value):
            raise invalid_field(f"outcome.metric_values[{name!r}]", "must be a finite number")


# ---- the store ----------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS experiments (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL,
    variants TEXT NOT NULL,
    control_variant TEXT NOT NULL,
    state INTEGER NOT NULL,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL,
    start_time REAL,
    end_time REAL,
    creator TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS experiments_by_age ON experiments (create_time DESC, id);
CREATE TABLE IF NOT EXISTS enrollments (
    experiment_id TEXT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    subject_key TEXT NOT NULL,
    variant TEXT NOT NULL,
    enroll_time REAL NOT NULL,
    PRIMARY KEY (experiment_id, subject_key)
);
CREATE TABLE IF NOT EXISTS outcomes (
    experiment_id TEXT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    outcome_id TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    variant TEXT NOT NULL,
    metric_values TEXT NOT NULL,
    observe_time REAL NOT NULL,
    record_time REAL NOT NULL,
    PRIMARY KEY (experiment_id, outcome_id)
);
"""


def _variants_json(variants: Sequence[Variant]) -> str:
    return json.dumps(
        [
            {
                "name": v.name,
                "traffic_weight": v.traffic_weight,
                "config": None if v.config is None else base64.b64encode(v.config).decode(),
            }
            for v in variants
        ]
    )


def _variants_from(raw: str) -> tuple[Variant, ...]:
    return tuple(
        Variant(
            v["name"],
            int(v["traffic_weight"]),
            None if v["config"] is None else base64.b64decode(v["config"]),
        )
        for v in json.loads(raw)
    )


def _experiment(row: sqlite3.Row) -> Experiment:
    return Experiment(
        id=row["id"],
        display_name=row["display_name"],
        description=row["description"],
        variants=_variants_from(row["variants"]),
        control_variant=row["control_variant"],
        state=State(row["state"]),
        create_time=row["create_time"],
        update_time=row["update_time"],
        start_time=row["start_time"],
        end_time=row["end_time"],
        creator=row["creator"],
    )


def _outcome(row: sqlite3.Row) -> Outcome:
    return Outcome(
        id=row["outcome_id"],
        experiment_id=row["experiment_id"],
        subject_key=row["subject_key"],
        variant=row["variant"],
        metric_values=json.loads(row["metric_values"]),
        observe_time=row["observe_time"],
        record_time=row["record_time"],
    )


class ExperimentStore:
    """Experiments, enrolments and outcomes in one SQLite file. Blocking: call off the loop."""

    def __init__(self, path: str | Path) -> None:
        self._path = str(path)
        self._db = connect(self._path, _SCHEMA, foreign_keys=True, timeout_s=10.0)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: readers on other replicas never see half of it."""
        with self._lock, immediate(self._db) as db:
            yield db

    def _get(self, db: sqlite3.Connection, experiment_id: str) -> Experiment:
        row = db.execute("SELECT * FROM experiments WHERE id = ?", (experiment_id,)).fetchone()
        if row is None:
            raise NotFound(
                message=f"no experiment {experiment_id!r}",
                reason="EXPERIMENT_NOT_FOUND",
                metadata={"experiment_id": experiment_id},
            )
        return _experiment(row)

    # ---- experiments ----------------------------------------------------------------------

    def create(self, experiment: Experiment, creator: str) -> Experiment:
        experiment_id = (
            validate_id(experiment.id) if experiment.id else f"exp-{secrets.token_hex(6)}"
        )
        now = time.time()
        stored = replace(
            validate_fields(experiment),
            id=experiment_id,
            state=State.DRAFT,
            create_time=now,
            update_time=now,
            start_time=None,
            end_time=None,
            creator=creator,
        )
        with self._write() as db:
            try:
                db.execute(
                    "INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
                    (
                        stored.id,
                        stored.display_name,
                        stored.description,
                        _variants_json(stored.variants),
                        stored.control_variant,
                        int(stored.state),
                        now,
                        now,
                        creator,
                    ),
                )
            except sqlite3.IntegrityError:
                raise AlreadyExists(
                    message=f"experiment {stored.id!r} already exists",
                    reason="EXPERIMENT_EXISTS",
                    metadata={"experiment_id": stored.id},
                ) from None
        return stored

    def get(self, experiment_id: str) -> Experiment:
        validate_id(experiment_id)
        with self._lock:
            return self._get(self._db, experiment_id)

    def list_experiments(
        self, page_size: int, page_token: str, states: Sequence[State], default: int, maximum: int
    ) -> ExperimentPage:
        size = bounded_page_size(page_size, default, maximum)
        wanted = sorted({int(s) for s in states})
        scope = hashlib.sha256(json.dumps(wanted).encode()).hexdigest()[:12]
        where = ["1 = 1"]
        args: list[object] = []
        if wanted:
            where.append(f"state IN ({', '.join('?' * len(wanted))})")
            args.extend(wanted)
        if page_token:
            after_time, after_id = _parse_token(page_token, scope)
            where.append("(create_time < ? OR (create_time = ? AND id > ?))")
            args.extend([after_time, after_time, after_id])
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM experiments WHERE {' AND '.join(where)} "
                "ORDER BY create_time DESC, id LIMIT ?",
                [*args, size + 1],
            ).fetchall()
        experiments = [_experiment(r) for r in rows[:size]]
        token = ""
        if len(rows) > size:
            last = experiments[-1]
            token = _make_token(last.create_time, last.id, scope)
        return ExperimentPage(experiments, token)

    def update(self, changes: Experiment, paths: Sequence[str]) -> Experiment:
        if not paths:
            raise invalid_field("update_mask", "must name at least one field")
        for path in paths:
            if path == "state":
                raise invalid_field("update_mask", "change the state with UpdateExperimentState")
            if path not in MUTABLE_FIELDS:
                raise invalid_field(
                    "update_mask",
                    f"unknown or read-only field {path!r}; allowed: {sorted(MUTABLE_FIELDS)}",
                )
        validate_id(changes.id, "experiment.id")
        with self._write() as db:
            current = self._get(db, changes.id)
            updated = current
            if "display_name" in paths:
                updated = replace(updated, display_name=changes.display_name)
            if "description" in paths:
                updated = replace(updated, description=changes.description)
            if "variants" in paths:
                updated = replace(updated, variants=changes.variants)
            if "control_variant" in paths:
                updated = replace(updated, control_variant=changes.control_variant)
            structural = (
                updated.variants != current.variants
                or updated.control_variant != current.control_variant
            )
            # Checked before validity: after DRAFT no structural change is allowed at all.
            if structural and current.state is not State.DRAFT:
                raise FailedPrecondition(
                    message=f"experiment {current.id!r} is {current.state.name}: variants and "
                    "control_variant can change only while it is a DRAFT (assignments must stay "
                    "stable)",
                    reason="EXPERIMENT_NOT_DRAFT",
                )
            updated = replace(validate_fields(updated), update_time=time.time())
            db.execute(
                "UPDATE experiments SET display_name = ?, description = ?, variants = ?, "
                "control_variant = ?, update_time = ? WHERE id = ?",
                (
                    updated.display_name,
                    updated.description,
                    _variants_json(updated.variants),
                    updated.control_variant,
                    updated.update_time,
                    updated.id,
                ),
            )
        return updated

    def set_state(self, experiment_id: str, target: State) -> Experiment:
        validate_id(experiment_id)
        if target is State.DRAFT:
            raise invalid_field("state", "must be RUNNING, PAUSED or STOPPED")
        with self._write() as db:
            current = self._get(db, experiment_id)
            if current.state is target:
                return current
            if (current.state, target) not in _TRANSITIONS:
                raise FailedPrecondition(
                    message=f"experiment {experiment_id!r} cannot go from {current.state.name} "
                    f"to {target.name}",
                    reason="INVALID_STATE_TRANSITION",
                    metadata={"from": current.state.name, "to": target.name},
                )
            now = time.time()
            updated = replace(
                current,
                state=target,
                update_time=now,
                start_time=current.start_time
                if current.start_time is not None or target is not State.RUNNING
                else now,
                end_time=now if target is State.STOPPED else current.end_time,
            )
            db.execute(
                "UPDATE experiments SET state = ?, update_time = ?, start_time = ?, end_time = ? "
                "WHERE id = ?",
                (int(target), now, updated.start_time, updated.end_time, experiment_id),
            )
        return updated

    def delete(self, experiment_id: str, allow_missing: bool) -> int:
        """Delete with all outcomes and enrolments; returns the number of outcomes deleted."""
        validate_id(experiment_id)
        with self._write() as db:
            try:
                current = self._get(db, experiment_id)
            except NotFound:
                if allow_missing:
                    return 0
                raise
            if current.state is State.RUNNING:
                raise FailedPrecondition(
                    message=f"experiment {experiment_id!r} is RUNNING: pause or stop it first",
                    reason="EXPERIMENT_RUNNING",
                )
            (count,) = db.execute(
                "SELECT COUNT(*) FROM outcomes WHERE experiment_id = ?", (experiment_id,)
            ).fetchone()
            db.execute("DELETE FROM outcomes WHERE experiment_id = ?", (experiment_id,))
            db.execute("DELETE FROM enrollments WHERE experiment_id = ?", (experiment_id,))
            db.execute("DELETE FROM experiments WHERE id = ?", (experiment_id,))
        return int(count)

    # ---- assignment and outcomes ----------------------------------------------------------

    def assign(self, experiment_id: str, subject_key: str) -> Assignment:
        validate_id(experiment_id)
        if not 1 <= len(subject_key) <= MAX_SUBJECT_KEY:
            raise invalid_field("subject_key", f"must be 1-{MAX_SUBJECT_KEY} characters")
        experiment = self.get(experiment_id)
        if experiment.state is State.DRAFT:
            raise FailedPrecondition(
                message=f"experiment {experiment_id!r} is a DRAFT: start it first",
                reason="EXPERIMENT_NOT_STARTED",
            )
        if experiment.state is not State.RUNNING:
            control = experiment.variant(experiment.control_variant)
            return Assignment(control, False, subject_key)
        variant = assign(experiment_id, subject_key, experiment.variants)
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO enrollments VALUES (?, ?, ?, ?)",
                (experiment_id, subject_key, variant.name, time.time()),
            )
        return Assignment(variant, True, subject_key)

    def record(self, outcome: Outcome) -> Outcome:
        """Store an outcome once per id; a retry with the same content returns the stored one."""
        validate_id(outcome.experiment_id)
        validate_outcome(outcome)
        now = time.time()
        with self._write() as db:
            experiment = self._get(db, outcome.experiment_id)
            if experiment.state in (State.DRAFT, State.STOPPED):
                raise FailedPrecondition(
                    message=f"experiment {experiment.id!r} is {experiment.state.name}; outcomes "
                    "are accepted while it is RUNNING or PAUSED",
                    reason="EXPERIMENT_NOT_ACCEPTING",
                )
            assigned = assign(experiment.id, outcome.subject_key, experiment.variants).name
            variant = outcome.variant or assigned
            if variant != assigned:
                raise invalid_field(
                    "outcome.variant",
                    f"subject is assigned {assigned!r}, not {variant!r}",
                    reason="WRONG_VARIANT",
                )
            row = db.execute(
                "SELECT * FROM outcomes WHERE experiment_id = ? AND outcome_id = ?",
                (experiment.id, outcome.id),
            ).fetchone()
            if row is not None:
                stored = _outcome(row)
                same = (
                    stored.subject_key == outcome.subject_key
                    and stored.variant == variant
                    and stored.metric_values == outcome.metric_values
                    and (not outcome.observe_time or stored.observe_time == outcome.observe_time)
                )
                if not same:
                    raise AlreadyExists(
                        message=f"outcome {outcome.id!r} was recorded with different content",
                        reason="OUTCOME_ID_REUSED",
                    )
                return stored
            stored = replace(
                outcome,
                variant=variant,
                observe_time=outcome.observe_time or now,
                record_time=now,
            )
            db.execute(
                "INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    stored.experiment_id,
                    stored.id,
                    stored.subject_key,
                    stored.variant,
                    json.dumps(stored.metric_values, sort_keys=True),
                    stored.observe_time,
                    stored.record_time,
                ),
            )
        return stored

    def data(self, experiment_id: str, metric_names: Sequence[str]) -> ExperimentData:
        """Every value per metric, variant and subject, and enrolment counts per variant."""
        experiment = self.get(experiment_id)
        if experiment.state is State.DRAFT:
            raise FailedPrecondition(
                message=f"experiment {experiment_id!r} is a DRAFT: there are no results yet",
                reason="EXPERIMENT_NOT_STARTED",
            )
        wanted = set(metric_names)
        data = ExperimentData(experiment)
        with self._lock:
            rows = self._db.execute(
                "SELECT subject_key, variant, metric_values FROM outcomes WHERE experiment_id = ?",
                (experiment_id,),
            ).fetchall()
            counts = self._db.execute(
                "SELECT variant, COUNT(*) AS n FROM enrollments WHERE experiment_id = ? "
                "GROUP BY variant",
                (experiment_id,),
            ).fetchall()
        for row in rows:
            for name, value in json.loads(row["metric_values"]).items():
                if wanted and name not in wanted:
                    continue
                per_variant = data.values.setdefault(name, {}).setdefault(row["variant"], {})
                per_variant.setdefault(row["subject_key"], []).append(float(value))
        data.enrolled = {row["variant"]: int(row["n"]) for row in counts}
        return data


def _make_token(create_time: float, experiment_id: str, scope: str) -> str:
    return encode_page_token({"t": create_time, "id": experiment_id, "s": scope})


def _parse_token(token: str, scope: str) -> tuple[float, str]:
    raw = decode_page_token(token) or {}
    try:
        create_time, experiment_id, token_scope = float(raw["t"]), str(raw["id"]), raw["s"]
    except (ValueError, KeyError, TypeError):
        raise invalid_field("page_token", "is not a token this service issued") from None
    if token_scope != scope:
        raise invalid_field("page_token", "was issued for different `states`")
    return create_time, experiment_id

"""Labelled query sets: validated from a request, or read from a BEIR folder on the server.

A set maps query ids to texts and holds graded judgments per query. BEIR layout:
``queries.jsonl`` (``{"_id", "text"}`` per line) and ``qrels/<split>.tsv`` (header, then
``query-id  corpus-id  score``); the corpus is never read. A BEIR set holds the queries that
the split judges, as BEIR evaluates them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from services.runtime.errors import FailedPrecondition, NotFound, invalid_field

MAX_ID_CHARS = 256


@dataclass(frozen=True)
class Judgment:
    query_id: str
    document_id: str
    relevance: int


@dataclass(frozen=True)
class LabeledSet:
    queries: dict[str, str]  # query id -> text
    judgments: dict[str, dict[str, int]]  # query id -> document id -> relevance

    def select(self, max_queries: int) -> list[str]:
        """The first ``max_queries`` ids in byte-wise order (all when 0): a stable subset."""
        ordered = sorted(self.queries, key=lambda q: q.encode("utf-8"))
        return ordered[:max_queries] if max_queries else ordered

    def has_relevant(self, query_id: str) -> bool:
        return any(g > 0 for g in self.judgments.get(query_id, {}).values())


def inline_set(
    queries: Iterable[tuple[str, str]],
    judgments: Iterable[Judgment],
    max_queries: int,
    max_query_chars: int,
) -> LabeledSet:
    """Validate a set sent with the request; every problem names the field to fix."""
    texts: dict[str, str] = {}
    for i, (query_id, text) in enumerate(queries):
        where = f"inline_set.queries[{i}]"
        if not 1 <= len(query_id) <= MAX_ID_CHARS:
            raise invalid_field(f"{where}.id", f"must be 1-{MAX_ID_CHARS} characters")
        if query_id in texts:
            raise invalid_field(f"{where}.id", f"duplicate query id {query_id!r}")
        if not text.strip():
            raise invalid_field(f"{where}.text", "must not be empty")
        if len(text) > max_query_chars:
            raise invalid_field(
                f"{where}.text", f"is {len(text)} characters; the limit is {max_query_chars}"
            )
        texts[query_id] = text
        if len(texts) > max_queries:
            raise invalid_field(
                "inline_set.queries", f"more than {max_queries} queries; split the set"
            )
    if not texts:
        raise invalid_field("inline_set.queries", "must not be empty")
    judged: dict[str, dict[str, int]] = {}
    count = 0
    for i, judgment in enumerate(judgments):
        count += 1
        where = f"inline_set.judgments[{i}]"
        if judgment.query_id not in texts:
            raise invalid_field(f"{where}.query_id", f"unknown query id {judgment.query_id!r}")
        if not judgment.document_id:
            raise invalid_field(f"{where}.document_id", "must not be empty")
        if judgment.relevance < 0:
            raise invalid_field(f"{where}.relevance", "must be 0 or more")
        per_query = judged.setdefault(judgment.query_id, {})
        if judgment.document_id in per_query:
            raise invalid_field(
                where,
                f"({judgment.query_id!r}, {judgment.document_id!r}) is judged more than once",
            )
        per_query[judgment.document_id] = judgment.relevance
    if count == 0:
        raise invalid_field("inline_set.judgments", "must not be empty")
    return LabeledSet(texts, judged)


def resolve_dataset(root: Path, relative: str) -> Path:
    """The dataset folder under ``root``; absolute paths and '..' never leave it."""
    if not relative:
        raise invalid_field("beir_dataset.path", "must not be empty")
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\\" in relative:
        raise invalid_field(
            "beir_dataset.path", "must be relative to the datasets root, without '..'"
        )
    if not root.is_dir():
        raise FailedPrecondition(
            message=f"the datasets root {str(root)!r} does not exist on this server; "
            "set RAGMESH_EVALUATION_DATASETS_ROOT",
            reason="DATASETS_ROOT_MISSING",
        )
    folder = (root / pure).resolve()
    if not folder.is_relative_to(root.resolve()):
        raise invalid_field("beir_dataset.path", "resolves outside the datasets root")
    if not folder.is_dir():
        raise NotFound(message=f"no dataset folder {relative!r}", reason="DATASET_NOT_FOUND")
    return folder


def beir_set(folder: Path, split: str, max_queries: int) -> LabeledSet:
    """Queries judged in ``qrels/<split>.tsv`` with their texts from ``queries.jsonl``."""
    split = split or "test"
    if not split.replace("-", "").replace("_", "").isalnum():
        raise invalid_field("beir_dataset.split", "must be a plain name such as 'test'")
    qrels = folder / "qrels" / f"{split}.tsv"
    queries_file = folder / "queries.jsonl"
    for path in (qrels, queries_file):
        if not path.is_file():
            raise NotFound(
                message=f"dataset {folder.name!r} has no {path.relative_to(folder)}",
                reason="DATASET_FILE_NOT_FOUND",
            )
    judged: dict[str, dict[str, int]] = {}
    with qrels.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t")
        for line, row in enumerate(rows, start=1):
            if line == 1 and row and not row[-1].strip().lstrip("-").isdigit():
                continue  # the header
            if len(row) != 3:
                raise invalid_field(
                    "beir_dataset", f"{qrels.name} line {line}: expected 3 tab-separated fields"
                )
            query_id, document_id, score = (cell.strip() for cell in row)
            try:
                relevance = int(score)
            except ValueError:
                raise invalid_field(
                    "beir_dataset", f"{qrels.name} line {line}: score {score!r} is not an integer"
                ) from None
            judged.setdefault(query_id, {})[document_id] = relevance
    if len(judged) > max_queries:
        raise invalid_field(
            "beir_dataset", f"split {split!r} has {len(judged)} queries; the limit is {max_queries}"
        )
    texts: dict[str, str] = {}
    with queries_file.open(encoding="utf-8") as f:
        for line, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
                query_id = str(row["_id"])
                text = str(row["text"])
            except (ValueError, KeyError, TypeError):
                raise invalid_field(
                    "beir_dataset", f"queries.jsonl line {line}: not a {{'_id', 'text'}} object"
                ) from None
            if query_id in judged:
                texts[query_id] = text
    missing = sorted(set(judged) - set(texts))
    if missing:
        raise invalid_field(
            "beir_dataset",
            f"{len(missing)} judged queries have no text in queries.jsonl (e.g. {missing[0]!r})",
        )
    return LabeledSet(texts, judged)

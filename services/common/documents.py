"""Document rules shared by every service: ids, sizes, metadata limits, content hashes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from services.runtime.errors import FieldViolation, InvalidArgument, ResourceExhausted

DOCUMENT_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,256}$")
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_METADATA_KEY = 64
MAX_METADATA_VALUE = 1024
MAX_ACCESS_GROUPS = 64


@dataclass(frozen=True)
class DocumentInput:
    """A document as a caller submits it."""

    id: str
    content: bytes
    content_type: str = "text/plain"
    title: str = ""
    source: str = ""
    access_groups: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def validate_document_id(document_id: str, path: str = "document.id") -> None:
    if not DOCUMENT_ID.match(document_id):
        raise InvalidArgument(
            message=f"{path} {document_id[:80]!r} is invalid: use 1-256 characters from "
            "[A-Za-z0-9._:/-]",
            reason="INVALID_DOCUMENT_ID",
            field_violations=[FieldViolation(path, "1-256 characters from [A-Za-z0-9._:/-]")],
        )


def validate_metadata(
    metadata: Mapping[str, str], access_groups: Sequence[str], path: str = "document"
) -> None:
    problems: list[FieldViolation] = []
    for key, value in metadata.items():
        if not 1 <= len(key) <= MAX_METADATA_KEY:
            problems.append(
                FieldViolation(f"{path}.metadata", f"key {key[:80]!r} must be 1-64 characters")
            )
        if len(value) > MAX_METADATA_VALUE:
            problems.append(
                FieldViolation(f"{path}.metadata[{key}]", "value longer than 1024 characters")
            )
    if len(access_groups) > MAX_ACCESS_GROUPS:
        problems.append(FieldViolation(f"{path}.access_groups", "at most 64 groups"))
    if any(not g.strip() for g in access_groups):
        problems.append(FieldViolation(f"{path}.access_groups", "group names must not be empty"))
    if problems:
        raise InvalidArgument(
            message="; ".join(f"{p.field}: {p.description}" for p in problems),
            reason="INVALID_METADATA",
            field_violations=problems,
        )


def validate_document(document: DocumentInput, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
    """Everything a document must satisfy before any service does work on it."""
    validate_document_id(document.id)
    if not document.content:
        raise InvalidArgument(
            message="document.content is empty: nothing to ingest",
            reason="EMPTY_CONTENT",
            field_violations=[FieldViolation("document.content", "must not be empty")],
        )
    if len(document.content) > max_bytes:
        raise ResourceExhausted(
            message=f"document.content is {len(document.content)} bytes; the limit is "
            f"{max_bytes} bytes (split the document or use IngestDocumentStream)",
            reason="DOCUMENT_TOO_LARGE",
            metadata={"limit_bytes": str(max_bytes), "size_bytes": str(len(document.content))},
        )
    validate_metadata(document.metadata, document.access_groups)

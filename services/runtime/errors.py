"""Transport-neutral domain errors. Domain code raises these; the runtime maps them to gRPC.

Each error carries what a client can act on (AIP-193): a canonical code, a short message,
an UPPER_SNAKE reason, optional metadata, field violations, and a retry delay.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ErrorCode(enum.Enum):
    """Canonical codes a domain error may carry (the subset of google.rpc.Code we use)."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    UNAVAILABLE = "UNAVAILABLE"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    ABORTED = "ABORTED"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class FieldViolation:
    """One bad field in a request: dotted path and what is wrong with it."""

    field: str
    description: str


@dataclass
class DomainError(Exception):
    """Base of every error the domain raises on purpose; its message is safe to show."""

    message: str
    reason: str = "ERROR"
    metadata: dict[str, str] = field(default_factory=dict)
    field_violations: list[FieldViolation] = field(default_factory=list)
    retry_after_s: float | None = None
    code = ErrorCode.INTERNAL

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class InvalidArgument(DomainError):
    code = ErrorCode.INVALID_ARGUMENT


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class AlreadyExists(DomainError):
    code = ErrorCode.ALREADY_EXISTS


class FailedPrecondition(DomainError):
    code = ErrorCode.FAILED_PRECONDITION


class PermissionDenied(DomainError):
    code = ErrorCode.PERMISSION_DENIED


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED


class ResourceExhausted(DomainError):
    code = ErrorCode.RESOURCE_EXHAUSTED


class Unavailable(DomainError):
    code = ErrorCode.UNAVAILABLE


class DeadlineExceeded(DomainError):
    code = ErrorCode.DEADLINE_EXCEEDED


class Aborted(DomainError):
    code = ErrorCode.ABORTED


class Internal(DomainError):
    """A bug or broken invariant, ours or a dependency's; the message must stay generic."""

    code = ErrorCode.INTERNAL


def invalid_field(
    field_path: str, description: str, reason: str = "INVALID_FIELD"
) -> InvalidArgument:
    """Shorthand for the most common error: one field is wrong."""
    return InvalidArgument(
        message=f"{field_path}: {description}",
        reason=reason,
        field_violations=[FieldViolation(field_path, description)],
    )

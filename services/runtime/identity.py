"""Who is calling: the identity a verified token carries, for the call being served.

The server interceptor verifies the bearer token (services/runtime/auth.py) and puts the
resulting ``Identity`` here for the duration of the call. ``current_identity()`` is None
when the service runs with auth disabled (``ragmesh up --no-auth``): callers are then
unrestricted, which every service treats as "no document-level filtering".
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

READER = "rag-reader"
WRITER = "rag-writer"
ADMIN = "rag-admin"


@dataclass(frozen=True, slots=True)
class Identity:
    """The verified claims of one caller that access decisions need."""

    subject: str
    username: str
    roles: frozenset[str]
    groups: frozenset[str]
    # The client the token was issued to (``azp``), e.g. "ragmesh-cli" or a service.
    client_id: str = ""
    # Seconds since the epoch after which the token is no longer valid.
    expires_at: float = 0.0

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    def has_role(self, role: str) -> bool:
        return role in self.roles


_current: contextvars.ContextVar[Identity | None] = contextvars.ContextVar(
    "ragmesh_identity", default=None
)


def current_identity() -> Identity | None:
    """The verified caller of the call being served; None when auth is disabled."""
    return _current.get()


def set_current_identity(identity: Identity | None) -> contextvars.Token[Identity | None]:
    return _current.set(identity)


def reset_current_identity(token: contextvars.Token[Identity | None]) -> None:
    _current.reset(token)

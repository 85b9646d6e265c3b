"""Per-call data carried in contextvars: request id, caller credentials and deadline.

The server interceptor sets them when a call starts; downstream clients read them to
propagate the request id, the caller's token and the remaining deadline to the next hop.
"""

from __future__ import annotations

import contextvars
import time
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CallContext:
    """What one incoming RPC carries that later hops need."""

    request_id: str
    method: str = ""
    authorization: str | None = None
    # time.monotonic() value after which the caller has given up; None = no deadline.
    deadline: float | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def time_remaining(self) -> float | None:
        if self.deadline is None:
            return None
        return self.deadline - time.monotonic()


_current: contextvars.ContextVar[CallContext | None] = contextvars.ContextVar(
    "ragmesh_call_context", default=None
)


def current_call() -> CallContext | None:
    """The call being served by this task, or None outside a call."""
    return _current.get()


def set_current_call(call: CallContext) -> contextvars.Token[CallContext | None]:
    return _current.set(call)


def reset_current_call(token: contextvars.Token[CallContext | None]) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]

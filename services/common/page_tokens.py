"""Page tokens and page sizes (AIP-158), the same codec for every List call.

A token is URL-safe base64 of a small JSON object, unpadded; what the object holds (the
position, a digest of the request's filters) is each service's business, and so is the
message when a token does not fit the request. Tokens written padded by older replicas
still decode.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from services.runtime.errors import invalid_field


def encode_page_token(payload: Mapping[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str) -> dict[str, Any] | None:
    """The object ``encode_page_token`` wrote, or None when ``token`` is not one."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def bounded_page_size(
    value: int, default: int, maximum: int, negative: str = "must not be negative"
) -> int:
    """0 means ``default``; over ``maximum`` is coerced down; negative is INVALID_ARGUMENT.

    ``negative`` is the message for a negative size (a service may keep its own wording).
    """
    if value < 0:
        raise invalid_field("page_size", negative)
    return min(value or default, maximum)

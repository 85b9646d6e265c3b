"""Page tokens of ListDocuments and ListChunks (AIP-158: opaque, bound to the request's filters)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from services.runtime.errors import invalid_field
from services.vector_store.domain import MetadataCondition

DEFAULT_LIST_DOCUMENTS = 50
DEFAULT_LIST_CHUNKS = 100
MAX_PAGE_SIZE = 1000


def _encode_token(payload: Mapping[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise invalid_field("page_token", "malformed; pass next_page_token unchanged") from exc
    if not isinstance(payload, dict) or payload.get("t") != 1:
        raise invalid_field("page_token", "malformed; pass next_page_token unchanged")
    return payload


def _filters_digest(filters: Sequence[MetadataCondition]) -> str:
    canonical = [[c.key, c.operator.value, list(c.values)] for c in filters]
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()[:16]


def _page_size(size: int, default: int) -> int:
    if size < 0:
        raise invalid_field("page_size", "must be >= 0")
    return min(size or default, MAX_PAGE_SIZE)

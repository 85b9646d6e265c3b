"""Page tokens of ListDocuments and ListChunks (AIP-158: opaque, bound to the request's filters).

The codec and the page-size rule are the shared ones (services/common/page_tokens.py); what
the vector store's tokens hold (``{"t": 1, ...}``) and its messages are its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from services.common.page_tokens import bounded_page_size, decode_page_token
from services.runtime.errors import invalid_field
from services.vector_store.domain import MetadataCondition

DEFAULT_LIST_DOCUMENTS = 50
DEFAULT_LIST_CHUNKS = 100
MAX_PAGE_SIZE = 1000


def decode_token(token: str) -> dict[str, Any]:
    payload = decode_page_token(token)
    if payload is None or payload.get("t") != 1:
        raise invalid_field("page_token", "malformed; pass next_page_token unchanged")
    return payload


def filters_digest(filters: Sequence[MetadataCondition]) -> str:
    canonical = [[c.key, c.operator.value, list(c.values)] for c in filters]
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()[:16]


def bounded_size(size: int, default: int) -> int:
    return bounded_page_size(size, default, MAX_PAGE_SIZE, negative="must be >= 0")

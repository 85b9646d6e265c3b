"""Confluence webhook events -> item events (services/indexer/event_sources.py).

Shape (Atlassian's webhook payloads; tests/fixtures/saas/README.md): a JSON object with the
event name in ``event`` (Confluence's admin webhooks; for Connect-style registrations that
send no name, put it in the URL as ``?event=page_updated``), ``timestamp`` (ms since the
epoch) and the content under ``page`` (or ``blog``): ``id``, ``title``, ``spaceKey``,
``self`` (its URL), optionally ``body.storage.value`` (storage-format XHTML) and
``restrictions.read.restrictions.{group,user}.results``, as the REST API expands them.
With a secret configured, ``X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`` is
required (Confluence's "Securing the webhook").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from services.indexer.changes import ChangeKind
from services.indexer.event_sources import (
    EventBatch,
    EventDelivery,
    ItemEvent,
    json_body,
    webhook_secret,
)
from services.runtime.errors import InvalidArgument, PermissionDenied, Unauthenticated

SIGNATURE_HEADER = "x-hub-signature"
UPSERT_EVENTS = {"created", "updated", "restored"}
DELETE_EVENTS = {"removed", "trashed"}
CONTENT_TYPES = {"page", "blog", "blogpost"}


def sign(body: bytes, secret: bytes) -> str:
    """The X-Hub-Signature value Confluence sends for ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(delivery: EventDelivery, secret: bytes) -> None:
    header = delivery.headers.get(SIGNATURE_HEADER, "").strip()
    if not header:
        raise Unauthenticated(
            message="X-Hub-Signature header missing: this source has a webhook secret; set the "
            "same secret on the Confluence webhook",
            reason="SIGNATURE_MISSING",
        )
    algorithm, _, digest = header.partition("=")
    if algorithm.lower() != "sha256":
        raise Unauthenticated(
            message=f"X-Hub-Signature uses {algorithm[:20]!r}; only sha256 is accepted",
            reason="SIGNATURE_ALGORITHM",
        )
    if not hmac.compare_digest(sign(delivery.body, secret), f"sha256={digest.lower()}"):
        raise PermissionDenied(
            message="X-Hub-Signature does not match the body: wrong secret, or the body was "
            "changed on the way",
            reason="SIGNATURE_MISMATCH",
        )


def _restricted_groups(item: dict[str, Any]) -> tuple[str, ...] | None:
    """Read restrictions as access groups: groups by name, users as ``confluence-user:<id>``
    (so a page restricted to people stays restricted, never opened to the source's groups).
    None when the payload carries no read restrictions."""
    read = ((item.get("restrictions") or {}).get("read") or {}).get("restrictions") or {}
    groups = [
        str(g.get("name", "")).strip() for g in (read.get("group") or {}).get("results") or []
    ]
    users = [
        f"confluence-user:{u.get('accountId')}"
        for u in (read.get("user") or {}).get("results") or []
        if u.get("accountId")
    ]
    found = tuple(g for g in groups if g) + tuple(users)
    return found or None


class ConfluenceEvents:
    """Parses one source's deliveries; without ``secret_env`` no signature is checked."""

    def __init__(
        self,
        secret_env: str = "",
        space_keys: tuple[str, ...] = (),
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._secret_env = secret_env
        self._spaces = set(space_keys)
        self._environ = environ

    def __call__(self, delivery: EventDelivery) -> EventBatch:
        if self._secret_env:
            secret = webhook_secret(self._secret_env, self._environ)
            verify_signature(delivery, secret.encode("utf-8"))
        body = json_body(delivery)
        if not isinstance(body, dict):
            raise InvalidArgument(message="body must be a JSON object", reason="INVALID_EVENT")
        name = str(body.get("event") or body.get("webhookEvent") or delivery.query.get("event", ""))
        content_kind, _, action = name.rpartition("_")
        if not name:
            raise InvalidArgument(
                message="no event name: expected 'event' in the body or ?event= in the URL "
                "(e.g. page_updated)",
                reason="INVALID_EVENT",
            )
        item = body.get("page") or body.get("blog") or body.get("blogpost")
        known = content_kind in CONTENT_TYPES and action in UPSERT_EVENTS | DELETE_EVENTS
        if not known or not isinstance(item, dict):
            return EventBatch(ignored=1)  # comments, spaces, labels...: not documents here
        if self._spaces and item.get("spaceKey") not in self._spaces:
            return EventBatch(ignored=1)
        item_id = str(item.get("id") or "").strip()
        if not item_id:
            raise InvalidArgument(
                message=f"{name}: {content_kind}.id is missing", reason="INVALID_EVENT"
            )
        cursor = ""
        if isinstance(body.get("timestamp"), int | float):
            stamp = dt.datetime.fromtimestamp(body["timestamp"] / 1000, dt.UTC)
            cursor = f"{stamp.isoformat(timespec='milliseconds')} {name} {item_id}"
        if action in DELETE_EVENTS:
            return EventBatch((ItemEvent(item_id, ChangeKind.DELETE),), cursor)
        storage = ((item.get("body") or {}).get("storage") or {}).get("value")
        content = storage.encode("utf-8") if isinstance(storage, str) and storage else None
        event = ItemEvent(
            key=item_id,
            kind=ChangeKind.UPSERT,
            title=str(item.get("title") or ""),
            content=content,
            content_type="text/html",
            access_groups=_restricted_groups(item),
            link=str(item.get("self") or ""),
        )
        return EventBatch((event,), cursor)

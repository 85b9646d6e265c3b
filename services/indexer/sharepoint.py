"""SharePoint (Microsoft Graph) change notifications -> item events
(services/indexer/event_sources.py).

Shape (Graph's changeNotificationCollection; tests/fixtures/saas/README.md):

- the validation handshake: Graph POSTs ``?validationToken=<token>`` when a subscription is
  created or renewed and expects the token back as text/plain, 200, within 10 seconds;
- notifications: ``{"value": [{"subscriptionId", "clientState", "changeType", "resource",
  "resourceData": {"@odata.type", "id"}, ...}]}``; ``clientState`` is the secret given
  when subscribing and must match on every notification, or the delivery is refused and
  nothing queued. ``changeType`` created/updated becomes an upsert (Graph's basic
  notifications never carry the item's content or permissions, so it needs a fetch),
  deleted a deletion of the item named by ``resource``;
- lifecycle notifications (``lifecycleEvent``: missed, reauthorizationRequired,
  subscriptionRemoved) become the source's last error: changes may have been lost.
"""

from __future__ import annotations

import datetime as dt
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

CHANGE_KINDS = {
    "created": ChangeKind.UPSERT,
    "updated": ChangeKind.UPSERT,
    "deleted": ChangeKind.DELETE,
}
MAX_NOTIFICATIONS = 1000


def item_key(notification: dict[str, Any]) -> str:
    """The changed item's path: ``resource``, with ``resourceData.id`` appended when the
    resource names the collection rather than the item."""
    resource = str(notification.get("resource") or "").strip().strip("/")
    item_id = str((notification.get("resourceData") or {}).get("id") or "").strip()
    if item_id and not resource.endswith(item_id):
        return f"{resource}/{item_id}" if resource else item_id
    return resource


class SharePointEvents:
    """Parses one source's deliveries against its client state (the shared secret)."""

    def __init__(self, client_state_env: str, environ: Mapping[str, str] | None = None) -> None:
        self._client_state_env = client_state_env
        self._environ = environ

    def __call__(self, delivery: EventDelivery) -> EventBatch:
        token = delivery.query.get("validationToken")
        if token is not None:
            # Graph sends no clientState with the handshake; echoing is all it asks.
            return EventBatch(reply=token)
        body = json_body(delivery)
        notifications = body.get("value") if isinstance(body, dict) else None
        if not isinstance(notifications, list) or not notifications:
            raise InvalidArgument(
                message='expected a change notification collection: {"value": [...]}',
                reason="INVALID_EVENT",
            )
        if len(notifications) > MAX_NOTIFICATIONS:
            raise InvalidArgument(
                message=f"{len(notifications)} notifications; at most {MAX_NOTIFICATIONS}",
                reason="INVALID_EVENT",
            )
        expected = webhook_secret(self._client_state_env, self._environ).encode("utf-8")
        # Every notification is checked before any is used: one forged entry refuses all.
        for index, item in enumerate(notifications):
            if not isinstance(item, dict):
                raise InvalidArgument(
                    message=f"value[{index}] is not an object", reason="INVALID_EVENT"
                )
            state = item.get("clientState")
            if not isinstance(state, str) or not state:
                raise Unauthenticated(
                    message=f"value[{index}].clientState missing: subscribe with this "
                    "source's client state",
                    reason="CLIENT_STATE_MISSING",
                )
            if not hmac.compare_digest(state.encode("utf-8"), expected):
                raise PermissionDenied(
                    message=f"value[{index}].clientState does not match this source's",
                    reason="CLIENT_STATE_MISMATCH",
                )
        events: list[ItemEvent] = []
        notices: list[str] = []
        ignored = 0
        for index, item in enumerate(notifications):
            lifecycle = item.get("lifecycleEvent")
            if lifecycle:
                notices.append(
                    f"Graph lifecycle event {str(lifecycle)[:40]!r} for subscription "
                    f"{str(item.get('subscriptionId', ''))[:64]}: changes may have been "
                    "missed; renew the subscription and re-index the site"
                )
                continue
            kind = CHANGE_KINDS.get(str(item.get("changeType") or ""))
            key = item_key(item)
            if kind is None:
                ignored += 1
                continue
            if not key:
                raise InvalidArgument(
                    message=f"value[{index}].resource is missing", reason="INVALID_EVENT"
                )
            events.append(ItemEvent(key=key, kind=kind))
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        cursor = f"{now} {len(events)} notification(s)" if events else ""
        return EventBatch(tuple(events), cursor, "; ".join(notices), ignored=ignored)

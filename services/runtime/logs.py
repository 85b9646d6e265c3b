"""Structured logging: one JSON object per line, with the current request id, replica and,
when tracing is on, the current trace and span ids."""

from __future__ import annotations

import json
import logging
import sys
import time

from services.runtime.call_context import current_call
from services.runtime.tracing import current_ids


class _CallFilter(logging.Filter):
    """Stamps each record with the request id of the call being served (if any)."""

    def __init__(self, replica_id: str) -> None:
        super().__init__()
        self._replica_id = replica_id

    def filter(self, record: logging.LogRecord) -> bool:
        call = current_call()
        if call is not None or not getattr(record, "request_id", ""):
            record.request_id = call.request_id if call else ""
        record.replica = self._replica_id
        # Empty unless tracing is on and a span is current: joins log lines to traces.
        record.trace_id, record.span_id = current_ids()
        return True


# Structured fields a log call may pass in ``extra``; the audit trail adds who did it.
_FIELDS = ("request_id", "trace_id", "span_id", "replica", "service", "method", "code",
           "duration_ms", "audit", "user", "subject", "client", "reason")  # fmt: skip


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in _FIELDS:
            value = getattr(record, key, None)
            if value not in (None, ""):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, fmt: str, replica_id: str) -> None:
    """Route the root logger to stderr in the chosen format. Safe to call more than once."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_CallFilter(replica_id))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())

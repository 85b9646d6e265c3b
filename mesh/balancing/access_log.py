"""Receives Envoy's gRPC access log streams and feeds the LatencyObserver.

envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs: Envoy sends an
identifier first, then batches of HTTP entries (flushed every
`buffer_flush_interval`). Two logs arrive, told apart by their log name:

- the router's *upstream* log (`UPSTREAM_LOG_NAME`): one entry per upstream
  attempt, including attempts that failed and were retried on another replica.
  These are the samples: upstream cluster and host, how long the attempt took,
  and how it ended;
- the connection manager's *edge* log: one entry per request Envoy refused itself
  (jwt_authn, RBAC; filtered in Envoy to those), for the audit trail only.

How an attempt ended (`Outcome`): OK; a SERVER_FAULT that counts against the
replica (UNAVAILABLE, INTERNAL, UNKNOWN, DATA_LOSS, DEADLINE_EXCEEDED,
RESOURCE_EXHAUSTED, upstream resets, connection failures, per-try timeouts); or
CLIENT, which never does (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED,
UNAUTHENTICATED, FAILED_PRECONDITION, ALREADY_EXISTS, OUT_OF_RANGE, CANCELLED, a
caller that went away, and statuses that say nothing about the replica's health).

The service is lossy by design: Envoy drops entries when the stream backs up
(its stat `access_logs.grpc_access_log.logs_dropped`, which the control plane
reads from Envoy's admin page and exports); we count what arrives and what we
could not use.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import grpc
from envoy.data.accesslog.v3 import accesslog_pb2
from envoy.service.accesslog.v3 import als_pb2, als_pb2_grpc
from google.protobuf import duration_pb2

from mesh.balancing.observer import LatencyObserver
from mesh.metrics import ControlPlaneMetrics
from mesh.registry import EndpointKey
from services.runtime.load_report import LOAD_REPORT_HEADER

log = logging.getLogger(__name__)
audit = logging.getLogger("ragmesh.audit")

# Envoy's own refusals (jwt_authn 401, RBAC 403) never reach a service, so the services'
# audit trail would miss them: the access log is where they are written down.
# A gRPC client gets them as HTTP 200 with grpc-status 16/7 (trailers-only); others as 401/403.
_EDGE_DENIALS = {401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}
_GRPC_DENIALS = {16: "UNAUTHENTICATED", 7: "PERMISSION_DENIED"}

# The router's per-attempt log, and the connection manager's log of refusals.
UPSTREAM_LOG_NAME = "ragmesh-upstream"
EDGE_LOG_NAME = "ragmesh"

# Status codes that say the replica could not do its job. Client mistakes
# (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, ...) are not the replica's fault.
SERVER_FAULT_CODES = frozenset(
    {
        2,  # UNKNOWN
        4,  # DEADLINE_EXCEEDED
        8,  # RESOURCE_EXHAUSTED (shedding load)
        13,  # INTERNAL
        14,  # UNAVAILABLE
        15,  # DATA_LOSS
    }
)


class Outcome(enum.Enum):
    """How one upstream attempt ended, as far as the replica's standing goes."""

    OK = "ok"
    SERVER_FAULT = "server_fault"
    """Counts against the replica: its error ratio rises, its weight falls."""
    CLIENT = "client"
    """The caller's doing (or nobody's): never counts for or against the replica."""


@dataclass(frozen=True, slots=True)
class UpstreamSample:
    key: EndpointKey
    duration_s: float
    outcome: Outcome
    grpc_status: int | None
    load: LoadReport | None = None

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.SERVER_FAULT


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a replica says about its own load (see services/runtime/load_report.py)."""

    utilization: float
    """max(application_utilization, cpu_utilization)."""
    rps: float


def parse_load_report(raw: str) -> LoadReport | None:
    """ORCA's TEXT format; None when absent or unreadable (a report is a hint)."""
    body = raw.strip()
    if not body.startswith("TEXT "):
        return None
    values: dict[str, float] = {}
    for part in body[5:].split(","):
        name, _, value = part.strip().partition("=")
        try:
            values[name] = float(value)
        except ValueError:
            return None
    utilization = max(
        values.get("application_utilization", 0.0), values.get("cpu_utilization", 0.0)
    )
    if "rps_fractional" not in values:
        return None
    return LoadReport(utilization=utilization, rps=values["rps_fractional"])


class Unattributed(ValueError):
    """The entry names no upstream host (no route, no healthy upstream, overflow)."""


class Malformed(ValueError):
    """The entry lacks what a sample needs, or carries nonsense."""


def parse_entry(entry: accesslog_pb2.HTTPAccessLogEntry) -> UpstreamSample:
    """One access log entry -> one upstream sample, or Unattributed / Malformed."""
    common = entry.common_properties
    upstream = common.upstream_remote_address.socket_address
    if not common.upstream_cluster or not upstream.address or not upstream.port_value:
        raise Unattributed("no upstream host")
    key = EndpointKey(common.upstream_cluster, f"{upstream.address}:{upstream.port_value}")

    duration_s = _upstream_duration(common)
    if duration_s is None or duration_s < 0:
        raise Malformed("no usable timing")

    status = _grpc_status(entry.response)
    code = entry.response.response_code.value if entry.response.HasField("response_code") else 0
    outcome = classify(status, code, common.response_flags)
    raw_load = entry.response.response_trailers.get(LOAD_REPORT_HEADER)
    return UpstreamSample(
        key=key,
        duration_s=duration_s,
        outcome=outcome,
        grpc_status=status,
        load=parse_load_report(raw_load) if raw_load else None,
    )


def classify(
    grpc_status: int | None, http_code: int, flags: accesslog_pb2.ResponseFlags
) -> Outcome:
    """OK, the replica's fault, or not the replica's business (see the module docstring)."""
    if _upstream_failure(flags):
        return Outcome.SERVER_FAULT  # reset, refused, per-try timeout: whatever the status
    if grpc_status is not None:
        if grpc_status == 0:
            return Outcome.OK
        return Outcome.SERVER_FAULT if grpc_status in SERVER_FAULT_CODES else Outcome.CLIENT
    # No grpc-status at all: the upstream answered with a non-gRPC HTTP error, or the
    # attempt was cut short by the caller (or by Envoy, once another attempt won).
    if http_code >= 500:
        return Outcome.SERVER_FAULT
    return Outcome.CLIENT


def _upstream_duration(common: accesslog_pb2.AccessLogCommon) -> float | None:
    """Time the upstream spent: first byte sent upstream -> last byte received.

    That leaves out the downstream client and Envoy's own queueing. When the
    response never completed (reset, timeout), fall back to the whole request.
    """
    if common.HasField("time_to_last_upstream_rx_byte"):
        last = _seconds(common.time_to_last_upstream_rx_byte)
        if common.HasField("time_to_first_upstream_tx_byte"):
            return last - _seconds(common.time_to_first_upstream_tx_byte)
        return last
    if common.HasField("duration"):
        return _seconds(common.duration)
    if common.HasField("time_to_last_downstream_tx_byte"):
        return _seconds(common.time_to_last_downstream_tx_byte)
    return None


def _seconds(duration: duration_pb2.Duration) -> float:
    return duration.ToNanoseconds() / 1e9


def _grpc_status(response: accesslog_pb2.HTTPResponseProperties) -> int | None:
    raw = response.response_trailers.get("grpc-status") or response.response_headers.get(
        "grpc-status"
    )
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Malformed(f"grpc-status {raw!r}") from None


def _upstream_failure(flags: accesslog_pb2.ResponseFlags) -> bool:
    return bool(
        flags.upstream_request_timeout
        or flags.upstream_remote_reset
        or flags.upstream_connection_failure
        or flags.upstream_connection_termination
        or flags.upstream_protocol_error
        or flags.upstream_max_stream_duration_reached
    )


def audit_edge_denial(entry: accesslog_pb2.HTTPAccessLogEntry) -> None:
    """One audit line for a call Envoy itself refused (no upstream host: it never left)."""
    if entry.common_properties.upstream_remote_address.ByteSize():
        return
    code = _EDGE_DENIALS.get(entry.response.response_code.value)
    if code is None:
        try:
            code = _GRPC_DENIALS.get(_grpc_status(entry.response) or 0)
        except Malformed:
            return
    if code is None:
        return
    client = entry.common_properties.downstream_remote_address.socket_address
    audit.info(
        "%s DENIED at the edge: %s",
        entry.request.path,
        entry.response.response_code_details or code,
        extra={
            "audit": True,
            "method": entry.request.path,
            "code": code,
            "request_id": entry.request.request_id,
            "client": f"{client.address}:{client.port_value}" if client.address else "",
            "reason": entry.response.response_code_details,
        },
    )


class AccessLogReceiver(als_pb2_grpc.AccessLogServiceServicer):  # type: ignore[misc]
    def __init__(
        self,
        observer: LatencyObserver,
        metrics: ControlPlaneMetrics | None = None,
        on_sample: Callable[[UpstreamSample], None] | None = None,
    ) -> None:
        self._observer = observer
        self._metrics = metrics
        self._on_sample = on_sample
        self.counts: dict[str, int] = {
            "recorded": 0,
            "unattributed": 0,
            "intermediate": 0,
            "malformed": 0,
            "edge": 0,
        }

    async def StreamAccessLogs(
        self,
        request_iterator: AsyncIterator[als_pb2.StreamAccessLogsMessage],
        context: grpc.aio.ServicerContext[
            als_pb2.StreamAccessLogsMessage, als_pb2.StreamAccessLogsResponse
        ],
    ) -> als_pb2.StreamAccessLogsResponse:
        node, log_name = "", UPSTREAM_LOG_NAME
        async for message in request_iterator:
            if message.HasField("identifier"):
                node, log_name = message.identifier.node.id, message.identifier.log_name
                log.info("access log stream from %s (%s)", node, log_name)
            self.ingest(message, log_name)
        log.info("access log stream from %s closed", node or "?")
        return als_pb2.StreamAccessLogsResponse()

    def ingest(
        self, message: als_pb2.StreamAccessLogsMessage, log_name: str = UPSTREAM_LOG_NAME
    ) -> None:
        if message.HasField("identifier"):
            log_name = message.identifier.log_name
        upstream = log_name != EDGE_LOG_NAME
        for entry in message.http_logs.log_entry:
            if upstream:
                self._count(self._ingest_entry(entry))
            else:
                audit_edge_denial(entry)
                self._count("edge")

    def _ingest_entry(self, entry: accesslog_pb2.HTTPAccessLogEntry) -> str:
        if entry.common_properties.intermediate_log_entry:
            return "intermediate"  # a long stream's periodic entry: not a finished request
        try:
            sample = parse_entry(entry)
        except Unattributed:
            return "unattributed"
        except Malformed as error:
            log.debug("malformed access log entry: %s", error)
            return "malformed"
        self._observer.record(
            sample.key,
            sample.duration_s,
            sample.failed,
            client_error=sample.outcome is Outcome.CLIENT,
        )
        if sample.load is not None:
            self._observer.record_load(sample.key, sample.load.utilization, sample.load.rps)
        if self._on_sample is not None:
            self._on_sample(sample)
        return "recorded"

    def _count(self, outcome: str) -> None:
        self.counts[outcome] += 1
        if self._metrics is not None:
            self._metrics.access_log_entry(outcome)

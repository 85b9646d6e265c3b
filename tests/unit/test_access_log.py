"""Access log entries -> upstream samples -> observer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from envoy.data.accesslog.v3 import accesslog_pb2
from envoy.service.accesslog.v3 import als_pb2

from mesh.balancing.access_log import (
    EDGE_LOG_NAME,
    UPSTREAM_LOG_NAME,
    AccessLogReceiver,
    Malformed,
    Outcome,
    Unattributed,
    parse_entry,
)
from mesh.balancing.observer import LatencyObserver
from mesh.metrics import ControlPlaneMetrics
from mesh.registry import EndpointKey

KEY = EndpointKey("embedding", "127.0.0.1:50051")


def entry(
    *,
    cluster: str = "embedding",
    host: str = "127.0.0.1",
    port: int = 50051,
    first_tx_ms: float | None = 0.2,
    last_rx_ms: float | None = 3.2,
    duration_ms: float | None = None,
    code: int | None = 200,
    trailer_status: str | None = "0",
    header_status: str | None = None,
) -> accesslog_pb2.HTTPAccessLogEntry:
    e = accesslog_pb2.HTTPAccessLogEntry()
    common = e.common_properties
    if cluster:
        common.upstream_cluster = cluster
    if host:
        common.upstream_remote_address.socket_address.address = host
        common.upstream_remote_address.socket_address.port_value = port
    if first_tx_ms is not None:
        common.time_to_first_upstream_tx_byte.FromNanoseconds(round(first_tx_ms * 1e6))
    if last_rx_ms is not None:
        common.time_to_last_upstream_rx_byte.FromNanoseconds(round(last_rx_ms * 1e6))
    if duration_ms is not None:
        common.duration.FromNanoseconds(round(duration_ms * 1e6))
    if code is not None:
        e.response.response_code.value = code
    if trailer_status is not None:
        e.response.response_trailers["grpc-status"] = trailer_status
    if header_status is not None:
        e.response.response_headers["grpc-status"] = header_status
    return e


def test_a_successful_call() -> None:
    sample = parse_entry(entry())
    assert sample.key == KEY
    assert sample.duration_s == pytest.approx(0.003)  # upstream time only
    assert not sample.failed
    assert sample.grpc_status == 0


def test_trailers_only_errors_carry_the_status_in_headers() -> None:
    sample = parse_entry(entry(trailer_status=None, header_status="14"))
    assert sample.failed and sample.grpc_status == 14


def test_client_errors_are_not_the_replicas_fault() -> None:
    assert not parse_entry(entry(trailer_status="3")).failed  # INVALID_ARGUMENT
    assert not parse_entry(entry(trailer_status="5")).failed  # NOT_FOUND
    assert parse_entry(entry(trailer_status="13")).failed  # INTERNAL
    assert parse_entry(entry(trailer_status="4")).failed  # DEADLINE_EXCEEDED


@pytest.mark.parametrize(
    "status",
    [
        "1",  # CANCELLED (by the caller)
        "3",  # INVALID_ARGUMENT
        "5",  # NOT_FOUND
        "6",  # ALREADY_EXISTS
        "7",  # PERMISSION_DENIED
        "9",  # FAILED_PRECONDITION
        "11",  # OUT_OF_RANGE
        "16",  # UNAUTHENTICATED
    ],
)
def test_client_statuses_are_classified_client(status: str) -> None:
    assert parse_entry(entry(trailer_status=status)).outcome is Outcome.CLIENT
    assert parse_entry(entry(trailer_status=None, header_status=status)).outcome is Outcome.CLIENT


# UNKNOWN, INTERNAL, UNAVAILABLE, DATA_LOSS
@pytest.mark.parametrize("status", ["2", "13", "14", "15"])
def test_server_faults_are_classified_server(status: str) -> None:
    outcome = parse_entry(entry(trailer_status=None, header_status=status)).outcome
    assert outcome is Outcome.SERVER_FAULT


@pytest.mark.parametrize(
    "flag", ["upstream_remote_reset", "upstream_request_timeout", "upstream_connection_failure"]
)
def test_resets_and_per_try_timeouts_are_server_faults(flag: str) -> None:
    e = entry(first_tx_ms=None, last_rx_ms=None, duration_ms=300, code=None, trailer_status=None)
    setattr(e.common_properties.response_flags, flag, True)
    assert parse_entry(e).outcome is Outcome.SERVER_FAULT


def test_an_attempt_the_caller_abandoned_is_not_the_replicas_fault() -> None:
    e = entry(first_tx_ms=None, last_rx_ms=None, duration_ms=40, code=None, trailer_status=None)
    e.common_properties.response_flags.downstream_remote_reset = True
    assert parse_entry(e).outcome is Outcome.CLIENT


def test_client_statuses_never_lower_a_weight_in_the_observer() -> None:
    observer = LatencyObserver()
    receiver = AccessLogReceiver(observer)
    ok = als_pb2.StreamAccessLogsMessage()
    ok.http_logs.log_entry.extend([entry() for _ in range(5)])
    receiver.ingest(ok)
    before = observer.stats(KEY)
    client = als_pb2.StreamAccessLogsMessage()
    client.http_logs.log_entry.extend(
        [entry(trailer_status=None, header_status=s) for s in ("3", "5", "7", "16", "1")]
    )
    receiver.ingest(client)
    after = observer.stats(KEY)
    assert before is not None and after is not None
    assert after.error_ratio == before.error_ratio == 0.0
    assert after.latency_s == before.latency_s
    assert after.requests_total == before.requests_total == 5
    assert after.client_errors_total == 5


def test_a_broken_stream_without_status_fails_and_uses_the_whole_duration() -> None:
    sample = parse_entry(
        entry(first_tx_ms=None, last_rx_ms=None, duration_ms=15000, code=504, trailer_status=None)
    )
    assert sample.failed
    assert sample.duration_s == pytest.approx(15.0)


def test_entries_without_an_upstream_host_are_unattributed() -> None:
    with pytest.raises(Unattributed):
        parse_entry(entry(host=""))
    with pytest.raises(Unattributed):
        parse_entry(entry(cluster=""))


def test_malformed_entries() -> None:
    with pytest.raises(Malformed):
        parse_entry(entry(first_tx_ms=None, last_rx_ms=None))
    with pytest.raises(Malformed):
        parse_entry(entry(trailer_status="OK"))
    with pytest.raises(Malformed):
        parse_entry(entry(first_tx_ms=5, last_rx_ms=1))


def test_the_receiver_records_and_counts() -> None:
    observer = LatencyObserver()
    metrics = ControlPlaneMetrics()
    receiver = AccessLogReceiver(observer, metrics)
    message = als_pb2.StreamAccessLogsMessage()
    message.identifier.node.id = "envoy-a"
    intermediate = entry()
    intermediate.common_properties.intermediate_log_entry = True
    message.http_logs.log_entry.extend(
        [
            entry(),
            entry(header_status="14", trailer_status=None),
            entry(host=""),
            entry(last_rx_ms=None, first_tx_ms=None),
            intermediate,
        ]
    )
    receiver.ingest(message)
    assert receiver.counts == {
        "recorded": 2,
        "unattributed": 1,
        "intermediate": 1,
        "malformed": 1,
        "edge": 0,
    }
    stats = observer.stats(KEY)
    assert stats is not None
    assert stats.requests_total == 2 and stats.failures_total == 1
    assert stats.latency_s == pytest.approx(0.003)
    assert metrics.access_log_entries.labels("recorded")._value.get() == 2


async def test_the_stream_handler_consumes_every_message() -> None:
    observer = LatencyObserver()
    receiver = AccessLogReceiver(observer)

    async def messages() -> AsyncIterator[als_pb2.StreamAccessLogsMessage]:
        first = als_pb2.StreamAccessLogsMessage()
        first.identifier.log_name = UPSTREAM_LOG_NAME
        first.http_logs.log_entry.append(entry())
        yield first
        second = als_pb2.StreamAccessLogsMessage()
        second.http_logs.log_entry.append(entry(port=50052))
        yield second

    response = await receiver.StreamAccessLogs(messages(), None)  # type: ignore[arg-type]
    assert isinstance(response, als_pb2.StreamAccessLogsResponse)
    assert receiver.counts["recorded"] == 2
    assert len(observer.observed()) == 2


def test_calls_envoy_refused_leave_an_audit_line(caplog: pytest.LogCaptureFixture) -> None:
    receiver = AccessLogReceiver(LatencyObserver())
    # What a gRPC client gets: HTTP 200, grpc-status 7 in the (trailers-only) headers.
    refused = entry(cluster="", host="", code=200, trailer_status=None, header_status="7")
    refused.request.path = "/rag.v1.RagService/IngestDocument"
    refused.request.request_id = "req-1"
    refused.response.response_code_details = "rbac_access_denied_matched_policy[none]"
    refused.common_properties.downstream_remote_address.socket_address.address = "10.0.0.9"
    unauthenticated = entry(cluster="", host="", code=401, trailer_status=None)
    unauthenticated.request.path = "/rag.v1.RagService/Ask"
    served = entry()  # reached a replica: the replica writes its own audit line
    with caplog.at_level("INFO", logger="ragmesh.audit"):
        receiver.ingest(
            als_pb2.StreamAccessLogsMessage(
                http_logs=als_pb2.StreamAccessLogsMessage.HTTPAccessLogEntries(
                    log_entry=[refused, unauthenticated, served]
                )
            ),
            EDGE_LOG_NAME,
        )
    assert receiver.counts["edge"] == 3 and receiver.counts["recorded"] == 0
    lines = [r for r in caplog.records if r.name == "ragmesh.audit"]
    assert [(r.method, r.code) for r in lines] == [  # type: ignore[attr-defined]
        ("/rag.v1.RagService/IngestDocument", "PERMISSION_DENIED"),
        ("/rag.v1.RagService/Ask", "UNAUTHENTICATED"),
    ]
    assert lines[0].reason == "rbac_access_denied_matched_policy[none]"  # type: ignore[attr-defined]
    assert lines[0].request_id == "req-1"  # type: ignore[attr-defined]
    assert lines[0].client.startswith("10.0.0.9:")  # type: ignore[attr-defined]

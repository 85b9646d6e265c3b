"""Typed settings shared by every service process, read from ``RAGMESH_*`` environment variables.

Nothing is read at import time: call :meth:`RuntimeSettings.from_env` (or construct one
directly in tests) and pass it in.

| variable | default | meaning |
| --- | --- | --- |
| ``RAGMESH_HOST`` | ``127.0.0.1`` | address the gRPC server binds |
| ``RAGMESH_PORT`` | ``0`` | gRPC port; 0 picks a free one (printed at start) |
| ``RAGMESH_METRICS_PORT`` | ``0`` | Prometheus ``/metrics`` port; 0 picks a free one, -1 disables |
| ``RAGMESH_MAX_MESSAGE_BYTES`` | ``33554432`` | largest request or response message (32 MiB) |
| ``RAGMESH_MAX_CONCURRENT_RPCS`` | ``256`` | in-flight RPC limit; beyond it RESOURCE_EXHAUSTED |
| ``RAGMESH_GRACE_PERIOD_S`` | ``10`` | how long in-flight calls may finish after SIGTERM |
| ``RAGMESH_DRAIN_DELAY_S`` | ``0`` | NOT_SERVING this long before refusing calls (lets Envoy notice) |
| ``RAGMESH_ENVOY_ADDRESS`` | ``127.0.0.1:10000`` | where calls to other services go |
| ``RAGMESH_DEFAULT_DOWNSTREAM_TIMEOUT_S`` | ``30`` | timeout of a downstream call when the caller set no deadline |
| ``RAGMESH_REPLICA_ID`` | ``""`` | replica name used in logs |
| ``RAGMESH_LOG_LEVEL`` | ``INFO`` | logging level |
| ``RAGMESH_LOG_FORMAT`` | ``json`` | ``json`` (one object per line) or ``text`` |
| ``RAGMESH_TEST_ONLY_ADDED_LATENCY_MS`` | ``0`` | TEST ONLY: sleep this long in every call (benchmarks) |
| ``RAGMESH_TEST_ONLY_LATENCY_CONTROL`` | ``false`` | TEST ONLY: allow ``PUT /test-only/added-latency?ms=N`` on the metrics port |
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RuntimeSettings(BaseSettings):
    """How one service process serves: ports, limits, shutdown, logging, test-only knobs."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    metrics_port: int = Field(default=0, ge=-1, le=65535)
    max_message_bytes: int = Field(default=32 * 1024 * 1024, gt=0)
    max_concurrent_rpcs: int = Field(default=256, gt=0)
    grace_period_s: float = Field(default=10.0, ge=0)
    drain_delay_s: float = Field(default=0.0, ge=0)
    envoy_address: str = "127.0.0.1:10000"
    default_downstream_timeout_s: float = Field(default=30.0, gt=0)
    replica_id: str = ""
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    # Named "test_only" on purpose: these make a replica slow for mesh benchmarks and tests.
    test_only_added_latency_ms: float = Field(default=0.0, ge=0)
    test_only_latency_control: bool = False

    @classmethod
    def from_env(cls) -> RuntimeSettings:
        return cls()

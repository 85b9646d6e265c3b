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
| ``RAGMESH_REPLICA_ID`` | ``""`` | replica name used in logs (and registration) |
| ``RAGMESH_CONTROL_PLANE_ADDRESS`` | ``""`` | ``host:port`` of the control plane; when set, the replica registers itself there (lease, renewals, deregistration on shutdown) |
| ``RAGMESH_ADVERTISE_HOST`` | ``""`` | IP the control plane should send traffic to; default: ``RAGMESH_HOST``, or this host's address when that is a wildcard |
| ``RAGMESH_REGISTRATION_LEASE_S`` | ``15`` | registration lease (5-3600 s); renewed every third of it |
| ``RAGMESH_LOG_LEVEL`` | ``INFO`` | logging level |
| ``RAGMESH_LOG_FORMAT`` | ``json`` | ``json`` (one object per line) or ``text`` |
| ``RAGMESH_AUTH_MODE`` | ``disabled`` | ``keycloak``: every rag.v1 call needs a valid token with the RPC's role; ``disabled``: everyone is unrestricted (logged loudly) |
| ``RAGMESH_KEYCLOAK_URL`` | ``http://127.0.0.1:8180`` | Keycloak base URL (JWKS, service-account tokens) |
| ``RAGMESH_KEYCLOAK_REALM`` | ``ragmesh`` | realm whose tokens are accepted |
| ``RAGMESH_AUTH_ISSUER`` | ``<url>/realms/<realm>`` | the ``iss`` every token must carry |
| ``RAGMESH_AUTH_AUDIENCE`` | ``ragmesh`` | a value the token's ``aud`` must contain |
| ``RAGMESH_AUTH_JWKS_CACHE_S`` | ``60`` | how long signing keys are cached (an unknown ``kid`` refetches sooner) |
| ``RAGMESH_AUTH_CLOCK_SKEW_S`` | ``5`` | tolerance on ``exp``/``nbf`` |
| ``RAGMESH_WRITERS_MAY_GRANT_EVERYONE`` | ``false`` | a rag-writer may ingest a document with no ``access_groups`` (readable by everyone in the realm), and replace or delete one; off: only rag-admin may (services/runtime/grants.py) |
| ``RAGMESH_SERVICE_CLIENT_ID`` / ``..._SECRET`` | ``ragmesh-services`` / unset | confidential client for calls no user makes (registration, the indexer) |
| ``RAGMESH_OTLP_ENDPOINT`` | ``""`` (off) | ``HOST:PORT`` of an OTLP/gRPC trace collector (plaintext); unset: no spans, no cost (services/runtime/tracing.py) |
| ``RAGMESH_TRACE_SAMPLE_RATIO`` | ``1.0`` | share of traces this process starts that are kept; a caller's (Envoy's) decision always wins |
| ``RAGMESH_TRACE_EXPORT_INTERVAL_MS`` | ``1000`` | how often buffered spans are sent to the collector |
| ``RAGMESH_OTLP_TIMEOUT_S`` | ``5`` | limit on one export (spans are dropped, never calls slowed, when the collector is down) |
| ``RAGMESH_LOAD_REPORTS`` | ``true`` | put this replica's load (calls in flight, CPU, rate) in every response's ``endpoint-load-metrics`` trailer (services/runtime/load_report.py) |
| ``RAGMESH_TEST_ONLY_ADDED_LATENCY_MS`` | ``0`` | TEST ONLY: sleep this long in every call (benchmarks) |
| ``RAGMESH_TEST_ONLY_LATENCY_CONTROL`` | ``false`` | TEST ONLY: allow ``PUT /test-only/added-latency?ms=N`` and ``PUT /test-only/failure?code=N`` on the metrics port |
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
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
    # Self-registration (services/runtime/registration.py) for replicas no supervisor starts.
    control_plane_address: str = ""
    advertise_host: str = ""
    registration_lease_s: float = Field(default=15.0, ge=5, le=3600)
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    # Identity (services/runtime/auth.py). Disabled by default so a bare process is easy to
    # poke at; `ragmesh up` turns it on unless told --no-auth.
    auth_mode: Literal["keycloak", "disabled"] = "disabled"
    keycloak_url: str = "http://127.0.0.1:8180"
    keycloak_realm: str = "ragmesh"
    auth_issuer: str = ""
    auth_audience: str = "ragmesh"
    auth_jwks_cache_s: float = Field(default=60.0, gt=0)
    auth_clock_skew_s: float = Field(default=5.0, ge=0, le=300)
    # Who may grant "everyone" (services/runtime/grants.py); a group is always the writer's own.
    writers_may_grant_everyone: bool = False
    service_client_id: str = "ragmesh-services"
    service_client_secret: SecretStr = SecretStr("")
    # Tracing (services/runtime/tracing.py): off unless a collector is named.
    otlp_endpoint: str = ""
    trace_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    trace_export_interval_ms: float = Field(default=1000.0, gt=0)
    otlp_timeout_s: float = Field(default=5.0, gt=0, le=60)
    # ORCA-style load reports in response trailers, for the `utilization` strategy.
    load_reports: bool = True
    # Named "test_only" on purpose: these make a replica slow for mesh benchmarks and tests.
    test_only_added_latency_ms: float = Field(default=0.0, ge=0)
    test_only_latency_control: bool = False

    @field_validator("otlp_endpoint")
    @classmethod
    def _otlp_endpoint_is_host_port(cls, value: str) -> str:
        if value:
            parse_otlp_endpoint(value)  # raises with a message naming the expected form
        return value

    @property
    def auth_enabled(self) -> bool:
        return self.auth_mode == "keycloak"

    @property
    def issuer(self) -> str:
        return self.auth_issuer or f"{self.keycloak_url.rstrip('/')}/realms/{self.keycloak_realm}"

    @classmethod
    def from_env(cls) -> RuntimeSettings:
        return cls()


def parse_otlp_endpoint(endpoint: str) -> tuple[str, int]:
    """``HOST:PORT`` (optionally ``http://HOST:PORT``, IPv6 as ``[::1]:PORT``) -> host, port."""
    rest = endpoint.strip()
    for scheme in ("http://", "grpc://"):
        rest = rest.removeprefix(scheme)
    rest = rest.rstrip("/")
    host, sep, port_text = rest.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(
            f"OTLP endpoint {endpoint!r} is not HOST:PORT (e.g. 127.0.0.1:4317); "
            "https:// is not supported: the exporter speaks plaintext gRPC"
        )
    return host, int(port_text)

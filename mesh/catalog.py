"""The static service catalog: which rag.v1 services exist and how Envoy treats them.

One entry per service: its Envoy cluster name, its route timeout, which unary
methods are safe to retry, and which methods stream (never retried: Envoy can
only retry before the first response byte, and a client may already have acted
on streamed messages). Idempotency comes from each RPC's contract comment in
protos/rag/v1/*.proto; `tests/unit/test_catalog.py` checks the table against the
generated descriptors, so a renamed or added RPC fails a test instead of
silently losing its retry policy.

To add a method: put its name in `idempotent` (contract says read-only,
deterministic, or idempotent by key), `streaming` (any streaming side), or
`other` (a write that must not be replayed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

PACKAGE = "rag.v1"


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str
    """Fully qualified gRPC service name, e.g. "rag.v1.EmbeddingService"."""
    cluster: str
    """Envoy cluster, snake_case, e.g. "embedding"."""
    timeout_s: float
    """Route timeout: the whole call including retries (and the whole stream)."""
    idempotent: frozenset[str] = field(default_factory=frozenset)
    """Unary methods retried on UNAVAILABLE / connection failure."""
    streaming: frozenset[str] = field(default_factory=frozenset)
    other: frozenset[str] = field(default_factory=frozenset)
    module: str = ""
    """``python -m MODULE`` runs one replica; empty for the control plane's own service."""
    replicas: int | None = None
    """A fixed replica count (one SQLite file: one replica); None: ``ragmesh up --replicas``."""
    start: int = 0
    """Start order for ``ragmesh up``, lower first: a service starts after those it calls
    at start-up or on its first requests."""

    def __post_init__(self) -> None:
        overlap = (
            (self.idempotent & self.streaming)
            | (self.idempotent & self.other)
            | (self.streaming & self.other)
        )
        if overlap:
            raise ValueError(f"{self.name}: methods listed twice: {sorted(overlap)}")

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def path_prefix(self) -> str:
        return f"/{self.name}/"

    @property
    def methods(self) -> frozenset[str]:
        return self.idempotent | self.streaming | self.other

    def method_path(self, method: str) -> str:
        return f"/{self.name}/{method}"


@dataclass(frozen=True, slots=True)
class Catalog:
    services: tuple[ServiceSpec, ...]

    def __post_init__(self) -> None:
        names = [s.name for s in self.services]
        clusters = [s.cluster for s in self.services]
        if len(set(names)) != len(names) or len(set(clusters)) != len(clusters):
            raise ValueError("service names and cluster names must be unique")

    def __iter__(self) -> Iterator[ServiceSpec]:
        return iter(self.services)

    def by_name(self, name: str) -> ServiceSpec:
        """Look up by full ("rag.v1.EmbeddingService") or short ("EmbeddingService") name."""
        for spec in self.services:
            if name in (spec.name, spec.short_name):
                return spec
        raise KeyError(f"unknown service {name!r}")

    def by_cluster(self, cluster: str) -> ServiceSpec:
        for spec in self.services:
            if spec.cluster == cluster:
                return spec
        raise KeyError(f"unknown cluster {cluster!r}")

    def launchable(self) -> list[ServiceSpec]:
        """The services ``ragmesh up`` runs replicas of, in start order."""
        return sorted((s for s in self.services if s.module), key=lambda s: s.start)

    def subset(self, names: Iterable[str]) -> Catalog:
        wanted = {self.by_name(n).name for n in names}
        return Catalog(tuple(s for s in self.services if s.name in wanted))


def _spec(
    short: str,
    cluster: str,
    timeout_s: float,
    *,
    idempotent: Iterable[str] = (),
    streaming: Iterable[str] = (),
    other: Iterable[str] = (),
    module: str = "",
    replicas: int | None = None,
    start: int = 0,
) -> ServiceSpec:
    return ServiceSpec(
        name=f"{PACKAGE}.{short}",
        cluster=cluster,
        timeout_s=timeout_s,
        idempotent=frozenset(idempotent),
        streaming=frozenset(streaming),
        other=frozenset(other),
        module=module,
        replicas=replicas,
        start=start,
    )


# Timeouts: generous where a model runs (generation, agent, OCR), tight where a
# call should be milliseconds (embedding a query, a vector search).
CATALOG = Catalog(
    (
        _spec(
            "DocumentProcessorService",
            "document_processor",
            30.0,
            module="services.document_processor",
            start=2,
            # Nothing is stored: same input, same chunks.
            idempotent=["ProcessDocument", "ParseDocument", "ChunkText"],
        ),
        _spec(
            "EmbeddingService",
            "embedding",
            10.0,
            module="services.embedding",
            start=0,
            idempotent=["Embed", "GetModel"],
        ),
        _spec(
            "VectorStoreService",
            "vector_store",
            10.0,
            module="services.vector_store",
            start=3,
            idempotent=[
                "UpsertDocument",  # replaces the document's chunks as a unit
                "BatchUpsertDocuments",  # each document as UpsertDocument
                "GetDocument",
                "BatchGetDocuments",
                "ListDocuments",
                "ListChunks",
                "CountChunks",
                "SearchChunks",
            ],
            # A replay after a successful delete answers NOT_FOUND (unless allow_missing).
            other=["DeleteDocument"],
        ),
        _spec(
            "QueryEnhancementService",
            "query_enhancement",
            30.0,
            module="services.query_enhancement",
            start=5,
            idempotent=["EnhanceQuery"],
        ),
        _spec(
            "GenerationService",
            "generation",
            120.0,
            module="services.generation",
            start=4,
            # No side effects; a retry may word the answer differently.
            idempotent=["Generate", "GenerateHypotheticalDocument"],
            streaming=["GenerateStream"],
        ),
        _spec(
            "RagService",
            "rag",
            120.0,
            module="services.gateway",
            start=8,
            idempotent=[
                "Ask",
                "IngestDocument",  # replaces the document atomically
                "BatchIngestDocuments",
                "GetDocument",
                "ListDocuments",
            ],
            streaming=["AskStream", "IngestDocumentStream"],
            other=["DeleteDocument"],
        ),
        _spec(
            "EvaluationService",
            "evaluation",
            300.0,
            # Before the gateway, which asks it for A/B variants and sends it answers to score.
            module="services.evaluation",
            start=6,
            idempotent=[
                "EvaluateRetrieval",  # read-only
                "ScoreAnswer",
                "GetExperiment",
                "ListExperiments",
                "UpdateExperimentState",  # the current state again succeeds unchanged
                "AssignVariant",  # a deterministic hash
                "RecordOutcome",  # idempotent per outcome_id
                "GetExperimentResults",
            ],
            # Create: a replay fails with ALREADY_EXISTS; Update: last writer wins;
            # Delete: a replay answers NOT_FOUND.
            other=["CreateExperiment", "UpdateExperiment", "DeleteExperiment"],
        ),
        _spec(
            "GraphService",
            "graph",
            30.0,
            # One replica: the graph is one SQLite file.
            module="services.graph",
            replicas=1,
            start=7,
            idempotent=[
                "IndexChunks",  # facts keyed by chunk id
                "DeleteDocumentGraph",  # deleting nothing succeeds with zero counts
                "ExtractEntities",
                "TraverseGraph",
                "GetEntity",
                "ListEntities",
                "ListRelations",
            ],
        ),
        _spec(
            "AgentService",
            "agent",
            120.0,
            # Calls the store, generation, evaluation, enhancement and graph; serves none of them.
            module="services.agent",
            start=10,
            idempotent=["RunAgent"],
            streaming=["RunAgentStream"],
        ),
        _spec(
            "MultiModalService",
            "multi_modal",
            120.0,
            # Before the processor, which routes images, tables and scanned PDFs to it.
            module="services.multi_modal",
            start=1,
            idempotent=["ExtractContent", "ListSupportedTypes"],
        ),
        _spec(
            "IndexerService",
            "indexer",
            30.0,
            # One replica: its durable queues are one SQLite file; it applies changes via the gateway.
            module="services.indexer",
            replicas=1,
            start=9,
            idempotent=[
                "NotifyChange",  # the idempotency key is required
                "GetChange",
                "GetIndexerStatus",
                "GetSource",
                "ListSources",
                "ListDeadLetters",
            ],
            # Replays answer ALREADY_EXISTS / NOT_FOUND after a success.
            other=["CreateSource", "DeleteSource", "RetryDeadLetter", "PurgeDeadLetter"],
        ),
        _spec(
            "MeshControlService",
            "mesh_control",
            10.0,
            idempotent=[
                "ListEndpoints",
                "GetEndpoint",
                "DrainEndpoint",
                "UndrainEndpoint",
                "SetWeightOverride",
                "ClearWeightOverride",
                "RegisterEndpoint",
                "GetMeshStatus",
            ],
            other=["DeregisterEndpoint"],
        ),
    )
)

# grpcio-reflection serves v1alpha (grpcurl falls back to it) and newer servers v1.
REFLECTION_SERVICES = (
    "grpc.reflection.v1alpha.ServerReflection",
    "grpc.reflection.v1.ServerReflection",
)

"""`ragmesh eval` and `ragmesh experiment`: offline retrieval evaluation and A/B experiments.

ragmesh eval ../shared/data/scifact [--split test] [--k 10,100] [--enhance prf]
    evaluates the deployment's retrieval on a local BEIR folder (queries and qrels are sent
    with the request; the corpus must already be indexed under its BEIR ids, which
    `--ingest-corpus` does first). `--server-dataset` names a folder under the server's
    datasets root instead.
ragmesh experiment create ID --variant control=50 --variant prf=50,enhance=prf
ragmesh experiment list | get ID | start ID | pause ID | stop ID | delete ID
ragmesh experiment results ID [--test bootstrap] [--alpha 0.05]

A variant is NAME=WEIGHT followed by optional ,key=value pairs: mode (hybrid, dense,
keyword), dense_weight, keyword_weight, top_k, enhance (prf, multi_query, hyde joined
with '+'), graph (true/false).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc

from rag.v1 import (
    common_pb2,
    evaluation_pb2,
    evaluation_pb2_grpc,
    query_enhancement_pb2,
    rag_pb2,
    rag_pb2_grpc,
)
from services.evaluation.labeled_sets import beir_set
from services.runtime.errors import DomainError

Metadata = tuple[tuple[str, str], ...]
STRATEGIES = {
    "prf": query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK,
    "multi_query": query_enhancement_pb2.ENHANCEMENT_STRATEGY_MULTI_QUERY,
    "hyde": query_enhancement_pb2.ENHANCEMENT_STRATEGY_HYDE,
}
MODES = {
    "hybrid": common_pb2.RETRIEVAL_MODE_HYBRID,
    "dense": common_pb2.RETRIEVAL_MODE_DENSE,
    "keyword": common_pb2.RETRIEVAL_MODE_KEYWORD,
}
STATES = {
    "start": evaluation_pb2.EXPERIMENT_STATE_RUNNING,
    "pause": evaluation_pb2.EXPERIMENT_STATE_PAUSED,
    "stop": evaluation_pb2.EXPERIMENT_STATE_STOPPED,
}
INGEST_BATCH = 32
INGEST_IN_FLIGHT = 2


def add_commands(commands: Any, default_address: str) -> None:
    """Register `eval` and `experiment` on the `ragmesh` subcommand parser."""
    ev = commands.add_parser("eval", help="evaluate retrieval on a BEIR labelled set")
    ev.add_argument("dataset", help="local BEIR folder (or a server dataset name)")
    ev.add_argument("--address", default=default_address)
    ev.add_argument("--split", default="test")
    ev.add_argument("--k", default="10,100", help="cutoffs, comma-separated (default 10,100)")
    ev.add_argument("--max-queries", type=int, default=0, help="first N query ids (0 = all)")
    ev.add_argument("--mode", choices=sorted(MODES), default=None)
    ev.add_argument("--dense-weight", type=float, default=0.0)
    ev.add_argument("--keyword-weight", type=float, default=0.0)
    ev.add_argument("--enhance", default="", help="strategies: prf,multi_query,hyde")
    ev.add_argument("--graph", action="store_true", help="add graph expansion")
    ev.add_argument(
        "--server-dataset", action="store_true", help="DATASET is under the server's root"
    )
    ev.add_argument(
        "--ingest-corpus", action="store_true", help="ingest corpus.jsonl(.gz) first (BEIR ids)"
    )
    ev.add_argument("--per-query", action="store_true", help="print every query's metrics")
    ev.add_argument("--timeout", type=float, default=3600.0, help="call deadline in seconds")

    ex = commands.add_parser("experiment", help="create, inspect and run A/B experiments")
    ex.add_argument("--address", default=default_address)
    actions = ex.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a draft experiment")
    create.add_argument("experiment_id")
    create.add_argument("--variant", action="append", required=True, help="NAME=WEIGHT[,k=v]")
    create.add_argument("--control", default="", help="control variant (default: the first)")
    create.add_argument("--name", default="", help="display name")
    create.add_argument("--description", default="")
    actions.add_parser("list", help="list experiments, newest first")
    for action in ("get", "start", "pause", "stop", "delete"):
        actions.add_parser(action, help=f"{action} an experiment").add_argument("experiment_id")
    results = actions.add_parser("results", help="per-variant metrics and significance")
    results.add_argument("experiment_id")
    results.add_argument("--test", choices=("welch", "bootstrap"), default="welch")
    results.add_argument("--alpha", type=float, default=0.05)


async def run(args: argparse.Namespace, metadata: Metadata) -> int:
    try:
        async with grpc.aio.insecure_channel(args.address) as channel:
            stub = evaluation_pb2_grpc.EvaluationServiceStub(channel)
            if args.command == "eval":
                if args.ingest_corpus:
                    await _ingest_corpus(channel, Path(args.dataset), metadata)
                return await _evaluate(stub, args, metadata)
            return await _experiment(stub, args, metadata)
    except (ValueError, DomainError) as exc:
        raise SystemExit(f"error: {exc}") from None


# ---- eval ---------------------------------------------------------------------------------


def retrieval_config(
    mode: str | None,
    dense_weight: float,
    keyword_weight: float,
    enhance: str,
    graph: bool,
    top_k: int = 0,
) -> evaluation_pb2.RetrievalConfig:
    strategies = []
    for name in filter(None, (s.strip() for s in enhance.replace("+", ",").split(","))):
        if name not in STRATEGIES:
            raise ValueError(f"unknown enhancement {name!r}; use {', '.join(STRATEGIES)}")
        strategies.append(STRATEGIES[name])
    return evaluation_pb2.RetrievalConfig(
        retrieval=common_pb2.RetrievalOptions(
            mode=MODES[mode] if mode else common_pb2.RETRIEVAL_MODE_UNSPECIFIED,
            dense_weight=dense_weight,
            keyword_weight=keyword_weight,
            top_k=top_k,
        ),
        enhancement_strategies=strategies,
        use_graph=graph,
    )


def evaluation_request(args: argparse.Namespace) -> evaluation_pb2.EvaluateRetrievalRequest:
    request = evaluation_pb2.EvaluateRetrievalRequest(
        config=retrieval_config(
            args.mode, args.dense_weight, args.keyword_weight, args.enhance, args.graph
        ),
        k_values=[int(k) for k in args.k.split(",") if k.strip()],
        max_queries=args.max_queries,
    )
    if args.server_dataset:
        request.beir_dataset.CopyFrom(
            evaluation_pb2.BeirDataset(path=args.dataset, split=args.split)
        )
        return request
    folder = Path(args.dataset)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder (a BEIR dataset: queries.jsonl, qrels/)")
    labeled = beir_set(folder, args.split, 10_000)
    request.inline_set.queries.extend(
        evaluation_pb2.LabeledQuery(id=q, text=t) for q, t in labeled.queries.items()
    )
    request.inline_set.judgments.extend(
        evaluation_pb2.RelevanceJudgment(query_id=q, document_id=d, relevance=r)
        for q, judged in labeled.judgments.items()
        for d, r in judged.items()
    )
    return request


async def _evaluate(
    stub: evaluation_pb2_grpc.EvaluationServiceStub, args: argparse.Namespace, metadata: Metadata
) -> int:
    response = await stub.EvaluateRetrieval(
        evaluation_request(args), timeout=args.timeout, metadata=metadata
    )
    if args.per_query:
        for q in response.query_metrics:
            cells = "  ".join(f"nDCG@{m.k} {m.ndcg:.3f}" for m in q.metrics)
            print(f"  {q.query_id:<12} first relevant #{q.first_relevant_rank:<3} {cells}")
    print(
        f"{args.dataset} ({args.split}): {response.evaluated_query_count} queries evaluated, "
        f"{response.skipped_query_count} skipped (nothing relevant), "
        f"{response.total_query_count} in the set"
    )
    print(f"{'k':>4}  {'nDCG':>6}  {'recall':>6}  {'MRR':>6}")
    for m in response.metrics:
        print(f"{m.k:>4}  {m.ndcg:6.4f}  {m.recall:6.4f}  {m.mrr:6.4f}")
    p50 = response.latency_p50.ToTimedelta().total_seconds() * 1000
    p95 = response.latency_p95.ToTimedelta().total_seconds() * 1000
    print(f"per-query pipeline latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    return 0


def _corpus_rows(folder: Path) -> Iterator[dict[str, Any]]:
    plain, packed = folder / "corpus.jsonl", folder / "corpus.jsonl.gz"
    if not plain.is_file() and not packed.is_file():
        raise ValueError(f"{folder} has no corpus.jsonl or corpus.jsonl.gz")
    with (
        plain.open(encoding="utf-8")
        if plain.is_file()
        else gzip.open(packed, "rt", encoding="utf-8")
    ) as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


async def _ingest_corpus(channel: grpc.aio.Channel, folder: Path, metadata: Metadata) -> None:
    """Send the corpus in batches, INGEST_IN_FLIGHT at a time: the gateway ingests a batch's
    documents concurrently, and a second batch keeps the pipeline busy while the slowest
    documents of the first finish (one batch at a time left the embedding service idle)."""
    stub = rag_pb2_grpc.RagServiceStub(channel)
    done = failed = 0

    def batches() -> Iterator[list[common_pb2.Document]]:
        batch: list[common_pb2.Document] = []
        for row in _corpus_rows(folder):
            batch.append(
                common_pb2.Document(
                    id=str(row["_id"]),
                    title=row.get("title", ""),
                    content=row["text"].encode("utf-8"),
                    content_type="text/plain",
                    source=str(folder / "corpus"),
                )
            )
            if len(batch) == INGEST_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    pending = batches()

    async def lane() -> None:
        nonlocal done, failed
        for batch in pending:  # lanes share the one generator: each batch is sent once
            response = await stub.BatchIngestDocuments(
                rag_pb2.BatchIngestDocumentsRequest(documents=batch),
                timeout=600,
                metadata=metadata,
            )
            failed += sum(r.HasField("error") for r in response.results)
            done += len(batch)
            print(f"  ingested {done} documents ({failed} failed)", flush=True)

    lanes = [asyncio.ensure_future(lane()) for _ in range(INGEST_IN_FLIGHT)]
    try:
        await asyncio.gather(*lanes)
    finally:
        for task in lanes:
            task.cancel()


# ---- experiment ---------------------------------------------------------------------------


def parse_variant(spec: str) -> evaluation_pb2.Variant:
    head, *pairs = spec.split(",")
    name, sep, weight = head.partition("=")
    if not sep or not weight.strip().isdigit():
        raise ValueError(f"variant {spec!r}: expected NAME=WEIGHT[,key=value...]")
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"variant {spec!r}: {pair!r} is not key=value")
        options[key.strip()] = value.strip()
    unknown = set(options) - {"mode", "dense_weight", "keyword_weight", "top_k", "enhance", "graph"}
    if unknown:
        raise ValueError(f"variant {spec!r}: unknown keys {sorted(unknown)}")
    if options.get("mode") and options["mode"] not in MODES:
        raise ValueError(f"variant {spec!r}: mode must be one of {sorted(MODES)}")
    variant = evaluation_pb2.Variant(name=name.strip(), traffic_weight=int(weight))
    if options:
        variant.config.CopyFrom(
            retrieval_config(
                options.get("mode"),
                float(options.get("dense_weight", 0)),
                float(options.get("keyword_weight", 0)),
                options.get("enhance", ""),
                options.get("graph", "false").lower() in ("1", "true", "yes"),
                int(options.get("top_k", 0)),
            )
        )
    return variant


def describe(experiment: evaluation_pb2.Experiment) -> str:
    state = evaluation_pb2.ExperimentState.Name(experiment.state).removeprefix("EXPERIMENT_STATE_")
    lines = [f"{experiment.id}  {state}  {experiment.display_name}".rstrip()]
    for v in experiment.variants:
        control = " (control)" if v.name == experiment.control_variant else ""
        config = _config_text(v.config) if v.HasField("config") else "no change"
        lines.append(f"  {v.name}{control}: weight {v.traffic_weight}; {config}")
    return "\n".join(lines)


def _config_text(config: evaluation_pb2.RetrievalConfig) -> str:
    parts = []
    r = config.retrieval
    if r.mode:
        parts.append(
            f"mode {common_pb2.RetrievalMode.Name(r.mode).removeprefix('RETRIEVAL_MODE_').lower()}"
        )
    if r.dense_weight:
        parts.append(f"dense_weight {r.dense_weight:g}")
    if r.keyword_weight:
        parts.append(f"keyword_weight {r.keyword_weight:g}")
    if r.top_k:
        parts.append(f"top_k {r.top_k}")
    names = {v: k for k, v in STRATEGIES.items()}
    if config.enhancement_strategies:
        parts.append("enhance " + "+".join(names[s] for s in config.enhancement_strategies))
    if config.use_graph:
        parts.append("graph")
    return ", ".join(parts) or "no change"


def _interval(low: float, high: float) -> str:
    if math.isinf(low) or math.isinf(high):
        return "[-inf, inf]"
    return f"[{low:+.4f}, {high:+.4f}]"


async def _experiment(
    stub: evaluation_pb2_grpc.EvaluationServiceStub, args: argparse.Namespace, metadata: Metadata
) -> int:
    action = args.action
    if action == "create":
        response = await stub.CreateExperiment(
            evaluation_pb2.CreateExperimentRequest(
                experiment_id=args.experiment_id,
                experiment=evaluation_pb2.Experiment(
                    display_name=args.name,
                    description=args.description,
                    variants=[parse_variant(v) for v in args.variant],
                    control_variant=args.control,
                ),
            ),
            timeout=10,
            metadata=metadata,
        )
        print(describe(response.experiment))
    elif action == "list":
        token = ""
        while True:
            page = await stub.ListExperiments(
                evaluation_pb2.ListExperimentsRequest(page_size=100, page_token=token),
                timeout=10,
                metadata=metadata,
            )
            for experiment in page.experiments:
                print(describe(experiment))
            token = page.next_page_token
            if not token:
                break
    elif action == "get":
        got = await stub.GetExperiment(
            evaluation_pb2.GetExperimentRequest(experiment_id=args.experiment_id),
            timeout=10,
            metadata=metadata,
        )
        print(describe(got.experiment))
    elif action in STATES:
        changed = await stub.UpdateExperimentState(
            evaluation_pb2.UpdateExperimentStateRequest(
                experiment_id=args.experiment_id, state=STATES[action]
            ),
            timeout=10,
            metadata=metadata,
        )
        print(describe(changed.experiment))
    elif action == "delete":
        deleted = await stub.DeleteExperiment(
            evaluation_pb2.DeleteExperimentRequest(experiment_id=args.experiment_id),
            timeout=10,
            metadata=metadata,
        )
        print(f"deleted {deleted.experiment_id} with {deleted.deleted_outcome_count} outcomes")
    elif action == "results":
        test = (
            evaluation_pb2.SIGNIFICANCE_TEST_BOOTSTRAP
            if args.test == "bootstrap"
            else evaluation_pb2.SIGNIFICANCE_TEST_WELCH_T
        )
        reply = await stub.GetExperimentResults(
            evaluation_pb2.GetExperimentResultsRequest(
                experiment_id=args.experiment_id, alpha=args.alpha, test=test
            ),
            timeout=120,
            metadata=metadata,
        )
        print_results(reply.results)
    return 0


def print_results(results: evaluation_pb2.ExperimentResults) -> None:
    test = evaluation_pb2.SignificanceTest.Name(results.test).removeprefix("SIGNIFICANCE_TEST_")
    print(f"{results.experiment_id}: alpha {results.alpha:g}, test {test.lower()}")
    enrolled = ", ".join(
        f"{e.variant} {e.enrolled_subject_count} ({e.observed_share:.0%} vs {e.expected_share:.0%})"
        for e in results.enrollments
    )
    print(f"enrolled: {enrolled}; sample-ratio p {results.sample_ratio_mismatch_p_value:.3g}")
    for metric in results.metric_results:
        print(f"\n{metric.metric_name}")
        for v in metric.variants:
            print(
                f"  {v.variant:<16} n {v.subject_count:>5}  mean {v.mean:.4f}  "
                f"CI {_interval(v.ci_lower, v.ci_upper)}"
            )
        for c in metric.comparisons:
            verdict = (
                "insufficient data"
                if c.insufficient_data
                else ("SIGNIFICANT" if c.significant else "no significant difference")
            )
            print(
                f"  {c.variant} - {c.control_variant}: {c.difference:+.4f} "
                f"({c.relative_difference:+.1%}) CI {_interval(c.ci_lower, c.ci_upper)} "
                f"p {c.p_value:.4f}: {verdict}"
            )

"""`ragmesh eval` / `ragmesh experiment` argument handling (no server needed)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from rag.v1 import common_pb2, query_enhancement_pb2
from ragmesh.evaluation import evaluation_request, parse_variant


def test_variant_specs() -> None:
    plain = parse_variant("control=50")
    assert (plain.name, plain.traffic_weight, plain.HasField("config")) == ("control", 50, False)
    tuned = parse_variant("prf=25,enhance=prf+multi_query,keyword_weight=1.5,mode=hybrid,graph=1")
    assert list(tuned.config.enhancement_strategies) == [
        query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK,
        query_enhancement_pb2.ENHANCEMENT_STRATEGY_MULTI_QUERY,
    ]
    assert tuned.config.retrieval.keyword_weight == 1.5
    assert tuned.config.retrieval.mode == common_pb2.RETRIEVAL_MODE_HYBRID
    assert tuned.config.use_graph
    for bad in ("control", "a=x", "a=1,colour=red", "a=1,enhance=magic", "a=1,mode=fast"):
        with pytest.raises(ValueError):
            parse_variant(bad)


def test_local_beir_folder_is_sent_inline(tmp_path: Path) -> None:
    (tmp_path / "qrels").mkdir()
    (tmp_path / "queries.jsonl").write_text(json.dumps({"_id": "7", "text": "a claim"}) + "\n")
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n7\td1\t1\n")
    args = argparse.Namespace(
        dataset=str(tmp_path), split="test", k="5,10", max_queries=0, mode="dense",
        dense_weight=0.0, keyword_weight=0.0, enhance="prf", graph=False, server_dataset=False,
    )  # fmt: skip
    request = evaluation_request(args)
    assert [(q.id, q.text) for q in request.inline_set.queries] == [("7", "a claim")]
    assert request.inline_set.judgments[0].document_id == "d1"
    assert list(request.k_values) == [5, 10]
    assert request.config.retrieval.mode == common_pb2.RETRIEVAL_MODE_DENSE
    args.server_dataset = True
    args.dataset = "scifact"
    remote = evaluation_request(args)
    assert remote.WhichOneof("labeled_set") == "beir_dataset"
    assert remote.beir_dataset.path == "scifact"

"""SciFact (BEIR layout) for retrieval benchmarks: loading and an embedding cache.

Rankings are scored by services/evaluation/retrieval_metrics.py, the one implementation of
nDCG/recall/MRR that EvaluationService uses too.

The cache lives under ``.bench-cache/embeddings/`` and is keyed by the model id and the
SHA-256 of every text in the set, so a changed text, model or order never reuses stale
vectors. Benchmarks only: tests always embed what they need.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

CACHE_DIR = Path(".bench-cache") / "embeddings"


@dataclass(frozen=True)
class CorpusDoc:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class SciFact:
    corpus: list[CorpusDoc]
    queries: dict[str, str]
    qrels: dict[str, dict[str, dict[str, int]]]  # split -> query id -> doc id -> relevance


def load(dataset: Path) -> SciFact:
    corpus: list[CorpusDoc] = []
    with gzip.open(dataset / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            corpus.append(CorpusDoc(str(row["_id"]), row.get("title", ""), row["text"]))
    queries: dict[str, str] = {}
    with (dataset / "queries.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            queries[str(row["_id"])] = row["text"]
    qrels: dict[str, dict[str, dict[str, int]]] = {}
    for split in ("train", "test"):
        judged: dict[str, dict[str, int]] = {}
        with (dataset / "qrels" / f"{split}.tsv").open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter="\t")
            next(reader)
            for query_id, doc_id, score in reader:
                judged.setdefault(query_id, {})[doc_id] = int(score)
        qrels[split] = judged
    return SciFact(corpus, queries, qrels)


def _slug(model_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", model_id)


def _text_digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def cached_embeddings(
    model_id: str,
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], npt.NDArray[np.float32]],
    label: str,
) -> npt.NDArray[np.float32]:
    """Vectors for ``texts``: a cached set, else rows of any cached set, else encoded.

    Each set is stored with a sidecar of its texts' digests, so a subset (``--quick``) or a
    reordering reuses vectors already computed for other sets.
    """
    digests = [_text_digest(t) for t in texts]
    folder = CACHE_DIR / _slug(model_id)
    set_digest = hashlib.sha256(b"".join(digests)).hexdigest()[:24]
    path = folder / f"{label}-{len(texts)}-{set_digest}.npy"
    sidecar = path.with_suffix(".digests.npy")
    if path.exists():
        vectors: npt.NDArray[np.float32] = np.load(path)
        if not sidecar.exists():
            np.save(sidecar, np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, 32))
        return vectors
    known: dict[bytes, npt.NDArray[np.float32]] = {}
    wanted = set(digests)
    for other in sorted(folder.glob("*.digests.npy")) if folder.exists() else []:
        rows = np.load(other)
        hits = [i for i, d in enumerate(rows) if bytes(d) in wanted]
        if hits:
            matrix = np.load(str(other).replace(".digests.npy", ".npy"), mmap_mode="r")
            for i in hits:
                known[bytes(rows[i])] = np.array(matrix[i])
    missing = [i for i, d in enumerate(digests) if d not in known]
    if missing:
        started = time.perf_counter()
        print(f"  embedding {len(missing)} texts ({label}); cached in {folder}", flush=True)
        encoded = encode([texts[i] for i in missing]).astype(np.float32)
        for i, vector in zip(missing, encoded, strict=True):
            known[digests[i]] = vector
        elapsed = time.perf_counter() - started
        print(f"  ... {elapsed:.0f} s ({len(missing) / elapsed:.1f} texts/s)", flush=True)
    result = np.stack([known[d] for d in digests]).astype(np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(path, result)
    np.save(sidecar, np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, 32))
    return result

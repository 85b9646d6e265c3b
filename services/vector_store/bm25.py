"""An in-process Okapi BM25 index over chunks, with the same access rules as the dense side.

The index holds one entry per stored chunk of each document's current version (as this
replica last saw it). Every query takes a visibility predicate: a chunk the caller may not
read is neither scored nor counted, and corpus statistics (N, document frequencies, mean
length) are computed over the chunks the caller may read, so hidden text never shapes a
score either.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from services.common.text import Tokenizer


@dataclass(frozen=True)
class KeywordEntry:
    """What the index keeps per chunk: enough to filter and to find the chunk in Chroma."""

    key: str  # the chunk's record id in Chroma ("<chunk id>@<version>")
    document_id: str
    version: str
    public: bool  # the document's access list is empty
    groups: frozenset[str]
    metadata: Mapping[str, str]


@dataclass(frozen=True)
class KeywordHit:
    entry: KeywordEntry
    score: float


Visible = Callable[[KeywordEntry], bool]


class KeywordIndex:
    """Inverted index with BM25 scoring; thread-safe; a document's chunks change as a unit."""

    def __init__(self, tokenizer: Tokenizer, k1: float = 1.2, b: float = 0.75) -> None:
        self.tokenizer = tokenizer
        self.k1 = k1
        self.b = b
        self._lock = threading.RLock()
        self._entries: list[KeywordEntry | None] = []
        self._lengths: list[int] = []
        self._terms: list[tuple[str, ...]] = []
        self._free: list[int] = []
        self._postings: dict[str, dict[int, int]] = {}
        self._documents: dict[str, tuple[str, list[int]]] = {}  # id -> (version, slots)
        self._total_length = 0
        self._live = 0
        self._generation = 0
        # (generation, visibility key) -> (visible chunk count, their total length)
        self._stats_cache: dict[object, tuple[int, int, int]] = {}
        # Postings as arrays for scoring, built on first use; a write drops its terms' arrays.
        self._arrays: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
        self._lengths_array: tuple[int, npt.NDArray[np.float64]] = (-1, np.zeros(0))

    # ---- writes -------------------------------------------------------------------------

    def replace_document(
        self, document_id: str, version: str, chunks: Iterable[tuple[KeywordEntry, str]]
    ) -> None:
        """Make ``chunks`` (entry, text to index) the document's only chunks, at once."""
        prepared = [(entry, self._term_counts(text)) for entry, text in chunks]
        with self._lock:
            self._drop(document_id)
            slots = [self._insert(entry, counts) for entry, counts in prepared]
            self._documents[document_id] = (version, slots)
            self._generation += 1

    def remove_document(self, document_id: str) -> bool:
        with self._lock:
            removed = self._drop(document_id)
            if removed:
                self._generation += 1
            return removed

    def _term_counts(self, text: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for token in self.tokenizer(text):
            counts[token] = counts.get(token, 0) + 1
        return counts

    def _insert(self, entry: KeywordEntry, counts: dict[str, int]) -> int:
        if self._free:
            slot = self._free.pop()
            self._entries[slot] = entry
        else:
            slot = len(self._entries)
            self._entries.append(entry)
            self._lengths.append(0)
            self._terms.append(())
        self._terms[slot] = tuple(counts)
        length = sum(counts.values())
        self._lengths[slot] = length
        self._total_length += length
        self._live += 1
        for term, tf in counts.items():
            self._postings.setdefault(term, {})[slot] = tf
            self._arrays.pop(term, None)
        return slot

    def _drop(self, document_id: str) -> bool:
        known = self._documents.pop(document_id, None)
        if known is None:
            return False
        for slot in known[1]:
            for term in self._terms[slot]:
                posting = self._postings[term]
                del posting[slot]
                if not posting:
                    del self._postings[term]
                self._arrays.pop(term, None)
            self._terms[slot] = ()
            self._total_length -= self._lengths[slot]
            self._lengths[slot] = 0
            self._entries[slot] = None
            self._free.append(slot)
            self._live -= 1
        return True

    # ---- reads --------------------------------------------------------------------------

    def versions(self) -> dict[str, str]:
        with self._lock:
            return {doc: version for doc, (version, _) in self._documents.items()}

    @property
    def chunk_count(self) -> int:
        return self._live

    @property
    def document_count(self) -> int:
        return len(self._documents)

    def search(
        self,
        query: str,
        limit: int,
        visible: Visible | None = None,
        visibility_key: object = None,
        accept: Visible | None = None,
    ) -> list[KeywordHit]:
        """Top ``limit`` chunks by BM25 among those ``visible`` (to the caller) and ``accept``ed
        (by the request's filters). ``visibility_key`` identifies ``visible`` for caching the
        corpus statistics; None with a predicate disables the cache.
        """
        terms = list(dict.fromkeys(self.tokenizer(query)))
        if not terms or limit <= 0:
            return []
        with self._lock:
            count, total_length = self._visible_stats(visible, visibility_key)
            if count == 0:
                return []
            mean_length = total_length / count if total_length else 1.0
            seen: dict[int, bool] = {}
            k1, b = self.k1, self.b
            norm = k1 * (1 - b)
            slope = k1 * b / mean_length
            lengths = self._slot_lengths()
            scores = np.zeros(len(lengths))
            scored = np.zeros(len(lengths), dtype=bool)
            # Term by term over numpy arrays, each term's terms added in query order as the
            # textbook loop adds them, so the sums are the same floats.
            for term in terms:
                arrays = self._posting_arrays(term)
                if arrays is None:
                    continue
                slots, tfs = arrays
                if visible is not None:
                    keep = np.fromiter(
                        (self._ok(int(s), visible, seen) for s in slots), bool, len(slots)
                    )
                    slots, tfs = slots[keep], tfs[keep]
                if not len(slots):
                    continue
                df = len(slots)
                idf = math.log(1.0 + (count - df + 0.5) / (df + 0.5))
                denominator = tfs + norm + slope * lengths[slots]
                scores[slots] += idf * tfs * (k1 + 1) / denominator
                scored[slots] = True
            candidates = np.flatnonzero(scored)
            if accept is not None:
                candidates = candidates[
                    np.fromiter(
                        (accept(self._entry(int(s))) for s in candidates), bool, len(candidates)
                    )
                ]
            # Best score first, ties by slot (lexsort sorts by the last key first).
            order = np.lexsort((candidates, -scores[candidates]))[:limit]
            return [
                KeywordHit(self._entry(int(slot)), float(scores[slot]))
                for slot in candidates[order]
            ]

    def _slot_lengths(self) -> npt.NDArray[np.float64]:
        generation, lengths = self._lengths_array
        if generation != self._generation or len(lengths) != len(self._lengths):
            lengths = np.asarray(self._lengths, dtype=np.float64)
            self._lengths_array = (self._generation, lengths)
        return lengths

    def _posting_arrays(
        self, term: str
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
        arrays = self._arrays.get(term)
        if arrays is None:
            posting = self._postings.get(term)
            if not posting:
                return None
            arrays = (
                np.fromiter(posting.keys(), np.int64, len(posting)),
                np.fromiter(posting.values(), np.float64, len(posting)),
            )
            self._arrays[term] = arrays
        return arrays

    def _entry(self, slot: int) -> KeywordEntry:
        entry = self._entries[slot]
        assert entry is not None
        return entry

    def _ok(self, slot: int, visible: Visible, seen: dict[int, bool]) -> bool:
        known = seen.get(slot)
        if known is None:
            known = seen[slot] = visible(self._entry(slot))
        return known

    def _visible_stats(self, visible: Visible | None, key: object) -> tuple[int, int]:
        if visible is None:
            return self._live, self._total_length
        if key is not None:
            cached = self._stats_cache.get(key)
            if cached is not None and cached[0] == self._generation:
                return cached[1], cached[2]
        count = 0
        total = 0
        for slot, entry in enumerate(self._entries):
            if entry is not None and visible(entry):
                count += 1
                total += self._lengths[slot]
        if key is not None:
            if len(self._stats_cache) > 1024:
                self._stats_cache.clear()
            self._stats_cache[key] = (self._generation, count, total)
        return count, total

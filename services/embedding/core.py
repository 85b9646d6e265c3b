"""Sentence embeddings with all-MiniLM-L6-v2: tokenizing, batching and scheduling.

The model itself runs in a backend (services/embedding/backends.py: ONNX Runtime int8 by
default); pooling everywhere matches sentence-transformers (mean of the last hidden state
over real tokens, then L2 normalisation). No gRPC here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from services.embedding.backends import BackendName, Batch, EncoderBackend, load_backend
from services.embedding.settings import EmbeddingSettings
from services.runtime.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
)

log = logging.getLogger(__name__)


# The cost model of plan_batches, in token-rows: a call costs about this much besides its
# tokens (dispatch, threads meeting, smaller matrices), and a token's attention grows with
# the width over 6 x the hidden size (384) against its feed-forward and projection work.
# Measured on SciFact chunks (2 cores, OpenVINO): 70-chunk calls 71 -> 85 chunks/s against
# cuts every 32; one 447-chunk call unchanged (98 -> 96, within noise); a cost of 32 cut
# too often there (88), 1024 too rarely for the 70-chunk calls (79-92).
CALL_COST_TOKENS = 256
ATTENTION_WIDTH = 2304


def plan_batches(widths: Sequence[int], max_rows: int, row_bucket: int = 1) -> list[int]:
    """Sizes of consecutive batches over texts sorted by token count (``widths``
    ascending) that minimise the padded work: each batch is padded to its widest text, so
    cutting where lengths jump saves more than cutting every ``max_rows`` texts (a fixed
    cut pads the short last chunks of documents to full passages). Dynamic programming
    over the cut points; O(n x max_rows). A batch of ``row_bucket`` rows or more costs as
    many rows as the backend pads it to (a multiple of ``row_bucket``)."""
    n = len(widths)
    best = [0.0] + [float("inf")] * n  # best[i]: cheapest plan for the first i texts
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        width = widths[end - 1]  # the widest of any batch ending here
        per_row = width * (1 + width / ATTENTION_WIDTH)
        for size in range(1, min(max_rows, end) + 1):
            rows = -(-size // row_bucket) * row_bucket if size >= row_bucket else size
            cost = best[end - size] + rows * per_row + CALL_COST_TOKENS
            if cost < best[end]:
                best[end], cut[end] = cost, size
    sizes: list[int] = []
    end = n
    while end > 0:
        sizes.append(cut[end])
        end -= cut[end]
    return sizes[::-1]


@dataclass(frozen=True)
class EncodedText:
    """One text's embedding and what the tokenizer did to it."""

    vector: npt.NDArray[np.float32]
    token_count: int
    truncated: bool


def build_encoder(
    settings: EmbeddingSettings,
    backend: BackendName | None = None,
    threads: int | None = None,
) -> SentenceEncoder:
    """The encoder a replica runs, from its settings (backend and threads overridable)."""
    return SentenceEncoder(
        settings.model_path,
        load_backend(
            backend or settings.backend,
            settings.model_path,
            threads or settings.resolved_threads(),
            settings.onnx_cache_dir,
        ),
        settings.max_sequence_length,
        settings.encode_batch_size,
    )


class SentenceEncoder:
    """Tokenizes with the model's fast tokenizer and embeds through a backend.

    Texts are sorted by length and padded per batch, so a batch of short questions is not
    padded to the longest passage of another caller.
    """

    def __init__(
        self,
        model_path: str,
        backend: EncoderBackend,
        max_sequence_length: int,
        batch_size: int,
    ) -> None:
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self._tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
        self._backend = backend
        self.backend_name = backend.name
        self.max_sequence_length = max_sequence_length
        self.batch_size = batch_size
        self.dimensions = backend.dimensions

    def encode(self, texts: Sequence[str], one_thread: bool = False) -> list[EncodedText]:
        """Embed texts, sorted by length internally so batches carry little padding;
        ``one_thread`` keeps the model on the calling thread (background work)."""
        if not texts:
            return []
        # One tokenizer pass without truncation gives the true lengths (the truncated flag)
        # and the order; each batch is then cut and padded from these ids.
        ids: list[list[int]] = self._tokenizer(list(texts), add_special_tokens=True, verbose=False)[
            "input_ids"
        ]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        widths = [min(len(ids[i]), self.max_sequence_length) for i in order]
        indexes: list[list[int]] = []
        batches: list[Batch] = []
        start = 0
        for size in plan_batches(widths, self.batch_size, self._backend.row_bucket):
            index = order[start : start + size]
            start += size
            indexes.append(index)
            batches.append(self._pad([ids[i] for i in index]))
        # All of a call's batches at once: a backend with several streams overlaps them.
        vectors = self._backend.embed_many(batches, one_thread)
        results: list[EncodedText | None] = [None] * len(texts)
        for index, (_, mask), rows in zip(indexes, batches, vectors, strict=True):
            kept = mask.sum(axis=1)
            for r, i in enumerate(index):
                results[i] = EncodedText(
                    vector=rows[r], token_count=int(kept[r]), truncated=len(ids[i]) > kept[r]
                )
        return [r for r in results if r is not None]

    def _pad(self, ids: list[list[int]]) -> Batch:
        """One batch's ids, truncated to the model's limit, padded to the longest."""
        limit = self.max_sequence_length
        width = min(max(len(row) for row in ids), limit)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for r, row in enumerate(ids):
            if len(row) > limit:  # keep [CLS] ... and end with [SEP], as the tokenizer would
                row = [*row[: limit - 1], row[-1]]
            input_ids[r, : len(row)] = row
            mask[r, : len(row)] = 1
        return input_ids, mask


@dataclass(eq=False)
class _Pending:
    """One caller's texts, embedded slice by slice (results land at their positions)."""

    texts: list[str]
    future: asyncio.Future[list[EncodedText]]
    background: bool
    arrived: float
    results: list[EncodedText | None] = field(default_factory=list)
    done: int = 0

    @property
    def remaining(self) -> int:
        return len(self.texts) - self.done


class _Lane:
    """One queue of calls and the thread that runs their batches."""

    def __init__(
        self, name: str, max_texts: int, wait_s: float, one_thread: bool, niceness: int
    ) -> None:
        self.name = name
        self.max_texts = max_texts
        self.wait_s = wait_s
        self.one_thread = one_thread
        self.queue: list[_Pending] = []
        self.arrival = asyncio.Event()
        self.executor = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix=f"embed-{name}",
            initializer=_lower_thread_priority,
            initargs=(niceness,),
        )
        self.task: asyncio.Task[None] | None = None


class MicroBatcher:
    """Schedules embed calls onto the model: coalesced, sliced and prioritised.

    - Concurrent calls share a batch: a batch closes at ``max_texts`` texts, or ``wait_s``
      after its oldest call arrived, whichever is first (0: a call that finds the model
      idle runs at once; calls arriving meanwhile queue and share the next batch).
    - A large call is embedded in slices, and each batch is filled from the calls with the
      fewest texts left first, so a one-line question arriving during a bulk ingest rides
      in the very next batch instead of waiting for the whole ingest call.
    - Background calls (answer scoring) have their own lane: a thread the OS schedules
      below every other (``background_niceness``), running the model on that thread alone,
      in slices of ``background_max_texts``. Interactive calls never queue behind them, and
      they take a core only when callers' requests leave one free.
    """

    def __init__(
        self,
        encoder: SentenceEncoder,
        max_texts: int,
        wait_s: float,
        background_max_texts: int = 8,
        background_niceness: int = 10,
    ) -> None:
        self._encoder = encoder
        self.backend_name = encoder.backend_name
        self._interactive = _Lane("interactive", max_texts, wait_s, False, 0)
        self._background = _Lane("background", background_max_texts, 0.0, True, background_niceness)
        self.batches_run = 0

    async def embed(self, texts: list[str], background: bool = False) -> list[EncodedText]:
        loop = asyncio.get_running_loop()
        lane = self._background if background else self._interactive
        if lane.task is None:
            lane.task = loop.create_task(self._run(lane))
        # A call larger than a batch is embedded in slices: sliced in order of length, each
        # slice holds texts of similar length and pads little (chunks of many documents
        # come interleaved: full passages and short last chunks).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        sliced = len(texts) > lane.max_texts
        pending = _Pending(
            [texts[i] for i in order] if sliced else texts,
            loop.create_future(),
            background,
            loop.time(),
            [None] * len(texts),
        )
        lane.queue.append(pending)
        lane.arrival.set()
        encoded = await pending.future
        if not sliced:
            return encoded
        results: list[EncodedText] = [encoded[0]] * len(texts)
        for position, i in enumerate(order):
            results[i] = encoded[position]
        return results

    async def close(self) -> None:
        for lane in (self._interactive, self._background):
            if lane.task is not None:
                lane.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await lane.task
            lane.executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, lane: _Lane) -> None:
        loop = asyncio.get_running_loop()
        while True:
            lane.queue[:] = [p for p in lane.queue if not p.future.done()]
            if not lane.queue:
                lane.arrival.clear()
                await lane.arrival.wait()
                continue
            # Give concurrent callers a moment to join, unless the batch is already full.
            deadline = min(p.arrived for p in lane.queue) + lane.wait_s
            while (
                sum(p.remaining for p in lane.queue) < lane.max_texts
                and (timeout := deadline - loop.time()) > 0
            ):
                lane.arrival.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lane.arrival.wait(), timeout)
            lane.queue[:] = [p for p in lane.queue if not p.future.done()]
            if not lane.queue:
                continue
            slices = self._take(lane.queue, lane.max_texts)
            texts = [t for p, start, stop in slices for t in p.texts[start:stop]]
            try:
                encoded = await loop.run_in_executor(
                    lane.executor, self._encoder.encode, texts, lane.one_thread
                )
            except Exception as exc:  # the model failed: every caller in this batch learns it
                log.exception("embedding batch of %d texts failed", len(texts))
                for p, _, _ in slices:
                    if not p.future.done():
                        p.future.set_exception(exc)
                    _discard(lane.queue, p)
                continue
            self.batches_run += 1
            offset = 0
            for p, start, stop in slices:
                p.results[start:stop] = encoded[offset : offset + stop - start]
                offset += stop - start
                if p.remaining == 0:
                    _discard(lane.queue, p)
                    if not p.future.done():
                        p.future.set_result([r for r in p.results if r is not None])

    @staticmethod
    def _take(queue: list[_Pending], limit: int) -> list[tuple[_Pending, int, int]]:
        """Up to ``limit`` texts, from the calls with the fewest texts left first."""
        slices = []
        for p in sorted(queue, key=lambda p: (p.remaining, p.arrived)):
            if limit <= 0:
                break
            start = p.done
            p.done = min(len(p.texts), start + limit)
            limit -= p.done - start
            slices.append((p, start, p.done))
        return slices


def _lower_thread_priority(niceness: int) -> None:
    """Make the calling thread this much nicer (Linux schedules threads by their own nice
    value); lowering a priority needs no privilege. Elsewhere, a no-op."""
    if niceness <= 0 or not hasattr(os, "setpriority"):
        return
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + niceness))


def _discard(queue: list[_Pending], pending: _Pending) -> None:
    if pending in queue:
        queue.remove(pending)


class EmbeddingModel:
    """The service's domain object: validates requests and embeds through the batcher."""

    def __init__(
        self,
        batcher: MicroBatcher,
        model_id: str,
        dimensions: int,
        max_sequence_length: int,
        max_texts: int,
        max_text_chars: int,
    ) -> None:
        self._batcher = batcher
        self.backend = batcher.backend_name
        self.model_id = model_id
        self.dimensions = dimensions
        self.max_sequence_length = max_sequence_length
        self.max_texts = max_texts
        self.max_text_chars = max_text_chars

    async def embed(
        self, texts: Sequence[str], expected_model_id: str = "", background: bool = False
    ) -> list[EncodedText]:
        if expected_model_id and expected_model_id != self.model_id:
            raise FailedPrecondition(
                message=f"this server embeds with {self.model_id!r}, not {expected_model_id!r}",
                reason="MODEL_MISMATCH",
                metadata={"served_model_id": self.model_id},
            )
        if not texts:
            raise InvalidArgument(
                message=f"texts is empty: send 1 to {self.max_texts} texts",
                reason="EMPTY_BATCH",
                field_violations=[FieldViolation("texts", "must not be empty")],
            )
        if len(texts) > self.max_texts:
            raise ResourceExhausted(
                message=f"{len(texts)} texts in one request; the limit is {self.max_texts}",
                reason="BATCH_TOO_LARGE",
                metadata={"limit": str(self.max_texts)},
            )
        violations = [
            FieldViolation(f"texts[{i}]", "must not be empty or only whitespace")
            for i, t in enumerate(texts)
            if not t.strip()
        ] + [
            FieldViolation(
                f"texts[{i}]", f"is {len(t)} characters; the limit is {self.max_text_chars}"
            )
            for i, t in enumerate(texts)
            if len(t) > self.max_text_chars
        ]
        if violations:
            raise InvalidArgument(
                message="; ".join(f"{v.field} {v.description}" for v in violations[:5]),
                reason="INVALID_TEXT",
                field_violations=violations,
            )
        return await self._batcher.embed(list(texts), background)

    async def close(self) -> None:
        await self._batcher.close()

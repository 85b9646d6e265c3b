"""Sentence embeddings with all-MiniLM-L6-v2 via transformers, and micro-batching.

Pooling matches sentence-transformers exactly: mean of the last hidden state over real
(non-padding) tokens, then L2 normalisation. No gRPC here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from services.runtime.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    ResourceExhausted,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EncodedText:
    """One text's embedding and what the tokenizer did to it."""

    vector: npt.NDArray[np.float32]
    token_count: int
    truncated: bool


class SentenceEncoder:
    """A transformers encoder with mean pooling, loaded from a local folder."""

    def __init__(
        self, model_path: str, max_sequence_length: int, batch_size: int, threads: int
    ) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        torch.set_num_threads(threads)
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
        self._model = AutoModel.from_pretrained(model_path, local_files_only=True)
        self._model.eval()
        self.max_sequence_length = max_sequence_length
        self.batch_size = batch_size
        self.dimensions = int(self._model.config.hidden_size)

    def encode(self, texts: Sequence[str]) -> list[EncodedText]:
        """Embed texts, sorted by length internally so batches carry little padding."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        results: list[EncodedText | None] = [None] * len(texts)
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            for i, encoded in zip(
                index, self._encode_batch([texts[i] for i in index]), strict=True
            ):
                results[i] = encoded
        return [r for r in results if r is not None]

    def _encode_batch(self, texts: list[str]) -> list[EncodedText]:
        torch = self._torch
        # Tokenize once without truncation to know the true lengths (for the truncated flag).
        full_lengths = [
            len(ids)
            for ids in self._tokenizer(texts, add_special_tokens=True, verbose=False)["input_ids"]
        ]
        batch = self._tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_sequence_length,
            return_tensors="pt",
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1)
            counts = mask.sum(dim=1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(summed / counts, p=2, dim=1)
        vectors = pooled.cpu().numpy().astype(np.float32)
        kept = batch["attention_mask"].sum(dim=1).tolist()
        return [
            EncodedText(
                vector=vectors[i], token_count=int(kept[i]), truncated=full_lengths[i] > kept[i]
            )
            for i in range(len(texts))
        ]


@dataclass
class _Pending:
    texts: list[str]
    future: asyncio.Future[list[EncodedText]]


class MicroBatcher:
    """Coalesces concurrent embed calls into batches run on one worker thread.

    A batch closes when it holds ``max_texts`` texts or ``wait_s`` after its first request,
    whichever is first; one thread runs the model so requests never fight for the cores.
    """

    def __init__(self, encoder: SentenceEncoder, max_texts: int, wait_s: float) -> None:
        self._encoder = encoder
        self._max_texts = max_texts
        self._wait_s = wait_s
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")
        self._task: asyncio.Task[None] | None = None
        self.batches_run = 0

    async def embed(self, texts: list[str]) -> list[EncodedText]:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        future: asyncio.Future[list[EncodedText]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(texts, future))
        return await future

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            size = len(batch[0].texts)
            deadline = loop.time() + self._wait_s
            while size < self._max_texts:
                timeout = deadline - loop.time()
                if timeout <= 0 and self._queue.empty():
                    break
                try:
                    item = await asyncio.wait_for(self._queue.get(), max(timeout, 0))
                except TimeoutError:
                    break
                batch.append(item)
                size += len(item.texts)
            live = [p for p in batch if not p.future.cancelled()]
            if not live:
                continue
            texts = [t for p in live for t in p.texts]
            try:
                encoded = await loop.run_in_executor(self._executor, self._encoder.encode, texts)
            except Exception as exc:  # the model failed: every waiting caller learns it
                log.exception("embedding batch of %d texts failed", len(texts))
                for p in live:
                    if not p.future.done():
                        p.future.set_exception(exc)
                continue
            self.batches_run += 1
            offset = 0
            for p in live:
                if not p.future.done():
                    p.future.set_result(encoded[offset : offset + len(p.texts)])
                offset += len(p.texts)


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
        self.model_id = model_id
        self.dimensions = dimensions
        self.max_sequence_length = max_sequence_length
        self.max_texts = max_texts
        self.max_text_chars = max_text_chars

    async def embed(self, texts: Sequence[str], expected_model_id: str = "") -> list[EncodedText]:
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
        return await self._batcher.embed(list(texts))

    async def close(self) -> None:
        await self._batcher.close()

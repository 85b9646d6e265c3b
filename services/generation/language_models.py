"""Generators backed by a language model: a local transformers causal LM, or an
OpenAI-compatible chat-completions endpoint. Both stream text pieces."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Sequence
from typing import Any

from services.generation.answers import Context
from services.runtime.errors import Unavailable


def grounded_prompt(question: str, contexts: Sequence[Context]) -> str:
    sources = "\n".join(
        f"[{i}] {c.title + ': ' if c.title else ''}{c.text}" for i, c in enumerate(contexts, 1)
    )
    return (
        "Answer the question using only the numbered sources below. Cite the sources you "
        "use with their number in brackets, like [1]. If the sources do not contain the "
        "answer, say so.\n\n"
        f"Sources:\n{sources}\n\nQuestion: {question}\nAnswer:"
    )


def hypothetical_prompt(question: str) -> str:
    return (
        "Write a short factual passage, as found in a reference document, that answers "
        f"this question.\n\nQuestion: {question}\nPassage:"
    )


class LocalCausalLM:
    """A transformers causal LM loaded from a local folder (never from a hub)."""

    def __init__(self, model_path: str, threads: int) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch.set_num_threads(threads)
        self._tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
        self._model = AutoModelForCausalLM.from_pretrained(model_path, local_files_only=True)
        self._model.eval()  # type: ignore[no-untyped-call]
        self.model_id = f"local:{model_path.rstrip('/').rsplit('/', 1)[-1]}"
        self._lock = threading.Lock()  # one generation at a time: it uses every core given

    async def stream(
        self,
        prompt: str,
        max_new_tokens: int,
        temperature: float | None,
        usage: dict[str, int] | None = None,
    ) -> AsyncIterator[str]:
        """Text pieces as the model writes them; ``usage`` gets the true token counts."""
        from transformers import TextIteratorStreamer

        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        inputs = self._tokenizer(prompt, return_tensors="pt")
        sample = temperature is not None and temperature > 0
        kwargs: dict[str, Any] = {
            **inputs,
            "max_new_tokens": max_new_tokens,
            "do_sample": sample,
            "streamer": streamer,
            "pad_token_id": self._tokenizer.pad_token_id or self._tokenizer.eos_token_id,
        }
        if sample:
            kwargs["temperature"] = temperature

        prompt_tokens = int(inputs["input_ids"].shape[1])

        def run() -> None:
            with self._lock:
                output = self._model.generate(**kwargs)
            if usage is not None:
                usage["prompt_tokens"] = prompt_tokens
                usage["completion_tokens"] = int(output.shape[1]) - prompt_tokens

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        iterator = iter(streamer)
        while True:
            piece = await asyncio.to_thread(next, iterator, None)
            if piece is None:
                break
            if piece:
                yield piece
        await asyncio.to_thread(worker.join)


class OpenAICompatibleClient:
    """Chat completions over HTTP (``POST {base_url}/chat/completions``), streamed as SSE."""

    def __init__(self, base_url: str, api_key: str, model: str, timeout_s: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.model = model
        self.model_id = f"openai:{model}"
        self._timeout_s = timeout_s

    async def stream(
        self, prompt: str, max_new_tokens: int, temperature: float | None
    ) -> AsyncIterator[str]:
        import httpx

        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "max_tokens": max_new_tokens,
            "stream": True,
        }
        if temperature is not None:
            body["temperature"] = temperature
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            async with (
                httpx.AsyncClient(timeout=self._timeout_s) as client,
                client.stream(
                    "POST", f"{self._base_url}/chat/completions", json=body, headers=headers
                ) as response,
            ):
                if response.status_code >= 400:
                    detail = (await response.aread()).decode(errors="replace")[:200]
                    raise Unavailable(
                        message=f"generation endpoint answered HTTP {response.status_code}: {detail}",
                        reason="UPSTREAM_GENERATOR_ERROR",
                    )
                async for line in response.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    choice = json.loads(data)["choices"][0]
                    piece = (choice.get("delta") or {}).get("content") or ""
                    if piece:
                        yield piece
        except httpx.HTTPError as exc:
            raise Unavailable(
                message=f"generation endpoint unreachable: {type(exc).__name__}",
                reason="UPSTREAM_GENERATOR_UNREACHABLE",
                retry_after_s=1.0,
            ) from exc

"""Query embedding through EmbeddingService (via Envoy unless a target is configured)."""

from __future__ import annotations

from collections.abc import Sequence

import grpc

from rag.v1 import embedding_pb2, embedding_pb2_grpc
from services.runtime.downstream import mesh_channel
from services.runtime.errors import DeadlineExceeded, InvalidArgument, Unavailable
from services.runtime.settings import RuntimeSettings


class EmbeddingServiceEmbedder:
    """``QueryEmbedder`` that calls ``rag.v1.EmbeddingService/Embed`` with one text."""

    def __init__(self, runtime: RuntimeSettings, target: str | None = None) -> None:
        self._channel = mesh_channel(runtime, target)
        self._stub = embedding_pb2_grpc.EmbeddingServiceStub(self._channel)

    async def embed_query(self, text: str) -> tuple[Sequence[float], str]:
        try:
            response = await self._stub.Embed(embedding_pb2.EmbedRequest(texts=[text]))
        except grpc.aio.AioRpcError as exc:
            code = exc.code()
            detail = f"EmbeddingService: {exc.details()}"
            if code == grpc.StatusCode.INVALID_ARGUMENT:
                raise InvalidArgument(message=detail, reason="QUERY_NOT_EMBEDDABLE") from exc
            if code == grpc.StatusCode.DEADLINE_EXCEEDED:
                raise DeadlineExceeded(message=detail, reason="EMBEDDING_TIMEOUT") from exc
            raise Unavailable(
                message=f"could not embed the query ({code.name}): {exc.details()}",
                reason="EMBEDDING_UNAVAILABLE",
                retry_after_s=1.0,
            ) from exc
        return list(response.embeddings[0].values), response.model_id

    async def close(self) -> None:
        await self._channel.close()

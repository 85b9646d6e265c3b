"""gRPC surface of EmbeddingService: converts messages and calls EmbeddingModel."""

from __future__ import annotations

from rag.v1 import embedding_pb2, embedding_pb2_grpc
from services.embedding.core import EmbeddingModel
from services.runtime.server import RpcContext


class EmbeddingServicer(embedding_pb2_grpc.EmbeddingServiceServicer):
    def __init__(self, model: EmbeddingModel) -> None:
        self._model = model

    async def Embed(
        self, request: embedding_pb2.EmbedRequest, context: RpcContext
    ) -> embedding_pb2.EmbedResponse:
        encoded = await self._model.embed(
            list(request.texts),
            request.model_id,
            background=request.priority == embedding_pb2.EMBED_PRIORITY_BACKGROUND,
        )
        return embedding_pb2.EmbedResponse(
            embeddings=[
                embedding_pb2.Embedding(
                    values=e.vector.tolist(), token_count=e.token_count, truncated=e.truncated
                )
                for e in encoded
            ],
            model_id=self._model.model_id,
            dimensions=self._model.dimensions,
        )

    async def GetModel(
        self, request: embedding_pb2.GetModelRequest, context: RpcContext
    ) -> embedding_pb2.GetModelResponse:
        return embedding_pb2.GetModelResponse(
            model=embedding_pb2.ModelInfo(
                model_id=self._model.model_id,
                dimensions=self._model.dimensions,
                max_sequence_length=self._model.max_sequence_length,
                max_batch_size=self._model.max_texts,
                max_text_length=self._model.max_text_chars,
                pooling="mean",
                backend=self._model.backend,
            )
        )

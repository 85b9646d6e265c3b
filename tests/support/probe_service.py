"""A test servicer of rag.v1.EmbeddingService whose behaviour the runtime tests steer.

It exists to exercise the shared runtime (health, errors, metrics, shutdown), not
embeddings: the text of the first input says what to do.
  "slow:<seconds>"  sleep, then answer      "invalid"  raise a domain InvalidArgument
  "crash"           raise a bare exception   "deadline" report the remaining deadline
Run as a process: ``python -m tests.support.probe_service`` (settings from RAGMESH_*).
"""

from __future__ import annotations

import asyncio

from rag.v1 import embedding_pb2, embedding_pb2_grpc
from services.runtime.call_context import current_call
from services.runtime.errors import invalid_field
from services.runtime.server import RpcContext, ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.EmbeddingService"


class ProbeServicer(embedding_pb2_grpc.EmbeddingServiceServicer):
    async def Embed(
        self, request: embedding_pb2.EmbedRequest, context: RpcContext
    ) -> embedding_pb2.EmbedResponse:
        first = request.texts[0] if request.texts else ""
        if first.startswith("slow:"):
            await asyncio.sleep(float(first.split(":", 1)[1]))
        elif first == "invalid":
            raise invalid_field("texts[0]", "the probe was asked to reject this")
        elif first == "crash":
            raise RuntimeError("secret internal detail that must not reach clients")
        model_id = "probe"
        if first == "deadline":
            call = current_call()
            remaining = call.time_remaining() if call else None
            model_id = f"remaining={remaining}"
        return embedding_pb2.EmbedResponse(
            embeddings=[embedding_pb2.Embedding(values=[1.0, 0.0]) for _ in request.texts],
            model_id=model_id,
            dimensions=2,
        )


def probe_binding() -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME, ProbeServicer(), embedding_pb2_grpc.add_EmbeddingServiceServicer_to_server
    )


if __name__ == "__main__":
    asyncio.run(serve([probe_binding()], RuntimeSettings()))

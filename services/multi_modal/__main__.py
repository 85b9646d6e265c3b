"""Run one MultiModalService replica: ``python -m services.multi_modal``.

The contract accepts 32 MiB of content plus the envelope, so the transport limit is raised
to 33 MiB here unless ``RAGMESH_MAX_MESSAGE_BYTES`` says otherwise.
"""

from __future__ import annotations

import asyncio

from rag.v1 import multi_modal_pb2_grpc
from services.multi_modal.core import MultiModalExtractor
from services.multi_modal.servicer import MultiModalServicer
from services.multi_modal.settings import MultiModalSettings
from services.runtime.server import ServiceBinding, serve
from services.runtime.settings import RuntimeSettings

SERVICE_NAME = "rag.v1.MultiModalService"
MAX_MESSAGE_BYTES = 33 * 1024 * 1024


def binding(extractor: MultiModalExtractor) -> ServiceBinding:
    return ServiceBinding(
        SERVICE_NAME,
        MultiModalServicer(extractor),
        multi_modal_pb2_grpc.add_MultiModalServiceServicer_to_server,
    )


def runtime_settings() -> RuntimeSettings:
    """Documents up to the extraction limit fit in a message, unless the operator set one."""
    runtime = RuntimeSettings()
    if "max_message_bytes" in runtime.model_fields_set:  # RAGMESH_MAX_MESSAGE_BYTES was set
        return runtime
    return runtime.model_copy(update={"max_message_bytes": MAX_MESSAGE_BYTES})


async def main() -> None:
    runtime = runtime_settings()
    await serve([binding(MultiModalExtractor(MultiModalSettings()))], runtime)


if __name__ == "__main__":
    asyncio.run(main())

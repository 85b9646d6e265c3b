"""A mesh trusting the session's Keycloak, for the identity and access tests.

A chosen set of services (one replica each), generation's OpenAI-compatible endpoint on
the FAKE LLM (tests/support/fake_llm.py, so HyDE runs without a model), no Prometheus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Set
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mesh.local.prometheus import PrometheusSettings
from mesh.local.supervisor import SERVICES, Supervisor, UpSettings
from tests.support.fake_llm import FakeLLM
from tests.support.keycloak import RunningKeycloak
from tests.support.processes import free_port


@asynccontextmanager
async def auth_mesh(
    keycloak: RunningKeycloak, state_dir: Path, services: Set[str], **settings: Any
) -> AsyncIterator[Supervisor]:
    """Started and ready; stopped on exit. ``settings``: more UpSettings fields."""
    llm = FakeLLM()
    fake = {"RAGMESH_GENERATION_OPENAI_BASE_URL": llm.base_url}
    supervisor = Supervisor(
        UpSettings(
            listener_port=free_port(),
            admin_port=free_port(),
            state_dir=state_dir,
            services=[
                dataclasses.replace(s, env={**s.env, **fake})
                if s.service == "rag.v1.GenerationService"
                else s
                for s in SERVICES
                if s.service in services
            ],
            drain_delay_s=0.0,
            auth="external",
            keycloak=keycloak.settings,
            prometheus=PrometheusSettings(mode="off"),
            **settings,
        )
    )
    try:
        await supervisor.start()
        await supervisor.wait_ready()
        yield supervisor
    finally:
        await supervisor.stop()
        llm.close()

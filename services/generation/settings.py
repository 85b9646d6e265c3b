"""GenerationService settings (``RAGMESH_GENERATION_*``).

The extractive generator always works. A local causal LM is enabled by ``LOCAL_MODEL_PATH``
(a transformers model folder); an OpenAI-compatible endpoint by ``OPENAI_BASE_URL``
(key from ``OPENAI_API_KEY``, model name from ``OPENAI_MODEL``).
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class GenerationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAGMESH_GENERATION_", extra="ignore", frozen=True)

    default_max_answer_tokens: int = Field(default=256, gt=0)
    max_answer_tokens_limit: int = Field(default=2048, gt=0)
    default_max_citations: int = Field(default=5, gt=0)
    max_contexts: int = Field(default=100, gt=0)
    max_question_chars: int = Field(default=2000, gt=0)
    local_model_path: str = ""
    local_model_threads: int = Field(default=1, gt=0)
    openai_base_url: str = ""
    openai_api_key: SecretStr = SecretStr("")
    openai_model: str = "gpt-4o-mini"
    openai_timeout_s: float = Field(default=60.0, gt=0)

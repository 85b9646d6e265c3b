"""QueryEnhancementService settings (``RAGMESH_QUERY_ENHANCEMENT_*``).

| variable | default | meaning |
| --- | --- | --- |
| ``..._MAX_QUERY_CHARS`` | ``2000`` | longest query accepted (INVALID_ARGUMENT beyond) |
| ``..._DEFAULT_MAX_QUERIES`` | ``5`` | queries returned (the original first) when a request says 0 |
| ``..._MAX_QUERIES_LIMIT`` | ``10`` | a larger ``max_queries`` in a request is coerced down to this |
| ``..._DEFAULT_FEEDBACK_DOCUMENTS`` | ``5`` | chunks pseudo-relevance feedback reads when a request says 0 |
| ``..._DEFAULT_EXPANSION_TERMS`` | ``10`` | terms pseudo-relevance feedback adds when a request says 0 |
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class QueryEnhancementSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAGMESH_QUERY_ENHANCEMENT_", extra="ignore", frozen=True
    )

    max_query_chars: int = Field(default=2000, gt=0)
    default_max_queries: int = Field(default=5, ge=1)
    max_queries_limit: int = Field(default=10, ge=1)
    default_feedback_documents: int = Field(default=5, ge=1)
    default_expansion_terms: int = Field(default=10, ge=1)

"""AgentService settings (``RAGMESH_AGENT_*``).

| variable | default | meaning |
| --- | --- | --- |
| ``..._DEFAULT_MAX_STEPS`` / ``..._MAX_STEPS_LIMIT`` | 4 / 10 | retrieval rounds (contract) |
| ``..._DEFAULT_TIME_BUDGET_S`` / ``..._MAX_TIME_BUDGET_S`` | 30 / 120 | wall-clock budget (contract) |
| ``..._ANSWER_MARGIN_S`` | 2 | time kept back from the call deadline for the ANSWER step |
| ``..._DEFAULT_SUFFICIENCY_THRESHOLD`` | 0.7 | CHECK score at which retrieval stops |
| ``..._MAX_CONCURRENT_RUNS`` | 8 | runs at once; more get RESOURCE_EXHAUSTED |
| ``..._GENERATOR`` | ``extractive`` | who writes the answer: ``extractive``, ``local_lm``, ``openai_compatible`` |
| ``..._VECTOR_STORE_TARGET`` etc. | unset | a service's address; unset = through Envoy |
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AgentSettings(BaseSettings):
    """Budgets, limits and where the services the agent calls live."""

    model_config = SettingsConfigDict(env_prefix="RAGMESH_AGENT_", extra="ignore", frozen=True)

    # Limits from the contract (agent.proto).
    max_question_chars: int = Field(default=2000, gt=0)
    default_max_steps: int = Field(default=4, gt=0)
    max_steps_limit: int = Field(default=10, gt=0)
    default_time_budget_s: float = Field(default=30.0, gt=0)
    max_time_budget_s: float = Field(default=120.0, gt=0)
    default_sufficiency_threshold: float = Field(default=0.7, gt=0, le=1)
    default_top_k: int = Field(default=10, gt=0)
    max_top_k: int = Field(default=100, gt=0)

    # Extractive answers take milliseconds, a language model seconds: keep room for either.
    answer_margin_s: float = Field(default=2.0, ge=0)
    max_concurrent_runs: int = Field(default=8, gt=0)
    retry_after_s: float = Field(default=1.0, gt=0)

    # Planning and refinement.
    max_sub_questions: int = Field(default=4, gt=0, le=10)
    # Rounds spent on one sub-question before the agent gives up on it.
    max_rounds_per_sub_question: int = Field(default=2, gt=0)
    # New queries a REFINE step may propose.
    max_refined_queries: int = Field(default=2, gt=0, le=5)
    # Passages per sub-question the CHECK step looks at (and sends to ScoreAnswer).
    check_passages: int = Field(default=5, gt=0, le=100)
    # EvaluationService's context relevance (a cosine for its MiniLM scorer) mapped to [0, 1]:
    # 0 at or below the floor (off topic), 1 at or above "full" (on topic). On-topic passages
    # score 0.4-0.8 with all-MiniLM-L6-v2, so a raw cosine would rarely reach 0.7.
    relevance_floor: float = Field(default=0.2, ge=0, lt=1)
    relevance_full: float = Field(default=0.6, gt=0, le=1)
    # Contexts given to GenerationService for the final answer (the contract allows 100).
    max_answer_contexts: int = Field(default=20, gt=0, le=100)
    # Reciprocal-rank-fusion constant when several result lists are merged.
    fusion_k: float = Field(default=60.0, gt=0)
    # Graph expansion (use_graph): hops walked and documents searched from the linked facts.
    graph_max_hops: int = Field(default=2, ge=1, le=4)
    graph_max_documents: int = Field(default=10, gt=0, le=100)

    # Who writes the final answer (GenerationService generator); a model must be configured
    # there for anything but "extractive".
    generator: Literal["extractive", "local_lm", "openai_compatible"] = "extractive"

    # Direct addresses, for tests and single-process setups; unset = through Envoy.
    vector_store_target: str | None = None
    embedding_target: str | None = None
    generation_target: str | None = None
    evaluation_target: str | None = None
    query_enhancement_target: str | None = None
    graph_target: str | None = None

"""gRPC surface of QueryEnhancementService."""

from __future__ import annotations

from rag.v1 import common_pb2, query_enhancement_pb2, query_enhancement_pb2_grpc
from services.common.convert import duration
from services.query_enhancement.core import QueryEnhancer, Strategy
from services.runtime.errors import invalid_field
from services.runtime.server import RpcContext

STRATEGIES = {
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_MULTI_QUERY: Strategy.MULTI_QUERY,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_PSEUDO_RELEVANCE_FEEDBACK: Strategy.PSEUDO_RELEVANCE_FEEDBACK,
    query_enhancement_pb2.ENHANCEMENT_STRATEGY_HYDE: Strategy.HYDE,
}
TO_PROTO = {v: k for k, v in STRATEGIES.items()}


def strategies(values: list[int]) -> list[Strategy]:
    out = []
    for i, value in enumerate(values):
        if value not in STRATEGIES:
            raise invalid_field(
                f"strategies[{i}]", "must be MULTI_QUERY, PSEUDO_RELEVANCE_FEEDBACK or HYDE"
            )
        out.append(STRATEGIES[value])  # type: ignore[index]
    return out


class QueryEnhancementServicer(query_enhancement_pb2_grpc.QueryEnhancementServiceServicer):
    def __init__(self, enhancer: QueryEnhancer) -> None:
        self._enhancer = enhancer

    async def EnhanceQuery(
        self, request: query_enhancement_pb2.EnhanceQueryRequest, context: RpcContext
    ) -> query_enhancement_pb2.EnhanceQueryResponse:
        result = await self._enhancer.enhance(
            request.query,
            strategies(list(request.strategies)),
            max_queries=request.max_queries,
            feedback_documents=request.prf.feedback_documents,
            expansion_terms=request.prf.expansion_terms,
        )
        return query_enhancement_pb2.EnhanceQueryResponse(
            enhanced_queries=[
                query_enhancement_pb2.EnhancedQuery(
                    text=q.text,
                    weight=q.weight,
                    strategy=TO_PROTO.get(q.strategy, 0) if q.strategy else 0,  # type: ignore[arg-type]
                    embedding=q.embedding,
                    hypothetical_document=q.hypothetical_document,
                    original=q.strategy is None,
                )
                for q in result.queries
            ],
            timings=[
                common_pb2.StageTiming(stage=name, duration=duration(s))
                for name, s in result.timings
            ],
        )

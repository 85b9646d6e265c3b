"""rag.v1 messages <-> document-processing domain types."""

from __future__ import annotations

from rag.v1 import common_pb2, document_processor_pb2
from services.common.chunking import (
    DEFAULT_CHUNK_SIZE,
    ChunkingConfig,
    ParsedDocument,
    Strategy,
    TextChunk,
)

_STRATEGIES = {
    document_processor_pb2.CHUNKING_STRATEGY_UNSPECIFIED: Strategy.RECURSIVE,
    document_processor_pb2.CHUNKING_STRATEGY_FIXED: Strategy.FIXED,
    document_processor_pb2.CHUNKING_STRATEGY_RECURSIVE: Strategy.RECURSIVE,
    document_processor_pb2.CHUNKING_STRATEGY_SENTENCE: Strategy.SENTENCE,
    document_processor_pb2.CHUNKING_STRATEGY_SEMANTIC: Strategy.SEMANTIC,
}
_MODALITIES = {
    "text": common_pb2.MODALITY_TEXT,
    "pdf": common_pb2.MODALITY_PDF,
    "image": common_pb2.MODALITY_IMAGE,
    "table": common_pb2.MODALITY_TABLE,
}


def chunking_config(options: document_processor_pb2.ChunkingOptions) -> ChunkingConfig:
    size = options.chunk_size or DEFAULT_CHUNK_SIZE
    overlap = options.chunk_overlap if options.HasField("chunk_overlap") else size // 10
    return ChunkingConfig(
        strategy=_STRATEGIES.get(options.strategy, Strategy.RECURSIVE),
        chunk_size=size,
        chunk_overlap=overlap,
        semantic_quantile=options.semantic_threshold or 0.95,
    )


def chunk_message(
    chunk: TextChunk,
    title: str,
    access_groups: tuple[str, ...] = (),
    metadata: dict[str, str] | None = None,
) -> common_pb2.Chunk:
    return common_pb2.Chunk(
        id=chunk.id,
        document_id=chunk.document_id,
        position=chunk.position,
        text=chunk.text,
        title=title,
        section_path=list(chunk.section_path),
        start_offset=chunk.start,
        end_offset=chunk.end,
        modality=_MODALITIES.get(chunk.modality, common_pb2.MODALITY_TEXT),
        location=chunk.location,
        metadata={**(metadata or {}), **chunk.metadata},
        access_groups=list(access_groups),
    )


def parsed_message(parsed: ParsedDocument) -> document_processor_pb2.ParsedDocument:
    return document_processor_pb2.ParsedDocument(
        text=parsed.text,
        detected_title=parsed.title,
        sections=[
            document_processor_pb2.Section(
                heading_path=list(s.heading_path), start_offset=s.start, end_offset=s.end
            )
            for s in parsed.sections
        ],
        character_count=len(parsed.text),
        page_count=sum(
            1
            for s in parsed.sections
            if s.heading_path[:1] and s.heading_path[0].startswith("page ")
        ),
    )

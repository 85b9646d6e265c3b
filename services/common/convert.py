"""Conversions between rag.v1 messages and the shared domain types, used by several services."""

from __future__ import annotations

from google.protobuf import duration_pb2

from rag.v1 import common_pb2
from services.common.documents import DocumentInput


def document_input(
    document: common_pb2.Document, default_content_type: str = "text/plain"
) -> DocumentInput:
    """``default_content_type`` stands in for an empty one (the multi-modal service passes ""
    there: empty means "detect it")."""
    return DocumentInput(
        id=document.id,
        content=document.content,
        content_type=document.content_type or default_content_type,
        title=document.title,
        source=document.source,
        access_groups=tuple(document.access_groups),
        metadata=dict(document.metadata),
    )


def document_message(document: DocumentInput) -> common_pb2.Document:
    return common_pb2.Document(
        id=document.id,
        title=document.title,
        source=document.source,
        content_type=document.content_type,
        content=document.content,
        access_groups=list(document.access_groups),
        metadata=dict(document.metadata),
    )


def duration(seconds: float) -> duration_pb2.Duration:
    value = duration_pb2.Duration()
    value.FromNanoseconds(int(seconds * 1e9))
    return value

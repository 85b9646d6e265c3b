"""VectorStoreService: documents' chunks on Chroma, dense + BM25 hybrid search."""

"""Vector index over Chroma: one vector per statement with filterable metadata. Only this package
imports chromadb. Derived from SQLite, so `kb reindex` can always rebuild it."""

from kb.index.chroma import COLLECTION, HNSW, VectorIndex
from kb.index.filters import statement_metadata, to_epoch, topic_key, where_clause

__all__ = ["COLLECTION", "HNSW", "VectorIndex", "statement_metadata", "to_epoch", "topic_key", "where_clause"]

"""Embeddings: one `Embedder` interface over sentence-transformers (kb.embed.st) and a
deterministic fake for tests (kb.embed.fake). Only this package imports an embedding backend."""

from kb.embed.base import Embedder, get_embedder

__all__ = ["Embedder", "get_embedder"]

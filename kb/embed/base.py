"""The Embedder interface. A backend implements `_encode`; batching and prefixes live here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from kb.config import Settings


class Embedder:
    """Turns statements (passages) and queries into L2-normalised float32 vectors."""

    name: str = "base"  # identifies the model; a KB refuses to mix vectors of two names
    dim: int = 0
    query_prefix: str = ""
    passage_prefix: str = ""

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text])[0]


def get_embedder(settings: Settings) -> Embedder:
    """The embedder a KB's settings ask for. `model = "fake"` gives the deterministic test double."""
    if settings.model == "fake":
        from kb.embed.fake import FakeEmbedder

        return FakeEmbedder()
    from kb.embed.st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder.from_settings(settings)

"""A deterministic, dependency-free embedder for tests of logic around embeddings.

Each character bigram of the simplified text is hashed into one of `dim` buckets; texts that share
words get close vectors, so ranking tests behave sensibly without a model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from kb.embed.base import Embedder
from kb.textnorm import alias_key


class FakeEmbedder(Embedder):
    name = "fake"

    def __init__(self, dim: int = 64):
        self.dim = dim

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            key = alias_key(text)
            grams = [key[j : j + 2] for j in range(max(1, len(key) - 1))]
            for g in grams:
                h = int.from_bytes(hashlib.md5(g.encode()).digest()[:4], "little")
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else 1.0 / np.sqrt(self.dim)
        return out

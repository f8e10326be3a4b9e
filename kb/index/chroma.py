"""The vector index: one Chroma collection of statement vectors with filterable metadata.

Embedded `PersistentClient` in `<home>/chroma` by default; a Chroma server (`chroma run …`) through
`HttpClient` when `settings.chroma_url` (KB_CHROMA_URL) is set — the same calls either way, which
is the first step past one machine. The index is derived from SQLite: `reset()` drops it and
`kb reindex` fills it again.

The collection's metadata records the embedding model and vector size that built it. Opening it
with another model raises KbError: vectors of two models are not comparable, so the index refuses
to mix them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np

from kb.config import Settings
from kb.errors import KbError
from kb.index.filters import matches

COLLECTION = "statements"
INDEX_VERSION = 1
# HNSW parameters, measured at 100k vectors of dimension 384 on the 2 shared cores (M = max_neighbors):
# on clustered vectors built around real e5 statement vectors, recall@10 is 0.957 / 0.985 / 1.0 / 1.0
# at ef_search 16 / 32 / 64 / 128 for ~1-4 ms a query; on unstructured Gaussian vectors (a worst case)
# 0.43 / 0.59 / 0.73 at 32 / 64 / 128. A query costs little next to embedding the query text, so
# ef_search takes the safe 128. ef_construction 128 built 100k vectors in ~100 s of CPU.
HNSW = {"space": "cosine", "max_neighbors": 16, "ef_construction": 128, "ef_search": 128}
# Filtered queries (see VectorIndex.query): how many unfiltered neighbours to over-fetch (per
# requested hit, and at least), and up to how many matching records are ranked exactly here.
# Over-fetching 500 rather than 200 raised recall@10 under a 10% filter from 0.85 to 0.95.
OVERFETCH, OVERFETCH_MIN = 20, 500
EXACT_MAX = 2000

# Chroma's own telemetry goes nowhere here; keep it off before chromadb is imported.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    logging.getLogger("chromadb").setLevel(logging.ERROR)
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(
            settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}"
        )
        if url.scheme not in {"http", "https"} or not url.hostname:
            raise KbError(f"KB_CHROMA_URL must look like http://host:port, not {settings.chroma_url!r}")
        ssl = url.scheme == "https"
        try:
            return chromadb.HttpClient(
                host=url.hostname, port=url.port or (443 if ssl else 8000), ssl=ssl, settings=chroma_settings
            )
        except Exception as err:
            raise KbError(f"cannot reach the Chroma server at {settings.chroma_url}: {err}") from err
    _forget_if_deleted(settings.chroma_path)
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def _forget_if_deleted(path: Any) -> None:
    """Chroma keeps one client system per folder for the whole process. When the folder was
    deleted meanwhile (a user removing a broken index, `kb doctor` tests), that cached system points
    at files that are gone; drop it so that the folder is opened afresh."""
    from chromadb.api.shared_system_client import SharedSystemClient

    key = str(path)
    if key in SharedSystemClient._identifier_to_system and not (path / "chroma.sqlite3").exists():
        system = SharedSystemClient._identifier_to_system.pop(key)
        SharedSystemClient._identifier_to_refcount.pop(key, None)
        try:
            system.stop()
        except Exception:  # already broken: nothing left to release
            pass


def _clean_metadata(meta: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Chroma takes str/int/float/bool values only, and no empty dicts."""
    if not meta:
        return None
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, str | int | float | bool):
            value = str(value)
        out[str(key)] = value
    return out or None


class VectorIndex:
    """`VectorIndex(settings, model_name=embedder.name, dim=embedder.dim)`.

    model_name/dim may be left out to open an existing index as it is (counts, ids, deletes);
    creating one needs them."""

    def __init__(
        self,
        settings: Settings,
        model_name: str | None = None,
        dim: int | None = None,
        *,
        collection: str = COLLECTION,
    ):
        self.settings = settings
        self.collection_name = collection
        self.model_name = model_name
        self.dim = dim
        self._client = _client(settings)
        self._batch = max(1, int(self._client.get_max_batch_size()))
        self._col = self._open()

    @property
    def where(self) -> str:
        return self.settings.chroma_url or str(self.settings.chroma_path)

    # ------------------------------------------------------------------------------- lifecycle

    def _open(self) -> Any:
        try:
            col = self._client.get_collection(self.collection_name, embedding_function=None)
        except Exception as err:
            if not _is_not_found(err):
                raise KbError(f"cannot open the vector index at {self.where}: {err}") from err
            return self._create()
        meta = col.metadata or {}
        built_model, built_dim = meta.get("model"), meta.get("dim")
        if self.model_name is not None and built_model not in (None, self.model_name):
            raise KbError(
                f"index built with {built_model}; settings use {self.model_name}; run `kb reindex` to switch"
            )
        if self.dim is not None and built_dim not in (None, self.dim):
            raise KbError(
                f"index holds {built_dim}-dimensional vectors; model {self.model_name} gives {self.dim}; "
                "run `kb reindex` to switch"
            )
        self.model_name = self.model_name or built_model
        self.dim = self.dim or built_dim
        return col

    def _create(self) -> Any:
        if not self.model_name or not self.dim:
            raise KbError("the vector index does not exist yet; run `kb reindex` to build it")
        meta = {"model": self.model_name, "dim": int(self.dim), "kb_index_version": INDEX_VERSION}
        return self._client.get_or_create_collection(
            self.collection_name, configuration={"hnsw": dict(HNSW)}, metadata=meta, embedding_function=None
        )

    def reset(self) -> None:
        """Drop every vector and start again for the current model (kb reindex)."""
        try:
            self._client.delete_collection(self.collection_name)
        except Exception as err:
            if not _is_not_found(err):
                raise
        self._col = self._create()

    # ----------------------------------------------------------------------------------- writes

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray | Sequence[Sequence[float]],
        metadatas: Sequence[Mapping[str, Any] | None] | None = None,
    ) -> None:
        if len(ids) == 0:
            return
        vecs = np.asarray(vectors, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[0] != len(ids):
            raise ValueError(f"upsert: {len(ids)} ids but vectors of shape {vecs.shape}")
        if self.dim and vecs.shape[1] != self.dim:
            raise KbError(f"vectors have {vecs.shape[1]} dimensions, the index holds {self.dim}")
        metas = [_clean_metadata(m) for m in metadatas] if metadatas is not None else None
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            self._col.upsert(
                ids=[str(i) for i in ids[start:end]],
                embeddings=vecs[start:end],
                metadatas=metas[start:end] if metas is not None else None,  # type: ignore[arg-type]
            )

    def delete(self, ids: Iterable[str]) -> None:
        id_list = [str(i) for i in ids]
        for start in range(0, len(id_list), self._batch):
            self._col.delete(ids=id_list[start : start + self._batch])

    # ------------------------------------------------------------------------------------ reads

    def query(
        self, vector: np.ndarray | Sequence[float], k: int = 10, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """The k nearest statements (that match `where`), best first, as (id, cosine similarity).

        Chroma's own filtered search is slow at scale (measured at 100k vectors: 0.3-1 s, whether
        the filter keeps 0.1% or 100% of the records, against ~5 ms unfiltered), so a filter is
        applied in up to three steps, each exact up to HNSW's recall:
        1. over-fetch unfiltered neighbours and keep those that match (broad filters);
        2. few matching records: fetch exactly those vectors and rank them here (narrow filters);
        3. otherwise Chroma's filtered search."""
        if k <= 0:
            return []
        vec = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        if not where:
            return self._knn(vec, k)
        total = self.count()
        if total == 0:
            return []
        n = min(total, max(OVERFETCH_MIN, OVERFETCH * k))
        hits, seen = self._knn_post_filtered(vec, n, where)
        if len(hits) >= k or n >= total:
            return hits[:k]
        # Estimate how many records match from the sample; narrow filters go the exact way.
        if len(hits) * total <= EXACT_MAX * seen:
            exact = self._exact(vec, k, where)
            if exact is not None:
                return exact
        return self._knn(vec, k, where)

    def query_among(
        self, vector: np.ndarray | Sequence[float], k: int, ids: Sequence[str]
    ) -> list[tuple[str, float]]:
        """The k nearest among `ids` (a pre-filter computed elsewhere, e.g. in SQL), best first.
        Chroma restricts the HNSW search to those records: measured at 100k vectors, 20-80 ms for
        10k-50k ids, against 0.6 s for the same records selected by a `where` filter."""
        if k <= 0 or not ids:
            return []
        vec = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        try:
            res = self._col.query(
                query_embeddings=vec, ids=[str(i) for i in ids], n_results=int(min(k, len(ids))),
                include=["distances"],
            )  # fmt: skip
        except Exception as err:
            if _is_empty_error(err):
                return []
            raise
        got = res["ids"][0] if res["ids"] else []
        dists = res["distances"][0] if res.get("distances") else []
        return [(i, 1.0 - float(d)) for i, d in zip(got, dists, strict=False)]

    def _knn(self, vec: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        try:
            res = self._col.query(query_embeddings=vec, n_results=int(k), where=where, include=["distances"])
        except Exception as err:
            if _is_empty_error(err):
                return []
            raise
        ids = res["ids"][0] if res["ids"] else []
        dists = res["distances"][0] if res.get("distances") else []
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=False)]

    def _knn_post_filtered(self, vec: np.ndarray, n: int, where: dict) -> tuple[list[tuple[str, float]], int]:
        res = self._col.query(query_embeddings=vec, n_results=int(n), include=["distances", "metadatas"])
        ids, dists, metas = res["ids"][0], res["distances"][0], res["metadatas"][0]
        hits = [(i, 1.0 - float(d)) for i, d, m in zip(ids, dists, metas, strict=False) if matches(where, m)]
        return hits, len(ids)

    def _exact(self, vec: np.ndarray, k: int, where: dict) -> list[tuple[str, float]] | None:
        got = self._col.get(where=where, include=["embeddings"], limit=EXACT_MAX + 1)
        if len(got["ids"]) > EXACT_MAX:
            return None
        if not got["ids"]:
            return []
        emb = np.asarray(got["embeddings"], dtype=np.float32)
        # The index space is cosine: normalise both sides, so unnormalised vectors rank alike.
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        q = vec[0] / max(float(np.linalg.norm(vec[0])), 1e-12)
        sims = emb @ q
        order = np.argsort(-sims, kind="stable")[:k]
        return [(got["ids"][i], float(sims[i])) for i in order]

    def count(self) -> int:
        return int(self._col.count())

    def ids(self, page: int = 10_000) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            got = self._col.get(include=[], limit=page, offset=offset)["ids"]
            out.update(got)
            if len(got) < page:
                return out
            offset += page

    def get_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (for copying vectors without re-embedding, e.g. benchmarks)."""
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), self._batch):
            res = self._col.get(ids=list(ids[start : start + self._batch]), include=["embeddings"])
            for i, v in zip(res["ids"], res["embeddings"], strict=True):
                out[i] = np.asarray(v, dtype=np.float32)
        return out


def _is_not_found(err: Exception) -> bool:
    name = type(err).__name__
    return name in {"NotFoundError", "InvalidCollectionException"} or "does not exist" in str(err)


def _is_empty_error(err: Exception) -> bool:
    # Older Chroma versions refuse a query on an empty collection instead of answering nothing.
    return "empty" in str(err).lower() or "Number of requested results" in str(err)

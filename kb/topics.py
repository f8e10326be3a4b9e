"""Topics of statements: the taxonomy in data/topics.json and a tagger over keywords and embeddings.

A statement gets zero or more topics. Two signals, combined because each fails differently:
- keywords (substrings of the simplified text) are precise for named things ("价格战", "GPU") but
  miss paraphrases and fire on generic words;
- embedding similarity to the topic's example statements and labels catches paraphrases
  ("让更多企业用得起" → pricing) but is fuzzy with a small model.
Score = KW_WEIGHT · keyword score + (similarity − mean similarity over topics); a topic is kept
when its score passes the threshold. Weights and thresholds were chosen on the dev split of
data/gold/topics-dev.jsonl for multilingual-e5-small (see `kb eval topics`, which also reports the
keyword-only and embedding-only modes). Other embedding models, whose similarity scales differ,
get the keyword signal only until they are calibrated (`MODEL_PARAMS`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from kb.errors import KbError
from kb.textnorm import alias_key, to_simplified

if TYPE_CHECKING:
    from kb.embed.base import Embedder
    from kb.records import Stance, Statement

TAXONOMY_FILE = Path(__file__).resolve().parents[1] / "data" / "topics.json"


@dataclass
class Topic:
    id: str
    label_zh: str
    label_en: str
    aliases: list[str]
    keywords: list[str]
    proposition_zh: str
    proposition_en: str
    examples: list[dict[str, str]] = field(default_factory=list)  # {"text", "stance"}

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def descriptions(self) -> list[str]:
        """Texts whose embeddings stand for the topic: its labels and example statements."""
        return [self.label_zh, self.label_en] + [e["text"] for e in self.examples]


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Topic, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(
        Topic(
            id=t["id"],
            label_zh=t["labels"]["zh"],
            label_en=t["labels"]["en"],
            aliases=list(t.get("aliases", [])),
            keywords=[to_simplified(k).lower() for k in t.get("keywords", [])],
            proposition_zh=t["proposition"]["zh"],
            proposition_en=t["proposition"]["en"],
            examples=list(t.get("examples", [])),
        )
        for t in data["topics"]
    )


def load_taxonomy(path: str | Path | None = None) -> list[Topic]:
    return list(_load(str(path or TAXONOMY_FILE)))


def topic_ids() -> list[str]:
    return [t.id for t in load_taxonomy()]


def get_topic(topic_id: str) -> Topic:
    for t in load_taxonomy():
        if t.id == topic_id:
            return t
    raise KbError(f"unknown topic {topic_id!r}")


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for t in load_taxonomy():
        for name in [t.id, t.id.replace("_", " "), t.label_zh, t.label_en, *t.aliases]:
            table.setdefault(alias_key(name), t.id)
    return table


def find_topic(text: str, *, strict: bool = True) -> str | None:
    """The topic id that a name or alias in any language or script denotes ("价格战", "pricing",
    "open source", "開源" …). Unknown names raise KbError naming the closest topics (or return None
    with strict=False, for callers such as query parsing that only probe)."""
    key = alias_key(text)
    table = _alias_table()
    if key in table:
        return table[key]
    if not strict:
        return None
    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.5)
    names = sorted({table[c] for c in close}) or [t.id for t in load_taxonomy()]
    raise KbError(f"unknown topic {text!r}; did you mean: {', '.join(names)}?")


def topic_mentions(text: str) -> list[tuple[str, int, int]]:
    """Topic aliases found inside a free-text query: (topic_id, start, end) in `text`, longest
    first and non-overlapping — for search's query understanding."""
    simp = to_simplified(text).lower()
    found: list[tuple[str, int, int]] = []
    names = sorted(
        (
            (to_simplified(a).lower(), t.id)
            for t in load_taxonomy()
            for a in [*t.aliases, t.label_zh, t.label_en]
        ),
        key=lambda x: -len(x[0]),
    )
    taken = [False] * len(simp)
    for name, tid in names:
        start = simp.find(name)
        while start >= 0 and name:
            end = start + len(name)
            ascii_word = name.isascii()
            bounded = not ascii_word or (
                (start == 0 or not simp[start - 1].isalnum())
                and (end == len(simp) or not simp[end].isalnum())
            )
            if bounded and not any(taken[start:end]):
                found.append((tid, start, end))
                for i in range(start, end):
                    taken[i] = True
            start = simp.find(name, end)
    return sorted(found, key=lambda x: x[1])


# -- the tagger -------------------------------------------------------------------------------

# Per embedding model: weight of the keyword score and the threshold on the combined score.
# Chosen on the dev split (see kb.eval.topics); similarity is relative to the mean over topics.
MODEL_PARAMS: dict[str, dict[str, float]] = {
    "multilingual-e5-small": {"kw_weight": 0.06, "threshold": 0.027, "emb_threshold": 0.011},
}
KEYWORD_ONLY = {"kw_weight": 1.0, "threshold": 0.5, "emb_threshold": 99.0}
MAX_TOPICS = 3  # a sentence rarely argues more than three topics; more is usually noise


def _contains(low: str, keyword: str) -> bool:
    """Substring match; Latin keywords ("api", "gpu") only as whole words, so "ar" is not found
    inside "Parallels"."""
    if not keyword:
        return False
    if not keyword.isascii():
        return keyword in low
    return re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", low) is not None


def keyword_scores(text_simplified: str, topics: Sequence[Topic]) -> np.ndarray:
    """Per topic: 0 (no keyword), 0.5 (one), 1 (two or more distinct keywords)."""
    low = text_simplified.lower()
    out = np.zeros(len(topics), dtype=np.float32)
    for j, t in enumerate(topics):
        hits = sum(1 for k in t.keywords if _contains(low, k))
        out[j] = 0.0 if hits == 0 else (0.5 if hits == 1 else 1.0)
    return out


class TopicTagger:
    """Tags simplified statement texts with topics. `mode`: "combined" (default), "keyword" or
    "embedding" (the last two for measurement)."""

    def __init__(
        self, embedder: Embedder | None, *, mode: str = "combined", taxonomy: list[Topic] | None = None
    ):
        self.topics = taxonomy or load_taxonomy()
        self.embedder = embedder
        name = getattr(embedder, "name", "")
        calibrated = name in MODEL_PARAMS
        self.params = dict(MODEL_PARAMS.get(name, KEYWORD_ONLY))
        self.mode = mode if calibrated else "keyword"
        self._centroids: np.ndarray | None = None
        if self.mode != "keyword" and embedder is not None:
            self._centroids = _topic_vectors(embedder, tuple(self.topics))

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, topics): max cosine to a topic's description vectors, minus the row mean, so that
        the generic closeness of all Chinese tech sentences cancels out."""
        assert self._centroids is not None
        sims = np.asarray(vectors, dtype=np.float32) @ self._centroids.T  # (n, total descriptions)
        per = np.stack([sims[:, idx].max(axis=1) for idx in self._slices], axis=1)
        return per - per.mean(axis=1, keepdims=True)

    @property
    def _slices(self) -> list[np.ndarray]:
        out, i = [], 0
        for t in self.topics:
            n = len(t.descriptions())
            out.append(np.arange(i, i + n))
            i += n
        return out

    def scores(self, texts_simplified: Sequence[str], vectors: np.ndarray | None) -> np.ndarray:
        kw = (
            np.stack([keyword_scores(t, self.topics) for t in texts_simplified]) if texts_simplified else None
        )
        if kw is None:
            return np.zeros((0, len(self.topics)), dtype=np.float32)
        if self.mode == "keyword" or vectors is None or self._centroids is None:
            return kw
        sim = self.similarities(vectors)
        if self.mode == "embedding":
            return sim
        return self.params["kw_weight"] * kw + sim

    def tag(
        self, texts_simplified: Sequence[str], vectors: np.ndarray | None
    ) -> list[list[tuple[str, float]]]:
        """Per text: [(topic_id, score)], best first, at most MAX_TOPICS."""
        s = self.scores(texts_simplified, vectors)
        if self.mode == "keyword" or self._centroids is None or vectors is None:
            thr = KEYWORD_ONLY["threshold"]
        elif self.mode == "embedding":
            thr = self.params["emb_threshold"]
        else:
            thr = self.params["threshold"]
        out: list[list[tuple[str, float]]] = []
        for row in s:
            order = np.argsort(-row)
            out.append([(self.topics[j].id, float(row[j])) for j in order[:MAX_TOPICS] if row[j] >= thr])
        return out


_VECTORS: dict[tuple[str, int, tuple[str, ...]], np.ndarray] = {}


def _topic_vectors(embedder: Embedder, topics: tuple[Topic, ...]) -> np.ndarray:
    """Embeddings of every topic description, computed once per embedder and taxonomy."""
    texts = tuple(d for t in topics for d in t.descriptions())
    key = (embedder.name, id(embedder), texts)
    if key not in _VECTORS:
        _VECTORS[key] = np.asarray(embedder.embed_passages(list(texts)), dtype=np.float32)
    return _VECTORS[key]


_TAGGERS: dict[int, TopicTagger] = {}


def tagger_for(embedder: Embedder | None) -> TopicTagger:
    key = id(embedder)
    if key not in _TAGGERS:
        _TAGGERS[key] = TopicTagger(embedder)
    return _TAGGERS[key]


def annotate(
    statements: Sequence[Statement],
    vectors: np.ndarray | None,
    embedder: Embedder | None,
    *,
    home: str | Path | None = None,
) -> None:
    """Set `topics`, `stances` (per topic) and `stance` (of the first topic) on each statement.

    `vectors` are the passage embeddings of the statements' texts (L2-normalised, same order).
    The stance model is the KB's own (`<home>/stance-model.pkl`, retrained from corrections) when
    `home` has one for this embedder, else the base model trained on the packaged labelled data.
    """
    from kb.stance import load_model

    if not statements:
        return
    texts = [to_simplified(s.text) for s in statements]
    tags = tagger_for(embedder).tag(texts, vectors)
    model = load_model(embedder, home)
    pairs = [(i, tid) for i, row in enumerate(tags) for tid, _ in row]
    preds = model.predict(texts, vectors, [tid for _, tid in pairs], [i for i, _ in pairs]) if pairs else []
    for s, row in zip(statements, tags, strict=True):
        s.topics = [tid for tid, _ in row]
        s.stances = {}
    for (i, tid), stance in zip(pairs, preds, strict=True):
        statements[i].stances[tid] = cast("Stance", stance)
    for s in statements:
        s.stance = s.stances.get(s.topics[0]) if s.topics else None


def taxonomy_json() -> list[dict[str, Any]]:
    """The taxonomy as plain dicts, for the app and `--json` output."""
    return [
        {"id": t.id, "label_zh": t.label_zh, "label_en": t.label_en, "proposition_zh": t.proposition_zh,
         "proposition_en": t.proposition_en}
        for t in load_taxonomy()
    ]  # fmt: skip

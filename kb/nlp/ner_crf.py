"""A trained Chinese NER tagger: a character-level linear-chain CRF (python-crfsuite) on CLUENER2020.

Why a CRF: no GPU, no model hub, two CPU cores. A CRF with rich hand-made features trains on the
10,748 CLUENER train sentences in a couple of minutes and tags tens of thousands of characters per
second, well above the rule tagger (kb/nlp/ner.py) on names and companies. Its weights are not in the
repository: scripts/setup.sh trains it once into the cache (`kb.config.cache_dir()/models/ner-crf`),
and everything falls back to the rule tagger when it is absent.

API:
    tagger = load()                       # Tagger, or None when no (current) model is cached
    tagger.tag(text) -> [(start, end, label)]   character offsets, end EXCLUSIVE, sorted;
                                          labels are CLUENER's: name, company, position, organization,
                                          government, address, game, book, movie, scene.
    train(train_path, out_dir)            # trains when the cached model is missing or stale
    tag_or_rules(text)                    # the CRF when present, else the rule tagger, same labels

Tags are BIOES over the ten labels. Features of character i (FEATURE_VERSION names this set;
bump it when they change so that the cached model is retrained): the characters in a window of ±3, character bigrams and trigrams
around i, character types (han/latin/digit/punct/other), common-surname flags, the jieba token that
contains i (position B/M/E/S, length, the token itself, its dictionary POS tag, and the
neighbouring tokens and their POS), longest-match gazetteers (registry people and companies, our
title list, and the mentions of the train split with their label — jackknifed while training, see
`fit`), and company/organisation suffix cues (公司/集团/科技/银行/大学…).

Measured on CLUENER dev (exact spans, F1): name 81.4, company 77.9, position 76.5; all ten labels
74.0 — best rules: 44.2 / 24.2 / 67.5; BERT-base: 88.3 / 83.9 / 81.1. Training: ~3-4 minutes on
one core (50 s features + 200 s L-BFGS), 0.9 GB; the model is ~24 MB. Tagging: ~30k characters/s
(~600 sentences/s) on one busy core; Python feature building and jieba dominate.

CLI:
    python -m kb.nlp.ner_crf train [--train PATH] [--force] [--quiet]   (set-up runs this)
    python -m kb.nlp.ner_crf tune                       c1/c2 on a held-out 10% of train
    python -m kb.nlp.ner_crf tag "小米集团董事长雷军表示"
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import logging
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb.config import cache_dir
from kb.textnorm import to_simplified

# Bump when features, labels or the encoding change: a cached model with another version is stale.
FEATURE_VERSION = "crf-4"
MODEL_DIR_NAME = "ner-crf"
MODEL_FILE = "model.crfsuite"
META_FILE = "meta.json"
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "cluener" / "train.json"
TITLES_FILE = ROOT / "data" / "registry" / "titles.json"
# Tuned on a held-out 10% of train (`python -m kb.nlp.ner_crf tune`), never on dev; F1 over all ten
# labels at 100 iterations: c1/c2 0.05/0.01 73.2, 0.05/0.1 74.0, 0.05/0.3 74.1, 0.25/0.01 73.0,
# 0.25/0.1 73.4 (BIO tags); BIOES at 0.05/0.3: 74.8. 100 iterations keeps training within ~3
# minutes (each is ~1.6 s here).
DEFAULT_PARAMS: dict[str, Any] = {"c1": 0.05, "c2": 0.3, "max_iterations": 100}
WINDOW = 3
MAX_MENTION = 16
FOLDS = 5
MENTIONS_FILE = "mentions.json"
# Endings that mark organisations of some kind; the CRF learns which label each one signals.
EXTRA_SUFFIXES = (
    "大学", "学院", "中学", "小学", "学校", "医院", "研究院", "研究所", "实验室", "协会", "委员会", "俱乐部",
    "政府", "部", "局", "厅", "署", "委", "法院", "检察院", "队", "联盟", "基金会", "中心", "工作室", "电视台",
    "报", "网", "社", "店", "厂", "所", "馆", "站",
)  # fmt: skip

Span = tuple[int, int, str]

log = logging.getLogger(__name__)


# -- text → features ----------------------------------------------------------------------------


def _norm_char(c: str) -> str:
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:  # full-width ASCII → ASCII (one character for one: offsets hold)
        c = chr(o - 0xFEE0)
    elif c == "\u3000":
        c = " "
    return c.lower()


def _ctype(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf":
        return "H"
    if c.isascii():
        if c.isalpha():
            return "L"
        if c.isdigit():
            return "D"
        if c.isspace():
            return "S"
        return "P"
    if c.isdigit():
        return "D"
    if c.isalpha():
        return "A"
    return "P"


class Lexicons:
    """Gazetteers and cue lists used as features: registry names, titles, surnames, suffixes."""

    def __init__(
        self,
        people: Iterable[str] = (),
        companies: Iterable[str] = (),
        titles: Iterable[str] = (),
        surnames: Iterable[str] = (),
        compound_surnames: Iterable[str] = (),
        suffixes: Iterable[str] = (),
    ) -> None:
        self.gaz: dict[str, set[str]] = {
            "P": {self._key(x) for x in people if self._usable(x)},
            "C": {self._key(x) for x in companies if self._usable(x)},
            "T": {self._key(x) for x in titles if self._usable(x)},
        }
        self.maxlen = {k: max((len(x) for x in v), default=0) for k, v in self.gaz.items()}
        self.surnames = set(surnames)
        self.compound = set(compound_surnames)
        self.suffixes = {x for x in suffixes if x}
        self.suffix_lens = sorted({len(x) for x in self.suffixes}, reverse=True)
        self.mentions: dict[str, str] = {}
        self.mentions_maxlen = 0

    def with_mentions(self, mentions: dict[str, str]) -> Lexicons:
        """A copy that also matches `mentions` (text → CLUENER label, harvested from train)."""
        out = copy.copy(self)
        out.mentions = mentions
        out.mentions_maxlen = min(max((len(x) for x in mentions), default=0), MAX_MENTION)
        return out

    def labeled(self, chars: str) -> list[str]:
        """B-label/I-label/O of the longest left-to-right matches of the train mentions."""
        out = ["O"] * len(chars)
        words, maxlen = self.mentions, self.mentions_maxlen
        if not words:
            return out
        i, n = 0, len(chars)
        while i < n:
            for L in range(min(maxlen, n - i), 1, -1):
                label = words.get(chars[i : i + L])
                if label is not None:
                    out[i] = "B-" + label
                    for j in range(i + 1, i + L):
                        out[j] = "I-" + label
                    i += L
                    break
            else:
                i += 1
        return out

    def fingerprint(self) -> str:
        """A hash of every gazetteer entry: a model trained with other gazetteers reads other features."""
        parts = [f"{k}:{x}" for k in sorted(self.gaz) for x in sorted(self.gaz[k])]
        parts += sorted(f"S:{x}" for x in self.surnames) + sorted(f"D:{x}" for x in self.compound)
        parts += sorted(f"X:{x}" for x in self.suffixes)
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    @staticmethod
    def _key(s: str) -> str:
        return "".join(_norm_char(c) for c in to_simplified(s))

    @staticmethod
    def _usable(s: str) -> bool:
        # One-character or short Latin aliases ("AI") would fire everywhere.
        if any("\u4e00" <= c <= "\u9fff" for c in s):
            return len(s) >= 2
        return len(s) >= 4

    @classmethod
    def default(cls) -> Lexicons:
        return _default_lexicons()

    def bio(self, chars: str, kind: str) -> list[str]:
        """B/I/O of the longest left-to-right matches of one gazetteer."""
        out = ["O"] * len(chars)
        words, maxlen = self.gaz[kind], self.maxlen[kind]
        if not words:
            return out
        i, n = 0, len(chars)
        while i < n:
            for L in range(min(maxlen, n - i), 1, -1):
                if chars[i : i + L] in words:
                    out[i] = "B"
                    for j in range(i + 1, i + L):
                        out[j] = "I"
                    i += L
                    break
            else:
                i += 1
        return out


@lru_cache(maxsize=1)
def _default_lexicons() -> Lexicons:
    from kb.registry import Registry

    reg = Registry.load()
    people: list[str] = []
    companies: list[str] = []
    for alias, kind in reg.names():
        (people if kind == "person" else companies).append(alias)
    data = json.loads(TITLES_FILE.read_text(encoding="utf-8"))
    return Lexicons(
        people=people,
        companies=companies,
        titles=data.get("titles", []),
        surnames=data.get("surnames", []),
        compound_surnames=data.get("compound_surnames", []),
        suffixes=list(data.get("company_suffixes", [])) + list(EXTRA_SUFFIXES),
    )


@lru_cache(maxsize=1)
def plain_jieba():  # type: ignore[no-untyped-def]
    # A private jieba instance: kb.nlp adds registry names to the global one, which would make
    # segmentation (and so the features) differ between training and tagging.
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk, jieba.posseg.POSTokenizer(tk).word_tag_tab


def words_pos(simp: str) -> list[tuple[str, str]]:
    """jieba tokens with their dictionary POS tag. jieba.posseg's own HMM tagging of unknown words
    is 6x slower than segmentation; a word the dictionary lacks gets "un" (jieba's HMM found it:
    often a name) or its character type, which tells the CRF much the same."""
    tk, tab = plain_jieba()
    out = []
    for w in tk.cut(simp, HMM=True):
        flag = tab.get(w)
        if flag is None:
            t = _ctype(w[0])
            flag = "un" if t == "H" else "eng" if t == "L" else "m" if t == "D" else "x"
        out.append((w, flag))
    return out


def features(text: str, lex: Lexicons | None = None) -> list[list[str]]:
    """One list of feature strings per character of `text` (any script; offsets are kept)."""
    lex = lex or Lexicons.default()
    simp = to_simplified(text)
    chars = "".join(_norm_char(c) for c in simp)
    n = len(chars)
    if n == 0:
        return []
    types = [_ctype(c) for c in chars]
    pad = ["<s>"] * WINDOW
    cs = pad + list(chars) + ["</s>"] * WINDOW
    ts = pad + types + ["</s>"] * WINDOW

    # jieba tokens (on the simplified text, so that both scripts segment alike)
    wpos = [""] * n  # B/M/E/S
    wlen = [0] * n
    widx = [0] * n
    words: list[tuple[str, str]] = []
    i = 0
    for w, flag in words_pos(simp):
        L = len(w)
        if L == 0:
            continue
        k = len(words)
        words.append((chars[i : i + L], flag))
        for j in range(i, min(i + L, n)):
            widx[j] = k
            wlen[j] = L
            wpos[j] = "S" if L == 1 else ("B" if j == i else "E" if j == i + L - 1 else "M")
        i += L
    gz = {k: lex.bio(chars, k) for k in ("P", "C", "T")}
    gx = lex.labeled(chars)
    # suffix cues: a suffix ends at i / starts right after i
    sfx_end = [""] * n
    sfx_next = [""] * (n + 1)
    if lex.suffixes:
        for e in range(1, n + 1):
            for L in lex.suffix_lens:
                if L <= e and chars[e - L : e] in lex.suffixes:
                    sfx_end[e - 1] = chars[e - L : e]
                    sfx_next[e - L] = chars[e - L : e]
                    break

    out: list[list[str]] = []
    nw = len(words)
    for i in range(n):
        p = i + WINDOW
        c0 = cs[p]
        f = [
            "b",
            "c=" + c0,
            "c-1=" + cs[p - 1],
            "c+1=" + cs[p + 1],
            "c-2=" + cs[p - 2],
            "c+2=" + cs[p + 2],
            "c-3=" + cs[p - 3],
            "c+3=" + cs[p + 3],
            "bg-2=" + cs[p - 2] + cs[p - 1],
            "bg-1=" + cs[p - 1] + c0,
            "bg+1=" + c0 + cs[p + 1],
            "bg+2=" + cs[p + 1] + cs[p + 2],
            "tg-1=" + cs[p - 2] + cs[p - 1] + c0,
            "tg0=" + cs[p - 1] + c0 + cs[p + 1],
            "tg+1=" + c0 + cs[p + 1] + cs[p + 2],
            "t=" + ts[p],
            "t3=" + ts[p - 1] + ts[p] + ts[p + 1],
            "t5=" + ts[p - 2] + ts[p - 1] + ts[p] + ts[p + 1] + ts[p + 2],
        ]
        if c0 in lex.surnames:
            f.append("sur")
        if cs[p - 1] in lex.surnames:
            f.append("sur-1")
        if cs[p - 2] in lex.surnames:
            f.append("sur-2")
        if c0 + cs[p + 1] in lex.compound:
            f.append("csur")
        k = widx[i]
        w, flag = words[k]
        wp = wpos[i]
        f.append("wp=" + wp)
        f.append("wl=" + str(min(wlen[i], 6)) + wp)
        f.append("pos=" + flag)
        f.append("pos.wp=" + flag + wp)
        if len(w) > 1:
            f.append("w=" + w)
        pw, pf = words[k - 1] if k > 0 else ("<s>", "<s>")
        nxw, nf = words[k + 1] if k + 1 < nw else ("</s>", "</s>")
        f.append("pw=" + pw)
        f.append("nw=" + nxw)
        f.append("pp=" + pf)
        f.append("np=" + nf)
        f.append("ppnp=" + pf + "|" + nf)
        for g, tags in gz.items():
            if tags[i] != "O":
                f.append("g" + g + "=" + tags[i])
            if i + 1 < n and tags[i + 1] == "B":
                f.append("g" + g + "+1=B")
            if i > 0 and tags[i - 1] != "O" and tags[i] != "I":
                f.append("g" + g + "-1=end")
        if gx[i] != "O":
            f.append("gx=" + gx[i])
        if i + 1 < n and gx[i + 1][0] == "B":
            f.append("gx+1=" + gx[i + 1])
        if i > 0 and gx[i - 1] != "O" and gx[i][0] != "I":
            f.append("gx-1=E" + gx[i - 1][1:])
        if sfx_end[i]:
            f.append("sfx=" + sfx_end[i])
        if sfx_next[i + 1]:
            f.append("sfx+1=" + sfx_next[i + 1])
        out.append(f)
    return out


# -- labels ---------------------------------------------------------------------------------------


def spans_to_tags(n: int, spans: Iterable[Span]) -> list[str]:
    """BIOES tags for `n` characters from (start, end exclusive, label); longer spans win overlaps.
    BIOES rather than BIO: +0.7 F1 (all labels) on the held-out part of train."""
    tags = ["O"] * n
    for s, e, label in sorted(spans, key=lambda x: x[0] - x[1]):
        if s < 0 or e > n or s >= e or any(t != "O" for t in tags[s:e]):
            continue
        if e - s == 1:
            tags[s] = "S-" + label
            continue
        tags[s] = "B-" + label
        for j in range(s + 1, e - 1):
            tags[j] = "I-" + label
        tags[e - 1] = "E-" + label
    return tags


def tags_to_spans(tags: Sequence[str]) -> list[Span]:
    """(start, end exclusive, label) from BIO (or BIOES) tags; an I-/E- without its B- opens a span
    (the CRF rarely does that)."""
    out: list[Span] = []
    start, label = -1, ""
    for i, t in enumerate(list(tags) + ["O"]):
        kind, lab = t[:1], t[2:]
        if kind in "IE" and start >= 0 and lab == label:
            if kind == "E":
                out.append((start, i + 1, label))
                start, label = -1, ""
            continue
        if start >= 0:
            out.append((start, i, label))
            start, label = -1, ""
        if kind in "SE":
            out.append((i, i + 1, lab))
        elif t != "O":
            start, label = i, lab
    return out


def read_examples(path: Path) -> Iterator[tuple[str, list[Span]]]:
    """(text, spans) from a CLUENER file (spans there include their end; here they exclude it)."""
    from kb.eval.ner import read_cluener

    for obj in read_cluener(path):
        spans = [
            (int(s), int(e) + 1, label)
            for label, mentions in (obj.get("label") or {}).items()
            for pairs in mentions.values()
            for s, e in pairs
        ]
        yield obj["text"], spans


# -- the model ------------------------------------------------------------------------------------


def model_dir() -> Path:
    return cache_dir() / "models" / MODEL_DIR_NAME


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def mention_counts(text: str, spans: Sequence[Span]) -> Counter[tuple[str, str]]:
    """(normalised mention, label) counts of one sentence."""
    simp = to_simplified(text)
    out: Counter[tuple[str, str]] = Counter()
    for s, e, label in spans:
        if 2 <= e - s <= MAX_MENTION:
            out[("".join(_norm_char(c) for c in simp[s:e]), label)] += 1
    return out


def best_labels(counts: Counter[tuple[str, str]]) -> dict[str, str]:
    """mention → its most frequent label."""
    best: dict[str, tuple[int, str]] = {}
    for (m, label), k in counts.items():
        if k > 0 and (m not in best or (k, label) > best[m]):
            best[m] = (k, label)
    return {m: lab for m, (_, lab) in sorted(best.items())}


class Tagger:
    """A loaded CRF model. Thread-unsafe (crfsuite's tagger holds state): one per thread."""

    def __init__(self, model_path: Path, meta: dict[str, Any] | None = None, lex: Lexicons | None = None):
        import pycrfsuite

        self.path = Path(model_path)
        self.meta = meta or {}
        self.lex = lex or Lexicons.default()
        mentions = self.path.with_name(MENTIONS_FILE)
        if mentions.is_file():
            self.lex = self.lex.with_mentions(json.loads(mentions.read_text(encoding="utf-8")))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self.labels = sorted({t[2:] for t in self._tagger.labels() if t != "O"})

    def tag(self, text: str) -> list[Span]:
        """Entities of `text` as (start, end exclusive, CLUENER label), sorted by start."""
        if not text:
            return []
        tags = self._tagger.tag(features(text, self.lex))
        return tags_to_spans(tags)

    def describe(self) -> str:
        m = self.meta
        return f"crf ({self.path}, {FEATURE_VERSION}, c1={m.get('c1')} c2={m.get('c2')}, trained {m.get('trained_at', '?')})"


def load(out_dir: Path | None = None) -> Tagger | None:
    """The cached model, or None when it is missing, unreadable or of another feature version."""
    d = Path(out_dir) if out_dir else model_dir()
    model, meta_path = d / MODEL_FILE, d / META_FILE
    if not model.is_file() or not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("feature_version") != FEATURE_VERSION:
            return None
        return Tagger(model, meta)
    except (OSError, ValueError, ImportError) as e:
        log.warning("ner-crf: cannot load %s: %s", model, e)
        return None


def is_current(out_dir: Path, train_hash: str, params: dict[str, Any] | None = None) -> bool:
    """The cached model was trained from this train file, with these features (and parameters), and the
    gazetteers as they are now (the registry grows: its names are features)."""
    meta_path = out_dir / META_FILE
    if not (out_dir / MODEL_FILE).is_file() or not meta_path.is_file():
        return False
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    same_params = all(meta.get(k) == v for k, v in (params or {}).items())
    return bool(
        meta.get("feature_version") == FEATURE_VERSION
        and meta.get("train_sha256") == train_hash
        and meta.get("gazetteer_sha256") == _default_lexicons().fingerprint()
        and same_params
    )


def fit(
    examples: Iterable[tuple[str, Sequence[Span]]],
    model_path: Path,
    *,
    c1: float = DEFAULT_PARAMS["c1"],
    c2: float = DEFAULT_PARAMS["c2"],
    max_iterations: int = DEFAULT_PARAMS["max_iterations"],
    lex: Lexicons | None = None,
    mentions_path: Path | None = None,
) -> dict[str, Any]:
    """Train a CRF on (text, spans) into `model_path`; returns timing facts. With `mentions_path`,
    the mentions of the training data become a gazetteer feature, written there for tagging;
    while training, each sentence sees only the mentions of the other folds (jackknifing), so
    that the CRF learns how far to trust a match on text it has not seen."""
    import pycrfsuite

    lex = lex or Lexicons.default()
    t0 = time.perf_counter()
    data = [(t, sp) for t, sp in examples if t]
    lexes = [lex]
    if mentions_path is not None:
        folds: list[Counter[tuple[str, str]]] = [Counter() for _ in range(FOLDS)]
        for i, (t, sp) in enumerate(data):
            folds[i % FOLDS].update(mention_counts(t, sp))
        everything: Counter[tuple[str, str]] = sum(folds, Counter())
        lexes = [lex.with_mentions(best_labels(everything - f)) for f in folds]
        mentions_path.write_text(json.dumps(best_labels(everything), ensure_ascii=False), encoding="utf-8")
    trainer = pycrfsuite.Trainer(verbose=False)
    n_sent = n_chars = 0
    for i, (text, spans) in enumerate(data):
        trainer.append(features(text, lexes[i % len(lexes)]), spans_to_tags(len(text), spans))
        n_sent += 1
        n_chars += len(text)
    t1 = time.perf_counter()
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": True}
    )
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    t2 = time.perf_counter()
    return {
        "sentences": n_sent,
        "chars": n_chars,
        "features_s": round(t1 - t0, 1),
        "train_s": round(t2 - t1, 1),
        "iterations": len(trainer.logparser.iterations),
    }


def train(
    train_path: Path | None = None,
    out_dir: Path | None = None,
    *,
    force: bool = False,
    c1: float = DEFAULT_PARAMS["c1"],
    c2: float = DEFAULT_PARAMS["c2"],
    max_iterations: int = DEFAULT_PARAMS["max_iterations"],
) -> dict[str, Any] | None:
    """Train on a CLUENER train file into the cache unless the cached model is current (same train
    file hash, gazetteers and FEATURE_VERSION). Returns the model's meta, or None when there is no train
    file."""
    src = Path(train_path) if train_path else DEFAULT_TRAIN
    if not src.is_file():
        return None
    d = Path(out_dir) if out_dir else model_dir()
    h = file_sha256(src)
    params = {"c1": c1, "c2": c2, "max_iterations": max_iterations}
    if not force and is_current(d, h, params):
        return dict(json.loads((d / META_FILE).read_text(encoding="utf-8")), skipped=True)
    d.mkdir(parents=True, exist_ok=True)
    tmp, tmp_mentions = d / (MODEL_FILE + ".tmp"), d / (MENTIONS_FILE + ".tmp")
    facts = fit(
        read_examples(src), tmp, c1=c1, c2=c2, max_iterations=max_iterations, mentions_path=tmp_mentions
    )
    meta = {
        "feature_version": FEATURE_VERSION,
        "train_file": str(src),
        "train_sha256": h,
        "gazetteer_sha256": _default_lexicons().fingerprint(),
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iterations,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        **facts,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    os.replace(tmp_mentions, d / MENTIONS_FILE)
    os.replace(tmp, d / MODEL_FILE)  # model first, then meta: a crash leaves the stale meta
    (d / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    _load_default.cache_clear()
    return meta


@lru_cache(maxsize=1)
def _load_default() -> Tagger | None:
    return load()


def tag_or_rules(text: str) -> list[Span]:
    """The trained tagger when cached, else the rule tagger (kb/nlp/ner.py) mapped to CLUENER labels
    (PERSON → name, ORG → company, TITLE → position)."""
    t = _load_default()
    if t is not None:
        return t.tag(text)
    return _rules_tag(text)


@lru_cache(maxsize=1)
def _rules_tagger():  # type: ignore[no-untyped-def]
    from kb.nlp.ner import EntityTagger
    from kb.registry import Registry

    return EntityTagger(Registry.load())


def _rules_tag(text: str) -> list[Span]:
    mapping = {"PERSON": "name", "ORG": "company", "TITLE": "position"}
    out = []
    for s in _rules_tagger().tag(to_simplified(text)):
        if s.label in mapping:
            out.append((s.start, s.end, mapping[s.label]))
    return out


# -- tuning ---------------------------------------------------------------------------------------


def split_train(
    path: Path, holdout_every: int = 10
) -> tuple[list[tuple[str, list[Span]]], list[tuple[str, list[Span]]]]:
    """Deterministic split of train: every `holdout_every`-th sentence is held out for tuning."""
    fit_part: list[tuple[str, list[Span]]] = []
    held: list[tuple[str, list[Span]]] = []
    for i, ex in enumerate(read_examples(path)):
        (held if i % holdout_every == 0 else fit_part).append(ex)
    return fit_part, held


def score(tagger: Tagger, examples: Iterable[tuple[str, Sequence[Span]]]) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F1 per label and micro over all labels."""
    g: Counter[str] = Counter()
    p: Counter[str] = Counter()
    c: Counter[str] = Counter()
    for text, spans in examples:
        gold, pred = set(spans), set(tagger.tag(text))
        for x in gold:
            g[x[2]] += 1
            g["micro"] += 1
        for x in pred:
            p[x[2]] += 1
            p["micro"] += 1
        for x in gold & pred:
            c[x[2]] += 1
            c["micro"] += 1
    out = {}
    for label in sorted(g | p):
        pr = c[label] / p[label] if p[label] else 0.0
        rc = c[label] / g[label] if g[label] else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        out[label] = {"p": round(pr, 4), "r": round(rc, 4), "f1": round(f1, 4)}
    return out


def tune(
    path: Path, grid: Sequence[tuple[float, float]], max_iterations: int, work: Path
) -> list[dict[str, Any]]:
    fit_part, held = split_train(path)
    rows = []
    for c1, c2 in grid:
        mp = work / f"{c1}-{c2}-{max_iterations}" / MODEL_FILE
        mp.parent.mkdir(parents=True, exist_ok=True)
        facts = fit(fit_part, mp, c1=c1, c2=c2, max_iterations=max_iterations,
                    mentions_path=mp.with_name(MENTIONS_FILE))  # fmt: skip
        s = score(Tagger(mp), held)
        row = {"c1": c1, "c2": c2, "max_iterations": max_iterations, **facts,
               **{k: v["f1"] for k, v in s.items() if k in ("name", "company", "position", "micro")}}  # fmt: skip
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


# -- CLI ------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kb.nlp.ner_crf", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train into the cache unless it is current")
    t.add_argument("--train", type=Path, default=None, help=f"CLUENER train.json (default {DEFAULT_TRAIN})")
    t.add_argument("--out", type=Path, default=None, help="model folder (default: the cache)")
    t.add_argument("--force", action="store_true")
    t.add_argument("--quiet", action="store_true")
    t.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    t.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    t.add_argument("--iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    u = sub.add_parser("tune", help="grid over c1/c2 on a held-out 10%% of train (prints JSON lines)")
    u.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    u.add_argument("--c1", type=float, nargs="+", default=[0.05, 0.1, 0.3])
    u.add_argument("--c2", type=float, nargs="+", default=[0.01, 0.05])
    u.add_argument("--iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    u.add_argument("--work", type=Path, default=Path("/tmp/ner-crf-tune"))
    g = sub.add_parser("tag", help="tag a text with the cached model (or the rules)")
    g.add_argument("text")
    a = ap.parse_args(argv)
    if a.cmd == "train":
        t0 = time.perf_counter()
        src = a.train or DEFAULT_TRAIN
        params = {"c1": a.c1, "c2": a.c2, "max_iterations": a.iterations}
        if src.is_file() and (a.force or not is_current(a.out or model_dir(), file_sha256(src), params)):
            print("ner-crf: training the NER model (about 3 minutes on 2 cores)", file=sys.stderr)
        meta = train(a.train, a.out, force=a.force, c1=a.c1, c2=a.c2, max_iterations=a.iterations)
        if meta is None:
            if not a.quiet:
                print(
                    f"ner-crf: no train file at {a.train or DEFAULT_TRAIN}; nothing trained", file=sys.stderr
                )
        elif meta.get("skipped"):
            if not a.quiet:
                print(f"ner-crf: cached model is current ({a.out or model_dir()})", file=sys.stderr)
        else:
            print(
                f"ner-crf: trained on {meta['sentences']} sentences in {time.perf_counter() - t0:.0f} s "
                f"→ {a.out or model_dir()}",
                file=sys.stderr,
            )
        return 0
    if a.cmd == "tune":
        a.work.mkdir(parents=True, exist_ok=True)
        tune(a.train, [(x, y) for x in a.c1 for y in a.c2], a.iterations, a.work)
        return 0
    tagger = load()
    spans = tagger.tag(a.text) if tagger else _rules_tag(a.text)
    print(json.dumps({"tagger": "crf" if tagger else "rules",
                      "spans": [[s, e, lab, a.text[s:e]] for s, e, lab in spans]}, ensure_ascii=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How far each statement's attribution can be trusted: a probability that its speaker is right.

Why: the rules are right about nine times in ten on articles they were never tuned on, and an analyst
cannot tell which tenth is wrong. Some ways of finding a statement are far safer than others: a cue
right after a full name from the registry is almost always right; a 他 resolved two paragraphs back,
a quote with no cue, or an unknown short name the tagger guessed is not. A logistic regression over
such facts, learned from which of the rules' statements on the tuned gold articles were right, gives
each statement a `confidence`. On the batches nothing was tuned on it ranks right above wrong with an
AUC of about 0.8, so "confident only" (CONFIDENT and above) is a view with far fewer wrong speakers
(the numbers are in `kb eval statements`, split "confident").

Like the antecedent ranker, the model is learned from the gold set and ../shared/data, so it lives in
the cache (`models/confidence.json`), set-up trains it (`python -m kb.nlp.confidence train`), and
statements carry `confidence = None` where it is absent or stale.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.config import cache_dir
from kb.nlp import gold_model
from kb.textnorm import to_simplified

if TYPE_CHECKING:
    from kb.nlp.finder import Candidate
    from kb.records import Statement

FEATURE_VERSION = "conf-1"
MODEL_FILE = "confidence.json"
# "Confident" statements: chosen on the tuned articles, where (cross-validated) about one statement in
# thirty at or above it is wrong against one in seventeen overall; on the never-tuned batches it keeps
# five statements in six, of which one in eighteen is wrong against one in ten overall.
CONFIDENT = 0.9


def unsure(value: float | None, corrected: Any = False, below: float = CONFIDENT) -> bool:
    """The app's, the CLI's and the digest's "check the source" mark: scored below the mark (a KB can
    move it: the `unsure_below` setting) and not fixed by hand."""
    return value is not None and value < below and not corrected


# a speaker written as a reference to someone named before
_REF = re.compile(r"^(?:他|她|其|他们|她们|该|这位|这名|这家|上述|前述|此|官方|公司|对方|后者|前者)")
_LATIN = re.compile(r"[A-Za-z]")


def _bucket(x: float, edges: tuple[float, ...]) -> str:
    for e in edges:
        if x <= e:
            return f"<={e:g}"
    return f">{edges[-1]:g}"


def features(
    text: str, stmts: Sequence[Statement], cands: dict[tuple[int, int], Candidate]
) -> list[dict[str, float]]:
    """One feature dict per statement: how it was found, how its speaker was reached, what the speaker
    looks like. `text` is the simplified text (offsets as the statements')."""
    per_speaker = Counter(s.speaker for s in stmts)
    out = []
    for s in stmts:
        c = cands.get((s.start, s.end))
        mention = to_simplified(s.speaker_mention or "")  # as written, in either script; `text` is simplified
        name = s.speaker or ""
        ref = bool(c is not None and c.extra.get("ref")) or bool(_REF.match(mention))
        # where the speaker was last written before the statement: the mention itself, or, for a
        # reference, the name it was resolved to
        key = name if ref or not mention else mention
        last = text.rfind(key, 0, s.start) if key else -1
        dist = s.start - last if last >= 0 else 10**6
        length = s.end - s.start
        # where the speaker phrase stands: just before its statement, after it ("“…”他说"), far away
        gap = s.start - c.speaker.end if c is not None else 10**6
        after = c is not None and c.speaker.start >= s.end
        before = text[s.start - 1 : s.start] if s.start else "\n"
        f: dict[str, float] = {
            f"type={s.speaker_type}": 1,
            f"kind={s.kind}": 1,
            f"type_kind={s.speaker_type}|{s.kind}": 1,
            f"cue={s.cue or '-'}": 1,
            f"source={c.source if c is not None else '-'}": 1,
            "ref": int(ref),
            f"ref_type={s.speaker_type}": int(ref),
            f"ref_how={c.extra.get('ref') if c is not None else '-'}": int(ref),
            "known": int(bool(s.speaker_id)),
            "title": int(bool(s.title)),
            "org": int(bool(s.organization)),
            "latin": int(bool(_LATIN.search(name))),
            "dot": int("·" in name),
            "name_len=" + _bucket(len(name), (0, 1, 2, 3, 4, 6)): 1,
            "name_count=" + _bucket(text.count(name) if name else 0, (0, 1, 2, 4)): 1,
            "dist=" + _bucket(dist, (5, 15, 40, 100, 300, 1000)): 1,
            "gap=" + ("after" if after else _bucket(gap, (0, 2, 6, 15, 40, 150))): 1,
            "len=" + _bucket(length, (6, 12, 25, 60, 150)): 1,
            f"before={before if before in '“「，：:。' else ('para' if before == chr(10) else 'x')}": 1,
            "same_speaker=" + _bucket(per_speaker[s.speaker], (1, 2, 4)): 1,
            "lead": int(text.find("\n", 0, s.start) < 0),
            "statements=" + _bucket(len(stmts), (2, 5, 10, 20)): 1,
            "logdist": math.log1p(dist) / 14,
        }
        out.append(f)
    return out


class Model:
    def __init__(self, weights: dict[str, float], bias: float):
        self.weights, self.bias = weights, bias

    def probability(self, f: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in f.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Training records each article's statements and features here instead of scoring them.
RECORD: contextvars.ContextVar[list[tuple[list[Statement], list[dict[str, float]]]] | None] = (
    contextvars.ContextVar("confidence_record", default=None)
)


def assign(text: str, stmts: list[Statement], cands: Sequence[Candidate]) -> None:
    """Set each statement's `confidence` (in place), or leave it None when no model is active."""
    record = RECORD.get()
    model = None if record is not None else active()
    if model is None and record is None:
        return
    feats = features(text, stmts, {(c.start, c.end): c for c in cands})
    if record is not None:
        record.append((list(stmts), feats))  # one entry per article, empty ones too (training aligns them)
        return
    assert model is not None
    for s, f in zip(stmts, feats, strict=True):
        s.confidence = round(model.probability(f), 3)


# -- the cached model -------------------------------------------------------------------------------


def model_path() -> Path:
    return cache_dir() / "models" / MODEL_FILE


def fingerprint(gold: Path | None = None) -> str:
    """What the model was learned from: the rules, word lists, tuned gold (the antecedent ranker's
    fingerprint) and the ranker itself, whose choices the statements carry."""
    from kb.nlp import antecedents

    ranker = antecedents.active()
    parts = [FEATURE_VERSION, antecedents.fingerprint(gold=gold), ranker.digest if ranker else "rules"]
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def load(path: Path | None = None, gold: Path | None = None) -> Model | None:
    """The cached model, or None when it is missing, unreadable or stale."""
    p = path or model_path()
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("feature_version") != FEATURE_VERSION or meta.get("fingerprint") != fingerprint(gold):
        return None
    return Model(meta["weights"], meta["bias"])


@lru_cache(maxsize=4)
def _cached(key: str) -> Model | None:
    return load()


def active() -> Model | None:
    """The model for this process's setting (it depends on whether the ranker is on), or None."""
    from kb.nlp import antecedents

    ranker = antecedents.active()
    return _cached(ranker.digest if ranker else "rules")


def collect(
    gold: list[dict[str, Any]], data: Path, registry: Any
) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """The rules' statements on the gold articles: features, whether the speaker is right, article id.
    Statements the gold set does not count (optional ones) are left out."""
    from kb.eval.statements import load_articles, match_statements, speaker_ok
    from kb.nlp import extract

    arts = load_articles([(g["feed"], g["guid"]) for g in gold], data)
    gold = [g for g in gold if (g["feed"], g["guid"]) in arts]
    rec: list[tuple[list[Statement], list[dict[str, float]]]] = []
    token = RECORD.set(rec)
    try:
        extract(
            [arts[(g["feed"], g["guid"])][0] for g in gold],
            [arts[(g["feed"], g["guid"])][1] for g in gold],
            registry=registry,
        )
    finally:
        RECORD.reset(token)
    X: list[dict[str, float]] = []
    y: list[int] = []
    ids: list[str] = []
    for g, (stmts, feats) in zip(gold, rec, strict=True):
        match_of = match_statements(arts[(g["feed"], g["guid"])][0], g["statements"], stmts)
        for pi, (st, f) in enumerate(zip(stmts, feats, strict=True)):
            gs = g["statements"][match_of[pi]] if pi in match_of else None
            if gs is not None and gs.get("optional"):
                continue
            X.append(f)
            y.append(int(gs is not None and speaker_ok(st, gs, registry)))
            ids.append(g["guid"])
    return X, y, ids


def fit(X: list[dict[str, float]], y: list[int]) -> Model:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    dv = DictVectorizer()
    lr = LogisticRegression(C=0.5, max_iter=3000).fit(dv.fit_transform(X), np.array(y))
    weights = {n: round(float(c), 6) for n, c in zip(dv.feature_names_, lr.coef_[0], strict=True) if c}
    return Model(weights, float(lr.intercept_[0]))


def cross_validate(X: list[dict[str, float]], y: list[int], ids: list[str], folds: int = 5) -> dict[str, Any]:
    """Precision and share kept at CONFIDENT with each article's statements held out of training."""
    arts = sorted(set(ids))
    fold_of = {a: i % folds for i, a in enumerate(arts)}
    probs = [0.0] * len(X)
    for k in range(folds):
        train_at = [i for i, a in enumerate(ids) if fold_of[a] != k]
        model = fit([X[i] for i in train_at], [y[i] for i in train_at])
        for i, a in enumerate(ids):
            if fold_of[a] == k:
                probs[i] = model.probability(X[i])
    kept = [v for v, p in zip(y, probs, strict=True) if p >= CONFIDENT]
    return {
        "statements": len(y),
        "precision_all": round(sum(y) / len(y), 4) if y else 0.0,
        "kept_share": round(len(kept) / len(y), 4) if y else 0.0,
        "precision_confident": round(sum(kept) / len(kept), 4) if kept else 0.0,
    }


def train(
    force: bool = False, quiet: bool = False, gold: Path | None = None, out: Path | None = None
) -> dict[str, Any] | None:
    """Fit the model on the tuned articles of the gold set into the cache (or `out`), unless the one
    there is current. None when ../shared/data is absent."""
    from kb.errors import KbError
    from kb.eval.statements import GOLD, feeds_and_registry, load_gold

    p = out or model_path()
    if not force and load(p, gold=gold) is not None:
        return dict(json.loads(p.read_text(encoding="utf-8")), skipped=True)
    try:
        data, registry = feeds_and_registry()
    except KbError:
        return None
    t0 = time.time()
    X, y, ids = collect([g for g in load_gold(gold or GOLD) if not g.get("blind")], data, registry)
    if len(set(y)) < 2:
        return None
    model = fit(X, y)
    meta: dict[str, Any] = {
        "feature_version": FEATURE_VERSION,
        "fingerprint": fingerprint(gold),
        "confident": CONFIDENT,
        "bias": model.bias,
        "weights": model.weights,
        "cross_validated": cross_validate(X, y, ids),
        "train_s": round(time.time() - t0, 1),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    gold_model.save(p, meta)
    _cached.cache_clear()
    if not quiet:
        cv = meta["cross_validated"]
        print(
            f"statement confidence: {cv['statements']} statements, {meta['train_s']} s -> {p}\n"
            f"  cross-validated: precision {cv['precision_all']} overall, {cv['precision_confident']} on the "
            f"{cv['kept_share']:.0%} at confidence >= {CONFIDENT}",
            file=sys.stderr,
        )
    return meta


def main(argv: list[str] | None = None) -> int:
    return gold_model.train_command(
        "python -m kb.nlp.confidence",
        "statement confidence",
        train,
        model_path,
        "statements carry none",
        argv,
    )


if __name__ == "__main__":
    # through the imported module, whose RECORD the attribution stage sees (as kb.nlp.antecedents does)
    from kb.nlp.confidence import main as _main

    raise SystemExit(_main())

"""A trained ranker that picks the antecedent of a reference: 他/她/其, 该人士, 该公司/官方, a role that
stands for a person ("这位高管", "公司发言人").

Why trained: the coreference rules (kb/nlp/attribution.py `resolve`) pick the person or company that
spoke or was named last, with guards written for the articles they were tuned on. On new articles they
are right about four times in five; most errors are a nearer name that is no subject, or a person who
spoke two paragraphs back. A linear model over a few dozen facts about each possible antecedent
(distance, how often it is named, whether it spoke, whether it stands where a subject stands, whether
the rules chose it) learns from the gold set's 580 references when the rules' choice is unlikely
enough to leave the statement unattributed, which option to take where the rules found none, and
(rarely: only by a wide margin) when another option beats the rules' choice.

The model is small (a logistic regression, about 160 feature weights) but it is learned from the
gold set and the articles in ../shared/data, so it is not in the repository: scripts/setup.sh trains
it into the cache (`kb.config.cache_dir()/models/antecedents.json`, about 30 s), and the rules alone
decide when it is absent, stale, or switched off (KB_RANKER=off). Training skips the batches flagged
`blind`, so that `kb eval statements` still measures new articles on them.

CLI:
    python -m kb.nlp.antecedents train [--force] [--quiet]   (set-up runs this)
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.config import cache_dir
from kb.nlp import gold_model
from kb.nlp.speakers import Speaker
from kb.textnorm import alias_key, same_alias

if TYPE_CHECKING:
    from kb.nlp.attribution import Mention

# Bump when the options or their features change: a cached model of another version is stale.
FEATURE_VERSION = "ante-4"
MODEL_FILE = "antecedents.json"
# Below this score (log-odds) no option is attributed: a missing statement is better than a wrong
# speaker. Another option replaces the rules' choice only when it scores MARGIN higher. Both chosen
# by cross-validation over the tuned articles' references (right minus wrong: threshold -1 with margin
# 0 / 0.5 / 1 / 1.5 / 2 / 3 gives 450 / 452 / 452 / 455 / 457 / 456; the rules alone 450).
THRESHOLD = -1.0
MARGIN = 2.0
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Option:
    """One possible antecedent: a name the article wrote before the reference, a speaker who spoke
    before it, or the reference itself as an unnamed source (`self_`)."""

    key: str
    type: str  # person | organization | media | unnamed
    speaker: Speaker  # whom the statement goes to when this option is chosen
    occ: list[int] = field(default_factory=list)  # where it was written or spoke, before the reference
    spoke: list[int] = field(default_factory=list)
    subject: bool = False
    title: bool = False
    known: bool = False  # in the registry
    crf: bool = False  # the CRF's subject before the pronoun (kb/nlp/subjects.py)
    self_: bool = False


# What a reference to a body is called, without its demonstrative: "该基金会" -> 基金会, "监管机构" stays
_REF_PREFIX = re.compile(r"^(?:该|这家|这个|这所|此|本|上述|前述)")
_REF_SUFFIX = re.compile(r"(?:方面|层面|同时|还|也|则)$")
# Heads that end a body's own name ("FreeBSD 基金会", "文档基金会"): such a name written before the
# reference is an antecedent even where the tagger missed it. (Not 公司/机构/平台: every company's
# description ends so.)
NAMED_HEADS = frozenset(
    "基金会 工会 联盟 协会 工作室 委员会 研究所 研究院 实验室 交易所 商会 联合会 大学 学院 医院 法院 银行".split()
)
# a regulator's or a government body's name, what "监管机构", "监管部门", "当局" stand for
_GOVERNMENT = re.compile(
    r"(?:委员会|管理局|监管局|总局|监管|部|局|署|厅|办公室|政府|当局|法院|议会|国会|欧盟|白宫|五角大楼"
    r"|FTC|FCC|SEC|CMA|FDA|NHTSA|CFTC|DOJ)$"
)
_REGULATOR_REFS = ("监管机构", "监管部门", "监管层", "监管方", "当局", "有关部门", "相关部门")


# words before a head that make no name of it ("但基金会", "根据基金会", "该基金会")
_NOT_NAME_LEAD = re.compile(
    r"^(?:但是|但|而|并|根据|据|对于|对|向|与|和|由|在|为|被|让|把|从|其|该|这个|这|此|那|各|每|多家|一家)+"
)


def ref_head(mention: str) -> str:
    """What a reference calls its antecedent, without a demonstrative or a trailing adverb."""
    return _REF_SUFFIX.sub("", _REF_PREFIX.sub("", mention.strip()))


def bodies_with_head(text: str, pos: int, head: str) -> list[tuple[str, int]]:
    """Names ending in `head` written before `pos`: the words from the boundary before them (a mark,
    a space after Han text, 的/在/由/与/和) to the head, at most 16 characters; the bare head is none."""
    out = []
    i = text.find(head, 0, pos)
    while 0 <= i < pos - len(head):
        a = i
        while a > 0 and i - a < 16 and text[a - 1] not in "，。！？；：、“”「」（）()《》—\n的在由与和及对向":
            if text[a - 1] == " " and a >= 2 and not text[a - 2].isascii():
                break
            a -= 1
        name = _NOT_NAME_LEAD.sub("", text[a : i + len(head)].strip())
        if len(name) > len(head):
            out.append((name, a))
        i = text.find(head, i + len(head), pos)
    return out


def options(
    ref: Speaker,
    mentions: list[Mention],
    history: list[tuple[int, Speaker]],
    spoken_by: list[tuple[int, Speaker]],
    crf_ant: Speaker | None,
    ant: Speaker | None,
    text: str = "",
) -> list[Option]:
    """Every antecedent the reference at `ref.start` could have, one per name."""
    pos = ref.start
    by_key: dict[str, Option] = {}

    def add(key: str, typ: str, p: int, sp: Speaker, spoke: bool = False) -> Option:
        o = by_key.get(key)
        if o is None:
            o = by_key[key] = Option(key, typ, sp)
        elif spoke:
            o.speaker = sp  # a speaker's parse (title, organisation) beats a bare mention
        o.occ.append(p)
        if spoke:
            o.spoke.append(p)
        o.subject |= spoke
        o.title |= bool(sp.title)
        o.known |= bool(sp.entity_id)
        return o

    kinds = {"PERSON": "person", "ORG": "organization", "MEDIA": "media"}
    for m in mentions:
        t = kinds.get(m.label)
        if t and m.start < pos and m.text:
            sp = Speaker(
                m.start, m.end, m.text, t, name=m.text, title=m.title, org=m.org, entity_id=m.entity_id
            )
            add(alias_key(m.text), t, m.start, sp).subject |= m.subject
    # what the rules keep track of: subjects, references that carry an antecedent on ("该网友随后反驳。"),
    # and the speakers of the statements before
    for seen, spoke in ((history, False), (spoken_by, True)):
        for p, s in seen:
            if p < pos and (s.name or s.mention):
                add(key_of(s), s.type, p, s, spoke=spoke).subject = True
    if crf_ant is not None and (crf_ant.name or crf_ant.mention):
        add(key_of(crf_ant), crf_ant.type, crf_ant.start, crf_ant).crf = True
    head = ref_head(ref.mention) if ref.type == "ref_org" else ""
    if head in NAMED_HEADS:
        # "FreeBSD 基金会…。基金会强调": a body written with that head before, tagged as a name or not
        for name, p in bodies_with_head(text, pos, head):
            add(
                alias_key(name), "organization", p, Speaker(p, p + len(name), name, "organization", name=name)
            )
    if ant is not None and not any(is_choice(o, ant) for o in by_key.values()):
        # the rules may find the one meant after the reference ("甲大学教授曾志颖告诉…": the title, then the
        # name) or as a person's company ("该公司" for "Chain公司的创建人" → Chain公司)
        add(key_of(ant), ant.type, min(ant.start, pos - 1), ant)
    # what each kind of reference can stand for (in the gold set: 该公司/官方 always a company, 他/她 a
    # person or an unnamed source in 19 of 20); the rules' own choice stays an option whatever its kind
    allowed = ("organization",) if ref.type == "ref_org" else ("person", "unnamed")
    out = [o for o in by_key.values() if o.occ and (o.type in allowed or is_choice(o, ant))]
    if ref.type != "ref_org" and ref.mention not in ("他", "她", "其"):
        # "该人士", "公司发言人": the reference itself as an unnamed source
        out.append(Option("SELF", "unnamed", ref.copy(type="unnamed"), occ=[pos], self_=True))
    return out


def key_of(s: Speaker) -> str:
    """One option per name; an unnamed source is one option per description."""
    return "U:" + s.mention if s.type == "unnamed" else alias_key(s.name or s.mention)


def is_choice(o: Option, ant: Speaker | None) -> bool:
    """The option is the rules' choice."""
    if ant is None:
        return False
    if ant.type == "unnamed":
        return o.type == "unnamed" and o.speaker.mention == ant.mention
    return not o.self_ and o.key == key_of(ant)


def _bucket(x: float, edges: tuple[float, ...]) -> str:
    for e in edges:
        if x <= e:
            return f"<={e:g}"
    return f">{edges[-1]:g}"


_SENT_END = "。！？\n"
# a name followed by one of these is the subject of a reporting clause ("雷军表示")
_SAYS = frozenset("表示 认为 指出 透露 强调 坦言 介绍 提到 直言 回应 称， 说， 说： 称： 说道".split())
_PRONOUNS = ("他", "她", "其", "公司", "该公司", "官方", "对方")


def features(ref: Speaker, opts: list[Option], text: str, ant: Speaker | None) -> list[dict[str, float]]:
    """One feature dict per option. `ant` is the rules' choice (None when they attribute nothing)."""
    pos, rt = ref.start, ref.type
    m = ref.mention
    rm = m if m in _PRONOUNS else (m[:1] + "*" if m[:1] in "该这此上" else "other")
    para = text.rfind("\n", 0, pos) + 1
    sent = max(text.rfind(ch, 0, pos) for ch in _SENT_END) + 1
    prev_sent = max(text.rfind(ch, 0, max(0, sent - 1)) for ch in _SENT_END) + 1
    last = [max(o.occ) for o in opts]
    order = sorted(range(len(opts)), key=lambda i: -last[i])
    rank_all = {i: r for r, i in enumerate(order)}
    rank_type: dict[int, int] = {}
    for t in {o.type for o in opts}:
        for r, i in enumerate(i for i in order if opts[i].type == t):
            rank_type[i] = r
    spk = sorted((i for i in order if opts[i].spoke), key=lambda i: -max(opts[i].spoke))
    rank_spk = {i: r for r, i in enumerate(spk)}
    # how often each is written: the article's main company or person is the usual 官方 or 他
    rank_count: dict[int, int] = {}
    for t in {o.type for o in opts}:
        same = sorted((i for i in range(len(opts)) if opts[i].type == t), key=lambda i: -len(opts[i].occ))
        for r, i in enumerate(same):
            rank_count[i] = r
    # what the reference calls its antecedent: "该基金会" a body whose name ends in 基金会, "这位高管"
    # someone with that title, "监管机构" a government body
    hd = ref_head(m)
    regulator = hd in _REGULATOR_REFS
    out = []
    for i, o in enumerate(opts):
        ct = "self" if o.self_ else o.type
        lo = last[i]
        dist = pos - lo
        chosen = int(is_choice(o, ant))
        between = sum(
            1
            for j, e in enumerate(opts)
            if j != i and e.type == "person" and any(lo < x < pos for x in e.occ)
        )
        before = text[lo - 1] if lo > 0 else "\n"
        name = o.speaker.name or o.speaker.mention
        end = lo + len(name)
        f: dict[str, float] = {
            f"rt_ct={rt}|{ct}": 1,
            f"rm_ct={rt}|{rm}|{ct}": 1,
            "dist=" + _bucket(dist, (5, 20, 60, 150, 400, 1000, 3000)): 1,
            f"rt_dist={rt}" + _bucket(dist, (20, 150, 1000)): 1,
            "logdist": math.log1p(max(0, dist)) / 8,
            "rank_all=" + _bucket(rank_all[i], (0, 1, 2, 4)): 1,
            f"rank_type={ct}" + _bucket(rank_type.get(i, 9), (0, 1, 2)): 1,
            "rank_spk=" + (_bucket(rank_spk[i], (0, 1, 2)) if i in rank_spk else "none"): 1,
            f"rt_rank_spk={rt}" + (_bucket(rank_spk[i], (0, 1)) if i in rank_spk else "none"): 1,
            "nocc=" + _bucket(len(o.occ), (1, 2, 4, 8)): 1,
            "samepara": int(lo >= para),
            "first_lead": int(min(o.occ) < 150),
            "subj": int(o.subject),
            "title": int(o.title),
            "eid": int(o.known),
            "crf": int(o.crf),
            f"rt_crf={rt}": int(o.crf),
            "pb=" + _bucket(between, (0, 1, 2)): 1,
            # where the option stands: at a clause's start (a subject), before 的 (an owner), in quotes
            "clause_start": int(before in "。！？\n；，："),
            "sent_start": int(before in _SENT_END),
            "then_de": int(bool(name) and text.startswith(name, lo) and text[end : end + 1] == "的"),
            "in_quote": int(text.count("“", 0, lo) > text.count("”", 0, lo)),
            "same_sent": int(lo >= sent),
            "prev_sent": int(prev_sent <= lo < sent),
            f"ct_prev_sent={ct}": int(prev_sent <= lo < sent),
            # the subject of the sentence before: "该网友随后反驳。他认为…"
            f"prev_subject={ct}": int(prev_sent == lo or (prev_sent <= lo < sent and before in "，；：")),
            f"ct_clause={ct}": int(before in "。！？\n；，："),
            f"rank_count={ct}" + _bucket(rank_count.get(i, 9), (0, 1, 2)): 1,
            "in_para=" + _bucket(sum(1 for x in o.occ if x >= para), (0, 1, 2)): 1,
            # an object or an owner, not a subject: "对X", "向X", "与X", "X的"
            "after_prep": int(before in "对向与和跟给被把从"),
            "then_says": int(bool(name) and text.startswith(name, lo) and text[end : end + 2] in _SAYS),
            "rule": chosen,
            f"rt_rule={rt}": chosen,
            "rule_dropped": int(ant is None),
        }
        f["head_name"] = int(len(hd) >= 2 and name.endswith(hd) and len(name) > len(hd))
        f["head_title"] = int(len(hd) >= 2 and hd in (o.speaker.title or ""))
        if regulator:
            f["regulator"] = int(bool(_GOVERNMENT.search(name)))
        out.append(f)
    return out


class Ranker:
    def __init__(
        self, weights: dict[str, float], bias: float, threshold: float = THRESHOLD, margin: float = MARGIN
    ):
        self.weights, self.bias, self.threshold, self.margin = weights, bias, threshold, margin
        # names the model for caches of what it helped make (the search evaluation's KB)
        self.digest = hashlib.sha256(
            json.dumps([weights, bias, threshold, margin], sort_keys=True).encode()
        ).hexdigest()[:16]

    def scores(self, feats: list[dict[str, float]]) -> list[float]:
        w = self.weights
        return [self.bias + sum(w.get(k, 0.0) * v for k, v in f.items()) for f in feats]

    def choose(self, feats: list[dict[str, float]]) -> int | None:
        """The best option's index, or None when even the best scores below the threshold. The rules'
        choice stays unless another option beats it by MARGIN."""
        if not feats:
            return None
        sc = self.scores(feats)
        best = max(range(len(sc)), key=sc.__getitem__)
        rule = next((i for i, f in enumerate(feats) if f.get("rule")), None)
        if rule is not None and sc[best] - sc[rule] < self.margin:
            best = rule
        return best if sc[best] >= self.threshold else None


# Training records every ranked reference here instead of letting a model decide (see `train`).
RECORD: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "ante_record", default=None
)


def decide(
    ref: Speaker,
    ant: Speaker | None,
    span: tuple[int, int],
    mentions: list[Mention],
    history: list[tuple[int, Speaker]],
    spoken_by: list[tuple[int, Speaker]],
    crf_ant: Speaker | None,
    text: str,
) -> Speaker | None:
    """The antecedent of `ref` for the statement at `span`: the model's pick when one is active, else
    the rules' (`ant`)."""
    record = RECORD.get()
    model = None if record is not None else active()
    if (model is None and record is None) or _named_after(ref, ant, text):
        return ant
    opts = options(ref, mentions, history, spoken_by, crf_ant, ant, text)
    feats = features(ref, opts, text, ant)
    if record is not None:
        record.append({"span": span, "options": opts, "features": feats})
        return ant
    assert model is not None
    i = model.choose(feats)
    if i is None:
        return None
    # the rules' own speaker when the model agrees (also under another form of the name): it carries
    # the role their parse found
    pick = opts[i].speaker
    return ant if feats[i]["rule"] or _same(ant, pick) else pick


def _named_after(ref: Speaker, ant: Speaker | None, text: str) -> bool:
    """The rules' choice is the name written right after the reference: "甲大学教授曾志颖告诉…" is a title
    and its name, no reference to anyone before."""
    name = (ant.name or "") if ant is not None else ""
    return bool(name) and text[ref.end : ref.end + len(name) + 1].lstrip(" ").startswith(name)


def _same(a: Speaker | None, b: Speaker | None) -> bool:
    if a is None or b is None or a.type != b.type or a.type == "unnamed":
        return False
    return same_alias(a.name or a.mention, b.name or b.mention)


# -- the cached model -------------------------------------------------------------------------------


def enabled() -> bool:
    """False when KB_RANKER is off/0/no/false: the rules alone decide."""
    return os.environ.get("KB_RANKER", "").strip().lower() not in ("off", "0", "no", "false")


def model_path() -> Path:
    return cache_dir() / "models" / MODEL_FILE


@lru_cache(maxsize=4)
def _inputs_digest(gold: Path | None = None) -> str:
    """A hash of the tuned part of the gold set, and of the rules and word lists whose choices are the
    model's features (a model fitted on other rules' choices is stale)."""
    from kb.eval.statements import GOLD

    gold = gold or GOLD
    h = hashlib.sha256(FEATURE_VERSION.encode())
    if gold.exists():
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip() and not json.loads(line).get("blind"):
                h.update(line.encode("utf-8"))
    files = sorted((ROOT / "kb" / "nlp").glob("*.py")) + [ROOT / "data" / "cues.json"]
    files += sorted((ROOT / "data" / "registry").glob("*.json"))
    for p in files:
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def _crf_on() -> bool:
    from kb.nlp import subjects

    return subjects.tagger() is not None


def fingerprint(crf: bool | None = None, gold: Path | None = None) -> str:
    """What the model was learned from: `_inputs_digest`, and whether the NER model took part (the rules
    choose differently without it)."""
    on = _crf_on() if crf is None else crf
    return hashlib.sha256((_inputs_digest(gold) + (":crf" if on else ":rules")).encode()).hexdigest()


def load(path: Path | None = None, crf: bool | None = None, gold: Path | None = None) -> Ranker | None:
    """The cached model (or the one at `path`), or None when it is missing, unreadable or stale (trained
    from another gold file than `gold`, the default one)."""
    p = path or model_path()
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("feature_version") != FEATURE_VERSION or meta.get("fingerprint") != fingerprint(crf, gold):
        return None
    return Ranker(meta["weights"], meta["bias"], meta.get("threshold", THRESHOLD))


@lru_cache(maxsize=2)
def _cached(crf: bool) -> Ranker | None:
    return load(crf=crf)


def active() -> Ranker | None:
    """The model for this process's setting (KB_RANKER, and whether the NER model is on), or None."""
    return _cached(_crf_on()) if enabled() else None


@dataclass
class Unit:
    """A reference the gold set labels with a speaker: each option's features and whether it is right."""

    article: str
    features: list[dict[str, float]]
    right: list[bool]


def collect(gold: list[dict[str, Any]], data: Path, registry: Any) -> list[Unit]:
    """Run the rules over the gold articles, recording each ranked reference with its options."""
    from kb.eval.statements import anchor_pos, load_articles, same_name
    from kb.nlp import extract

    arts = load_articles([(g["feed"], g["guid"]) for g in gold], data)
    units: list[Unit] = []
    for g in gold:
        if (g["feed"], g["guid"]) not in arts:
            continue
        text, pub = arts[(g["feed"], g["guid"])]
        rec: list[dict[str, Any]] = []
        token = RECORD.set(rec)
        try:
            extract([text], [pub], registry=registry)
        finally:
            RECORD.reset(token)
        anchors = [(anchor_pos(text, s["anchor"], s.get("nth", 1)), s) for s in g["statements"]]
        for r in rec:
            a, b = r["span"]
            gs = next((s for pos, s in anchors if a <= pos < b), None)
            if gs is None or gs.get("optional"):
                continue  # only references the gold set labels with a speaker teach the ranker
            right = []
            for o in r["options"]:
                sp = o.speaker
                if gs.get("speaker") is None:
                    right.append(o.type == "unnamed")
                else:
                    right.append(same_name(sp.name or sp.mention, gs["speaker"], registry))
            units.append(Unit(g["guid"], r["features"], right))
    return units


def fit(units: list[Unit]) -> Ranker:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X = [f for u in units for f in u.features]
    y = np.array([int(r) for u in units for r in u.right])
    dv = DictVectorizer()
    model = LogisticRegression(C=1.0, max_iter=3000).fit(dv.fit_transform(X), y)
    weights = {n: round(float(c), 6) for n, c in zip(dv.feature_names_, model.coef_[0], strict=True) if c}
    return Ranker(weights, float(model.intercept_[0]))


def outcomes(units: list[Unit], pick: Any) -> dict[str, int]:
    """right / wrong / none over the units, for a function that picks an option index (or None)."""
    out = {"right": 0, "wrong": 0, "none": 0}
    for u in units:
        i = pick(u)
        out["none" if i is None else ("right" if u.right[i] else "wrong")] += 1
    return out


def cross_validate(units: list[Unit], folds: int = 5) -> dict[str, dict[str, int]]:
    """The model's picks with each article's references held out of training, beside the rules' picks."""
    arts = sorted({u.article for u in units})
    fold_of = {a: i % folds for i, a in enumerate(arts)}
    picks: dict[int, int | None] = {}
    for k in range(folds):
        model = fit([u for u in units if fold_of[u.article] != k])
        for i, u in enumerate(units):
            if fold_of[u.article] == k:
                picks[i] = model.choose(u.features)
    index = {id(u): i for i, u in enumerate(units)}
    rules = outcomes(units, lambda u: next((i for i, f in enumerate(u.features) if f["rule"]), None))
    return {"rules": rules, "ranker": outcomes(units, lambda u: picks[index[id(u)]])}


def train(
    force: bool = False, quiet: bool = False, gold: Path | None = None, out: Path | None = None
) -> dict[str, Any] | None:
    """Fit the ranker on the tuned articles of the gold set (default data/gold/statements.jsonl) into the
    cache (or `out`), unless the model there is current. None when ../shared/data is absent."""
    from kb.errors import KbError
    from kb.eval.statements import GOLD, feeds_and_registry, load_gold

    _inputs_digest.cache_clear()
    p = out or model_path()
    if not force and load(p, gold=gold) is not None:
        return dict(json.loads(p.read_text(encoding="utf-8")), skipped=True)
    try:
        data, registry = feeds_and_registry()
    except KbError:
        return None
    t0 = time.time()
    units = collect([g for g in load_gold(gold or GOLD) if not g.get("blind")], data, registry)
    if not units or all(all(u.right) or not any(u.right) for u in units):
        return None
    model = fit(units)
    cv = cross_validate(units)
    meta: dict[str, Any] = {
        "feature_version": FEATURE_VERSION,
        "fingerprint": fingerprint(gold=gold),
        "threshold": THRESHOLD,
        "bias": model.bias,
        "weights": model.weights,
        "references": len(units),
        "options": sum(len(u.right) for u in units),
        "cross_validated": cv,
        "train_s": round(time.time() - t0, 1),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    gold_model.save(p, meta)
    _cached.cache_clear()
    if not quiet:
        print(
            f"antecedent ranker: {len(units)} references, {meta['options']} options, {meta['train_s']} s -> {p}\n"
            f"  cross-validated (right/wrong/none): rules {cv['rules']}, ranker {cv['ranker']}",
            file=sys.stderr,
        )
    return meta


def main(argv: list[str] | None = None) -> int:
    return gold_model.train_command(
        "python -m kb.nlp.antecedents", "antecedent ranker", train, model_path, "the rules decide", argv
    )


if __name__ == "__main__":
    # through the imported module: run as __main__, this file is a second module whose RECORD the
    # attribution stage never sees
    from kb.nlp.antecedents import main as _main

    raise SystemExit(_main())

"""Query understanding: names, companies, topics and time expressions become filters.

"Robin Li on open source since May" → speaker = li-yanhong, topic bias = open-source,
since = the last 1 May before --as-of, text = "open source". Every filter the parser adds is
listed by `ParsedQuery.explain()` and can be undone with `ParsedQuery.without(...)`, which puts
the words back into the text query (so the user sees and controls what the parser did).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb.nlp.confidence import CONFIDENT
from kb.search.crosslingual import Translation, translate
from kb.search.dates import find_dates
from kb.textnorm import alias_key, to_simplified

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

# Words that carry no content in a question ("what did Robin Li say about pricing").
EN_STOP = frozenset(
    """a an the of on in at to for by with about around regarding concerning re from into over
    and or but what whats which who whom whose how why when where did does do done say says said
    saying tell told talk talked talking speak spoke think thinks thought view views opinion
    opinions stance position comment comments commented statement statements quote quotes quoted
    is are was were be been has have had his her their its he she they them it this that these
    those me my i we our you your any all some anything something show find list give me s""".split()
)
# Chinese question and function words, removed as whole jieba tokens from the keyword query.
ZH_STOP = frozenset(
    """的 了 吗 呢 吧 啊 是 在 和 与 及 或 对 对于 关于 有关 怎么 怎样 如何 什么 哪些 哪个 谁 谁们
    说 说过 说了 讲 谈 谈到 谈过 表示 认为 觉得 看法 观点 态度 评价 提到 指出 称 有 都 也 又 就 还 把 被 给""".split()
)
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")
_HAN = re.compile(r"[\u3400-\u9fff]")
MAX_QUERY_CHARS = 500  # longer input is cut (with a note); nobody types more


@dataclass
class Filter:
    """One thing the parser understood: kind is speaker | company | topic | since | until."""

    kind: str
    value: str  # entity/topic id, or ISO date
    label: str  # what the user sees ("王小川 (person)")
    matched: str = ""  # the words of the query it came from ("" for explicit options)
    explicit: bool = False  # given as an option (--speaker …), not parsed from the query

    def describe(self) -> str:
        src = f' from "{self.matched}"' if self.matched else " (option)"
        what = {
            "speaker": "speaker",
            "company": "company",
            "topic": "topic" if self.explicit else "topic bias",
            "since": "since",
            "until": "until",
        }[self.kind]
        return f"{what}: {self.label}{src}"


@dataclass
class ParsedQuery:
    raw: str
    text: str  # the words left for keyword and vector retrieval
    speaker_ids: list[str] = field(default_factory=list)
    company_ids: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # bias toward these topics (boost)
    topic_filter: list[str] = field(default_factory=list)  # hard filter (--topic)
    since: date | None = None
    until: date | None = None
    filters: list[Filter] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # English words of the text with their Chinese terms (kb.search.crosslingual); the retrievers
    # search these terms too, so an English question finds Chinese statements.
    translations: list[Translation] = field(default_factory=list)
    # leave out statements whose speaker the confidence model doubts (kb/nlp/confidence.py `unsure`):
    # scored below `unsure_below` (the KB's setting of that name; the search entry points set it)
    hide_unsure: bool = False
    unsure_below: float = CONFIDENT

    @property
    def zh_terms(self) -> list[str]:
        """Every Chinese term of the translations, once, in query order."""
        out: list[str] = []
        for t in self.translations:
            out.extend(x for x in t.terms if x not in out)
        return out

    @property
    def zh_text(self) -> str:
        """The Chinese rendering of the text: the first term of each translated phrase."""
        return " ".join(dict.fromkeys(t.terms[0] for t in self.translations))

    def explain(self) -> list[str]:
        """Human-readable filters, one per line, in the order they can be removed."""
        lines = [f.describe() for f in self.filters]
        lines.append(f'text: "{self.text}"' if self.text else "text: (none)")
        if self.translations:
            pairs = "; ".join(f'"{t.english}" → {"/".join(t.terms)}' for t in self.translations)
            lines.append(f"translation: {pairs}")
        return lines

    def without(self, index: int) -> ParsedQuery:
        """The same query with filter number `index` removed; its words go back into the text."""
        f = self.filters[index]
        rest = [g for i, g in enumerate(self.filters) if i != index]
        text = f"{self.text} {f.matched}".strip() if f.matched and f.kind != "topic" else self.text
        pq = replace(self, text=text, filters=rest)
        pq.speaker_ids = [g.value for g in rest if g.kind == "speaker"]
        pq.company_ids = [g.value for g in rest if g.kind == "company"]
        pq.topics = [g.value for g in rest if g.kind == "topic" and not g.explicit]
        pq.topic_filter = [g.value for g in rest if g.kind == "topic" and g.explicit]
        pq.since = next((date.fromisoformat(g.value) for g in rest if g.kind == "since"), None)
        pq.until = next((date.fromisoformat(g.value) for g in rest if g.kind == "until"), None)
        pq.translations = translate(text)
        return pq

    @property
    def has_filters(self) -> bool:
        return bool(self.speaker_ids or self.company_ids or self.topic_filter or self.since or self.until)

    def as_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw[:200],
            "text": self.text,
            "speaker_ids": self.speaker_ids,
            "company_ids": self.company_ids,
            "topics": self.topics,
            "topic_filter": self.topic_filter,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "hide_unsure": self.hide_unsure,
            "unsure_below": self.unsure_below,
            "translation": {t.english: list(t.terms) for t in self.translations},
            "explain": self.explain(),
        }


# -- names ------------------------------------------------------------------------------------


class NameMatcher:
    """Longest-match lookup of registry aliases in a query, in any script.

    Chinese aliases are matched as substrings of the simplified query; Latin-script aliases as
    runs of whole words whose alias_key matches ("Kai-Fu Lee" == "kaifu lee" == "kaifulee").
    """

    def __init__(self, names: list[tuple[str, str]], min_han: int = 2):
        self.han: dict[str, str] = {}
        self.latin: dict[str, str] = {}
        for alias, _kind in names:
            key = alias_key(alias)
            if not key:
                continue
            if _HAN.search(key):
                if len(key) >= min_han:
                    self.han.setdefault(key, alias)
            elif len(key) >= 3 and not key.isdigit():
                self.latin.setdefault(key, alias)
        self.max_han = max((len(k) for k in self.han), default=0)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, alias) spans in `text`, without overlaps, longest first."""
        simp = to_simplified(text).lower()
        spans: list[tuple[int, int, str]] = []
        taken = [False] * len(text)
        # Latin: runs of 1–4 words.
        words = [(m.start(), m.end(), m.group(0)) for m in _LATIN_WORD.finditer(simp)]
        for n in (4, 3, 2, 1):
            for i in range(len(words) - n + 1):
                s, e = words[i][0], words[i + n - 1][1]
                if any(taken[s:e]):
                    continue
                key = alias_key(" ".join(w for _, _, w in words[i : i + n]))
                if key in self.latin and key not in EN_STOP:
                    spans.append((s, e, self.latin[key]))
                    for j in range(s, e):
                        taken[j] = True
        # Han: longest substring first, scanning left to right.
        i = 0
        while i < len(simp):
            if taken[i] or not _HAN.match(simp[i]):
                i += 1
                continue
            hit = None
            for n in range(min(self.max_han, len(simp) - i), 1, -1):
                if any(taken[i : i + n]) or not simp[i + n - 1].isalnum():
                    continue
                key = alias_key(simp[i : i + n])
                if key in self.han:
                    hit = (i, i + n, self.han[key])
                    break
            if hit:
                spans.append(hit)
                for j in range(hit[0], hit[1]):
                    taken[j] = True
                i = hit[1]
            else:
                i += 1
        return sorted(spans)


_MATCHERS: dict[int, NameMatcher] = {}


def name_matcher(registry: Any) -> NameMatcher:
    """One matcher per registry object (building it walks every alias)."""
    key = id(registry)
    if key not in _MATCHERS:
        try:
            names = list(registry.names()) if registry is not None else []
        except NotImplementedError:
            names = []
        _MATCHERS[key] = NameMatcher(names)
    return _MATCHERS[key]


def _trusted(e: Any) -> bool:
    """Curated or analyst-confirmed entities are matched anywhere in a query; entities that ingest
    only discovered (often common words mis-read as names) only when written as a word of their own."""
    return getattr(e, "origin", "curated") == "curated" or getattr(e, "status", "confirmed") == "confirmed"


def _standalone(text: str, s: int, e: int) -> bool:
    return (s == 0 or not text[s - 1].isalnum()) and (e >= len(text) or not text[e].isalnum())


def entity_label(e: Any) -> str:
    en = getattr(e, "name_en", None)
    return f"{e.name}" + (f" / {en}" if en and en != e.name else "") + f" ({e.kind})"


# -- topics -------------------------------------------------------------------------------------


@dataclass
class TopicTerms:
    id: str
    label: str
    terms: list[str]


@lru_cache(maxsize=1)
def topic_terms() -> list[TopicTerms]:
    """Labels and keywords of each topic in data/topics.json (tolerant of its exact layout)."""
    path = DATA_DIR / "topics.json"
    if not path.exists():
        return []
    raw = json.loads(path.read_text(encoding="utf-8"))
    items = raw.get("topics", raw) if isinstance(raw, dict) else raw
    if isinstance(items, dict):
        items = [{"id": k, **v} for k, v in items.items()]
    out = []
    for t in items:
        terms: list[str] = []
        for k, v in t.items():
            if k in {"id", "examples", "example_statements", "proposition", "description"}:
                continue
            if isinstance(v, str) and k.startswith(("label", "name")):
                terms.append(v)
            elif isinstance(v, dict) and k.startswith(("label", "name")):
                for x in v.values():
                    terms.extend([x] if isinstance(x, str) else list(x))
            elif isinstance(v, list) and k.startswith(("label", "alias", "synonym", "query")):
                terms.extend(x for x in v if isinstance(x, str))
        if not terms:  # no labels or aliases: fall back on the keywords
            terms = [x for x in t.get("keywords", []) if isinstance(x, str)]
        label = t.get("labels") or t.get("label_en") or t.get("label") or t.get("name") or t["id"]
        if isinstance(label, dict):
            label = label.get("en") or next(iter(label.values()))
        out.append(TopicTerms(t["id"], str(label), sorted({x for x in terms if x}, key=len, reverse=True)))
    return out


def find_topics(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, topic id, label) for topic labels/keywords written in the query."""
    simp = to_simplified(text).lower()
    hits: list[tuple[int, int, str, str]] = []
    for t in topic_terms():
        for term in t.terms:
            term_s = to_simplified(term).lower()
            if len(alias_key(term_s)) < 2:
                continue
            if _HAN.search(term_s):
                pos = simp.find(term_s)
            else:
                m = re.search(rf"(?<![a-z0-9]){re.escape(term_s)}(?![a-z0-9])", simp)
                pos = m.start() if m else -1
            if pos >= 0:
                hits.append((pos, pos + len(term_s), t.id, t.label))
                break
    return hits


def resolve_topic(name: str) -> str | None:
    """A topic id from an id, a label or a keyword (for --topic)."""
    key = alias_key(name)
    for t in topic_terms():
        if key == alias_key(t.id) or any(key == alias_key(x) for x in t.terms):
            return t.id
    try:
        from kb.topics import find_topic  # the topics owner's resolver, when present

        found = find_topic(name)
        return getattr(found, "id", found) if found else None
    except (ImportError, AttributeError, TypeError):
        return None


# -- the parser -----------------------------------------------------------------------------------


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, min(e, len(chars))):
            chars[i] = " "
    return "".join(chars)


def clean_text(text: str) -> str:
    """Drop English function words and leftover punctuation; keep Chinese as written."""
    out = []
    for tok in re.split(r"\s+", text):
        w = tok.strip(" ,.;:!?，。；：！？、\"'“”‘’()（）[]【】")
        if not w:
            continue
        lw = w.lower().replace("’", "'")
        if lw in EN_STOP or (lw.endswith("'s") and lw[:-2] in EN_STOP):
            continue
        out.append(w)
    return " ".join(out)


def parse_query(q: str, registry: Any = None, as_of: date | None = None) -> ParsedQuery:
    """Split a query into filters (speakers, companies, dates), topic biases and the text rest."""
    today = as_of or date.today()
    raw = q or ""
    notes: list[str] = []
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    if len(text) > MAX_QUERY_CHARS:
        notes.append(f"the query is {len(raw):,} characters long; only the first {MAX_QUERY_CHARS} were used")
        text = text[:MAX_QUERY_CHARS]
    filters: list[Filter] = []
    taken: list[tuple[int, int]] = []

    # Dates first: "5月" must not be read as part of a name, and "May" as a month needs "in/since".
    since = until = None
    for d in find_dates(text, today):
        taken.append((d.start, d.end))
        if d.since and (since is None or d.since > since):
            since = d.since
        if d.until and (until is None or d.until < until):
            until = d.until
        if d.since:
            filters.append(Filter("since", d.since.isoformat(), d.since.isoformat(), d.text.strip()))
        if d.until:
            filters.append(Filter("until", d.until.isoformat(), d.until.isoformat(), d.text.strip()))

    speakers: list[str] = []
    companies: list[str] = []
    if registry is not None:
        masked = _blank(text, taken)
        for s, e, alias in name_matcher(registry).find(masked):
            ent = registry.find(alias)
            if ent is None:
                continue
            if not _trusted(ent) and not _standalone(text, s, e):
                continue  # "市场" in "中国手机市场" is not the discovered company "市场"
            taken.append((s, e))
            if ent.kind in {"company", "organization"}:
                if ent.id not in companies:
                    companies.append(ent.id)
                    filters.append(Filter("company", ent.id, entity_label(ent), text[s:e]))
            elif ent.id not in speakers:  # person or media outlet
                speakers.append(ent.id)
                filters.append(Filter("speaker", ent.id, entity_label(ent), text[s:e]))

    topics: list[str] = []
    for s, e, tid, label in find_topics(_blank(text, taken)):
        if tid not in topics:
            topics.append(tid)
            filters.append(Filter("topic", tid, label, text[s:e]))  # words stay in the text

    rest = clean_text(_blank(text, taken))
    return ParsedQuery(
        raw=raw,
        text=rest,
        speaker_ids=speakers,
        company_ids=companies,
        topics=topics,
        since=since,
        until=until,
        filters=filters,
        notes=notes,
        translations=translate(rest),
    )


def add_options(
    pq: ParsedQuery,
    registry: Any,
    *,
    speaker: str | None = None,
    company: str | None = None,
    topic: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> ParsedQuery:
    """Add explicit filters from options (--speaker …); unknown names raise UsageError."""
    from kb.errors import UsageError

    def lookup(name: str, kinds: set[str], what: str) -> Any:
        ent = registry.find(name) if registry is not None else None
        if ent is None or ent.kind not in kinds:
            hint = ""
            suggest = getattr(registry, "suggest", None)
            if suggest is not None:
                try:
                    names = [getattr(x, "name", str(x)) for x in suggest(name)][:5]
                except NotImplementedError:
                    names = []
                if names:
                    hint = "; did you mean: " + ", ".join(names) + "?"
            raise UsageError(f"unknown {what} {name!r}{hint}")
        return ent

    if speaker:
        ent = lookup(speaker, {"person", "media", "organization", "company"}, "speaker")
        if ent.id not in pq.speaker_ids:
            pq.speaker_ids.append(ent.id)
            pq.filters.append(Filter("speaker", ent.id, entity_label(ent), explicit=True))
    if company:
        ent = lookup(company, {"company", "organization", "media"}, "company")
        if ent.id not in pq.company_ids:
            pq.company_ids.append(ent.id)
            pq.filters.append(Filter("company", ent.id, entity_label(ent), explicit=True))
    if topic:
        tid = resolve_topic(topic)
        if tid is None:
            known = ", ".join(t.id for t in topic_terms())
            raise UsageError(f"unknown topic {topic!r}" + (f"; known topics: {known}" if known else ""))
        pq.topic_filter.append(tid)
        pq.filters.append(Filter("topic", tid, tid, explicit=True))
    if since:
        pq.since = since
        pq.filters = [f for f in pq.filters if f.kind != "since"]
        pq.filters.append(Filter("since", since.isoformat(), since.isoformat(), explicit=True))
    if until:
        pq.until = until
        pq.filters = [f for f in pq.filters if f.kind != "until"]
        pq.filters.append(Filter("until", until.isoformat(), until.isoformat(), explicit=True))
    return pq

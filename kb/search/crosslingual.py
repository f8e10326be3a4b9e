"""Cross-lingual query understanding: English words of a query → Chinese terms.

Analysts ask in English about Chinese statements ("who thinks the price war is just marketing?").
Neither retriever bridges that well on its own: FTS5 over jieba tokens never matches "marketing"
to 营销, and multilingual-e5-small is weak across languages on short queries. A bilingual
glossary (data/glossary.json, plus the English aliases of data/topics.json) maps English domain
words and phrases to Chinese terms; the keyword side searches those terms and the vector side
also embeds their Chinese rendering (kb.search.engine).

Matching: the Latin words of the query, lower-cased, stop words dropped, each folded by `stem`
(plurals, -ing, -ed, a final e) — the glossary keys are folded the same way, so "layoffs",
"laid off" and "lay off" meet — then the longest glossary phrase first, left to right.
Only queries without Chinese characters are translated: a Chinese or mixed query already says
what it means in the language of the statements ("神契 IP 内容孵化" must not gain 知识产权).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
GLOSSARY = DATA_DIR / "glossary.json"
MAX_PHRASE = 5  # words in the longest glossary phrase considered
TOPIC_TERMS = 3  # Chinese aliases taken from a topic for one of its English aliases

_WORD = re.compile(r"[A-Za-z0-9&]+")
_HAN = re.compile(r"[\u3400-\u9fff]")

# Words that never carry the meaning of a question, on top of kb.search.query.EN_STOP (kept
# here so the glossary phrases match across them: "price war is just marketing").
EXTRA_STOP = frozenset(
    """just only also really very much more most less least so too quite rather even still yet
    ever already now then than there here if as because while whether though although like
    will would could should can cannot can't might may must shall ought going gonna get gets got
    not no nor don't doesn't didn't isn't aren't wasn't weren't won't
    believe believes believed claim claims claimed argue argues argued feel feels felt
    mean means meant call calls called consider considers considered see sees seen
    one ones anyone someone everyone people's who's what's since until after before
    being having making make makes made way ways thing things lot lots really actually""".split()
)
# Irregular forms the suffix rules cannot fold.
IRREGULAR = {
    "laid": "lay", "spun": "spin", "cut": "cut", "cuts": "cut", "cutting": "cut", "sold": "sell",
    "bought": "buy", "paid": "pay", "led": "lead", "built": "build", "won": "win", "lost": "lose",
    "news": "news", "data": "data", "media": "media", "series": "series", "analysis": "analysis",
    "chinese": "chinese", "bus": "bus", "gas": "gas", "ios": "ios", "saas": "saas", "chips": "chip",
    "companies": "company", "economies": "economy", "policies": "policy", "subsidies": "subsidy",
}  # fmt: skip
# Keys that are also common English words in lower case: matched only as written (US ≠ "us").
CASE_SENSITIVE = frozenset({"US", "IT"})


def stem(word: str) -> str:
    """A light, deterministic folding of English inflections: plurals, -ing, -ed (applied to query
    and glossary alike, so it only has to be consistent, not linguistically exact)."""
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 6:
        w = _undouble(w[:-3])
    elif w.endswith("ied") and len(w) >= 5:
        w = w[:-3] + "y"
    elif w.endswith("ed") and len(w) >= 5:
        w = _undouble(w[:-2])
    return w


def _drop_e(w: str) -> str:
    # "pricing" folds to "pric": the glossary's "price" is also filed under "pric" (only the
    # glossary side, so that "care" does not become "car").
    return w[:-1] if w.endswith("e") and len(w) > 3 and w.isalpha() else w


def _undouble(w: str) -> str:
    # "shipping" → "shipp" → "ship"; "falling" keeps "fall" (ll/ss/zz are part of the word).
    if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "aeiouylsz":
        return w[:-1]
    return w


def _stop_words() -> frozenset[str]:
    from kb.search.query import EN_STOP

    return EN_STOP | EXTRA_STOP


@dataclass(frozen=True)
class Translation:
    english: str  # the words of the query as written ("price war")
    terms: tuple[str, ...]  # Chinese terms, the rendering first ("价格战", …)


class Glossary:
    """English phrase (folded word tuple) → Chinese terms."""

    def __init__(self, entries: dict[str, list[str]]):
        # Three lookups, tried in this order: case-sensitive keys (US), the words as written
        # (lower-cased), the folded words. Folding can merge two entries ("marketing" and
        # "market" both fold to "market"): the written form keeps them apart, and for a folded
        # match the shorter key, the base form, wins.
        self.exact: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.lower: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        stop = _stop_words()
        for en, zh in sorted(entries.items(), key=lambda kv: len(kv[0])):
            words = _WORD.findall(en)
            if en in CASE_SENSITIVE:
                self.exact[tuple(words)] = tuple(zh)
                continue
            content = [w for w in words if w.lower() not in stop] or words
            self.lower.setdefault(tuple(w.lower() for w in content), tuple(zh))
            key = tuple(stem(w) for w in content)
            if key:
                self.phrases.setdefault(key, tuple(zh))
                self.phrases.setdefault(tuple(_drop_e(w) for w in key), tuple(zh))

    def _lookup(self, words: list[str]) -> tuple[str, ...] | None:
        for table, key in (
            (self.exact, tuple(words)),
            (self.lower, tuple(w.lower() for w in words)),
            (self.phrases, tuple(stem(w) for w in words)),
        ):
            if key in table:
                return table[key]
        return None

    def translate(self, text: str) -> list[Translation]:
        """Glossary matches in `text`, left to right, longest phrase first; nothing for a text
        with Chinese characters (see the module docstring)."""
        if not text or _HAN.search(text):
            return []
        stop = _stop_words()
        words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
        content = [(w, s, e) for w, s, e in words if w.lower() not in stop or (w,) in self.exact]
        out: list[Translation] = []
        i = 0
        while i < len(content):
            hit = None
            for n in range(min(MAX_PHRASE, len(content) - i), 0, -1):
                part = content[i : i + n]
                terms = self._lookup([w for w, _, _ in part])
                if terms is not None:
                    hit = (n, terms, text[part[0][1] : part[-1][2]])
                    break
            if hit is None:
                i += 1
                continue
            n, terms, english = hit
            if terms and all(t.english != english for t in out):
                out.append(Translation(english, terms))
            i += n
        return out


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """data/glossary.json, plus each topic's English aliases (data/topics.json) mapped to its
    Chinese aliases where the glossary has no entry of its own."""
    entries: dict[str, list[str]] = {}
    if GLOSSARY.exists():
        raw = json.loads(GLOSSARY.read_text(encoding="utf-8"))
        entries = {k: [str(x) for x in v] for k, v in raw.get("terms", raw).items() if isinstance(v, list)}
    folded = {tuple(stem(w) for w in _WORD.findall(k)) for k in entries}
    for en_aliases, zh in _topic_aliases():
        for alias in en_aliases:
            if tuple(stem(w) for w in _WORD.findall(alias)) not in folded:
                entries.setdefault(alias, zh)
    return Glossary(entries)


def _topic_aliases() -> list[tuple[list[str], list[str]]]:
    """(English aliases, first Chinese aliases as written) of each topic in data/topics.json."""
    from kb.textnorm import to_simplified

    path = DATA_DIR / "topics.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    items = raw.get("topics", []) if isinstance(raw, dict) else raw
    out = []
    for t in items if isinstance(items, list) else []:
        aliases = [a for a in t.get("aliases", []) if isinstance(a, str) and a.strip()]
        zh = list(dict.fromkeys(to_simplified(a) for a in aliases if _HAN.search(a)))[:TOPIC_TERMS]
        en = [a for a in aliases if not _HAN.search(a)]
        if zh and en:
            out.append((en, zh))
    return out


def translate(text: str) -> list[Translation]:
    return glossary().translate(text)

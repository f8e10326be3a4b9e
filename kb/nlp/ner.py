"""Entity tagger: people, organisations, media outlets and titles in (simplified) Chinese text.

Stable API (engineer C's attribution components rely on it):

    tagger = EntityTagger(registry)              # build once per process (a few ms per 1,000 aliases)
    spans = tagger.tag(text_simplified)          # list[EntitySpan], sorted, non-overlapping
    apps = tagger.appositives(text_simplified)   # list[Appositive]: "ORG TITLE NAME" groups

    EntitySpan(start, end, label, entity_id, text, source)
      start/end: character offsets, end EXCLUSIVE (Python slice), valid in the original text when
                 the input came from kb.textnorm.to_simplified (length-preserving).
      label:     PERSON | ORG | MEDIA | TITLE
      entity_id: registry id, or None for a name found by a pattern (not in the registry)
      source:    "registry" | "title" | "pattern"
    Appositive(person, title, org): person is an EntitySpan; title and org may be None.
      "阶跃星辰创始人姜大昕" -> org 阶跃星辰 (ORG), title 创始人 (TITLE), person 姜大昕 (PERSON).
      "商汤科技联合创始人兼首席科学家王晓刚" -> one TITLE span "联合创始人兼首席科学家".

How it works, in order (each step keeps what earlier steps found):
 1. Longest match over the registry's aliases (both scripts; ASCII aliases case-insensitively when
    4+ characters long, and only at word boundaries) and over the title lexicon
    (data/registry/titles.json). Aliases listed as "ambiguous" in the registry are not matched.
 2. Titles joined by 兼/、/及/和 ("董事长兼CEO") become one TITLE span.
 3. After a title: a registry person, else a Chinese name (surname from the lexicon + 1–2 given
    characters, length chosen by what follows: a cue word or punctuation) or an English name
    ("Eaze CEO Keith McCarty").
 4. Before a title: a registry organisation, else an organisation discovered from the words before
    the title (with a company suffix such as 公司/科技/银行, or Latin letters like "Eaze", or a
    short run of Han characters right after punctuation).
 5. Names before a reporting verb ("彭小军认为"), transliterated names with "·", and stand-alone
    organisations with a company suffix ("招商银行").
No statistical model: it is fast (tens of thousands of sentences per second) and predictable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kb.nlp.lexicon import runs_into_word

if TYPE_CHECKING:
    from kb.registry import Registry

TITLES_FILE = Path(__file__).resolve().parents[2] / "data" / "registry" / "titles.json"

LABEL_OF_KIND = {"person": "PERSON", "company": "ORG", "organization": "ORG", "media": "MEDIA"}

# What may follow a person's name: reporting verbs and function characters. Used to decide
# whether "创始人姜大昕表示" holds a two- or three-character name.
CUE_WORDS = (
    "表示", "称", "说", "认为", "指出", "透露", "坦言", "强调", "介绍", "提到", "直言", "告诉", "对记者",
    "接受", "回应", "解释", "补充", "承认", "坦承", "预计", "预测", "相信", "希望", "指", "也", "则",
    "曾", "在", "就", "还", "已", "又", "都", "更", "和", "与", "及", "等", "的", "对", "向", "将", "于",
    "是", "为", "被", "把", "从", "今天", "昨天", "近日", "日前", "此前", "今年", "去年", "当时", "随后",
    "领导", "主导", "牵头", "带领",
    "发表", "发布", "宣布", "写道", "提出", "呼吁", "警告", "评价", "谈到", "谈及", "分享", "演讲",
    "出席", "参加", "访问", "来到", "回答", "亲自", "本人", "先生", "女士", "博士", "教授", "一直",
)  # fmt: skip
CUES_BEFORE_NAME_END = (
    "表示", "认为", "指出", "透露", "坦言", "强调", "介绍", "直言", "称", "说", "：", ":", "先生", "女士",
    "在接受", "回答", "谈到", "提到", "告诉", "对记者", "的回答", "坦承", "承认", "解释",
)  # fmt: skip
# Characters that end an organisation name's left side in running text ("由于银行" is no name).
ORG_STOP = set("的了在是和与向被把从说各该这那个家位些及、对将由据于为让给到跟把而但也都就还又已其此每所")
# Characters that do not occur inside a person's given name here (reporting verbs, particles).
NOT_GIVEN = set("表称说认在的了是和与也都就对将等曾则还又已并而今昨近日向以被把从于为这那其此该及之叫位名个")
PUNCT = set("，。、；：！？“”‘’「」『』（）()《》〈〉【】[]…—-·,.;:!?\"' \t\n\r/|")
# Words that open a clause before an organisation name ("据悉阶跃星辰创始人…").
ORG_PREFIXES = (
    "据悉", "据了解", "据报道", "据介绍", "据", "日前", "近日", "今天", "今日", "昨天", "昨日", "目前",
    "此前", "随后", "对此", "其中", "同时", "另外", "此外", "不过", "但是", "但", "而", "并", "由",
    "与", "和", "及", "是", "为", "对", "被", "向", "让", "将", "在", "于", "从", "原", "前", "现任",
    "时任", "担任", "出任", "作为", "该", "这位", "其", "他", "她", "包括", "以及", "还有", "记者",
    "采访了", "采访", "了", "也", "则", "还", "就", "即", "更", "又", "都", "已", "曾", "后", "首位",
)  # fmt: skip
# Run before a company suffix that is a description, not a name ("国内银行", "这家公司").
GENERIC_ORG_HEADS = (
    "国内", "国外", "海外", "中国", "美国", "全球", "这家", "那家", "一家", "多家", "各家", "几家", "两家",
    "该", "本", "其", "这", "那", "各大", "大型", "中小", "小型", "商业", "外资", "民营", "国有", "上市",
    "科技", "互联网", "相关", "其他", "其它", "母", "子", "新", "老", "同", "此", "每家", "所有", "头部",
)  # fmt: skip
_LATIN_NAME = re.compile(r"[A-Z][a-zA-Z'’\-]+(?:[ ·][A-Z][a-zA-Z'’\-]+){1,2}")
_LATIN_ORG = re.compile(r"(?:[A-Z][A-Za-z0-9&.\-]*)(?: [A-Z][A-Za-z0-9&.\-]*){0,3}$")
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•][\u4e00-\u9fff]{1,6}){1,2}")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# words before the agent of a passive or a source ("研究由X…", "该项目被X…")
AGENT_LEAD = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:由|被|据|经)")
# a field or department between an organisation and a title ("地质学", "计算机系")
QUALIFIER = re.compile(r"[\u4e00-\u9fff]{1,5}(?:学|系|学院|部|所|中心)")
# a second role between a title and the name it belongs to ("教授、同时也是…成员的NAME")
SECOND_ROLE = re.compile(r"、[^，。；：！？\n、]{0,30}?的")
_TITLE_JOINERS = ("兼", "、", "及", "和", "暨", "/", " ")


@dataclass
class EntitySpan:
    start: int
    end: int  # exclusive
    label: str  # PERSON | ORG | MEDIA | TITLE
    entity_id: str | None
    text: str
    source: str = "registry"  # registry | title | pattern


@dataclass
class Appositive:
    person: EntitySpan
    title: EntitySpan | None = None
    org: EntitySpan | None = None


@dataclass
class Lexicons:
    titles: list[str]
    company_suffixes: list[str]
    surnames: set[str]
    compound_surnames: set[str]
    standalone_suffixes: list[str]


@lru_cache(maxsize=4)
def load_lexicons(path: Path = TITLES_FILE) -> Lexicons:
    d = json.loads(Path(path).read_text(encoding="utf-8"))
    return Lexicons(
        titles=list(d["titles"]),
        company_suffixes=sorted(d["company_suffixes"], key=len, reverse=True),
        surnames=set(d["surnames"]),
        compound_surnames=set(d["compound_surnames"]),
        standalone_suffixes=sorted(d.get("standalone_suffixes") or [], key=len, reverse=True),
    )


def _is_ascii_word(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _trim_dot_name(text: str, a: int, b: int) -> EntitySpan:
    """ "迈克尔·乔丹出席了" → "迈克尔·乔丹": the last part ends before a cue word or function
    character, and is at most four characters when nothing tells."""
    dot = max(text.rfind("·", a, b), text.rfind("•", a, b))
    end = b
    for k in range(dot + 2, b + 1):
        if k == len(text) or text[k] in PUNCT or text[k:].startswith(CUE_WORDS) or text[k] in NOT_GIVEN:
            end = k
            break
    else:
        end = min(b, dot + 5)
    return EntitySpan(a, end, "PERSON", None, text[a:end], "pattern")


class EntityTagger:
    """Registry + lexicon + pattern tagger. Build once and reuse; `tag` is thread-safe."""

    def __init__(
        self,
        registry: Registry | None = None,
        *,
        lexicons: Lexicons | None = None,
        extra_titles: Iterable[str] = (),
        extra_suffixes: Iterable[str] = (),
        discover: bool = True,
    ):
        self.registry = registry
        self.lex = lexicons or load_lexicons()
        self.discover = discover
        self.suffixes = sorted({*self.lex.company_suffixes, *extra_suffixes}, key=len, reverse=True)
        # Suffixes that make an organisation on their own ("招商银行"); "智能" or "科技" alone
        # would turn "人工智能" into a company, so they only count right before a title.
        self.standalone = sorted(self.lex.standalone_suffixes, key=len, reverse=True)
        # key (as matched) -> (label, entity_id, source); ci: matched on lower-cased text.
        self._ci: dict[str, tuple[str, str | None, str]] = {}
        self._cs: dict[str, tuple[str, str | None, str]] = {}
        self._lens: dict[str, list[int]] = {}
        # Built on first use (after every alias is in): see _prefilter().
        self._starts: tuple[re.Pattern[str], dict[str, list[int]], frozenset[str]] | None = None
        self._surname_starts: re.Pattern[str] | None = None
        for t in [*self.lex.titles, *extra_titles]:
            self._add(t, "TITLE", None, "title")
        if registry is not None:
            from kb.textnorm import to_simplified

            for e in registry.entities.values():
                label = LABEL_OF_KIND.get(e.kind, "ORG")
                skip = set(e.ambiguous)
                for a in e.aliases:
                    if a in skip or len(a) < 2:
                        continue
                    # Pinyin aliases ("wangxiaochuan") are for lookups, not for running text.
                    if a.isascii() and a == a.lower() and e.kind == "person":
                        continue
                    self._add(to_simplified(a), label, e.id, "registry")

    def _add(self, alias: str, label: str, eid: str | None, source: str) -> None:
        alias = alias.strip()
        if not alias:
            return
        ascii_ = alias.isascii()
        if ascii_ and len(alias) < 4:
            table, key = self._cs, alias
        else:
            table, key = self._ci, _lower(alias)
        prev = table.get(key)
        # A registry entity beats a title word; the first entity listed wins between entities.
        if prev is not None and (prev[2] == "registry" or source != "registry"):
            return
        table[key] = (label, eid, source)
        self._starts = None
        first = key[0].lower()
        lens = self._lens.setdefault(first, [])
        if len(key) not in lens:
            lens.append(len(key))
            lens.sort(reverse=True)

    # -- step 1: dictionary ---------------------------------------------------------------------

    def _prefilter(self) -> tuple[re.Pattern[str], dict[str, list[int]], frozenset[str]]:
        """Where a key can start: a regex over the first characters (one C-level scan instead of a
        Python step per character), the key lengths per two-character prefix (longest first), and
        the one-character keys."""
        if self._starts is None:
            firsts = "".join(re.escape(c) for c in sorted(self._lens))
            by2: dict[str, set[int]] = {}
            for k in self._ci:
                by2.setdefault(k[:2], set()).add(len(k))
            for k in self._cs:
                by2.setdefault(k[:2].lower(), set()).add(len(k))
            ones = {k.lower() for k in (*self._ci, *self._cs) if len(k) == 1}
            rx = re.compile(f"[{firsts}]" if firsts else r"(?!)")
            lens2 = {p: sorted(v, reverse=True) for p, v in by2.items() if len(p) == 2}
            self._starts = (rx, lens2, frozenset(ones))
        return self._starts

    def _dictionary(self, text: str) -> list[EntitySpan]:
        low = _lower(text)
        n = len(text)
        out: list[EntitySpan] = []
        starts, lens2, ones = self._prefilter()
        i = 0
        for sm in starts.finditer(low):
            if sm.start() < i:
                continue
            i = sm.start()
            # only the lengths of keys that share this position's first two characters can match
            lens = lens2.get(low[i : i + 2])
            if low[i] in ones:
                lens = [*(lens or []), 1]
            hit = None
            if lens:
                for L in lens:
                    if i + L > n:
                        continue
                    v = self._ci.get(low[i : i + L]) or self._cs.get(text[i : i + L])
                    if v is None:
                        continue
                    sub = text[i : i + L]
                    if sub[0].isascii() and i > 0 and _is_ascii_word(text[i - 1]):
                        continue
                    if sub[-1].isascii() and i + L < n and _is_ascii_word(text[i + L]):
                        continue
                    hit = EntitySpan(i, i + L, v[0], v[1], sub, v[2])
                    break
            if hit is not None:
                out.append(hit)
                i = hit.end
        return out

    # -- the whole tagger ----------------------------------------------------------------------

    def tag(self, text: str) -> list[EntitySpan]:
        """Entities and titles in `text` (simplified script), sorted and non-overlapping."""
        return self._analyse(text)[0]

    def appositives(self, text: str) -> list[Appositive]:
        """ "ORG TITLE NAME" groups (title and org optional) in `text`, in order."""
        return self._analyse(text)[1]

    def analyse(self, text: str) -> tuple[list[EntitySpan], list[Appositive]]:
        """tag() and appositives() in one pass."""
        return self._analyse(text)

    def _analyse(self, text: str) -> tuple[list[EntitySpan], list[Appositive]]:
        spans = self._merge_titles(text, self._dictionary(text))
        apps: list[Appositive] = []
        if not self.discover:
            for k, s in enumerate(spans):
                if (
                    s.label == "PERSON"
                    and k
                    and spans[k - 1].label == "TITLE"
                    and spans[k - 1].end == s.start
                ):
                    t = spans[k - 1]
                    o = spans[k - 2] if k > 1 and spans[k - 2].label in ("ORG", "MEDIA") else None
                    apps.append(Appositive(s, t, o if o and o.end == t.start else None))
            return spans, apps
        taken = [False] * (len(text) + 1)
        for s in spans:
            for j in range(s.start, s.end):
                taken[j] = True
        new: list[EntitySpan] = []
        for k, t in enumerate(spans):
            if t.label != "TITLE":
                continue
            # The person right after the title.
            person = None
            nxt = spans[k + 1] if k + 1 < len(spans) else None
            j = t.end
            if j < len(text) and text[j] == " ":
                j += 1
            sm = SECOND_ROLE.match(text, j)
            if sm is not None and (
                (nxt is not None and nxt.label == "PERSON" and nxt.start == sm.end())
                or (not taken[sm.end()] and self._name_at(text, sm.end()) is not None)
            ):
                j = sm.end()  # "地质学教授、同时也是…团队成员的艾米·威廉姆斯": the name after a second role
            if nxt is not None and nxt.label == "PERSON" and nxt.start == j:
                person = nxt
            elif not (j < len(text) and taken[j]):
                person = self._name_at(text, j)
                if person is not None and any(taken[x] for x in range(person.start, person.end)):
                    person = None
                if person is not None:
                    new.append(person)
                    for x in range(person.start, person.end):
                        taken[x] = True
            # The organisation right before the title (a "的" or a space may sit between).
            org = None
            b = t.start
            while b > 0 and text[b - 1] in " 的":
                b -= 1
            prev = spans[k - 1] if k > 0 else None
            if prev is not None and prev.label in ("ORG", "MEDIA") and prev.end == b:
                org = prev
            elif prev is None or prev.end < b:
                org = self._org_before(text, b, prev.end if prev else 0)
                if org is not None:
                    new.append(org)
                elif prev is not None and prev.label == "ORG" and QUALIFIER.fullmatch(text, prev.end, b):
                    org = prev  # "佛罗里达大学地质学教授": a field between the organisation and the title
                else:
                    org = self._org_before_field(text, b, prev.end if prev else 0)
            if person is not None:
                apps.append(Appositive(person, t, org))
        spans = sorted(spans + new, key=lambda s: s.start)
        spans = self._stand_alone(text, spans)
        return spans, apps

    def _merge_titles(self, text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
        """ "联合创始人兼首席科学家", "董事长、CEO" → one TITLE span."""
        out: list[EntitySpan] = []
        for s in spans:
            if s.label == "TITLE" and out and out[-1].label == "TITLE":
                gap = text[out[-1].end : s.start]
                if gap == "" or (len(gap) == 1 and gap in _TITLE_JOINERS):
                    p = out[-1]
                    out[-1] = EntitySpan(p.start, s.end, "TITLE", None, text[p.start : s.end], "title")
                    continue
            out.append(s)
        return out

    # -- patterns ------------------------------------------------------------------------------

    def _name_at(self, text: str, j: int) -> EntitySpan | None:
        """A person's name starting at j (after a title), or None."""
        if j >= len(text):
            return None
        m = _LATIN_NAME.match(text, j)
        if m:
            return EntitySpan(j, m.end(), "PERSON", None, m.group(), "pattern")
        m = _DOT_NAME.match(text, j)
        if m:
            return _trim_dot_name(text, m.start(), m.end())
        return self._han_name(text, j)

    def _han_name(self, text: str, j: int, *, need_cue: bool = False) -> EntitySpan | None:
        sur = 2 if text[j : j + 2] in self.lex.compound_surnames else 1
        if sur == 1 and text[j : j + 1] not in self.lex.surnames:
            return None
        g = j + sur
        given = ""
        for c in text[g : g + 2]:
            if not _HAN.match(c) or c in NOT_GIVEN:
                break
            given += c
        if not given:
            return None
        options = [len(given)] if len(given) == 1 else [2, 1]
        for L in options:
            end = g + L
            rest = text[end : end + 4]
            if need_cue:
                ok = rest.startswith(CUES_BEFORE_NAME_END)
            else:
                ok = end >= len(text) or text[end] in PUNCT or rest.startswith(CUE_WORDS)
            if ok:
                return EntitySpan(j, end, "PERSON", None, text[j:end], "pattern")
        if need_cue:
            return None
        # Nothing tells where the name ends: three characters is the commonest Chinese name, unless they
        # are the front of a word ("议员全面掌握…")
        end = g + len(given)
        if runs_into_word(text, j, end):
            return None
        return EntitySpan(j, end, "PERSON", None, text[j:end], "pattern")

    def _org_before_field(self, text: str, b: int, floor: int) -> EntitySpan | None:
        """ "研究由佛罗里达大学地质学教授": the organisation before a field that ends at b, with the shortest
        field that leaves a name with an organisation's suffix. It is the person's organisation only, not a
        span of its own ("大学" there is mostly a school, not the company the tagger's ORG spans stand for)."""
        for n in range(2, 7):
            if b - n <= floor or not QUALIFIER.fullmatch(text, b - n, b):
                continue
            org = self._org_before(text, b - n, floor)
            if org is None or not org.text.endswith(tuple(self.suffixes)):
                continue
            lm = AGENT_LEAD.match(org.text)
            if lm is not None and len(org.text) - lm.end() >= 2:  # "研究由X大学": the organisation after 由
                a0 = org.start + lm.end()
                org = EntitySpan(a0, org.end, "ORG", None, text[a0 : org.end], "pattern")
            return org
        return None

    def _org_before(self, text: str, b: int, floor: int) -> EntitySpan | None:
        """An organisation name ending at b (just before a title), discovered from its shape."""
        if b <= floor:
            return None
        # Latin-letter names: "Eaze CEO", "KEEN公司CEO".
        a = b
        while a > floor and (text[a - 1].isascii() and (text[a - 1].isalnum() or text[a - 1] in "&.- ")):
            a -= 1
        while a < b and text[a] == " ":
            a += 1
        if a < b:
            cand = text[a:b].rstrip()
            if _LATIN_ORG.match(cand) and cand.upper() not in {"CEO", "CTO", "COO", "CFO", "VP"}:
                return EntitySpan(a, a + len(cand), "ORG", None, cand, "pattern")
            return None
        a = b
        while a > floor and a > b - 12 and (_HAN.match(text[a - 1]) or text[a - 1].isalnum()):
            a -= 1
        cand = text[a:b]
        bounded = a == floor or a == 0 or text[a - 1] in PUNCT
        # Trim clause openers ("据悉", "此前") from the left, repeatedly.
        changed = True
        while changed and cand:
            changed = False
            for p in ORG_PREFIXES:
                if cand.startswith(p) and len(cand) > len(p) + 1:
                    cand, a, changed, bounded = cand[len(p) :], a + len(p), True, True
                    break
        if (
            len(cand) < 2
            or cand in ORG_PREFIXES
            or cand[-1] in "兼及和与"
            or any(c in "着了们" for c in cand)
        ):
            return None
        has_suffix = any(cand.endswith(s) and len(cand) > len(s) for s in self.suffixes)
        if cand.startswith(GENERIC_ORG_HEADS) and not has_suffix:
            return None
        if has_suffix or (bounded and len(cand) <= 8):
            return EntitySpan(a, b, "ORG", None, cand, "pattern")
        return None

    def _dot_name(self, text: str, m: re.Match[str], taken: list[bool]) -> EntitySpan | None:
        """A transliterated name around "·": the left part stops at a taken character, a
        function character or five characters; the right part as in _trim_dot_name."""
        first = min(k for k in (text.find("·", m.start()), text.find("•", m.start())) if k >= 0)
        a = first
        while a > m.start() and a > first - 5 and not taken[a - 1] and text[a - 1] not in NOT_GIVEN:
            a -= 1
        if a == first:
            return None
        d = _trim_dot_name(text, a, m.end())
        return d

    def _stand_alone(self, text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
        """Names before reporting verbs, "·" names, organisations ending in a company suffix."""
        taken = [False] * (len(text) + 1)
        for s in spans:
            for j in range(s.start, s.end):
                taken[j] = True
        new: list[EntitySpan] = []

        def free(a: int, b: int) -> bool:
            return not any(taken[x] for x in range(a, b))

        def claim(s: EntitySpan) -> None:
            new.append(s)
            for x in range(s.start, s.end):
                taken[x] = True

        for m in _DOT_NAME.finditer(text):
            d = self._dot_name(text, m, taken)
            if d is not None and free(d.start, d.end):
                claim(d)
        # "彭小军认为": a name at a clause start, right before a reporting verb.
        if self._surname_starts is None:
            chars = {c for c in self.lex.surnames if len(c) == 1} | {
                c[0] for c in self.lex.compound_surnames if c
            }
            self._surname_starts = re.compile(
                "[" + "".join(re.escape(c) for c in sorted(chars)) + "]" if chars else r"(?!)"
            )
        for sm in self._surname_starts.finditer(text):
            i, c = sm.start(), sm.group()
            if taken[i] or (c not in self.lex.surnames and text[i : i + 2] not in self.lex.compound_surnames):
                continue
            if i > 0 and text[i - 1] not in PUNCT and text[i - 1] not in "据而但":
                continue
            hn = self._han_name(text, i, need_cue=True)
            if hn is not None and free(hn.start, hn.end):
                claim(hn)
        # "招商银行", "蚂蚁科技集团": a run of Han characters ending in a company suffix.
        for suf in self.standalone:
            start = 0
            while (k := text.find(suf, start)) >= 0:
                start = k + 1
                end = k + len(suf)
                if not free(k, end) or (end < len(text) and taken[end]):
                    continue
                a = k
                while a > 0 and a > k - 8 and _HAN.match(text[a - 1]) and not taken[a - 1]:
                    if text[a - 1] in ORG_STOP:
                        break
                    a -= 1
                # Too long a run with no boundary in sight: no telling where the name starts.
                if a == k - 8 and a > 0 and _HAN.match(text[a - 1]):
                    continue
                cand = text[a:end]
                while True:
                    for p in ORG_PREFIXES:
                        if cand.startswith(p) and len(cand) - len(p) > len(suf) + 1:
                            cand, a = cand[len(p) :], a + len(p)
                            break
                    else:
                        break
                if len(cand) - len(suf) < 2 or cand.startswith(GENERIC_ORG_HEADS):
                    continue
                claim(EntitySpan(a, end, "ORG", None, cand, "pattern"))
        return sorted(spans + new, key=lambda s: s.start)

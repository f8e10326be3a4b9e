"""The subject of a reporting clause from the trained NER tagger (kb/nlp/ner_crf.py, engineer N's).

The rules in speakers.py know a subject only when its words are on their lists (a known title, a known
organisation, a surname). News names people and organisations the lists have never seen ("农行行长周慕冰",
"美国军方", "国际能源署署长法提赫·比罗尔"), so when the rules find no subject the CRF tags the few
characters between the clause start and the cue, and the entity nearest to the cue is the head:

- a name → a person; the position right before it is the title, and the company/organization/government
  before that (within a few characters, "卡内基国际和平基金会|在线趋势|研究员") the organisation;
- else a company/organization/government → an organisation (an outlet the lists know → media).

Only what stands between the head and the cue may be an adverbial (time, place, occasion: "周五晚些时候",
"在发布会上", "也"); anything else means the head is not the subject. The CRF runs on these short spans
only (tens of characters per cue). It also vets a bare guess of the rules ("蓝线表示", "克里斯·贝斯特上个月"):
see `SubjectTagger.vet`.

Without a trained model (`ner_crf.load()` is None, or KB_NER_CRF=off) every function here returns None
and the rules work unchanged.
"""

from __future__ import annotations

import os
import re
import threading
from typing import TYPE_CHECKING, Any

from kb.nlp.lexicon import SURNAMES, looks_like_person, runs_into_word
from kb.nlp.speakers import LEAD, LOCAL_NAMES, PARENS, SPOKESPERSON, Speaker

if TYPE_CHECKING:
    from kb.nlp.speakers import SpeakerParser

Span = tuple[int, int, str]
# the word for someone who speaks for an organisation, at the end of a speaker phrase ("…相关负责人")
REPRESENTATIVE_TAIL = re.compile(SPOKESPERSON + r"\s*$")
HEAD_ORG = ("company", "organization", "government")
# What may stand between the subject's head and the cue: time, place, occasion and manner adverbials.
_TIME = (
    r"(?:周[一二三四五六日末]|星期[一二三四五六日天]|上周[一二三四五六日]?|本周[一二三四五六日]?|上个?月|本月|"
    r"\d{1,2}月\d{1,2}日|\d{1,2}月|\d{1,2}日|今天|昨天|今日|昨日|当天|当日|当晚|近日|日前|此前|早前|之前|随后|"
    r"最近|近期|今年|去年|早些时候|晚些时候|当地时间|北京时间)"
    r"(?:早些时候|晚些时候|早间|晚间|上午|下午|晚上|早上|凌晨)?"
)
_OCCASION = r"(?:在|于|通过|借助)[^，。；：:！？\n“”「」]{1,40}?(?:上|中|里|时|期间|之际|当中)"
_TO = r"(?:对|向|跟|告诉)(?:记者|媒体|我们|笔者|[^，。；：:！？\n“”「」]{1,10}?)(?=表示|说|称|透露|坦言|直言|介绍)"
_ADV = (
    r"(?:也|还|则|曾|曾经|已|已经|又|都|亦|长期|一向|向来|历来|再次|再|同时|公开|正式|明确|进一步|随即|立即|首次|一再|多次|"
    r"特别|直接|私下|同样|仍|依然|始终|就此|对此|专门|接受采访时|在接受采访时|发文|发帖|撰文|在社交媒体上|"
    # a manner of speaking before 称/说/道 ("回顾称", "笑着说")
    r"回顾|回忆|总结|感慨|笑着|笑|解释|补充)"
)
TIME_TAIL = re.compile(rf"(?:{_TIME})+$")
TAIL_OK = re.compile(rf"(?:\s|{_TIME}|{_OCCASION}|{_TO}|{_ADV})*")
# Before the head chain: nothing, a modifier ending in 的/、, or a space; not a preposition that makes
# the head an object ("对X表示", "和X一起").
OBJECT_BEFORE = re.compile(r"(?:对|向|跟|和|与|及|被|让|给|把|据|根据|替|为|帮|请|问|由)\s*$")
# A prefix that makes the clause a copula or existential ("这是路透社首次披露…", "有媒体称"): no subject here
NOT_SUBJECT_PREFIX = re.compile(r"是|^有|^这|^那|如果|假如")
# a surname with a form of address ("张女士", "郑先生", "周博士")
ADDRESSED = re.compile(r"[\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|博士|教授|院士|老师|医生|律师)")
GAP_MAX = 8  # characters between an organisation and the position after it ("在线趋势")


def _object_or_copula(text: str, a: int, b: int) -> bool:
    """Whether the words before the head make it an object or a predicate; a relative clause ending in
    的 ("一直反对…的众议员X") only modifies it."""
    pre = text[a:b]
    if OBJECT_BEFORE.search(pre):
        return True
    return bool(NOT_SUBJECT_PREFIX.search(pre.rsplit("的", 1)[-1]))


def _roles(text: str, h0: int, spans: list[Span]) -> tuple[int, str | None, str | None]:
    """(start of the chain, title, organisation) of the name at h0: the position right before it, and the
    company/organization/government a few characters before that ("X基金会|在线趋势|研究员NAME")."""
    pos = [s for s in spans if s[2] == "position" and s[1] <= h0 and not text[s[1] : h0].strip()]
    if not pos:
        return h0, None, None
    p0 = pos[-1][0]
    orgs = [
        s
        for s in spans
        if s[2] in HEAD_ORG
        and s[1] <= p0
        and p0 - s[1] <= GAP_MAX
        and not re.search(r"[，,、。；：:\s的]", text[s[1] : p0])
    ]
    if orgs:
        o0, o1, _ = orgs[-1]
        return o0, text[o1:h0].strip() or None, text[o0:o1]
    return p0, text[p0:h0].strip() or None, None


def enabled() -> bool:
    """False when KB_NER_CRF is off/0/no/false: the rules alone, as on a machine without the model."""
    return os.environ.get("KB_NER_CRF", "").strip().lower() not in ("off", "0", "no", "false")


_LOCAL = threading.local()


def tagger() -> Any:
    """The CRF tagger of this thread (crfsuite's tagger holds state), or None without a model. The
    model file is read once per thread, and its absence is remembered the same way."""
    if not enabled():
        return None
    if not hasattr(_LOCAL, "tagger"):
        from kb.nlp import ner_crf

        _LOCAL.tagger = ner_crf.load()
    return _LOCAL.tagger


def _after_lead(text: str, start: int, end: int) -> int:
    """Where the words of text[start:end] start, past a lead ("此外，", "但") and blanks."""
    m = LEAD.match(text[start:end])  # (LEAD is anchored with ^: it reads a slice, not a position)
    a = start + (m.end() if m else 0)
    while a < end and text[a] in " \u3000":
        a += 1
    return a


class SubjectTagger:
    """CRF-based subject parsing for one parser (registry and word lists); a per-article cache of tags."""

    def __init__(self, parser: SpeakerParser):
        self.parser = parser
        self._cache: dict[str, list[Span]] = {}
        self._cache_key: int | None = None

    def _tags(self, text: str, a: int, b: int, ctx_end: int) -> list[Span] | None:
        t = tagger()
        if t is None:
            return None
        if self._cache_key != id(text):
            self._cache, self._cache_key = {}, id(text)  # one article at a time
        chunk = text[a:ctx_end]
        spans = self._cache.get(chunk)
        if spans is None:
            spans = self._cache[chunk] = t.tag(chunk)
        return [(a + s, a + e, lab) for s, e, lab in spans if a + e <= b]

    def subject(self, text: str, start: int, end: int, cue_end: int | None = None) -> Speaker | None:
        """The speaker named by text[start:end] (the words before a cue), or None."""
        a = _after_lead(text, start, end)
        if end - a < 2 or end - a > 60:
            return None
        spans = self._tags(text, a, end, cue_end or end)
        if not spans:
            return None
        # entities inside parentheses repeat the name ("艾丹·沃克(Aidan Walker)"): not the head
        inner = [(pm.start(), pm.end()) for pm in PARENS.finditer(text[:end], a)]
        spans = [s for s in spans if not any(p0 <= s[0] and s[1] <= p1 for p0, p1 in inner)]
        heads = [s for s in spans if s[2] == "name" or s[2] in HEAD_ORG]
        if not heads:
            return None
        # the head nearest to the cue whose remaining words are adverbials only (an entity inside the
        # occasion, "在提交给X委员会的证词中", is not the head)
        head = next((h for h in reversed(heads) if TAIL_OK.fullmatch(PARENS.sub("", text[h[1] : end]))), None)
        if head is None:
            return None
        h0, h1, label = head
        if label == "name":
            return self._person(text, a, h0, h1, spans)
        return self._organisation(text, a, h0, h1)

    def opener(self, text: str, start: int, end: int) -> Speaker | None:
        """The named subject that opens the clause text[start:end] with its predicate after it ("特朗普签署行政
        命令", "MacLean点名批评了…"): the speaker of a later subject-less "，称…" in the same sentence."""
        a = _after_lead(text, start, end)
        if end - a < 4 or end - a > 80:
            return None
        spans = self._tags(text, a, end, end)
        if not spans:
            return None
        h0, h1, label = spans[0]
        if h0 > a:
            return None
        # "Pic Mix创始人卡尔文非常兴奋": the name after the company's title is the subject
        named = next((sp for sp in spans[1:4] if sp[2] == "name"), None)
        if named is not None and label != "name" and self.parser.lex.title_re.match(text, h1):
            h0, h1, label = named
        # the entity stands first and a predicate follows it (not "的", a conjunction or a pause)
        nxt = text[h1 : h1 + 1]
        if (
            not nxt
            or not (nxt.isalnum() or nxt == " ")
            or nxt in "的和与及、"
            or self.parser.lex.title_re.match(text, h1)
        ):
            return None
        if label == "name":
            return self._person(text, a, h0, h1, spans)
        if label in HEAD_ORG:
            return self._organisation(text, a, h0, h1)
        return None

    def _person(self, text: str, a: int, h0: int, h1: int, spans: list[Span]) -> Speaker | None:
        name = text[h0:h1].strip()
        chain, title, org = _roles(text, h0, spans)
        if _object_or_copula(text, a, chain):
            return None
        e = self.parser.entity(name)
        if e is not None and getattr(e, "kind", "") != "person":
            return None
        return Speaker(
            chain,
            h1,
            text[chain:h1],
            "person",
            name=name,
            title=title,
            org=org,
            entity_id=e.id if e is not None else None,
            canonical=e.name if e is not None else None,
        )

    def _organisation(self, text: str, a: int, h0: int, h1: int) -> Speaker | None:
        name = text[h0:h1].strip()
        if len(name) < 2 or _object_or_copula(text, a, h0) or self.parser._has_unnamed(name):
            return None
        kind = self.parser.kind_of(name)
        e = self.parser.entity(name)
        typ = (
            "media"
            if kind == "media"
            else ("person" if kind == "person" and e is not None else "organization")
        )
        return Speaker(
            h0,
            h1,
            name,
            typ,
            name=name,
            entity_id=e.id if e is not None else None,
            canonical=e.name if e is not None else None,
        )

    def represented(self, text: str, sp: Speaker) -> Speaker | None:
        """The company an unnamed speaker stands for when the lists do not know it ("今麦郎工作人员",
        "Acme相关负责人"): the company the tagger finds exactly before the representative's word. Not a
        government body or other organisation: their officials stay unnamed (data/gold/LABELLING.md)."""
        mention = sp.mention.lstrip()
        m = REPRESENTATIVE_TAIL.search(mention)
        if m is None or m.start() < 2:
            return None
        a = sp.start + len(sp.mention) - len(mention)
        head = mention[: m.start()].rstrip()
        spans = self._tags(text, a, a + len(head), min(len(text), sp.end + 6))
        if not spans:
            return None
        h0, h1, label = spans[-1]
        if h0 != a or h1 != a + len(head):
            return None
        # a brand the tagger reads as a name ("今麦郎"): no one's name stands before 工作人员 unless it reads
        # as a person's
        if label != "company" and (label != "name" or looks_like_person(head, self.parser.lex)):
            return None
        return self._organisation(text, a, h0, h1)

    def _plain(self, name: str) -> list[Span]:
        t = tagger()
        # after a title the CRF reads a name it would miss at a sentence start ("记者X表示，")
        return t.tag("记者" + name + "表示，") if t is not None else []

    def vet(self, text: str, sp: Speaker, cue_end: int) -> Speaker | None:
        """Check a bare guess of the rules (a person by the shape of its name only): the CRF's subject when
        it finds one, the guess itself when the CRF agrees or has no model, None when the CRF sees no
        name there at all ("蓝线表示")."""
        if sp.type == "person" and sp.name and sp.mention.endswith(sp.name):
            tm = TIME_TAIL.search(sp.name)
            if tm and tm.start() >= 2 and re.search(r"[·•‧・．A-Za-z]", sp.name[: tm.start()]):
                # "克里斯·贝斯特(Chris Best)上个月写道": the time word joined the name when the
                # parenthetical was dropped
                name = sp.name[: tm.start()]
                sp = sp.copy(name=name, mention=sp.mention[: len(sp.mention) - len(sp.name) + len(name)])
        if sp.type != "person" or sp.entity_id or sp.title or sp.org:
            return sp
        name = sp.name or ""
        if (
            not name
            or sp.mention != name
            or re.search(r"[A-Za-z“”「」]", name)
            or self.parser.local_full(name)
            or (LOCAL_NAMES.get() or {}).get(name) == "person"  # ("小羊（化名）": the article says so)
            or ADDRESSED.fullmatch(name)
            and name[0] in SURNAMES
        ):
            # Latin names: the CRF is weak on them; handles and article-local names: known; a surname with
            # 先生/女士 ("张女士", which the CRF often reads as no name) is a person by its form
            return sp
        spans = self._tags(text, sp.start, sp.end, cue_end)
        if spans is None:
            return sp
        names = [s for s in spans if s[2] == "name"]
        if not names:
            # a guess of a short Chinese name ("蓝线") that the CRF reads as no name, in the article and in
            # a plain "记者X表示，" (its reading of a short span depends on the context); a dotted
            # foreign name stays
            if re.search(r"[·•‧・．.]", name) or any(lab == "name" for _, _, lab in self._plain(name)):
                return sp
            return None
        n0, n1, _ = names[-1]
        if (n0, n1) == (sp.start, sp.end) or text[n0:n1] == name:
            return sp
        if n1 < sp.end and TAIL_OK.fullmatch(text[n1 : sp.end]):
            # "克里斯·贝斯特上个月": the name ends before the adverbial
            return sp.copy(end=n1, mention=text[sp.start : n1], name=text[n0:n1])
        return sp

    def antecedent(self, text: str, pos: int, floor: int = 0) -> Speaker | None:
        """The person a 他/她 at `pos` stands for: the named subject (a CRF name that opens a clause) nearest
        before it, in its sentence or the one before. None without a model or without such a subject."""
        if tagger() is None:
            return None
        # its own sentence when the pronoun comes after other words there ("X收到…，他…"); the sentence
        # before when it opens its sentence ("…。他认为…")
        a = pos
        while a > floor and text[a - 1] not in "。！？!?\n":
            a -= 1
        if len(text[a:pos].strip(" \u3000“”「」")) < 4:
            a -= 1
            while a > floor and text[a - 1] in "。！？!?\n \u3000":
                a -= 1
            while a > floor and text[a - 1] not in "。！？!?\n":
                a -= 1
        a = max(a, pos - 160)
        if pos - a < 3:
            return None
        before = text[a:pos].strip(" \u3000，,")
        if before and before[0] in "“「" and before[-1] in "”」" and a > floor:
            # "“…，”她说": the quote is what she said; she is the subject of the sentence before it
            return self.antecedent(text, a, floor)
        spans = self._tags(text, a, pos, pos)
        if not spans:
            return None
        inner = [(pm.start(), pm.end()) for pm in PARENS.finditer(text[:pos], a)]
        starts = {s0 for s0, _, _ in spans}
        found: list[tuple[int, str]] = []  # subject names, nearest first
        for h0, h1, label in reversed(spans):
            if label != "name" or any(p0 <= h0 and h1 <= p1 for p0, p1 in inner):
                continue
            # the subject of a predicate: something other than a pause, a conjunction or more of a name
            # follows it ("斯蒂夫·汉克（Steve Hanke）给出了…"), and no preposition makes it an object
            k = h1
            pm = PARENS.match(text, k)
            k = pm.end() if pm else k
            nxt = text[k : k + 1]
            if not nxt or not (nxt.isalnum() or nxt == " ") or nxt in "的和与及" or k in starts:
                continue
            if h1 in starts or _object_or_copula(text, max(a, h0 - 4), h0) or runs_into_word(text, h0, h1):
                continue
            found.append((h0, PARENS.sub("", text[h0:h1]).strip()))
        if not found:
            return None
        h0, name = found[0]
        if any(n not in name and name not in n for _, n in found[1:]):
            return None  # two people could be meant: a missing statement beats a wrong speaker
        e = self.parser.entity(name)
        # no roles here: the attribution stage takes them from where the article names the person
        return Speaker(
            h0,
            h0 + len(name),
            name,
            "person",
            name=name,
            entity_id=e.id if e is not None else None,
            canonical=e.name if e is not None else None,
        )

"""Entity mentions for attribution. Uses engineer D's `EntityTagger` (kb/nlp/ner.py) when present;
otherwise a minimal finder: registry aliases, well-known organisations and appositives
("小米集团董事长雷军", "MiniMax CEO闫俊杰")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kb.nlp.attribution import Mention
from kb.nlp.lexicon import Lexicon, looks_like_person, runs_into_word
from kb.nlp.speakers import BARE_ORG_WORDS, JUNK_NAME, ORG_HEAD_STRIP

if TYPE_CHECKING:
    from kb.registry import Registry

# a name and the mark that it is a pseudonym ("小羊（化名）", "的安娜(化名)")
PSEUDONYM = re.compile(r"(?:^|(?<=[的，,。\s]))([\u4e00-\u9fff]{2,3}|[A-Z][a-z]{1,12})\s*[（(]化名[）)]")
NAME_AFTER_TITLE = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{1,8}[·•‧・][\u4e00-\u9fffA-Za-z]{1,10}|[A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-]+){1,2}|[\u4e00-\u9fff]{2,4})"
)
NAME_STOP = re.compile(
    r"在|于|表示|称|说|认为|透露|指出|强调|也|还|则|曾|对|向|和|与|的|是|将|已|等|（|\(|、|，|。|"
    r"近日|近期|日前|今天|昨天|今日|昨日|此前|目前|当时|随后|谈到|分析"
)
BOUND = "，。！？；：\n“”（）()、"
# an organisation mention that is a function word glued to a generic head: no organisation at all
ORG_FUNCTION_LEAD = re.compile(
    r"(?:如果|假如|若|与|和|对|此次|本次|这次|如|由|被|让|向|为)(?:公司|集团|企业|平台|官方)$"
)


class EntityFinder:
    def __init__(self, lex: Lexicon, registry: Registry | None):
        self.lex = lex
        self.registry = registry
        self.tagger: Any = None
        names: list[str] = []
        if registry is not None:
            try:
                from kb.nlp.ner import EntityTagger  # engineer D's tagger, when it has landed

                self.tagger = EntityTagger(registry)
            except Exception:
                self.tagger = None
            try:
                names = [n for n, _k in registry.names() if len(n) >= 2]
            except Exception:
                names = []
        # (the listed organisations also join what the tagger finds; its outlets it already reads well)
        listed = sorted({n for n in lex.known_orgs if len(n) >= 2}, key=len, reverse=True)
        self.listed_re = re.compile("|".join(re.escape(n) for n in listed)) if listed else None
        names += listed + list(lex.known_media)
        names = sorted({n for n in names if len(n) >= 2}, key=len, reverse=True)
        self.name_re = re.compile("|".join(re.escape(n) for n in names)) if names else None

    def kind(self, name: str) -> tuple[str | None, str | None]:
        if self.registry is not None:
            try:
                e = self.registry.find(name)
            except Exception:
                e = None
            if e is not None:
                k = getattr(e, "kind", "")
                return ("PERSON" if k == "person" else "MEDIA" if k == "media" else "ORG"), e.id
        if name in self.lex.known_media:
            return "MEDIA", None
        if name in self.lex.known_orgs:
            return "ORG", None
        return None, None

    def _listed(self, text: str, found: list[Mention]) -> list[Mention]:
        """Organisations of the word lists ("微信", "领英") that the tagger left out."""
        if self.listed_re is None:
            return []
        out = []
        for m in self.listed_re.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            if m.group().isascii() and (
                (m.start() > 0 and text[m.start() - 1].isalnum())
                or (m.end() < len(text) and text[m.end()].isalnum())
            ):
                continue  # a Latin name inside a longer word
            out.append(Mention(m.start(), m.end(), m.group(), "ORG", None))
        return out

    def find(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        if self.tagger is not None:
            try:
                spans, apps = self.tagger.analyse(text)
                for sp in spans:
                    if sp.label == "ORG" and ORG_FUNCTION_LEAD.match(text, sp.start, sp.end):
                        continue  # "如果公司后续…", "此次公司希望…": a conjunction before a generic head
                    if sp.label == "PERSON" and (
                        JUNK_NAME.match(text, sp.start, sp.end) or self._cue_word(text[sp.start : sp.end])
                    ):
                        continue  # "分析师曾指出", "部长解释说": an adverb and a cue, or a cue, no name
                    if sp.label in ("PERSON", "ORG", "MEDIA"):
                        name = text[sp.start : sp.end]
                        label = sp.label
                        # "LinkedIn", "Windows Central": the lists know it as a platform or an outlet
                        if label == "PERSON" and not sp.entity_id and name in self.lex.known_orgs:
                            label = "ORG"
                        elif label == "PERSON" and not sp.entity_id and name in self.lex.known_media:
                            label = "MEDIA"
                        out.append(Mention(sp.start, sp.end, name, label, sp.entity_id))
                for ap in apps:
                    p = ap.person
                    if JUNK_NAME.match(text, p.start, p.end) or self._cue_word(text[p.start : p.end]):
                        continue
                    title = text[ap.title.start : ap.title.end] if ap.title is not None else None
                    org = text[ap.org.start : ap.org.end] if ap.org is not None else None
                    if title:
                        out.append(
                            Mention(
                                p.start,
                                p.end,
                                text[p.start : p.end],
                                "PERSON",
                                p.entity_id,
                                title,
                                org,
                                subject=True,
                            )
                        )
                out += self._listed(text, out)
                out += self._pseudonyms(text, out)
                out.sort(key=lambda m: m.start)
                return out
            except Exception:  # a tagger bug must not stop extraction: fall back to the own finder
                out = []
        if self.name_re is not None:
            for m in self.name_re.finditer(text):
                label, eid = self.kind(m.group())
                if label:
                    # a Latin alias inside a longer word ("Metal") is not a mention
                    if m.group().isascii() and (
                        (m.start() > 0 and text[m.start() - 1].isalnum() and text[m.start() - 1].isascii())
                        or (m.end() < len(text) and text[m.end()].isalnum() and text[m.end()].isascii())
                    ):
                        continue
                    out.append(Mention(m.start(), m.end(), m.group(), label, eid))
        out += self.appositives(text)
        out += self._pseudonyms(text, out)
        out.sort(key=lambda m: m.start)
        return out

    @staticmethod
    def _pseudonyms(text: str, found: list[Mention]) -> list[Mention]:
        """People the article names by a pseudonym ("经营着一家民宿的小羊（化名）"): the name, wherever the
        article writes it, is a person's."""
        if "化名" not in text:
            return []
        names = {m.group(1) for m in PSEUDONYM.finditer(text)}
        out = []
        for name in names:
            for m in re.finditer(re.escape(name), text):
                # (the tagger's own reading of the same span stays beside it)
                if not any(
                    f.start < m.end() and m.start() < f.end and (f.start, f.end) != m.span() for f in found
                ):
                    out.append(Mention(m.start(), m.end(), name, "PERSON", None, sure=True))
        return out

    def _cue_word(self, name: str) -> bool:
        return self.lex.cue_re.fullmatch(name) is not None

    def appositives(self, text: str) -> list[Mention]:
        """TITLE followed by a person's name, with the organisation before the title."""
        out = []
        for t in self.lex.title_re.finditer(text):
            j = t.end()
            while j < len(text) and text[j] == " ":
                j += 1
            m = NAME_AFTER_TITLE.match(text, j)
            if not m:
                continue
            name = m.group(1)
            if re.match(r"^[\u4e00-\u9fff]+$", name):
                # cut a Chinese name at the first function word ("雷军表示" -> "雷军")
                stop = NAME_STOP.search(name, 2)
                if stop:
                    name = name[: stop.start()]
                if len(name) == 4 and not looks_like_person(name, self.lex):
                    name = name[:3]
                if len(name) == 3 and not looks_like_person(name, self.lex):
                    name = name[:2]
            label, eid = self.kind(name)
            if label not in (None, "PERSON") or not (eid or looks_like_person(name, self.lex)):
                continue
            if eid is None and runs_into_word(text, j, j + len(name)):
                continue  # "议员全面掌握…": a word after the title, not a name
            # organisation: back from the title to a boundary
            i = t.start()
            while i > 0 and text[i - 1] not in BOUND and t.start() - i < 20:
                i -= 1
            org = ORG_HEAD_STRIP.sub("", text[i : t.start()].strip(" 的")).strip(" 的") or None
            if org and (org.endswith(("兼", "暨", "、")) or org in ("其",) or org in BARE_ORG_WORDS):
                org = None  # "该公司高级副总裁X": a reference, resolved where the statement is attributed
            out.append(Mention(j, j + len(name), name, "PERSON", eid, t.group(), org, subject=True))
        return out

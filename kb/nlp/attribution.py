"""From candidates to Statements: resolve references (他/其/该公司/上述人士) to an antecedent, give a
person the canonical name and the role the article states (or the registry's role on that date),
and cut the statement's text from the original article."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from kb.nlp.antecedents import NAMED_HEADS, bodies_with_head, decide, ref_head
from kb.nlp.finder import SHORT_NAME, Candidate
from kb.nlp.lexicon import COMPOUND_SURNAMES, SURNAMES
from kb.nlp.speakers import COUNTRIES, LEAD, ORG_HEAD_STRIP, Speaker, SpeakerParser, outlet_after_country
from kb.records import Statement
from kb.textnorm import alias_key, to_simplified

if TYPE_CHECKING:
    from kb.registry import Registry

_SEP = re.compile(r"[·•‧・\s]")
# where the words that describe a person stop, going back from the name
_ROLE_BOUND = frozenset('。！？；;!?\n，,：:“”"「」『』（()）')
_ROLE_AFTER = re.compile(r"由|据|被|让|向|是|担任|出任|援引了?|(?:同样)?(?:来自|出自)")
# words of a clause, not of a body's name or a post ("激怒了", "驳回", "已多次对")
_ROLE_CLAUSE = re.compile(r"了|已|对|于|把|将|在|就|由|旗下|指示|这一|此前|当")
# what goes on a body's name rather than starting a post ("…伯克利分校", "零一创投", "剑桥大学地球科学系")
_BODY_GOES_ON = re.compile(
    r"[^\s、的]{0,8}?(?:分校|学院|研究所|研究院|实验室|中心|系|创投|资本|集团|事业部|部门|委员会|公司|大学|AI|光纤)"
)
_LATIN_START = re.compile(r"[A-Za-z0-9、/.&]")
# a Latin name later in the stretch ("微软旗下风投基金M12", "AI开发平台Lovable"): the body is that name
_LATIN_NAME_IN = re.compile(r"[A-Za-z]{2,}|[A-Z]\d")
# posts of a state, which take the country as organisation (美国总统, 西班牙首相, 美国国防部副部长)
_STATE_POST = re.compile(
    r"(?:总统|总理|首相|部长|大臣|国务卿|外长|大使|官员|议员|局长|署长|司长|秘书|发言人|主席|特使|顾问|法官|检察官)$"
)


@dataclass
class Mention:
    """An entity mention found anywhere in the article (not necessarily speaking)."""

    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | MEDIA | TITLE
    entity_id: str | None = None
    title: str | None = None
    org: str | None = None
    subject: bool = False  # stands where a subject stands (appositive with a title, clause start)
    sure: bool = False  # a person's name by what the article says of it ("小羊（化名）"), title or not


# "美国国家公路交通安全管理局（NHTSA）": the article spells out what the abbreviation stands for
ABBREV = re.compile(r"([\u4e00-\u9fff]{4,24})[（(]([A-Z][A-Za-z&\-]{1,9})[）)]")
# bodies whose Han name ends in a word that is no organisation's suffix elsewhere ("欧盟计算机应急响应小组（CERT-EU）")
_ABBREV_BODY = ("小组", "中心")
# "The Document Foundation（TDF）": a Latin name and the initials it is then called by
LATIN_ABBREV = re.compile(
    r"((?:[A-Z][\w&.\-]*\s+(?:(?:of|and|for|the)\s+)?){1,6}[A-Z][\w&.\-]*)\s*[（(]\s*([A-Z]{2,8})\s*[）)]"
)
GENERIC_MEDIA = frozenset(
    "外媒 国外媒体 海外媒体 境外媒体 媒体 有媒体 多家媒体 相关媒体 当地媒体 韩媒 日媒 美媒 英媒 港媒 台媒 外电".split()
)
UNNAMED_REF = re.compile(r"(?:人士|网友|用户|高管|机主|楼主|员工)$")
# A generic description, not an organisation's name ("创业公司", "这家科技公司"): never the antecedent of
# "该公司"
GENERIC_ORG = re.compile(
    r"^(?:一家|这家|那家|这些|那些|该|多家|其他|相关|大型|小型|新|老)?(?:中国|美国|海外|外国|本土|国内|国外)?"
    r"(?:创业|初创|科技|互联网|上市|母|子|投资|风投|咨询|调研|研究|芯片|游戏|电商|汽车|手机|软件|硬件|网络|金融|财经|支付)?"
    r"(?:公司|企业|机构|平台|团队|集团|厂商|事业部)$"
)
PLURAL = ("他们", "她们")
# a company's staff: "丰巢相关工作人员", "客服人员", "展台工作人员", "现场销售人员" (not its 负责人, whose words
# the rules already give to the body they name)
STAFF = re.compile(
    r"(?:据)?([^\s，,的]{0,12}?)(?:的)?(?:相关|官方|现场|展台|门店)?(?:工作人员|客服人员|客服|销售人员|店员)"
)
REP_HEADS = frozenset(("发言人", "负责人"))
# the titles an executive holds ("这位高管" may stand for the person named with one)
EXECUTIVE = re.compile(r"总裁|CEO|CTO|CFO|COO|首席|执行官|总经理|董事长|董事|总监|高管|合伙人|创始人|主管")
# an unnamed source written as one person ("一位知情人士", "该高管", "这名员工"), that a 他/她 may stand for
SINGLE_SOURCE = re.compile(
    r"[一某该这此上另][位名个]|上述|前述|^[该此]|^(?:还|也|另)?有|^[他她]$|人士$|高管$|负责人$|发言人$|客服$|楼主$|博主$|工作人员$"
)
# "弗兰克·魏布林（Frank Werblin）是加州大学伯克利分校的神经学教授": a role stated with 是
COPULA = re.compile(
    r"([\u4e00-\u9fffA-Za-z·•‧・ ]{2,16}?)(?:[（(][^（）()]{1,40}[）)])?是([^，。；！？\n“”]{2,30}?)的?"
    r"((?:(?!的)[\u4e00-\u9fffA-Za-z]){0,8}?)(?=[，。；！？\n])"
)
# Corporate titles: a person with one of these and no organisation in the article's phrase works for
# the organisation that spoke just before ("该公司表示…。首席执行官X表示…")
CORP_TITLE = re.compile(r"CEO|CTO|CFO|COO|首席|总裁|创始人|发言人|董事长|总经理|负责人")


def _para_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, max(0, pos)) + 1 if text else 0


SURVEY_SHARE = re.compile(r"\d+(?:\.\d+)?\s*[%％]|[一二三四五六七八九十]+成")


def _only_person_before(mentions: list[Mention], text: str, pos: int) -> Speaker | None:
    """ "研究由…的艾米·威廉姆斯领导，她表示": with no one before, the one person the sentence holding the
    pronoun (or the one before it) names, when it names exactly one."""
    a = pos
    for _ in range(2):  # back to the start of the sentence before
        a = max(text.rfind(ch, 0, max(0, a - 1)) for ch in "。！？\n") + 1
    people = [m for m in mentions if m.label == "PERSON" and a <= m.start and m.end <= pos]
    if len({m.text for m in people}) != 1:
        return None
    m = people[-1]
    return Speaker(
        m.start, m.end, m.text, "person", name=m.text, title=m.title, org=m.org, entity_id=m.entity_id
    )


def _prev_para_start(text: str, pos: int) -> int:
    """Where the paragraph before the one holding `pos` starts (its own start when it is the first)."""
    p = _para_start(text, pos)
    while p > 0 and text[p - 1] in "\n \u3000":
        p -= 1
    return _para_start(text, p) if p > 0 else 0


# a speaker phrase that is itself a reference, no name
_REF_WORD = re.compile(r"^(?:他|她|其|该|这|此|上述|前述|公司|官方|对方|后者|前者)")


def _named_at(st: Statement, c: Candidate, text: str) -> None:
    """For a speaker reached through a reference (他, 该公司, a bare title): where the name it stands for
    is written (the antecedent the coreference stage chose, else the name's last mention before the
    reference), the analyst's evidence for the resolution."""
    assert st.speaker_start is not None
    named = c.extra.get("named")
    if isinstance(named, tuple):
        a, b = named
        written = text[a:b]
        # the phrase without the spaces around it ("John Zimmer ")
        st.named_start = a + len(written) - len(written.lstrip())
        st.named_end = b - len(written) + len(written.rstrip())
        return
    sp = c.speaker
    for form in dict.fromkeys(f for f in (sp.name, st.speaker, sp.canonical) if f and len(f) >= 2):
        at = text.rfind(to_simplified(form), 0, st.speaker_start)
        if at >= 0:
            st.named_start, st.named_end = at, at + len(form)
            return


def resolve(
    cands: list[Candidate], mentions: list[Mention], text: str = "", refs: tuple[str, ...] = ()
) -> list[Candidate]:
    """Replace reference speakers by their antecedents (in place order, left to right)."""
    history: list[tuple[int, Speaker]] = []
    events: list[tuple[int, int, object]] = [
        (m.start, 0, m) for m in mentions if m.subject or m.label in ("ORG",)
    ]
    # references standing as a subject ("该网友随后反驳。") carry their antecedent forward even when
    # they say nothing themselves
    if text and refs:
        rx = re.compile(r"(?:^|(?<=[。！？；\n，]))(" + "|".join(re.escape(r) for r in refs) + ")")
        for rm in rx.finditer(text):
            events.append((rm.start(1), 0, Mention(rm.start(1), rm.end(1), rm.group(1), "REF")))
    events += [(c.start if c.speaker.start > c.start else c.speaker.start, 1, c) for c in cands]
    events.sort(key=lambda t: (t[0], t[1]))
    org_counts = Counter(m.text for m in mentions if m.label == "ORG" and not GENERIC_ORG.match(m.text))
    # unnamed people referred to anywhere, also as an object ("激怒该网友，随即其…")
    objs = [rm.start() for rm in _UNNAMED_OBJ.finditer(text)] if text else []
    out: list[Candidate] = []
    spoken: list[tuple[int, int]] = []  # speaker phrases of candidates already taken
    spoken_by: list[tuple[int, Speaker]] = []  # the speakers of those candidates
    for _pos, kind, obj in events:
        if kind == 0:
            assert isinstance(obj, Mention)
            m = obj
            # a name inside a speaker phrase that was parsed whole ("阿里云智能集团资深副总裁、公共云
            # 事业部总裁刘伟光") keeps that parse: the tagger's nearest-title reading must not replace it
            if m.label != "REF" and any(a <= m.start and m.end <= b for a, b in spoken[-3:]):
                continue
            if m.label == "REF":
                unnamed_head = bool(UNNAMED_REF.search(m.text))
                ant = _latest(
                    history,
                    m.start,
                    ("unnamed",) if unnamed_head else ("person", "unnamed"),
                    prefer_unnamed=True,
                )
                if ant is None and unnamed_head:
                    ant = Speaker(m.start, m.end, m.text, "unnamed")
                if ant is not None:
                    history.append((m.start, ant.copy(start=m.start, end=m.end, mention=m.text)))
                continue
            t = {"PERSON": "person", "ORG": "organization", "MEDIA": "media"}.get(m.label)
            if t:
                history.append(
                    (
                        m.start,
                        Speaker(
                            m.start,
                            m.end,
                            m.text,
                            t,
                            name=m.text,
                            title=m.title,
                            org=m.org,
                            entity_id=m.entity_id,
                        ),
                    )
                )
            continue
        c = obj
        assert isinstance(c, Candidate)
        sp = c.speaker
        if (
            sp.type in ("organization", "person")
            and _LATIN_WORD.fullmatch(sp.name or "")
            and not sp.entity_id
            and not sp.title
        ):
            # "Ron 还透露" after "Otto 联合创始人 Lior Ron": a surname, not a brand (nor a new person, when
            # the CRF read it as a name)
            per = _person_by_part(history, mentions, sp.name or "", sp.start, text)
            if per is not None:
                c.speaker = sp = per.copy(start=sp.start, end=sp.end, mention=sp.mention)
        if (
            sp.type == "unnamed"
            and (owner := _staff_owner(sp, mentions, history, text, org_counts)) is not None
        ):
            c.speaker = sp = owner
        if sp.type == "ref_media":
            # "报道中称": the outlet named last (as a speaker or a mention), else nothing
            ant = _latest(history, sp.start, ("media",))
            mm = [m for m in mentions if m.label == "MEDIA" and m.end <= sp.start]
            if mm and (ant is None or mm[-1].start > ant.start):
                m = mm[-1]
                ant = Speaker(m.start, m.end, m.text, "media", name=m.text, entity_id=m.entity_id)
            if ant is None:
                continue
            c.speaker = ant.copy(start=sp.start, end=sp.end, mention=sp.mention)
        elif sp.type == "ref_report":
            # "该报告称": whoever published the report, the organisation or outlet that spoke last
            ant = _latest(spoken_by, sp.start, ("organization", "media"))
            if ant is None or ant.start < _para_start(text, sp.start) - 400:
                continue
            c.speaker = ant.copy(start=sp.start, end=sp.end, mention=sp.mention)
        elif sp.type == "ref_person" and sp.mention in PLURAL:
            # "他们认为…" with no subject in the sentence: a group, company or outlet that spoke in this
            # paragraph (one that spoke before a merely mentioned one); never one named person
            ant = _latest(spoken_by, sp.start, ("unnamed", "organization", "media"))
            if ant is None or ant.start < _para_start(text, sp.start):
                ant = _latest(history, sp.start, ("unnamed", "organization", "media"))
            if ant is None or ant.start < _para_start(text, sp.start):
                continue
            c.speaker = ant.copy(start=sp.start, end=sp.end, mention=sp.mention)
        elif sp.type == "ref_person":
            unnamed_head = bool(UNNAMED_REF.search(sp.mention))
            types = ("unnamed",) if unnamed_head else ("person", "unnamed")
            ant = _latest(
                history,
                sp.start,
                types,
                prefer_unnamed=sp.mention.startswith(("该", "上述", "这位")) and "负责人" not in sp.mention,
            )
            hm = _REF_HEAD.fullmatch(sp.mention)
            if hm is not None:
                # "该博主还称" after "数码博主“NAME”表示", "这位高管总结道" after "…高管NAME表示": the named person
                # whose description has that head, when that person spoke last among the people
                # ("…”该发言人表示" after "亚利桑那大学的一位发言人表示": the body its spokesperson speaks for)
                kinds = (
                    ("person", "unnamed", "organization")
                    if hm.group(1) in REP_HEADS
                    else ("person", "unnamed")
                )
                named = next((s for _p, s in reversed(spoken_by) if s.type in kinds), None)
                if (
                    named is not None
                    and named.type in ("person", "organization")
                    and hm.group(1) in (named.mention or "")
                    and named.start >= _para_start(text, sp.start) - 600
                ):
                    ant = named
                elif hm.group(1).endswith("高管"):
                    # "…副总裁NAME介绍了…。这位高管总结道": the executive named last, unless an unnamed source
                    # has spoken since
                    exe = _executive_before(sp.start, history + spoken_by, mentions)
                    if (
                        exe is not None
                        and exe.start >= _para_start(text, sp.start) - 600
                        and (ant is None or ant.type != "unnamed" or ant.start < exe.start)
                    ):
                        ant = exe
            if (
                ant is not None
                and ant.type == "unnamed"
                and sp.mention in ("他", "她")
                and not SINGLE_SOURCE.search(ant.mention)
            ):
                # "研究者指出，…。霍瓦思…。他警告说": a bare group ("研究者", "科学家") is no 他; the person named
                # last is
                ant = _latest(history, sp.start, ("person",)) or ant
            crf_ant = crf_ant_of(c)
            if ant is None and isinstance(crf_ant, Speaker):
                ant = crf_ant  # a named subject the CRF found before the pronoun (kb/nlp/subjects.py)
            elif (
                ant is not None
                and ant.type == "unnamed"
                and isinstance(crf_ant, Speaker)
                and crf_ant.type == "person"
                and crf_ant.start > ant.start
            ):
                # "…消息人士称…。前官员NAME曾…，现就职于…，他称": the named subject nearer the pronoun wins
                # over an unnamed source that spoke before it
                ant = crf_ant
            elif (
                ant is not None
                and ant.type == "person"
                and c.extra.get("antecedent_sure")
                and isinstance(crf_ant, Speaker)
                and crf_ant.type == "person"
                and crf_ant.start > ant.start
                and not _same_person(crf_ant.name or "", ant.name or "")
                and not _same_person(ant.name or "", crf_ant.name or "")
            ):
                # "德鲁夫…说。¶¶哈拉姆·康在…主修计算机科学。¶¶“…，”她说": the named subject of the sentence
                # before is nearer than the person who spoke last
                ant = crf_ant
            if ant is None and sp.mention in ("他", "她"):
                ant = _only_person_before(mentions, text, sp.start)
            if sp.mention == "后者":
                # "…得到马斯克回复。后者表示：": the last one named before it in its paragraph, a mere mention too
                last = [m for m in mentions if m.end <= sp.start and m.label in ("PERSON", "ORG")]
                if last and last[-1].start >= _para_start(text, sp.start):
                    lm = last[-1]
                    ant = Speaker(
                        lm.start,
                        lm.end,
                        lm.text,
                        "person" if lm.label == "PERSON" else "organization",
                        name=lm.text,
                        title=lm.title,
                        org=lm.org,
                        entity_id=lm.entity_id,
                    )
            if ant is None and UNNAMED_REF.search(sp.mention):
                ant = sp.copy(type="unnamed")  # "上述人士" with nothing before it is still unnamed
            agreed = (  # the CRF's subject before the pronoun is the same person: no doubt left
                ant is not None
                and isinstance(crf_ant, Speaker)
                and crf_ant.type == "person"
                and _same_person(ant.name or "", crf_ant.name or "")
            )
            if (
                ant is not None
                and ant.type == "person"
                and sp.mention in ("他", "她", "其")
                and not agreed
                and _ambiguous(history, ant, sp, text, objs)
            ):
                continue  # two fitting antecedents: a missing statement is better than a wrong speaker
            ant = decide(sp, ant, (c.start, c.end), mentions, history, spoken_by, crf_ant, text)
            if ant is None:
                continue  # an unresolved pronoun is not attributed (precision first)
            c.speaker = ant.copy(start=sp.start, end=sp.end, mention=sp.mention)
        elif sp.type == "ref_org":
            ant = _latest(history, sp.start, ("organization",), skip=_generic_org)
            # an organisation that spoke in this paragraph or the one before is the one referred to, not a
            # term the tagger read as an organisation since ("…鼓励更多长期“耐心资本”…。监管层强调")
            spoke = _latest(spoken_by, sp.start, ("organization",), skip=_generic_org)
            if spoke is not None and spoke is not ant and spoke.start >= _prev_para_start(text, sp.start):
                ant = spoke
            # the company of the person who spoke last ("Adam Ludwin，Chain公司的创建人…表示…该公司还表示")
            # when that person spoke after the organisation was last named
            ant_pos = max((p for p, s in history if s is ant), default=-1)
            for p, s in reversed(history):
                if p < sp.start and s.type == "person" and s.org and s.org != "@ref":
                    if p > ant_pos and not GENERIC_ORG.match(s.org):
                        ant = Speaker(s.start, s.end, s.org, "organization", name=s.org)
                    break
            head = ref_head(sp.mention)
            if head in NAMED_HEADS:
                # "FreeBSD 基金会…。基金会强调": the body last written with that head, not the organisation
                # named last ("戴尔")
                bodies = [
                    (p, s)
                    for p, s in history
                    if p < sp.start
                    and s.type == "organization"
                    and (s.name or "").endswith(head)
                    and len(s.name or "") > len(head)
                ]
                bodies += [
                    (p, Speaker(p, p + len(n), n, "organization", name=n))
                    for n, p in bodies_with_head(text, sp.start, head)
                ]
                if bodies:
                    ant = max(bodies, key=lambda ps: ps[0])[1]
            if ant is None and org_counts:
                name = org_counts.most_common(1)[0][0]
                ant = Speaker(sp.start, sp.end, name, "organization", name=name)
            if ant is None:
                # "Stardock 今日正式发布…。厂商指出": with no organisation tagged in the article, a Latin name
                # that opens its clauses and comes back is the body "厂商", "项目方", "该工作室" stand for
                latin = _latin_subject(text, sp.start)
                if latin is not None:
                    ant = Speaker(sp.start, sp.end, latin, "organization", name=latin)
            ant = decide(sp, ant, (c.start, c.end), mentions, history, spoken_by, crf_ant_of(c), text)
            if ant is None:
                continue
            c.speaker = ant.copy(start=sp.start, end=sp.end, mention=sp.mention)
        elif sp.type == "title_only":
            ant = (
                _named_with_honorific(history, mentions, sp)
                or _by_title(history, mentions, sp)
                or _addressed(sp)
                or sp.copy(type="unnamed")
            )
            ant = decide(sp, ant, (c.start, c.end), mentions, history, spoken_by, crf_ant_of(c), text)
            if ant is None:
                continue
            c.speaker = ant.copy(start=sp.start, end=sp.end, mention=sp.mention)
        if c.speaker is not sp:
            c.extra["ref"] = sp.type  # reached through a reference: how, for kb/nlp/confidence.py
            # where the antecedent is written, when a name stands there (a chained 他 points to the 他 before)
            if (
                ant is not None
                and 0 <= ant.start < ant.end <= sp.start
                and not _REF_WORD.match(text[ant.start : ant.end])
            ):
                c.extra["named"] = (ant.start, ant.end)
        if c.speaker.type == "person" and c.speaker.org == "@ref":
            o = _latest(history, c.speaker.start, ("organization",))
            c.speaker = c.speaker.copy(org=o.name if o else None)
        if not (c.speaker.type == "unnamed" and SURVEY_SHARE.search(c.speaker.mention)):
            # ("受访的开发者里有90%表示": a share of a survey's respondents is no one a later 他 stands for)
            history.append((c.speaker.start, c.speaker))
        spoken_by.append((c.speaker.start, c.speaker))
        spoken.append((sp.start, sp.end))
        out.append(c)
    return out


# A Latin name opening a clause, maybe after a short describer ("《Minecraft》开发商 Mojang 终于宣布",
# "Servo 项目又公布了"), with Han text after it
_LATIN_SUBJECT = re.compile(
    r"(?:^|(?<=[。！？\n，,；]))\s*(?:[^。！？\n，,；]{0,10}?(?:开发商|厂商|网站|公司|平台|工作室|机构|组织|工会|项目)\s*)?"
    r"([A-Z][A-Za-z0-9]*(?:[ \-][A-Z0-9][A-Za-z0-9]*){0,3})\s*(?=[\u4e00-\u9fff])"
)


def _latin_subject(text: str, pos: int) -> str | None:
    """The Latin name that most often opens a clause before `pos` and occurs twice or more in the article
    (the body it is about), if any."""
    counts = Counter(m.group(1) for m in _LATIN_SUBJECT.finditer(text, 0, pos))
    for name, _n in counts.most_common():
        if len(name) >= 3 and text.count(name) >= 2:
            return name
    return None


def _staff_owner(
    sp: Speaker, mentions: list[Mention], history: list[tuple[int, Speaker]], text: str, counts: Counter[str]
) -> Speaker | None:
    """Staff who speak for a company ("丰巢相关工作人员表示", "客服人员表示" after "向Google官方客服求助",
    "据展台工作人员介绍" at the company's stand) are the company: the one their phrase names, else the
    organisation named in this paragraph or the one before that the article names most (the latest on a
    tie). None when no company is in sight (then they stay an unnamed source, like "执法人员")."""
    m = STAFF.fullmatch(sp.mention.strip())
    if m is None:
        return None
    owner = m.group(1).strip()
    if owner:
        hit = next((x for x in mentions if x.label == "ORG" and x.text == owner and x.start < sp.end), None)
        if hit is None:
            return None
        return Speaker(sp.start, sp.end, sp.mention, "organization", name=hit.text, entity_id=hit.entity_id)
    floor = _prev_para_start(text, sp.start)
    near = [
        (max(counts.get(s.name or "", 0), text.count(s.mention)), p, s)
        for p, s in history
        if floor <= p < sp.start and s.type == "organization" and not _generic_org(s)
    ]
    if not near:
        return None
    ant = max(near, key=lambda t: (t[0], t[1]))[2]
    return ant.copy(start=sp.start, end=sp.end, mention=sp.mention)


def crf_ant_of(c: Candidate) -> Speaker | None:
    a = c.extra.get("antecedent")
    return a if isinstance(a, Speaker) else None


_LATIN_WORD = re.compile(r"[A-Z][a-zA-Z'\-]+")
_REF_HEAD = re.compile(r"(?:该|这位|这名|此位|上述)([\u4e00-\u9fff]{2,4})")


def _person_by_part(
    history: list[tuple[int, Speaker]], mentions: list[Mention], word: str, pos: int, text: str = ""
) -> Speaker | None:
    """The person named before `pos` whose multi-part Latin name has `word` as a part."""
    for _p, s in reversed(history):
        parts = (s.name or "").split()
        if _p < pos and s.type == "person" and len(parts) > 1 and word in parts:
            return s
    for m in reversed(mentions):
        if m.start < pos and m.label == "PERSON" and len(m.text.split()) > 1 and word in m.text.split():
            return Speaker(
                m.start, m.end, m.text, "person", name=m.text, title=m.title, org=m.org, entity_id=m.entity_id
            )
    # "研究人员 Ian Goodfellow … Goodfellow 说": the full Latin name written earlier in the article
    if text:
        found = None
        for fm in re.finditer(rf"\b((?:[A-Z][a-zA-Z'\-]+ ){{1,2}}{re.escape(word)})\b", text[:pos]):
            found = fm
        if found is not None:
            # "OpenAI 的研究人员 Ian Goodfellow": the role written right before the full name
            head = re.split(r"[，。；：！？\n“”]", text[max(0, found.start(1) - 40) : found.start(1)])[-1]
            rm = _ROLE_BEFORE.search(head)
            return Speaker(
                found.start(1),
                found.end(1),
                found.group(1),
                "person",
                name=found.group(1),
                title=rm.group(2) if rm else None,
                org=rm.group(1) if rm else None,
            )
    return None


_ROLE_BEFORE = re.compile(
    r"([A-Za-z][A-Za-z0-9 .&\-]{0,20}?|[\u4e00-\u9fff]{2,10}?)\s*的?\s*"
    r"(研究人员|研究员|工程师|科学家|首席执行官|CEO|CTO|联合创始人|创始人|总裁|副总裁|发言人|负责人)\s*$"
)
_UNNAMED_OBJ = re.compile(r"(?:该|这位|这名|上述)(?:人士|网友|用户|机主|楼主|员工|消息人士|知情人士)")


def _ambiguous(
    history: list[tuple[int, Speaker]], ant: Speaker, sp: Speaker, text: str, objs: list[int]
) -> bool:
    """A pronoun with more than one fitting antecedent: an unnamed person referred to after the named
    one in the same paragraph, or a named person from an earlier paragraph while several people spoke
    there."""
    if not text:
        return False
    ant_pos = max((p for p, s in history if s is ant), default=ant.start)
    para = _para_start(text, sp.start)
    if any(ant_pos < o < sp.start and o >= para for o in objs):
        return True
    if ant_pos >= para:
        return False
    names = {
        s.name or s.mention
        for p, s in history
        if _para_start(text, ant_pos) <= p < sp.start and s.type == "person"
    }
    # "吉布森" and "乔恩·吉布森" are one person
    people = [n for n in names if not any(m != n and _same_person(m, n) for m in names)]
    return len(people) > 1


def _generic_org(s: Speaker) -> bool:
    return not s.entity_id and bool(GENERIC_ORG.match(s.name or s.mention))


def _executive_before(pos: int, seen: list[tuple[int, Speaker]], mentions: list[Mention]) -> Speaker | None:
    """The last person before `pos` with an executive's title, written with the name there or anywhere the
    article tags the person (the person in between may be a product read as a name)."""
    executives = {m.text for m in mentions if m.label == "PERSON" and EXECUTIVE.search(m.title or "")}
    for at, who in sorted(seen, key=lambda t: t[0], reverse=True):
        if (
            at < pos
            and who.type == "person"
            and (EXECUTIVE.search(who.title or "") or (who.name or "") in executives)
        ):
            return who
    return None


def _latest(
    history: list[tuple[int, Speaker]],
    pos: int,
    types: tuple[str, ...],
    prefer_unnamed: bool = False,
    skip: Any = None,
) -> Speaker | None:
    best = None
    for p, s in history:
        if p < pos and s.type in types and not (skip and skip(s)):
            if prefer_unnamed and s.type != "unnamed" and best is not None and best.type == "unnamed":
                continue
            best = s
    if prefer_unnamed:
        for p, s in reversed(history):
            if p < pos and s.type == "unnamed":
                return s
    return best


# titles written after a person's surname or short name ("君塚教授", "加斯塔尼亚加教授", "李博士")
_HONORIFIC = re.compile(r"教授|博士|院士|医生|先生|女士|老师|法官|律师|议员|参议员|众议员")


def _named_with_honorific(
    history: list[tuple[int, Speaker]], mentions: list[Mention], sp: Speaker
) -> Speaker | None:
    """The one person named before whose name `sp`'s short name is part of, when `sp` is that short name with
    an honorific ("日本九州大学教授君塚信夫…。君塚教授表示"): the parse reads the name as an organisation."""
    word = (sp.org or "").strip()
    if (len(word) < 2 and word not in SURNAMES) or not sp.title or not _HONORIFIC.fullmatch(sp.title):
        return None
    found: dict[str, Speaker] = {}
    people = [(p, s) for p, s in history if s.type == "person"] + [
        (
            m.start,
            Speaker(
                m.start, m.end, m.text, "person", name=m.text, title=m.title, org=m.org, entity_id=m.entity_id
            ),
        )
        for m in mentions
        if m.label == "PERSON"
    ]
    for p, s in people:
        full = s.name or s.mention
        if p >= sp.start or not full or full == word:
            continue
        han_surname = not full.isascii() and full.startswith(word) and 1 <= len(full) - len(word) <= 2
        if _same_person(full, word) or han_surname:
            found.setdefault(_SEP.sub("", full), s)
    names = list(found)
    # "加斯塔尼亚加" and "恩里克·加斯塔尼亚加": one person written twice
    if len({n for n in names if not any(m != n and n in m for m in names)}) != 1:
        return None
    s = max(found.values(), key=lambda s: len(s.name or s.mention))
    return s if s.title else s.copy(title=sp.title)


def _addressed(sp: Speaker) -> Speaker | None:
    """ "王教授表示", "欧阳院士指出" with no one of that surname named before: a person by the form of
    address, named as written (like "李女士")."""
    word = (sp.org or "").strip()
    if not sp.title or not _HONORIFIC.fullmatch(sp.title) or sp.mention.strip() != word + sp.title:
        return None
    if word in SURNAMES or word in COMPOUND_SURNAMES:
        return sp.copy(type="person", name=sp.mention.strip(), title=None, org=None)
    return None


def _by_title(history: list[tuple[int, Speaker]], mentions: list[Mention], sp: Speaker) -> Speaker | None:
    def fits(title: str | None, org: str | None) -> bool:
        if not title or not sp.title:
            return False
        same_title = (
            sp.title in title or title in sp.title or {sp.title, title} <= {"CEO", "首席执行官", "负责人"}
        )
        same_org = not sp.org or (org is not None and (sp.org in org or org in sp.org))
        return bool(same_title and same_org)

    for _p, s in reversed(history):
        if s.type == "person" and fits(s.title, s.org):
            return s
    for m in mentions:
        # a bare title ("科学家表示" in the lead) is no pointer to a person named later; one with its body
        # ("微软AI CEO表示") is
        if m.label == "PERSON" and (m.start < sp.start or sp.org) and fits(m.title, m.org):
            return Speaker(
                m.start, m.end, m.text, "person", name=m.text, title=m.title, org=m.org, entity_id=m.entity_id
            )
    return None


class Attributor:
    def __init__(self, parser: SpeakerParser, registry: Registry | None):
        self.parser = parser
        self.registry = registry

    def statements(
        self,
        original: str,
        cands: list[Candidate],
        mentions: list[Mention],
        published: date | None,
        text: str | None = None,
    ) -> list[Statement]:
        """`text` is the simplified text (default: the original), read for "X（以下简称Y）"."""
        src = text or original
        short_of = (
            {m.group(2): m.group(1) for m in SHORT_NAME.finditer(src)}
            if "简称" in src or "下称" in src
            else {}
        )
        for am in ABBREV.finditer(src):
            # ("NASA与欧洲航天局(ESA)": the Han run before the brackets starts with 与, which is no part of the name)
            full = ORG_HEAD_STRIP.sub("", LEAD.sub("", am.group(1)))
            if len(full) >= 4 and full.endswith(self.parser.lex.org_suffixes + _ABBREV_BODY):
                short_of.setdefault(am.group(2), full)
        for am in LATIN_ABBREV.finditer(src):
            full = am.group(1).strip()
            initials = "".join(w[0] for w in full.split() if w[0].isupper())
            if initials.endswith(am.group(2)):
                # "ABC Company of XYZ（XYZ）" keeps the words the initials stand for
                words = full.split()
                while "".join(w[0] for w in words if w[0].isupper()) != am.group(2):
                    words = words[1:]
                short_of.setdefault(am.group(2), " ".join(words))
        persons = (
            [self._trimmed(m) for m in mentions if m.label == "PERSON"]
            + self._copula_roles(src)
            + [
                Mention(
                    c.speaker.start,
                    c.speaker.end,
                    c.speaker.name or "",
                    "PERSON",
                    c.speaker.entity_id,
                    c.speaker.title,
                    c.speaker.org,
                )
                for c in cands
                if c.speaker.type == "person" and c.speaker.name
            ]
        )
        out: list[Statement] = []
        seen: set[tuple[int, int]] = set()
        written: dict[str, list[Mention]] = {}  # _roles_written's findings, per name, for this article
        lawyer_of: dict[str, Statement] = {}  # a company's lawyer -> the statement that became the company's
        for c in cands:
            if (c.start, c.end) in seen or c.end <= c.start:
                continue
            seen.add((c.start, c.end))
            sp = c.speaker
            st = Statement(
                text=original[c.start : c.end],
                start=c.start,
                end=c.end,
                kind="direct" if c.kind == "direct" else "indirect",
                cue=c.cue,
                speaker=None,
                speaker_mention=original[sp.start : sp.end]
                if 0 <= sp.start < sp.end <= len(original)
                else sp.mention,
                speaker_type="unnamed",
            )
            if 0 <= sp.start < sp.end <= len(original):
                st.speaker_start, st.speaker_end = sp.start, sp.end
            if sp.type == "unnamed":
                st.anonymous = True
            elif sp.type == "person":
                self._person(st, sp, persons, published, src, written)
                lawyer = st.speaker
                if self._client(st) and lawyer:
                    lawyer_of[lawyer] = st
                if st.title and not st.organization and CORP_TITLE.search(st.title):
                    near = [
                        (o.speaker.start, o.speaker.name)
                        for o in cands
                        if o.speaker.type == "organization"
                        and o.speaker.name
                        and not _generic_org(o.speaker)
                        and o.speaker.name not in _ORG_NONE
                        and not _ORG_QUALIFIER.fullmatch(o.speaker.name)  # ("研究指出": a study, no employer)
                        and 0 < c.start - o.start < 800
                    ]
                    if near:
                        st.organization = max(near)[1]
                        ce = self.parser.entity(st.organization or "")
                        if ce is not None and getattr(ce, "kind", "") != "person":
                            st.company_id = ce.id
            elif sp.type in ("organization", "media"):
                name = sp.name or sp.mention
                name = short_of.get(name, name)
                if sp.type == "media" and name in GENERIC_MEDIA:
                    continue  # "据外媒报道": no outlet named, nothing to attribute
                if sp.type == "media":
                    name = outlet_after_country(name, self.parser.lex) or name  # "美国彭博社": 彭博社
                e = self.parser.entity(name)
                st.speaker_type = "media" if sp.type == "media" else "organization"
                if e is not None:
                    st.speaker, st.speaker_id = e.name, e.id
                    if getattr(e, "kind", "") == "media":
                        st.speaker_type = "media"
                else:
                    st.speaker = name
            else:
                continue
            if c.extra.get("ref") and st.speaker_start is not None:
                _named_at(st, c, src)
            out.append(st)
        out.sort(key=lambda st: st.start)
        # a company's lawyer speaks for the company wherever the article names them (by surname, as 她)
        for st in out:
            rep = lawyer_of.get(st.speaker or "")
            if rep is not None and st.speaker_type == "person" and (st.title or "").endswith("律师"):
                st.speaker, st.speaker_id, st.speaker_type = rep.speaker, rep.speaker_id, "organization"
                st.title, st.organization, st.company_id = None, None, None
        return out

    def _trimmed(self, m: Mention) -> Mention:
        """A tagged foreign name that ran on into the words after it ("山姆·奥特曼在印度新德里出"): cut where
        the adverbial begins, so that the role it carries reaches the later mentions of the person."""
        if not re.search(r"[·•‧・]", m.text):
            return m
        name = self.parser._trim_dotted(m.text)
        if name == m.text or (not m.text.endswith(name) and not m.text.startswith(name)):
            return m
        start = m.start + m.text.find(name)
        return replace(m, start=start, end=start + len(name), text=name)

    def _copula_roles(self, text: str) -> list[Mention]:
        """People whose role the article states with 是 ("X是Y公司的CTO")."""
        if "是" not in text:
            return []
        out = []
        title_re = self.parser.lex.title_re
        for m in COPULA.finditer(text):
            name, org, title = m.group(1).strip(), m.group(2).strip(), m.group(3)
            tm = title_re.search(title)
            if not tm or tm.end() != len(title) or not org:
                continue
            if self.parser.kind_of(name) != "person" and not _SEP.search(name):
                continue
            org = org.removesuffix("的").strip()
            if not org or self.parser.kind_of(org) == "person":
                continue
            out.append(Mention(m.start(1), m.start(1) + len(m.group(1)), name, "PERSON", None, title, org))
        return out

    def _person(
        self,
        st: Statement,
        sp: Speaker,
        persons: list[Mention],
        published: date | None,
        src: str = "",
        written: dict[str, list[Mention]] | None = None,
    ) -> None:
        name = sp.canonical or sp.name or sp.mention
        full = self._full_name(name, persons)
        if re.search(r"[·•‧・]", full):
            # "学家约瑟夫·布里格斯", "官员肯尼思·普罗普": a mention that took in the tail of a title
            full = self.parser._trim_dotted(full)
        e = self.parser.entity(full) or self.parser.entity(name)
        title, org = sp.title, sp.org
        if org in _ORG_NONE:
            org = None  # "公司副总裁": no name of the body here; another mention may give it
        if not title or not org:
            # the role the article states with another mention of the same person ("沙利文" after
            # "波士顿大学教授南希·沙利文"): the title when none is given here, the organisation too
            # the article's own form of the name too: the registry's canonical may be spelt otherwise
            # ("萨姆·奥尔特曼" for the article's "山姆·奥特曼")
            forms = {full, self._full_name(sp.name, persons) if sp.name else full}
            title_re = self.parser.lex.title_re

            def listed(m: Mention) -> bool:
                return bool(m.title and title_re.fullmatch(m.title))

            # a mention whose title the lists know first ("BaBe创始人刘伟瀚" before "明星创业者刘伟瀚"), and of
            # those one that names the organisation too
            for m in sorted(persons, key=lambda m: (not listed(m), not m.org)):
                if not (m.title or m.org) or not any(
                    _same_person(m.text, f) or _same_person(f, m.text) for f in forms
                ):
                    continue
                m_org = None if m.org in _ORG_NONE else m.org
                if not title and m.title:
                    title, org = m.title, m_org
                    break
                if title and not org and m_org:
                    org = m_org
                    break
            if (not title or not org) and src:
                cache = written if written is not None else {}
                for m in self._roles_written(src, full, cache):
                    if not title:
                        title, org = m.title, m.org
                    elif not org and m.org:
                        org = m.org
                    if title and org:
                        break
        st.speaker_type = "person"
        if e is not None and getattr(e, "kind", "") == "person":
            st.speaker, st.speaker_id = e.name, e.id
            if (not title or not org) and self.registry is not None:
                role = _role_on(self.registry, e.id, published)
                if role is not None:
                    comp = self.registry.get(role.company_id)
                    if not title:
                        title = role.title or None
                        org = comp.name if comp is not None else None
                        st.company_id = role.company_id
                    elif comp is not None:
                        # the article gives the title only ("CEO孙正义"): the company is the one the
                        # registry knows for that date
                        org = comp.name
                        st.company_id = role.company_id
        else:
            st.speaker = full
        if org:
            org, title = _tidy_org(org, title)
        if org and title and st.company_id is None and not self._body(org, title):
            # the parse drew the line between body and post too late ("OpenAI 全球事务" + 主管, "西班牙经济" +
            # 大臣): a known body at the start keeps the rest for the post, unless the name goes on
            parts = self._body_in(org, title, unit_stays=True)
            if parts is not None:
                org, title = parts
        st.title = title or None
        st.organization = org or None
        if st.organization and st.company_id is None:
            ce = self.parser.entity(st.organization)
            if ce is not None and getattr(ce, "kind", "") != "person":
                st.company_id = ce.id

    def _roles_written(self, src: str, full: str, cache: dict[str, list[Mention]]) -> list[Mention]:
        """The roles the article writes before other mentions of a person, as the speaker parser reads them
        ("…由新南威尔士大学化学工程学院的弗朗西斯科·特鲁希略领导" for a later "特鲁希略表示"; "AMD公司副总裁Anush
        Elangovan发布了…"). Why: the tagger's appositions miss many of these (an organisation joined by 的, a
        company written with 公司, a post of a state), while the parser that reads speakers at a cue reads them
        well; a role written where the person does not speak was otherwise lost."""
        if full in cache:
            return cache[full]
        found: list[Mention] = []
        if len(full) >= 2:
            for m in re.finditer(re.escape(full), src):
                b = m.start()
                while b > 0 and m.start() - b < 40:
                    if src[b - 1] in "）)":
                        # a gloss in brackets ("英特尔（Intel）首席执行官…") is part of the description
                        o = max(src.rfind("（", 0, b), src.rfind("(", 0, b))
                        if o < 0 or b - o > 30 or any(ch in _ROLE_BOUND for ch in src[o + 1 : b - 1]):
                            break
                        b = o
                        continue
                    if src[b - 1] in _ROLE_BOUND:
                        break
                    b -= 1
                if b == m.start() or m.start() - b >= 40:
                    continue
                # "该研究由…的NAME领导", "据VeraCrypt开发者NAME披露": the role starts after the preposition
                for pm in _ROLE_AFTER.finditer(src, b, m.start()):
                    b = pm.end()
                owner, de, post = src[b : m.start()].rpartition("的")
                owner, post = ORG_HEAD_STRIP.sub("", owner.strip()), post.strip()
                if de and owner and self._body(owner, post) and not _ROLE_CLAUSE.search(owner):
                    # "NowThis的执行主编Versha Sharma", "海岸研究中心的贝卡·莱恩": the body before 的, the post
                    # (if any) after it
                    tm = self.parser.lex.title_re.search(post) if post else None
                    if not post or (tm is not None and tm.end() == len(post)):
                        found.append(Mention(b, m.end(), full, "PERSON", None, post or None, owner))
                    continue
                sp = self.parser.classify(src[b : m.end()], b)
                if (
                    sp is None
                    or sp.type != "person"
                    or not (sp.title or sp.org)
                    or not (sp.name == full or _same_person(full, sp.name or ""))
                ):
                    continue
                org = sp.org if sp.org and sp.org != "@ref" else None
                title = sp.title.removeprefix("的") if sp.title else None
                if org and not self._body(org, title):
                    parts = self._body_in(org, title)
                    if parts is None:
                        # a clause the stretch took in ("…于周五驳回了总统…"), no body: the whole reading is
                        # doubtful, its title too
                        continue
                    org, title = parts
                found.append(Mention(b, m.end(), full, "PERSON", sp.entity_id, title, org))
        # the first that gives both, then the first with a title
        found.sort(key=lambda m: (not (m.title and m.org), not m.title, m.start))
        cache[full] = found
        return found

    def _body(self, name: str, title: str | None = None) -> bool:
        """`name` is a body a person can hold a post in: a country only for a post of its state (美国总统, not
        美国统计学专家: a nationality is no organisation, data/gold/LABELLING.md)."""
        if name in COUNTRIES:
            return bool(title and _STATE_POST.search(title))
        return self.parser.kind_of(name) in ("organization", "media")

    def _body_in(
        self, org: str, title: str | None, unit_stays: bool = False
    ) -> tuple[str, str | None] | None:
        """A body inside what a parse took for the organisation: at its start, with a field or a unit
        that belongs to the title after it ("约翰斯·霍普金斯大学应用经济学" + 教授, "美国国防" + 部长), or at its
        end, after a clause ("这一事件激怒了美国" + 总统). With `unit_stays` (an organisation the parse read
        as a whole) no cut is made where the body's own name may go on ("加州大学" + "伯克利分校")."""
        for n in range(len(org) - 1, 1, -1):
            head, rest = org[:n], org[n:]
            if head[-1].isascii() and rest[0].isascii() and (head[-1] + rest[0]).strip().isalnum():
                continue  # not inside a Latin name ("SPARKS SCHOOLS")
            if unit_stays and (
                _BODY_GOES_ON.match(rest) or _LATIN_START.match(rest.lstrip()) or _LATIN_NAME_IN.search(rest)
            ):
                continue  # the name goes on ("加州大学" + "伯克利分校", "零一" + "创投", "D.A." + " Davidson")
            post = rest.lstrip("的 ") + (title or "")
            if self._body(head.strip(), post) and not _ROLE_CLAUSE.search(rest):
                return head.strip(), post
        for n in range(1, len(org) - 1):
            tail = org[n:]
            if _ROLE_CLAUSE.search(org[:n]) and (
                self._body(tail, title) if tail in COUNTRIES else self.parser.entity(tail) is not None
            ):
                return tail, title
        return None

    def _client(self, st: Statement) -> bool:
        """ "代表 OpenAI 出庭的律师X", "马斯克的代理律师X": the organisation slot holds the client, not an
        employer. A company's lawyer speaks for the company (data/gold/LABELLING.md): True when the
        statement became the company's. A person's lawyer is a person, with no organisation."""
        m = _CLIENT.fullmatch(st.organization or "")
        if m is None:
            return False
        client = (m.group(1) or m.group(2) or "").strip()
        if m.group(2) and st.title and not st.title.startswith("代理"):
            st.title = "代理" + st.title
        st.organization, st.company_id = None, None
        if (
            not client
            or not (st.title or "").endswith("律师")
            or self.parser.kind_of(client) != "organization"
        ):
            return False
        e = self.parser.entity(client)
        st.speaker_type = "organization"
        st.speaker, st.speaker_id = (e.name, e.id) if e is not None else (client, None)
        st.title = None
        return True

    @staticmethod
    def _full_name(name: str, persons: list[Mention]) -> str:
        """The fullest form of a name used in the article ("布罗克曼" -> "格雷格·布罗克曼")."""
        best = name
        for m in persons:
            t = m.text
            if len(t) > len(best) and _same_person(t, name):
                best = t
        return best


# the front of a title that a parse left on the organisation ("能源部核能办公室副" + "主任", "辰海资本合伙"
# + "人"): it goes back to the title
_ORG_TITLE_HEAD = re.compile(r"(?:的)?(副|联合|首席|高级|资深|执行|常务|名誉|荣誉|合伙)$")
# whom a lawyer speaks for, where a parse put the employer ("代表 OpenAI 出庭", "马斯克的代理"); a bare "出庭"
# is what is left of the first when the mention is shorter
_CLIENT = re.compile(r"代表\s*(.{2,}?)\s*(?:出庭|出席|应诉)?的?|(.*?)的?代理|出庭")
# a department at the end of what a parse took for the organisation ("市场" + "经理", "苹果产品" + "经理")
_ORG_DEPARTMENT = re.compile(
    r"(?:的)?(市场营销|市场|销售|产品|运营|公关|品牌|财务|研发|商务|营销|业务|战略|法务|人力资源)(?:部|部门)?$"
)
# "市场研究公司Forrester Research", "初创公司 Transaera": a description of the organisation, then its name
_ORG_DESCRIBED = re.compile(
    r"^[\u4e00-\u9fff、]{0,12}(?:公司|机构|平台|网站|智库|部门|企业|初创公司|创业公司|软件|应用)\s*([A-Za-z][\w .&\-]*)$"
)


# what a parse can leave in the organisation slot that is no organisation: a word that qualifies the
# title ("研究负责人", "论文第一作者", "退役宇航员", "神经科学家"), which goes back to the title ...
_ORG_QUALIFIER = re.compile(r"(?:该?研究|论文|项目|共同|退役|知名|资深|神经|气候|计算机)(?:的)?")
# ... a reference to one named elsewhere ("该校经济学教授", "该机构气候科学家"), whose rest is the title's,
# a count ("是一名软件工程师"), a bare kind of body ("公司联合创办人"), or a word of the sentence ("由于")
_ORG_REFERENCE = re.compile(r"(?:该|这家)(?:机构|学院|大学|校|公司|网站|平台|研究|团队)?(?:的)?|[其此]$")
_PARTY = re.compile(r"(?:共和党|民主党)(?:籍)?$")
_ORG_NONE = frozenset("一名 一位 这位 公司 网站 平台 机构 由于 因为 但是 而".split())


def _tidy_org(org: str, title: str | None) -> tuple[str, str | None]:
    """The organisation's own name: without the front of a title a parse left on it, and without a
    description before a Latin name."""
    org = org.strip().removeprefix("这是")  # "这是来客CEO姚海平…说的一句话"
    if title and title.endswith("议员") and _PARTY.search(org):
        return "", title  # "北达科他州共和党众议员": a legislator's state and party are no organisation
    if title and (rm := _ORG_REFERENCE.match(org)) is not None and rm.end() > 0:
        rest = org[rm.end() :]
        return "", (rest + title if rest and not rest.startswith("的") else title)
    if title and _ORG_QUALIFIER.fullmatch(org):
        return "", org.removesuffix("的") + title
    if title and (qm := _ORG_TITLE_HEAD.fullmatch(org)) and qm.group(1) != "合伙":
        return "", qm.group(1) + title  # "DeepSeek资深研究员": 资深 is the title's, not the organisation
    hm = _ORG_TITLE_HEAD.search(org)
    if hm and len(org) - len(hm.group()) >= 2:
        head = hm.group(1)
        org = org[: hm.start()].rstrip(" 的")
        if title and head != "合伙":
            title = head + title
        elif head == "合伙" and title in (None, "人"):
            title = "合伙人"
    dm = _ORG_DESCRIBED.match(org)
    if dm:
        org = dm.group(1).strip()
    if title and (pm := _ORG_DEPARTMENT.search(org)) and (pm.start() == 0 or len(org) - len(pm.group()) >= 2):
        # "市场经理刘世军", "苹果产品经理": the department belongs to the title; the company, if any, is before it
        title = pm.group(1) + title
        org = org[: pm.start()].rstrip(" 的")
    return ("" if org in _ORG_NONE else org), title


def _same_person(full: str, short: str) -> bool:
    if not full or not short:
        return False
    a, b = _SEP.sub("", full), _SEP.sub("", short)
    if a == b:
        return True
    parts = [p for p in _SEP.split(full) if p]
    if len(b) >= 2 and (short in parts or b == a[-len(b) :]) and len(parts) > 1:
        return True
    # 蒂姆库克 / 库克 (no separator): a transliterated surname at the end
    return len(b) >= 2 and a.endswith(b) and len(a) - len(b) >= 2 and not full.isascii()


def _role_on(registry: Registry, person_id: str, day: date | None) -> Any:
    try:
        return registry.role_on(person_id, day)
    except Exception:
        return None


def norm_name(s: str | None) -> str:
    return alias_key(s or "")

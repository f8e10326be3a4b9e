"""Word lists the attribution rules use: the cue table in data/cues.json plus name heuristics.

The cue table is data so that it can grow from what the gold set shows without touching code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CUES_FILE = Path(__file__).resolve().parents[2] / "data" / "cues.json"

# Common Chinese surnames (single and compound): a 2-4 character mention that starts with one of
# these and is not a known organisation is taken for a person's name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米杭洪诸钮傅阎芮鞠苟储邬巫闵敖郁竺逯佟粟晁仲隋辜甄虞栾冀厉丛邰鄢蔺闻"
    # rarer surnames, none of them a common word of its own ("安可济CEO应康")
    "柏宗瞿桂应臧卞姬仇巩佘邝匡荆胥栗楚谌奚冼郜阚帅屠朴廉禹漆卿狄扈阙邸雍裘亓茹嵇湛戎茅尉昝"
)
COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "长孙",
    "宇文",
    "司徒",
}
# Characters of transliterated foreign names (库克, 纳德拉, 扎克伯格 …).
TRANSLIT = set(
    "阿埃艾安奥巴贝本比彼宾波伯布查达戴丹道德迪蒂丁杜多厄恩法菲芬弗福盖冈戈格古哈海汉豪赫亨胡霍基吉加贾杰金卡凯"
    "坎康科克肯库拉莱兰朗劳勒雷黎里利莉林琳卢鲁路伦罗洛马玛迈麦曼梅蒙米密姆穆纳娜奈南内尼妮宁纽诺欧帕潘佩皮珀普"
    "奇恰乔切琼萨塞桑瑟森莎沙尚舍施史斯松苏索塔泰坦汤特提图托瓦万威韦维温沃乌伍西希谢辛休雅亚扬耶伊因尤约泽扎詹"
    "兹佐茨茹姆蕾丽娅琪瑞山尔夫莫费鲍默拜柯黛芭丝露薇珊茜"
)


@dataclass(frozen=True)
class Lexicon:
    speech: tuple[str, ...]
    short: tuple[str, ...]
    after_quote: tuple[str, ...]
    media_cues: tuple[str, ...]
    weak: frozenset[str]
    titles: tuple[str, ...]
    unnamed_heads: tuple[str, ...]
    person_pronouns: tuple[str, ...]
    person_refs: tuple[str, ...]
    org_refs: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    known_orgs: frozenset[str]
    known_media: frozenset[str]
    cue_re: re.Pattern[str]
    title_re: re.Pattern[str]
    after_re: re.Pattern[str]


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    data = json.loads(Path(path or CUES_FILE).read_text(encoding="utf-8"))
    speech = _longest_first(data["speech"] + data["media"])
    short = _longest_first(data["short"])
    titles = _longest_first(data["titles"])
    after = _longest_first(data["after_quote"])
    return Lexicon(
        speech=speech,
        short=short,
        after_quote=after,
        media_cues=_longest_first(data["media"]),
        weak=frozenset(data.get("weak", [])),
        titles=titles,
        unnamed_heads=_longest_first(data["unnamed_heads"]),
        person_pronouns=_longest_first(data["person_pronouns"]),
        person_refs=_longest_first(data["person_refs"]),
        org_refs=_longest_first(data["org_refs"]),
        org_suffixes=_longest_first(data["org_suffixes"]),
        known_orgs=frozenset(data["known_orgs"]),
        known_media=frozenset(data["known_media"]),
        cue_re=re.compile(_alt(speech + short)),
        title_re=re.compile(_alt(titles)),
        after_re=re.compile(rf"(?:{_alt(after)})$"),
    )


LATIN_ORG_WORDS = {
    "Inc",
    "Corp",
    "Ltd",
    "LLC",
    "LP",
    "Group",
    "Partners",
    "Capital",
    "One",
    "AI",
    "Labs",
    "Lab",
    "Express",
    "Face",
    "Technologies",
    "Motors",
    "Systems",
    "Ventures",
    "Media",
    "Music",
    "Cloud",
    "Pay",
    "Fiber",
    "Studio",
    "Games",
    "Research",
    "Intelligence",
    "Analytics",
    "Networks",
    "Software",
    "Electronics",
    "Holdings",
    "Bank",
    "Foundation",
    "Institute",
    "Robotics",
    "Semiconductor",
    "Microsystems",
    "Dynamics",
}
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
# "于今年", "曾去年": a preposition before a time word, not a surname and a given name
_TIME_WORD = re.compile(r"今年|去年|明年|今天|昨天|明天|本月|上月|下月|本周|上周|今日|昨日")
# Words that make a translit-looking string a place or a thing, not a name ("巴西", "亚洲")
_NOT_NAME_PARTS = ("西亚", "亚洲", "非洲", "美洲", "欧洲", "国", "省", "市", "州", "人", "方", "法", "地")
_DOT_NAME = re.compile(
    r"^[\u4e00-\u9fffA-Za-z]{1,8}[·•‧・][\u4e00-\u9fffA-Za-z]{1,10}(?:[·•‧・][\u4e00-\u9fffA-Za-z]{1,10})?$"
)
_LATIN_PERSON = re.compile(r"^[A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-\.]+){1,2}$")


def looks_like_person(name: str, lex: Lexicon) -> bool:
    """A bare mention that reads as a person's name (without the registry)."""
    name = name.strip()
    if not name or name in lex.known_orgs or name in lex.known_media:
        return False
    if _DOT_NAME.match(name):
        return True
    if _LATIN_PERSON.match(name):
        return name.split()[-1] not in LATIN_ORG_WORDS
    if _HAN.match(name):
        if any(name.endswith(s) for s in lex.org_suffixes) or _TIME_WORD.search(name):
            return False
        if 2 <= len(name) <= 3 and name[0] in SURNAMES:
            return True
        # "小刘", "老罗": how features name people they interview
        if len(name) == 2 and name[0] in "小老" and name[1] in SURNAMES and name != "小白":
            return True
        if len(name) == 4 and name[:2] in COMPOUND_SURNAMES:
            return True
        if 2 <= len(name) <= 5 and all(c in TRANSLIT for c in name):
            return True
        # "冯德莱恩", "马克龙斯": a transliterated name with one character outside the list
        if 4 <= len(name) <= 5 and sum(c in TRANSLIT for c in name) >= len(name) - 1:
            return not any(w in name for w in _NOT_NAME_PARTS)
    return False


def looks_like_org(name: str, lex: Lexicon) -> bool:
    name = name.strip()
    if not name or len(name) > 30:
        return False
    if name in lex.known_orgs:
        return True
    if any(name.endswith(s) for s in lex.org_suffixes) and len(name) > 2:
        return True
    # a single Latin token ("Otto", "OpenAI", "Hyperloop One" is two) is a brand, not a person
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9\.\-&]*(?: One| AI| Inc\.?| Labs?| Face)?", name):
        return True
    # "Epic Games", "Counterpoint Research": Latin words ending in a word that names a company
    words = name.split()
    if len(words) > 1 and all(re.fullmatch(r"[A-Z][A-Za-z0-9\.\-&]*", w) for w in words):
        return words[-1].rstrip(".") in LATIN_ORG_WORDS
    return False


# jieba's count for a word common enough that a name does not open with it (全面 9321, 方便 3718; 王明 368)
COMMON_WORD_FREQ = 1000


def common_word(s: str) -> bool:
    """A dictionary word common enough that it is no name ("任职", "高度"), whatever its first character."""
    from kb.nlp.ner_crf import plain_jieba

    return plain_jieba()[0].FREQ.get(s, 0) >= COMMON_WORD_FREQ


def runs_into_word(text: str, h0: int, h1: int) -> bool:
    """Characters read as a name that are words of the text instead ("议员|全面掌|握"): a dictionary word
    runs on past the name's end and takes in two of its characters, or takes in one while the name opens
    with a common word (全面, 时间). One shared character after a plain name is allowed ("李明|说")."""
    from kb.nlp.ner_crf import plain_jieba  # knows no registry names, which callers check first

    tk, _ = plain_jieba()
    pos = h0
    for w in tk.cut(text[h0 : h1 + 4], HMM=False):
        end = pos + len(w)
        if pos < h1 < end:
            return pos <= h1 - 2 or tk.FREQ.get(text[h0 : h0 + 2], 0) >= COMMON_WORD_FREQ
        if end >= h1:
            break
        pos = end
    return False


@lru_cache(maxsize=8192)
def pos_tags(s: str) -> tuple[tuple[str, str], ...]:
    """jieba's words of a short string with their part-of-speech flags (names recur across articles)."""
    import jieba.posseg as pseg

    return tuple((w.word, w.flag) for w in pseg.cut(s))


def opening_name(s: str) -> int:
    """The length of a Chinese person's name that opens `s` by jieba's reading, when a verb, an adverb or a
    preposition follows it ("黄珍萌发了…" 2, "王小川宣布…" 3: a surname and a given name read apart), else 0."""
    toks = pos_tags(s[:8])
    n = 0
    if toks and toks[0][1] == "nr" and 2 <= len(toks[0][0]) <= 3:
        n, rest = len(toks[0][0]), toks[1:]
    elif len(toks) > 1 and toks[0][1] == "nr" and len(toks[0][0]) == 1 and toks[1][1] in ("nr", "nz"):
        n, rest = 1 + len(toks[1][0]), toks[2:]
    if not 2 <= n <= 3 or not rest or rest[0][1][:1] not in ("v", "d", "p"):
        return 0
    return n

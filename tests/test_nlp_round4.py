"""Round-4 attribution rules: words a loose parse glues to a name are taken off ("莫尔则", "首席增长官
亚当·卡特"), someone speaking for a known company is the company, a surname with a form of address is
the person named before, counted survey respondents and lists of fields are no speakers, a short term
in quotes glued to a name is not a quote, 告诉 takes a recipient written with digits, a paragraph that
is one quote goes on with the person who just spoke, and a quote after a colon belongs to the
sentence's subject. Each rule is
checked in simplified and traditional script, on sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at

# (text, anchor, speaker, speaker_type)
CASES = [
    # an adverb glued to the short form of a name written in full before
    (
        "海港研究所所长凯瑟琳·莫尔参与了研究。莫尔则表示，数据还需要进一步核实。",
        "数据还需要",
        "凯瑟琳·莫尔",
        "person",
    ),
    # the tail of a title and "之一" glued to the front of a transliterated name
    ("北方运输公司首席增长官亚当·卡特表示，新车型将在明年交付。", "新车型", "亚当·卡特", "person"),
    ("研究的主要作者之一丹尼尔·福特强调，这只是一项观察性研究。", "这只是", "丹尼尔·福特", "person"),
    # an adverb between the name and the cue
    ("东湖科技首席执行官李文涛长期宣称，公司的芯片在训练场景中领先。", "公司的芯片", "李文涛", "person"),
    # someone speaking for a company the lists know
    ("美团骑手保障相关负责人表示，已经与站点核实了这名骑手的情况。", "已经与站点", "美团", "organization"),
    # a recipient with digits after 告诉
    ("创始人王立新告诉36氪，公司的门店均采用收购模式。", "公司的门店", "王立新", "person"),
    # a short term in quotes glued to the speaker's description is no quote of theirs
    ("“激光之父”、皮肤专家周明远认为，光学美容还有一系列问题需要解决。", "光学美容", "周明远", "person"),
]


@pytest.mark.parametrize("body,anchor,speaker,stype", CASES)
def test_round4_speaker(body, anchor, speaker, stype):
    for text, sts in _both(body):
        s = statement_at(sts, text, anchor)
        assert s is not None, (text, [(x.speaker, x.cue) for x in sts])
        assert (s.speaker, s.speaker_type) == (speaker, stype), (text, s)


def test_quoted_term_is_not_a_statement():
    for text, sts in _both("“激光之父”、皮肤专家周明远认为，光学美容还有一系列问题需要解决。"):
        assert statement_at(sts, text, "激光之父") is None, (text, sts)


@pytest.mark.parametrize(
    "body",
    [
        # counted survey respondents: a survey's finding
        "调查显示，51%的受访者表示自己从未使用过聊天机器人。多数受访者认为监管明显滞后。",
        # a list of fields under colons, not a transcript
        "定位：汽车内饰清洗服务\n\n人群：办公楼白领\n\n目标：获取新用户\n\n成本：每用户七十多元\n\n成本：原厂生产的一罐饮料",
        "界面有了很大的进步。\n\n左图：系统自带的日期选择弹窗\n\n左图：日历中的重复选择",
    ],
)
def test_no_speaker(body):
    for text, sts in _both(body):
        assert sts == [], (text, [(s.speaker, s.speaker_mention, s.cue) for s in sts])


def test_object_clause_is_no_speaker():
    body = "首席执行官山姆·卡特在活动上对马克·韦伯提出的计划作出尖锐评价，称这一想法荒谬可笑。"
    for text, sts in _both(body):
        assert all(s.speaker is None or not s.speaker.endswith("的") for s in sts), (text, sts)


@pytest.mark.parametrize(
    "body,anchor,speaker",
    [
        # a paragraph that is one quote, right after the person spoke, goes on with them
        (
            "行业大会负责人乔恩·卡特表示，行业里对AI的态度分歧很大。\n\n“那些输入一段提示就想生成整款游戏的人，低估了开发的难度。”",
            "那些输入",
            "乔恩·卡特",
        ),
        # a quote right after a colon in the same sentence belongs to the sentence's subject
        (
            "安全专家马克·韦伯对这条推文言简意赅：“物联网是明摆着的危险，必须尽快监管。”",
            "物联网是",
            "马克·韦伯",
        ),
    ],
)
def test_round4_direct(body, anchor, speaker):
    for text, sts in _both(body):
        s = statement_at(sts, text, anchor)
        assert s is not None and s.kind == "direct", (text, [(x.speaker, x.cue) for x in sts])
        assert s.speaker == speaker, (text, s)


def test_quote_paragraph_needs_a_recent_speaker():
    body = "行业大会负责人乔恩·卡特表示，行业里对AI的态度分歧很大。\n\n会议还讨论了许多议题。\n\n第二天的议程更长。\n\n“那些输入一段提示就想生成整款游戏的人，低估了开发的难度。”"
    for text, sts in _both(body):
        assert statement_at(sts, text, "那些输入") is None, (text, sts)

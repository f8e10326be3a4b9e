"""Recall rules of round 6 (engineer A6): bare names the article keeps naming, generic groups, outlets with
an adverb or without 据, the outlet's own words before a relayed speaker, official-words frames, new cue
compounds, a colon that makes a time clause what was said, a negated cue with an adverb, an indirect
question between a subject and its later cue, and the words that lead into a partial quote. Sentences written
for these tests; each is checked in simplified and traditional script, with the rules alone (the CRF only
vets them) unless a test asks for the model."""

from __future__ import annotations

import pytest

from kb.textnorm import to_simplified
from tests.nlp_cases import PREFIX
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at as _at

pytestmark = pytest.mark.usefixtures("rules_only")  # the CRF only where a test asks for it


# (text, anchor, speaker or None for unnamed, type)
FOUND = [
    # a bare name the article names again
    (
        "鲸芯是一家存储芯片厂商，总部位于苏州。\n\n鲸芯表示，新工厂将在明年投产，产能将翻倍。",
        "新工厂将在",
        "鲸芯",
        "organization",
    ),
    ("鲸芯发布了新一代硬盘。\n\n鲸芯还表示，今年的订单已经全部排满。", "今年的订单", "鲸芯", "organization"),
    # generic groups
    ("科学界普遍认为，这颗彗星来自太阳系之外。", "这颗彗星", None, "unnamed"),
    ("也有开发者认为，新版本的速度提升相当有限。", "新版本的速度", None, "unnamed"),
    ("但也有观点指出，这些例子并不完全站得住脚。", "这些例子", None, "unnamed"),
    # outlets
    ("据《星河观察》独家爆料，这家公司将在下个月发布新款耳机。", "这家公司将在", "星河观察", "media"),
    ("路透社此前报道，该笔交易的估值已经超过百亿美元。", "该笔交易", "路透社", "media"),
    ("据彭博社报道，苹果正在测试新的芯片，预计明年开始量产。", "苹果正在测试", "彭博社", "media"),
    # official words
    (
        "谷歌发布了三款新模型。根据谷歌官方博客，这三款模型的定位各不相同。",
        "这三款模型",
        "谷歌",
        "organization",
    ),
    (
        "微软推出了新的更新机制。\n\n按照官方说法，用户可以把更新推迟更长时间。",
        "用户可以把",
        "微软",
        "organization",
    ),
    # cue compounds
    (
        "英伟达创始人黄仁勋在接受专访时曾言：“这个市场的规模远比人们想象的大。”",
        "这个市场的规模",
        "黄仁勋",
        "person",
    ),
    (
        "对于企业客户，GitHub提示，需要由管理员在后台打开相应的策略。",
        "需要由管理员",
        "GitHub",
        "organization",
    ),
    ("清华大学教授张明远形容说，这种金属在磁场里就像一个安静的旁观者。", "这种金属", "张明远", "person"),
    # a colon after the cue: the time clause opens what was said
    ("微软反复强调：用户在升级系统的同时，原有数据不会丢失。", "用户在升级", "微软", "organization"),
    # an indirect question between the subject and a later cue
    (
        "美国商务部亦未直接解释，为什么一直没有更新名单，仅在一份声明中强调，该部门会定期审查名单。",
        "该部门会定期",
        "美国商务部",
        "organization",
    ),
    # a minister's title; a promise of what the speaker will do; "X此前的解释是“…”"
    ("“欧洲必须作出回应，”西班牙经济大臣卡洛斯周一对记者表示。", "欧洲必须", "卡洛斯", "person"),
    ("此前，微软曾承诺将在更新机制上进行较大调整。", "将在更新机制", "微软", "organization"),
    ("微软此前的解释是“地址栏已经有刷新按钮”，但用户并不买账。", "地址栏已经", "微软", "organization"),
    # researchers' findings; a bare 团队 is a generic group unless a named team came just before
    ("该研究由南方大学主导。团队还发现，冰山崩解后海水的颜色明显变绿。", "冰山崩解后", None, "unnamed"),
    ("该研究由南方大学主导。团队分析认为，这种噪声来自光与电子的相互作用。", "这种噪声", None, "unnamed"),
    (
        "微软 AI 团队发布了新模型。团队称，新模型的推理速度提升了一倍。",
        "新模型的推理",
        "微软",
        "organization",
    ),
    # the words before a partial quote open what was said
    ("这些芯片“应当优先供应给国内的客户，”张明远表示。", "这些芯片", "张明远", "person"),
]


@pytest.mark.parametrize(("body", "anchor", "speaker", "typ"), FOUND)
def test_found(body: str, anchor: str, speaker: str | None, typ: str):
    for text, sts in _both(body):
        s = _at(sts, text, anchor)
        assert s is not None, (
            text,
            [(x.speaker, text[x.start - len(PREFIX) : x.end - len(PREFIX)]) for x in sts],
        )
        assert s.speaker_type == typ, (text, s)
        if speaker is None:
            assert s.speaker is None
        else:
            assert s.speaker is not None and to_simplified(s.speaker) == speaker, (text, s)


def test_outlet_before_relayed_speaker():
    body = "据彭博社报道，尽管这家公司已经与多家供应商签约，但其首席财务官表示，公司仍会继续自研芯片。"
    for text, sts in _both(body):
        outlet = _at(sts, text, "尽管这家公司")
        assert (
            outlet is not None
            and outlet.speaker_type == "media"
            and to_simplified(outlet.speaker) == "彭博社"
        )
        assert _at(sts, text, "公司仍会") is not None
        assert outlet.end <= _at(sts, text, "公司仍会").start


NOT_STATEMENTS = [
    # a name the article names only once, or a common noun, is no speaker
    ("鲸芯表示，新工厂将在明年投产，产能将翻倍。", "新工厂将在"),
    ("报告表示，新工厂将在明年投产，产能将翻倍。", "新工厂将在"),
    # 提示 as a noun; a negated cue with an adverb
    ("他只输入了一个提示，模型就生成了完整的应用。", "模型就生成"),
    ("微软尚未明确说明，新的机制是否适用于旧版本。", "新的机制"),
    # 发现 is a cue only for researchers
    ("他回家后发现，门锁已经被人撬开了。", "门锁已经"),
    # an outlet word without a pause after it is no report
    ("路透社此前报道的数字并不准确。", "数字并不"),
]


@pytest.mark.parametrize(("body", "anchor"), NOT_STATEMENTS)
def test_not_statements(body: str, anchor: str):
    for text, sts in _both(body):
        assert _at(sts, text, anchor) is None, (text, sts)


def test_bare_name_with_crf(crf):
    body = "鲸芯是一家存储芯片厂商。\n\n鲸芯称，这些协议未来有望带来大量合同。"
    for text, sts in _both(body):
        s = _at(sts, text, "这些协议")
        assert s is not None and to_simplified(s.speaker or "") == "鲸芯", (text, sts)

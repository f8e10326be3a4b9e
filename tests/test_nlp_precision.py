"""Precision rules of round 5 (engineer A5): a name wins over a generic head before it, bodies with an
organisation's suffix, adverbials that end the subject, cue words used as nouns, cues inside relative
clauses and a company's forecast of its own plans. Sentences written for these tests; each is checked in
simplified and traditional script."""

from __future__ import annotations

import pytest

from kb.registry import to_traditional
from kb.textnorm import to_simplified
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at as _at

pytestmark = pytest.mark.usefixtures("rules_only")  # the CRF only where a test asks for it


# (text, anchor, speaker, type)
NAMED = [
    (
        "课题组首席研究人员马丁·克劳斯（Martin Kraus）指出，新的涂层更耐磨。",
        "新的涂层",
        "马丁·克劳斯",
        "person",
    ),
    ("研究人员杜明远表示，样品在低温下依然稳定。", "样品在低温", "杜明远", "person"),
    ("北方渔业从业者协会表示，新规将提高捕捞成本。", "新规将", "北方渔业从业者协会", "organization"),
    ("亚马逊此次表示，新仓库将于明年投入使用。", "新仓库", "亚马逊", "organization"),
    ("研究报告第一作者之一伊莎贝拉·罗西教授表示，数据还需要复核。", "数据还需要", "伊莎贝拉·罗西", "person"),
    (
        "前任官员尤金·卡特曾在多个部门任职，现任一家智库顾问，他称这项政策将适得其反。",
        "这项政策",
        "尤金·卡特",
        "person",
    ),
    ("券商分析师马可·贝利尼及其团队指出，需求仍在上升。", "需求仍在", "马可·贝利尼", "person"),
    ("董事长周乐天暗示公司将扩大招聘，称明年会有更多岗位。", "明年会有", "周乐天", "person"),
]


@pytest.mark.parametrize("body,anchor,speaker,typ", NAMED)
def test_named_speaker(body, anchor, speaker, typ):
    for text, sts in _both(body):
        trad = text != body
        st = _at(sts, text, to_traditional(anchor) if trad else anchor)
        assert st is not None, text
        assert st.speaker_type == typ
        assert to_simplified(st.speaker or "") == speaker


NOT_STATEMENTS = [
    "市长的最新表态在网上引起了热议。",
    "这家公司违背了对股东的公开承诺，即三年内不出售股份。",
    "读者可以查看详细说明：链接在文末。",
    "根据产品说明，这款耳机支持快速充电。",
    "亚马逊预计将在秋季推出新款阅读器。",
    "市长昨天走访了三户他认为最需要帮助的家庭。",
    "几位员工透露的细节引发了外界关注。",
    "这家公司希望通过更清晰的版本说明，帮助用户理解更新内容。",
    "随着多位知名工程师表态支持这项提案，社区的讨论更加热烈。",
    "部长要求各家企业负责人指出招标过程中的障碍。",
    "数据显示，这家公司今年售出了三百万台设备，预计到明年将达到五百万台。",
    "完成维修之后，这颗卫星预计可以继续工作五年。",
]


@pytest.mark.parametrize("body", NOT_STATEMENTS)
def test_not_a_statement(body):
    for text, sts in _both(body):
        assert sts == [], (text, [(s.speaker, s.cue) for s in sts])


def test_frame_with_one_source_stays():
    body = "根据微软披露的消息，这个问题只影响旧版系统。"
    for text, sts in _both(body):
        assert any(s.speaker_type == "organization" for s in sts), text


def test_named_analyst_forecast_stays():
    body = "分析师周文涛预计，明年的出货量将增长两成。"
    for text, sts in _both(body):
        st = _at(sts, text, "明年" if text == body else to_traditional("明年"))
        assert st is not None and st.speaker_type == "person"


def test_title_tail_not_in_dotted_name():
    body = "首席经济学家安娜·卡尔森预计，通胀将在年底回落。"
    for _text, sts in _both(body):
        assert sts and sts[0].speaker_type == "person"
        assert to_simplified(sts[0].speaker or "") == "安娜·卡尔森", sts[0].speaker


def test_spokesperson_reference_is_the_organisation():
    body = "航天局发言人在声明中表示，发射推迟到下周。该发言人还表示，宇航员的状态良好。"
    for text, sts in _both(body):
        st = _at(sts, text, "宇航员" if text == body else to_traditional("宇航员"))
        assert st is not None and st.speaker_type == "organization"
        assert to_simplified(st.speaker or "") == "航天局"


def test_cue_not_part_of_a_colon_label():
    body = "第一段。\n\n邓肯说：“我们把旧系统拆成了几个模块，然后逐一测试。”\n\n罗斯称：“行业已经被海量的漏洞报告淹没了。”"
    for _text, sts in _both(body):
        names = {to_simplified(s.speaker or "") for s in sts}
        assert names == {"邓肯", "罗斯"}, names


def test_demonstrative_reference_to_a_described_person():
    body = "科技博主“小林评测”此前表示，新机的屏幕更亮了。该博主还称，电池续航也有提升。"
    for text, sts in _both(body):
        st = _at(sts, text, "电池续航" if text == body else to_traditional("电池续航"))
        assert st is not None and st.speaker_type == "person"
        assert to_simplified(st.speaker or "") == "小林评测"


def test_pronoun_prefers_named_subject_over_earlier_unnamed_source(crf):
    body = (
        "一位知情人士称，谈判已经持续了数月。"
        "前任外交官罗兰·布朗曾参与多轮磋商，现就职于一家研究机构，他称这项协议难以落实。"
    )
    for text, sts in _both(body):
        st = _at(sts, text, "这项协议" if text == body else to_traditional("这项协议"))
        assert st is not None and to_simplified(st.speaker or "") == "罗兰·布朗", st

"""Round-16 attribution rules, each checked in simplified and traditional script on sentences written for
these tests:
- a cue with no pause that opens a clause after a comma speaks for the sentence's named subject, over a
  chain of clauses ("X已将该漏洞通报给Y，并建议…", "X另致信Y，呼吁…，并称…"), but not for a title or a
  group of the body's ("剑桥团队…", "捷克外交部长…"), not when a second
  subject stands between, and not for a plan (希望) or a proposal (提出) after an act;
- a company's own paper ("新闻稿称", "公告表示", "该文档进一步指出") with no issuer in sight is the paper of the
  company the article is about, when one is named far more often than any other;
- a reference to a body ("该机构", "这家初创企业") is a subject for a cue with no pause, like a name; "该校"
  is the university named last, wherever it stands;
- 辩称, and 戏称 with a pause, are cues ("被戏称为…" is a name, no statement)."""

from __future__ import annotations

import pytest

from kb.registry import Registry
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import who as _who


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(autouse=True)
def _rules(rules_only):  # the rules' own choices
    return None


@pytest.mark.parametrize(
    "body, anchor, speaker",
    [
        (
            "微软近日扩展其自研模型阵容，正式推出全新语音转文字模型，宣称在二十五种语言上的错误率最低。",
            "在二十五种",
            "微软",
        ),
        ("英伟达已将该安全漏洞通报给客户，并建议所有用户尽快升级驱动程序。", "所有用户", "英伟达"),
        (
            "马斯克上个月作为首位证人出庭作证，指控奥特曼及其他高管窃取了这家机构。",
            "奥特曼及其",
            "埃隆·马斯克",
        ),
        ("雷军另致信小米全体员工，呼吁大家保持专注，并称今年的目标一定能够完成。", "今年的目标", "雷军"),
    ],
)
def test_a_cue_after_a_comma_speaks_for_the_named_subject_of_the_sentence(registry, body, anchor, speaker):
    for t, sts in _both(body, registry):
        got = _who(sts, t, anchor)
        assert got is not None and got[0] is not None and got[0].startswith(speaker[:2]), (t, sts)


@pytest.mark.parametrize(
    "body, anchor",
    [
        # a group of the body's, unnamed, is the subject
        ("剑桥团队并未将目标仅限于冠状病毒，呼吁各国继续加大对疫苗研究的投入力度。", "各国继续"),
        # a second subject stands between
        ("微软发布了新的模型，用户纷纷下载体验，宣称这是今年最好用的模型之一。", "这是今年"),
        # a plan after an act, no statement
        ("软银以六十五亿美元收购了一家芯片公司，希望借此进一步扩大在人工智能领域的布局。", "借此进一步"),
    ],
)
def test_no_statement_for_the_sentence_subject_where_someone_else_acts(registry, body, anchor):
    for t, sts in _both(body, registry):
        got = _who(sts, t, anchor)
        assert got is None or got[0] not in ("小米", "剑桥", "微软", "软银"), (t, sts)


def test_a_companys_own_paper_is_the_paper_of_the_company_the_article_is_about(registry):
    body = (
        "宇树科技今日在上海举行发布会。宇树科技此次推出了新一代机器人。\n\n"
        "宇树科技预计上半年营业收入将大幅增长。\n\n公告表示，受益于具身智能行业市场需求持续增长，公司业绩向好。"
    )
    for t, sts in _both(body, registry):
        got = _who(sts, t, "受益于具身")
        assert got is not None and got == ("宇树科技", "organization"), (t, sts)
    # two companies about as often: whose paper it is, is not known
    body = (
        "百度与阿里巴巴今日同场竞技。百度推出了新模型，阿里巴巴也推出了新模型。\n\n"
        "百度和阿里巴巴都预计增长。\n\n公告表示，受益于大模型行业市场需求持续增长，公司业绩向好。"
    )
    for t, sts in _both(body, registry):
        got = _who(sts, t, "受益于大模型")
        assert got is None or got[0] not in ("百度", "阿里巴巴"), (t, sts)


@pytest.mark.parametrize(
    "body, anchor, speaker",
    [
        (
            "美国财政部近日对一家VPN提供商实施了制裁。该机构指控涉事服务暗中协助勒索软件团伙隐藏身份。",
            "涉事服务",
            "财政部",
        ),
        (
            "基金会已邀请怀俄明大学提交运营这台超级计算机的方案，该校表示有意承接后续的运营工作。",
            "有意承接",
            "怀俄明大学",
        ),
        ("OpenAI 方面辩称，马斯克起诉的时间过晚，早已超过了诉讼时效。", "马斯克起诉", "OpenAI"),
    ],
)
def test_references_to_a_body_and_new_cues(registry, body, anchor, speaker):
    for t, sts in _both(body, registry):
        got = _who(sts, t, anchor)
        assert got is not None and got[0] is not None and speaker in got[0], (t, sts)


def test_jesting_names_are_no_statement_but_a_jest_with_a_pause_is(registry):
    for t, sts in _both("一些地质学家戏称，这些岩石的名词体系几乎可以构成一本字典。", registry):
        assert _who(sts, t, "这些岩石") == (None, "unnamed"), (t, sts)
    for t, sts in _both("这款手机因为又大又重，被网友戏称为板砖。", registry):
        assert _who(sts, t, "板砖") is None, (t, sts)

"""Round-8 attribution rules, each checked in simplified and traditional script on sentences written for
these tests, with guards against the readings the rules must not make:
- between the speaker and the cue: a manner adverb with 地 ("开玩笑地表示"), a reflexive ("自己也表示"), a
  second cue word ("直言指出"), a verb of saying before 说 ("他警告说");
- cues: 介绍称, 分析 (a named analyst's reading, not an analysis someone ran), 写到; 回答 needs a pause;
  相信 needs a subject of its own, a pronoun will do; a weak cue after a clause in which the speaker
  published something ("发布长篇博客，呼吁…");
- who speaks: a platform ("微信表示"), a described brand ("流媒体服务Deezer"), a company's customer
  service, "官方" for the organisation the article is about; 他们 for the group the sentence before is
  about; team members as an unnamed source; the one person a sentence names for a 他/她 with no one
  before; what an outlet reports before a relayed speaker;
- quotes: a quote that goes on after its own attribution ("…”小舒说。“…”"); a paragraph after "X表示——";
  a quote that closes a frame's sentence ("在X看来，A，“B”");
- names and roles: a full name after a described head ("…的记者Joseph Cox"); "来自X的NAME" gives the
  organisation; the front of a title is no organisation; "吉姆．麦戈文" is one name; no verb glued to a name;
  a title keeps its person across a second role ("X大学地质学教授、同时也是…成员的NAME")."""

from __future__ import annotations

import pytest

from kb.registry import Registry
from kb.textnorm import to_simplified
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at
from tests.nlp_cases import who as _who


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.mark.parametrize(
    "body",
    [
        "魏哲家直言不讳地指出，目前一些机器人的观赏性远大于实用性。",
        "魏哲家开玩笑地表示，目前一些机器人的观赏性远大于实用性。",
        "魏哲家自己也表示，目前一些机器人的观赏性远大于实用性。",
        "台积电董事长魏哲家近日谈到了机器人。他直言指出，目前一些机器人的观赏性远大于实用性。",
        "台积电董事长魏哲家近日谈到了机器人。他警告说，目前一些机器人的观赏性远大于实用性。",
    ],
)
def test_words_between_the_speaker_and_the_cue(body, registry):
    for text, sts in _both(body, registry):
        assert _who(sts, text, "目前一些机器人") == ("魏哲家", "person"), (text, sts)


def test_a_named_analysts_reading_is_a_statement_an_analysis_someone_ran_is_not():
    for text, sts in _both("律师周敏分析，反AI条款的快速增长源于两大现实压力。"):
        assert _who(sts, text, "反AI条款") == ("周敏", "person"), (text, sts)
    for body, anchor in (
        ("研究团队对这些杂交个体进行基因分析，却发现结果与最初预期明显不同。", "却发现结果"),
        ("他随后利用一款软件进一步分析，确认其具有罕见的高速外流信号。", "确认其具有"),
    ):
        for text, sts in _both(body):
            assert statement_at(sts, text, anchor) is None, (text, sts)


def test_platforms_described_brands_and_official_accounts_speak_as_organisations(registry):
    cases = [
        ("微信表示，无论系统是否相同，内容都通过专属通道传送。", "无论系统是否相同", "微信"),
        ("法国流媒体服务Deezer今年春天表示，每天上传的曲目中近一半是生成的。", "每天上传的曲目", "Deezer"),
        ("Ollama近日发布了新版本。官方介绍称，新版本的预填速度提升约一倍。", "新版本的预填速度", "Ollama"),
        ("对此，帮宝适官方客服回应称，“该事件会向公司进行反馈和核实。”", "该事件会向公司", "帮宝适"),
    ]
    for body, anchor, org in cases:
        for text, sts in _both(body, registry):
            assert _who(sts, text, anchor) == (org, "organization"), (text, sts)


def test_a_description_before_customer_service_names_no_organisation():
    for text, sts in _both("前述培训机构客服告诉记者，现在报名的人太多了，考试名额都约不上。"):
        s = statement_at(sts, text, "现在报名的人")
        assert s is None or s.speaker_type == "unnamed", (text, sts)


def test_they_stand_for_the_group_the_sentence_before_is_about():
    for text, sts in _both("然而，部分技术博主对这一解释并不买账。他们指出，画面细节仍被明显改动。"):
        assert _who(sts, text, "画面细节仍被") == (None, "unnamed"), (text, sts)


def test_team_members_are_an_unnamed_source():
    for text, sts in _both("研究团队成员表示，新分析并未证明暗物质就是这种辉光的成因。"):
        assert _who(sts, text, "新分析并未证明") == (None, "unnamed"), (text, sts)


def test_a_group_inside_a_verbs_object_is_not_the_subject():
    body = "律师李明华近日透露，禁止生成式AI的条款越来越多。\n\n李明华点名批评了部分大型企业的做法，她警告，这些企业将面临法律风险。"
    for text, sts in _both(body):
        assert _who(sts, text, "这些企业将面临") == ("李明华", "person"), (text, sts)


def test_a_weak_cue_after_a_publishing_clause_is_what_was_published(registry):
    for text, sts in _both(
        "Anthropic本月早些时候发布长篇博客，呼吁建立一套由政府与开发商共同决定的机制。", registry
    ):
        assert _who(sts, text, "建立一套由政府") == ("Anthropic", "organization"), (text, sts)
    body = "周三，近200家创业公司以“小型科技协会”的名义签署公开信，敦促政府不要限制开源模型。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "政府不要限制")
        assert s is None or "名义" not in (s.speaker or ""), (text, sts)


def test_a_quote_that_goes_on_after_its_own_attribution():
    body = "学生小舒毕业后找了实习。\n\n“我完全没有想到会这样学习AI技能。”小舒说。“说难听点，只有懂AI的人才有人要。”"
    for text, sts in _both(body):
        assert _who(sts, text, "说难听点") == ("小舒", "person"), (text, sts)


def test_a_paragraph_after_a_dash_is_what_was_said(registry):
    body = "随后，特朗普表示——\n\n我指示所有联邦机构立即停止使用这家公司的技术。"
    for text, sts in _both(body, registry):
        s = statement_at(sts, text, "我指示所有联邦机构")
        assert s is not None and s.speaker == "特朗普" and s.kind == "direct", (text, sts)


def test_a_full_name_after_a_described_head_and_writing_on_a_platform():
    body = "Motherboard的记者Joseph Cox在Twitter上写到：“物联网需要监管，越快越好。”"
    for text, sts in _both(body):
        assert _who(sts, text, "物联网需要监管") == ("Joseph Cox", "person"), (text, sts)


def test_roles_from_a_second_appositive_and_no_title_fragment_as_organisation():
    body = "“有人担心NASA过于乐观了，”英裔美国天体物理学家、来自太空环境主义中心的乔纳森·麦克道尔说。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "有人担心NASA")
        assert s is not None and s.speaker == "乔纳森·麦克道尔", (text, sts)
        assert to_simplified(s.organization or "") == "太空环境主义中心", s
        assert to_simplified(s.title or "") == "天体物理学家", s


def test_a_full_width_stop_inside_a_name_and_the_organisation_joined_to_the_title():
    body = "“这是一笔幕后交易，”规则委员会的首席民主党人、马萨诸塞州民主党众议员吉姆．麦戈文说。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "这是一笔幕后交易")
        assert s is not None and "麦戈文" in (s.speaker or "") and "吉姆" in (s.speaker or ""), (text, sts)
        assert "、" not in (s.organization or ""), s


def test_a_verb_is_not_glued_to_a_name():
    for text, sts in _both("英国首相基尔·斯塔默即将宣布，将禁止16岁以下儿童使用有害的网络平台。"):
        s = statement_at(sts, text, "将禁止16岁")
        assert s is None or to_simplified(s.speaker or "") == "基尔·斯塔默", (text, sts)


def test_the_one_person_named_before_a_pronoun(registry):
    body = "这项研究由佛罗里达大学的艾米·威廉姆斯领导，她表示，这些有机物可能已保存了约35亿年。"
    for text, sts in _both(body, registry):
        assert _who(sts, text, "这些有机物可能") == ("艾米·威廉姆斯", "person"), (text, sts)


def test_what_an_outlet_reports_before_a_relayed_speaker(registry):
    body = "据《华尔街日报》报道，这一点餐系统已经在部分门店完成测试，该公司一位高管表示，系统运行良好。"
    for text, sts in _both(body, registry):
        s = statement_at(sts, text, "这一点餐系统")
        assert s is not None and s.speaker_type == "media" and "华尔街日报" in to_simplified(s.speaker), sts


def test_beliefs_need_a_believer_and_answers_a_pause():
    for text, sts in _both("律师周敏近日谈到AI教育。她相信，即使用了同样的AI工具，学生的差距也会拉开。"):
        assert _who(sts, text, "即使用了同样") == ("周敏", "person"), (text, sts)
    for body, anchor in (
        ("只要能提供一个健康良性的生态系统，相信用户会慢慢回来。", "用户会慢慢"),
        ("这款眼镜会实时分析用户所见的场景并回答相关问题。", "相关问题"),
    ):
        for text, sts in _both(body):
            assert statement_at(sts, text, anchor) is None, (text, sts)


def test_a_quote_closing_a_frames_sentence_is_a_statement_of_its_own(registry):
    body = "在微博CEO王高飞看来，社交关系的头部化不是微博的问题，而是它的优势，“微博和交友产品不同，要从媒体的角度看。”"
    for text, sts in _both(body, registry):
        first, quote = statement_at(sts, text, "社交关系的头部化"), statement_at(sts, text, "微博和交友产品")
        assert first is not None and quote is not None and first is not quote, (text, sts)
        assert (quote.speaker, quote.kind) == ("王高飞", "direct"), quote


def test_a_second_role_between_the_title_and_the_name(registry):
    body = "研究由佛罗里达大学地质学教授、同时也是火星车科学团队成员的艾米·威廉姆斯领导，她表示，这些有机物可能已保存了约35亿年。"
    for text, sts in _both(body, registry):
        s = statement_at(sts, text, "这些有机物可能")
        assert s is not None and s.speaker == "艾米·威廉姆斯", (text, sts)
        assert to_simplified(s.organization or "") == "佛罗里达大学" and "教授" in (s.title or ""), s

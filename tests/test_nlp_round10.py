"""Round-10 attribution rules, each checked in simplified and traditional script on sentences written for
these tests, with guards against the readings the rules must not make:
- who speaks a clause with no subject of its own ("…，并明确指出…", "…，要求…，称…"): a person the registry
  knows straight before the predicate, and with the NER model a name no list knows that opens the clause;
  the subject of a sentence that ends in a colon before a quote, read the same way;
- cue words: 提议, 判断, 推断, 预言, 谈及, 鼓励 (with what should be done), 说过 ("说过一句话，" is not part of
  what was said), 称赞道 and the other X道 forms, and 忍不住 between the speaker and the cue; "进行推断" is a
  noun, not someone inferring;
- frames: "X的建议是", "X的论点是：", "X的回应是："; "X的最新报告称" and "X的一篇报道指出" are X's;
- a quote that follows a statement straight away goes on with it, also for an unnamed source or a company,
  and also when its 。 stands after the closing mark;
- a company's staff (客服人员, 展台工作人员, "丰巢相关工作人员") speak for the company in sight; with no company
  named they stay an unnamed source;
- "一位叫拉里·艾利森的…": the name starts after 叫, not with "一位叫"."""

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


@pytest.fixture(autouse=True)
def _rules(rules_only):  # the rules' own choices (the CRF only where a test asks for it)
    return None


def test_a_known_person_before_the_predicate_speaks_the_next_clause(registry):
    for body in (
        "雷军宣布了新产品，并表示，该产品将于明年上市。",
        "雷军宣布了新产品，并明确表示，该产品将于明年上市。",
    ):
        for t, sts in _both(body, registry):
            assert _who(sts, t, "该产品") == ("雷军", "person"), (t, sts)


def test_an_adverb_after_bing_keeps_the_subject(registry):
    for t, sts in _both("微软公布了延期消息，并进一步指出，当前仍存在一长串阻断性问题。", registry):
        assert _who(sts, t, "当前仍存在") == ("微软", "organization"), (t, sts)


def test_a_name_no_list_knows_that_opens_the_clause(crf, registry):
    body = "今年5月底，郝思嘉签署行政命令，要求卫生部削减疫苗接种数量，称这些疫苗没有必要。"
    for t, sts in _both(body, registry):
        assert _who(sts, t, "这些疫苗") == ("郝思嘉", "person"), (t, sts)
    # a company before a title is no subject
    for t, sts in _both("Pic Mix创始人卡尔文非常兴奋，并表示中国有很多团队适合来这里。"):
        assert all(s.speaker != "Pic Mix" for s in sts), (t, sts)


def test_the_subject_of_a_colon_sentence_no_list_knows(crf, registry):
    body = "为了讲明白这部电影的感觉，郝思嘉打了个比方：“你在观看上不会有任何障碍。就像飞行一样过去了。”"
    for t, sts in _both(body, registry):
        assert _who(sts, t, "你在观看") == ("郝思嘉", "person"), (t, sts)


@pytest.mark.parametrize(
    "body,anchor,want",
    [
        ("王立新提议，在全国范围内设立统一的数字成年年龄。", "在全国范围", ("王立新", "person")),
        ("展望未来，王立新判断，科技行业的就业将继续收缩。", "科技行业", ("王立新", "person")),
        ("王立新据此推断，制备过程中氧气条件决定了成分。", "制备过程", ("王立新", "person")),
        ("王立新也谈及，外界很快就会看到更多进展。", "外界很快", ("王立新", "person")),
        ("董明珠鼓励年轻人应当保持积极的学习态度。", "年轻人应当", ("董明珠", "person")),
        ("雷军曾经说过, 小米的铁人三项是软件。", "小米的铁人", ("雷军", "person")),
        ("微软副总裁王立新忍不住称赞道，“这个模型表现非凡”。", "这个模型", ("王立新", "person")),
    ],
)
def test_more_cue_words(registry, body, anchor, want):
    for t, sts in _both(body, registry):
        assert _who(sts, t, anchor) == want, (t, sts)


def test_what_follows_said_one_sentence_is_what_was_said(registry):
    for t, sts in _both("王立新说过一句话，投资人不应该控制公司。", registry):
        st = statement_at(sts, t, "投资人")
        assert st is not None and to_simplified(st.text).startswith("投资人"), (t, sts)


def test_a_noun_after_jinxing_is_no_cue():
    for t, sts in _both("现有很多方法只能针对特定条件进行推断，难以推广到更自然的场景。"):
        assert statement_at(sts, t, "难以推广") is None, (t, sts)


@pytest.mark.parametrize(
    "body,anchor,want",
    [
        ("苹果的建议是用户使用安全性更高的SMB3协议。", "用户使用", ("苹果", "organization")),
        ("微软的论点是：过去30年里，鼠标滚轮几乎没有本质变化。", "过去30年", ("微软", "organization")),
        ("五角大楼的回应是：我们不会让步。", "我们不会", ("美国国防部", "organization")),
        ("彭博社的最新报告称，该公司将在年底裁员。", "该公司将", ("彭博社", "media")),
        ("路透社的一篇报道指出，该公司将在年底裁员。", "该公司将", ("路透社", "media")),
    ],
)
def test_frames_that_name_whose_words_follow(registry, body, anchor, want):
    for t, sts in _both(body, registry):
        assert _who(sts, t, anchor) == want, (t, sts)


def test_a_quote_straight_after_a_statement_goes_on_with_it(registry):
    body = "一位接近该公司的人士称，微软是更理想的租户。“结果更好，他们的信用度更高。”"
    for t, sts in _both(body, registry):
        st = statement_at(sts, t, "结果更好")
        assert st is not None and st.anonymous and st.kind == "direct", (t, sts)
    # the 。 after the closing mark ends the quoted sentence just as well
    body = "有开发者认为，他们优先考虑了错误的指标。“创新也需要深度，而不仅仅是秒表”。"
    for t, sts in _both(body, registry):
        st = statement_at(sts, t, "创新也需要")
        assert st is not None and st.anonymous and st.kind == "direct", (t, sts)
    # a quote further on, after the author's own sentence, is no one's continuation
    body = "一位接近该公司的人士称，微软是更理想的租户。外界对此看法不一，有待观察。“结果更好。”"
    for t, sts in _both(body, registry):
        assert statement_at(sts, t, "结果更好") is None, (t, sts)


def test_staff_speak_for_the_company_in_sight(registry):
    body = "该用户随后向谷歌官方客服求助。客服人员表示，该影片已经下架。"
    for t, sts in _both(body, registry):
        assert _who(sts, t, "该影片") == ("谷歌", "organization"), (t, sts)
    body = "小米在展会上展出了仿生机器人。据展台工作人员介绍，这款机器人可以做出多种表情。"
    for t, sts in _both(body, registry):
        assert _who(sts, t, "这款机器人") == ("小米", "organization"), (t, sts)
    # officers of a body no one names stay unnamed
    for t, sts in _both("网站在周末被关闭。执法人员表示，该网站的数据库已被查封。", registry):
        st = statement_at(sts, t, "该网站")
        assert st is not None and st.anonymous, (t, sts)


def test_a_name_introduced_with_jiao_starts_after_it(registry):
    body = "与此同时，一位叫拉里·艾利森的年轻程序员组建了一家公司。拉里·艾利森表示，数据库会改变一切。"
    for t, sts in _both(body, registry):
        st = statement_at(sts, t, "数据库会")
        assert st is not None and st.speaker == "拉里·艾利森", (t, sts)

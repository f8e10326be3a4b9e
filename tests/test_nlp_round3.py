"""Round-3 attribution rules (engineer A3): names before a name-first title at the end of an appositive
chain, paper roles before the post, surnames of foreign names written in full earlier, Latin names
and one-character surnames as Q&A labels, and the guard against a preposition before a time word read
as a name. Each rule is checked in simplified and traditional script, on sentences written for these
tests."""

from __future__ import annotations

import pytest

from kb.nlp.lexicon import load_lexicon, looks_like_person
from kb.nlp.speakers import article_people
from kb.registry import to_traditional
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at


def _at(sts, text: str, anchor: str):
    s = statement_at(sts, text, anchor)
    assert s is not None, f"no statement at {anchor!r}: {[(x.speaker, x.cue) for x in sts]}"
    return s


# (text, anchor, speaker, title, organization); None = not checked
CASES = [
    # a post, then the Latin name, then a name-first title: the post is the title
    (
        "研究通讯作者之一、北方大学物理研究所所长Hans Becker教授表示，他们没有预料到这个结果会如此明显。",
        "他们没有预料",
        "Hans Becker",
        "所长",
        "北方大学物理研究所",
    ),
    (
        "另一位合著者、南方生物研究所负责人Peter Lang教授则指出，这种现象很可能有清晰的物理基础。",
        "这种现象",
        "Peter Lang",
        "负责人",
        "南方生物研究所",
    ),
    # "X的NAME教授": the organisation before 的, the honorific as title
    (
        "海港大学的Otto Kramer教授指出，铁元素在细胞中以纳米颗粒的形式存在。",
        "铁元素",
        "Otto Kramer",
        "教授",
        "海港大学",
    ),
    # the paper role is the only title; the organisation before 的
    (
        "论文第一作者、东湖研究中心的乔治·班纳表示，他们希望找到一种更通用的方法。",
        "他们希望",
        "乔治·班纳",
        "第一作者",
        "东湖研究中心",
    ),
    # the surname of a dotted name written in full before, with the role stated there
    (
        "东湖大学病毒学教授玛丽·沙利文参与了研究。沙利文解释说，医护人员必须迅速识别感染并隔离患者。",
        "医护人员",
        "玛丽·沙利文",
        None,
        None,
    ),
    (
        "东湖大学病毒学教授玛丽·沙利文参与了研究。沙利文在文章中指出，检测的延迟会推迟确诊时间。",
        "检测的延迟",
        "玛丽·沙利文",
        None,
        None,
    ),
    # a Latin surname with an honorific after the full name
    (
        "研究第一作者、来自海港大学的Clara Voss博士参与了实验。Voss博士表示，这一发现提供了首个证据链条。",
        "这一发现",
        "Clara Voss",
        "博士",
        None,
    ),
    # an appositive chain ending in the surname of a full Latin name written before
    (
        "团队成员包括天体物理学家Anna Kowal。北方大学天文中心的助理教授Kowal解释称，星流中的恒星沿着相同的轨道运行。",
        "星流中",
        "Anna Kowal",
        None,
        None,
    ),
    # 回忆说 as a cue
    (
        "研究员张小明参与了分析。张小明回忆说，这块样本的化学特征看上去非常有意思。",
        "这块样本",
        "张小明",
        None,
        None,
    ),
]


@pytest.mark.parametrize("body,anchor,speaker,title,org", CASES)
def test_round3_named(body, anchor, speaker, title, org):
    for text, sts in _both(body):
        s = _at(sts, text, anchor if text == body else to_traditional(anchor))
        assert s.speaker == speaker and s.speaker_type == "person", (text, s)
        if title is not None:
            assert s.title == title, (text, s.title)
        if org is not None:
            assert s.organization == org, (text, s.organization)


def test_qa_latin_name_label():
    body = (
        "记者：您为什么认为这种机器人很重要？\n\nHans Becker 教授：地下的工作环境实在太恶劣了，需要机器人帮忙。"
        "\n\n记者：下一步计划是什么？\n\nHans Becker 教授：我们想做的事情还有很多，比如建立通讯网络。"
    )
    for text, sts in _both(body):
        got = [s for s in sts if s.speaker == "Hans Becker"]
        assert len(got) == 2 and all(s.kind == "direct" and s.title == "教授" for s in got), (text, sts)


def test_qa_one_char_surname_label():
    body = (
        "主持人：现在买新车购置税低吗？\n\n边师傅：对呀，这就是为了绿色出行，所以才有补贴的。"
        "\n\n主持人：牌照呢？\n\n边师傅：本地牌照对于我来说我是赞成的，因为本身就在这里跑。"
    )
    for text, sts in _both(body):
        assert [s.speaker for s in sts if s.kind == "direct"].count("边师傅") == 2, (text, sts)


def test_time_word_is_no_name():
    lex = load_lexicon()
    assert not looks_like_person("于今年", lex)
    assert looks_like_person("于建国", lex)
    body = "该公司长期以负责任的开发商自居，于今年4月首次向少数企业发布模型，并警告其具备发现漏洞的能力。"
    for _text, sts in _both(body):
        assert all(s.speaker != "于今年" for s in sts)


def test_article_people_surnames():
    lex = load_lexicon()
    text = "东湖大学教授玛丽·沙利文参与了研究。沙利文在文章中指出，沙利文强调，研究人员Laura Menzel参与，Menzel说"
    got = article_people(text, lex)
    assert got["沙利文"] == "玛丽·沙利文" and got["Menzel"] == "Laura Menzel"
    # two people sharing a surname: ambiguous, left out
    two = article_people("安娜·布朗和玛丽·布朗都来了。布朗表示同意。", lex)
    assert "布朗" not in two


@pytest.mark.parametrize(
    "body",
    [
        "研究者认为，在持续变暖的海洋中，它们很可能扮演越来越重要的角色。",
        "有分析认为，这家公司放弃项目反映出建设热潮已遭遇阻力。",
    ],
)
def test_generic_groups_unnamed(body):
    for _text, sts in _both(body):
        assert sts and all(s.speaker is None and s.speaker_type == "unnamed" for s in sts), sts

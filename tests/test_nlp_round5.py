"""Round-5 attribution rules: a quoted sentence with no cue belongs to the named person the sentences
around it are about; an interview's declared short label ("（以下简称张）") marks its answers and the
other label's questions are nobody's statements; a comma inside a parenthesis ends no clause; a Latin
name's initials in brackets stand for the name; a military rank or a one-word handle after a
description leaves the person named; 反问道 and 评价道 are cues; and "“…”她说" after a paragraph about
someone else than the last speaker is that someone. Each rule is checked in simplified and traditional
script, on sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at

# (text, anchor, speaker, kind)
CASES = [
    # a quoted sentence right after a sentence whose subject is a named person
    ("导演陈立川对票房的起落显得并不在意。“观众喜欢就够了，数字只是数字。”", "观众喜欢", "陈立川", "direct"),
    # the same inside the person's sentence, after a comma
    (
        "投资人周海峰谈起东南亚市场时语气笃定，“这里的机会至少还有十年。”",
        "这里的机会",
        "周海峰",
        "direct",
    ),
    # the person named right after the quote
    (
        "大家在路口等了很久。\n\n“那辆绿色的车就是我们公司的。”周海峰指着路边的车队。",
        "那辆绿色",
        "周海峰",
        "direct",
    ),
    # the sentence before opens with a pronoun: its antecedent
    (
        "编剧孙一鸣把剧本交了出去。甚至，他觉得这部电影只拍给读者看。\n\n“说到底，读者的票房就够了。”",
        "说到底",
        "孙一鸣",
        "direct",
    ),
    # a comma inside the parenthesis after a name
    (
        "领英亚太区经济主管林佩琪(Lin Peiqi，音译)指出，数据分析师是最容易被替代的岗位。",
        "数据分析师",
        "林佩琪",
        "indirect",
    ),
    # a military rank after a Latin name, and a one-word handle after a description
    (
        "美国中央司令部发言人Tim Hawkins上尉在声明中表示，该部队已经做好准备。",
        "该部队",
        "Tim Hawkins",
        "indirect",
    ),
    ("人工智能领域分析师 ChrisGPT 对此评价道，放慢发布节奏是明智之举。", "放慢发布", "ChrisGPT", "indirect"),
    # 反问道 is a cue, not the end of a name
    ("“没人愿意雇我，我去哪里攒经验？”德鲁夫反问道。", "没人愿意", "德鲁夫", "direct"),
    # "“…”她说" at a paragraph's start: the person the paragraph before is about, not the last speaker
    (
        "毕业生德鲁夫说，入门岗位都要求三年经验。\n\n哈拉姆·康在州立大学主修计算机科学，原本想做产品经理。"
        "\n\n“以前大家都说学计算机肯定没问题，”她说，“现在完全不是这样了。”",
        "以前大家",
        "哈拉姆·康",
        "direct",
    ),
]


@pytest.mark.parametrize("body,anchor,speaker,kind", CASES)
def test_round5_speaker(body, anchor, speaker, kind):
    for text, sts in _both(body):
        s = statement_at(sts, text, anchor)
        assert s is not None, (text, [(x.speaker, x.cue) for x in sts])
        assert (s.speaker, s.speaker_type, s.kind) == (speaker, "person", kind), (text, s)


def test_uncued_quote_needs_one_person():
    # two people could be the subject: no one is guessed
    body = "导演陈立川和制片人周海峰对票房的起落显得并不在意。“观众喜欢就够了，数字只是数字。”"
    for text, sts in _both(body):
        assert statement_at(sts, text, "观众喜欢") is None, (text, sts)


def test_quoted_term_is_no_uncued_statement():
    body = "导演陈立川对票房的起落显得并不在意。“张嘉佳体”也不是他的发明。"
    for text, sts in _both(body):
        assert statement_at(sts, text, "张嘉佳体") is None, (text, sts)


def test_interview_labels():
    body = (
        "本期我们采访了星海科技总裁张立伟（以下简称张）。\n\n"
        "DB：有人说，虚拟现实已经进入寒冬。您怎么看？\n\n"
        "张：我觉得这种说法太悲观了，行业只是在调整。\n\n"
        "DB：明年会好转吗？\n\n"
        "张：我非常确定会好转，硬件成本正在下降。"
    )
    for text, sts in _both(body):
        for anchor in ("我觉得这种", "我非常确定"):
            s = statement_at(sts, text, anchor)
            assert s is not None and (s.speaker, s.kind) == ("张立伟", "direct"), (text, anchor, sts)
            # the role the declaration gives
            assert (s.title, s.organization) == ("总裁", "星海科技"), (text, s)
        # the interviewer's question holds no statement of anyone
        assert statement_at(sts, text, "虚拟现实已经") is None, (text, sts)


def test_latin_initials_stand_for_the_name():
    body = "开源组织The Open Office Foundation（TOOF）近日发布公开信。TOOF 认为，政府应当提供开放格式的模板。"
    for text, sts in _both(body):
        s = statement_at(sts, text, "政府应当")
        assert s is not None, (text, sts)
        assert (s.speaker, s.speaker_type) == ("The Open Office Foundation", "organization"), (text, s)

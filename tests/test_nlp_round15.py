"""Round-15 attribution rules, each checked in simplified and traditional script on sentences written for
these tests:
- a second word of saying after a cue ("他警告说，…", "…否认，说…", "…吐槽，称…") belongs to the cue: what
  was said starts after it, while an idiom ("说白了") stays in what was said;
- the organisation slot holds an organisation: a word that qualifies the title ("研究负责人", "论文第一作者",
  "退役宇航员") goes back to the title, a reference ("该校经济学教授") leaves the slot empty with the rest on
  the title, and a count ("是一名软件工程师") or a bare kind of body ("公司联合创办人") is no organisation."""

from __future__ import annotations

import pytest

from kb.registry import Registry
from kb.textnorm import to_simplified
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at as _at


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(autouse=True)
def _rules(rules_only):  # the rules' own choices
    return None


@pytest.mark.parametrize(
    "body, anchor, starts",
    [
        ("黄仁勋在会上警告说，在全球性问题愈发复杂的今天，这种退步很危险。", "在全球性", "在全球性"),
        ("对于默许的说法，扎克伯格也直接否认，说那种行为本来就是违法的。", "那种行为", "那种行为"),
        ("不少网友在社交平台吐槽，称原本顺手的办公工具突然成了系统卡顿的元凶。", "原本顺手", "原本顺手"),
        ("有网友反映称，宝宝巴士App进入后会跳出成人广告。", "宝宝巴士", "宝宝巴士"),
        # an idiom that opens what was said stays in it
        ("马斯克回应，说白了这次降价只是一种营销手段。", "白了这次", "说白了"),
    ],
)
def test_a_second_word_of_saying_belongs_to_the_cue(registry, body, anchor, starts):
    for t, sts in _both(body, registry):
        s = _at(sts, t, anchor)
        assert s is not None and to_simplified(s.text).startswith(starts), (t, sts)


@pytest.mark.parametrize(
    "body, anchor, title, org",
    [
        (
            "研究第一作者卢卡斯·西顿指出，这种外流是目前记录中速度最快的一例。",
            "这种外流",
            "研究第一作者",
            None,
        ),
        (
            "项目负责人玛丽莉亚·萨马拉表示，气球的飞行高度约达到三百六十公里。",
            "气球的飞行",
            "项目负责人",
            None,
        ),
        ("退役宇航员丹尼·奥利瓦斯表示，隔热罩存在十分严重的问题。", "隔热罩存在", "退役宇航员", None),
        ("该校经济学教授罗伯托·塞拉诺透露，学校已经启动了内部调查。", "学校已经", "经济学教授", None),
        (
            "公司联合创办人兼首席技术官Tracey Wiedmeyer 表示，产品已经可以量产了。",
            "产品已经",
            "联合创办人兼首席技术官",
            None,
        ),
        # a real organisation before the title stays
        ("斯坦福大学教授李飞飞介绍，这款模型的训练成本降低了一半。", "这款模型", "教授", "斯坦福大学"),
    ],
)
def test_the_organisation_slot_holds_an_organisation(registry, body, anchor, title, org):
    for t, sts in _both(body, registry):
        s = _at(sts, t, anchor)
        assert s is not None and s.speaker_type == "person", (t, sts)
        assert s.title is not None and s.title.endswith(title[-3:]) and len(s.title) == len(title), (t, sts)
        assert (s.organization is None) == (org is None), (t, sts)

"""Round-17 attribution rules (session 22), each checked in simplified and traditional script on sentences
written for these tests:
- a view announced by a colon after a verb and its object ("…给出了…的愿景：…", "他用一句比喻说明这一点：…")
  is the words of the clause's subject, a group or a 他/她 as well as a name;
- 并称 with no comma before it, when what follows opens with 这/该/其/自 ("…并称这是…"), 后续 and 而且
  before a cue, and 强调了/承认了 + a noun phrase that carries a claim ("强调了…的基础性作用");
- 觉得 is a cue for a named person or a 他/她, never for a feeling caused ("让用户觉得") or a group's;
- a group counted loosely ("一群年轻人", "仍有数十人") is an unnamed source;
- a surname alone after a quote ("“…。”曹说") is the one person of that surname the article named."""

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
    "body, anchor, want",
    [
        (
            "在应用方面，研究团队给出了颇具想象空间的愿景：这种材料有望被用来保护各类精密设备。",
            "这种材料",
            (None, "unnamed"),
        ),
        (
            "王强介绍了新系统。他用一句形象的比喻说明这一点：成熟的系统就像一座已经建好的城市。",
            "成熟的系统",
            ("王强", "person"),
        ),
        (
            "李华在公司官网发布一段代码并称这是效仿谷歌的开源精神，代码可以自由使用。",
            "这是效仿",
            ("李华", "person"),
        ),
        ("彭博社后续披露：在危机之下，该公司暂停了其他产品的研发。", "在危机之下", ("彭博社", "media")),
        (
            "王强特别强调了电池在汽车领域的基础性作用，并透露目前全球大部分电池都由中国生产。",
            "电池在汽车",
            ("王强", "person"),
        ),
        (
            "即便拥有80颗核心，但李明还是觉得这款处理器性能差强人意，尤其是在单线程任务方面。",
            "这款处理器",
            ("李明", "person"),
        ),
        ("对于这项禁令，伦敦一群年轻人近日向路透表示，他们反对实施此类限制。", "他们反对", (None, "unnamed")),
    ],
)
def test_statements_now_found(registry, body, anchor, want):
    for t, sts in _both(body, registry):
        got = _who(sts, t, anchor)
        assert got is not None and (got[0] or None, got[1]) == want, (t, sts)


@pytest.mark.parametrize(
    "body, anchor",
    [
        ("新版界面让用户觉得操作更加顺手，评价普遍不错。", "操作更加"),
        ("这一结果强调了数据在研究中的重要性，也引发了新的讨论。", "数据在研究"),
    ],
)
def test_no_statement_where_no_one_speaks(registry, body, anchor):
    for t, sts in _both(body, registry):
        assert _who(sts, t, anchor) is None, (t, sts)


def test_a_surname_after_a_quote_is_the_person_named_before(registry):
    body = (
        "新加坡创业者曹嘉泰在当地经营一家电商公司。\n\n"
        "“外来公司失败，都是因为没能本地化。”曹说，他后来找到了当地的合伙人。"
    )
    for t, sts in _both(body, registry):
        got = _who(sts, t, "外来公司")
        assert got is not None and got[0] == "曹嘉泰", (t, sts)

"""Subjects of reporting clauses from the trained CRF tagger (kb/nlp/subjects.py, engineer A4): people
and organisations the word lists don't know, the guard against a guess the CRF reads as no name, and the
fallback to the rules alone when no model is trained (or KB_NER_CRF=off). Sentences written for these
tests; each is checked in simplified and traditional script."""

from __future__ import annotations

import pytest

from kb.nlp import subjects
from kb.registry import to_traditional
from tests.nlp_cases import both_scripts as _both
from tests.nlp_cases import statement_at as _at

# (text, anchor, speaker, type, title, organization)
CRF_CASES = [
    # a title the lists don't know, an abbreviated bank name
    ("工行行长李国华表示，传统网点的时代正在过去。", "传统网点", "李国华", "person", "行长", "工行"),
    # an organisation the lists don't know
    ("美国海军表示，已护送三艘油轮安全通过海峡。", "已护送", "美国海军", "organization", None, None),
    # the name ends before the time adverbial
    ("克里斯·怀特上个月写道，开源社区需要更多的维护者。", "开源社区", "克里斯·怀特", "person", None, None),
]


@pytest.mark.parametrize("body,anchor,speaker,typ,title,org", CRF_CASES)
def test_crf_subjects(crf, body, anchor, speaker, typ, title, org):
    for text, sts in _both(body):
        st = _at(sts, text, to_traditional(anchor) if text != body else anchor)
        assert st is not None, (text, [(s.speaker, s.cue) for s in sts])
        assert st.speaker == speaker and st.speaker_type == typ
        assert st.title == title and st.organization == org


def test_crf_copula_is_no_subject(crf):
    # "这是X首次披露…": X is the predicate's, not a reporting clause's subject
    for _text, sts in _both("这是路透社首次披露该名单的规模，名单上有一百多家公司。"):
        assert sts == []


def test_subject_parser_direct(crf):
    from kb.nlp.components import Context

    st = Context().finder.subjects
    text = "欧洲航天局局长约翰·施密特周五晚些时候表示，"
    sp = st.subject(text, 0, text.index("表示"), text.index("表示") + 2)
    assert sp is not None and sp.type == "person" and sp.name == "约翰·施密特"
    assert sp.title == "局长" and sp.org == "欧洲航天局"
    # the head must be the subject: an object after a preposition is not
    text2 = "对美国海军表示，"
    assert st.subject(text2, 0, text2.index("表示"), len(text2)) is None


def test_wish_cue_needs_its_own_subject():
    # "X希望，…" is a statement; "…，希望…" right after another clause is part of what came before
    for text, sts in _both("马克·斯通希望，新规则能在年底前落地。"):
        st = _at(sts, text, text[text.index("希望") + 3 :][:4])
        assert st is not None and st.speaker == "马克·斯通" and st.cue == "希望"
    for _text, sts in _both("他向厂家提出赔偿要求，希望对方给出一个说法。"):
        assert not [s for s in sts if s.cue == "希望"]


# -- the fallback: no model, the rules alone ---------------------------------------------------------


def test_switch_off_gives_no_tagger(rules_only):
    assert subjects.tagger() is None
    from kb.nlp.components import Context

    text = "工行行长李国华表示，"
    assert Context().finder.subjects.subject(text, 0, text.index("表示"), len(text)) is None


def test_fallback_rules_unchanged(rules_only):
    # a title the lists know works without the model …
    for text, sts in _both("董事长李国华表示，传统网点的时代正在过去。"):
        st = _at(sts, text, text[text.index("，") + 1 :][:4])
        assert st is not None and st.speaker == "李国华" and st.title in ("董事长",)
    # … one they don't know gives nothing (no guess; 行长 joined the lists in round 6, 司库 has not)
    for _text, sts in _both("工行司库李国华表示，传统网点的时代正在过去。"):
        assert sts == []


def test_fallback_keeps_rule_guess(rules_only):
    # without the model the rules' own parse stays as it was (the CRF trims it when present)
    for text, sts in _both("克里斯·怀特上个月写道，开源社区需要更多的维护者。"):
        st = _at(sts, text, text[text.index("，") + 1 :][:4])
        assert st is not None and (st.speaker or "").startswith("克里斯·怀特")


# -- frames (rules; they also work without the model) ------------------------------------------------


@pytest.mark.parametrize("switch", ["off", ""])
def test_frame_as_said_with_colon_quote(monkeypatch, switch):
    # "正如X所说的那样：“…”": the quote is X's own words
    monkeypatch.setenv("KB_NER_CRF", switch)
    for text, sts in _both("正如董事长李国华所说的那样：“我们不会为了速度牺牲质量。”"):
        st = _at(sts, text, text[text.index("“") + 1 :][:4])
        assert st is not None and st.speaker == "李国华" and st.kind == "direct"


@pytest.mark.parametrize("switch", ["off", ""])
def test_frame_view_holds(monkeypatch, switch):
    # "X的观点认为，…"
    monkeypatch.setenv("KB_NER_CRF", switch)
    for text, sts in _both("董事长李国华的观点认为，行业的寒冬还会持续一年。"):
        st = _at(sts, text, text[text.index("，") + 1 :][:4])
        assert st is not None and st.speaker == "李国华" and st.kind == "indirect"


@pytest.mark.parametrize("switch", ["off", ""])
def test_quote_split_by_its_cue(monkeypatch, switch):
    # "“…，”X周三发帖说。“…”": the second part is the same speaker's
    monkeypatch.setenv("KB_NER_CRF", switch)
    body = "“我们会继续投资，”董事长李国华周三在微博上发帖说。“明年的计划不会改变。”"
    for text, sts in _both(body):
        for anchor in (text[1:5], text[text.rindex("“") + 1 :][:4]):
            st = _at(sts, text, anchor)
            assert st is not None and st.speaker == "李国华" and st.kind == "direct", anchor

"""The antecedent ranker (kb/nlp/antecedents.py): the options it weighs, how it decides, and a real
training run on part of the gold set over the articles in ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.nlp import antecedents, extract
from kb.nlp.attribution import Mention
from kb.nlp.speakers import Speaker
from tests.conftest import shared

TEXT = "小米集团董事长雷军在发布会上表示，小米会继续投入芯片。对此，华为方面没有回应。他还说，价格不会上涨。"


def _ref(mention: str, type_: str = "ref_person") -> Speaker:
    pos = TEXT.index("他还说")
    return Speaker(pos, pos + len(mention), mention, type_)


def _mentions() -> list[Mention]:
    return [
        Mention(TEXT.index("小米集团"), TEXT.index("小米集团") + 4, "小米集团", "ORG"),
        Mention(TEXT.index("雷军"), TEXT.index("雷军") + 2, "雷军", "PERSON", title="董事长", org="小米集团"),
        Mention(TEXT.index("华为"), TEXT.index("华为") + 2, "华为", "ORG"),
        Mention(TEXT.index("价格"), TEXT.index("价格") + 2, "价格", "PERSON"),  # after the reference
    ]


def test_options_are_the_names_before_the_reference_of_a_fitting_kind() -> None:
    opts = antecedents.options(_ref("他"), _mentions(), [], [], None, None)
    assert [o.key for o in opts] == ["雷军"]  # people only for 他, nothing written after it, no 他 itself
    org_ref = Speaker(_ref("他").start, _ref("他").end, "该公司", "ref_org")
    assert {o.key for o in antecedents.options(org_ref, _mentions(), [], [], None, None)} == {
        "小米集团",
        "华为",
    }
    # a description that stands for someone may stand for no one named: the reference itself, unnamed
    src = _ref("该人士")
    keys = [o.key for o in antecedents.options(src, _mentions(), [], [], None, None)]
    assert keys == ["雷军", "SELF"]
    # the rules' own choice stays an option whatever its kind ("他" for a company's lawyer)
    hua = Speaker(TEXT.index("华为"), TEXT.index("华为") + 2, "华为", "organization", name="华为")
    assert "华为" in [o.key for o in antecedents.options(_ref("他"), _mentions(), [], [], None, hua)]


def test_features_mark_the_rules_choice_and_where_each_option_stands() -> None:
    ref = Speaker(_ref("他").start, _ref("他").end, "该公司", "ref_org")
    xiaomi = Speaker(0, 4, "小米集团", "organization", name="小米集团")
    opts = antecedents.options(ref, _mentions(), [], [], None, xiaomi)
    feats = antecedents.features(ref, opts, TEXT, xiaomi)
    by_key = {o.key: f for o, f in zip(opts, feats, strict=True)}
    assert by_key["小米集团"]["rule"] == 1 and by_key["华为"]["rule"] == 0
    assert by_key["华为"]["rank_all=<=0"] == 1  # named last
    assert by_key["小米集团"]["first_lead"] == 1 and by_key["华为"]["first_lead"] == 1
    assert by_key["小米集团"]["sent_start"] == 1


def test_the_ranker_abstains_below_its_threshold() -> None:
    r = antecedents.Ranker({"rule": 2.0, "samepara": 0.5}, bias=-1.5, threshold=-1.0)
    assert r.choose([{"rule": 0}, {"rule": 1}]) == 1
    assert r.choose([{"samepara": 0}, {"samepara": 1}]) == 1  # -1.5 < -1.0 <= -1.0
    assert r.choose([{"other": 1}]) is None
    assert r.choose([]) is None


def test_recording_leaves_the_rules_choice_in_place() -> None:
    rec: list[dict] = []
    token = antecedents.RECORD.set(rec)
    try:
        sts = extract(["雷军在发布会上表示，小米会继续投入。他还说，价格不会上涨。"])[0]
    finally:
        antecedents.RECORD.reset(token)
    assert [s.speaker for s in sts] == ["雷军", "雷军"]
    assert len(rec) == 1 and rec[0]["span"] == (sts[1].start, sts[1].end)
    opts, feats = rec[0]["options"], rec[0]["features"]
    assert [o.key for o, f in zip(opts, feats, strict=True) if f["rule"]] == ["雷军"]


def test_a_model_of_other_inputs_is_not_loaded(tmp_path: Path) -> None:
    p = tmp_path / "antecedents.json"
    meta = {
        "feature_version": antecedents.FEATURE_VERSION,
        "fingerprint": "other",
        "weights": {},
        "bias": 0.0,
    }
    p.write_text(json.dumps(meta), encoding="utf-8")
    assert antecedents.load(p) is None
    p.write_text(json.dumps(dict(meta, fingerprint=antecedents.fingerprint())), encoding="utf-8")
    assert isinstance(antecedents.load(p), antecedents.Ranker)
    p.write_text("{not json", encoding="utf-8")
    assert antecedents.load(p) is None


@pytest.mark.shared
def test_training_on_gold_articles_learns_and_cross_validates(tmp_path: Path) -> None:
    shared("feeds")
    from kb.eval.statements import GOLD, load_gold

    # the tuned articles of two batches, and one blind article that training must leave out
    gold = [g for g in load_gold(GOLD) if g.get("batch") in (15, 16)][:80]
    blind = next(g for g in load_gold(GOLD) if g.get("blind"))
    small = tmp_path / "gold.jsonl"
    small.write_text(
        "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold + [blind]), encoding="utf-8"
    )
    out = tmp_path / "antecedents.json"
    meta = antecedents.train(quiet=True, gold=small, out=out)
    assert meta is not None and out.is_file()
    assert meta["references"] >= 30 and meta["options"] > meta["references"]
    cv = meta["cross_validated"]
    assert sum(cv["rules"].values()) == sum(cv["ranker"].values()) == meta["references"]
    # what it learned: the rules' choice and a name written nearby count for an option
    assert meta["weights"]["rule"] > 0
    model = antecedents.load(out, gold=small)
    assert model is not None
    # a second run with the same inputs keeps the model
    assert antecedents.train(quiet=True, gold=small, out=out)["skipped"] is True  # type: ignore[index]
    # and the model is not current for the full gold set, trained from other articles
    assert antecedents.load(out) is None


def test_features_say_whether_an_option_fits_the_references_head() -> None:
    text = "FreeBSD 基金会与戴尔合作推出新工具。欧盟委员会随后介入调查。基金会强调，监管机构指出，"
    fb = Speaker(0, 11, "FreeBSD 基金会", "organization", name="FreeBSD 基金会")
    dell = Speaker(text.index("戴尔"), text.index("戴尔") + 2, "戴尔", "organization", name="戴尔")
    eu = Speaker(
        text.index("欧盟委员会"),
        text.index("欧盟委员会") + 5,
        "欧盟委员会",
        "organization",
        name="欧盟委员会",
    )
    history = [(fb.start, fb), (dell.start, dell), (eu.start, eu)]
    pos = text.index("基金会强调")
    ref = Speaker(pos, pos + 3, "基金会", "ref_org")
    opts = antecedents.options(ref, [], history, [], None, dell, text)
    feats = {o.key: f for o, f in zip(opts, antecedents.features(ref, opts, text, dell), strict=True)}
    assert feats["freebsd基金会"]["head_name"] == 1 and feats["戴尔"]["head_name"] == 0
    pos = text.index("监管机构")
    ref = Speaker(pos, pos + 4, "监管机构", "ref_org")
    opts = antecedents.options(ref, [], history, [], None, dell, text)
    feats = {o.key: f for o, f in zip(opts, antecedents.features(ref, opts, text, dell), strict=True)}
    assert feats["欧盟委员会"]["regulator"] == 1 and feats["戴尔"]["regulator"] == 0

"""Entity tagger: registry matches, titles, appositives, discovery patterns, speed."""

from __future__ import annotations

import time

import pytest

from kb.nlp.ner import EntitySpan, EntityTagger
from kb.registry import Registry
from kb.textnorm import to_simplified


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger(Registry.load())


def spans(tagger: EntityTagger, text: str) -> list[tuple[str, str, str | None]]:
    out = tagger.tag(text)
    for s in out:
        assert text[s.start : s.end] == s.text
    return [(s.text, s.label, s.entity_id) for s in out]


def apps(tagger: EntityTagger, text: str) -> list[tuple[str | None, str | None, str]]:
    return [(a.org and a.org.text, a.title and a.title.text, a.person.text) for a in tagger.appositives(text)]


def test_registry_people_and_companies(tagger: EntityTagger) -> None:
    got = spans(tagger, "小米集团董事长雷军在发布会上说，英伟达和OpenAI都在加大投入。")
    assert ("小米集团", "ORG", "xiaomi") in got
    assert ("董事长", "TITLE", None) in got
    assert ("雷军", "PERSON", "lei-jun") in got
    assert ("英伟达", "ORG", "nvidia") in got and ("OpenAI", "ORG", "openai") in got


def test_media_and_organisation_speakers(tagger: EntityTagger) -> None:
    got = spans(tagger, "据日经新闻报道，The Information称字节跳动方面回应称")
    assert ("日经新闻", "MEDIA", "nikkei") in got
    assert ("The Information", "MEDIA", "the-information") in got
    assert ("字节跳动", "ORG", "bytedance") in got


def test_traditional_input_after_simplification(tagger: EntityTagger) -> None:
    text = to_simplified("輝達創始人黃仁勳表示")
    got = spans(tagger, text)
    assert ("黄仁勋", "PERSON", "jensen-huang") in got and ("辉达", "ORG", "nvidia") in got


def test_appositive_discovers_person_company_title(tagger: EntityTagger) -> None:
    assert apps(tagger, "阶跃星辰创始人姜大昕表示，价格战没有意义。") == [("阶跃星辰", "创始人", "姜大昕")]
    assert apps(tagger, "据悉，星河动力科技创始人张三丰认为行业会洗牌。") == [
        ("星河动力科技", "创始人", "张三丰")
    ]
    got = spans(tagger, "据悉，星河动力科技创始人张三丰认为行业会洗牌。")
    assert ("张三丰", "PERSON", None) in got and ("星河动力科技", "ORG", None) in got


def test_combined_titles_and_english_names(tagger: EntityTagger) -> None:
    assert apps(tagger, "商汤科技联合创始人兼首席科学家王晓刚指出") == [
        ("商汤科技", "联合创始人兼首席科学家", "王晓刚")
    ]
    assert apps(tagger, "MiniMax CEO闫俊杰") == [("MiniMax", "CEO", "闫俊杰")]
    assert apps(tagger, "Eaze CEO Keith McCarty表示") == [("Eaze", "CEO", "Keith McCarty")]
    assert apps(tagger, "KEEN公司CEO王琦表示") == [("KEEN公司", "CEO", "王琦")]


def test_two_and_three_character_names(tagger: EntityTagger) -> None:
    assert apps(tagger, "某某银行行长王强表示")[0][2] == "王强"
    assert apps(tagger, "某某银行行长王大强表示")[0][2] == "王大强"
    assert apps(tagger, "该公司CEO欧阳明称")[0][2] == "欧阳明"


def test_name_before_cue_and_dot_names(tagger: EntityTagger) -> None:
    got = spans(tagger, "彭小军认为，现在走的是台湾的发卡模式。")
    assert ("彭小军", "PERSON", None) in got
    got = spans(tagger, "迈克尔·乔丹出席了活动")
    assert ("迈克尔·乔丹", "PERSON", None) in got


def test_no_false_entities_in_plain_text(tagger: EntityTagger) -> None:
    text = "人工智能正在改变互联网行业，国内银行也在加大投入，8个字节的数据。"
    got = spans(tagger, text)
    assert not [g for g in got if g[1] in ("PERSON", "ORG")], got


def test_ascii_boundaries(tagger: EntityTagger) -> None:
    got = spans(tagger, "Metadata and ARMY are not companies, but Meta is.")
    assert [g for g in got if g[1] == "ORG"] == [("Meta", "ORG", "meta")]


def test_span_type(tagger: EntityTagger) -> None:
    s = tagger.tag("雷军说")[0]
    assert isinstance(s, EntitySpan) and (s.start, s.end, s.label) == (0, 2, "PERSON")


def test_speed(tagger: EntityTagger) -> None:
    sents = [
        "阶跃星辰创始人姜大昕表示，价格战没有意义，行业需要理性竞争。",
        "据日经新闻报道，英伟达将在中国推出新款芯片，黄仁勋对此未予置评。",
        "业内人士认为，大模型价格战还将持续一段时间，中小公司压力很大。",
    ] * 400
    t = time.perf_counter()
    for s in sents:
        tagger.tag(s)
    rate = len(sents) / (time.perf_counter() - t)
    assert rate > 1000, rate

"""Statement extraction: one short sentence per construction (written for these tests), plus
properties that must hold for any input (offsets inside the article, text == original slice)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.nlp import extract, get_nlp
from kb.registry import Entity, Registry, Role, to_traditional
from kb.textnorm import to_simplified


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry(
        [
            Entity(
                "wang-xiaochuan",
                "person",
                "王小川",
                "Wang Xiaochuan",
                ["王小川"],
                [Role("baichuan", "创始人兼CEO", "2023-04", None)],
            ),
            Entity("baichuan", "company", "百川智能", "Baichuan AI", ["百川智能", "百川"]),
            Entity(
                "lei-jun", "person", "雷军", "Lei Jun", ["雷军"], [Role("xiaomi", "董事长", "2010", None)]
            ),
            Entity("xiaomi", "company", "小米集团", "Xiaomi", ["小米集团", "小米"]),
            Entity("nvidia", "company", "英伟达", "Nvidia", ["英伟达", "NVIDIA"]),
            Entity("nikkei", "media", "日经新闻", "Nikkei", ["日经新闻", "日经"]),
        ]
    )


def one(text: str, registry: Registry | None = None) -> list:
    return extract([text], registry=registry)[0]


def test_reported_speech_with_cue(reg: Registry) -> None:
    (s,) = one("王小川在接受记者采访时表示，创业公司不应该参与价格战。", reg)
    assert (s.speaker, s.speaker_type, s.kind, s.cue) == ("王小川", "person", "indirect", "表示")
    assert s.text == "创业公司不应该参与价格战"
    assert s.speaker_id == "wang-xiaochuan"


@pytest.mark.parametrize(
    "cue", ["认为", "指出", "透露", "坦言", "强调", "直言", "对记者表示", "告诉记者", "回应称", "预计"]
)
def test_cue_table(cue: str, reg: Registry) -> None:
    (s,) = one(f"王小川{cue}，大模型的推理成本每年都会下降。", reg)
    assert s.speaker == "王小川" and s.cue == cue
    assert s.text.startswith("大模型的推理成本")


def test_registry_role_on_date(reg: Registry) -> None:
    from datetime import date

    (s,) = extract(["王小川表示，纯API的商业模式很难成立。"], [date(2024, 5, 20)], registry=reg)[0]
    assert s.title == "创始人兼CEO" and s.organization == "百川智能"


def test_appositive_roles() -> None:
    cases = {
        "月之暗面创始人杨植麟表示，长文本是通往通用智能的关键。": ("杨植麟", "创始人", "月之暗面"),
        "MiniMax CEO闫俊杰认为，模型能力仍在快速提升。": ("闫俊杰", "CEO", "MiniMax"),
        "商汤科技联合创始人兼首席科学家王晓刚指出，算力是瓶颈。": (
            "王晓刚",
            "联合创始人兼首席科学家",
            "商汤科技",
        ),
        "小米集团董事长雷军表示，今年会继续加大研发投入。": ("雷军", "董事长", "小米集团"),
        "Eaze CEO Keith McCarty表示，监管正在变得更清晰。": ("Keith McCarty", "CEO", "Eaze"),
    }
    for text, (name, title, org) in cases.items():
        (s,) = one(text)
        assert (s.speaker, s.title, s.organization, s.speaker_type) == (name, title, org, "person"), text


def test_frames() -> None:
    (s,) = one("在李明看来，补贴大战不可持续。")
    assert (s.speaker, s.cue, s.text) == ("李明", "看来", "补贴大战不可持续")
    (s,) = one("据张伟介绍，新工厂明年投产。")
    assert (s.speaker, s.text) == ("张伟", "新工厂明年投产")


def test_direct_quotes_before_after_and_marks() -> None:
    sts = one("“我们不会参与价格战。”王小川说。")
    assert [(s.speaker, s.kind, s.text) for s in sts] == [("王小川", "direct", "我们不会参与价格战")]
    for o, c in (("「", "」"), ("『", "』"), ("“", "”"), ('"', '"')):
        (s,) = one(f"李明表示：{o}这个市场还很大。{c}")
        assert (s.speaker, s.kind, s.text) == ("李明", "direct", "这个市场还很大")


def test_quote_split_by_speaker() -> None:
    sts = one("“这是一款不错的产品，”李明在发布会上表示，“但价格还是太高。”")
    assert [(s.speaker, s.text) for s in sts] == [("李明", "这是一款不错的产品"), ("李明", "但价格还是太高")]


def test_multi_paragraph_quote() -> None:
    text = "李明说：“第一段话还没有说完。\n\n“第二段继续讲下去。”"
    (s,) = one(text)
    assert s.kind == "direct" and s.text.startswith("第一段") and s.text.endswith("讲下去")


def test_block_quote_after_colon() -> None:
    (s,) = one("李明在博客中写道：\n\n我们必须坚持长期投入，这件事没有捷径。")
    assert (s.speaker, s.kind) == ("李明", "direct") and s.text.startswith("我们必须")


def test_pronoun_resolution_and_unnamed_antecedent() -> None:
    sts = one("张伟认为，价格战会持续。他还表示，公司不会跟进。")
    assert [s.speaker for s in sts] == ["张伟", "张伟"]
    sts = one("一位不愿透露姓名的芯片公司高管透露，交付将推迟。他表示，原因是产能不足。")
    assert all(s.speaker is None and s.anonymous and s.speaker_type == "unnamed" for s in sts)
    assert sts[0].speaker_mention == "一位不愿透露姓名的芯片公司高管"


def test_reference_to_previous_unnamed_source_not_named_person() -> None:
    text = "有网友称，这款手机太贵。段永平回复称，价格合理。该网友随后反驳。他认为，这不是合理的价格。"
    sts = one(text)
    assert [s.speaker for s in sts] == [None, "段永平", None]


@pytest.mark.parametrize("src", ["业内人士", "一位接近该公司的人士", "知情人士", "上述人士"])
def test_unnamed_sources(src: str) -> None:
    sts = one(f"{src}表示，这笔交易已经完成。")
    assert sts and sts[-1].speaker is None and sts[-1].speaker_type == "unnamed" and sts[-1].anonymous


def test_organisation_and_media_speakers(reg: Registry) -> None:
    (s,) = one("英伟达官方表示，新芯片将在下季度发货。", reg)
    assert (s.speaker, s.speaker_type, s.speaker_id) == ("英伟达", "organization", "nvidia")
    (s,) = one("字节跳动方面回应称，该消息不实。")
    assert (s.speaker, s.speaker_type) == ("字节跳动", "organization")
    (s,) = one("据日经新闻报道，台积电将在日本建第二座工厂。", reg)
    assert (s.speaker, s.speaker_type) == ("日经新闻", "media")
    (s,) = one("The Information称，OpenAI正在训练新模型。")
    assert (s.speaker, s.speaker_type) == ("The Information", "media")


def test_company_reference_resolves_to_article_company(reg: Registry) -> None:
    sts = one("小米集团发布了第二季度财报。公司在公告中称，营收同比增长。", reg)
    assert [(s.speaker, s.speaker_type) for s in sts] == [("小米集团", "organization")]


def test_no_statement_from_headline_or_plain_narrative() -> None:
    assert one("王小川谈价格战") == []
    assert one("苹果周二发布了新款笔记本电脑，售价不变。") == []
    assert one("对于创业公司来说，这是一个机会。") == []


def test_traditional_script_gives_same_statements(reg: Registry) -> None:
    simp = "小米集团董事长雷军表示，今年会继续加大研发投入。“我们对市场很有信心。”他说。"
    trad = to_traditional(simp)
    assert trad != simp
    a, b = one(simp, reg), one(trad, reg)
    assert [(s.speaker, s.start, s.end, s.kind, s.title) for s in a] == [
        (s.speaker, s.start, s.end, s.kind, s.title) for s in b
    ]
    assert all(s.text == trad[s.start : s.end] for s in b)


def test_pipeline_order_and_registry_words(reg: Registry) -> None:
    nlp = get_nlp(reg)
    assert nlp.pipe_names == ["kb_entities", "kb_quotes", "kb_speech", "kb_coref", "kb_attribution"]
    assert "王小川" in [t.text for t in nlp("王小川表示，价格战没有意义。")]


_alphabet = st.sampled_from(
    list('王李说表示认为称，。：“”「」"他她其公司的了是在一位人士网友苹果漢語發表講話\n 　ABC123')
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(_alphabet, max_size=120) | st.text(max_size=80))
def test_offsets_always_inside_and_text_is_original_slice(text: str) -> None:
    for s in one(text):
        assert 0 <= s.start < s.end <= len(text)
        assert s.text == text[s.start : s.end]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_t2s_keeps_offsets(text: str) -> None:
    assert len(to_simplified(text)) == len(text)

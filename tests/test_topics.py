"""The topic taxonomy, name resolution in any language, and the tagger's logic (fake embedder:
keywords only, since similarity thresholds are calibrated per real model)."""

from __future__ import annotations

import pytest

from kb.embed.fake import FakeEmbedder
from kb.errors import KbError
from kb.records import Statement
from kb.topics import TopicTagger, annotate, find_topic, load_taxonomy, topic_mentions

REQUIRED = {"pricing", "open_source", "compute", "funding", "regulation", "applications", "business_model",
            "competition", "talent", "cloud", "hardware", "overseas"}  # fmt: skip


def test_taxonomy_is_complete() -> None:
    topics = load_taxonomy()
    assert REQUIRED <= {t.id for t in topics}
    for t in topics:
        assert t.label_zh and t.label_en and t.proposition_zh and t.proposition_en
        assert t.keywords and t.aliases
        assert 3 <= len(t.examples) <= 10  # compute carries extra examples for its reworded proposition
        assert {e["stance"] for e in t.examples} <= {"for", "against", "neutral", "mixed"}


@pytest.mark.parametrize(
    ("name", "topic"),
    [("价格战", "pricing"), ("pricing", "pricing"), ("Price War", "pricing"), ("open source", "open_source"),
     ("开源", "open_source"), ("開源", "open_source"), ("Open-Source", "open_source"), ("算力", "compute"),
     ("出海", "overseas"), ("cloud_computing", "cloud"), ("open_source", "open_source")],
)  # fmt: skip
def test_find_topic_any_language(name: str, topic: str) -> None:
    assert find_topic(name) == topic


def test_unknown_topic_suggests() -> None:
    with pytest.raises(KbError, match="did you mean"):
        find_topic("pricng")
    assert find_topic("weather", strict=False) is None


def test_topic_mentions_in_query() -> None:
    got = topic_mentions("Robin Li on open source since May")
    assert [(t, s, e) for t, s, e in got] == [("open_source", 12, 23)]
    assert [t for t, _, _ in topic_mentions("王小川 价格战")] == ["pricing"]
    assert topic_mentions("Parallels carries no topic") == []  # "ar" is not a word here


def test_tagger_keywords_with_fake_embedder() -> None:
    emb = FakeEmbedder()
    tagger = TopicTagger(emb)
    assert tagger.mode == "keyword"  # uncalibrated model: keywords only
    texts = ["大模型价格战愈演愈烈，降价不可持续", "英伟达的GPU供不应求", "今天天气很好"]
    tags = tagger.tag(texts, emb.embed_passages(texts))
    assert tags[0][0][0] == "pricing"
    assert "compute" in [t for t, _ in tags[1]]
    assert tags[2] == []


def test_annotate_sets_topics_and_stances() -> None:
    emb = FakeEmbedder()
    stmts = [
        Statement(
            text=t,
            start=0,
            end=len(t),
            kind="indirect",
            cue="表示",
            speaker=None,
            speaker_mention="x",
            speaker_type="person",
        )  # fmt: skip
        for t in ["我们不会参与價格戰，降价只会烧钱", "今天天气很好"]
    ]
    annotate(stmts, emb.embed_passages([s.text for s in stmts]), emb)
    assert stmts[0].topics[0] == "pricing"
    assert set(stmts[0].stances) == set(stmts[0].topics)
    assert stmts[0].stance == stmts[0].stances["pricing"]
    assert stmts[0].stance in {"for", "against", "neutral", "mixed"}
    assert stmts[1].topics == [] and stmts[1].stance is None and stmts[1].stances == {}
    annotate([], None, emb)  # nothing to do is fine

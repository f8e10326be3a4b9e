"""Stance: the NLPCC reader and metric, cue features, the model's save/load and the fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb.embed.fake import FakeEmbedder
from kb.stance import (
    Example,
    StanceModel,
    cue_features,
    nlpcc_score,
    nlpcc_target,
    read_nlpcc,
    taxonomy_examples,
    train,
)  # fmt: skip


def test_nlpcc_metric_ignores_none() -> None:
    gold = ["FAVOR", "AGAINST", "NONE", "FAVOR"]
    pred = ["FAVOR", "AGAINST", "FAVOR", "NONE"]
    s = nlpcc_score(gold, pred)
    assert s["f1_against"] == 1.0
    assert s["f1_favor"] == pytest.approx(0.5)
    assert s["score"] == pytest.approx(0.75)


def test_nlpcc_reader_handles_bom_quotes_and_target_names(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_text('\ufeffID\tTARGET\tTEXT\tSTANCE\n1\tIphoneSE\t好看\tFAVOR\n2\t深圳禁摩限电\t"两行\n文字"\tAGAINST\n'
                 "3\t开放二胎\t没标注\t\n", encoding="utf-8")  # fmt: skip
    rows = read_nlpcc(p)
    assert [(r.target, r.text, r.stance) for r in rows] == [("iPhone SE", "好看", "FAVOR"),
                                                            ("深圳禁摩限电", "两行\n文字", "AGAINST")]  # fmt: skip
    assert nlpcc_target("俄罗斯在叙利亚的反恐行动") == nlpcc_target("俄罗斯叙利亚反恐行动")


def test_cue_features_see_polarity() -> None:
    assert cue_features("我们支持降价")[0] > 0
    assert cue_features("价格战不可持续")[1] > 0
    assert cue_features("但是")[2] > 0


def test_model_trains_predicts_and_roundtrips(tmp_path: Path) -> None:
    emb = FakeEmbedder()
    ex = taxonomy_examples()
    assert len(ex) >= 36
    model = train(emb, ex)
    texts = [e.text for e in ex]
    pred = model.predict(texts, emb.embed_passages(texts), [e.topic for e in ex])
    # the training examples themselves are mostly recovered
    assert np.mean([p == e.stance for p, e in zip(pred, ex, strict=True)]) > 0.7
    model.save(tmp_path / "m.pkl")
    again = StanceModel.load(tmp_path / "m.pkl")
    assert again.predict(texts[:3], emb.embed_passages(texts[:3]), [e.topic for e in ex[:3]]) == pred[:3]


def test_untrained_model_says_neutral() -> None:
    m = StanceModel("fake", ["pricing"]).fit([Example("a", "pricing", "for")], np.zeros((1, 64)))
    assert m.predict(["x"], np.zeros((1, 64)), ["pricing"]) == ["neutral"]


def test_concessive_main_clause_carries_the_stance() -> None:
    from kb.stance import main_clause

    text = "尽管开源会带来安全挑战，但开放权重对整个生态至关重要。"
    assert main_clause(text) == "开放权重对整个生态至关重要。"
    assert main_clause("开源很重要。") == "开源很重要。"
    f = cue_features(text)
    assert f[8] == 1.0  # concessive
    assert f[9] > 0  # the main clause argues for


def test_negation_flips_cues() -> None:
    from kb.stance import polarity_counts

    assert polarity_counts("我们看好降价") == (1, 0)
    assert polarity_counts("我们不看好降价") == (0, 1)  # counted once, as doubt
    assert polarity_counts("他否认AI存在泡沫") == (1, 0)
    assert polarity_counts("这不会带来风险")[0] >= 1


def test_abstention_turns_unsure_sides_into_neutral() -> None:
    m = StanceModel("fake", ["pricing"], threshold=0.6)
    probs = np.array([[0.55, 0.45], [0.7, 0.3], [0.2, 0.8]])
    assert m.decide(["for", "neutral"], probs) == ["neutral", "for", "neutral"]
    assert m.decide(["for", "neutral"], probs, threshold=0.0) == ["for", "for", "neutral"]


def test_mixed_needs_its_own_higher_threshold() -> None:
    m = StanceModel("fake", ["pricing"], threshold=0.5, mixed_threshold=0.6)
    probs = np.array([[0.55, 0.45, 0.0], [0.65, 0.35, 0.0], [0.0, 0.45, 0.55]])
    assert m.decide(["mixed", "neutral", "for"], probs) == ["neutral", "mixed", "for"]


def test_macro_f1_3_leaves_mixed_out() -> None:
    from kb.eval.stance import f1_table, macro_f1_3

    tab = f1_table(["for", "neutral", "mixed"], ["for", "neutral", "neutral"])
    # against is absent from both (F1 0); mixed is left out of the 3-class mean but not of macro_f1
    assert macro_f1_3(tab) == pytest.approx((1.0 + 0.0 + 2 / 3) / 3)
    assert tab["macro_f1"] == pytest.approx((1.0 + 0.0 + 2 / 3) / 3)

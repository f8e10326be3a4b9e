"""The trained CRF tagger (kb/nlp/ner_crf.py) on a tiny model trained here from sentences written for
this test (a few seconds), its cache/staleness logic and the fallback to the rule tagger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.nlp import ner_crf
from kb.nlp.ner_crf import features, load, spans_to_tags, tag_or_rules, tags_to_spans, train

# (text, {label: [mention, …]}): offsets are computed below, so the sentences stay readable.
SENTENCES = [
    ("小米集团董事长雷军表示，今年将继续加大研发投入。", {"company": ["小米集团"], "position": ["董事长"], "name": ["雷军"]}),
    ("星海科技首席执行官张明远认为，芯片行业需要耐心。", {"company": ["星海科技"], "position": ["首席执行官"], "name": ["张明远"]}),
    ("蓝鲸银行行长刘振东指出，贷款需求正在恢复。", {"company": ["蓝鲸银行"], "position": ["行长"], "name": ["刘振东"]}),
    ("北辰软件创始人陈静说，团队已经扩大到三百人。", {"company": ["北辰软件"], "position": ["创始人"], "name": ["陈静"]}),
    ("记者从华东大学了解到，新校区明年启用。", {"organization": ["华东大学"]}),
    ("今天天气很好，我们去公园散步。", {}),
    ("云帆集团总裁王立新透露，公司计划明年上市。", {"company": ["云帆集团"], "position": ["总裁"], "name": ["王立新"]}),
    ("青松证券分析师赵一鸣预计，市场将保持震荡。", {"company": ["青松证券"], "position": ["分析师"], "name": ["赵一鸣"]}),
]  # fmt: skip


def cluener_obj(text: str, labels: dict[str, list[str]]) -> dict:
    out: dict[str, dict[str, list[list[int]]]] = {}
    for label, mentions in labels.items():
        for m in mentions:
            s = text.index(m)
            out.setdefault(label, {})[m] = [[s, s + len(m) - 1]]  # CLUENER: end included
    return {"text": text, "label": out}


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KB_CACHE", str(tmp_path / "cache"))
    ner_crf._load_default.cache_clear()
    yield tmp_path / "cache"
    ner_crf._load_default.cache_clear()


@pytest.fixture
def train_file(tmp_path) -> Path:  # type: ignore[no-untyped-def]
    f = tmp_path / "train.json"
    f.write_text(
        "\n".join(json.dumps(cluener_obj(t, lab), ensure_ascii=False) for t, lab in SENTENCES), "utf-8"
    )
    return f


def test_tags_round_trip() -> None:
    spans = [(0, 4, "company"), (4, 7, "position"), (7, 9, "name")]
    tags = spans_to_tags(12, spans)
    assert tags == ["B-company", "I-company", "I-company", "E-company", "B-position", "I-position",
                    "E-position", "B-name", "E-name", "O", "O", "O"]  # fmt: skip
    assert spans_to_tags(3, [(1, 2, "name"), (0, 3, "book")]) == ["B-book", "I-book", "E-book"]
    assert spans_to_tags(2, [(1, 2, "name")]) == ["O", "S-name"]
    assert tags_to_spans(tags) == spans
    # a stray I- opens a span; a label change closes one
    assert tags_to_spans(["I-name", "I-name", "I-company", "O"]) == [(0, 2, "name"), (2, 3, "company")]
    # BIOES decodes too
    tags = ["B-name", "E-name", "S-company", "O", "B-game", "I-game", "E-game", "E-book"]
    assert tags_to_spans(tags) == [(0, 2, "name"), (2, 3, "company"), (4, 7, "game"), (7, 8, "book")]


def test_features_keep_offsets_in_both_scripts() -> None:
    simp, trad = "商汤科技联合创始人王晓刚说", "商湯科技聯合創始人王曉剛說"
    fs, ft = features(simp), features(trad)
    assert len(fs) == len(simp) and len(ft) == len(trad)
    assert fs == ft  # features are computed on the simplified text
    assert "sfx=科技" in fs[3]
    assert features("") == []


def test_no_model_falls_back_to_rules(cache: Path) -> None:
    assert load() is None
    spans = tag_or_rules("小米集团董事长雷军表示，今年将继续加大研发投入。")
    assert (7, 9, "name") in spans and (4, 7, "position") in spans


def test_train_without_train_file(cache: Path, tmp_path: Path) -> None:
    assert train(tmp_path / "absent.json") is None
    assert load() is None


def test_train_tag_and_staleness(cache: Path, train_file: Path) -> None:
    meta = train(train_file, max_iterations=60)
    assert meta is not None and not meta.get("skipped")
    assert meta["sentences"] == len(SENTENCES) and meta["feature_version"] == ner_crf.FEATURE_VERSION
    assert (cache / "kb" / "models" / "ner-crf" / "model.crfsuite").is_file()

    tagger = load()
    assert tagger is not None and {"name", "company", "position"} <= set(tagger.labels)
    text = "星海科技首席执行官张明远认为，芯片行业需要耐心。"
    spans = tagger.tag(text)
    assert spans == [(0, 4, "company"), (4, 9, "position"), (9, 12, "name")]
    assert [text[s:e] for s, e, _ in spans] == ["星海科技", "首席执行官", "张明远"]
    # traditional script: same offsets
    assert tagger.tag("星海科技首席執行官張明遠認為，晶片行業需要耐心。") == spans
    assert tagger.tag("") == []
    # the default tagger is the trained one now
    assert tag_or_rules(text) == spans

    # current: a second call does not retrain; other parameters or another feature version do
    assert train(train_file, max_iterations=60)["skipped"] is True  # type: ignore[index]
    assert not train(train_file, max_iterations=61).get("skipped")  # type: ignore[union-attr]
    meta = json.loads((cache / "kb" / "models" / "ner-crf" / "meta.json").read_text("utf-8"))
    assert meta["max_iterations"] == 61 and meta["max_rss_mb"] > 0
    (cache / "kb" / "models" / "ner-crf" / "meta.json").write_text(
        json.dumps({**meta, "feature_version": "old"}), "utf-8"
    )
    assert load() is None  # a model of another feature version is not used
    again = train(train_file, max_iterations=20)
    assert again is not None and not again.get("skipped")
    assert load() is not None
    # a model trained with other gazetteers (the registry has grown since) is trained again
    assert train(train_file, max_iterations=20)["skipped"] is True  # type: ignore[index]
    meta = json.loads((cache / "kb" / "models" / "ner-crf" / "meta.json").read_text("utf-8"))
    (cache / "kb" / "models" / "ner-crf" / "meta.json").write_text(
        json.dumps({**meta, "gazetteer_sha256": "an older registry"}), "utf-8"
    )
    assert not train(train_file, max_iterations=20).get("skipped")  # type: ignore[union-attr]


def test_eval_uses_the_trained_tagger(cache: Path, train_file: Path) -> None:
    from kb.eval.ner import evaluate

    assert evaluate(train_file)["tagger"].startswith("rules (no trained model")
    train(train_file, max_iterations=60)
    res = evaluate(train_file)
    assert res["tagger"].startswith("crf") and list(res["configs"]) == ["crf", "registry+patterns"]
    rows = {r["label"]: r for r in res["configs"]["crf"]}
    assert rows["micro"]["f1"] == 1.0 and rows["micro"]["gold"] == 18
    assert rows["organization"]["gold"] == 1 and "micro-all" in rows
    assert "crf" not in evaluate(train_file, use_crf=False)["configs"]

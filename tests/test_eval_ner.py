"""Floors for `kb eval ner` on CLUENER dev (skips when ../shared is absent). Floors only go up.

Measured (registry + patterns; + train lexicons) F1: name 35.7 / 44.2, company 24.2 / 20.6,
position 50.1 / 67.5. The trained CRF (kb/nlp/ner_crf.py; its floors apply only when set-up has
trained and cached it): see CRF_FLOORS. BERT-base on dev: 88.3 / 83.9 / 81.1.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.eval.ner import evaluate
from kb.nlp.ner_crf import load
from tests.conftest import shared

FLOORS = {
    "registry+patterns": {"name": 0.33, "company": 0.22, "position": 0.47, "micro": 0.35},
    "+train lexicons": {"name": 0.41, "company": 0.19, "position": 0.64, "micro": 0.43},
}


# Measured (crf-4: BIOES, c1 0.05, c2 0.3, 100 iterations): name 81.4, company 77.9, position 76.5,
# micro 78.7, all ten labels 74.0 (BiLSTM-CRF on the test set: 70.0 over all ten); ~30k chars/s on
# a busy core.
CRF_FLOORS = {"name": 0.79, "company": 0.76, "position": 0.74, "micro": 0.77, "micro-all": 0.72}
CRF_MIN_CHARS_PER_S = 5000  # dev is tagged one sentence at a time


def test_cluener_floors() -> None:
    dev = shared("cluener", "dev.json")
    res = evaluate(dev, dev.with_name("train.json"), use_crf=False)
    assert res["tagger"] == "rules (--rules)" and "crf" not in res["configs"]
    assert res["sentences"] == 1343
    for cfg, floors in FLOORS.items():
        rows = {r["label"]: r for r in res["configs"][cfg]}
        for label, floor in floors.items():
            assert rows[label]["f1"] >= floor - 0.005, (cfg, label, rows[label])


def test_crf_floors() -> None:
    dev = shared("cluener", "dev.json")
    if load() is None:
        pytest.skip(
            "no trained NER model cached (scripts/setup.sh trains it: python -m kb.nlp.ner_crf train)"
        )
    res = evaluate(dev)
    assert res["tagger"].startswith("crf")
    rows = {r["label"]: r for r in res["configs"]["crf"]}
    # every CLUENER label is scored, not only the three the rules know
    assert {"organization", "government", "address", "game", "book", "movie", "scene"} <= set(rows)
    for label, floor in CRF_FLOORS.items():
        assert rows[label]["f1"] >= floor - 0.005, (label, rows[label])
    # and it beats the rules on each of the three labels
    rules = {r["label"]: r for r in res["configs"]["registry+patterns"]}
    assert all(rows[x]["f1"] > rules[x]["f1"] for x in ("name", "company", "position"))
    assert res["chars_per_s"]["crf"] >= CRF_MIN_CHARS_PER_S


def test_cli_json(home) -> None:  # type: ignore[no-untyped-def]
    dev = shared("cluener", "dev.json")
    r = CliRunner().invoke(
        cli, ["eval", "ner", "--cluener", str(dev), "--rules", "--no-train", "--limit", "200", "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert {x["label"] for x in rows} == {"name", "company", "position", "micro"}
    assert all(x["config"] == "registry+patterns" and x["sentences"] == 200 for x in rows)
    assert all(x["tagger"] == "rules (--rules)" and x["chars_per_s"] > 0 for x in rows)


def test_cli_says_which_tagger(home) -> None:  # type: ignore[no-untyped-def]
    dev = shared("cluener", "dev.json")
    r = CliRunner().invoke(cli, ["eval", "ner", "--cluener", str(dev), "--no-train", "--limit", "50"])
    assert r.exit_code == 0, r.output
    first = r.output.splitlines()[0]
    if load() is None:
        assert first.startswith("tagger: rules (no trained model")
    else:
        assert first.startswith("tagger: crf") and "\ncrf  (50 sentences" in r.output
    assert "registry+patterns  (50 sentences" in r.output


def test_reads_own_fixture(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "mini.json"
    objs = [
        {
            "text": "阶跃星辰创始人姜大昕表示",
            "label": {
                "company": {"阶跃星辰": [[0, 3]]},
                "position": {"创始人": [[4, 6]]},
                "name": {"姜大昕": [[7, 9]]},
            },
        },
        {"text": "雷军说", "label": {"name": {"雷军": [[0, 1]]}}},
    ]
    f.write_text("\n".join(json.dumps(o, ensure_ascii=False, indent=2) for o in objs), encoding="utf-8")
    res = evaluate(f, use_crf=False)
    micro = {r["label"]: r for r in res["configs"]["registry+patterns"]}["micro"]
    assert micro["f1"] == 1.0 and micro["gold"] == 4

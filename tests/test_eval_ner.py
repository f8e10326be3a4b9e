"""Floors for `kb eval ner` on CLUENER dev (skips when ../shared is absent). Floors only go up.

Measured (registry + patterns; + train lexicons) F1: name 35.4 / 43.8, company 24.1 / 20.6,
position 49.8 / 67.3. BERT-base on dev: 88.3 / 83.9 / 81.1 — see kb/eval/ner.py for the gap.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from kb.cli import cli
from kb.eval.ner import evaluate
from tests.conftest import shared

FLOORS = {
    "registry+patterns": {"name": 0.33, "company": 0.22, "position": 0.47, "micro": 0.35},
    "+train lexicons": {"name": 0.41, "company": 0.19, "position": 0.64, "micro": 0.43},
}


def test_cluener_floors() -> None:
    dev = shared("cluener", "dev.json")
    res = evaluate(dev, dev.with_name("train.json"))
    assert res["sentences"] == 1343
    for cfg, floors in FLOORS.items():
        rows = {r["label"]: r for r in res["configs"][cfg]}
        for label, floor in floors.items():
            assert rows[label]["f1"] >= floor - 0.005, (cfg, label, rows[label])


def test_cli_json(home) -> None:  # type: ignore[no-untyped-def]
    dev = shared("cluener", "dev.json")
    r = CliRunner().invoke(
        cli, ["eval", "ner", "--cluener", str(dev), "--no-train", "--limit", "200", "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert {x["label"] for x in rows} == {"name", "company", "position", "micro"}
    assert all(x["config"] == "registry+patterns" and x["sentences"] == 200 for x in rows)


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
    res = evaluate(f)
    micro = {r["label"]: r for r in res["configs"]["registry+patterns"]}["micro"]
    assert micro["f1"] == 1.0 and micro["gold"] == 4

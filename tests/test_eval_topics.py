"""Quality gate for topic tagging on the team's labelled statements (test split; thresholds were
chosen on the dev split). Skips without ../shared/data, where the sentences live."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kb.cli import cli
from tests.conftest import shared

# Measured (multilingual-e5-small, test split, 141 statements): combined micro F1 0.642
# (P 0.603, R 0.686), macro F1 0.686; keyword-only micro F1 0.630; embedding-only 0.382.
FLOOR_MICRO_F1 = 0.62
FLOOR_MACRO_F1 = 0.66


def test_eval_topics_floors() -> None:
    shared("feeds", "cnbeta-2026")
    res = CliRunner().invoke(cli, ["eval", "topics", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output.splitlines()[-1])
    combined = out["combined"]
    assert out["statements"] >= 140
    assert combined["micro"]["f1"] >= FLOOR_MICRO_F1
    assert combined["macro"]["f1"] >= FLOOR_MACRO_F1
    # keywords and embeddings together are at least as good as keywords alone
    assert combined["micro"]["f1"] >= out["keyword"]["micro"]["f1"] - 0.01
    assert set(combined["per_topic"]) >= {"pricing", "open_source", "compute", "overseas"}

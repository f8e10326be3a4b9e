"""Quality gate for stance: the team's labelled statements and NLPCC 2016 Task 4A (official metric:
mean F1 of FAVOR and AGAINST). Skips without ../shared/data. The first run embeds the 4,000 NLPCC
texts (a few minutes on 2 cores); the vectors are cached under kb.config.cache_dir()."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kb.cli import cli
from tests.conftest import shared

# Measured (multilingual-e5-small), own test split after E2's rework (187 pairs: the 137 old ones, the
# compute/applications items relabelled for the new propositions, plus 50 statements that take a side):
# accuracy 0.604, macro-F1 0.395, for/against precision 0.479 recall 0.466 (all-neutral baseline:
# 0.594 / 0.186).
# The accuracy floor was 0.75 on the old, 80%-neutral test split, where all-neutral alone scored 0.803;
# the split is now 59% neutral (baseline 0.594), so that floor measured the label mix, not the model.
# Macro-F1 (the number that sees for/against) goes up from 0.25 to 0.36.
FLOOR_OWN_ACCURACY = 0.57
FLOOR_OWN_MACRO_F1 = 0.36
FLOOR_OWN_SIDE_PRECISION = 0.42
FLOOR_NLPCC = 0.735  # measured 0.7426 with the E5 query form (CV-chosen); was 0.72


def test_eval_stance_floors() -> None:
    shared("stance-nlpcc2016", "train.tsv")
    shared("feeds", "cnbeta-2026")
    res = CliRunner().invoke(cli, ["eval", "stance", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output.splitlines()[-1])
    own, nlpcc = out["own"], out["nlpcc"]
    assert own["n"] >= 180
    assert own["sides"]["precision"] >= FLOOR_OWN_SIDE_PRECISION
    assert own["accuracy"] >= FLOOR_OWN_ACCURACY
    assert own["macro_f1"] >= FLOOR_OWN_MACRO_F1
    assert own["macro_f1"] > own["majority_baseline"]["macro_f1"]
    assert nlpcc["score"] >= FLOOR_NLPCC
    assert len(nlpcc["per_target"]) == 5

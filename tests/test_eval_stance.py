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
# Session 2 (E2): 428 more dev pairs labelled from articles not in the test split, side_weight 3 and
# threshold 0.4 chosen by grouped 5-fold CV on dev (`kb eval stance --dev-cv`), mixed kept only at
# >= 0.6. Test split: accuracy 0.631, macro-F1 0.411 (for/against/neutral only: 0.547, was 0.526),
# for/against precision 0.474 recall 0.493.
FLOOR_OWN_ACCURACY = 0.60  # was 0.57
FLOOR_OWN_MACRO_F1 = 0.39  # was 0.36
FLOOR_OWN_MACRO_F1_3 = 0.52  # new: macro-F1 over for/against/neutral (mixed has 3 test pairs)
FLOOR_OWN_SIDE_PRECISION = 0.44  # was 0.42
FLOOR_OWN_SIDE_RECALL = 0.45  # new
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
    assert own["sides"]["recall"] >= FLOOR_OWN_SIDE_RECALL
    assert own["macro_f1_3"] >= FLOOR_OWN_MACRO_F1_3
    assert own["accuracy"] >= FLOOR_OWN_ACCURACY
    assert own["macro_f1"] >= FLOOR_OWN_MACRO_F1
    assert own["macro_f1"] > own["majority_baseline"]["macro_f1"]
    assert nlpcc["score"] >= FLOOR_NLPCC
    assert len(nlpcc["per_target"]) == 5

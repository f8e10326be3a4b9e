"""Quality gate for statement extraction on the gold set (data/gold/statements.jsonl) over real
articles in ../shared/data. Floors sit a little below what was measured; raise them, never lower.

The test split comes in batches: "test-old" (the first 17 test articles), "test-new" (14 articles,
batch 2), "test-b3" (37, batch 3), "test-b4" (53), "test-b5" (37), "test-b6" (60), "test-b7" (56),
"test-b8" (50), "test-b9" (52), "test-b10" (59), "test-b11" (42), "test-b12" (67), "test-b13" (59)
and "test-b14" (59), each labelled before the rules were run on it; each was measured blind once, then
(up to batch 13) joined the set the rules are tuned on. The batch never tuned on (now 14) is "unseen",
the estimate for new articles. Each keeps its own floors, so that adding harder items never lowers a floor."""

from __future__ import annotations

import pytest

from kb.eval.statements import GOLD, evaluate, load_gold
from tests.conftest import shared

EPS = 0.02
FLOORS = {  # split -> metric -> floor
    "dev": {"precision": 0.98, "recall": 0.94},  # measured 0.994 / 0.966 (35 articles)
    # Each test batch: measured blind once (before any rule had seen it), then tuned on.
    # blind 0.908 / 0.850; now 0.989 / 0.957 (17 articles)
    "test-old": {"precision": 0.97, "recall": 0.93},
    # blind 0.914 / 0.703; now 0.988 / 0.923 (14 articles)
    "test-new": {"precision": 0.97, "recall": 0.90},
    # blind 0.828 / 0.459; now 0.936 / 0.752 (37 articles)
    "test-b3": {"precision": 0.92, "recall": 0.73},
    # blind 0.876 / 0.577; now 0.956 / 0.770 (53 articles)
    "test-b4": {"precision": 0.94, "recall": 0.75},
    # blind 0.840 / 0.575; now 0.919 / 0.718 (37 articles)
    "test-b5": {"precision": 0.91, "recall": 0.70},
    # blind 0.831 / 0.660; now 0.947 / 0.732 (60 articles)
    "test-b6": {"precision": 0.93, "recall": 0.71},
    # blind 0.873 / 0.598; now 0.923 / 0.801 (56 articles; 0.928 before the registry knew SK海力士,
    # whose forecast in one article is unlabelled)
    "test-b7": {"precision": 0.91, "recall": 0.78},
    # blind 0.815 / 0.564; now 0.897 / 0.637 (50 articles)
    "test-b8": {"precision": 0.88, "recall": 0.62},
    # blind 0.859 / 0.587; now 0.907 / 0.602 (52 articles)
    "test-b9": {"precision": 0.89, "recall": 0.58},
    # blind 0.830 / 0.586; now 0.854 / 0.629 (59 articles)
    "test-b10": {"precision": 0.84, "recall": 0.61},
    # blind 0.852 / 0.610; now 0.865 / 0.656 (42 articles, 282 statements)
    "test-b11": {"precision": 0.85, "recall": 0.64},
    # blind 0.850 / 0.681; now 0.907 / 0.765 (67 articles, 332 statements)
    "test-b12": {"precision": 0.89, "recall": 0.75},
    # blind 0.810 / 0.426 (one timestamped group chat holds 103 of its 340 statements: without it
    # 0.810 / 0.612); now 0.916 / 0.768 (59 articles)
    "test-b13": {"precision": 0.90, "recall": 0.75},
    # blind 0.881 / 0.600, never tuned on (59 articles, 260 statements; 0.876 / 0.596 with the rules of
    # the session before)
    "test-b14": {"precision": 0.87, "recall": 0.58},
    # the never-tuned batch (now 14); batch 13, the "unseen" split before, was 0.810 / 0.426 before it
    # was tuned on
    "unseen": {"precision": 0.87, "recall": 0.58},
}


def test_gold_set_shape() -> None:
    gold = load_gold(GOLD)
    assert len(gold) >= 697
    assert len({g["feed"].split("/")[0] + g["feed"] for g in gold}) >= 3
    n = sum(1 for g in gold for s in g["statements"] if not s.get("optional"))
    assert n >= 3471
    assert {g["split"] for g in gold} == {"dev", "test"}
    assert all(g["split"] == "test" for g in gold if g.get("batch", 1) >= 2)


@pytest.fixture(scope="module")
def scores() -> dict:
    data = shared("feeds").parent
    if (data / "cluener" / "train.json").exists():
        # the floors are measured with the NER CRF that set-up trains from this file
        from kb.nlp.ner_crf import load

        assert load() is not None, "the NER model is not trained: run scripts/setup.sh"
    from kb.registry import Registry

    return evaluate(GOLD, data, Registry.load())


@pytest.mark.shared
@pytest.mark.parametrize("split", sorted(FLOORS))
def test_statement_floors(scores: dict, split: str) -> None:
    assert not scores["missing_articles"]
    got = scores[split]["all"]
    for metric, floor in FLOORS[split].items():
        assert got[metric] >= floor - EPS, f"{split} {metric} {got[metric]} < {floor}"


def _acc(scores: dict, splits: tuple[str, ...], key: str) -> float:
    hit = sum((scores[s][f"{key}_accuracy"] or 0.0) * scores[s][f"{key}_n"] for s in splits)
    n = sum(scores[s][f"{key}_n"] for s in splits)
    return hit / n if n else 0.0


@pytest.mark.shared
def test_title_and_organization_accuracy(scores: dict) -> None:
    old = ("dev", "test-old")  # the first 52 articles, as before batch 2
    assert _acc(scores, old, "title") >= 0.95  # measured 0.965
    assert _acc(scores, old, "organization") >= 0.92  # measured 0.94
    assert scores["test-new"]["title_accuracy"] >= 0.8  # measured 0.846 (n=13)
    assert scores["test-new"]["organization_accuracy"] >= 0.6  # measured 0.667 (n=12)
    later = ("test-b3", "test-b4")  # held-out batches: titles and companies of unknown people
    assert _acc(scores, later, "title") >= 0.70  # measured 0.733 (n=90)
    assert _acc(scores, later, "organization") >= 0.60  # measured 0.64 (n=86)
    # batches 8-10 (blind: 0.853 / 0.688, n=218 / 192)
    mid = ("test-b8", "test-b9", "test-b10")
    assert _acc(scores, mid, "title") >= 0.84  # measured 0.861 (n=230)
    assert _acc(scores, mid, "organization") >= 0.66  # measured 0.679 (n=204)
    # batches 11-12 (blind: 0.834 / 0.749, n=187 / 183)
    late = ("test-b11", "test-b12")
    assert _acc(scores, late, "title") >= 0.82  # measured 0.839 (n=218)
    assert _acc(scores, late, "organization") >= 0.72  # measured 0.746 (n=209)
    # batch 13 (blind: 0.756 / 0.312, n=45 / 32)
    assert scores["test-b13"]["title_accuracy"] >= 0.74  # measured 0.766 (n=47)
    assert scores["test-b13"]["organization_accuracy"] >= 0.39  # measured 0.412 (n=34)
    # never tuned on (batch 14): roles of people the rules have not met
    assert scores["unseen"]["title_accuracy"] >= 0.73  # measured 0.755 (n=49)
    assert scores["unseen"]["organization_accuracy"] >= 0.59  # measured 0.617 (n=47)

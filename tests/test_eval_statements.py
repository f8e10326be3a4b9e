"""Quality gate for statement extraction on the gold set (data/gold/statements.jsonl) over real
articles in ../shared/data. Floors sit a little below what was measured; raise them, never lower.

The test split comes in batches: "test-old" (the first 17 test articles), "test-new" (14 articles,
batch 2), "test-b3" (37, batch 3), "test-b4" (53), "test-b5" (37), "test-b6" (60), "test-b7" (56),
"test-b8" (50), "test-b9" (52), "test-b10" (59), "test-b11" (42), "test-b12" (67), "test-b13" (59),
"test-b14" (59), "test-b15" (60), "test-b16" (60), "test-b17" (60), "test-b18" (60), "test-b19" (60),
"test-b20" (60), "test-b21" (60), "test-b22" (60), "test-b23" (60), "test-b24" (60), "test-b25" (60), "test-b26"
(60), "test-b27" (60), "test-b28" (60), "test-b29" (60), "test-b30" (60), "test-b31" (60), "test-b32" (60),
"test-b33" (60), "test-b34" (60), "test-b35" (60), "test-b36" (60), "test-b37" (60), "test-b38" (60), "test-b39"
(60), "test-b40" (60), "test-b41" (60) and "test-b42" (41), each labelled before the rules were run on it; each was measured blind once, then (up to batch 19) joined the set
the rules are tuned on. The batches never tuned on (now 20 to 42) are "unseen",
the estimate for new articles; the antecedent ranker (kb/nlp/antecedents.py) is not trained on them
either. Each keeps its own floors, so that adding harder items never lowers a floor."""

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
    # blind 0.828 / 0.459; now 0.916 / 0.764 (37 articles; precision 0.936 before round 7)
    "test-b3": {"precision": 0.92, "recall": 0.75},
    # blind 0.876 / 0.577; now 0.958 / 0.821 (53 articles)
    "test-b4": {"precision": 0.94, "recall": 0.80},
    # blind 0.840 / 0.575; now 0.953 / 0.822 (37 articles)
    "test-b5": {"precision": 0.94, "recall": 0.80},
    # blind 0.831 / 0.660; now 0.952 / 0.825 (60 articles)
    "test-b6": {"precision": 0.94, "recall": 0.81},
    # blind 0.873 / 0.598; now 0.915 / 0.809 (56 articles; 0.928 before the registry knew SK海力士,
    # whose forecast in one article is unlabelled); 0.926 / 0.830 after round 9
    # 0.931 / 0.834 with the antecedent ranker
    "test-b7": {"precision": 0.92, "recall": 0.82},
    # blind 0.815 / 0.564; now 0.922 / 0.733 (50 articles)
    "test-b8": {"precision": 0.91, "recall": 0.74},  # 0.928 / 0.751 after round 10
    # blind 0.859 / 0.587; now 0.937 / 0.691 (52 articles)
    "test-b9": {"precision": 0.94, "recall": 0.70},  # 0.943 / 0.699 with the ranker; 0.949 / 0.714 round 10
    # blind 0.830 / 0.586; now 0.887 / 0.717 (59 articles)
    "test-b10": {"precision": 0.90, "recall": 0.72},  # 0.906 / 0.723 with the ranker; 0.915 / 0.739 round 10
    # blind 0.852 / 0.610; now 0.887 / 0.723 (42 articles, 282 statements)
    "test-b11": {"precision": 0.88, "recall": 0.72},  # 0.895 / 0.723 with the ranker; 0.897 / 0.738 round 10
    # blind 0.850 / 0.681; now 0.929 / 0.834 (67 articles, 332 statements)
    "test-b12": {"precision": 0.93, "recall": 0.83},  # 0.933 / 0.834 with the ranker; 0.943 / 0.840 round 10
    # blind 0.810 / 0.426 (one timestamped group chat holds 103 of its 340 statements: without it
    # 0.810 / 0.612); now 0.927 / 0.788 (59 articles)
    "test-b13": {"precision": 0.92, "recall": 0.79},  # 0.931 / 0.791 with the ranker; 0.938 / 0.806 round 10
    # blind 0.881 / 0.600 (59 articles, 260 statements); now 0.910 / 0.700
    "test-b14": {"precision": 0.91, "recall": 0.71},  # 0.916 / 0.715 with the ranker; 0.921 / 0.719 round 10
    # blind 0.912 / 0.719 (60 articles, 288 statements; 0.894 / 0.674 with the rules of the session
    # before); tuned on in round 8: now 0.941 / 0.778
    "test-b15": {"precision": 0.93, "recall": 0.79},  # 0.946 / 0.792 with the ranker; 0.943 / 0.802 round 10
    # blind 0.901 / 0.736, never tuned on (60 articles, 273 statements; labelled after round 7 ended, so
    # also 0.899 / 0.714 with the rules of the session before); 0.902 / 0.744 with round 8's rules; tuned
    # on in round 9: now 0.922 / 0.780
    "test-b16": {"precision": 0.91, "recall": 0.77},  # 0.926 / 0.780 with the ranker
    # blind 0.888 / 0.753, never tuned on (60 articles, 316 statements; labelled before round 8, measured
    # after it: 0.885 / 0.731 with round 7's rules); still never tuned on: 0.893 / 0.763 after round 9;
    # 0.903 / 0.766 with the antecedent ranker (session 10); tuned on in round 10: now 0.912 / 0.791
    "test-b17": {"precision": 0.90, "recall": 0.78},
    # blind 0.851 / 0.649, never tuned on (60 articles, 308 statements; labelled after round 8 ended:
    # 0.855 / 0.633 with round 7's rules); still never tuned on: 0.849 / 0.659 after round 9; 0.869 / 0.666
    # with the antecedent ranker; still never tuned on: 0.886 / 0.682 after round 10, 0.879 / 0.682 after
    # round 11; joined the tuned set in session 13 (the ranker refitted with it: 0.883 / 0.685)
    "test-b18": {"precision": 0.87, "recall": 0.67},
    # blind 0.856 / 0.669, never tuned on (60 articles, 257 statements; labelled before round 9, measured
    # after it: 0.859 / 0.665 with round 8's rules); 0.871 / 0.685 with the antecedent ranker; 0.872 / 0.689
    # after round 10; joined the tuned set in session 14 (the ranker refitted with it: 0.877 / 0.693)
    "test-b19": {"precision": 0.86, "recall": 0.68},
    # blind 0.912 / 0.748, never tuned on (60 articles, 278 statements; labelled before session 10's work);
    # 0.921 / 0.752 with the antecedent ranker; 0.918 / 0.763 after round 10
    "test-b20": {"precision": 0.90, "recall": 0.75},
    # blind 0.885 / 0.683, never tuned on (60 articles, 281 statements; labelled before round 10's work);
    # 0.890 / 0.690 after round 10
    "test-b21": {"precision": 0.88, "recall": 0.68},
    # blind 0.888 / 0.681, never tuned on (60 articles, 351 statements; labelled before round 11's work,
    # measured with session 11's rules); 0.886 / 0.684 after round 11
    "test-b22": {"precision": 0.88, "recall": 0.67},
    # blind 0.877 / 0.714, never tuned on (60 articles, 241 statements; labelled in session 13 and measured with
    # session 12's rules); 0.877 / 0.713 once the batch's rulings settled 12 labels (240 statements); 0.882 /
    # 0.717 after round 12
    "test-b23": {"precision": 0.86, "recall": 0.70},
    # blind 0.943 / 0.736, never tuned on (60 articles, 269 statements; labelled in session 13 and measured with
    # session 12's rules); 0.948 / 0.740 after round 12
    "test-b24": {"precision": 0.92, "recall": 0.72},
    # blind 0.892 / 0.672, never tuned on (60 articles, 308 statements; labelled in session 13 after round 12 and
    # measured with its rules); 0.892 / 0.666 once the batch's rulings settled 16 labels (311 statements)
    "test-b25": {"precision": 0.87, "recall": 0.64},
    # blind 0.926 / 0.737, never tuned on (60 articles, 289 statements; labelled in session 14 and measured with
    # session 13's rules); 0.918 / 0.721 once the batch's rulings settled 24 labels (294 statements); 0.919 /
    # 0.728 after round 13
    "test-b26": {"precision": 0.90, "recall": 0.70},
    # blind 0.876 / 0.681, never tuned on (60 articles, 310 statements; labelled in session 14 and measured with
    # session 13's rules); 0.876 / 0.675 once the batch's rulings settled 15 labels (314 statements); 0.872 /
    # 0.675 after round 13
    "test-b27": {"precision": 0.86, "recall": 0.65},
    # blind 0.902 / 0.720, never tuned on (60 articles, 282 statements; labelled in session 15 and measured with
    # session 14's rules); 0.903 / 0.721 once the batch's rulings made 15 label changes (283 statements); 0.903 /
    # 0.721 after round 14
    "test-b28": {"precision": 0.88, "recall": 0.70},
    # blind 0.882 / 0.661, never tuned on (60 articles, 327 statements; labelled in session 15 and measured with
    # session 14's rules); 0.878 / 0.653 once the batch's rulings made 11 label changes (329 statements); 0.884 /
    # 0.672 after round 14
    "test-b29": {"precision": 0.85, "recall": 0.64},
    # blind 0.891 / 0.685, never tuned on (60 articles, 251 statements; labelled in session 16 and measured with
    # session 15's rules); 0.886 / 0.679 once the batch's rulings made 10 label changes (252 statements); 0.892 /
    # 0.691 after round 15
    "test-b30": {"precision": 0.87, "recall": 0.66},
    # blind 0.895 / 0.694, never tuned on (60 articles, 333 statements; labelled in session 16 and measured with
    # session 15's rules); 0.896 / 0.693 once the batch's rulings made 9 label changes (335 statements); 0.889 /
    # 0.693 after round 15
    "test-b31": {"precision": 0.87, "recall": 0.67},
    # blind 0.886 / 0.664, never tuned on (60 articles, 363 statements; labelled in session 17 and measured with
    # session 16's rules); 0.886 / 0.669 once the batch's rulings made 4 label changes (359 statements)
    "test-b32": {"precision": 0.86, "recall": 0.64},
    # blind 0.893 / 0.668, never tuned on (60 articles, 274 statements; labelled in session 17 and measured with
    # session 16's rules); 0.893 / 0.673 once the batch's rulings made 4 label changes (272 statements)
    "test-b33": {"precision": 0.87, "recall": 0.65},
    # blind 0.864 / 0.675, never tuned on (60 articles, 283 statements; labelled in session 18 and measured with
    # session 17's rules); 0.860 / 0.671 once the batch's rulings made 3 label changes (283 statements)
    "test-b34": {"precision": 0.84, "recall": 0.65},
    # blind 0.910 / 0.690, never tuned on (60 articles, 352 statements; labelled in session 18 and measured with
    # session 17's rules); 0.914 / 0.687 once the batch's rulings made 20 label changes (355 statements)
    "test-b35": {"precision": 0.89, "recall": 0.66},
    # blind 0.914 / 0.722, never tuned on (60 articles, 295 statements; labelled in session 19 and measured with
    # session 18's rules); 0.915 / 0.725 once the batch's rulings made 4 label changes (295 statements)
    "test-b36": {"precision": 0.89, "recall": 0.70},
    # blind 0.896 / 0.692, never tuned on (60 articles, 260 statements; labelled in session 19 and measured with
    # session 18's rules); 0.896 / 0.687 once the batch's rulings made 8 label changes (262 statements)
    "test-b37": {"precision": 0.87, "recall": 0.66},
    # blind 0.866 / 0.662, never tuned on (60 articles, 302 statements; labelled in session 20 and measured with
    # session 19's rules); 0.865 / 0.663 once the batch's rulings made 8 label changes (300 statements), the
    # same with session 20's rules; 0.863 / 0.670 with session 21's (an organisation's own 希望)
    "test-b38": {"precision": 0.84, "recall": 0.65},
    # blind 0.870 / 0.620, never tuned on (60 articles, 258 statements; labelled in session 20 and measured with
    # session 19's rules); the same once the batch's rulings made 26 label changes, and with session 20's
    # rules; 0.871 / 0.628 with session 21's
    "test-b39": {"precision": 0.85, "recall": 0.60},
    # blind 0.915 / 0.782, never tuned on (60 articles, 330 statements; labelled in session 21 and measured with
    # session 20's rules); 0.914 / 0.779 once the batch's rulings made 34 label changes (326 statements); 0.914 /
    # 0.782 with session 21's
    "test-b40": {"precision": 0.89, "recall": 0.76},
    # blind 0.930 / 0.693, never tuned on (60 articles, 306 statements; labelled in session 21 and measured with
    # session 20's rules); 0.930 / 0.691 once the batch's rulings made 12 label changes (307 statements); 0.934 /
    # 0.694 with session 21's
    "test-b41": {"precision": 0.91, "recall": 0.67},
    # blind 0.915 / 0.688, never tuned on (41 articles, 189 statements; drawn and labelled in session 22 with
    # kb/eval/batch.py and measured with the session's code as it stood at the draw, aa582a8); 0.914 / 0.688 once
    # the batch's rulings made 5 label changes (186 statements); the same with session 22's later rules
    "test-b42": {"precision": 0.89, "recall": 0.66},
    # the never-tuned batches. Until session 10 batches 17 to 20 (1,159 statements): 0.878 / 0.711 with the
    # rules of session 9, 0.892 / 0.718 with the antecedent ranker. Since session 11 batches 18 to 21
    # (240 articles, 1,124 statements: batch 17 joined the tuned set, batch 21 was labelled): 0.888 / 0.697
    # with session 10's rules (ranker refitted with batch 17), 0.892 / 0.706 after round 10. The split
    # changed, so its floors were set anew from that first measurement; batches 18-20, in both, went up.
    # Since session 12 batches 18 to 22 (300 articles, 1,475 statements: batch 22 was labelled and all five
    # stay blind): 0.891 / 0.700 with session 11's rules, 0.889 / 0.702 after round 11. A new split again,
    # so new floors from that measurement. Since session 13 batches 19 to 23 (300 articles, 1,407 statements:
    # batch 23 was labelled, batch 18 joined the tuned set): 0.889 / 0.709 with session 12's rules and the
    # ranker refitted with batch 18; a new split, new floors. Then batches 19 to 24 (360 articles, 1,676
    # statements: batch 24 was labelled in the same session): 0.898 / 0.713 with session 12's rules, 0.899 /
    # 0.714 after round 12; the floors set for 19-23 hold. With batch 25 (batches 19 to 25, 420 articles, 1,987
    # statements): 0.898 / 0.707 with round 12's rules. Since session 14 batches 20 to 27 (480 articles, 2,338
    # statements: batches 26 and 27 were labelled, batch 19 joined the tuned set): 0.900 / 0.706 with session
    # 13's rules and the ranker refitted with batch 19, 0.900 / 0.709 after round 13; the floors hold. With
    # batches 28 and 29 (batches 20 to 29, 600 articles, 2,950 statements, labelled in session 15): 0.898 / 0.704
    # with round 13's rules, 0.897 / 0.711 after round 14; the floors hold. With batches 30 and 31 (batches 20 to
    # 31, 720 articles, 3,537 statements, labelled in session 16): 0.896 / 0.707 with round 14's rules, 0.896 /
    # 0.713 after round 15; the floors hold. With batches 32 and 33 (batches 20 to 33, 840 articles, 4,168
    # statements, labelled in session 17): 0.895 / 0.707 with round 15's rules; the floors hold. With batches 34
    # and 35 (batches 20 to 35, 960 articles, 4,806 statements, labelled in session 18): 0.894 / 0.707 with
    # round 16's rules; the floors hold. With batches 36 and 37 (batches 20 to 37, 1,080 articles, 5,363
    # statements, labelled in session 19): 0.895 / 0.707 with session 18's rules; the floors hold. With batches 38
    # and 39 (batches 20 to 39, 1,200 articles, 5,921 statements, labelled in session 20): 0.892 / 0.701 with
    # session 19's rules, 0.893 / 0.703 with session 20's, 0.893 / 0.707 with session 21's (0.893 / 0.708 at its
    # end). With batches 40 and 41 (batches 20 to 41, 1,320 articles, 6,554 statements, labelled in session 21):
    # 0.895 / 0.706 with session 20's rules, 0.896 / 0.711 with session 21's; the floors hold. With batch 42
    # (batches 20 to 42, 1,361 articles, 6,740 statements, labelled in session 22): 0.896 / 0.710 with session
    # 21's rules, 0.896 / 0.712 with session 22's; the floors hold
    "unseen": {"precision": 0.88, "recall": 0.70},
}


def test_gold_set_shape() -> None:
    gold = load_gold(GOLD)
    assert len(gold) >= 2358
    assert len({g["feed"].split("/")[0] + g["feed"] for g in gold}) >= 3
    n = sum(1 for g in gold for s in g["statements"] if not s.get("optional"))
    assert n >= 11653
    assert {g["split"] for g in gold} == {"dev", "test"}
    assert all(g["split"] == "test" for g in gold if g.get("batch", 1) >= 2)


@pytest.fixture(scope="module")
def scores() -> dict:
    data = shared("feeds").parent
    if (data / "cluener" / "train.json").exists():
        # the floors are measured with the NER CRF that set-up trains from this file
        from kb.nlp.ner_crf import load

        assert load() is not None, "the NER model is not trained: run scripts/setup.sh"
        from kb.nlp import antecedents

        # and with the antecedent ranker set-up fits on the gold set's tuned articles
        assert antecedents.active() is not None, (
            "the antecedent ranker is missing or stale: run scripts/setup.sh"
        )
        from kb.nlp import confidence

        # and with the statement-confidence model fitted after it
        assert confidence.active() is not None, (
            "the confidence model is missing or stale: run scripts/setup.sh"
        )
    from kb.registry import Registry

    return evaluate(GOLD, data, Registry.load())


@pytest.mark.shared
@pytest.mark.parametrize("split", sorted(FLOORS))
def test_statement_floors(scores: dict, split: str) -> None:
    assert not scores["missing_articles"]
    got = scores[split]["all"]
    for metric, floor in FLOORS[split].items():
        assert got[metric] >= floor - EPS, f"{split} {metric} {got[metric]} < {floor}"


@pytest.mark.shared
def test_confident_view_on_articles_nothing_was_tuned_on(scores: dict) -> None:
    """The statements the confidence model scores CONFIDENT or above (the app's view without the
    "unsure speaker" ones) have far fewer wrong speakers, on batches neither the rules nor the model saw.
    The model is fitted on the tuned articles only. Measured in session 17 after round 16: unseen (batches
    20-33) 0.943 / 0.627 against 0.894 / 0.712 for all statements; batches 32 and 33 0.945 / 0.624 and
    0.944 / 0.621. With batches 34 and 35 (batches 20-35, session 18, same code): 0.942 / 0.624 against
    0.894 / 0.707, keeping 84%; batch 34 alone 0.904 / 0.597, batch 35 0.952 / 0.611. With batches 36 and 37
    (batches 20-37, session 19, with session 18's code): 0.943 / 0.624 against 0.895 / 0.707; batch 36 alone
    0.954 / 0.631, batch 37 0.947 / 0.615. With batches 38 and 39 (batches 20-39, session 20): 0.940 / 0.617
    against 0.892 / 0.701 with session 19's code, 0.941 / 0.618 against 0.893 / 0.703 with session 20's, keeping
    83%; 0.941 / 0.615 against 0.893 / 0.707 with session 21's (an organisation's 希望), keeping 82%. With
    batches 40 and 41 (batches 20-41, session 21): 0.943 / 0.618 against 0.896 / 0.711, keeping 83%; batch 40
    alone 0.951 / 0.660, batch 41 0.949 / 0.603."""
    conf, every = scores["unseen"]["confident"], scores["unseen"]["all"]
    assert conf["precision"] >= 0.93 - EPS / 2
    assert conf["recall"] >= 0.60 - EPS / 2
    assert conf["precision"] - every["precision"] >= 0.04  # measured +0.049
    assert conf["predicted"] >= 0.8 * every["predicted"]  # it keeps most statements: measured 83%


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
    assert _acc(scores, later, "title") >= 0.82  # measured 0.849 (n=132)
    assert _acc(scores, later, "organization") >= 0.62  # measured 0.646 (n=127)
    # batches 8-10 (blind: 0.853 / 0.688, n=218 / 192)
    mid = ("test-b8", "test-b9", "test-b10")
    assert _acc(scores, mid, "title") >= 0.84  # measured 0.859 (n=255)
    assert _acc(scores, mid, "organization") >= 0.73  # measured 0.756 (n=230)
    # batches 11-12 (blind: 0.834 / 0.749, n=187 / 183)
    late = ("test-b11", "test-b12")
    assert _acc(scores, late, "title") >= 0.82  # measured 0.841 (n=233; 0.823 before round 8)
    assert _acc(scores, late, "organization") >= 0.73  # measured 0.751 (n=221)
    # batch 13 (blind: 0.756 / 0.312, n=45 / 32)
    assert scores["test-b13"]["title_accuracy"] >= 0.82  # measured 0.846 (n=52)
    assert scores["test-b13"]["organization_accuracy"] >= 0.41  # measured 0.432 (n=37)
    # batch 14 (blind: 0.755 / 0.617, n=49 / 47)
    assert scores["test-b14"]["title_accuracy"] >= 0.81  # measured 0.833 (n=54)
    assert scores["test-b14"]["organization_accuracy"] >= 0.68  # measured 0.706 (n=51)
    # batch 15 (blind: 0.813 / 0.570, n=107 / 93)
    assert scores["test-b15"]["title_accuracy"] >= 0.82  # measured 0.844 (n=115)
    assert scores["test-b15"]["organization_accuracy"] >= 0.76  # measured 0.786 (n=98)
    # batch 16 (blind, measured once: 0.959 / 0.894, n=97 / 85; tuned on in round 9: 0.951 / 0.900)
    assert scores["test-b16"]["title_accuracy"] >= 0.94
    assert scores["test-b16"]["organization_accuracy"] >= 0.88
    # batch 17 (blind, measured once: 0.897 / 0.780, n=97 / 82; 0.929 / 0.762 after round 9, n=98 / 84)
    assert scores["test-b17"]["title_accuracy"] >= 0.90
    assert scores["test-b17"]["organization_accuracy"] >= 0.75
    # batch 18 (blind, measured once: 0.886 / 0.707, n=88 / 82; 0.888 / 0.711 after round 9)
    assert scores["test-b18"]["title_accuracy"] >= 0.86
    assert scores["test-b18"]["organization_accuracy"] >= 0.69
    # batch 19 (blind, measured once after round 9: 0.889 / 0.769, n=63 / 52; round 8's rules 0.859 / 0.765).
    # With the antecedent ranker 0.836 / 0.714, n=67 / 56: the same 56 titles and 40 organisations are
    # right, and four more statements are found whose speaker's role the rules do not read, so the
    # floors follow the larger denominator
    assert scores["test-b19"]["title_accuracy"] >= 0.82
    assert scores["test-b19"]["organization_accuracy"] >= 0.70
    # batch 20 (blind: 0.874 / 0.857, n=87 / 84; the same with the ranker)
    assert scores["test-b20"]["title_accuracy"] >= 0.85
    assert scores["test-b20"]["organization_accuracy"] >= 0.83
    # batch 21 (blind: 0.889 / 0.803, n=90 / 76; the same after round 10)
    assert scores["test-b21"]["title_accuracy"] >= 0.86
    assert scores["test-b21"]["organization_accuracy"] >= 0.78
    # batch 22 (blind: 0.644 / 0.533, n=118 / 105 with session 11's rules; 0.639 / 0.528, n=119 / 106 after round 11).
    # Its labellers wrote the role for nearly every statement of a person, from wherever the article
    # gives it, and most of those roles are not next to the statement the rules read
    assert scores["test-b22"]["title_accuracy"] >= 0.62
    assert scores["test-b22"]["organization_accuracy"] >= 0.51
    # batch 23 (blind: 0.808 / 0.804, n=73 / 56 with session 12's rules)
    assert scores["test-b23"]["title_accuracy"] >= 0.78
    assert scores["test-b23"]["organization_accuracy"] >= 0.77
    # batch 24 (blind: 0.863 / 0.746, n=80 / 71 with session 12's rules)
    assert scores["test-b24"]["title_accuracy"] >= 0.83
    assert scores["test-b24"]["organization_accuracy"] >= 0.71
    # batch 25 (blind: 0.879 / 0.753, n=99 / 89 with round 12's rules)
    assert scores["test-b25"]["title_accuracy"] >= 0.85
    assert scores["test-b25"]["organization_accuracy"] >= 0.72
    # batch 26 (blind: 0.930 / 0.939, n=100 / 99 with session 13's rules)
    assert scores["test-b26"]["title_accuracy"] >= 0.90
    assert scores["test-b26"]["organization_accuracy"] >= 0.91
    # batch 27 (blind: 0.938 / 0.797, n=96 / 79 with session 13's rules)
    assert scores["test-b27"]["title_accuracy"] >= 0.91
    assert scores["test-b27"]["organization_accuracy"] >= 0.77
    # batch 28 (blind: 0.878 / 0.575, n=82 / 73 with round 13's rules; 0.878 / 0.579, n=82 / 76 after its
    # rulings): its organisations are the state and court posts the batch-28 rulings settled
    assert scores["test-b28"]["title_accuracy"] >= 0.85
    assert scores["test-b28"]["organization_accuracy"] >= 0.55
    # batch 29 (blind: 0.833 / 0.750, n=96 / 88 with round 13's rules; 0.838 / 0.747, n=99 / 91 after round 14)
    assert scores["test-b29"]["title_accuracy"] >= 0.81
    assert scores["test-b29"]["organization_accuracy"] >= 0.72
    # batch 30 (blind: 0.818 / 0.689, n=66 / 61 with round 14's rules, also after its rulings; 0.791 / 0.677,
    # n=67 / 62 after round 15: one title fewer right)
    assert scores["test-b30"]["title_accuracy"] >= 0.77
    assert scores["test-b30"]["organization_accuracy"] >= 0.65
    # batch 31 (blind: 0.836 / 0.859, n=122 / 99 with round 14's rules; 0.836 / 0.850, n=122 / 100 after its
    # rulings and after round 15)
    assert scores["test-b31"]["title_accuracy"] >= 0.81
    assert scores["test-b31"]["organization_accuracy"] >= 0.82
    # batch 32 (blind: 0.798 / 0.724, n=104 / 98 with round 15's rules, also after its rulings)
    assert scores["test-b32"]["title_accuracy"] >= 0.77
    assert scores["test-b32"]["organization_accuracy"] >= 0.70
    # batch 33 (blind: 0.797 / 0.610, n=64 / 59 with round 15's rules, also after its rulings)
    assert scores["test-b33"]["title_accuracy"] >= 0.77
    assert scores["test-b33"]["organization_accuracy"] >= 0.58
    # batch 34 (blind: 0.854 / 0.772, n=82 / 57 with round 16's rules, also after its rulings)
    assert scores["test-b34"]["title_accuracy"] >= 0.83
    assert scores["test-b34"]["organization_accuracy"] >= 0.75
    # batch 35 (blind: 0.851 / 0.545, n=87 / 77 with round 16's rules; 0.854 / 0.545, n=89 / 77 after its
    # rulings): many statements by departments and laboratories whose parent the article names elsewhere
    assert scores["test-b35"]["title_accuracy"] >= 0.83
    assert scores["test-b35"]["organization_accuracy"] >= 0.52
    # since session 19 a role the article writes where the person does not speak is read too
    # (kb/nlp/attribution.py, _roles_written) and the line between body and post is drawn again: batch 34
    # 0.841 / 0.807 (titles written exactly as the gold's went up, those holding the gold's less often),
    # batch 35 0.899 / 0.701
    assert scores["test-b34"]["organization_accuracy"] >= 0.78
    assert scores["test-b35"]["title_accuracy"] >= 0.87
    assert scores["test-b35"]["organization_accuracy"] >= 0.68
    # batch 36 (blind: 0.803 / 0.793, n=132 / 116 with session 18's rules, also after its rulings; 0.818 /
    # 0.819 with session 19's roles)
    assert scores["test-b36"]["title_accuracy"] >= 0.79
    assert scores["test-b36"]["organization_accuracy"] >= 0.80
    # batch 37 (blind: 0.854 / 0.686, n=103 / 86 with session 18's rules, also after its rulings; 0.864 /
    # 0.767 with session 19's roles)
    assert scores["test-b37"]["title_accuracy"] >= 0.84
    assert scores["test-b37"]["organization_accuracy"] >= 0.75
    # batch 38 (blind: 0.916 / 0.829, n=83 / 76 with session 19's rules; 0.904 / 0.829 after its rulings), batch
    # 39 (blind: 0.658 / 0.661, n=73 / 62; 0.739 / 0.661 after its rulings, which took 社区成员 off as a title)
    assert scores["test-b38"]["title_accuracy"] >= 0.88
    assert scores["test-b38"]["organization_accuracy"] >= 0.80
    assert scores["test-b39"]["title_accuracy"] >= 0.72
    assert scores["test-b39"]["organization_accuracy"] >= 0.64
    # batch 40 (blind: 0.941 / 0.808, n=135 / 130 with session 20's rules, the same after its rulings and with
    # session 21's), batch 41 (blind: 0.875 / 0.887, n=104 / 97; 0.876 / 0.888, n=105 / 98 with session 21's)
    assert scores["test-b40"]["title_accuracy"] >= 0.92
    assert scores["test-b40"]["organization_accuracy"] >= 0.79
    assert scores["test-b41"]["title_accuracy"] >= 0.85
    assert scores["test-b41"]["organization_accuracy"] >= 0.87
    # batch 42 (blind: 0.848 / 0.814 as labelled, 0.867 / 0.833 after its rulings, n=45 / 42, the same with session 21's and 22's code)
    assert scores["test-b42"]["title_accuracy"] >= 0.84
    assert scores["test-b42"]["organization_accuracy"] >= 0.81
    # never tuned on: roles of people the rules have not met. Batches 17-20 (until session 10): 0.886 /
    # 0.766, n=341 / 307; batches 18-21 (since session 11, a new split): 0.874 / 0.776, n=333 / 299 with
    # session 10's rules, 0.875 / 0.779, n=337 / 303 after round 10; batches 18-22 (since session 12, a new
    # split with batch 22's roles): 0.814 / 0.714, n=456 / 409 after round 11; batches 19-23 (since session 13,
    # a new split: batch 18 joined the tuned set, batch 23 was labelled): 0.796 / 0.725, n=436 / 378; with
    # batch 24 (batches 19-24): 0.806 / 0.728, n=516 / 449; with batch 25 (batches 19-25): 0.818 / 0.732, n=615 / 538;
    # batches 20-27 (since session 14, a new split: batch 19 joined the tuned set, batches 26 and 27 were
    # labelled): 0.847 / 0.773, n=744 / 660 with session 13's rules, 0.847 / 0.773, n=745 / 660 after round 13;
    # with batches 28 and 29 (batches 20-29): 0.848 / 0.752, n=923 / 824 with round 13's rules, 0.850 / 0.751,
    # n=933 / 832 after round 14; with batches 30 and 31 (batches 20-31): 0.847 / 0.757, n=1121 / 993 with
    # round 14's rules, 0.845 / 0.758, n=1125 / 997 after round 15
    # With batches 32 and 33 (batches 20-33, session 17): 0.839 / 0.748, n=1293 / 1154 with round 15's rules;
    # the new batches' organisations are harder (0.72 and 0.61), so the organisation floor of the larger
    # split is set from that measurement, and batches 20-31 keep theirs
    # With batches 34 and 35 (batches 20-35, session 18): 0.840 / 0.736, n=1465 / 1289 with round 16's rules;
    # batch 35's organisations are the hardest yet (0.55), so again the larger split's organisation floor is set
    # from that measurement and the earlier splits keep theirs
    # With batches 36 and 37 (batches 20-37, session 19): 0.838 / 0.738, n=1700 / 1491 with session 18's rules;
    # 0.854 / 0.799 once a role the article writes where the person does not speak is read too (the earlier
    # splits: batches 20-31 0.859 / 0.811, 20-33 0.855 / 0.805, 20-35 0.857 / 0.799)
    # With batches 38 and 39 (batches 20-39, session 20): 0.852 / 0.795, n=1848 / 1629 with session 19's rules,
    # 0.854 / 0.796, n=1851 / 1631 with session 20's (batches 20-37 0.856 / 0.800); 0.854 / 0.795, n=1853 / 1632
    # with session 21's 希望 (batches 20-37 0.856 / 0.799)
    # With batches 40 and 41 (batches 20-41, session 21): 0.861 / 0.801, n=2090 / 1858 with session 20's rules,
    # 0.861 / 0.801, n=2094 / 1860 with session 21's
    assert scores["unseen"]["title_accuracy"] >= 0.84
    assert scores["unseen"]["organization_accuracy"] >= 0.78
    b20_31 = tuple(f"test-b{b}" for b in range(20, 32))
    assert _acc(scores, b20_31, "title") >= 0.84  # measured 0.845 (n=1125); 0.859 in session 19
    assert _acc(scores, b20_31, "organization") >= 0.79  # measured 0.758 (n=997); 0.811 in session 19
    b20_33 = tuple(f"test-b{b}" for b in range(20, 34))
    assert _acc(scores, b20_33, "title") >= 0.84  # measured 0.840 (n=1294); 0.855 in session 19
    assert _acc(scores, b20_33, "organization") >= 0.78  # measured 0.747 (n=1156); 0.805 in session 19
    b20_35 = tuple(f"test-b{b}" for b in range(20, 36))
    assert _acc(scores, b20_35, "title") >= 0.84  # measured 0.840 (n=1465) in session 18; 0.857 in session 19
    assert _acc(scores, b20_35, "organization") >= 0.78  # measured 0.736 (n=1289); 0.799 in session 19
    b20_37 = tuple(f"test-b{b}" for b in range(20, 38))
    assert _acc(scores, b20_37, "title") >= 0.85  # measured 0.854 (n=1700) in session 19; 0.856 in session 20
    assert _acc(scores, b20_37, "organization") >= 0.79  # measured 0.799 (n=1491) in session 19 and 20


@pytest.mark.shared
def test_exact_roles_and_roles_given_where_the_article_gives_none(tmp_path) -> None:
    """Title accuracy takes one value inside the other ("律师" for "知识产权律师"); the report also says how
    often a title is written exactly as the gold's, and how often one is given where the gold has none
    (people outside the registry). Checked on a one-statement gold file made from a real article: the
    gold title lengthened (accurate, not exact), then the gold title removed (given where none is)."""
    import json

    from kb.eval.statements import load_articles, match_statements
    from kb.nlp import extract
    from kb.registry import Registry

    data = shared("feeds").parent
    reg = Registry.load()
    picked = None
    for g in [g for g in load_gold(GOLD) if g["split"] == "dev"]:
        arts = load_articles([(g["feed"], g["guid"])], data)
        if not arts:
            continue
        text, pub = arts[(g["feed"], g["guid"])]
        preds = extract([text], [pub], registry=reg)[0]
        for pi, gi in match_statements(text, g["statements"], preds).items():
            p, gs = preds[pi], g["statements"][gi]
            if p.speaker_type == "person" and not p.speaker_id and p.title and gs.get("title") == p.title:
                picked = (g, gs)
                break
        if picked:
            break
    assert picked is not None, "no dev statement by a person outside the registry with a title"
    g, gs = picked

    def score(title: str | None) -> dict:
        path = tmp_path / "gold.jsonl"
        row = {**g, "statements": [{**gs, "title": title, "optional": False}]}
        path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
        return evaluate(gold_path=path, data=data, registry=reg)["dev"]

    longer = score("资深" + gs["title"])
    assert longer["title_accuracy"] == 1.0 and longer["title_exact"] == 0.0, longer
    assert longer["title_extra"] is None
    same = score(gs["title"])
    assert same["title_accuracy"] == 1.0 and same["title_exact"] == 1.0, same
    none = score(None)
    assert none["title_accuracy"] is None and none["title_extra"] == 1.0, none


@pytest.mark.shared
def test_roles_exactly_as_written_on_articles_nothing_was_tuned_on(scores: dict) -> None:
    """Session 19 (batches 20-37): titles written exactly as the gold's 0.578 and organisations 0.541 with
    session 18's rules, 0.618 and 0.630 once roles written elsewhere are read and the line between body and
    post is drawn again; given where the article gives none (people outside the registry): title 0.107,
    organisation 0.292 (0.083 and 0.342 before). Ceilings only go down."""
    u = scores["unseen"]
    assert u["title_exact"] >= 0.60
    assert u["organization_exact"] >= 0.61
    assert u["title_extra"] <= 0.13
    assert u["organization_extra"] <= 0.31

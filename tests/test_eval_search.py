"""Quality gate for search: `kb eval search` on the team's query set over ../shared/data feeds,
with the real default embedder. Floors sit a little below what was measured; hybrid must beat
both single retrievers."""

from __future__ import annotations

import pytest

from tests.conftest import shared

# Measured (62 of 70 queries scored over 335 statements, multilingual-e5-small, after the latency
# work of issue 4): hybrid Recall@5 0.884, MRR 0.830, nDCG@10 0.840; keyword nDCG@10 0.719; vector
# 0.814. (Earlier: 53 scored, hybrid nDCG@10 0.87.) The numbers move with the extractor (which
# statements exist), so the floors leave room.
FLOORS = {"recall@5": 0.84, "mrr": 0.78, "ndcg@10": 0.80}
MIN_SCORED = 58


@pytest.mark.slow
@pytest.mark.shared
def test_search_quality_floors() -> None:
    shared("feeds", "press-2016", "36kr.xml")
    from kb.eval.search import evaluate

    r = evaluate()
    assert r["scored"] >= MIN_SCORED, r["unmapped_anchors"]
    hybrid = r["modes"]["hybrid"]
    for metric, floor in FLOORS.items():
        assert hybrid[metric] >= floor, (metric, r["modes"])
    for single in ("keyword", "vector"):
        assert hybrid["ndcg@10"] > r["modes"][single]["ndcg@10"], r["modes"]

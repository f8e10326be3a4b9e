"""Quality gate for search: `kb eval search` on the team's query set over ../shared/data feeds,
with the real default embedder. Floors sit a little below what was measured; hybrid must beat
both single retrievers."""

from __future__ import annotations

import pytest

from tests.conftest import shared

# Measured (88 of 96 queries scored over 344-348 statements, multilingual-e5-small, with the
# cross-lingual glossary of kb/search/crosslingual.py): hybrid Recall@5 0.845, MRR 0.812, nDCG@10
# 0.805 (keyword 0.765, vector 0.769). The set grew by 26 English paraphrase queries (e01-e26), so
# these are lower than the earlier 62-query numbers (hybrid nDCG@10 0.840) without anything
# getting worse: Chinese queries score the same as before (translation only touches queries
# without Chinese characters). The numbers move with the extractor (which statements exist),
# so the floors leave room.
FLOORS = {"recall@5": 0.80, "mrr": 0.77, "ndcg@10": 0.77}
MIN_SCORED = 82
# Per language of the query (kb.eval.search.query_lang), per retriever.
# Chinese (49): hybrid R@5 0.854-0.874, nDCG@10 0.838-0.858.
# English (39): before the glossary keyword R@5 0.141 / nDCG@10 0.144, vector 0.761 / 0.710,
# hybrid 0.812 / 0.681; with it keyword 0.765 / 0.685, vector 0.799 / 0.727 (the query vector
# also embeds the Chinese rendering), hybrid 0.833 / 0.763 (keyword side translated, vector
# English: see kb.search.engine.Fusion for why).
LANG_FLOORS = {
    ("zh", "hybrid"): {"recall@5": 0.82, "ndcg@10": 0.80},
    ("en", "keyword"): {"recall@5": 0.70, "ndcg@10": 0.62},
    ("en", "vector"): {"recall@5": 0.75, "ndcg@10": 0.68},
    ("en", "hybrid"): {"recall@5": 0.78, "ndcg@10": 0.72},
}
MIN_ENGLISH = 35


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
    assert r["by_lang"]["en/hybrid"]["n"] >= MIN_ENGLISH
    for (lang, mode), floors in LANG_FLOORS.items():
        got = r["by_lang"][f"{lang}/{mode}"]
        for metric, floor in floors.items():
            assert got[metric] >= floor, (lang, mode, metric, got)
    assert r["by_lang"]["en/hybrid"]["ndcg@10"] > r["by_lang"]["en/keyword"]["ndcg@10"], r["by_lang"]

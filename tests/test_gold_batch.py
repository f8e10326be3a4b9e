"""A new blind gold batch (kb/eval/batch.py): drawn reproducibly from articles no batch has taken, a
labeller's file checked against the real article, merged as a blind test batch. Reads the real feeds in
../shared/data (skips without them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb.eval import batch
from kb.eval.statements import GOLD, load_gold, shared_data

pytestmark = pytest.mark.skipif(
    not (shared_data() / "feeds" / batch.FEED_DIR).exists(), reason="../shared/data/feeds is absent"
)


def _refs(folder: Path) -> list[dict[str, str]]:
    return [json.loads(x) for x in (folder / "l1" / "refs.jsonl").read_text(encoding="utf-8").splitlines()]


def test_draw_is_reproducible_and_takes_no_labelled_article(tmp_path):
    assert batch.draw(99, 7, tmp_path / "a", labellers=1, per=4) == 4
    assert batch.draw(99, 7, tmp_path / "b", labellers=1, per=4) == 4
    a, b = _refs(tmp_path / "a"), _refs(tmp_path / "b")
    assert a == b
    # none already labelled, even under another of cnBeta's hourly feed files, and none twice
    taken = {g["guid"] for g in load_gold()}
    assert not any(r["guid"] in taken for r in a)
    assert len({r["guid"] for r in a}) == len(a)
    text = (tmp_path / "a" / "l1" / "articles" / a[0]["file"]).read_text(encoding="utf-8")
    assert len(text) > 50


def _one_article(tmp_path: Path) -> tuple[dict[str, str], str]:
    batch.draw(98, 3, tmp_path / "d", labellers=1, per=1)
    ref = _refs(tmp_path / "d")[0]
    return ref, (tmp_path / "d" / "l1" / "articles" / ref["file"]).read_text(encoding="utf-8")


def _statement(anchor: str, **kw: object) -> dict[str, object]:
    st: dict[str, object] = {
        "anchor": anchor,
        "nth": 1,
        "speaker": None,
        "speaker_type": "unnamed",
        "kind": "indirect",
        "title": None,
        "organization": None,
        "optional": False,
    }
    st.update(kw)
    return st


def test_check_reports_each_problem_and_passes_a_clean_file(tmp_path):
    ref, text = _one_article(tmp_path)
    good = text.strip()[:8]
    rows = [
        {
            "feed": ref["feed"],
            "guid": ref["guid"],
            "statements": [
                _statement(good),
                _statement("这句话不在文章里出现过"),
                _statement(good, speaker="某人"),
                _statement(good, kind="reported"),
            ],
        }
    ]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    problems = batch.check(labels)
    assert len(problems) == 3
    assert "statement 2: anchor" in problems[0]
    assert "statement 3: an unnamed source" in problems[1]
    assert "statement 4: kind" in problems[2]

    rows[0]["statements"] = [_statement(good)]
    labels.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n", encoding="utf-8")
    assert batch.check(labels) == []

    gold = tmp_path / "statements.jsonl"
    shutil.copy(GOLD, gold)
    before = len(load_gold(gold))
    assert batch.merge(98, [labels], gold) == 1
    added = load_gold(gold)[-1]
    assert len(load_gold(gold)) == before + 1
    assert (added["split"], added["batch"], added["blind"]) == ("test", 98, True)
    with pytest.raises(Exception, match="already in the gold set"):
        batch.merge(98, [labels], gold)

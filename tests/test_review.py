"""The queue of unsure speakers (kb/review.py) and the analyst's confirmation (kb.corrections.
confirm_speaker): `kb review`, `kb confirm`, and the app's Corrections page, on real KBs."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from kb import review
from kb.base import KnowledgeBase
from kb.config import load_settings
from kb.corrections import confirm_speaker, history
from tests.conftest import FIXTURES
from tests.test_corrections import FEED as CORRECTIONS_FEED
from tests.test_corrections import row, sid_of
from tests.test_ui_pages import run_app, texts, unescape

FEED = FIXTURES / "evidence" / "feed.xml"


def kb(home: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), *args], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def scored(home: Path) -> dict[str, str]:
    """The evidence feed ingested, with scores set by hand: 王小川's 0.41, 李开复's 0.70, 杨植麟's 0.95."""
    kb(home, "ingest", str(FEED))
    db = sqlite3.connect(home / "kb.sqlite3")
    with db:
        for name, c in (("王小川", 0.41), ("李开复", 0.70), ("杨植麟", 0.95)):
            db.execute("UPDATE statements SET confidence = ? WHERE speaker = ?", (c, name))
        ids = dict(db.execute("SELECT speaker, id FROM statements").fetchall())
    db.close()
    return ids


def test_the_queue_holds_the_unsure_ones_least_sure_first(home: Path) -> None:
    ids = scored(home)
    with KnowledgeBase(load_settings(home)) as base:
        items = review.queue(base.store, 0.9)
        assert [i["id"] for i in items] == [ids["王小川"], ids["李开复"]]  # 0.95 is sure
        assert review.count(base.store, 0.9) == 2
        assert items[0]["evidence"]["name"] == "王小川" and items[0]["source"] == "证据测试"
        assert [i["id"] for i in review.queue(base.store, 0.9, limit=1, offset=1)] == [ids["李开复"]]
        assert review.count(base.store, 0.5) == 1  # the KB's mark decides what is in doubt


def test_kb_review_and_kb_confirm(home: Path) -> None:
    ids = scored(home)
    shown = kb(home, "review")
    assert "2 statements with an unsure speaker (confidence below 0.90), lowest first:" in shown
    assert "1. [0.41] 王小川: “大模型的价格战只是营销，长期看拼的是技术”" in shown
    assert "“他” is 王小川, named here: …百川智能创始人王小川周三在北京出席活动。…" in shown
    assert shown.index("王小川") < shown.index("李开复") and "杨植麟" not in shown
    assert [json.loads(x)["id"] for x in kb(home, "review", "--json").splitlines()] == [
        ids["王小川"],
        ids["李开复"],
    ]

    assert f"{ids['王小川']}: speaker 王小川 confirmed" in kb(home, "confirm", ids["王小川"])
    assert [json.loads(x)["id"] for x in kb(home, "review", "--json").splitlines()] == [ids["李开复"]]
    with KnowledgeBase(load_settings(home)) as base:
        r = base.store.db.execute("SELECT * FROM statements WHERE id = ?", (ids["王小川"],)).fetchone()
        assert (r["speaker"], r["speaker_id"], r["title"], r["confidence"], r["corrected"]) == (
            "王小川",
            "wang-xiaochuan",
            "创始人",
            1.0,
            1,
        )
        (fix,) = history(base.store)
        assert (fix["field"], fix["old"], fix["new"], fix["note"]) == (
            "speaker",
            "王小川",
            "王小川",
            "confirmed",
        )
    # a correction takes a statement off the queue too
    kb(home, "correct", ids["李开复"], "--speaker", "王小川")
    assert "nothing to review: no unsure speaker (confidence below 0.90)" in kb(home, "review")


def test_a_confirmation_holds_when_the_article_is_extracted_again(home: Path) -> None:
    from kb.pipeline import ingest_sources

    with KnowledgeBase(load_settings(home)) as base:
        ingest_sources(base, [str(CORRECTIONS_FEED / "day1.xml")], fetch=False)
        old = sid_of(base, "创业公司不应该参与大模型价格战")
        base.store.db.execute("UPDATE statements SET confidence = 0.3 WHERE id = ?", (old,))
        base.store.db.commit()
        confirm_speaker(base.store, old)
        assert ingest_sources(base, [str(CORRECTIONS_FEED / "day2.xml")], fetch=False).upgraded == 1
        assert row(base, old) is None  # the full text replaced the summary: new statement ids
        (fix,) = history(base.store)
        new: Any = row(base, fix["statement_id"])
        # the new extraction names the same speaker: the fix is satisfied, and the speaker stays checked
        assert (new["speaker"], fix["status"], new["confidence"]) == ("王小川", "satisfied", 1.0)
        assert new["id"] not in {i["id"] for i in review.queue(base.store, 0.9)}


def test_the_corrections_page_lists_them_and_confirms_with_one_click(home: Path) -> None:
    ids = scored(home)
    at = run_app("corrections")
    assert not at.exception
    shown = unescape(texts(at))
    assert "2 statements with a speaker scored below 0.90" in shown
    assert shown.index("大模型的价格战只是营销") < shown.index("開源模型會在明年追上閉源模型")
    assert "长文本是通往通用智能的关键一步" not in shown  # sure: not in the queue
    at.button(key=f"ok-review-{ids['王小川']}").click().run()
    assert not at.exception
    shown = unescape(texts(at))
    assert any("Confirmed: 王小川" in m.value for m in at.success)
    assert "1 statement with a speaker scored below 0.90" in shown
    # off the queue (its card is gone), into the corrections log
    assert "#### “大模型的价格战只是营销" not in shown and "#### “開源模型會在明年追上閉源模型" in shown
    log = at.dataframe[-1].value
    assert list(log["statement"]) == ["大模型的价格战只是营销，长期看拼的是技术"] and list(log["note"]) == [
        "confirmed"
    ]
    db = sqlite3.connect(home / "kb.sqlite3")
    assert db.execute(
        "SELECT confidence, corrected FROM statements WHERE id = ?", (ids["王小川"],)
    ).fetchone() == (
        1.0,
        1,
    )
    db.close()


def test_a_score_just_below_the_mark_never_reads_as_the_mark(home: Path) -> None:
    """0.897 is unsure under 0.9: rounded to two decimals it would read "0.90", the mark itself."""
    from kb.records import confidence_text

    assert [confidence_text(x) for x in (0.897, 0.9, 0.29, 1.0)] == ["0.89", "0.90", "0.29", "1.00"]
    ids = scored(home)
    db = sqlite3.connect(home / "kb.sqlite3")
    with db:
        db.execute("UPDATE statements SET confidence = 0.897 WHERE id = ?", (ids["王小川"],))
    db.close()
    assert "[0.89] 王小川" in kb(home, "review")
    assert "[unsure speaker: 0.89]" in kb(home, "search", "价格战", "--mode", "keyword")
    digest = kb(home, "digest", "--since", "2024-05-20", "--until", "2024-05-20")
    assert "unsure speaker · 0.89" in digest and "0.90 —" not in digest

"""The ingest pipeline end to end on real parts: feed file → SQLite + Chroma, idempotence,
doctor and reindex. Uses the fake embedder (the model has its own tests)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

FEED = FIXTURES / "pipeline" / "feed.xml"


def kb(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"kb {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc


def jsonl(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_ingest_stores_articles_and_statements_once(home: Path) -> None:
    report = jsonl(kb(home, "ingest", str(FEED), "--json"))[0]
    assert report["new_articles"] == 3
    assert report["duplicates"] == 1  # the mirror copy has the same content
    assert report["failures"] == []
    stats = jsonl(kb(home, "stats", "--json"))[0]
    assert stats["articles"] == 3
    assert stats["statements"] >= 4
    assert stats["sources"] == 1

    again = jsonl(kb(home, "ingest", str(FEED), "--json"))[0]
    assert again["new_articles"] == 0 and again["statements"] == 0
    assert jsonl(kb(home, "stats", "--json"))[0] == stats


def test_statements_are_attributed_and_indexed(home: Path) -> None:
    kb(home, "ingest", str(FEED))
    from kb.base import KnowledgeBase
    from kb.config import load_settings

    with KnowledgeBase(load_settings(home)) as base:
        rows = base.store.db.execute("SELECT * FROM statements").fetchall()
        speakers = {r["speaker"] for r in rows}
        assert {"王小川", "李开复"} <= speakers
        for r in rows:
            article = base.store.article(r["article_id"])
            assert article["text"][r["start"] : r["end"]] == r["text"]
        # The traditional-script article keeps its script in the statement text.
        trad = [r for r in rows if "萬物" in base.store.article(r["article_id"])["text"]]
        assert trad and all("會" in r["text"] or "整個" in r["text"] for r in trad)
        assert base.index.ids() == {r["id"] for r in rows}


def test_doctor_reports_a_lost_index_and_reindex_repairs_it(home: Path) -> None:
    kb(home, "ingest", str(FEED))
    assert jsonl(kb(home, "doctor", "--json"))[0]["ok"] is True

    shutil.rmtree(home / "chroma")
    broken = kb(home, "doctor", "--json", check=False)
    assert broken.returncode == 1
    found = jsonl(broken)[0]
    assert found["ok"] is False and found["missing_vectors"] == found["statements"] > 0

    out = jsonl(kb(home, "reindex", "--json"))[0]
    assert out["reindexed"] == found["statements"]
    assert jsonl(kb(home, "doctor", "--json"))[0]["ok"] is True


def test_missing_and_broken_sources_fail_in_one_line_and_the_rest_goes_on(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_bytes(b"<rss><channel><item><title>x</title></chan")
    proc = kb(home, "ingest", str(bad), str(tmp_path / "nope.xml"), str(FEED), check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) >= 1
    assert "3 new articles" in proc.stdout


def test_model_switch_is_refused_until_reindex(home: Path) -> None:
    kb(home, "ingest", str(FEED))
    from kb.base import KnowledgeBase
    from kb.config import load_settings

    with KnowledgeBase(load_settings(home)) as base:
        base.store.set_meta("index_model", "some-other-model")
    proc = kb(home, "ingest", str(FEED), check=False)
    assert proc.returncode == 0  # nothing new to index: no vectors are mixed
    proc = kb(home, "doctor", check=False)
    assert proc.returncode == 1 and "kb reindex" in proc.stdout
    kb(home, "reindex")
    assert kb(home, "doctor").returncode == 0


@pytest.mark.parametrize("cmd", ["stats", "articles", "doctor"])
def test_commands_on_a_missing_kb_say_so(tmp_path: Path, cmd: str) -> None:
    proc = kb(tmp_path / "nothing", cmd, check=False)
    assert proc.returncode != 0
    assert proc.stderr.startswith("kb: no knowledge base")
    assert "Traceback" not in proc.stderr


def _feed(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>快讯</title>'
        "<item><title>谭待谈降价</title><link>https://test.kb.invalid/b/9</link><guid>b-9</guid>"
        "<pubDate>Wed, 15 May 2024 10:00:00 +0800</pubDate>"
        f"<description><![CDATA[{body}]]></description></item></channel></rss>"
    )


def test_full_text_replaces_an_earlier_summary(home: Path, tmp_path: Path) -> None:
    """Feed snapshots carry an article first as a summary, later in full (as cnBeta's do)."""
    summary = tmp_path / "day1.xml"
    summary.write_text(_feed("<p>火山引擎总裁谭待表示，降价是为了让更多人用上大模型。</p>"), encoding="utf-8")
    full = tmp_path / "day2.xml"
    paragraphs = "".join(
        f"<p>火山引擎总裁谭待表示，降价是为了让更多人用上大模型，第{i}段。他认为，成本下降是长期趋势。</p>"
        for i in range(6)
    )
    full.write_text(_feed(paragraphs), encoding="utf-8")

    kb(home, "ingest", str(summary), "--no-fetch")
    first = jsonl(kb(home, "stats", "--json"))[0]
    report = jsonl(kb(home, "ingest", str(full), "--no-fetch", "--json"))[0]
    assert report["upgraded"] == 1 and report["new_articles"] == 0
    after = jsonl(kb(home, "stats", "--json"))[0]
    assert after["articles"] == first["articles"] == 1
    assert after["statements"] > first["statements"]
    assert jsonl(kb(home, "doctor", "--json"))[0]["ok"] is True  # old vectors are gone too
    # Seeing the summary again later changes nothing.
    again = jsonl(kb(home, "ingest", str(summary), "--no-fetch", "--json"))[0]
    assert again["upgraded"] == 0 and again["new_articles"] == 0

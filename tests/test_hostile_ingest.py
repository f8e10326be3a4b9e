"""Issue 8 as a user runs it: one `kb ingest` over a folder of hostile feeds plus good ones."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "ingest" / "hostile"


def test_one_run_over_hostile_and_good_feeds(home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), "ingest", str(HOSTILE), "--no-fetch"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed:")]
    # Every failing source is named in one line of its own.
    for name in ("13-mismatched.xml", "14-empty.xml", "15-garbage.xml", "19-not-xml.xml"):
        assert sum(name in line for line in failed) == 1, (name, failed)
    # Entity bombs and external entities are feeds with a hostile DOCTYPE: the DOCTYPE is
    # dropped unexpanded, said in a warning, and the items are kept.
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert any("10-billion-laughs.xml" in w and "never expanded" in w for w in warnings)

    db = sqlite3.connect(home / "kb.sqlite3")
    titles = {r[0] for r in db.execute("SELECT title FROM articles")}
    texts = " ".join(r[0] for r in db.execute("SELECT title || ' ' || text FROM articles"))
    # The undeclared GB18030 and Big5 feeds are decoded correctly.
    assert "贾扬清：价格战更多是营销，对收入影响有限" in titles
    assert any("\u4e00" <= c <= "\u9fff" for t in titles for c in t)
    # External entities are never resolved.
    assert "CANARY-SECRET" not in texts and "root:x:0" not in texts
    # No markup or script survives into stored text.
    assert "<script" not in texts.lower() and "onerror" not in texts.lower()
    # Good feeds are stored, and nothing half-parsed: every statement lies inside its article.
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 5
    for text, start, end, art in db.execute(
        "SELECT s.text, s.start, s.end, a.text FROM statements s JOIN articles a ON a.id = s.article_id"
    ):
        assert art[start:end] == text
    # Each failed source has a health record.
    failing = db.execute("SELECT COUNT(*) FROM sources WHERE consecutive_failures > 0").fetchone()[0]
    assert failing == len(failed)
    db.close()

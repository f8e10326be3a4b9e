"""Real feeds from ../shared/data through the whole pipeline (issue 2's acceptance checks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from tests.conftest import shared


def kb(home: Path, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), *args, "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.slow
def test_36kr_with_the_real_model(tmp_path: Path) -> None:
    """The default model end to end: ≥95 of 100 articles, ≥150 statements, idempotent, doctor clean."""
    feed = shared("feeds", "press-2016", "36kr.xml")
    home = tmp_path / "kb"
    report = kb(home, "ingest", str(feed))
    assert not report["failures"]
    stats = kb(home, "stats")
    assert stats["articles"] >= 95
    assert stats["statements"] >= 150
    kb(home, "ingest", str(feed))
    assert kb(home, "stats") == stats
    assert kb(home, "doctor")["ok"] is True


def test_all_cnbeta_snapshots_ingest_in_date_order(home: Path) -> None:
    folder = shared("feeds", "cnbeta-2026")
    files = sorted(folder.glob("*.xml"))
    assert len(files) == 201
    report = kb(home, "ingest", str(folder), "--no-fetch")
    assert report["failures"] == []
    assert report["sources"] == 201
    # Distinct articles: one per guid (link) over all snapshots.
    guids = set()
    for f in files:
        for e in feedparser.parse(f.read_bytes()).entries:
            guids.add(e.get("id") or e.get("link"))
    stats = kb(home, "stats")
    assert stats["articles"] == len(guids)
    # Ingested in date order: stored ids follow the snapshots' order.
    import sqlite3

    db = sqlite3.connect(home / "kb.sqlite3")
    first_source = db.execute("SELECT url FROM sources ORDER BY id LIMIT 1").fetchone()[0]
    assert Path(first_source).name == files[0].name
    db.close()

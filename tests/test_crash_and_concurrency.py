"""Crash safety and concurrency with real processes: `kill -9` a running ingest at random points,
run it again, and compare with a clean run; two ingests at once; reading while an ingest writes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

PEOPLE = [
    ("百川智能创始人", "王小川"),
    ("零一万物CEO", "李开复"),
    ("火山引擎总裁", "谭待"),
    ("小米集团董事长", "雷军"),
]
TOPICS = ["价格战", "开源模型", "算力成本", "出海", "人才竞争", "芯片供应"]


def write_feeds(folder: Path, files: int = 24, per_file: int = 12) -> None:
    """Feeds written for this test: every article has two attributed statements."""
    rnd = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for f in range(files):
        items = []
        for _ in range(per_file):
            n += 1
            title, name = rnd.choice(PEOPLE)
            topic = rnd.choice(TOPICS)
            body = (
                f"<p>{title}{name}表示，{topic}是今年行业最值得关注的问题之一，第{n}号观察。</p>"
                f"<p>他认为，公司会在{topic}上继续投入，并且保持耐心（编号{n}）。</p>"
            )
            items.append(
                f"<item><title>{name}谈{topic}（{n}）</title><link>https://crash.kb.invalid/{n}</link>"
                f"<guid>crash-{n}</guid><pubDate>Mon, {1 + n % 28:02d} Jul 2024 10:00:00 +0800</pubDate>"
                f"<description><![CDATA[{body}]]></description></item>"
            )
        (folder / f"feed-{f:03d}.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>崩溃测试</title>'
            + "".join(items)
            + "</channel></rss>",
            encoding="utf-8",
        )


def run_kb(home: Path, *args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=600,
        **kw,
    )


def counts(home: Path) -> dict:
    return json.loads(run_kb(home, "stats", "--json").stdout)


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash-feeds")
    write_feeds(folder)
    return folder


@pytest.fixture(scope="module")
def clean_counts(tmp_path_factory: pytest.TempPathFactory, feeds: Path) -> dict:
    home = tmp_path_factory.mktemp("clean")
    (home / "settings.toml").write_text('model = "fake"\n')
    proc = run_kb(home, "ingest", str(feeds))
    assert proc.returncode == 0, proc.stderr
    return counts(home)


def test_kill_9_during_ingest_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, feeds: Path, clean_counts: dict
) -> None:
    rnd = random.Random(int(os.environ.get("KB_CRASH_SEED", "11")))
    for attempt in range(3):
        home = tmp_path / f"kb{attempt}"
        home.mkdir()
        (home / "settings.toml").write_text('model = "fake"\n')
        proc = subprocess.Popen(
            [sys.executable, "-m", "kb", "--home", str(home), "ingest", str(feeds)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Kill at a random moment once the store exists (i.e. mid-ingest, not at start-up).
        deadline = time.time() + 60
        while not (home / "kb.sqlite3").exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(rnd.uniform(0.2, 2.5))
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if killed:
            # What was committed is whole: every statement belongs to a stored article.
            db = sqlite3.connect(home / "kb.sqlite3")
            orphans = db.execute(
                "SELECT COUNT(*) FROM statements s LEFT JOIN articles a ON a.id = s.article_id WHERE a.id IS NULL"
            ).fetchone()[0]
            db.close()
            assert orphans == 0
        again = run_kb(home, "ingest", str(feeds))
        assert again.returncode == 0, again.stderr
        assert counts(home) == clean_counts
        doctor = run_kb(home, "doctor", "--json")
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        assert json.loads(doctor.stdout)["ok"] is True


def test_two_ingests_at_once_cooperate(tmp_path: Path, feeds: Path, clean_counts: dict) -> None:
    home = tmp_path / "kb"
    home.mkdir()
    (home / "settings.toml").write_text('model = "fake"\n')
    args = [sys.executable, "-m", "kb", "--home", str(home), "ingest", str(feeds)]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    busy = run_kb(home, "ingest", str(feeds), "--no-wait")
    second = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out1, err1 = first.communicate(timeout=600)
    out2, err2 = second.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    if busy.returncode != 0:  # the first still held the lock: a clear one-line refusal
        assert "another ingest is running" in busy.stderr and "Traceback" not in busy.stderr
    assert counts(home) == clean_counts


def test_reads_keep_answering_while_an_ingest_writes(tmp_path: Path, feeds: Path) -> None:
    home = tmp_path / "kb"
    home.mkdir()
    (home / "settings.toml").write_text('model = "fake"\n')
    run_kb(home, "ingest", str(next(feeds.iterdir())))  # the store exists before reading
    writer = subprocess.Popen(
        [sys.executable, "-m", "kb", "--home", str(home), "ingest", str(feeds)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    from kb.store import Store

    seen = []
    reader = Store(home / "kb.sqlite3", readonly=True)
    while writer.poll() is None:
        t = time.perf_counter()
        seen.append(reader.stats()["articles"])
        assert time.perf_counter() - t < 2.0  # WAL: readers are never blocked by the writer
        time.sleep(0.05)
    reader.close()
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert seen == sorted(seen)  # counts only grow; no half-written state is visible

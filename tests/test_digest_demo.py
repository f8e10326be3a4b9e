"""The bundled demo data (data/demo) is what the README, the app and the digest demo run on: check
that it stays a well-formed, clearly marked demo with the material the other stages need."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import feedparser
import pytest

from kb.textnorm import is_traditional

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.fixture(scope="module")
def feed():  # type: ignore[no-untyped-def]
    return feedparser.parse(str(DEMO / "demo-feed.xml"))


def test_feed_is_a_marked_demo(feed) -> None:  # type: ignore[no-untyped-def]
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert "[DEMO]" in feed.feed.title and "[DEMO]" in feed.feed.description
    assert "not real reporting" in feed.feed.description


def test_items(feed) -> None:  # type: ignore[no-untyped-def]
    items = feed.entries
    assert len(items) >= 22
    assert len({e.guid for e in items}) == len(items) == len({e.link for e in items})
    assert all(e.link.startswith("https://demo.kb.invalid/") for e in items)
    raw = (DEMO / "demo-feed.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<pubDate>([^<]+)</pubDate>", raw)
    assert len(dates) == len(items) and all(d.endswith("+0800") for d in dates)
    days = [datetime(*e.published_parsed[:3]) for e in items]
    assert min(days) >= datetime(2024, 5, 1) and max(days) <= datetime(2024, 8, 31)
    texts = [e.content[0].value for e in items]
    assert all(t.count("<p>") >= 3 for t in texts)
    trad = [e for e, t in zip(items, texts, strict=True) if is_traditional(t)]
    assert len(trad) >= 5
    # Several ISO weeks with several articles, so digests and timelines have content.
    weeks = Counter(d.isocalendar()[1] for d in days)
    assert sum(1 for n in weeks.values() if n >= 2) >= 5
    # Outlets come from <source>; a syndicated quote appears in two of them.
    assert len({e.source.title for e in items}) >= 4


def test_attribution_material(feed) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(e.content[0].value for e in feed.entries)
    for needle in ["表示", "认为", "指出", "称", "透露", "坦言", "“", "「", "一位不愿透露姓名的业内人士",
                   "字节跳动方面回应称", "据彭博社报道", "百川智能创始人兼CEO王小川", "。他"]:  # fmt: skip
        assert needle in text, needle
    ofo = [e for e in feed.entries if "ofo" in e.content[0].value and ("不希望" in e.content[0].value)]
    assert len({e.source.title for e in ofo}) == 2


def test_article_files() -> None:
    files = sorted((DEMO / "articles").glob("*.*"))
    assert len(files) >= 2
    for f in files:
        first, _, rest = f.read_text(encoding="utf-8").partition("\n")
        assert first.strip() and len(first) < 80 and "表示" in rest
        assert "kb" in rest  # each says it was written by the team


def test_commands_have_help_with_example() -> None:
    from kb.cli import cli

    for name in ("digest", "subscribe", "subscriptions", "unsubscribe"):
        cmd = cli.commands[name]
        assert cmd.help and "Example" in cmd.help, name

"""Continuous ingest against a real HTTP server on loopback: conditional GET, health, backoff."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kb.base import KnowledgeBase
from kb.config import load_settings
from kb.watch import parse_every, watch_round
from tests.conftest import FIXTURES

FEED = (FIXTURES / "pipeline" / "feed.xml").read_bytes()


class FeedServer(http.server.BaseHTTPRequestHandler):
    status = 200
    hits: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        FeedServer.hits.append((self.path, self.headers.get("If-None-Match")))
        if FeedServer.status != 200:
            self.send_response(FeedServer.status)
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    FeedServer.status, FeedServer.hits = 200, []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml"
    httpd.shutdown()


@pytest.fixture
def base(home: Path) -> Iterator[KnowledgeBase]:
    settings = load_settings(home, allow_private_network=True, per_host_delay_s=0.0)
    with KnowledgeBase(settings) as kb:
        yield kb


def test_parse_every() -> None:
    assert parse_every("15m") == timedelta(minutes=15)
    assert parse_every("1h30m") == timedelta(hours=1, minutes=30)
    with pytest.raises(Exception, match="cannot read the interval"):
        parse_every("soon")


def test_watch_reads_due_feeds_with_conditional_get_and_backs_off(base: KnowledgeBase, server: str) -> None:
    store = base.store
    store.upsert_source(server, "测试科技", "feed")
    every = timedelta(minutes=15)

    first = watch_round(base, every, fetch=False)
    assert first.new_articles == 3 and not first.failures
    row = store.source(server)
    assert row["etag"] == '"v1"' and row["consecutive_failures"] == 0 and row["last_success"]
    assert datetime.fromisoformat(row["next_due"]) > datetime.now(UTC) + timedelta(minutes=14)

    # Not due yet: nothing is fetched.
    assert watch_round(base, every, fetch=False).sources == 0

    # Due again: the server answers 304 to the stored ETag; nothing new, the feed stays healthy.
    store.db.execute("UPDATE sources SET next_due = NULL")
    again = watch_round(base, every, fetch=False)
    assert again.new_articles == 0 and not again.failures
    assert FeedServer.hits[-1][1] == '"v1"'

    # Failing: one clear line, a failure count, and a longer wait before the next try.
    FeedServer.status = 500
    for expected in (1, 2):
        store.db.execute("UPDATE sources SET next_due = NULL")
        failed = watch_round(base, every, fetch=False)
        assert len(failed.failures) == 1 and "500" in failed.failures[0]
        row = store.source(server)
        assert row["consecutive_failures"] == expected and row["stale_since"]
    wait = datetime.fromisoformat(row["next_due"]) - datetime.now(UTC)
    assert wait > timedelta(minutes=55)  # 15 min × 2² after two failures

    # Recovery resets the health record.
    FeedServer.status = 200
    store.db.execute("UPDATE sources SET next_due = NULL")
    assert not watch_round(base, every, fetch=False).failures
    assert store.source(server)["consecutive_failures"] == 0

"""Continuous ingest: read every configured feed on a schedule, with backoff for failing feeds.

A feed is due when `next_due` has passed. After a success it is due again after `every`; after a
failure the wait doubles with each consecutive failure (capped at 32×, and at one day), so a dead
feed is tried less and less often but never forgotten. Health lives in the sources table
(last success, consecutive failures, stale since) and is shown by `kb sources`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kb.base import KnowledgeBase
from kb.errors import UsageError
from kb.pipeline import IngestReport, ingest_sources

MAX_BACKOFF = timedelta(days=1)


def parse_every(value: str) -> timedelta:
    """'15m', '1h', '90s', '2h30m' → timedelta."""
    import re

    parts = re.findall(r"(\d+)\s*([smhd])", value.strip().lower())
    if not parts or "".join(n + u for n, u in parts) != re.sub(r"\s+", "", value.strip().lower()):
        raise UsageError(f"cannot read the interval {value!r} (try 15m, 1h, 90s)")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    delta = timedelta()
    for n, u in parts:
        delta += timedelta(**{unit[u]: int(n)})
    if delta.total_seconds() < 1:
        raise UsageError("the interval must be at least one second")
    return delta


def due_sources(kb: KnowledgeBase, now: datetime) -> list[str]:
    rows = kb.store.db.execute(
        "SELECT url FROM sources WHERE kind = 'feed' AND (next_due IS NULL OR next_due <= ?) ORDER BY url",
        (now.isoformat(),),
    ).fetchall()
    return [r[0] for r in rows]


def schedule_next(kb: KnowledgeBase, url: str, every: timedelta, now: datetime) -> None:
    row = kb.store.source(url)
    failures = int(row["consecutive_failures"]) if row else 0
    wait = min(every * (2 ** min(failures, 5)), max(MAX_BACKOFF, every))
    with kb.store.transaction() as db:
        db.execute("UPDATE sources SET next_due = ? WHERE url = ?", ((now + wait).isoformat(), url))


def watch_round(
    kb: KnowledgeBase, every: timedelta, *, fetch: bool = True, notify: Callable[[str], None] | None = None
) -> IngestReport:
    """Read the feeds that are due, once; returns what the round did."""
    now = datetime.now(UTC)
    report = IngestReport()
    for url in due_sources(kb, now):
        r = ingest_sources(kb, [url], fetch=fetch, notify=notify)
        for k in ("sources", "items", "new_articles", "duplicates", "statements", "reindexed"):
            setattr(report, k, getattr(report, k) + getattr(r, k))
        report.failures += r.failures
        report.warnings += r.warnings
        schedule_next(kb, url, every, now)
    return report


def watch(
    kb: KnowledgeBase,
    every: timedelta,
    *,
    rounds: int | None = None,
    fetch: bool = True,
    on_round: Callable[[IngestReport], Any] | None = None,
    notify: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    done = 0
    while rounds is None or done < rounds:
        report = watch_round(kb, every, fetch=fetch, notify=notify)
        if on_round:
            on_round(report)
        done += 1
        if rounds is not None and done >= rounds:
            break
        sleep(min(every.total_seconds(), 60.0))

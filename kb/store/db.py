"""`Store` owns the SQLite file: connection settings, migrations, and every write.

Writes are idempotent (articles keyed by guid, URL and content hash; statements by a hash of the
article and their offsets) and transactional (an article and all its statements land together or
not at all), so a crash at any moment leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kb.records import ParsedItem, Statement
from kb.store.migrations import MIGRATIONS
from kb.textnorm import content_hash, quote_key, search_tokens, to_simplified


class StoreError(Exception):
    """A problem with the store that the user can act on (message is shown as is)."""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def statement_id(article_hash: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{article_hash}:{start}:{end}".encode()).hexdigest()[:20]


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).replace(microsecond=0).isoformat() if dt else None


class Store:
    """One knowledge base's SQLite file. Safe to share between threads (one lock per write)."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreError(f"no knowledge base at {self.path.parent} (run `kb ingest` first)")
        self._lock = threading.RLock()
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        # check_same_thread=False: Streamlit serves each session from its own thread.
        self.db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA busy_timeout = 30000")
        self.db.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            # WAL: readers (the app) never block the writer (ingest) and vice versa.
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and migrations -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; rolls back on any exception. Re-entrant (nested = joined)."""
        with self._lock:
            if self.db.in_transaction:
                yield self.db
                return
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")

    def schema_version(self) -> int:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:
            return 0
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        with self.transaction() as db:
            version = self.schema_version()
            for n, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                migration(db)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(n),))

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- sources ---------------------------------------------------------------------------

    def upsert_source(self, url: str, name: str, kind: str = "feed") -> int:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sources (name, url, kind, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET name = CASE WHEN excluded.name != '' "
                "THEN excluded.name ELSE sources.name END",
                (name, url, kind, now_iso()),
            )
            return int(db.execute("SELECT id FROM sources WHERE url = ?", (url,)).fetchone()[0])

    def source(self, url: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM sources WHERE url = ?", (url,)).fetchone()

    def sources(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM sources ORDER BY name, url").fetchall()

    def record_source_read(
        self,
        url: str,
        *,
        ok: bool,
        error: str | None = None,
        new_articles: int = 0,
        etag: str | None = None,
        last_modified: str | None = None,
        name: str | None = None,
    ) -> None:
        """Feed health: last read/success, consecutive failures, conditional-GET validators."""
        now = now_iso()
        with self.transaction() as db:
            if ok:
                db.execute(
                    "UPDATE sources SET last_read = ?, last_success = ?, last_error = NULL, "
                    "consecutive_failures = 0, articles = articles + ?, "
                    "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
                    "stale_since = CASE WHEN ? > 0 THEN NULL ELSE COALESCE(stale_since, ?) END, "
                    "name = COALESCE(?, name) WHERE url = ?",
                    (now, now, new_articles, etag, last_modified, new_articles, now, name, url),
                )
            else:
                db.execute(
                    "UPDATE sources SET last_read = ?, last_error = ?, "
                    "consecutive_failures = consecutive_failures + 1, "
                    "stale_since = COALESCE(stale_since, ?) WHERE url = ?",
                    (now, error, now, url),
                )

    # -- articles and statements -------------------------------------------------------------

    def find_article(self, *, guid: str | None, url: str | None, chash: str) -> int | None:
        """The id of an already stored copy of this article (same guid, URL or content)."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ? "
            "OR (guid IS NOT NULL AND guid = ?) OR (url IS NOT NULL AND url = ?) LIMIT 1",
            (chash, guid, url),
        ).fetchone()
        return int(row[0]) if row else None

    def add_article(
        self, item: ParsedItem, statements: Sequence[Statement], source_id: int | None = None
    ) -> int | None:
        """Store an article and its statements in one transaction. Returns the new article id,
        or None when an equal article is already stored (nothing is written then)."""
        chash = content_hash(item.title, item.text)
        with self.transaction() as db:
            if self.find_article(guid=item.guid, url=item.url, chash=chash) is not None:
                return None
            cur = db.execute(
                "INSERT INTO articles (guid, url, content_hash, title, text, published, tz, "
                "source_id, source_name, author, summary_only, demo, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item.guid,
                    item.url,
                    chash,
                    item.title,
                    item.text,
                    iso(item.published),
                    item.tz,
                    source_id,
                    item.source,
                    item.author,
                    int(item.summary_only),
                    int(item.demo),
                    now_iso(),
                ),
            )
            article_id = int(cur.lastrowid or 0)
            self._insert_statements(db, article_id, chash, iso(item.published), statements)
            return article_id

    def _insert_statements(
        self,
        db: sqlite3.Connection,
        article_id: int,
        chash: str,
        published: str | None,
        statements: Sequence[Statement],
    ) -> None:
        for seq, s in enumerate(statements):
            sid = statement_id(chash, s.start, s.end)
            simp = to_simplified(s.text)
            db.execute(
                "INSERT OR IGNORE INTO statements (id, article_id, seq, text, text_simplified, "
                "start, end, kind, cue, speaker, speaker_id, speaker_mention, speaker_type, "
                "anonymous, title, organization, company_id, published, quote_key, topics, stance, confidence, "
                "speaker_start, speaker_end, named_start, named_end) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sid, article_id, seq, s.text, simp, s.start, s.end, s.kind, s.cue,
                    s.speaker, s.speaker_id, s.speaker_mention, s.speaker_type, int(s.anonymous),
                    s.title, s.organization, s.company_id, published, quote_key(s.text),
                    json.dumps(s.topics, ensure_ascii=False), s.stance, s.confidence,
                    s.speaker_start, s.speaker_end, s.named_start, s.named_end,
                ),
            )  # fmt: skip
            for topic in s.topics:
                db.execute(
                    "INSERT OR REPLACE INTO statement_topics (statement_id, topic, stance) VALUES (?, ?, ?)",
                    (sid, topic, s.stances.get(topic, s.stance)),
                )
            # The speaker and title are searchable words too ("雷军 芯片").
            words = " ".join(x for x in (s.speaker, s.speaker_mention, s.organization, s.text) if x)
            db.execute(
                "INSERT INTO statements_fts (tokens, statement_id) VALUES (?, ?)",
                (search_tokens(words), sid),
            )

    def replace_article(
        self, old_id: int, item: ParsedItem, statements: Sequence[Statement], source_id: int | None = None
    ) -> int | None:
        """Swap a stored article for a fuller copy (a feed first carried only its summary). The old
        statements go, their vectors are queued for deletion from the index; one transaction."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO index_tombstones SELECT id FROM statements WHERE article_id = ?",
                (old_id,),
            )
            db.execute(
                "DELETE FROM statements_fts WHERE statement_id IN (SELECT id FROM statements WHERE article_id = ?)",
                (old_id,),
            )
            db.execute("DELETE FROM articles WHERE id = ?", (old_id,))
            new_id = self.add_article(item, statements, source_id)
            # A statement kept at the same offsets keeps its id: it must not be deleted then.
            db.execute("DELETE FROM index_tombstones WHERE statement_id IN (SELECT id FROM statements)")
            return new_id

    def tombstones(self, limit: int = 1000) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT statement_id FROM index_tombstones LIMIT ?", (limit,))]

    def clear_tombstones(self, ids: Sequence[str]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM index_tombstones WHERE statement_id = ?", [(i,) for i in ids])

    def summary_only_article(self, *, guid: str | None, url: str | None) -> int | None:
        """The id of a stored summary-only article with this guid or URL, if any."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE summary_only = 1 AND ((guid IS NOT NULL AND guid = ?) "
            "OR (url IS NOT NULL AND url = ?)) LIMIT 1",
            (guid, url),
        ).fetchone()
        return int(row[0]) if row else None

    def article(self, article_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()

    def articles(self, limit: int = 20, offset: int = 0) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT a.*, (SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id) AS statements "
            "FROM articles a ORDER BY published DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()

    def statements(self, ids: Iterable[str]) -> list[sqlite3.Row]:
        """Statements joined with their article, in the order of `ids`."""
        ids = list(ids)
        rows: dict[str, sqlite3.Row] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT s.*, a.title AS article_title, a.url AS url, a.source_name AS source, "
                f"a.tz AS tz FROM statements s JOIN articles a ON a.id = s.article_id "
                f"WHERE s.id IN ({q})",
                chunk,
            ):
                rows[r["id"]] = r
        return [rows[i] for i in ids if i in rows]

    def article_statements(self, article_id: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM statements WHERE article_id = ? ORDER BY seq", (article_id,)
        ).fetchall()

    def unindexed(self, limit: int = 1000) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT s.*, a.source_name AS source FROM statements s "
            "JOIN articles a ON a.id = s.article_id WHERE s.indexed = 0 LIMIT ?",
            (limit,),
        ).fetchall()

    def mark_indexed(self, ids: Sequence[str], value: int = 1) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE statements SET indexed = ? WHERE id = ?", [(value, i) for i in ids])

    def mark_all_unindexed(self) -> None:
        with self.transaction() as db:
            db.execute("UPDATE statements SET indexed = 0")

    def statement_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM statements")}

    # -- counts ------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "statements": one("SELECT COUNT(*) FROM statements"),
            "people": one("SELECT COUNT(*) FROM people WHERE status != 'merged'"),
            "companies": one("SELECT COUNT(*) FROM companies WHERE status != 'merged'"),
            "sources": one("SELECT COUNT(*) FROM sources"),
        }

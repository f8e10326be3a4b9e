"""Schema of the record of truth, as numbered migrations.

Each migration runs once, in order, inside one transaction; `meta.schema_version` records how far
a KB has come. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Execute statement by statement: `executescript` would COMMIT the caller's transaction."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf[:80]!r}")


def m001_create_tables(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

        -- A feed URL, a feed file, an OPML entry or a folder of article files.
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            url TEXT NOT NULL UNIQUE,          -- URL or absolute file path
            kind TEXT NOT NULL DEFAULT 'feed', -- feed | file | article
            added_at TEXT NOT NULL,
            last_read TEXT,
            last_success TEXT,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            etag TEXT,
            last_modified TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            stale_since TEXT,
            next_due TEXT
        );

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            guid TEXT,
            url TEXT,
            content_hash TEXT NOT NULL UNIQUE, -- sha1 of normalised title + text
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            published TEXT,                    -- ISO 8601 UTC
            tz TEXT NOT NULL DEFAULT '+08:00', -- the source's own offset
            source_id INTEGER REFERENCES sources(id),
            source_name TEXT NOT NULL DEFAULT '',
            author TEXT,
            summary_only INTEGER NOT NULL DEFAULT 0,
            demo INTEGER NOT NULL DEFAULT 0,
            ingested_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX articles_guid ON articles(guid) WHERE guid IS NOT NULL;
        CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
        CREATE INDEX articles_published ON articles(published);

        CREATE TABLE statements (
            id TEXT PRIMARY KEY,               -- sha1(article content_hash, start, end)
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,              -- order within the article
            text TEXT NOT NULL,                -- as written (original script)
            text_simplified TEXT NOT NULL,     -- for analysis and keyword search
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            kind TEXT NOT NULL,                -- direct | indirect
            cue TEXT,
            speaker TEXT,                      -- canonical name; NULL for unnamed sources
            speaker_id TEXT,                   -- people.id / companies.id when known
            speaker_mention TEXT NOT NULL,
            speaker_type TEXT NOT NULL,        -- person | organization | media | unnamed
            anonymous INTEGER NOT NULL DEFAULT 0,
            title TEXT,
            organization TEXT,
            company_id TEXT,
            published TEXT,                    -- copied from the article for fast filters
            quote_key TEXT NOT NULL,           -- normalised text hash: syndicated copies share it
            topics TEXT NOT NULL DEFAULT '[]', -- JSON list of topic ids
            stance TEXT,                       -- toward the first topic
            corrected INTEGER NOT NULL DEFAULT 0,
            indexed INTEGER NOT NULL DEFAULT 0 -- 1 once its vector is in the index
        );
        CREATE INDEX statements_article ON statements(article_id);
        CREATE INDEX statements_speaker ON statements(speaker_id, published);
        CREATE INDEX statements_company ON statements(company_id, published);
        CREATE INDEX statements_published ON statements(published);
        CREATE INDEX statements_quote ON statements(quote_key);
        CREATE INDEX statements_unindexed ON statements(indexed) WHERE indexed = 0;

        -- Per statement and topic: relevance and the speaker's stance toward the topic.
        CREATE TABLE statement_topics (
            statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
            topic TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 1.0,
            stance TEXT,                       -- for | against | neutral | mixed
            stance_score REAL,
            origin TEXT NOT NULL DEFAULT 'model', -- model | manual
            PRIMARY KEY (statement_id, topic)
        );
        CREATE INDEX statement_topics_topic ON statement_topics(topic);

        -- People and companies: curated (from data/) or discovered by ingest.
        CREATE TABLE people (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,                -- canonical, simplified script for Chinese names
            name_en TEXT,
            origin TEXT NOT NULL DEFAULT 'curated', -- curated | discovered
            status TEXT NOT NULL DEFAULT 'confirmed', -- confirmed | unconfirmed | merged
            merged_into TEXT,
            note TEXT
        );
        CREATE TABLE companies (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_en TEXT,
            kind TEXT NOT NULL DEFAULT 'company', -- company | media | organization
            origin TEXT NOT NULL DEFAULT 'curated',
            status TEXT NOT NULL DEFAULT 'confirmed',
            merged_into TEXT,
            note TEXT
        );
        CREATE TABLE aliases (
            norm TEXT NOT NULL,                -- simplified, lower case, no spaces
            alias TEXT NOT NULL,               -- as written
            entity_kind TEXT NOT NULL,         -- person | company
            entity_id TEXT NOT NULL,
            PRIMARY KEY (norm, entity_kind, entity_id)
        );
        CREATE TABLE affiliations (
            person_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            since TEXT,                        -- ISO date or NULL (unknown)
            until TEXT,
            origin TEXT NOT NULL DEFAULT 'curated',
            PRIMARY KEY (person_id, company_id, title)
        );
        CREATE INDEX affiliations_company ON affiliations(company_id);

        -- An analyst's fix of a statement; kept so the fix survives re-extraction.
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            statement_id TEXT NOT NULL,
            field TEXT NOT NULL,               -- speaker | organization | stance:<topic> | topics
            old TEXT,
            new TEXT,
            at TEXT NOT NULL,
            note TEXT
        );
        CREATE INDEX corrections_statement ON corrections(statement_id);

        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            people TEXT NOT NULL DEFAULT '[]',
            companies TEXT NOT NULL DEFAULT '[]',
            topics TEXT NOT NULL DEFAULT '[]',
            query TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE digest_sends (
            address TEXT NOT NULL,
            window_start TEXT NOT NULL,
            window_end TEXT NOT NULL,
            status TEXT NOT NULL,              -- sent | failed
            attempts INTEGER NOT NULL DEFAULT 1,
            at TEXT NOT NULL,
            message_id TEXT,
            error TEXT,
            PRIMARY KEY (address, window_start, window_end)
        );
        """,
    )


def m002_fulltext(db: sqlite3.Connection) -> None:
    # Keyword search: FTS5 over jieba tokens of the simplified text, joined by spaces, so that
    # both scripts and any segmentation of a query meet the same tokens.
    run_script(
        db,
        """
        CREATE VIRTUAL TABLE statements_fts USING fts5(
            tokens, statement_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
        );
        """,
    )


def m003_index_tombstones(db: sqlite3.Connection) -> None:
    # Vectors to delete from the index, written in the same transaction that deletes their
    # statements (an outbox): a crash before Chroma has deleted them leaves the ids here, and the
    # next run finishes the job, so the index never keeps vectors of statements that are gone.
    run_script(db, "CREATE TABLE index_tombstones (statement_id TEXT PRIMARY KEY);")


def m004_search_name_indexes(db: sqlite3.Connection) -> None:
    # Search filters (kb.search.filters) also match statements by the names they carry when the
    # registry id is missing (s.organization / s.speaker IN (...)); without these indexes SQLite
    # walks every statement with a NULL id for them (0.3 s at 100k statements, 3 s at 1M).
    run_script(
        db,
        """
        CREATE INDEX IF NOT EXISTS statements_organization ON statements(organization);
        CREATE INDEX IF NOT EXISTS statements_speaker_name ON statements(speaker);
        """,
    )


def m005_correction_anchors(db: sqlite3.Connection) -> None:
    # Statement ids hash the article's content, so a re-extraction (a summary replaced by its full
    # text, new rules) gives every statement a new id. A correction keeps what finds its statement
    # again (kb.corrections.follow): the article's guid and URL, the quote's key and text, the
    # speaker as extracted, and the statement fields the fix set. A trigger fills the anchors for
    # every insert (kb.stance.label_statement writes corrections rows too).
    run_script(
        db,
        """
        ALTER TABLE corrections ADD COLUMN article_guid TEXT;
        ALTER TABLE corrections ADD COLUMN article_url TEXT;
        ALTER TABLE corrections ADD COLUMN quote_key TEXT;        -- textnorm.quote_key of the statement
        ALTER TABLE corrections ADD COLUMN quote_text TEXT;       -- the statement's text when corrected
        ALTER TABLE corrections ADD COLUMN speaker_mention TEXT;  -- the speaker as extracted
        ALTER TABLE corrections ADD COLUMN applied TEXT;          -- JSON: statement fields the fix set
        ALTER TABLE corrections ADD COLUMN status TEXT NOT NULL DEFAULT 'applied'; -- | satisfied | orphaned
        CREATE INDEX corrections_article_guid ON corrections(article_guid) WHERE article_guid IS NOT NULL;
        CREATE INDEX corrections_article_url ON corrections(article_url) WHERE article_url IS NOT NULL;

        CREATE TRIGGER corrections_anchor AFTER INSERT ON corrections WHEN NEW.quote_text IS NULL
        BEGIN
            UPDATE corrections SET
                article_guid = (SELECT a.guid FROM statements s JOIN articles a ON a.id = s.article_id
                                WHERE s.id = NEW.statement_id),
                article_url = (SELECT a.url FROM statements s JOIN articles a ON a.id = s.article_id
                               WHERE s.id = NEW.statement_id),
                quote_key = (SELECT quote_key FROM statements WHERE id = NEW.statement_id),
                quote_text = (SELECT text FROM statements WHERE id = NEW.statement_id),
                speaker_mention = (SELECT speaker_mention FROM statements WHERE id = NEW.statement_id)
            WHERE id = NEW.id;
        END;

        UPDATE corrections SET
            article_guid = (SELECT a.guid FROM statements s JOIN articles a ON a.id = s.article_id
                            WHERE s.id = corrections.statement_id),
            article_url = (SELECT a.url FROM statements s JOIN articles a ON a.id = s.article_id
                           WHERE s.id = corrections.statement_id),
            quote_key = (SELECT quote_key FROM statements WHERE id = corrections.statement_id),
            quote_text = (SELECT text FROM statements WHERE id = corrections.statement_id),
            speaker_mention = (SELECT speaker_mention FROM statements WHERE id = corrections.statement_id);

        -- Fixes made before this migration: the statement's current values are what they set.
        UPDATE corrections SET applied = (
            SELECT json_object('speaker', speaker, 'speaker_id', speaker_id, 'speaker_type', speaker_type,
                               'anonymous', anonymous, 'title', title, 'organization', organization,
                               'company_id', company_id)
            FROM statements WHERE id = corrections.statement_id)
        WHERE field = 'speaker';
        UPDATE corrections SET applied = (
            SELECT json_object('organization', organization, 'company_id', company_id)
            FROM statements WHERE id = corrections.statement_id)
        WHERE field = 'organization';
        UPDATE corrections SET status = 'orphaned'
        WHERE NOT EXISTS (SELECT 1 FROM statements WHERE id = corrections.statement_id);
        """,
    )


def m006_statement_confidence(db: sqlite3.Connection) -> None:
    # How far the speaker can be trusted (kb/nlp/confidence.py): NULL for statements extracted before
    # the model existed or without it; the app marks the ones below its "confident" mark.
    run_script(db, "ALTER TABLE statements ADD COLUMN confidence REAL;")


def m007_subscription_hide_unsure(db: sqlite3.Connection) -> None:
    # A subscription may leave statements whose speaker is in doubt (kb/nlp/confidence.py `unsure`) out
    # of its digests; existing subscriptions keep getting them, marked.
    run_script(db, "ALTER TABLE subscriptions ADD COLUMN hide_unsure INTEGER NOT NULL DEFAULT 0;")


def m008_statement_evidence(db: sqlite3.Connection) -> None:
    # The evidence for a statement's speaker (kb.records.Statement): where the speaker is written for it,
    # and for a reference (他, 该公司) where the name it stands for is written. NULL for statements
    # extracted before; the app then shows no evidence line.
    run_script(
        db,
        """
        ALTER TABLE statements ADD COLUMN speaker_start INTEGER;
        ALTER TABLE statements ADD COLUMN speaker_end INTEGER;
        ALTER TABLE statements ADD COLUMN named_start INTEGER;
        ALTER TABLE statements ADD COLUMN named_end INTEGER;
        """,
    )


MIGRATIONS: list[Migration] = [
    m001_create_tables,
    m002_fulltext,
    m003_index_tombstones,
    m004_search_name_indexes,
    m005_correction_anchors,
    m006_statement_confidence,
    m007_subscription_hide_unsure,
    m008_statement_evidence,
]

"""Reading sources: feeds (URLs, files, OPML lists) and article files → clean `ParsedItem`s.

This package only reads: it fetches, decodes, parses, cleans and dedupes within one source, and
returns records. It never touches the store; `kb.pipeline` decides what is new.

    specs = expand_sources(["feeds.opml", "../shared/data/feeds/cnbeta-2026", "note.md"])
    for spec in specs:
        read = read_source(spec, settings)
        if read.error: ...          # the whole source failed: one clear line
        read.items, read.errors     # items sorted by date; item-level problems, one line each

Order inside `read_source` and why:
1. fetch (URL: conditional GET, size cap, timeout, address checks, per-host delay) or read the file;
2. decode (BOM → HTTP charset → declaration → UTF-8 → GB18030 vs Big5) and defuse (DOCTYPE out);
3. parse with feedparser, keeping a malformed document's items only while it is still a feed;
4. clean (HTML → text with paragraphs; cnbeta noise), cap huge items, dedupe guid/URL in the feed;
5. for summary-only items, fetch the article page and extract its main text (trafilatura).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.articles import parse_article
from ingest.clean import cap_text, clean_html, clean_title, html_to_text
from ingest.dates import parse_date
from ingest.encoding import charset_from_content_type, decode
from ingest.feeds import SUMMARY_CHARS, parse_feed
from ingest.fulltext import fetch_full_text as _fetch_full_text
from ingest.net import BREAKER, LIMITER, FetchError, fetch
from ingest.sources import SourceSpec, expand_sources, is_url, parse_opml
from kb.records import ParsedItem

__all__ = [
    "SourceSpec",
    "SourceRead",
    "expand_sources",
    "read_source",
    "parse_opml",
    "parse_feed",
    "parse_date",
    "html_to_text",
    "clean_html",
    "clean_title",
    "decode",
    "BREAKER",
    "LIMITER",
]


@dataclass
class SourceRead:
    spec: Any
    name: str = ""  # outlet name: --source, else the OPML title, else the feed's title
    items: list[ParsedItem] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # 304: nothing changed since the given etag / last_modified
    errors: list[str] = field(default_factory=list)  # item-level problems, one line each
    error: str | None = None  # the whole source failed, one clear line
    notes: list[str] = field(default_factory=list)  # information, e.g. full text not fetched
    encoding: str = ""
    updated: datetime | None = None  # the feed's own date, a fallback for undated items


def _label(location: str) -> str:
    return location if is_url(location) else Path(location).name


def read_source(
    spec: SourceSpec,
    settings: Any,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    published: object = None,
    source_name: str | None = None,
    fetch_full_text: bool = True,
) -> SourceRead:
    """Read one source. Never raises for bad input: the failure is `SourceRead.error`."""
    try:
        return _read(spec, settings, etag, last_modified, published, source_name, fetch_full_text)
    except Exception as e:  # noqa: BLE001 - a bug or an unforeseen input must not stop the run
        return SourceRead(spec=spec, error=f"{_label(spec.location)}: {type(e).__name__}: {str(e)[:200]}")


def _read(
    spec: SourceSpec,
    settings: Any,
    etag: str | None,
    last_modified: str | None,
    published: object,
    source_name: str | None,
    fetch_full_text: bool,
) -> SourceRead:
    label = _label(spec.location)
    spec_name = getattr(spec, "name", "") or ""
    out = SourceRead(spec=spec, name=source_name or spec_name)
    if getattr(spec, "error", None):
        out.error = spec.error
        return out
    max_bytes = int(getattr(settings, "max_bytes", 20_000_000))
    http_charset = None
    if is_url(spec.location):
        try:
            resp = fetch(spec.location, settings, etag=etag, last_modified=last_modified)
        except FetchError as e:
            out.error = str(e)
            return out
        out.etag = resp.headers.get("etag") or etag
        out.last_modified = resp.headers.get("last-modified") or last_modified
        if resp.not_modified:
            out.not_modified = True
            return out
        data = resp.body
        http_charset = charset_from_content_type(resp.content_type)
    else:
        path = Path(spec.location)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                out.error = f"{label}: larger than the {max_bytes:,}-byte limit ({size:,} bytes)"
                return out
            data = path.read_bytes()
        except OSError as e:
            out.error = f"{label}: cannot read ({e.strerror or e})"
            return out
        if getattr(spec, "kind", "feed") == "article":
            item, errors, error = parse_article(data, path=path, published=published, source_name=source_name)
            out.errors, out.error = errors, error
            out.items = [item] if item else []
            return out

    when = parse_date(published)[0] if published is not None else None
    res = parse_feed(
        data,
        label=label,
        source_url=spec.location,
        http_charset=http_charset,
        source_name=source_name or None,
        published=when,
    )
    out.errors, out.notes, out.encoding, out.updated = res.errors, res.notes, res.encoding, res.updated
    if res.error:
        out.error = res.error
        return out
    out.name = source_name or spec_name or res.title or label  # a curated OPML title wins
    for item in res.items:
        # An item's own outlet (<source> in an aggregated feed) wins over the feed's name,
        # except over an outlet the user named with --source.
        if source_name or not item.source or item.source == res.title:
            item.source = out.name
    out.items = res.items
    if fetch_full_text:
        _complete_summaries(out, settings)
    return out


def _complete_summaries(out: SourceRead, settings: Any) -> None:
    """Replace summaries by the article's main text where the page can be fetched."""
    failed: list[str] = []
    for item in out.items:
        if not item.summary_only or not item.url or not is_url(item.url):
            continue
        text, why = _fetch_full_text(item.url, settings)
        if text and len(text) > max(len(item.text), SUMMARY_CHARS // 2):
            item.text, item.summary_only = cap_text(text)[0], False
        elif why:
            failed.append(why)
    if failed:
        out.notes.append(
            f"{_label(out.spec.location)}: full text not fetched for {len(failed)} summary-only items, "
            f"summaries kept (first: {failed[0]})"
        )

"""Feed bytes → clean `ParsedItem`s: decode, defuse, parse with feedparser, clean, dedupe, sort.

Hostile input is handled before feedparser sees it: the bytes are decoded by us (feedparser alone
misreads undeclared GB18030) and any DOCTYPE is removed, so no entity — internal (billion laughs)
or external (file:///etc/passwd) — can ever be expanded. Malformed XML is kept only when it is
still recognisably a feed, and items cut off by a truncated document are dropped, so nothing
half-parsed goes on to the store.
"""

from __future__ import annotations

import html as htmllib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import feedparser

from ingest.clean import MAX_TEXT, cap_text, clean_html, clean_title
from ingest.dates import parse_date
from ingest.encoding import decode, to_utf8_xml
from kb.records import ParsedItem

SUMMARY_CHARS = 200  # an item whose only text is shorter than this is a summary, not an article

_ROOT_START = re.compile(r"<[A-Za-z_]")
_XML_DECL = re.compile(r"\s*<\?xml[^<>]*\?>")
_DOCTYPE_START = re.compile(r"<!DOCTYPE", re.I)
_ENTITY_START = re.compile(r"<!ENTITY", re.I)
_STRAY_DECL = re.compile(r"<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)[^<>]*>?", re.I)
_ROOT = re.compile(r"<([A-Za-z_][\w:.-]*)")
_ITEM_CLOSE = re.compile(r"</\s*(?:[\w.-]+:)?(?:item|entry)\s*>", re.I)
_FEED_ROOTS = ("rss", "feed", "rdf:rdf", "rdf", "channel")


@dataclass
class FeedResult:
    title: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # problems with the input, one line each
    notes: list[str] = field(default_factory=list)  # information (encoding guessed, …)
    encoding: str = ""
    updated: datetime | None = None
    error: str | None = None  # the whole document is unusable


def _defuse(text: str) -> tuple[str, bool]:
    """Remove any DOCTYPE (and stray ENTITY declarations); True when entities were declared.

    A DOCTYPE may only stand in the prolog, before the root element, so when there is one the
    whole prolog except the XML declaration is dropped: linear time whatever the input, and no
    internal subset survives to be parsed. Stray declarations later on are invalid XML anyway.
    """
    root = _ROOT_START.search(text)
    cut = root.start() if root else len(text)
    prolog = text[:cut]
    had_entities = bool(_ENTITY_START.search(prolog))
    if "<!" in prolog and _DOCTYPE_START.search(prolog):
        decl = _XML_DECL.match(prolog)
        text = (decl.group(0) if decl else "") + "\n" + text[cut:]
    if _ENTITY_START.search(text) or _DOCTYPE_START.search(text):
        had_entities = had_entities or bool(_ENTITY_START.search(text))
        text = _STRAY_DECL.sub("", text)
    return text, had_entities


def _xml_problem(exc: Any) -> str:
    if exc is None:
        return "unknown problem"
    line = getattr(exc, "getLineNumber", lambda: None)()
    msg = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    msg = " ".join(str(msg).split())[:160]
    return f"XML error at line {line}: {msg}" if line else f"XML error: {msg}"


def _root_name(text: str) -> str:
    i = 0
    while True:
        m = _ROOT.search(text, i)
        if not m:
            return ""
        before = text[max(0, m.start() - 1) : m.start() + 1]
        if before.startswith(("?", "!")):
            i = m.end()
            continue
        return m.group(1)


def _is_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<\x00", b"\x00<")):
        return False  # UTF-16/32, with or without a byte-order mark
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def _entry_text(entry: Any) -> tuple[str, bool, bool]:
    """(clean text, had full content, a read-more link marked it as a summary)."""
    best_content = ""
    read_more = False
    for c in entry.get("content") or []:
        value = c.get("value") or ""
        if (c.get("type") or "").endswith("plain"):
            value = htmllib.escape(value)
        text, more = clean_html(value)
        read_more = read_more or more
        if len(text) > len(best_content):
            best_content = text
    summary_raw = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    if (detail.get("type") or "").endswith("plain"):
        summary_raw = htmllib.escape(summary_raw)
    summary, more = clean_html(summary_raw) if summary_raw else ("", False)
    if best_content and len(best_content) >= len(summary):
        return best_content, True, False
    return summary, False, read_more or more


def parse_feed(
    data: bytes,
    *,
    label: str,
    source_url: str | None = None,
    http_charset: str | None = None,
    source_name: str | None = None,
    published: datetime | None = None,
) -> FeedResult:
    """Parse one feed document. Never raises: a document that is not a feed gets `error`."""
    res = FeedResult()
    if not data.strip():
        res.error = f"{label}: empty document"
        return res
    if _is_binary(data):
        res.error = f"{label}: not a feed (binary data)"
        return res
    text, res.encoding, notes = decode(data, http_charset)
    res.notes += [f"{label}: {n}" for n in notes]
    text, had_entities = _defuse(text)
    if had_entities:
        res.errors.append(f"{label}: DOCTYPE with entity declarations ignored (entities are never expanded)")
    root = _root_name(text[:100_000])
    if root.lower() in ("opml",):
        res.error = f"{label}: an OPML list, not a feed (pass it as a source list)"
        return res
    try:
        d = feedparser.parse(io.BytesIO(to_utf8_xml(text)), sanitize_html=False, resolve_relative_uris=False)
    except Exception as e:  # noqa: BLE001 - feedparser on hostile bytes: one clear line, not a crash
        res.error = f"{label}: not a feed ({type(e).__name__}: {str(e)[:160]})"
        return res
    entries = list(d.get("entries") or [])
    is_feed = bool(d.get("version")) or root.lower() in _FEED_ROOTS
    if not is_feed:
        if root:
            why = f"root element <{root}>, expected <rss>, <feed> or <rdf:RDF>"
        else:
            why = _xml_problem(d.get("bozo_exception")) if d.get("bozo") else "no XML elements"
        res.error = f"{label}: not a feed ({why})"
        return res
    if d.get("bozo"):
        closes = len(_ITEM_CLOSE.findall(text))
        dropped = max(0, len(entries) - closes)
        if dropped:
            entries = entries[: len(entries) - dropped]
        if not entries:
            res.error = (
                f"{label}: not a feed ({_xml_problem(d.get('bozo_exception'))}; no items could be read)"
            )
            return res
        msg = f"{label}: malformed XML ({_xml_problem(d.get('bozo_exception'))}); kept {len(entries)} items"
        if dropped:
            msg += f", dropped {dropped} cut off at the end"
        res.errors.append(msg)

    feed = d.get("feed") or {}
    res.title = clean_title(feed.get("title") or "")
    res.updated = parse_date(feed.get("updated") or feed.get("published"))[0]
    name = source_name or res.title

    # Same guid (or, without a guid, same URL) twice: keep the first; say so when the content
    # differs. Not the URL when there is a guid: some feeds link every item to their home page.
    seen: dict[str, tuple[str, str]] = {}
    for n, entry in enumerate(entries, 1):
        item = _item(entry, n, label, name, source_url, published, res.errors)
        if item is None:
            continue
        keys = [k for k in (item.guid or item.url,) if k]
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            if first != (item.title, item.text):
                key = next(k for k in keys if k in seen)
                res.errors.append(
                    f"{label}: duplicate guid/URL {key[:120]} with different content (kept the first)"
                )
            continue
        for k in keys:
            seen[k] = (item.title, item.text)
        res.items.append(item)
    res.items.sort(key=lambda it: (it.published is None, it.published or datetime.min))
    return res


def _item(
    entry: Any,
    n: int,
    label: str,
    name: str,
    source_url: str | None,
    published: datetime | None,
    errors: list[str],
) -> ParsedItem | None:
    title = clean_title(entry.get("title") or "")
    text, full, read_more = _entry_text(entry)
    if not title and not text:
        errors.append(f"{label}: item {n} has neither title nor text (skipped)")
        return None
    text, cut = cap_text(text, MAX_TEXT)
    if cut:
        errors.append(f"{label}: item {n} ({title[:40]}) text cut to {MAX_TEXT:,} characters")
    if not title:
        title = text.split("\n", 1)[0][:60]
    raw_date = entry.get("published") or entry.get("updated") or entry.get("created")
    when, tz = parse_date(raw_date)
    if when is None and published is not None:
        when, tz = parse_date(published)
    link = entry.get("link") or None
    guid = entry.get("id") or entry.get("guid") or None
    author = clean_title(entry.get("author") or "") or None
    # An aggregated feed names each item's own outlet in <source>; prefer it to the feed's name.
    outlet = clean_title((entry.get("source") or {}).get("title") or "") or name
    return ParsedItem(
        title=title,
        text=text,
        url=str(link)[:2000] if link else None,
        guid=str(guid)[:2000] if guid else None,
        published=when,
        tz=tz,
        source=outlet,
        demo=name.startswith("[DEMO]"),
        source_url=source_url,
        author=author,
        summary_only=not full and (read_more or len(text) < SUMMARY_CHARS),
    )

"""Article files: .txt / .md (first line is the title) and .html / .htm (title from <h1> or <title>).

The date comes from `--published` only; without it `published` is None and the pipeline decides
(a file's modification time says when it was copied, not when the article appeared). The outlet
comes from `--source`, else it is left empty.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ingest.clean import MAX_TEXT, cap_text, clean_title, html_to_text, markdown_to_text, normalise_space
from ingest.dates import parse_date
from ingest.encoding import decode
from ingest.fulltext import extract_main_text
from kb.records import ParsedItem

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


def _split_title(text: str) -> tuple[str, str]:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            rest = "\n".join(lines[i + 1 :])
            if not rest.strip():
                # a file of one paragraph is all body: reading it as a title would find no statements
                return "", line
            return clean_title(line), rest
    return "", ""


def _html_title(html: str) -> str:
    try:
        doc = etree.fromstring(html.encode("utf-8", errors="replace"), etree.HTMLParser(no_network=True))
    except (etree.LxmlError, ValueError):
        return ""
    if doc is None:
        return ""
    for path in ("//h1", "//title"):
        for el in doc.xpath(path):
            title = clean_title("".join(el.itertext()))
            if title:
                return title
    return ""


def parse_article(
    data: bytes,
    *,
    path: Path,
    published: object = None,
    source_name: str | None = None,
) -> tuple[ParsedItem | None, list[str], str | None]:
    """(item, item-level notes, error) for one article file. Never raises."""
    errors: list[str] = []
    if not data.strip():
        return None, errors, f"{path.name}: empty file"
    raw, _enc, notes = decode(data)
    errors += [f"{path.name}: {n}" for n in notes]
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        title = _html_title(raw)
        body = html_to_text(raw)
        main = extract_main_text(raw)
        # trafilatura drops navigation and boilerplate, but on a short hand-written page it can
        # also drop real paragraphs; take it unless it kept only a sliver of the page.
        text = main if main and len(main) >= 0.2 * len(body) else body
        if not title:
            title, text = _split_title(text)
        elif text.startswith(title):
            text = text[len(title) :]
    elif suffix in (".md", ".markdown"):
        first, rest = _split_title(raw)
        title = clean_title(re.sub(r"^\s*#+\s*", "", first))
        text = markdown_to_text(rest)
    else:
        title, rest = _split_title(raw.replace("\r\n", "\n"))
        text = html_to_text(rest) if re.search(r"<\s*/?\s*[a-zA-Z]", rest) else normalise_space(rest)
    text = normalise_space(text)
    if not title and not text:
        return None, errors, f"{path.name}: no text"
    text, cut = cap_text(text, MAX_TEXT)
    if cut:
        errors.append(f"{path.name}: text cut to {MAX_TEXT:,} characters")
    when, tz = parse_date(published) if published is not None else (None, "+08:00")
    if published is not None and when is None:
        errors.append(f"{path.name}: could not read the date {str(published)[:40]!r}")
    return (
        ParsedItem(
            title=title or text.split("\n", 1)[0][:60],
            text=text,
            url=None,
            guid=None,
            published=when,
            tz=tz,
            source=source_name or "",
            source_url=str(path),
        ),
        errors,
        None,
    )

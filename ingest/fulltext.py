"""Main text of an article page, for feed items that carry only a summary.

The page is fetched with the same safety and politeness as feeds (ingest.net) and its main text
extracted with trafilatura. trafilatura's text output puts each block on its own line; we turn
those lines into paragraphs ("\n\n") to match the rest of ingest.
"""

from __future__ import annotations

import logging
from typing import Any

from ingest.clean import html_to_text, normalise_space
from ingest.encoding import charset_from_content_type, decode
from ingest.net import FetchError, fetch

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every odd page at WARNING

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def extract_main_text(html: str, url: str | None = None) -> str:
    """Main text of an HTML page (trafilatura), paragraphs separated by "\n\n"; "" when none."""
    try:
        import trafilatura

        text = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=False, output_format="txt"
        )
    except Exception:  # noqa: BLE001 - a page trafilatura cannot read is a page without text
        text = None
    if not text:
        return ""
    # Its lines are blocks; the text is plain, but run it through the cleaner so that nothing
    # markup-shaped survives (trafilatura unescapes entities, so "<script>" text could appear).
    paras = [line for line in text.split("\n") if line.strip()]
    return html_to_text("".join(f"<p>{_escape(p)}</p>" for p in paras)) if paras else ""


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fetch_full_text(url: str, settings: Any) -> tuple[str, str | None]:
    """(main text, None) or ("", one line saying why not). Never raises."""
    try:
        resp = fetch(url, settings, accept=HTML_ACCEPT)
    except FetchError as e:
        return "", str(e)
    except Exception as e:  # noqa: BLE001
        return "", f"{url}: {type(e).__name__}: {e}"
    ctype = resp.content_type.lower()
    if ctype and not any(t in ctype for t in ("html", "xml", "text/plain")):
        return "", f"{url}: not an HTML page ({ctype.split(';')[0]})"
    html, _enc, _notes = decode(resp.body, charset_from_content_type(resp.content_type))
    text = extract_main_text(html, resp.url)
    if not text:
        return "", f"{url}: no main text found on the page"
    return normalise_space(text), None

"""HTML (and light Markdown) → clean text that keeps paragraph breaks.

The output is plain text, never markup: paragraphs are separated by "\n\n", a <br> becomes "\n",
scripts, styles, images and embedded objects are dropped with their content, entities are
unescaped, and whitespace is normalised. Whitespace that only wrapped a source line between two
Chinese characters is removed rather than turned into a space, because Chinese does not separate
words with spaces. Functions here never raise: hostile input yields some text or "".

Feed-specific noise handled here because it is markup-shaped:
- "read the full article" links at the end of a summary (their presence marks a summary);
- the notes that a filtering tool put into the cnbeta snapshots: `<p><small>[recommended] …</small></p>`.
"""

from __future__ import annotations

import html as htmllib
import re

from lxml import etree

MAX_TEXT = 200_000  # characters per item; more is noise or an attack, and NLP cost grows with it
MAX_TITLE = 500

DROP_TAGS = (
    "script", "style", "noscript", "template", "img", "picture", "svg", "math", "iframe", "frame",
    "frameset", "object", "embed", "video", "audio", "source", "track", "canvas", "head", "link",
    "meta", "input", "button", "select", "textarea", "form", "map", "area", "applet", "param",
)  # fmt: skip
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table tr thead tbody tfoot section "
    "article header footer aside nav figure figcaption hr address details summary main center "
    "caption fieldset legend body html".split()
)
READ_MORE = frozenset(
    "阅读全文 查看全文 阅读原文 查看原文 全文 继续阅读 点击阅读全文 点击查看全文 更多 read more "
    "continue reading read the full article read full article more… more...".split(" ")
) | {"read more", "continue reading", "read the full article", "read full article", "阅读全文>>",
     "阅读全文»", "[...]", "[…]", "…", "..."}  # fmt: skip
_LABEL_NOTE = re.compile(r"^\s*\[[A-Za-z_-]{2,20}\]")
# Anything that still looks like a tag after cleaning (e.g. double-escaped HTML) is removed.
# Every alternative stops at the next "<" or ">", so matching stays linear on hostile text.
TAG_RE = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?\s*>|<![^<>]*>|<\?[^<>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
_CJK_WRAP = re.compile(rf"(?<={_CJK})[ \t\r\f\v]*\n\s*(?={_CJK})")
_STRUCTURED = re.compile(r"<\s*(?:p|br|div|li|h[1-6]|tr|blockquote|section|article)\b", re.I)
_ENTITY_REF = re.compile(r"&[A-Za-z][A-Za-z0-9._-]{0,30};")
_PARA = "\x00"  # internal paragraph marker; control characters are removed from input first
_HTML_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, recover=True, remove_blank_text=False
)


def _safe_str(s: object) -> str:
    text = s if isinstance(s, str) else str(s or "")
    # Lone surrogates cannot go to libxml2; control characters are never text.
    text = text.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    return _CONTROL.sub("", text)


def _drop_noise(root: etree._Element) -> bool:
    """Remove read-more links and filter-tool notes; True when a read-more link was found."""
    read_more = False
    for a in list(root.iter("a")):
        label = " ".join("".join(a.itertext()).split()).lower()
        if label in READ_MORE:
            read_more = True
            _remove_keep_tail(a)
    for small in list(root.iter("small")):
        parent = small.getparent()
        text = "".join(small.itertext())
        alone = (
            parent is not None
            and parent.tag == "p"
            and len(parent) == 1
            and not (parent.text or "").strip()
            and not (small.tail or "").strip()
        )
        if _LABEL_NOTE.match(text) or alone:
            target = parent if alone and parent is not None else small
            _remove_keep_tail(target)
    return read_more


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _flow(text: str) -> str:
    """Source line breaks inside HTML text are layout, not content."""
    return _CJK_WRAP.sub("", text).replace("\n", " ")


def _render(root: etree._Element, structured: bool) -> str:
    parts: list[str] = []
    fix = _flow if structured else (lambda t: t)
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append(_PARA)
            elif tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" ")
            if el.text:
                parts.append(fix(el.text))
        else:
            if tag in BLOCK_TAGS:
                parts.append(_PARA)
            if el.tail:
                parts.append(fix(el.tail))
    return "".join(parts)


def normalise_space(text: str) -> str:
    """Paragraph markers / blank lines → "\n\n", single newlines kept, other whitespace collapsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paras = []
    for para in re.split(rf"{_PARA}|\n[ \t\u3000\xa0]*\n", text):
        lines = [" ".join(line.split()) for line in para.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paras.append("\n".join(lines))
    return "\n\n".join(paras)


def _html_pass(markup: str) -> tuple[str, bool]:
    if not markup.strip():
        return "", False
    try:
        doc = etree.fromstring(f"<html><body><div>{markup}</div></body></html>", _HTML_PARSER)
    except (etree.LxmlError, ValueError):
        return normalise_space(TAG_RE.sub(" ", htmllib.unescape(markup))), False
    if doc is None:
        return "", False
    etree.strip_elements(doc, *DROP_TAGS, with_tail=False)
    read_more = _drop_noise(doc)
    # With block markup, text-node newlines are layout; plain text keeps its own line breaks.
    structured = _STRUCTURED.search(markup) is not None
    return normalise_space(_render(doc, structured)), read_more


def clean_html(markup: object) -> tuple[str, bool]:
    """HTML → (clean text, whether a "read the full article" link was removed). Never raises."""
    try:
        text, read_more = _html_pass(_safe_str(markup))
        # Double-escaped HTML (common in feeds) shows up as tags in the text: clean once more.
        if TAG_RE.search(text):
            paras = text.split("\n\n")
            text, more = _html_pass("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paras))
            read_more = read_more or more
        if TAG_RE.search(text):
            text = normalise_space(TAG_RE.sub(" ", text))
        # Entity references left after parsing are undefined ones (e.g. from a removed DOCTYPE).
        text = _ENTITY_REF.sub("", text)
        return text, read_more
    except Exception:  # noqa: BLE001 - last resort: the cleaner must never take a source down
        return normalise_space(TAG_RE.sub(" ", _safe_str(markup)).replace("<", " ")), False


def html_to_text(markup: object) -> str:
    """HTML → clean text with paragraphs separated by a blank line. Never raises."""
    return clean_html(markup)[0]


def clean_title(raw: object) -> str:
    """One line of text: markup removed, whitespace collapsed, cnbeta's leading "⭐" marks dropped."""
    text = _safe_str(raw)
    if "<" in text or "&" in text:
        text = html_to_text(text)
    text = " ".join(text.split())
    text = re.sub(r"^(?:[⭐★☆🌟]\ufe0f?\s*)+", "", text)
    return text[:MAX_TITLE]


_MD_RULES = [
    (re.compile(r"^```.*?$", re.M), ""),  # code fences (their content stays)
    (re.compile(r"!\[[^\]\[\n]{0,300}\]\([^()\n]{0,500}\)"), ""),  # images
    (re.compile(r"\[([^\]\[\n]{1,300})\]\([^()\n]{0,500}\)"), r"\1"),  # links → their text
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.M), ""),  # headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M), ""),  # list markers
    (re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"(\*\*|__)(.{1,300}?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.{1,300}?)(?<!\s)\*(?![\w*])"), r"\1"),  # italic
    (re.compile(r"`([^`\n]{1,300})`"), r"\1"),  # inline code
]


def markdown_to_text(md: object) -> str:
    """Light Markdown → text: markup characters removed, paragraphs kept. Never raises."""
    try:
        text = _safe_str(md)
        for rx, repl in _MD_RULES:
            text = rx.sub(repl, text)
        if "<" in text or "&" in text:
            text = html_to_text(text.replace("\n\n", "<p>").replace("\n", "<br>"))
        return normalise_space(text)
    except Exception:  # noqa: BLE001
        return normalise_space(_safe_str(md))


def cap_text(text: str, limit: int = MAX_TEXT) -> tuple[str, bool]:
    """Cut text at `limit` characters (at a paragraph break when one is near); True when cut."""
    if len(text) <= limit:
        return text, False
    cut = text.rfind("\n\n", int(limit * 0.9), limit)
    return text[: cut if cut > 0 else limit], True

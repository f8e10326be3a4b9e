"""Decode feed and page bytes to text, including the Chinese encodings that documents forget to declare.

Order (first that applies wins): byte-order mark; the HTTP charset (it overrides the document's own
declaration, as RFC 7303 says); the XML declaration or HTML <meta charset>; strict UTF-8; then
GB18030 (a superset of GB2312 and GBK) against Big5, scored by how many of the decoded characters
are common Chinese characters. feedparser on its own reads undeclared GB18030 as windows-1252, so
we always hand it UTF-8 bytes with the declaration rewritten (`to_utf8_xml`).
"""

from __future__ import annotations

import codecs
import re

from ingest._charfreq import COMMON

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Declared names mapped to the codec we actually use: the declared one is a subset of it, and
# real documents labelled GB2312 routinely contain GBK-only characters.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "cp950",
    "iso-8859-1": "windows-1252",  # what browsers do, and what mislabelled feeds mean
    "latin-1": "windows-1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)
_XML_DECL_STR = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", re.I)
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CHARSET.search(content_type)
    return m.group(1).lower() if m else None


def _codec(name: str) -> str | None:
    name = name.strip().lower()
    name = SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _chinese_score(text: str) -> float:
    """Share of the non-ASCII characters that are common Chinese characters (0..1)."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 0.0
    return sum(1 for c in non_ascii if c in COMMON) / len(non_ascii)


def guess_chinese(data: bytes) -> tuple[str, str] | None:
    """Best of GB18030 and Big5 for undeclared bytes, or None when neither decodes cleanly."""
    best: tuple[float, str, str] | None = None
    sample = data[:200_000]  # enough to decide, cheap on huge documents
    for codec in ("gb18030", "big5hkscs"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError as e:
            # A multi-byte character cut by the sample boundary is not a decoding error.
            if e.start < len(sample) - 4:
                continue
            text = sample[: e.start].decode(codec)
        score = _chinese_score(text)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None:
        return None
    return best[1], best[2]


def _clearly_not_latin(data: bytes) -> tuple[str, str] | None:
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = guess_chinese(data)
    if guess and _chinese_score(guess[1][:20_000]) > 0.5:
        return guess[0], data.decode(guess[0], errors="replace")
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by the XML declaration or, for HTML, a <meta> charset."""
    head = data[:2048]
    m = _XML_DECL.match(head) or _META.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str, list[str]]:
    """Bytes → (text, encoding used, notes). Never raises; undecodable bytes become U+FFFD."""
    notes: list[str] = []
    for bom, codec in BOMS:
        if data.startswith(bom):
            return (
                data[len(bom) :].decode(codec, errors="replace"),
                codec.replace("-le", "").replace("-be", ""),
                notes,
            )
    # UTF-16 without a BOM still shows itself: "<" next to a zero byte (XML 1.0 appendix F).
    start = data[:4]
    if start[:2] == b"<\x00" and start[2:4] != b"\x00\x00":
        return data.decode("utf-16-le", errors="replace"), "utf-16", notes
    if start[:2] == b"\x00<":
        return data.decode("utf-16-be", errors="replace"), "utf-16", notes
    for label, source in ((http_charset, "HTTP charset"), (declared_encoding(data), "declared encoding")):
        if not label:
            continue
        named = _codec(label)
        if named is None:
            notes.append(f"unknown {source} {label!r} ignored")
            continue
        if named in ("cp1252", "iso8859-1") and not data.isascii():
            # Servers label Chinese feeds "ISO-8859-1" by default; trust the bytes when they
            # are clearly UTF-8 or Chinese, since Latin-1 decodes anything.
            better = _clearly_not_latin(data)
            if better:
                notes.append(f"{source} {label!r} ignored: the bytes are {better[0]}")
                return better[1], better[0], notes
        try:
            return data.decode(named), named, notes
        except UnicodeDecodeError:
            notes.append(f"{source} {label!r} does not match the bytes; detecting instead")
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError:
        pass
    guess = guess_chinese(data)
    if guess is not None:
        return data.decode(guess[0], errors="replace"), guess[0], notes
    # Neither UTF-8 nor a Chinese double-byte encoding: keep what decodes as UTF-8 and say so.
    notes.append("bytes are not valid in any supported encoding; undecodable bytes replaced")
    return data.decode("utf-8", errors="replace"), "utf-8", notes


def to_utf8_xml(text: str) -> bytes:
    """Text of an XML document → UTF-8 bytes whose declaration (if any) says UTF-8."""
    text = _XML_DECL_STR.sub(r"\1", text, count=1)
    return text.encode("utf-8", errors="replace")

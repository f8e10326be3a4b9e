"""Text normalisation shared by every stage: script conversion, alias keys, search tokens.

Analysis runs on simplified script; what users see stays as written. OpenCC's t2s conversion is
character-for-character for almost all text, and `to_simplified_aligned` guarantees it (falling
back per character where a phrase conversion changes the length), so offsets computed on the
simplified text are valid in the original.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified-script text of the same length as `text` (offsets carry over)."""
    return to_simplified_aligned(text)


def to_simplified_aligned(text: str) -> str:
    if not text:
        return text
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv
    # A phrase rule changed the length somewhere: convert line by line, then char by char
    # where needed, so every offset still points at the same character.
    out = []
    for line in text.splitlines(keepends=True):
        c = _t2s().convert(line)
        if len(c) != len(line):
            c = "".join(ch if len(s := _t2s().convert(ch)) != 1 else s for ch in line)
        out.append(c)
    return "".join(out)


def is_traditional(text: str) -> bool:
    """True when converting to simplified changes a noticeable share of the Han characters."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return False
    simp = to_simplified("".join(han))
    changed = sum(1 for a, b in zip(han, simp, strict=True) if a != b)
    return changed >= max(2, len(han) * 0.03)


def alias_key(name: str) -> str:
    """Key under which a name or alias is looked up: simplified, NFKC, lower case, no spaces or
    punctuation ("Robin Li" == "robinli" == "ROBIN-LI"; "李彥宏" == "李彦宏")."""
    s = unicodedata.normalize("NFKC", name)
    s = to_simplified(s).lower()
    return _PUNCT.sub("", s)


def same_alias(a: str, b: str) -> bool:
    """One name written two ways: the same alias key, or one key inside the other ("库克" in "蒂姆·库克",
    "OpenAI" in "OpenAI公司")."""
    x, y = alias_key(a), alias_key(b)
    return x == y or (min(len(x), len(y)) >= 2 and (x in y or y in x))


def quote_key(text: str) -> str:
    """Identity of a quote across outlets: simplified, no spaces or punctuation."""
    return hashlib.sha1(alias_key(text).encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, text: str) -> str:
    norm = _SPACE.sub(" ", unicodedata.normalize("NFKC", f"{title}\n{text}")).strip()
    return hashlib.sha1(to_simplified(norm).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def search_tokens(text: str) -> str:
    """Space-joined jieba search tokens of the simplified text, for FTS5 (index and query)."""
    simp = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    toks = (t.strip() for t in _jieba().cut_for_search(simp))
    return " ".join(t for t in toks if t and not _PUNCT.fullmatch(t))

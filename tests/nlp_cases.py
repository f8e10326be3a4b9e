"""Helpers for the attribution rule tests: run a short article body in both scripts and find the
statement that covers an anchor."""

from __future__ import annotations

from collections.abc import Iterator

from kb.nlp import extract
from kb.records import Statement
from kb.registry import Registry, to_traditional
from kb.textnorm import to_simplified

PREFIX = "标题\n\n"  # a title line first, so that the body is read as the article's text


def statements(body: str, registry: Registry | None = None) -> list[Statement]:
    return extract([PREFIX + body], registry=registry)[0]


def both_scripts(body: str, registry: Registry | None = None) -> Iterator[tuple[str, list[Statement]]]:
    """(text, statements) for the body as written and in traditional script; with `registry`, read as
    the product reads them."""
    for text in (body, to_traditional(body)):
        yield text, statements(text, registry)


def statement_at(sts: list[Statement], text: str, anchor: str) -> Statement | None:
    """The statement whose span covers the anchor (in either script), if any."""
    pos = text.find(anchor)
    if pos < 0:  # a simplified anchor in traditional text: to_simplified keeps offsets
        pos = to_simplified(text).find(to_simplified(anchor))
    assert pos >= 0, anchor
    for s in sts:
        if s.start <= pos + len(PREFIX) < s.end:
            return s
    return None


def who(sts: list[Statement], text: str, anchor: str) -> tuple[str | None, str] | None:
    """(speaker, speaker_type) of the statement that covers the anchor, or None when none does."""
    s = statement_at(sts, text, anchor)
    return None if s is None else (s.speaker, s.speaker_type)

"""Turning ranked statement rows into hits analysts can use: the statement (DESIGN.md contract),
its article, the sentences before and after, highlighted words, and syndicated copies collapsed
into one hit ("also in N sources")."""

from __future__ import annotations

import json
import re
from typing import Any

from kb.textnorm import search_tokens, to_simplified

# A sentence ends at 。！？!?… (with any closing quotes after it) or at a line break.
_SENT_END = re.compile(r"[。！？!?…；;]+[”」』\"'’）)]*|\n+")
MAX_CONTEXT = 240  # characters of context per side, so one huge paragraph cannot flood a hit

STATEMENT_FIELDS = (
    "id", "speaker", "speaker_id", "speaker_mention", "speaker_type", "anonymous", "organization",
    "company_id", "title", "text", "kind", "cue", "start", "end", "topics", "stance", "quote_key",
    "confidence", "corrected", "speaker_start", "speaker_end", "named_start", "named_end",
)  # fmt: skip


def query_terms(text: str) -> list[str]:
    """Simplified, lower-case words of the query worth highlighting (no single Han characters
    or letters, which would light up half of every statement)."""
    from kb.search.query import EN_STOP, ZH_STOP

    out = []
    for t in sorted(set(search_tokens(text).split()), key=len, reverse=True) if text else []:
        if t in ZH_STOP or t in EN_STOP or len(t) < 2:
            continue
        out.append(t)
    return out


def highlights(text: str, terms: list[str]) -> list[dict[str, Any]]:
    """[{start, end, term}] spans of `terms` in `text` (offsets into the text as written: the
    simplified copy has the same length). Overlaps are merged, longest term first."""
    if not terms or not text:
        return []
    low = to_simplified(text).lower()
    taken = [False] * len(low)
    spans = []
    for term in terms:
        pos = low.find(term)
        while pos >= 0:
            end = pos + len(term)
            if not any(taken[pos:end]):
                spans.append({"start": pos, "end": end, "term": text[pos:end]})
                for i in range(pos, end):
                    taken[i] = True
            pos = low.find(term, end)
    return sorted(spans, key=lambda s: s["start"])


def context(article_text: str, start: int, end: int) -> tuple[str, str]:
    """The sentence before the statement's sentence and the one after it."""
    if not article_text or start < 0 or end > len(article_text):
        return "", ""
    # Before: skip back over the statement's own sentence (e.g. "李彦宏表示，"), then one more.
    ends = [m.end() for m in _SENT_END.finditer(article_text, 0, start)]
    before = ""
    if ends:
        stop = ends[-1]
        begin = ends[-2] if len(ends) > 1 else 0
        before = article_text[begin:stop].strip()
        if not before and len(ends) > 2:
            before = article_text[ends[-3] : ends[-2]].strip()
    # After: the rest of the statement's sentence is skipped, the next sentence is taken.
    after = ""
    m = _SENT_END.search(article_text, end)
    if m:
        nxt = _SENT_END.search(article_text, m.end())
        after = article_text[m.end() : nxt.end() if nxt else len(article_text)].strip()
    return before[-MAX_CONTEXT:], after[:MAX_CONTEXT]


def evidence(article_text: str, st: dict[str, Any]) -> dict[str, Any] | None:
    """Why a speaker reached through a reference (他, 该公司) is who it is: the reference as written and
    the sentence where the name it stands for is written, with the name's offsets in that sentence. None
    for a speaker written at the statement, for statements extracted before the evidence was kept, and
    for a corrected speaker (the analyst's word replaced the resolution)."""
    ss, ns, ne = st.get("speaker_start"), st.get("named_start"), st.get("named_end")
    se = st.get("speaker_end")
    if st.get("corrected") or ss is None or se is None or ns is None or ne is None:
        return None
    if not (0 <= ns < ne <= len(article_text) and ns < ss < se <= len(article_text)):
        return None
    ends = [m.end() for m in _SENT_END.finditer(article_text, 0, ns)]
    begin = max(ends[-1] if ends else 0, ns - MAX_CONTEXT // 2)
    m = _SENT_END.search(article_text, ne)
    stop = min(m.end() if m else len(article_text), ne + MAX_CONTEXT // 2)
    sentence = article_text[begin:stop]
    lead = len(sentence) - len(sentence.lstrip())
    return {
        "reference": article_text[ss:se],
        "name": article_text[ns:ne],
        "sentence": sentence.strip(),
        "name_start": ns - begin - lead,
        "name_end": ne - begin - lead,
    }


def statement_dict(row: Any) -> dict[str, Any]:
    keys = row.keys()
    d = {k: row[k] for k in STATEMENT_FIELDS if k in keys}
    d["anonymous"] = bool(d.get("anonymous"))
    d["corrected"] = bool(d.get("corrected"))  # an analyst's fix: never "unsure" (kb/nlp/confidence.py)
    topics = d.get("topics")
    d["topics"] = json.loads(topics) if isinstance(topics, str) else (topics or [])
    return d


def build_hits(
    store: Any,
    rows: list[Any],
    scores: dict[str, float],
    limit: int,
    *,
    terms: list[str],
    context: bool = True,
) -> list[dict[str, Any]]:
    """Collapse syndicated copies, cut to `limit`, and dress each hit for display."""
    groups: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for r in rows:
        key = r["quote_key"]
        if key in groups:
            continue
        if len(order) == limit:
            break
        d = statement_dict(r)
        d.update(
            score=round(float(scores.get(r["id"], 0.0)), 6),
            article_title=r["article_title"],
            url=r["url"],
            published=r["published"],
            source=r["source"],
            article_id=r["article_id"],
        )
        groups[key] = d
        order.append(key)
    hits = [groups[k] for k in order]
    if not hits:
        return hits
    _add_copies(store, hits)
    if context:
        _add_context(store, hits)
    for h in hits:
        h["highlights"] = highlights(h["text"], terms)
    return hits


def _add_copies(store: Any, hits: list[dict[str, Any]]) -> None:
    """ "also in N sources": the other articles that carry the same quote."""
    keys = [h["quote_key"] for h in hits]
    q = ",".join("?" * len(keys))
    copies: dict[str, list[dict[str, Any]]] = {}
    for r in store.db.execute(
        f"SELECT s.id, s.quote_key, s.article_id, a.source_name, a.url, a.title, s.published "
        f"FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.quote_key IN ({q}) "
        f"ORDER BY s.published",
        keys,
    ):
        copies.setdefault(r["quote_key"], []).append(
            {
                "id": r["id"],
                "article_id": r["article_id"],
                "source": r["source_name"],
                "url": r["url"],
                "article_title": r["title"],
                "published": r["published"],
            }
        )
    for h in hits:
        others = [c for c in copies.get(h["quote_key"], []) if c["article_id"] != h["article_id"]]
        h["also_in"] = others
        h["also_in_count"] = len({(c["source"], c["url"]) for c in others})


def _add_context(store: Any, hits: list[dict[str, Any]]) -> None:
    ids = sorted({h["article_id"] for h in hits})
    q = ",".join("?" * len(ids))
    texts = {r[0]: r[1] for r in store.db.execute(f"SELECT id, text FROM articles WHERE id IN ({q})", ids)}
    for h in hits:
        text = texts.get(h["article_id"], "")
        h["context_before"], h["context_after"] = context(text, h["start"], h["end"])
        h["evidence"] = evidence(text, h)

"""Hybrid search over statements: keyword (SQLite FTS5 over jieba tokens) + meaning (Chroma),
fused by weighted reciprocal rank, with filters applied inside both retrievers.

Flow of one call:
1. parse the query (kb.search.query) unless a ParsedQuery is given; add option filters;
2. no text left but filters (a name-only query like "王小川") → the filtered statements, newest first;
3. otherwise keyword and/or vector candidates (each its own top `CANDIDATES`) → fused ranking;
4. a small boost for statements tagged with a topic the query mentions (bias, not a filter);
5. syndicated copies (same quote_key) collapse into one hit with "also in N sources";
6. each hit gets its article, context sentences and highlighted words (kb.search.hits).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kb.search.filters import chroma_where, resolve, sql_condition
from kb.search.hits import build_hits, query_terms
from kb.search.query import EN_STOP, ZH_STOP, ParsedQuery, add_options, parse_query

MODES = ("hybrid", "keyword", "vector")
CANDIDATES = 100  # per retriever; fusion only looks at the head of each list
MAX_TERMS = 32  # keyword terms kept from a long query (FTS5 cost grows with OR terms)


@dataclass
class Fusion:
    """How the keyword and vector rankings are combined.

    method "minmax" (default): each retriever's scores (-BM25, cosine) are min-max normalised over
    its own candidates and summed with weights w_keyword/w_vector. It keeps how far ahead a
    strong match is, which reciprocal rank throws away (a BM25 winner far ahead of the rest should
    not lose to a statement that is merely second in both lists).
    method "rrf": weighted reciprocal rank fusion, score = sum of w / (k + rank).
    Measured on the search evaluation set (kb eval search; see kb/eval/search.py FUSION_GRID):
    minmax 0.5/0.5 and RRF with small k score about the same and clearly above RRF k=60; equal
    weights were kept rather than the set's best weights, to avoid fitting 50 queries.
    """

    method: str = "minmax"
    k: float = 60.0
    w_keyword: float = 0.5
    w_vector: float = 0.5
    topic_boost: float = 0.15  # relative boost for a statement tagged with a topic of the query

    def fuse(self, keyword: list[tuple[str, float]], vector: list[tuple[str, float]]) -> dict[str, float]:
        scores: dict[str, float] = {}
        for weight, ranking in ((self.w_keyword, keyword), (self.w_vector, vector)):
            if not ranking:
                continue
            if self.method == "rrf":
                for rank, (sid, _) in enumerate(ranking, start=1):
                    scores[sid] = scores.get(sid, 0.0) + weight / (self.k + rank)
                continue
            lo = min(x for _, x in ranking)
            hi = max(x for _, x in ranking)
            for sid, x in ranking:
                norm = (x - lo) / (hi - lo) if hi > lo else 1.0
                scores[sid] = scores.get(sid, 0.0) + weight * norm
        return scores


DEFAULT_FUSION = Fusion()


@dataclass
class SearchResult:
    hits: list[dict[str, Any]]
    query: ParsedQuery
    mode: str
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        """What to tell the user when there are no hits."""
        if self.hits:
            return ""
        what = f'"{self.query.text}"' if self.query.text else "this query"
        filters = [f.describe() for f in self.query.filters if f.kind != "topic" or f.explicit]
        return f"no statements match {what}" + (" with " + "; ".join(filters) if filters else "")


# -- retrievers ---------------------------------------------------------------------------------


def keyword_terms(text: str) -> list[str]:
    """jieba search tokens of the simplified text, without function words, at most MAX_TERMS."""
    from kb.textnorm import search_tokens

    out: list[str] = []
    for t in search_tokens(text).split():
        if t in ZH_STOP or t in EN_STOP or t in out:
            continue
        out.append(t)
    return out[:MAX_TERMS]


def _fts_query(terms: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def keyword_search(store: Any, pq: ParsedQuery, k: int, rv: Any = None) -> list[tuple[str, float]]:
    """(statement id, -bm25) best first; filters inside the SQL."""
    terms = keyword_terms(pq.text)
    if not terms:
        return []
    cond, params = sql_condition(pq, rv)
    sql = (
        "SELECT s.id, bm25(statements_fts) AS r FROM statements_fts "
        "JOIN statements s ON s.id = statements_fts.statement_id "
        f"WHERE statements_fts MATCH ? AND {cond} ORDER BY r LIMIT ?"
    )
    try:
        rows = store.db.execute(sql, [_fts_query(terms), *params, k]).fetchall()
    except sqlite3.OperationalError:  # a term FTS5 cannot parse: nothing to match on
        return []
    return [(r[0], -float(r[1])) for r in rows]


def vector_search(
    index: Any, embedder: Any, pq: ParsedQuery, k: int, rv: Any = None
) -> list[tuple[str, float]]:
    """(statement id, cosine similarity) best first; filters inside the Chroma query."""
    if not pq.text or index is None or embedder is None:
        return []
    vec = embedder.embed_query(pq.text)
    return list(index.query(vec, k, where=chroma_where(pq, rv)))


def filtered_newest(store: Any, pq: ParsedQuery, k: int, rv: Any = None) -> list[tuple[str, float]]:
    """A name-only (or filter-only) query: the matching statements, newest first."""
    cond, params = sql_condition(pq, rv)
    boost = ""
    if pq.topics:  # "王小川 价格战"-like queries whose words all became filters: topic first
        q = ",".join("?" * len(pq.topics))
        boost = f"EXISTS (SELECT 1 FROM statement_topics t WHERE t.statement_id = s.id AND t.topic IN ({q})) DESC, "
    sql = f"SELECT s.id FROM statements s WHERE {cond} ORDER BY {boost}s.published DESC, s.id LIMIT ?"
    args = [*params, *(pq.topics if boost else []), k]
    return [(r[0], 0.0) for r in store.db.execute(sql, args).fetchall()]


# -- the search call --------------------------------------------------------------------------------


def search(
    store: Any,
    index: Any,
    embedder: Any,
    registry: Any,
    query: str | ParsedQuery,
    *,
    speaker: str | None = None,
    company: str | None = None,
    topic: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
    mode: str = "hybrid",
    as_of: date | None = None,
    fusion: Fusion = DEFAULT_FUSION,
    context: bool = True,
) -> SearchResult:
    """Statements that answer `query`, best first (see the module docstring)."""
    if mode not in MODES:
        from kb.errors import UsageError

        raise UsageError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
    pq = parse_query(query, registry, as_of) if isinstance(query, str) else query
    pq = add_options(pq, registry, speaker=speaker, company=company, topic=topic, since=since, until=until)
    notes = list(pq.notes)
    limit = max(1, min(int(limit), 1000))
    if pq.since and pq.until and pq.since > pq.until:
        notes.append(f"the date range is empty ({pq.since} is after {pq.until})")
        return SearchResult([], pq, mode, notes)

    rv = resolve(registry, pq)
    has_words = bool(keyword_terms(pq.text)) if pq.text else False
    if not has_words and pq.text and mode != "keyword":
        has_words = bool(re.search(r"\w", pq.text))  # e.g. a lone character: vectors may still help
    if not has_words:
        if not (pq.has_filters or pq.topics):
            notes.append("the query has no words to search for (give words, a name, a company or a date)")
            return SearchResult([], pq, mode, notes)
        ranked = filtered_newest(store, pq, limit * 3, rv)
        if not pq.has_filters:  # only a topic word: rank its statements newest first
            ranked = _topic_newest(store, pq.topics, limit * 3)
        notes.append("no search words left after the filters: newest statements first")
        scores = {sid: 0.0 for sid, _ in ranked}
        order = [sid for sid, _ in ranked]
    else:
        kw = keyword_search(store, pq, CANDIDATES, rv) if mode in ("hybrid", "keyword") else []
        vec = vector_search(index, embedder, pq, CANDIDATES, rv) if mode in ("hybrid", "vector") else []
        if mode == "keyword":
            scores = dict(kw)
        elif mode == "vector":
            scores = dict(vec)
        else:
            scores = fusion.fuse(kw, vec)
        order = sorted(scores, key=lambda s: -scores[s])

    rows = store.statements(order[: limit * 3])
    if pq.topics and fusion.topic_boost and has_words:
        wanted = set(pq.topics)
        for r in rows:
            if wanted & set(json.loads(r["topics"] or "[]")):
                if scores[r["id"]] > 0:
                    scores[r["id"]] *= 1.0 + fusion.topic_boost
        rows.sort(key=lambda r: -scores[r["id"]])
    hits = build_hits(store, rows, scores, limit, terms=query_terms(pq.text), context=context)
    return SearchResult(hits, pq, mode, notes)


def _topic_newest(store: Any, topics: list[str], k: int) -> list[tuple[str, float]]:
    q = ",".join("?" * len(topics))
    rows = store.db.execute(
        f"SELECT s.id FROM statements s JOIN statement_topics t ON t.statement_id = s.id "
        f"WHERE t.topic IN ({q}) GROUP BY s.id ORDER BY s.published DESC LIMIT ?",
        [*topics, k],
    ).fetchall()
    return [(r[0], 0.0) for r in rows]

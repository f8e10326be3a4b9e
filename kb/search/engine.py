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

import numpy as np

from kb.search.filters import chroma_where, resolve, sql_condition
from kb.search.hits import build_hits, query_terms
from kb.search.query import EN_STOP, ZH_STOP, ParsedQuery, add_options, parse_query

MODES = ("hybrid", "keyword", "vector")
CANDIDATES = 100  # per retriever; fusion only looks at the head of each list
MAX_TERMS = 32  # keyword terms kept from a long query (FTS5 cost grows with OR terms)
MATCH_BUDGET = 5000  # rows FTS5 scores for one query at most, by pruning common terms (keyword_search)
OVERFETCH = 500  # unfiltered neighbours fetched for a filtered vector query (vector_search)
OVERFETCH_MAX = 5000  # ... at most, for broad filters
AMONG_MAX = 20_000  # matching statements up to which HNSW is restricted to their ids


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
    # How an English query's Chinese rendering (kb.search.crosslingual) reaches the vector side:
    # "off" (not at all), "concat" (one vector of the English text followed by the Chinese terms),
    # "mean" (the mean of the English and the Chinese vectors), "both" (two searches, fused).
    # Measured on the 39 English queries of `kb eval search` (nDCG@10 / Recall@5): vector mode
    # off 0.710/0.761, concat 0.727/0.799, mean 0.726/0.786, both 0.724/0.799; hybrid mode with
    # the keyword side translated: off 0.763/0.833, concat 0.757/0.786, mean 0.734/0.795, both
    # 0.746/0.795. In hybrid the keyword side already carries the Chinese terms, and the same
    # terms in the query vector add correlated evidence rather than new; so hybrid leaves the
    # vector English and vector-only search uses the rendering.
    crosslingual: str = "concat"  # vector mode
    crosslingual_hybrid: str = "off"  # hybrid mode
    keyword_translation: bool = True  # the keyword side searches the Chinese terms
    # In hybrid mode a statement whose speaker the confidence model doubts (confidence below
    # `trust_below`) scores in proportion to its confidence (`trust_prior`; 0 turns it off). Short
    # statements win both retrievers on generic words, and doubtful ones are often short: with an
    # organisation's 希望 added to the rules, "Messenger有更多人工智能方面的尝试" (0.38) led "could AI
    # upend the legal system?". Measured on `kb eval search` (hybrid R@5 / nDCG@10): session 20's
    # statements 0.751 / 0.742 with and without; with 希望 0.739 / 0.730 without, 0.751 / 0.735 with
    # (below 0.5: 0.747 / 0.733; below 0.9: 0.743 / 0.738). Not in the single-retriever modes, which
    # show each retriever alone: there it cost English vector queries nDCG@10 0.691 → 0.678.
    trust_below: float = 0.7

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


def query_keyword_terms(pq: ParsedQuery, fusion: Fusion = DEFAULT_FUSION) -> list[str]:
    """The keyword terms of the query text, then those of its Chinese translation terms."""
    terms = keyword_terms(pq.text)
    if pq.translations and fusion.keyword_translation:
        terms += [t for t in keyword_terms(" ".join(pq.zh_terms)) if t not in terms]
    return terms[:MAX_TERMS]


def _fts_query(terms: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def keyword_search(
    store: Any, pq: ParsedQuery, k: int, rv: Any = None, fusion: Fusion = DEFAULT_FUSION
) -> list[tuple[str, float]]:
    """(statement id, -bm25) best first; filters inside the SQL.

    FTS5 scores every row that matches any term (no early stopping for OR queries), so the cost
    grows with the matching rows, i.e. with the KB: at 100k statements a query's common words
    ("市场", "技术") match 10-17k rows. Two things keep it bounded:
    - terms are pruned by document frequency (most common first) down to MATCH_BUDGET matching
      rows, keeping the rarest; a rare word decides the ranking anyway, and a row that matches
      only common words would rank low. On a small KB nothing is pruned;
    - without filters the statements table is not joined at all.
    When a filter leaves fewer than k hits after pruning, the full term list runs again, probed
    against the filter's id set, so a narrow filter (a speaker, a week) loses nothing to pruning."""
    terms = query_keyword_terms(pq, fusion)
    if not terms:
        return []
    cond, params = sql_condition(pq, rv)
    kept = prune_terms(store, terms)
    rows = _keyword_rows(store, kept, cond, params, k)
    if cond != "1" and len(rows) < k and len(kept) < len(terms):
        rows = _keyword_rows(store, terms, cond, params, k, filter_first=True)
    return rows


def _keyword_rows(
    store: Any, terms: list[str], cond: str, params: list[Any], k: int, *, filter_first: bool = False
) -> list[tuple[str, float]]:
    """FTS5 rows best first. With a filter: joined to the statements per match (cheap for the
    pruned, bounded matches), or (`filter_first`, for a narrow filter) each match probed against
    the filter's id set, which the indexes build in proportion to the filter, not the matches."""
    fts = "SELECT statement_id, bm25(statements_fts) AS r FROM statements_fts "
    if cond == "1":
        sql = fts + "WHERE statements_fts MATCH ? ORDER BY r LIMIT ?"
    elif filter_first:
        sql = (
            fts
            + f"WHERE statements_fts MATCH ? AND statement_id IN (SELECT s.id FROM statements s WHERE {cond}) "
        )
        sql += "ORDER BY r LIMIT ?"
    else:
        sql = (
            "SELECT s.id, bm25(statements_fts) AS r FROM statements_fts "
            "JOIN statements s ON s.id = statements_fts.statement_id "
            f"WHERE statements_fts MATCH ? AND {cond} ORDER BY r LIMIT ?"
        )
    args = [_fts_query(terms), *(params if cond != "1" else []), k]
    try:
        rows = store.db.execute(sql, args).fetchall()
    except sqlite3.OperationalError:  # a term FTS5 cannot parse: nothing to match on
        return []
    return [(r[0], -float(r[1])) for r in rows]


def prune_terms(store: Any, terms: list[str]) -> list[str]:
    """`terms` without the most common ones, so that the kept terms match at most MATCH_BUDGET
    rows (document frequencies from FTS5's own vocabulary); the rarest term always stays."""
    if len(terms) < 2:
        return terms
    df = _doc_freqs(store, terms)
    if not df or sum(df.values()) <= MATCH_BUDGET:
        return terms
    keep: set[str] = set()
    total = 0
    for t in sorted(terms, key=lambda t: df.get(t, 0)):
        n = df.get(t, 0)
        if keep and total + n > MATCH_BUDGET:
            break
        keep.add(t)
        total += n
    return [t for t in terms if t in keep]


def _doc_freqs(store: Any, terms: list[str]) -> dict[str, int]:
    """{term: statements containing it}; {} when the vocabulary cannot be read (then nothing is
    pruned). The fts5vocab table lives in the connection's TEMP schema: nothing is written to
    the KB file, and a read-only connection may create it."""
    db = store.db
    try:
        if not getattr(store, "_kb_fts_vocab", False):
            db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_fts_vocab USING fts5vocab(main, statements_fts, row)"
            )
            store._kb_fts_vocab = True
        q = ",".join("?" * len(terms))
        return {
            r[0]: int(r[1])
            for r in db.execute(f"SELECT term, doc FROM temp.kb_fts_vocab WHERE term IN ({q})", terms)
        }
    except sqlite3.Error:
        return {}


def query_vectors(
    embedder: Any, pq: ParsedQuery, fusion: Fusion = DEFAULT_FUSION, how: str = ""
) -> list[Any]:
    """The query vector(s): of the text, and for a translated English query also of its Chinese
    rendering, as `how` (default `fusion.crosslingual`) says (one vector, or two for "both")."""
    how = (how or fusion.crosslingual) if pq.translations else "off"
    if how == "concat":
        return [embedder.embed_query(f"{pq.text} {pq.zh_text}")]
    vec = embedder.embed_query(pq.text)
    if how == "off":
        return [vec]
    zh = embedder.embed_query(pq.zh_text)
    if how == "both":
        return [vec, zh]
    mean = np.asarray(vec, dtype=np.float32) + np.asarray(zh, dtype=np.float32)
    return [mean / max(float(np.linalg.norm(mean)), 1e-12)]


def fuse_vector_lists(lists: list[list[tuple[str, float]]], k: int) -> list[tuple[str, float]]:
    """Several similarity rankings as one: the mean similarity, a statement missing from a list
    counting as that list's lowest similarity."""
    if len(lists) == 1:
        return lists[0]
    floor = [min((x for _, x in lst), default=0.0) for lst in lists]
    ids = {sid for lst in lists for sid, _ in lst}
    maps = [dict(lst) for lst in lists]
    scored = {sid: sum(m.get(sid, f) for m, f in zip(maps, floor, strict=True)) / len(lists) for sid in ids}
    return sorted(scored.items(), key=lambda kv: -kv[1])[:k]


def vector_search(
    index: Any,
    embedder: Any,
    pq: ParsedQuery,
    k: int,
    rv: Any = None,
    store: Any = None,
    fusion: Fusion = DEFAULT_FUSION,
    how: str = "",
) -> list[tuple[str, float]]:
    """(statement id, cosine similarity) best first, over the query vector(s) of `query_vectors`
    (see `_vector_search` for how filters apply)."""
    if not pq.text or index is None or embedder is None:
        return []
    vecs = query_vectors(embedder, pq, fusion, how)
    lists = [_vector_search(index, vec, pq, k, rv, store) for vec in vecs]
    return fuse_vector_lists(lists, k)


def _vector_search(
    index: Any, vec: Any, pq: ParsedQuery, k: int, rv: Any = None, store: Any = None
) -> list[tuple[str, float]]:
    """(statement id, cosine similarity) best first; filters inside the vector retrieval.

    Without filters: one HNSW query. With filters, the filter is the SQL condition of the keyword
    retriever (so both retrievers filter alike, names of speakers without an id included), applied
    in steps that each stay fast at a million statements (Chroma's own `where` search took
    0.2-1 s at 100k, mostly evaluating the metadata filter):
    1. over-fetch OVERFETCH unfiltered neighbours (ids only, ~4 ms) and keep those the SQL passes;
    2. too few: the matching ids from SQL, when at most AMONG_MAX, and HNSW restricted to them;
    3. more: a larger unfiltered over-fetch sized by the pass rate seen in step 1;
    4. still short: Chroma's own filtered search (the slow, always-right path)."""
    where = chroma_where(pq, rv)
    if where is None and not pq.hide_unsure:
        return list(index.query(vec, k))
    if store is None or not hasattr(index, "query_among"):
        return list(index.query(vec, k, where=where))
    cond, params = sql_condition(pq, rv)
    n = max(OVERFETCH, k)
    near = list(index.query(vec, n))
    hits = _passing(store, near, cond, params)
    if len(hits) >= k or len(near) < n:
        return hits[:k]
    ids = [
        r[0]
        for r in store.db.execute(
            f"SELECT s.id FROM statements s WHERE {cond} AND s.indexed = 1 LIMIT ?", [*params, AMONG_MAX + 1]
        )
    ]
    if len(ids) <= AMONG_MAX:
        return list(index.query_among(vec, k, ids)) if ids else []
    if hits:  # a broad filter: enough neighbours pass when we fetch k / pass-rate of them
        m = min(OVERFETCH_MAX, int(1.5 * k * len(near) / len(hits)) + 1)
        if m > n:
            near = list(index.query(vec, m))
            hits = _passing(store, near, cond, params)
        if len(hits) >= k or len(near) < m:
            return hits[:k]
    if where is None:
        # only the confidence filter, which the index metadata does not hold; it passes most statements,
        # so the over-fetches above found nearly all there are
        return hits[:k]
    return list(index.query(vec, k, where=where))


def _passing(
    store: Any, near: list[tuple[str, float]], cond: str, params: list[Any]
) -> list[tuple[str, float]]:
    """The neighbours whose statements pass the SQL filter, in their order."""
    if not near:
        return []
    q = ",".join("?" * len(near))
    ok = {
        r[0]
        for r in store.db.execute(
            f"SELECT s.id FROM statements s WHERE s.id IN ({q}) AND {cond}", [*(i for i, _ in near), *params]
        )
    }
    return [h for h in near if h[0] in ok]


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
    hide_unsure: bool = False,
    unsure_below: float | None = None,
) -> SearchResult:
    """Statements that answer `query`, best first (see the module docstring). `hide_unsure` leaves out
    statements whose speaker the confidence model doubts: scored below `unsure_below` (the KB's setting
    of that name, which callers pass; None keeps the query's own, by default CONFIDENT)."""
    if mode not in MODES:
        from kb.errors import UsageError

        raise UsageError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
    pq = parse_query(query, registry, as_of) if isinstance(query, str) else query
    pq = add_options(pq, registry, speaker=speaker, company=company, topic=topic, since=since, until=until)
    pq.hide_unsure = pq.hide_unsure or hide_unsure
    if unsure_below is not None:
        pq.unsure_below = unsure_below
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
        kw = keyword_search(store, pq, CANDIDATES, rv, fusion) if mode in ("hybrid", "keyword") else []
        vec = (
            vector_search(
                index,
                embedder,
                pq,
                CANDIDATES,
                rv,
                store,
                fusion,
                how=fusion.crosslingual_hybrid if mode == "hybrid" else fusion.crosslingual,
            )  # fmt: skip
            if mode in ("hybrid", "vector")
            else []
        )
        if mode == "keyword":
            scores = dict(kw)
        elif mode == "vector":
            scores = dict(vec)
        else:
            scores = fusion.fuse(kw, vec)
            if fusion.trust_below:
                trust_prior(store, scores, fusion.trust_below)
        order = sorted(scores, key=lambda s: -scores[s])

    rows = store.statements(order[: limit * 3])
    if pq.topics and fusion.topic_boost and has_words:
        wanted = set(pq.topics)
        for r in rows:
            if wanted & set(json.loads(r["topics"] or "[]")):
                if scores[r["id"]] > 0:
                    scores[r["id"]] *= 1.0 + fusion.topic_boost
        rows.sort(key=lambda r: -scores[r["id"]])
    terms = query_terms(pq.text)
    if fusion.keyword_translation:  # light up the Chinese terms an English query was matched by
        terms = sorted({*terms, *query_terms(" ".join(pq.zh_terms))}, key=len, reverse=True)
    hits = build_hits(store, rows, scores, limit, terms=terms, context=context)
    return SearchResult(hits, pq, mode, notes)


def trust_prior(store: Any, scores: dict[str, float], below: float) -> None:
    """Scale the score of each statement whose confidence is under `below` by confidence / below (the
    fused candidates: at most 2 * CANDIDATES ids, one query)."""
    ids = list(scores)
    q = ",".join("?" * len(ids))
    for sid, conf in store.db.execute(f"SELECT id, confidence FROM statements WHERE id IN ({q})", ids):
        if conf is not None and conf < below:
            scores[sid] *= conf / below


def _topic_newest(store: Any, topics: list[str], k: int) -> list[tuple[str, float]]:
    q = ",".join("?" * len(topics))
    rows = store.db.execute(
        f"SELECT s.id FROM statements s JOIN statement_topics t ON t.statement_id = s.id "
        f"WHERE t.topic IN ({q}) GROUP BY s.id ORDER BY s.published DESC LIMIT ?",
        [*topics, k],
    ).fetchall()
    return [(r[0], 0.0) for r in rows]

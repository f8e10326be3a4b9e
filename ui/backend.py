"""The app's seam to the library: every page calls these functions, never SQL or kb internals.

Each function prefers the library call of its area (kb.search, kb.registry, kb.timeline, kb.digest,
kb.pipeline …) and falls back to a plain read of the store's tables while that area is being
built, so the app works on any KB. Results are plain dicts and lists (cacheable, picklable).
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kb.base import KnowledgeBase
from kb.errors import KbError
from kb.store.db import now_iso
from kb.textnorm import alias_key, search_tokens, to_simplified

ROOT = Path(__file__).resolve().parents[1]
STANCES = ["for", "against", "neutral", "mixed"]

_STATEMENT_SQL = (
    "SELECT s.*, a.title AS article_title, a.url AS url, a.source_name AS source, a.tz AS tz "
    "FROM statements s JOIN articles a ON a.id = s.article_id"
)
# A statement's date where its source published it (stored dates are UTC; the article keeps the source's
# offset): what the app shows, filters and counts by, like `kb timeline`
_LOCAL_DAY = "date(s.published, COALESCE((SELECT tz FROM articles WHERE id = s.article_id), '+08:00'))"


def lib(module: str) -> Any:
    """A library module if its owner has written it yet, else None."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name and module.startswith(e.name):
            return None
        raise


def plain(obj: Any) -> Any:
    """Library records → plain dicts (for st.cache_data and the pages)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: plain(v) for k, v in asdict(obj).items()}
    if hasattr(obj, "keys") and hasattr(obj, "__getitem__"):
        return {k: plain(obj[k]) for k in obj.keys()}
    if isinstance(obj, list | tuple):
        return [plain(x) for x in obj]
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    return obj


def _statement(row: Any) -> dict[str, Any]:
    d = plain(row)
    if isinstance(d.get("topics"), str):
        try:
            d["topics"] = json.loads(d["topics"])
        except ValueError:
            d["topics"] = []
    d.setdefault("topics", [])
    d["corrected"] = bool(d.get("corrected"))
    d["anonymous"] = bool(d.get("anonymous"))
    return d


def _with_stances(kbase: KnowledgeBase, stmts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [s["id"] for s in stmts]
    per: dict[str, dict[str, str | None]] = defaultdict(dict)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = ",".join("?" * len(chunk))
        for r in kbase.store.db.execute(
            f"SELECT statement_id, topic, stance FROM statement_topics WHERE statement_id IN ({q})", chunk
        ):
            per[r[0]][r[1]] = r[2]
    for s in stmts:
        s["stances"] = per.get(s["id"], {})
    return stmts


# -- overview ---------------------------------------------------------------------------------------


def stats(kbase: KnowledgeBase) -> dict[str, Any]:
    return kbase.store.stats()


def newest_statement_day(kbase: KnowledgeBase) -> date | None:
    row = kbase.store.db.execute("SELECT MAX(published) FROM statements").fetchone()
    return datetime.fromisoformat(row[0]).date() if row and row[0] else None


def topics_catalog(kbase: KnowledgeBase) -> dict[str, dict[str, str]]:
    """Topic id → {"zh": label, "en": label}, from the taxonomy (data/topics.json) and the store."""
    out: dict[str, dict[str, str]] = {}
    path = ROOT / "data" / "topics.json"
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.get("topics", data) if isinstance(data, dict) else data
            if isinstance(items, dict):
                items = [{"id": k, **v} for k, v in items.items()]
            for t in items:
                zh = t.get("zh") or t.get("label_zh") or (t.get("labels") or {}).get("zh") or t["id"]
                en = t.get("en") or t.get("label_en") or (t.get("labels") or {}).get("en") or t["id"]
                out[t["id"]] = {"zh": str(zh), "en": str(en)}
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    for (topic,) in kbase.store.db.execute("SELECT DISTINCT topic FROM statement_topics"):
        out.setdefault(topic, {"zh": topic, "en": topic})
    return out


def topic_label(catalog: dict[str, dict[str, str]], topic: str) -> str:
    t = catalog.get(topic)
    return f"{t['en']} · {t['zh']}" if t and t["en"] != t["zh"] else topic


# -- search -----------------------------------------------------------------------------------------


def registry(kbase: KnowledgeBase) -> Any:
    """The registry (kb.registry), or None while its data cannot be loaded."""
    try:
        return kbase.registry
    except (NotImplementedError, ImportError):
        return None


def vector_index(kbase: KnowledgeBase) -> Any:
    """The vector index (kb.index), or None while it is not available: search is keyword-only then."""
    try:
        return kbase.index
    except ImportError:
        return None


def _parsed(kbase: KnowledgeBase, query: str, as_of: date | None = None) -> Any:
    from kb.search import parse_query as lib_parse

    return lib_parse(query, registry(kbase), as_of)


def parse_query(kbase: KnowledgeBase, query: str, as_of: date | None = None) -> dict[str, Any]:
    """The query as filters (speaker, company, topic, dates) plus the remaining text.

    Shape: {"text": str, "chips": [{"kind", "value", "label", "matched"}], "notes": [...]}; a chip's
    position is what `search(removed=…)` refers to."""
    if lib("kb.search") is None:
        return _fallback_parse(kbase, query)
    pq = _parsed(kbase, query, as_of)
    chips = [
        {"kind": "person" if f.kind == "speaker" else f.kind, "value": f.value, "label": f.label,
         "matched": f.matched, "bias": f.kind == "topic"}
        for f in pq.filters
    ]  # fmt: skip
    return {"text": pq.text, "chips": chips, "notes": list(pq.notes)}


def _fallback_parse(kbase: KnowledgeBase, query: str) -> dict[str, Any]:
    key = alias_key(query)
    chips: list[dict[str, Any]] = []
    text = query
    if len(key) >= 2:
        rows = kbase.store.db.execute(
            "SELECT norm, alias, entity_kind, entity_id FROM aliases WHERE length(norm) >= 2 "
            "AND instr(?, norm) > 0 ORDER BY length(norm) DESC",
            (key,),
        ).fetchall()
        seen = set()
        for _norm, alias, kind, eid in rows:
            if (kind, eid) in seen:
                continue
            seen.add((kind, eid))
            label = _entity_name(kbase, kind, eid) or alias
            chips.append({"kind": "person" if kind == "person" else "company", "value": eid, "label": label,
                          "matched": alias, "bias": False})  # fmt: skip
            text = re.sub(re.escape(alias), " ", text, flags=re.IGNORECASE)
    return {"text": " ".join(text.split()), "chips": chips, "notes": []}


def _entity_name(kbase: KnowledgeBase, kind: str, eid: str) -> str | None:
    table = "people" if kind == "person" else "companies"
    row = kbase.store.db.execute(f"SELECT name FROM {table} WHERE id = ?", (eid,)).fetchone()
    return row[0] if row else None


def search(
    kbase: KnowledgeBase,
    query: str,
    *,
    removed: tuple[int, ...] = (),
    people: tuple[str, ...] = (),
    companies: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    since: str | None = None,
    until: str | None = None,
    limit: int = 30,
    hide_unsure: bool = False,
) -> dict[str, Any]:
    """Statements for `query` minus the chips the user removed, plus the sidebar's filters; best
    first, syndicated copies folded into one hit. `hide_unsure` leaves out statements whose speaker the
    confidence model doubts (below the KB's `unsure_below`). Returns {"hits", "text", "notes"}."""
    if lib("kb.search") is None:
        parsed = _fallback_parse(kbase, query)
        chips = [c for i, c in enumerate(parsed["chips"]) if i not in removed]
        text = " ".join(
            [parsed["text"], *(c["matched"] for i, c in enumerate(parsed["chips"]) if i in removed)]
        )
        people = (*people, *(c["value"] for c in chips if c["kind"] == "person"))
        companies = (*companies, *(c["value"] for c in chips if c["kind"] == "company"))
        hits = _fallback_search(kbase, text, people, companies, topics, since, until, limit)
        return {"hits": hits, "text": text.strip(), "notes": []}

    from kb.search import search as lib_search
    from kb.search.query import Filter

    pq = _parsed(kbase, query)
    for i in sorted(removed, reverse=True):
        if i < len(pq.filters):
            pq = pq.without(i)
    notes = []
    for pid in people:
        if pid.startswith("name:"):  # a speaker not in the registry: search their name as words
            pq.text = f"{pq.text} {pid[5:]}".strip()
        elif pid not in pq.speaker_ids:
            pq.speaker_ids.append(pid)
            pq.filters.append(Filter("speaker", pid, pid, explicit=True))
    for cid in companies:
        if cid.startswith("name:"):
            pq.text = f"{pq.text} {cid[5:]}".strip()
        elif cid not in pq.company_ids:
            pq.company_ids.append(cid)
            pq.filters.append(Filter("company", cid, cid, explicit=True))
    for t in topics:
        if t not in pq.topic_filter:
            pq.topic_filter.append(t)
            pq.filters.append(Filter("topic", t, t, explicit=True))
    if since:
        pq.since = date.fromisoformat(since)
    if until:
        pq.until = date.fromisoformat(until)
    pq.hide_unsure = hide_unsure
    pq.unsure_below = kbase.settings.unsure_below  # the KB's "unsure speaker" mark
    index = vector_index(kbase)
    result = lib_search(kbase.store, index, kbase.embedder, registry(kbase), pq, limit=limit)
    notes = list(result.notes)
    if index is None:
        notes.append("meaning search is unavailable in this build: keyword matches only")
    if not result.hits:
        notes.append(result.message())
    hits = []
    for h in plain(result.hits):
        h = _statement(h)
        copies = h.get("also_in") or []
        if isinstance(copies, list):
            h["also_sources"] = sorted({c.get("source") or "" for c in copies} - {""})
            h["also_in"] = h.get("also_in_count", len(copies))
        hits.append(h)
    return {"hits": _with_stances(kbase, _with_flags(kbase, hits)), "text": result.query.text, "notes": notes}


def _with_flags(kbase: KnowledgeBase, stmts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search hits carry the statement's fields but not the `corrected` flag: add it."""
    ids = [s["id"] for s in stmts]
    if ids:
        q = ",".join("?" * len(ids))
        flagged = {r[0] for r in kbase.store.db.execute(
            f"SELECT id FROM statements WHERE corrected = 1 AND id IN ({q})", ids)}  # fmt: skip
        for s in stmts:
            s["corrected"] = s["id"] in flagged
    return stmts


def _filters_sql(people, companies, topics, since, until) -> tuple[str, list[Any]]:  # type: ignore[no-untyped-def]
    where, args = [], []
    if people:
        q = ",".join("?" * len(people))
        where.append(f"(s.speaker_id IN ({q}) OR s.speaker IN ({q}))")
        args += list(people) * 2
    for c in companies:
        where.append(
            "(s.company_id = ? OR s.speaker_id = ? OR EXISTS (SELECT 1 FROM affiliations f "
            "WHERE f.company_id = ? AND f.person_id = s.speaker_id "
            "AND (f.since IS NULL OR substr(s.published, 1, length(f.since)) >= f.since) "
            "AND (f.until IS NULL OR substr(s.published, 1, length(f.until)) <= f.until)))"
        )
        args += [c, c, c]
    for t in topics:
        where.append("EXISTS (SELECT 1 FROM statement_topics t WHERE t.statement_id = s.id AND t.topic = ?)")
        args.append(t)
    # the plain comparison on s.published (a day's margin for any offset) keeps the index in use
    if since:
        where.append(f"s.published >= ? AND {_LOCAL_DAY} >= ?")
        args += [(date.fromisoformat(since) - timedelta(days=1)).isoformat(), since]
    if until:
        where.append(f"s.published < ? AND {_LOCAL_DAY} <= ?")
        args += [(date.fromisoformat(until) + timedelta(days=2)).isoformat(), until]
    return (" AND ".join(where) or "1"), args


def _fallback_search(kbase, text, people, companies, topics, since, until, limit) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    db = kbase.store.db
    cond, args = _filters_sql(people, companies, topics, since, until)
    tokens = [t for t in search_tokens(text).split() if t]
    if tokens:
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens[:64])
        rows = db.execute(
            f"{_STATEMENT_SQL} JOIN statements_fts f ON f.statement_id = s.id "
            f"WHERE statements_fts MATCH ? AND {cond} ORDER BY bm25(statements_fts) LIMIT ?",
            [match, *args, limit * 4],
        ).fetchall()
    else:
        rows = db.execute(
            f"{_STATEMENT_SQL} WHERE {cond} ORDER BY s.published DESC LIMIT ?", [*args, limit * 4]
        ).fetchall()
    return _with_stances(kbase, fold_syndicated(kbase, [_statement(r) for r in rows])[:limit])


def fold_syndicated(kbase: KnowledgeBase, stmts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One hit per quote: copies with the same quote key count as 'also in N sources'."""
    out, seen = [], set()
    for s in stmts:
        if s["quote_key"] in seen:
            continue
        seen.add(s["quote_key"])
        if "also_in" not in s:
            srcs = {
                r[0]
                for r in kbase.store.db.execute(
                    "SELECT a.source_name FROM statements x JOIN articles a ON a.id = x.article_id "
                    "WHERE x.quote_key = ? AND x.id != ?",
                    (s["quote_key"], s["id"]),
                )
            }
            srcs.discard(s.get("source"))
            s["also_in"] = len(srcs)
            s["also_sources"] = sorted(x for x in srcs if x)
        out.append(s)
    return out


def highlight_spans(text: str, query_text: str) -> list[tuple[int, int]]:
    """Character ranges of `text` that match the query's words (either script)."""
    simp = to_simplified(text).lower()
    spans = []
    for tok in set(search_tokens(query_text).split()):
        if len(tok) < 2 and not ("\u4e00" <= tok <= "\u9fff"):
            continue
        for m in re.finditer(re.escape(tok), simp):
            spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


_SENT_END = re.compile(r"(?<=[。！？!?；;\n])")


def context(kbase: KnowledgeBase, statement_id: str) -> dict[str, Any]:
    """The sentence before and after a statement in its article, and the evidence for a speaker reached
    through a reference (kb.search.hits.evidence)."""
    from kb.search.hits import evidence

    row = kbase.store.db.execute(
        "SELECT s.start, s.end, s.speaker_start, s.speaker_end, s.named_start, s.named_end, s.corrected, "
        "a.text FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.id = ?",
        (statement_id,),
    ).fetchone()
    if not row:
        return {"before": "", "after": "", "evidence": None}
    start, end, text = row["start"], row["end"], row["text"]
    before = [x for x in _SENT_END.split(text[:start]) if x.strip()]
    after = [x for x in _SENT_END.split(text[end:]) if x.strip()]
    return {
        "before": before[-1].strip() if before else "",
        "after": after[0].strip() if after else "",
        "evidence": evidence(text, dict(row)),
    }


# -- people and companies ------------------------------------------------------------------------


def people(kbase: KnowledgeBase) -> list[dict[str, Any]]:
    """People with a page: the registry's (not merged) and named speakers not yet in it."""
    db = kbase.store.db
    rows = db.execute(
        "SELECT p.id, p.name, p.name_en, p.origin, p.status, "
        "(SELECT COUNT(*) FROM statements s WHERE s.speaker_id = p.id) AS statements "
        "FROM people p WHERE p.status != 'merged'"
    ).fetchall()
    out = [plain(r) for r in rows]
    known = {r["id"] for r in out}
    for name, sid, n in db.execute(
        "SELECT speaker, speaker_id, COUNT(*) FROM statements WHERE speaker_type = 'person' "
        "AND speaker IS NOT NULL GROUP BY speaker, speaker_id"
    ):
        if sid and sid in known:
            continue
        out.append({"id": sid or f"name:{name}", "name": name, "name_en": None, "origin": "statements",
                    "status": "unconfirmed", "statements": n})  # fmt: skip
    out.sort(key=lambda r: (-r["statements"], r["name"]))
    return out


def companies(kbase: KnowledgeBase) -> list[dict[str, Any]]:
    db = kbase.store.db
    rows = db.execute(
        "SELECT c.id, c.name, c.name_en, c.kind, c.origin, c.status, "
        "(SELECT COUNT(*) FROM statements s WHERE s.company_id = c.id OR s.speaker_id = c.id) AS statements "
        "FROM companies c WHERE c.status != 'merged'"
    ).fetchall()
    out = [plain(r) for r in rows]
    known = {r["id"] for r in out}
    for org, cid, n in db.execute(
        "SELECT organization, company_id, COUNT(*) FROM statements WHERE organization IS NOT NULL "
        "AND organization != '' GROUP BY organization, company_id"
    ):
        if cid and cid in known:
            continue
        out.append({"id": cid or f"name:{org}", "name": org, "name_en": None, "kind": "company",
                    "origin": "statements", "status": "unconfirmed", "statements": n})  # fmt: skip
    out.sort(key=lambda r: (-r["statements"], r["name"]))
    return out


def _aliases(kbase: KnowledgeBase, kind: str, eid: str) -> list[str]:
    return sorted(
        {r[0] for r in kbase.store.db.execute(
            "SELECT alias FROM aliases WHERE entity_kind = ? AND entity_id = ?", (kind, eid))}
    )  # fmt: skip


def person(kbase: KnowledgeBase, pid: str) -> dict[str, Any] | None:
    db = kbase.store.db
    if pid.startswith("name:"):
        name = pid[5:]
        info: dict[str, Any] = {"id": pid, "name": name, "name_en": None, "origin": "statements"}
    else:
        row = db.execute("SELECT * FROM people WHERE id = ?", (pid,)).fetchone()
        if row is None:
            row = db.execute("SELECT speaker FROM statements WHERE speaker_id = ? LIMIT 1", (pid,)).fetchone()
            if row is None:
                return None
            info = {"id": pid, "name": row[0], "name_en": None, "origin": "statements"}
        else:
            info = plain(row)
    info["aliases"] = _aliases(kbase, "person", pid)
    info["roles"] = [
        plain(r)
        for r in db.execute(
            "SELECT f.company_id, COALESCE(c.name, f.company_id) AS company, f.title, f.since, f.until, f.origin "
            "FROM affiliations f LEFT JOIN companies c ON c.id = f.company_id WHERE f.person_id = ? "
            "ORDER BY COALESCE(f.since, '') DESC",
            (pid,),
        )
    ]
    if not info["roles"]:  # roles as the press wrote them
        info["roles"] = [
            {
                "company_id": r[2],
                "company": r[1],
                "title": r[0],
                "since": r[3],
                "until": r[4],
                "origin": "statements",
            }
            for r in db.execute(
                "SELECT title, organization, company_id, MIN(substr(published,1,10)), MAX(substr(published,1,10)) "
                "FROM statements WHERE (speaker_id = ? OR speaker = ?) AND organization IS NOT NULL "
                "GROUP BY title, organization, company_id ORDER BY 4 DESC",
                (pid, info["name"]),
            )
        ]
    return info


def company(kbase: KnowledgeBase, cid: str) -> dict[str, Any] | None:
    db = kbase.store.db
    if cid.startswith("name:"):
        info: dict[str, Any] = {"id": cid, "name": cid[5:], "name_en": None, "kind": "company"}
    else:
        row = db.execute("SELECT * FROM companies WHERE id = ?", (cid,)).fetchone()
        if row is None:
            row = db.execute(
                "SELECT organization FROM statements WHERE company_id = ? LIMIT 1", (cid,)
            ).fetchone()
            if row is None:
                return None
            info = {"id": cid, "name": row[0], "name_en": None, "kind": "company"}
        else:
            info = plain(row)
    info["aliases"] = _aliases(kbase, "company", cid)
    info["people"] = [
        plain(r)
        for r in db.execute(
            "SELECT f.person_id AS id, COALESCE(p.name, f.person_id) AS name, f.title, f.since, f.until "
            "FROM affiliations f LEFT JOIN people p ON p.id = f.person_id WHERE f.company_id = ? "
            "ORDER BY f.until IS NOT NULL, COALESCE(f.since, '') DESC",
            (cid,),
        )
    ]
    if not info["people"]:
        info["people"] = [
            {"id": r[1] or f"name:{r[0]}", "name": r[0], "title": r[2], "since": r[3], "until": None}
            for r in db.execute(
                "SELECT speaker, speaker_id, MAX(title), MIN(substr(published,1,10)) FROM statements "
                "WHERE (company_id = ? OR organization = ?) AND speaker_type = 'person' AND speaker IS NOT NULL "
                "GROUP BY speaker, speaker_id",
                (cid, info["name"]),
            )
        ]
    return info


def statements_of(
    kbase: KnowledgeBase, *, person_id: str | None = None, company_id: str | None = None,
    topic: str | None = None, since: str | None = None, until: str | None = None, limit: int = 200,
) -> list[dict[str, Any]]:  # fmt: skip
    """A person's or a company's statements, newest first."""
    cond, args = _who_sql(person_id, company_id, topic)
    dates, dargs = _filters_sql([], [], [], since, until)
    rows = kbase.store.db.execute(
        f"{_STATEMENT_SQL} WHERE {cond} AND {dates} ORDER BY s.published DESC, s.seq LIMIT ?",
        [*args, *dargs, limit],
    ).fetchall()
    return _with_stances(kbase, _with_flags(kbase, [_statement(r) for r in rows]))


def count_statements_of(
    kbase: KnowledgeBase, *, person_id: str | None = None, company_id: str | None = None
) -> int:
    """How many statements `statements_of` pages through (for the page's heading)."""
    cond, args = _who_sql(person_id, company_id, None)
    return int(kbase.store.db.execute(f"SELECT COUNT(*) FROM statements s WHERE {cond}", args).fetchone()[0])


def statements_by_ids(kbase: KnowledgeBase, ids: list[str]) -> list[dict[str, Any]]:
    return _with_stances(kbase, [_statement(r) for r in kbase.store.statements(ids)])


# -- timelines -----------------------------------------------------------------------------------


def timeline(
    kbase: KnowledgeBase, *, person_id: str | None = None, company_id: str | None = None,
    topic: str | None = None, by: str = "month",
) -> list[dict[str, Any]]:  # fmt: skip
    """Rows {period, topic, stance, count, statement_ids}, oldest period first."""
    tl = lib("kb.timeline")
    who = {"person": _registry_id(person_id), "company": _registry_id(company_id)}
    if tl is not None and any(who.values()):
        try:
            rows = tl.timeline(kbase.store, topic=topic, by=by, registry=registry(kbase), **who)
            return [r for r in (plain(x) for x in rows) if r.get("topic")]
        except KbError:
            pass  # not in the registry (a speaker the press named): count from the store below
    # Counted in SQL: a busy company has tens of thousands of statements.
    cond, args = _who_sql(person_id, company_id, topic)
    period = f"substr({_LOCAL_DAY}, 1, 7)" if by == "month" else f"strftime('%Y-W%W', {_LOCAL_DAY})"
    rows = kbase.store.db.execute(
        f"SELECT COALESCE({period}, 'unknown'), t.topic, COALESCE(t.stance, 'neutral'), COUNT(*), "
        f"group_concat(s.id) FROM statements s JOIN statement_topics t ON t.statement_id = s.id "
        f"WHERE {cond} {'AND t.topic = ?' if topic else ''} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        [*args, *([topic] if topic else [])],
    ).fetchall()
    return [
        {"period": p, "topic": t, "stance": st, "count": n, "statement_ids": ids.split(",")}
        for p, t, st, n, ids in rows
    ]


def compare(
    kbase: KnowledgeBase, company_ids: tuple[str, ...], topic: str | None = None, by: str = "month"
) -> list[dict[str, Any]]:
    """Companies side by side on a topic (kb.timeline.compare): timeline rows that each carry
    `company` (the name) and `company_id`, oldest period first."""
    tl = lib("kb.timeline")
    ids = [_registry_id(c) for c in company_ids]
    if tl is not None and all(ids):
        try:
            rows = tl.compare(
                kbase.store, [str(i) for i in ids], topic=topic, by=by, registry=registry(kbase)
            )
            return [r for r in (plain(x) for x in rows) if r.get("topic")]
        except KbError:
            pass  # a company only the press named: per company from the store below
    out = []
    for c in company_ids:
        name = _display_name(kbase, "company", c)
        out += [
            {"company": name, "company_id": c, **r} for r in timeline(kbase, company_id=c, topic=topic, by=by)
        ]
    out.sort(key=lambda r: r["period"])
    return out


def _who_sql(person_id: str | None, company_id: str | None, topic: str | None) -> tuple[str, list[Any]]:
    """The WHERE condition (over `s`) for a person's or a company's statements."""
    people_f, companies_f = [], []
    extra, args = "1", []
    if person_id:
        if person_id.startswith("name:"):
            extra, args = "s.speaker = ?", [person_id[5:]]
        else:
            people_f = [person_id]
    if company_id:
        if company_id.startswith("name:"):
            extra, args = "s.organization = ?", [company_id[5:]]
        else:
            companies_f = [company_id]
    cond, fargs = _filters_sql(people_f, companies_f, [topic] if topic else [], None, None)
    return f"{cond} AND {extra}", [*fargs, *args]


def changes(kbase: KnowledgeBase, rows: list[dict[str, Any]], **who: Any) -> list[dict[str, Any]]:
    """'What changed': the first statement on a topic, and a dominant stance that differs from the
    previous period's. Items: {period, topic, change, stance, previous_stance, statement_ids}."""
    tl = lib("kb.timeline")
    ids = {"person": _registry_id(who.get("person_id")), "company": _registry_id(who.get("company_id"))}
    if tl is not None and any(ids.values()):
        try:
            return [plain(x) for x in tl.changes(kbase.store, by=who.get("by", "month"), topic=who.get("topic"),
                                                 registry=registry(kbase), **ids)]  # fmt: skip
        except KbError:
            pass
    per: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    sids: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        per[r["topic"]][r["period"]][r["stance"]] += r["count"]
        sids[(r["topic"], r["period"])] += r["statement_ids"]
    out = []
    for topic, periods in per.items():
        prev = None
        for i, period in enumerate(sorted(periods)):
            major = periods[period].most_common(1)[0][0]
            base = {"period": period, "topic": topic, "stance": major, "statement_ids": sids[(topic, period)]}
            if i == 0:
                out.append({**base, "change": "first", "previous_stance": None})
            elif major not in (None, "neutral") and prev not in (None, "neutral") and major != prev:
                out.append({**base, "change": "shift", "previous_stance": prev})
            if major not in (None, "neutral"):
                prev = major
    out.sort(key=lambda r: r["period"], reverse=True)
    return out


def _registry_id(eid: str | None) -> str | None:
    return None if not eid or eid.startswith("name:") else eid


# -- corrections ---------------------------------------------------------------------------------


def correct(
    kbase: KnowledgeBase, statement_id: str, field: str, new: str | None, note: str = ""
) -> dict[str, Any]:
    """Store an analyst's fix (speaker, organization or stance:<topic>) and apply it: the library's
    kb.corrections records it, marks the statement corrected, refreshes its keyword row, queues its
    index metadata and teaches the registry (the process's cached one too) and the stance model."""
    from kb.corrections import apply

    return plain(apply(kbase.store, statement_id, field, new, registry(kbase), note=note or None))


def confirm(kbase: KnowledgeBase, statement_id: str, note: str = "") -> dict[str, Any]:
    """The analyst checked the source and the speaker is right (kb.corrections.confirm_speaker)."""
    from kb.corrections import confirm_speaker

    return plain(confirm_speaker(kbase.store, statement_id, note=note or None))


def review_queue(kbase: KnowledgeBase, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Statements with an unsure speaker under the KB's mark, lowest confidence first (kb.review)."""
    from kb import review

    rows = review.queue(kbase.store, kbase.settings.unsure_below, limit=limit, offset=offset)
    return _with_stances(kbase, [plain(r) for r in rows])


def review_count(kbase: KnowledgeBase) -> int:
    from kb import review

    return review.count(kbase.store, kbase.settings.unsure_below)


def corrections(kbase: KnowledgeBase, limit: int = 200) -> list[dict[str, Any]]:
    """The corrections log, newest first; each fix with its `status`: applied, satisfied (a later
    extraction already agrees with it) or orphaned (its statement is gone after a re-extraction)."""
    from kb.corrections import history

    out = [plain(r) for r in history(kbase.store, limit=limit)]
    for r in out:
        r.setdefault("status", "applied")
    return out


def correction_orphans(kbase: KnowledgeBase, limit: int = 200) -> list[dict[str, Any]]:
    """Fixes whose statement no longer exists, newest first, with the quote they were made on and
    where it was (article URL, the speaker as extracted)."""
    from kb import corrections as lib_corrections

    fn = getattr(lib_corrections, "orphans", None)
    return [plain(r) for r in fn(kbase.store, limit=limit)] if fn else []


# -- digests ---------------------------------------------------------------------------------------


def subscriptions(kbase: KnowledgeBase) -> list[dict[str, Any]]:
    digest = lib("kb.digest")
    if digest is not None:
        return [plain(x.to_dict()) for x in digest.list_subscriptions(kbase.store)]
    out = []
    for r in kbase.store.db.execute("SELECT * FROM subscriptions ORDER BY address, id"):
        d = plain(r)
        for k in ("people", "companies", "topics"):
            d[k] = json.loads(d[k] or "[]")
        out.append(d)
    return out


def _display_name(kbase: KnowledgeBase, kind: str, eid: str) -> str:
    """What the digest library resolves through the registry: the entity's name, not our page id."""
    if eid.startswith("name:"):
        return eid[5:]
    return _entity_name(kbase, kind, eid) or eid


def save_subscription(
    kbase: KnowledgeBase, address: str, people: list[str], companies: list[str], topics: list[str],
    query: str | None, sub_id: int | None = None, hide_unsure: bool = False,
) -> int:  # fmt: skip
    """Add (sub_id None) or edit a subscription; the digest library validates the address and
    resolves the names (one subscription per address). `hide_unsure` leaves statements whose speaker
    is in doubt out of its digests."""
    digest = lib("kb.digest")
    if digest is not None:
        addr = digest.validate_address(address)
        if sub_id is not None:
            old = digest.get_subscription(kbase.store, sub_id)
            if old is not None and old.address.lower() != addr.lower():
                digest.unsubscribe(kbase.store, sub_id)
        sub = digest.subscribe(
            kbase.store, addr,
            people=[_display_name(kbase, "person", p) for p in people],
            companies=[_display_name(kbase, "company", c) for c in companies],
            topics=list(topics), query=query or None, hide_unsure=hide_unsure,
        )  # fmt: skip
        return int(sub.id)
    if not re.fullmatch(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+", address.strip()):
        raise ValueError(f"not an e-mail address: {address!r}")
    vals = (address.strip(), json.dumps(people, ensure_ascii=False), json.dumps(companies, ensure_ascii=False),
            json.dumps(topics, ensure_ascii=False), query or None, int(hide_unsure))  # fmt: skip
    with kbase.store.transaction() as db:
        if sub_id is None:
            cur = db.execute(
                "INSERT INTO subscriptions (address, people, companies, topics, query, hide_unsure, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*vals, now_iso()),
            )
            return int(cur.lastrowid or 0)
        db.execute(
            "UPDATE subscriptions SET address = ?, people = ?, companies = ?, topics = ?, query = ?, hide_unsure = ? "
            "WHERE id = ?",
            (*vals, sub_id),
        )
        return sub_id


def remove_subscription(kbase: KnowledgeBase, sub_id: int) -> None:
    digest = lib("kb.digest")
    if digest is not None:
        digest.unsubscribe(kbase.store, sub_id)
        return
    with kbase.store.transaction() as db:
        db.execute("DELETE FROM subscriptions WHERE id = ?", (sub_id,))


def digest_window(newest: date | None, today: date | None = None) -> tuple[date, date, bool]:
    """The Digests page's default preview window: last week (Monday to Sunday), or the week of the
    newest statement when the KB has nothing newer (demo data, a paused feed) — then True."""
    today = today or date.today()
    week_start = today - timedelta(days=today.weekday()) - timedelta(days=7)
    if newest and newest < week_start:
        start = newest - timedelta(days=newest.weekday())
        return start, start + timedelta(days=6), True
    return week_start, week_start + timedelta(days=6), False


def digest_preview(
    kbase: KnowledgeBase, address: str | None, since: date, until: date, hide_unsure: bool = False
) -> dict[str, Any] | None:
    """The next digest exactly as it will be sent (the rendered e-mail's parts):
    {"subject", "html", "text", "statements", "unsure"}; None while the digest library is absent.
    Unsure speakers are marked by the KB's `unsure_below`; `hide_unsure` leaves them out (as a
    subscription's own setting does, and `kb digest --hide-unsure`)."""
    digest = lib("kb.digest")
    if digest is None:
        return None
    sub = None
    if address:
        sub = next((x for x in digest.list_subscriptions(kbase.store) if x.address == address), None)
    d = digest.build_digest(
        kbase.store, since, until, sub, unsure_below=kbase.settings.unsure_below, hide_unsure=hide_unsure
    )
    msg = digest.render(d, to=address, mail_from=kbase.settings.mail_from)
    html, text = msg.get_body(("html",)), msg.get_body(("plain",))
    return {
        "subject": str(msg["Subject"]),
        "html": html.get_content() if html else "",
        "text": text.get_content() if text else "",
        "statements": d.statement_count,
        "unsure": d.unsure_count,
        "eml": digest.eml_bytes(msg),
    }


# -- sources -----------------------------------------------------------------------------------


STALE_AFTER_DAYS = 3


def sources(kbase: KnowledgeBase) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    out = []
    for r in kbase.store.sources():
        d = plain(r)
        d["stored_articles"] = kbase.store.db.execute(
            "SELECT COUNT(*) FROM articles WHERE source_id = ?", (d["id"],)
        ).fetchone()[0]
        last = d.get("last_success")
        age = (now - datetime.fromisoformat(last)).days if last else None
        d["stale"] = bool(d.get("stale_since")) or (
            d["kind"] == "feed" and (age is None or age >= STALE_AFTER_DAYS)
        )
        out.append(d)
    return out


def add_sources(kbase: KnowledgeBase, locations: list[str], *, fetch: bool = True) -> dict[str, Any]:
    """Add feeds (URLs, or an OPML file saved locally) and read them now through the pipeline."""
    pipeline = lib("kb.pipeline")
    fn = getattr(pipeline, "ingest_sources", None) if pipeline else None
    if fn is None:
        for loc in locations:
            kbase.store.upsert_source(loc, "", "feed")
        return {
            "new_articles": 0,
            "failures": [],
            "note": "stored; the pipeline will read it on the next ingest",
        }
    report = fn(kbase, locations, fetch=fetch, wait=False)
    return plain(report.as_dict() if hasattr(report, "as_dict") else report)

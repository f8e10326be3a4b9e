"""The filters of a parsed query, written once for each retriever: an SQL condition over the
`statements s` table (keyword search, name-only listings) and a Chroma `where` clause (vectors).

Both apply the filters INSIDE the retriever, so a narrow filter never starves the ranking (a
post-filter over the top 100 of a million statements would often return nothing).

A company filter means: statements by the company itself (speaker_id), statements whose
organization is the company (company_id), and statements by anyone who held a role there on the
statement's date (the registry's roles, with their since/until bounds).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from kb.search.query import ParsedQuery

CHINA = timezone(timedelta(hours=8))  # day boundaries of the press we read


def day_start(d: date) -> datetime:
    """00:00 China time of `d`, as an aware datetime (dates in queries are Chinese days)."""
    return datetime.combine(d, time(0), tzinfo=CHINA)


def iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(microsecond=0).isoformat()


def _partial(value: str | None, *, end: bool) -> date | None:
    """'2023' / '2023-04' / '2023-04-15' → first (or last, end=True) day it covers."""
    if not value:
        return None
    parts = [int(p) for p in value[:10].split("-") if p.isdigit()]
    try:
        if len(parts) == 1:
            return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
        if len(parts) == 2:
            y, m = parts
            return date(y, m, calendar.monthrange(y, m)[1]) if end else date(y, m, 1)
        return date(*parts[:3])
    except ValueError:
        return None


@dataclass
class RoleSpan:
    """A person's time at a company: statements in [lo, hi) count for the company."""

    person_id: str
    lo: datetime | None
    hi: datetime | None


@dataclass
class Resolved:
    """The filters' entities looked up in the registry: ids, names as statements may carry them
    (speakers the registry only discovered have no speaker_id on their statements yet, so SQL
    also matches the canonical name), companies with their subsidiaries, and role spans."""

    speaker_ids: list[str]
    speaker_names: list[str]
    company_ids: list[str]
    company_names: list[str]
    spans: list[RoleSpan]


def _names(registry: Any, ids: list[str]) -> list[str]:
    out: list[str] = []
    for i in ids:
        e = registry.get(i) if registry is not None else None
        for n in [e.name, *e.aliases] if e is not None else []:
            if n and n not in out:
                out.append(n)
    return out


def resolve(registry: Any, pq: ParsedQuery) -> Resolved:
    ids = list(pq.company_ids)
    spans: list[RoleSpan] = []
    if registry is not None and ids:
        try:
            for c in registry.companies():  # subsidiaries count for their group (阿里云 → 阿里巴巴)
                if getattr(c, "parent", None) in pq.company_ids and c.id not in ids:
                    ids.append(c.id)
        except (AttributeError, NotImplementedError):
            pass
        for cid in ids:
            try:
                people = registry.people_of(cid)
            except (AttributeError, NotImplementedError):
                people = []
            for p in people:
                for r in p.roles:
                    if r.company_id != cid:
                        continue
                    lo, hi = _partial(r.since, end=False), _partial(r.until, end=True)
                    spans.append(
                        RoleSpan(
                            p.id,
                            day_start(lo) if lo else None,
                            day_start(hi + timedelta(days=1)) if hi else None,
                        )
                    )
    return Resolved(list(pq.speaker_ids), _names(registry, pq.speaker_ids), ids, _names(registry, ids), spans)


# The negation of kb/nlp/confidence.py `unsure` in SQL, with the mark as its one parameter: no score (no
# model), at or above the mark, or fixed by an analyst. "Hide unsure speakers" keeps these; kb/review.py's
# queue holds the others.
SURE_SQL = "(s.confidence IS NULL OR s.confidence >= ? OR s.corrected = 1)"


def sql_condition(pq: ParsedQuery, rv: Resolved | None = None) -> tuple[str, list[Any]]:
    """(`AND`-joined condition over `s`, parameters); "1" when nothing filters."""
    rv = rv or resolve(None, pq)
    conds: list[str] = []
    params: list[Any] = []

    def inlist(values: list[str]) -> str:
        params.extend(values)
        return ",".join("?" * len(values))

    if rv.speaker_ids:
        ors = [f"s.speaker_id IN ({inlist(rv.speaker_ids)})"]
        if rv.speaker_names:
            # `+` keeps SQLite off the speaker_id index for IS NULL (most rows): the name index decides.
            ors.append(f"(+s.speaker_id IS NULL AND s.speaker IN ({inlist(rv.speaker_names)}))")
        conds.append("(" + " OR ".join(ors) + ")")
    if rv.company_ids:
        ors = [f"s.company_id IN ({inlist(rv.company_ids)})", f"s.speaker_id IN ({inlist(rv.company_ids)})"]
        if rv.company_names:
            ors.append(f"(+s.company_id IS NULL AND s.organization IN ({inlist(rv.company_names)}))")
            ors.append(f"(+s.speaker_id IS NULL AND s.speaker IN ({inlist(rv.company_names)}))")
        for sp in rv.spans:
            c = ["s.speaker_id = ?"]
            params.append(sp.person_id)
            if sp.lo:
                c.append("s.published >= ?")
                params.append(iso_utc(sp.lo))
            if sp.hi:
                c.append("s.published < ?")
                params.append(iso_utc(sp.hi))
            ors.append("(" + " AND ".join(c) + ")")
        conds.append("(" + " OR ".join(ors) + ")")
    if pq.topic_filter:
        conds.append(
            "EXISTS (SELECT 1 FROM statement_topics t WHERE t.statement_id = s.id "
            f"AND t.topic IN ({inlist(pq.topic_filter)}))"
        )
    if pq.since:
        conds.append("s.published >= ?")
        params.append(iso_utc(day_start(pq.since)))
    if pq.until:
        conds.append("s.published < ?")
        params.append(iso_utc(day_start(pq.until + timedelta(days=1))))
    if pq.hide_unsure:
        conds.append(SURE_SQL)
        params.append(pq.unsure_below)
    return (" AND ".join(conds) or "1"), params


def _any(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def _all(clauses: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def chroma_where(pq: ParsedQuery, rv: Resolved | None = None) -> dict[str, Any] | None:
    """The same filters as a Chroma `where` clause over the index metadata (kb.index)."""
    rv = rv or resolve(None, pq)
    conds: list[dict[str, Any]] = []
    if rv.speaker_ids:
        conds.append({"speaker_id": {"$in": list(rv.speaker_ids)}})
    if rv.company_ids:
        ors: list[dict[str, Any]] = [
            {"company_id": {"$in": rv.company_ids}},
            {"speaker_id": {"$in": rv.company_ids}},
        ]
        for sp in rv.spans:
            c: list[dict[str, Any]] = [{"speaker_id": sp.person_id}]
            if sp.lo:
                c.append({"published": {"$gte": int(sp.lo.timestamp())}})
            if sp.hi:
                c.append({"published": {"$lt": int(sp.hi.timestamp())}})
            ors.append(_all(c) or {})
        conds.append(_any(ors))
    if pq.topic_filter:
        conds.append(_any([{f"topic_{t}": True} for t in pq.topic_filter]))
    if pq.since:
        conds.append({"published": {"$gte": int(day_start(pq.since).timestamp())}})
    if pq.until:
        conds.append({"published": {"$lt": int(day_start(pq.until + timedelta(days=1)).timestamp())}})
    return _all(conds)

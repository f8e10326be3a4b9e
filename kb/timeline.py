"""Timelines: statement counts per period, topic and stance, for a company or a person.

A read model over the store. A company's statements are
  - those of people who held a role there on the statement's date (registry roles, which include
    the KB's affiliations with their since/until),
  - those whose `company_id` is the company (the extractor attributed the speaker's organisation),
  - and the company's own statements as an organisation (`speaker_id` is the company).
Each statement counts once per topic it carries; statements without a topic are counted under
topic None so that the totals stay visible. Periods are in the article's own time zone: ISO weeks
("2026-W07") or months ("2026-03").

Rows follow DESIGN.md: `period`, `topic`, `stance`, `count`, `statement_ids`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kb.dates import local_day
from kb.errors import KbError

if TYPE_CHECKING:
    from kb.registry import Entity, Registry
    from kb.store import Store

PERIODS = ("week", "month")
STANCE_ORDER = {"for": 0, "against": 1, "mixed": 2, "neutral": 3, None: 4}


@dataclass
class Hit:
    id: str
    day: date
    topic: str | None
    stance: str | None


def parse_day(value: str | date | None, *, what: str = "date") -> date | None:
    """'2026-03-01', '2026-03' (first day) or a date; a clear error otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise KbError(f"cannot read {what} {value!r}; use YYYY-MM-DD or YYYY-MM")


def period_of(day: date, by: str) -> str:
    if by == "week":
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}"
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    raise KbError(f"unknown period {by!r}; use week or month")


# -- resolving names ------------------------------------------------------------------------------


def _registry(store: Store) -> Registry:
    from kb.registry import Registry

    return Registry.load(store=store)


def resolve_company(store: Store, name: str, registry: Registry | None = None) -> Entity:
    """The company (or organisation) a name refers to; unknown → KbError with the closest names."""
    reg = registry or _registry(store)
    return reg.require(name, kind="company")


def resolve_person(store: Store, name: str, registry: Registry | None = None) -> Entity:
    reg = registry or _registry(store)
    return reg.require(name, kind="person")


# -- selecting statements -------------------------------------------------------------------------

_SELECT = (
    "SELECT s.id, s.published, a.tz, s.speaker_id, s.company_id, st.topic, st.stance "
    "FROM statements s JOIN articles a ON a.id = s.article_id "
    "LEFT JOIN statement_topics st ON st.statement_id = s.id "
)


def _hits(
    rows: Any, topic: str | None, since: date | None, until: date | None, keep: Any = None
) -> list[Hit]:
    out: list[Hit] = []
    for r in rows:
        day = local_day(r["published"], r["tz"])
        if day is None or (since and day < since) or (until and day > until):
            continue
        if topic and r["topic"] != topic:
            continue
        if keep is not None and not keep(r, day):
            continue
        out.append(Hit(r["id"], day, r["topic"], r["stance"] if r["topic"] else None))
    return out


def person_hits(store: Store, person_id: str, *, topic: str | None = None, since: date | None = None,
                until: date | None = None) -> list[Hit]:  # fmt: skip
    rows = store.db.execute(_SELECT + "WHERE s.speaker_id = ?", (person_id,)).fetchall()
    return _hits(rows, topic, since, until)


def company_hits(store: Store, company: Entity, registry: Registry, *, topic: str | None = None,
                 since: date | None = None, until: date | None = None) -> list[Hit]:  # fmt: skip
    """Statements of the company, its people while they held a role there, and those attributed
    to it by company_id; each (statement, topic) once."""
    cid = company.id
    people = {p.id: p for p in registry.people_of(cid)}
    rows = list(store.db.execute(_SELECT + "WHERE s.company_id = ? OR s.speaker_id = ?", (cid, cid)))
    if people:
        ids = list(people)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = ",".join("?" * len(chunk))
            rows += store.db.execute(_SELECT + f"WHERE s.speaker_id IN ({q})", chunk).fetchall()

    def keep(r: Any, day: date) -> bool:
        if r["company_id"] == cid or r["speaker_id"] == cid:
            return True
        p = people.get(r["speaker_id"])
        return p is not None and any(role.company_id == cid and role.covers(day) for role in p.roles)

    seen: set[tuple[str, str | None]] = set()
    out = []
    for h in _hits(rows, topic, since, until, keep):
        if (h.id, h.topic) not in seen:
            seen.add((h.id, h.topic))
            out.append(h)
    return out


def rows_of(hits: list[Hit], by: str) -> list[dict[str, Any]]:
    """Group hits into DESIGN.md rows, ordered by period, topic, stance."""
    groups: dict[tuple[str, str | None, str | None], list[tuple[date, str]]] = defaultdict(list)
    for h in hits:
        groups[(period_of(h.day, by), h.topic, h.stance)].append((h.day, h.id))
    out = []
    for (period, topic, stance), items in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "~", STANCE_ORDER.get(kv[0][2], 5))
    ):
        items.sort()
        out.append({"period": period, "topic": topic, "stance": stance, "count": len(items),
                    "statement_ids": [i for _, i in items]})  # fmt: skip
    return out


def _check(by: str, topic: str | None) -> str | None:
    if by not in PERIODS:
        raise KbError(f"unknown period {by!r}; use week or month")
    if topic:
        from kb.topics import find_topic

        return find_topic(topic)
    return None


def timeline(
    store: Store,
    company: str | None = None,
    person: str | None = None,
    topic: str | None = None,
    by: str = "month",
    since: str | date | None = None,
    until: str | date | None = None,
    *,
    registry: Registry | None = None,
) -> list[dict[str, Any]]:
    """Rows per period, topic and stance for one company or one person (exactly one of them).
    Names resolve through the registry in any script; unknown names raise KbError with the
    closest names. A window without statements gives []."""
    if bool(company) == bool(person):
        raise KbError("give either a company or a person")
    tid = _check(by, topic)
    lo, hi = parse_day(since, what="--since"), parse_day(until, what="--until")
    reg = registry or _registry(store)
    if company:
        hits = company_hits(store, resolve_company(store, company, reg), reg, topic=tid, since=lo, until=hi)
    else:
        hits = person_hits(store, resolve_person(store, str(person), reg).id, topic=tid, since=lo, until=hi)
    return rows_of(hits, by)


def compare(
    store: Store,
    companies: list[str],
    topic: str | None = None,
    by: str = "month",
    since: str | date | None = None,
    until: str | date | None = None,
    *,
    registry: Registry | None = None,
) -> list[dict[str, Any]]:
    """Timeline rows of several companies side by side (each row gains `company`, the canonical
    name, and `company_id`), ordered by period, then company."""
    if len(companies) < 2:
        raise KbError("compare needs at least two companies (--company A --company B)")
    reg = registry or _registry(store)
    out: list[dict[str, Any]] = []
    for name in companies:
        ent = resolve_company(store, name, reg)
        for row in timeline(
            store, company=ent.id, topic=topic, by=by, since=since, until=until, registry=reg
        ):
            out.append({"company": ent.name, "company_id": ent.id, **row})
    order = {c: i for i, c in enumerate(dict.fromkeys(r["company_id"] for r in out))}
    out.sort(key=lambda r: (r["period"], order[r["company_id"]]))
    return out


def dominant(stances: dict[str | None, int]) -> str | None:
    """The stance a period expresses: the most frequent non-neutral one; 'mixed' when for and
    against tie; 'neutral' when nothing else was said."""
    f, a = stances.get("for", 0), stances.get("against", 0)
    m = stances.get("mixed", 0)
    if f == a == m == 0:
        return "neutral" if stances.get("neutral") else None
    if f == a and f > 0:
        return "mixed"
    best = max(("for", f), ("against", a), ("mixed", m), key=lambda x: x[1])
    return best[0]


def changes(
    store: Store,
    company: str | None = None,
    person: str | None = None,
    by: str = "month",
    since: str | date | None = None,
    until: str | date | None = None,
    topic: str | None = None,
    *,
    registry: Registry | None = None,
) -> list[dict[str, Any]]:
    """What changed, per period and topic: `first` (first statement on a topic) and `shift` (the
    period's dominant stance differs from the previous period's with one). Each item: `period`,
    `topic`, `change`, `stance`, `previous_stance`, `previous_period`, `count`, `statement_ids`."""
    rows = timeline(store, company, person, topic, by, since, until, registry=registry)
    per: dict[tuple[str, str], dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["topic"]:
            per[(r["topic"], r["period"])][r["stance"]].extend(r["statement_ids"])
    out: list[dict[str, Any]] = []
    for t in sorted({t for t, _ in per}):
        prev_stance: str | None = None  # the last non-neutral stance on this topic, and when
        prev_stance_period: str | None = None
        prev_period: str | None = None
        for period in sorted(p for tt, p in per if tt == t):
            by_stance = per[(t, period)]
            counts = {s: len(ids) for s, ids in by_stance.items()}
            stance = dominant(counts)
            ids = [i for ids in by_stance.values() for i in ids]
            base = {"period": period, "topic": t, "stance": stance, "count": len(ids)}
            if prev_period is None:
                out.append({**base, "change": "first", "previous_stance": None, "previous_period": None,
                            "statement_ids": ids})  # fmt: skip
            elif (
                stance not in (None, "neutral")
                and prev_stance not in (None, "neutral")
                and stance != prev_stance
            ):
                shown = by_stance.get(stance, ids)  # the statements that carry the new stance
                out.append({**base, "count": len(shown), "change": "shift", "previous_stance": prev_stance,
                            "previous_period": prev_stance_period, "statement_ids": shown})  # fmt: skip
            if stance not in (None, "neutral"):
                prev_stance, prev_stance_period = stance, period
            prev_period = period
    out.sort(key=lambda r: (r["period"], r["topic"]))
    return out

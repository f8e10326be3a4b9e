"""The digest as data: the statements of a window that a subscription selects, grouped by company
and person, with "what changed" on top (new topics, stance shifts, the most-quoted people).

Rendering (kb.digest.render) and delivery (kb.digest.send) only read this; the app's preview
uses `Digest.to_dict()`.

Selection rules (documented in `kb subscribe --help`): the people and companies a subscription
follows select *who* (any of them); its topics and query select *what* (any of them); when both
are given a statement must match both ("what 王小川 said about pricing"). A subscription with
nothing, or no subscription, selects everything in the window.

Unsure speakers (kb/nlp/confidence.py `unsure`, below the KB's `unsure_below` setting): a statement
whose speaker the confidence model scores below the mark, and that no analyst corrected, is listed in
its group marked "unsure speaker" (`DigestItem.unsure`), or left out when the subscription (or the
caller: `kb digest --hide-unsure`) asks for `hide_unsure`. Either way it is no evidence for "what
changed" or "most quoted", because a stance shift reported from a misattributed quote is the loudest
error a digest can make:
- in the window it counts for nobody: it makes no new topic, no stance shift (nor a side of one), and
  no quote in "most quoted";
- in the earlier history it counts neither: it does not make a person or company known, nor a topic
  already discussed, nor set the stance a shift is measured against.
A quote that several outlets carry (one digest entry, "also in") is unsure only when every copy is:
one confident attribution of the same words to the same speaker vouches for the others, and the
entry shows the highest score. Statements without a score (no model) and corrected ones are never
unsure.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kb.digest.lookup import Names
from kb.digest.subscriptions import Subscription
from kb.nlp.confidence import CONFIDENT, unsure
from kb.textnorm import alias_key, to_simplified

if TYPE_CHECKING:
    from kb.store import Store

CHINA = timezone(timedelta(hours=8))
MOST_QUOTED = 5

OTHER_PEOPLE = "其他发言人 · Other speakers"
MEDIA = "媒体报道 · Media reports"
UNNAMED = "匿名信源 · Unnamed sources"


@dataclass
class DigestItem:
    id: str
    text: str
    kind: str
    speaker: str
    speaker_type: str
    title: str | None
    company: str | None
    date: str  # YYYY-MM-DD in the source's own zone
    published: str | None
    outlet: str
    url: str | None
    article_title: str
    topics: list[str] = field(default_factory=list)  # display labels
    stance: str | None = None
    also_in: list[str] = field(default_factory=list)  # other outlets that carried the same quote
    # probability that the speaker is right (None: no model); `unsure` when below the KB's mark and not
    # corrected: the templates mark it "check the source" and it counts for nothing in "what changed"
    confidence: float | None = None
    unsure: bool = False


@dataclass
class PersonGroup:
    name: str
    title: str | None
    items: list[DigestItem] = field(default_factory=list)


@dataclass
class CompanyGroup:
    name: str
    kind: str  # company | other | media | unnamed
    people: list[PersonGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(p.items) for p in self.people)


@dataclass
class Change:
    kind: str  # new_topic | stance_shift
    who: str
    topic: str  # display label
    topic_id: str
    date: str
    statement_id: str
    before: str | None = None
    after: str | None = None


@dataclass
class Quoted:
    name: str
    title: str | None
    company: str | None
    count: int


@dataclass
class Digest:
    since: date
    until: date
    week: str  # ISO week label, e.g. 2024-W21
    address: str | None
    follows: str  # what the subscription follows, in words
    groups: list[CompanyGroup]
    new_topics: list[Change]
    stance_shifts: list[Change]
    most_quoted: list[Quoted]
    generated_at: datetime
    hide_unsure: bool = False  # unsure speakers were left out (the subscription's or the caller's choice)
    unsure_below: float = CONFIDENT  # the mark the digest was built with (the KB's unsure_below)

    @property
    def statement_count(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def unsure_count(self) -> int:
        """Listed statements marked "unsure speaker" (0 when they were left out)."""
        return sum(1 for g in self.groups for p in g.people for i in p.items if i.unsure)

    @property
    def people_count(self) -> int:
        return len(
            {i.speaker for g in self.groups for p in g.people for i in p.items if i.speaker_type == "person"}
        )

    @property
    def outlets(self) -> list[str]:
        return sorted({i.outlet for g in self.groups for p in g.people for i in p.items if i.outlet})

    @property
    def empty(self) -> bool:
        return self.statement_count == 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["since"], d["until"] = self.since.isoformat(), self.until.isoformat()
        d["generated_at"] = self.generated_at.isoformat()
        d["statements"] = self.statement_count
        d["people"] = self.people_count
        d["outlets"] = self.outlets
        d["unsure_statements"] = self.unsure_count
        return d


def iso_week_label(since: date, until: date) -> str:
    a, b = since.isocalendar(), until.isocalendar()
    if (a.year, a.week) == (b.year, b.week):
        return f"{a.year}-W{a.week:02d}"
    if a.year == b.year:
        return f"{a.year}-W{a.week:02d}–W{b.week:02d}"
    return f"{a.year}-W{a.week:02d}–{b.year}-W{b.week:02d}"


def window_bounds(since: date, until: date) -> tuple[str, str]:
    """[start, end) in the store's format (ISO UTC): whole days in China time, `until` included."""
    start = datetime.combine(since, time(0), CHINA).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time(0), CHINA).astimezone(UTC)
    return start.isoformat(), end.isoformat()


@lru_cache(maxsize=64)
def _zone(tz: str | None) -> tzinfo:
    # one strptime per distinct offset, not per row: a digest reads every earlier statement of
    # the speakers in its window (tens of thousands of rows on a large KB)
    try:
        return datetime.strptime(tz or "+08:00", "%z").tzinfo or CHINA
    except ValueError:
        return CHINA


def _local(published: str | None, tz: str | None) -> datetime | None:
    if not published:
        return None
    return datetime.fromisoformat(published).astimezone(_zone(tz))


_COLUMNS = (
    "s.id, s.text, s.text_simplified, s.kind, s.speaker, s.speaker_id, s.speaker_mention, "
    "s.speaker_type, s.title, s.organization, s.company_id, s.published, s.quote_key, s.topics, "
    "s.stance, s.confidence, s.corrected, a.title AS article_title, a.url AS url, "
    "a.source_name AS source, a.tz AS tz"
)


class _Row:
    """A statement row plus what the digest derives for it (person id, company, local date)."""

    def __init__(self, r: Any, names: Names, stances: dict[str, dict[str, str | None]], below: float):
        self.r = r
        self.id: str = r["id"]
        self.type: str = r["speaker_type"]
        self.confidence: float | None = r["confidence"]
        # below the KB's mark and not corrected: listed (marked) but no evidence for "what changed"
        self.unsure: bool = unsure(self.confidence, r["corrected"], below)
        local = _local(r["published"], r["tz"])
        self.day: date | None = local.date() if local else None
        self.topics: list[str] = list(json.loads(r["topics"] or "[]"))
        for t in stances.get(self.id, {}):
            if t not in self.topics:
                self.topics.append(t)
        self.stances: dict[str, str | None] = {t: r["stance"] for t in self.topics[:1]}
        self.stances.update(stances.get(self.id, {}))
        self.person_id: str | None = None
        if self.type == "person":
            self.person_id = r["speaker_id"]
            if not self.person_id and r["speaker"]:
                e = names._find(r["speaker"], "person")
                self.person_id = str(e.id) if e is not None else None
        self.speaker: str = r["speaker"] or r["speaker_mention"] or "?"
        # The company a statement counts for: as extracted when the registry knows it (both
        # scripts meet there), else the registry's role on that day (curated, so it beats a
        # stray organisation string), else the organisation as written.
        self.company_id: str | None = r["company_id"]
        if not self.company_id and r["organization"]:
            e = names._find(r["organization"], "company")
            self.company_id = str(e.id) if e is not None else None
        cid, title = names.company_on(self.person_id, self.day)
        self.company_id = self.company_id or cid
        self.title: str | None = r["title"] or title
        if self.type == "organization" and not self.company_id:
            org = r["speaker_id"] and names.entity(r["speaker_id"]) or names._find(self.speaker, "company")
            self.company_id = str(org.id) if org is not None else None
        self.company: str | None = (
            names.entity_name(self.company_id) if self.company_id else (r["organization"] or None)
        )
        if self.type == "organization" and not self.company:
            self.company = self.speaker
        # Who, for "what changed" and "most quoted": a registry id when known, else the name.
        self.who_key: str = (
            self.person_id or (r["speaker_id"] if self.type != "person" else None) or alias_key(self.speaker)
        )


def _stances(store: Store, ids: list[str]) -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = defaultdict(dict)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = ",".join("?" * len(chunk))
        for sid, topic, stance in store.db.execute(
            f"SELECT statement_id, topic, stance FROM statement_topics WHERE statement_id IN ({q})", chunk
        ):
            out[sid][topic] = stance
    return out


def _rows(store: Store, names: Names, where: str, params: tuple[Any, ...], below: float) -> list[_Row]:
    raw = store.db.execute(
        f"SELECT {_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
        f"WHERE {where} ORDER BY s.published, s.article_id, s.seq",
        params,
    ).fetchall()
    stances = _stances(store, [r["id"] for r in raw])
    return [_Row(r, names, stances, below) for r in raw]


# -- selection ----------------------------------------------------------------------------------


class _Selector:
    def __init__(self, sub: Subscription | None, names: Names):
        self.sub = sub
        self.names = names
        self.people = set(sub.people) if sub else set()
        self.person_keys: set[str] = set()
        for p in self.people:
            self.person_keys |= names.entity_keys(p)
        self.companies = set(sub.companies) if sub else set()
        self.company_keys: set[str] = set()
        for c in self.companies:
            self.company_keys |= names.entity_keys(c)
        self.topics = set(sub.topics) if sub else set()
        q = (sub.query or "") if sub else ""
        self.terms = [to_simplified(t).lower() for t in q.split() if t.strip()]
        self._members: dict[tuple[str, date | None], set[str]] = {}

    def _member(self, company_id: str, person_id: str | None, day: date | None) -> bool:
        if not person_id:
            return False
        key = (company_id, day)
        if key not in self._members:
            self._members[key] = self.names.company_member_ids(company_id, day)
        return person_id in self._members[key]

    def who(self, row: _Row) -> bool:
        r = row.r
        if self.people and (
            (row.person_id and row.person_id in self.people)
            or (r["speaker_id"] and r["speaker_id"] in self.people)
            or alias_key(row.speaker) in self.person_keys
        ):
            return True
        if self.companies:
            if row.company_id in self.companies or (r["speaker_id"] and r["speaker_id"] in self.companies):
                return True
            if any(
                x and alias_key(x) in self.company_keys
                for x in (r["organization"], row.company, row.speaker if row.type == "organization" else None)
            ):
                return True
            return any(self._member(c, row.person_id, row.day) for c in self.companies)
        return False

    def what(self, row: _Row) -> bool:
        if self.topics and self.topics.intersection(row.topics):
            return True
        if self.terms:
            r = row.r
            hay = " ".join(
                x or ""
                for x in (
                    r["text_simplified"],
                    r["speaker"],
                    r["speaker_mention"],
                    r["organization"],
                    r["title"],
                )
            )
            hay = to_simplified(hay).lower()
            return all(t in hay for t in self.terms)
        return False

    def __call__(self, row: _Row) -> bool:
        has_who = bool(self.people or self.companies)
        has_what = bool(self.topics or self.terms)
        if not has_who and not has_what:
            return True
        if has_who and has_what:
            return self.who(row) and self.what(row)
        return self.who(row) if has_who else self.what(row)


# -- building -----------------------------------------------------------------------------------


def build_digest(
    store: Store,
    since: date,
    until: date,
    subscription: Subscription | None = None,
    *,
    names: Names | None = None,
    now: datetime | None = None,
    unsure_below: float = CONFIDENT,
    hide_unsure: bool = False,
) -> Digest:
    """The digest of [since, until] (whole days, China time) for one subscription (None: all).

    `unsure_below` is the KB's mark (Settings.unsure_below); `hide_unsure` leaves unsure speakers out
    (so does a subscription's own `hide_unsure`). Either way they count for nothing in "what changed"
    and "most quoted" (see the module docstring)."""
    if until < since:
        from kb.errors import UsageError

        raise UsageError(f"--until {until} is before --since {since}")
    names = names or Names.load(store)
    start, end = window_bounds(since, until)
    select = _Selector(subscription, names)
    window = _rows(store, names, "s.published >= ? AND s.published < ?", (start, end), unsure_below)
    kept, also = _dedupe([r for r in window if select(r)])
    hide = hide_unsure or bool(subscription and subscription.hide_unsure)
    if hide:  # after folding the copies: a quote one outlet attributes confidently stays
        kept = [r for r in kept if not r.unsure]
    groups = _group(kept, also, names)
    # "What changed" and "most quoted" stand on confident statements only, here and in the history.
    sure = [r for r in kept if not r.unsure]
    prior = [r for r in _prior(store, names, sure, start, unsure_below) if not r.unsure]
    new_topics, shifts = _changes(sure, prior, names)
    return Digest(
        since=since,
        until=until,
        week=iso_week_label(since, until),
        address=subscription.address if subscription else None,
        follows=subscription.describe(names) if subscription else "everything",
        groups=groups,
        new_topics=new_topics,
        stance_shifts=shifts,
        most_quoted=_most_quoted(sure),
        generated_at=now or datetime.now(UTC),
        hide_unsure=hide,
        unsure_below=unsure_below,
    )


def _dedupe(rows: list[_Row]) -> tuple[list[_Row], dict[str, list[str]]]:
    """One entry per quote and speaker; the syndicated copies become "also in" outlets. The entry is
    unsure only when every copy is, and shows the highest score of them."""
    first: dict[tuple[str, str], _Row] = {}
    also: dict[str, list[str]] = defaultdict(list)
    kept: list[_Row] = []
    for row in rows:
        key = (row.r["quote_key"], alias_key(row.speaker))
        if key in first:
            keep = first[key]
            outlet = row.r["source"] or ""
            if outlet and outlet != keep.r["source"] and outlet not in also[keep.id]:
                also[keep.id].append(outlet)
            keep.unsure = keep.unsure and row.unsure
            if row.confidence is not None and (keep.confidence is None or row.confidence > keep.confidence):
                keep.confidence = row.confidence
            continue
        first[key] = row
        kept.append(row)
    return kept, also


def _item(row: _Row, also: dict[str, list[str]], names: Names) -> DigestItem:
    r = row.r
    first_topic = row.topics[0] if row.topics else None
    return DigestItem(
        id=row.id,
        text=r["text"],
        kind=r["kind"],
        speaker=row.speaker,
        speaker_type=row.type,
        title=row.title if row.type != "unnamed" else (r["speaker_mention"] or None),
        company=row.company,
        date=row.day.isoformat() if row.day else "",
        published=r["published"],
        outlet=r["source"] or "",
        url=r["url"],
        article_title=r["article_title"],
        topics=[names.topic_zh(t) for t in row.topics],
        stance=row.stances.get(first_topic) if first_topic else None,
        also_in=list(also.get(row.id, [])),
        confidence=row.confidence,
        unsure=row.unsure,
    )


def _group(rows: list[_Row], also: dict[str, list[str]], names: Names) -> list[CompanyGroup]:
    sections: dict[tuple[str, str], dict[str, PersonGroup]] = defaultdict(dict)
    # One place per person: the company they are most often attributed to this window, so a
    # title parsed two ways in two articles doesn't split them across sections.
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row.type == "person" and row.company:
            votes[row.who_key][row.company] += 2 if row.company_id else 1
    home = {who: c.most_common(1)[0][0] for who, c in votes.items()}
    for row in rows:
        if row.type == "person" and row.who_key in home:
            row.company = home[row.who_key]
        if row.type == "media":
            sec, who, title = (MEDIA, "media"), row.speaker, None
        elif row.type == "unnamed":
            sec, who, title = (UNNAMED, "unnamed"), "未具名人士", None
        elif row.type == "organization":
            sec = (row.company or row.speaker, "company")
            who, title = row.speaker, "官方表态 · official statement"
        else:
            sec = (row.company, "company") if row.company else (OTHER_PEOPLE, "other")
            who, title = row.speaker, row.title
        people = sections[sec]
        group = people.setdefault(who, PersonGroup(who, title))
        group.title = group.title or title
        group.items.append(_item(row, also, names))
    order = {"company": 0, "other": 1, "media": 2, "unnamed": 3}
    out = [
        CompanyGroup(name, kind, sorted(people.values(), key=lambda p: (-len(p.items), p.name)))
        for (name, kind), people in sections.items()
    ]
    out.sort(key=lambda g: (order[g.kind], -g.count, g.name))
    return out


def _most_quoted(rows: list[_Row]) -> list[Quoted]:
    counts: Counter[str] = Counter()
    info: dict[str, _Row] = {}
    for row in rows:
        if row.type == "person":
            counts[row.who_key] += 1
            info.setdefault(row.who_key, row)
    return [
        Quoted(info[k].speaker, info[k].title, info[k].company, n)
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], info[kv[0]].speaker))[:MOST_QUOTED]
        if n > 0
    ]


# -- what changed ---------------------------------------------------------------------------------


def _prior(store: Store, names: Names, rows: list[_Row], start: str, below: float) -> list[_Row]:
    """Earlier statements of the speakers and companies in the window (for "what changed")."""
    speakers = sorted({r.r["speaker"] for r in rows if r.r["speaker"]})
    ids = sorted({x for r in rows for x in (r.r["speaker_id"], r.person_id) if x})
    cids = sorted({r.company_id for r in rows if r.company_id})
    orgs = sorted({r.r["organization"] for r in rows if r.r["organization"]})
    if not (speakers or ids or cids or orgs):
        return []
    clauses: list[str] = []
    params: list[Any] = []
    for col, vals in (
        ("s.speaker", speakers),
        ("s.speaker_id", ids),
        ("s.company_id", cids),
        ("s.organization", orgs),
    ):
        if vals:
            clauses.append(f"{col} IN ({','.join('?' * len(vals))})")
            params.extend(vals)
    where = f"s.published < ? AND s.topics != '[]' AND ({' OR '.join(clauses)})"
    return _rows(store, names, where, (start, *params), below)


def _changes(rows: list[_Row], prior: list[_Row], names: Names) -> tuple[list[Change], list[Change]]:
    """New topics (first statement ever of a person or company on a topic) and stance shifts
    (the stance this window differs from the latest earlier one on that topic)."""
    seen_person: set[tuple[str, str]] = set()
    seen_company: set[tuple[str, str]] = set()
    last_stance: dict[tuple[str, str], str] = {}
    for p in prior:  # oldest first, so the last write wins
        for t in p.topics:
            seen_person.add((p.who_key, t))
            if p.company:
                seen_company.add((p.company, t))
            s = p.stances.get(t)
            if s and p.type != "unnamed":
                last_stance[(p.who_key, t)] = s

    # "New" only means something for someone we have heard before: on a young KB everyone's
    # first week would otherwise list every topic they touched.
    known_people = {w for w, _ in seen_person}
    known_companies = {c for c, _ in seen_company}
    new: list[Change] = []
    done: set[tuple[str, ...]] = set()
    window: dict[tuple[str, str], list[tuple[_Row, str]]] = defaultdict(list)
    for row in rows:
        if row.type in ("unnamed", "media"):
            continue
        for t in row.topics:
            label = names.topic_zh(t)
            day = row.day.isoformat() if row.day else ""
            if (
                row.who_key in known_people
                and (row.who_key, t) not in seen_person
                and ("p", row.who_key, t) not in done
            ):
                done.add(("p", row.who_key, t))
                new.append(Change("new_topic", row.speaker, label, t, day, row.id))
            if (
                row.company
                and row.company_id  # a company the registry knows, not a stray organisation string
                and row.company in known_companies
                and row.company != row.speaker
                and (row.company, t) not in seen_company
                and ("c", row.company, t) not in done
            ):
                done.add(("c", row.company, t))
                new.append(Change("new_topic", row.company, label, t, day, row.id))
            s = row.stances.get(t)
            if s:
                window[(row.who_key, t)].append((row, s))

    shifts: list[Change] = []
    for (who, t), seen in window.items():
        before = last_stance.get((who, t))
        if not before:
            continue
        counts = Counter(s for _, s in seen)
        after = "mixed" if counts.get("for") and counts.get("against") else counts.most_common(1)[0][0]
        if after != before:
            row = seen[-1][0]
            shifts.append(
                Change(
                    "stance_shift",
                    row.speaker,
                    names.topic_zh(t),
                    t,
                    row.day.isoformat() if row.day else "",
                    row.id,
                    before,
                    after,
                )
            )
    return new, shifts

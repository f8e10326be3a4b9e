"""The registry of people, companies and media outlets.

Curated entries live in data/registry/*.json; entities that ingest discovers are stored in the KB
with origin = 'discovered'. See the docstrings for the contract other stages rely on.

File format (a JSON list per file, people.json and companies.json):
  {"id": "wang-xiaochuan", "kind": "person", "name": "王小川", "name_en": "Wang Xiaochuan",
   "aliases": ["王小川", "Wang Xiaochuan", "wangxiaochuan"],
   "roles": [{"company_id": "baichuan", "title": "创始人兼CEO", "since": "2023-04", "until": null}]}
  {"id": "baichuan", "kind": "company", "name": "百川智能", "name_en": "Baichuan AI",
   "aliases": ["百川智能", "百川", "Baichuan"]}
kind is person | company | media (news outlets, e.g. 日经新闻, The Information) | organization.
Optional keys: "note" (one line about who/what it is), "parent" (company id, e.g. Alibaba Cloud →
Alibaba), "ambiguous" (aliases that lookups accept but taggers do not match in running text, e.g.
"字节", which also means "byte"). Every Chinese alias is listed in simplified AND traditional script (a test checks it).

How it is used:
  reg = Registry.load(DATA_DIR, store=store)  # curated files + what the KB discovered (< 100 ms)
  reg.find("李彥宏") / reg.find("Robin Li") / reg.find("li yanhong")  -> Entity
  reg.role_on("li-yanhong", date(2024, 5, 1))                        -> Role(company_id="baidu", …)
  reg.suggest("王晓川", kind="person")                                -> ["王小川", …]
  reg.require("王晓川", kind="person")                                -> KbError with suggestions
  reg.sync_to_store(store)                    # curated entries into people/companies/aliases/…
  record_discovered(store, "姜大昕", "创始人", "阶跃星辰", date(2024, 5, 1))
  confirm(store, id), merge(store, from_id, into_id), correct(store, id, …)

In the KB, aliases.entity_kind is the table an entity lives in: 'person' (people) or 'company'
(companies, whose own `kind` column says company | media | organization).
Callers cache one Registry per process (the UI with st.cache_resource, the pipeline per run).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import UsageError
from kb.textnorm import alias_key, to_simplified

if TYPE_CHECKING:
    from kb.store import Store

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
REGISTRY_FILES = ("people.json", "companies.json")
META_HASH_KEY = "registry_hash"
PERSON_KINDS = ("person",)
COMPANY_KINDS = ("company", "media", "organization")

_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Role:
    company_id: str
    title: str = ""
    since: str | None = None  # ISO date (YYYY or YYYY-MM or YYYY-MM-DD) or None
    until: str | None = None
    origin: str = "curated"
    primary: bool = False  # among roles held at once, the one a statement is attributed to

    def covers(self, day: date) -> bool:
        lo = _bound(self.since, start=True)
        hi = _bound(self.until, start=False)
        return (lo is None or lo <= day) and (hi is None or day <= hi)


@dataclass
class Entity:
    id: str
    kind: str  # person | company | media | organization
    name: str  # canonical (simplified script for Chinese names)
    name_en: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    origin: str = "curated"  # curated | discovered
    status: str = "confirmed"  # confirmed | unconfirmed
    note: str | None = None
    parent: str | None = None  # for companies: the group it belongs to
    # Aliases that find() accepts but taggers must not match in running text ("字节" is also
    # "byte", "老黄" is anyone's nickname).
    ambiguous: list[str] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def table_kind(self) -> str:
        """'person' or 'company': the KB table (and aliases.entity_kind) it lives in."""
        return "person" if self.kind == "person" else "company"

    def display(self) -> str:
        return f"{self.name} ({self.name_en})" if self.name_en and self.name_en != self.name else self.name

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "name_en": self.name_en,
            "aliases": list(self.aliases),
            "origin": self.origin,
            "status": self.status,
        }
        if self.kind == "person":
            d["roles"] = [asdict(r) for r in self.roles]
        if self.note:
            d["note"] = self.note
        if self.parent:
            d["parent"] = self.parent
        return d


def _bound(iso: str | None, *, start: bool) -> date | None:
    """'2023' / '2023-04' / '2023-04-05' as the first (start) or last day of that period."""
    if not iso:
        return None
    parts = [int(p) for p in iso[:10].split("-") if p]
    y = parts[0]
    if len(parts) == 1:
        return date(y, 1, 1) if start else date(y, 12, 31)
    m = parts[1]
    if len(parts) == 2:
        if start:
            return date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(y, m, parts[2])


def as_date(day: date | datetime | str | None) -> date | None:
    if day is None or day == "":
        return None
    if isinstance(day, datetime):
        return day.date()
    if isinstance(day, date):
        return day
    return _bound(str(day), start=True)


@lru_cache(maxsize=1)
def _s2t():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return str(_s2t().convert(text))


def script_variants(alias: str) -> list[str]:
    """The alias as written plus its simplified and traditional forms (Chinese only)."""
    if not _HAN.search(alias):
        return [alias]
    out = [alias]
    for v in (to_simplified(alias), to_traditional(alias)):
        if v not in out:
            out.append(v)
    return out


def data_files(data_dir: Path) -> list[Path]:
    reg = Path(data_dir) / "registry"
    return [reg / f for f in REGISTRY_FILES if (reg / f).exists()]


def data_hash(data_dir: Path = DATA_DIR) -> str:
    h = hashlib.sha1()
    for p in data_files(data_dir):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class Registry:
    """Lookup of names in any script (simplified, traditional, English, pinyin)."""

    def __init__(self, entities: Iterable[Entity] = (), redirects: dict[str, str] | None = None):
        self.entities: dict[str, Entity] = {}
        self._by_key: dict[str, list[str]] = {}
        self._redirect: dict[str, str] = dict(redirects or {})
        self.hash: str = ""
        for e in entities:
            self.add(e)

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def load(cls, data_dir: Path | str = DATA_DIR, store: Store | None = None) -> Registry:
        """Curated files merged with what `store` holds (discovered entities, analysts' aliases,
        affiliations and merges). Cheap enough to call per process (callers cache it)."""
        data_dir = Path(data_dir)
        reg = cls()
        files = data_files(data_dir)
        h = hashlib.sha1()
        for p in files:
            raw = p.read_bytes()
            h.update(p.name.encode())
            h.update(raw)
            for obj in json.loads(raw):
                reg.add(entity_from_dict(obj))
        reg.hash = h.hexdigest()
        if store is not None:
            reg._merge_store(store)
        return reg

    def add(self, e: Entity) -> None:
        """Add (or replace) an entity and index its aliases."""
        if e.id in self.entities:
            self._unindex(self.entities[e.id])
        if e.name not in e.aliases:
            e.aliases.insert(0, e.name)
        if e.name_en and e.name_en not in e.aliases:
            e.aliases.append(e.name_en)
        self.entities[e.id] = e
        for a in e.aliases:
            self._index(a, e.id)

    def add_alias(self, entity_id: str, alias: str) -> None:
        e = self.entities[entity_id]
        if alias not in e.aliases:
            e.aliases.append(alias)
        self._index(alias, entity_id)

    def _index(self, alias: str, entity_id: str) -> None:
        k = alias_key(alias)
        if not k:
            return
        ids = self._by_key.setdefault(k, [])
        if entity_id not in ids:
            ids.append(entity_id)

    def _unindex(self, e: Entity) -> None:
        for a in e.aliases:
            ids = self._by_key.get(alias_key(a))
            if ids and e.id in ids:
                ids.remove(e.id)

    def _merge_store(self, store: Store) -> None:
        db = store.db
        for r in db.execute("SELECT id, name, name_en, origin, status, merged_into, note FROM people"):
            self._merge_row(r, "person")
        for r in db.execute(
            "SELECT id, name, name_en, kind, origin, status, merged_into, note FROM companies"
        ):
            self._merge_row(r, r["kind"] or "company")
        for r in db.execute("SELECT alias, entity_id FROM aliases"):
            eid = r["entity_id"]
            if eid in self.entities:
                self.add_alias(eid, r["alias"])
        for r in db.execute(
            "SELECT person_id, company_id, title, since, until, origin FROM affiliations WHERE origin != 'curated'"
        ):
            e = self.entities.get(r["person_id"])
            if e is None:
                continue
            if not any(x.company_id == r["company_id"] and x.title == r["title"] for x in e.roles):
                e.roles.append(Role(r["company_id"], r["title"], r["since"], r["until"], r["origin"]))

    def _merge_row(self, r: Any, kind: str) -> None:
        if r["status"] == "merged":
            if r["merged_into"]:
                self._redirect[r["id"]] = r["merged_into"]
            old = self.entities.pop(r["id"], None)
            if old is not None:
                self._unindex(old)
            return
        e = self.entities.get(r["id"])
        if e is None:
            self.add(
                Entity(
                    r["id"],
                    kind,
                    r["name"],
                    r["name_en"],
                    origin=r["origin"],
                    status=r["status"],
                    note=r["note"],
                )
            )
        else:  # an analyst corrected a curated entry in the KB: the KB wins
            e.status = r["status"]
            if r["origin"] != "curated":
                e.name, e.name_en = r["name"], r["name_en"] or e.name_en
                self.add(e)

    # -- lookups -------------------------------------------------------------------------------

    def _resolve_id(self, entity_id: str) -> str:
        seen = set()
        while entity_id in self._redirect and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self._redirect[entity_id]
        return entity_id

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id (following merges)."""
        return self.entities.get(self._resolve_id(entity_id))

    def find_all(self, mention: str, kind: str | None = None) -> list[Entity]:
        """Every entity whose alias matches `mention` (any script, case and spaces ignored).
        kind: 'person', 'company' (company, media or organization), 'media', 'organization'."""
        ids = self._by_key.get(alias_key(mention), [])
        out = [self.entities[i] for i in ids if i in self.entities]
        if kind:
            out = [e for e in out if _kind_ok(e, kind)]
        # Curated and confirmed entries first: they are what analysts mean.
        out.sort(key=lambda e: (e.origin != "curated", e.status != "confirmed"))
        return out

    def find(self, mention: str, kind: str | None = None) -> Entity | None:
        """The entity a name refers to, or None. Also accepts an entity id."""
        hits = self.find_all(mention, kind)
        if hits:
            return hits[0]
        e = self.get(mention.strip())
        if e is not None and (not kind or _kind_ok(e, kind)):
            return e
        return None

    def require(self, mention: str, kind: str | None = None) -> Entity:
        """Like find, but an unknown name raises a one-line UsageError listing the closest names."""
        e = self.find(mention, kind)
        if e is not None:
            return e
        what = {"person": "person", "company": "company", "media": "outlet"}.get(kind or "", "name")
        close = self.suggest(mention, kind)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"unknown {what} {mention!r} in the registry{hint}")

    def people(self) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind == "person"]

    def companies(self, kind: str | None = None) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind != "person" and (kind is None or e.kind == kind)]

    def names(self) -> list[tuple[str, str]]:
        """Every alias as written with its entity's kind, for jieba's user dictionary and matchers.
        Chinese aliases come in both simplified and traditional script."""
        out: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for e in self.entities.values():
            for a in e.aliases:
                for v in script_variants(a) if e.origin != "curated" else _curated_variants(a):
                    if (v, e.kind) not in seen:
                        seen.add((v, e.kind))
                        out.append((v, e.kind))
        return out

    def alias_index(self) -> dict[str, list[str]]:
        """alias_key → entity ids (read-only view for matchers)."""
        return self._by_key

    # -- roles ---------------------------------------------------------------------------------

    def role_on(
        self,
        person_id: str,
        day: date | datetime | str | None,
        *,
        prefer: Iterable[str] = (),
        approximate: bool = False,
    ) -> Role | None:
        """The role a person held on a date: of the roles that cover it, one at a company in
        `prefer` (e.g. companies the article names), else the one marked primary, else the
        latest-starting. With no date, the current roles (no `until`). approximate=True falls back
        to the role nearest in time (discovered roles only know when they were first seen)."""
        e = self.get(person_id)
        if e is None or not e.roles:
            return None
        d = as_date(day)
        preferred = {self._resolve_id(c) for c in prefer}

        def rank(r: Role) -> tuple[bool, bool, tuple[int, date], bool]:
            # Equal starts: a role with a known end is the more specific one.
            return (r.company_id in preferred, r.primary, _start_key(r), r.until is not None)

        if d is None:
            current = [r for r in e.roles if not r.until] or list(e.roles)
            return max(current, key=rank)
        covering = [r for r in e.roles if r.covers(d)]
        if covering:
            return max(covering, key=rank)
        if not approximate:
            return None

        def distance(r: Role) -> int:
            lo, hi = _bound(r.since, start=True), _bound(r.until, start=False)
            if lo and d < lo:
                return (lo - d).days
            if hi and d > hi:
                return (d - hi).days
            return 0

        return min(e.roles, key=distance)

    def companies_of(self, person_id: str) -> list[str]:
        """Company ids a person held a role at, most recent role first."""
        e = self.get(person_id)
        if e is None:
            return []
        out: list[str] = []
        for r in sorted(e.roles, key=_start_key, reverse=True):
            if r.company_id not in out:
                out.append(r.company_id)
        return out

    def people_of(self, company_id: str, on: date | datetime | str | None = None) -> list[Entity]:
        """People who held a role at the company (on that date, when given)."""
        company_id = self._resolve_id(company_id)
        d = as_date(on)
        return [
            e
            for e in self.people()
            if any(r.company_id == company_id and (d is None or r.covers(d)) for r in e.roles)
        ]

    # -- suggestions ---------------------------------------------------------------------------

    def suggest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        """The canonical names closest to `name` (for "unknown person … did you mean" messages)."""
        return [e.name for e in self.suggest_entities(name, kind, n)]

    def suggest_entities(self, name: str, kind: str | None = None, n: int = 5) -> list[Entity]:
        key = alias_key(name)
        if not key:
            return []
        keys = [
            k
            for k, ids in self._by_key.items()
            if any(_kind_ok(self.entities[i], kind) for i in ids if i in self.entities)
        ]
        scored: dict[str, float] = {}
        for k in keys:
            if len(key) >= 2 and (key in k or k in key) and min(len(k), len(key)) >= 2:
                s = 0.8 + 0.1 * min(len(k), len(key)) / max(len(k), len(key))
            else:
                s = difflib.SequenceMatcher(None, key, k).ratio()
            if s < 0.5:
                continue
            for i in self._by_key[k]:
                e = self.entities.get(i)
                if e is not None and _kind_ok(e, kind) and s > scored.get(i, 0):
                    scored[i] = s
        best = sorted(scored, key=lambda i: (-scored[i], self.entities[i].origin != "curated", i))
        return [self.entities[i] for i in best[:n]]

    # -- the KB's copy -------------------------------------------------------------------------

    def sync_to_store(self, store: Store, *, force: bool = False) -> bool:
        """Write the curated entries into the KB tables, idempotently. Skipped (returns False)
        when the data files' hash recorded in meta is unchanged."""
        if not self.hash:
            return False
        if not force and store.get_meta(META_HASH_KEY) == self.hash:
            return False
        curated = [e for e in self.entities.values() if e.origin == "curated"]
        with store.transaction() as db:
            for e in curated:
                if e.kind == "person":
                    db.execute(
                        "INSERT INTO people (id, name, name_en, origin, status, note) "
                        "VALUES (?, ?, ?, 'curated', 'confirmed', ?) ON CONFLICT(id) DO UPDATE SET "
                        "name = excluded.name, name_en = excluded.name_en, note = excluded.note "
                        "WHERE people.origin = 'curated'",
                        (e.id, e.name, e.name_en, e.note),
                    )
                else:
                    db.execute(
                        "INSERT INTO companies (id, name, name_en, kind, origin, status, note) "
                        "VALUES (?, ?, ?, ?, 'curated', 'confirmed', ?) ON CONFLICT(id) DO UPDATE SET "
                        "name = excluded.name, name_en = excluded.name_en, kind = excluded.kind, "
                        "note = excluded.note WHERE companies.origin = 'curated'",
                        (e.id, e.name, e.name_en, e.kind, e.note),
                    )
                for a in e.aliases:
                    db.execute(
                        "INSERT OR IGNORE INTO aliases (norm, alias, entity_kind, entity_id) VALUES (?, ?, ?, ?)",
                        (alias_key(a), a, e.table_kind, e.id),
                    )
            ids = [e.id for e in curated if e.kind == "person"]
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                q = ",".join("?" * len(chunk))
                db.execute(f"DELETE FROM affiliations WHERE origin = 'curated' AND person_id IN ({q})", chunk)
            for e in curated:
                for r in e.roles:
                    db.execute(
                        "INSERT OR IGNORE INTO affiliations (person_id, company_id, title, since, until, origin) "
                        "VALUES (?, ?, ?, ?, ?, 'curated')",
                        (e.id, r.company_id, r.title, r.since, r.until),
                    )
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (META_HASH_KEY, self.hash))
        return True


def _curated_variants(alias: str) -> list[str]:
    # Curated files list traditional forms themselves; only add the simplified one (cheap t2s).
    if not _HAN.search(alias):
        return [alias]
    s = to_simplified(alias)
    return [alias] if s == alias else [alias, s]


def _start_key(r: Role) -> tuple[int, date]:
    lo = _bound(r.since, start=True)
    return (0, date.min) if lo is None else (1, lo)


def _kind_ok(e: Entity, kind: str | None) -> bool:
    if not kind:
        return True
    if kind == "company":
        return e.kind in COMPANY_KINDS
    return e.kind == kind


def entity_from_dict(obj: dict[str, Any]) -> Entity:
    kind = obj.get("kind") or "person"
    return Entity(
        id=obj["id"],
        kind=kind,
        name=obj["name"],
        name_en=obj.get("name_en"),
        aliases=list(obj.get("aliases") or []),
        roles=[
            Role(
                r["company_id"],
                r.get("title") or "",
                r.get("since"),
                r.get("until"),
                primary=bool(r.get("primary")),
            )
            for r in obj.get("roles") or []
        ],
        origin=obj.get("origin", "curated"),
        status=obj.get("status", "confirmed"),
        note=obj.get("note"),
        parent=obj.get("parent"),
        ambiguous=list(obj.get("ambiguous") or []),
    )


# The KB side (discovery, confirmation, merges, corrections) lives in kb/registry_ops-like
# functions below: they take a Store, so the Registry object itself stays a pure lookup.
from kb.registry_store import confirm, correct, merge, record_discovered  # noqa: E402

__all__ = [
    "DATA_DIR",
    "Entity",
    "Registry",
    "Role",
    "as_date",
    "confirm",
    "correct",
    "data_hash",
    "merge",
    "record_discovered",
    "script_variants",
    "to_traditional",
]

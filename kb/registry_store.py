"""The registry's life in a KB: what ingest discovers, and what analysts confirm, merge and correct.

Functions take a `Store` and write the people / companies / aliases / affiliations tables (and,
for merges, the statements that point at the merged entity). `kb.registry.Registry.load(store=…)`
reads them back on top of the curated files. Imported by kb.registry; import from there.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING

from kb.errors import UsageError
from kb.textnorm import alias_key, to_simplified

if TYPE_CHECKING:
    from kb.store import Store


def _day(d: date | datetime | str | None) -> str | None:
    if d is None or d == "":
        return None
    if isinstance(d, datetime):
        return d.date().isoformat()
    if isinstance(d, date):
        return d.isoformat()
    return str(d)[:10]


def _new_id(store: Store, table: str, name: str) -> str:
    key = alias_key(name) or hashlib.sha1(name.encode()).hexdigest()[:8]
    base = f"d-{key}"[:60]
    eid, n = base, 1
    while store.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (eid,)).fetchone():
        n += 1
        eid = f"{base}-{n}"
    return eid


def find_in_store(store: Store, name: str, entity_kind: str) -> str | None:
    """The id of a live (not merged) entity of that table kind with this alias, curated first."""
    table = "people" if entity_kind == "person" else "companies"
    row = store.db.execute(
        f"SELECT a.entity_id FROM aliases a JOIN {table} t ON t.id = a.entity_id "
        f"WHERE a.norm = ? AND a.entity_kind = ? AND t.status != 'merged' "
        f"ORDER BY t.origin = 'curated' DESC, t.status = 'confirmed' DESC LIMIT 1",
        (alias_key(name), entity_kind),
    ).fetchone()
    return str(row[0]) if row else None


def _add_aliases(db, name: str, entity_kind: str, eid: str) -> None:  # type: ignore[no-untyped-def]
    from kb.registry import script_variants

    for v in script_variants(name.strip()):
        db.execute(
            "INSERT OR IGNORE INTO aliases (norm, alias, entity_kind, entity_id) VALUES (?, ?, ?, ?)",
            (alias_key(v), v, entity_kind, eid),
        )


def record_discovered(
    store: Store,
    name: str,
    title: str | None,
    organization: str | None,
    seen_on: date | datetime | str | None = None,
    *,
    company_kind: str = "company",
) -> str:
    """Record "ORG TITLE NAME" learnt from an article: an unconfirmed person (unless the name is
    already known), a company when the organization is new, and the affiliation with origin
    'discovered'. `since` is the earliest date it was seen. Returns the person's id.
    Idempotent: the same observation twice changes nothing."""
    name = name.strip()
    if not name:
        raise ValueError("record_discovered needs a name")
    seen = _day(seen_on)
    with store.transaction() as db:
        pid = find_in_store(store, name, "person")
        if pid is None:
            pid = _new_id(store, "people", name)
            db.execute(
                "INSERT INTO people (id, name, origin, status, note) VALUES (?, ?, 'discovered', 'unconfirmed', ?)",
                (pid, to_simplified(name), f"first seen {seen}" if seen else None),
            )
        # The name as written is an alias too (a discovered person seen in another script).
        _add_aliases(db, name, "person", pid)
        if organization and organization.strip():
            org = organization.strip()
            cid = find_in_store(store, org, "company")
            if cid is None:
                cid = _new_id(store, "companies", org)
                db.execute(
                    "INSERT INTO companies (id, name, kind, origin, status) VALUES (?, ?, ?, 'discovered', 'unconfirmed')",
                    (cid, to_simplified(org), company_kind),
                )
            _add_aliases(db, org, "company", cid)
            t = to_simplified(title or "")
            row = db.execute(
                "SELECT since, origin FROM affiliations WHERE person_id = ? AND company_id = ? AND title = ?",
                (pid, cid, t),
            ).fetchone()
            if row is None:
                # A curated person seen with the same company under any title needs no new role.
                known = db.execute(
                    "SELECT 1 FROM affiliations WHERE person_id = ? AND company_id = ? AND origin = 'curated'",
                    (pid, cid),
                ).fetchone()
                if not known:
                    db.execute(
                        "INSERT INTO affiliations (person_id, company_id, title, since, until, origin) "
                        "VALUES (?, ?, ?, ?, NULL, 'discovered')",
                        (pid, cid, t, seen),
                    )
            elif row["origin"] == "discovered" and seen and (row["since"] is None or seen < row["since"]):
                db.execute(
                    "UPDATE affiliations SET since = ? WHERE person_id = ? AND company_id = ? AND title = ?",
                    (seen, pid, cid, t),
                )
    return pid


def _table_of(store: Store, eid: str) -> str:
    if store.db.execute("SELECT 1 FROM people WHERE id = ?", (eid,)).fetchone():
        return "people"
    if store.db.execute("SELECT 1 FROM companies WHERE id = ?", (eid,)).fetchone():
        return "companies"
    raise UsageError(f"no person or company with id {eid!r} in this knowledge base")


def confirm(store: Store, entity_id: str) -> None:
    """An analyst vouches for a discovered person or company."""
    table = _table_of(store, entity_id)
    with store.transaction() as db:
        db.execute(
            f"UPDATE {table} SET status = 'confirmed' WHERE id = ? AND status != 'merged'", (entity_id,)
        )


def merge(store: Store, from_id: str, into_id: str) -> int:
    """Fold `from_id` into `into_id` (same table): aliases and affiliations move, statements that
    named `from_id` as speaker or company now name `into_id` (and are queued for re-indexing, since
    their vector metadata changed). Returns the number of statements rewritten."""
    if from_id == into_id:
        raise UsageError("cannot merge an entity into itself")
    table = _table_of(store, from_id)
    if _table_of(store, into_id) != table:
        raise UsageError(f"{from_id!r} and {into_id!r} are not the same kind (person vs company)")
    entity_kind = "person" if table == "people" else "company"
    with store.transaction() as db:
        into = db.execute(f"SELECT name, status FROM {table} WHERE id = ?", (into_id,)).fetchone()
        if into["status"] == "merged":
            raise UsageError(f"{into_id!r} was itself merged; merge into the entity it was merged into")
        src = db.execute(f"SELECT name FROM {table} WHERE id = ?", (from_id,)).fetchone()
        _add_aliases(db, src["name"], entity_kind, into_id)
        db.execute(
            "UPDATE OR IGNORE aliases SET entity_id = ? WHERE entity_id = ? AND entity_kind = ?",
            (into_id, from_id, entity_kind),
        )
        db.execute("DELETE FROM aliases WHERE entity_id = ? AND entity_kind = ?", (from_id, entity_kind))
        col = "person_id" if table == "people" else "company_id"
        db.execute(f"UPDATE OR IGNORE affiliations SET {col} = ? WHERE {col} = ?", (into_id, from_id))
        db.execute(f"DELETE FROM affiliations WHERE {col} = ?", (from_id,))
        n = 0
        if table == "people":
            n += db.execute(
                "UPDATE statements SET speaker_id = ?, speaker = ?, indexed = 0 WHERE speaker_id = ?",
                (into_id, into["name"], from_id),
            ).rowcount
        else:
            n += db.execute(
                "UPDATE statements SET company_id = ?, organization = ?, indexed = 0 WHERE company_id = ?",
                (into_id, into["name"], from_id),
            ).rowcount
            # Organisations and outlets speak too.
            n += db.execute(
                "UPDATE statements SET speaker_id = ?, speaker = ?, indexed = 0 WHERE speaker_id = ?",
                (into_id, into["name"], from_id),
            ).rowcount
        db.execute(f"UPDATE {table} SET status = 'merged', merged_into = ? WHERE id = ?", (into_id, from_id))
        db.execute(f"UPDATE {table} SET merged_into = ? WHERE merged_into = ?", (into_id, from_id))
    return n


def correct(
    store: Store,
    entity_id: str,
    *,
    name: str | None = None,
    name_en: str | None = None,
    add_alias: str | None = None,
    remove_alias: str | None = None,
    company: str | None = None,
    title: str | None = None,
    since: str | None = None,
    until: str | None = None,
    note: str | None = None,
) -> None:
    """An analyst's fix of an entity: its name, aliases, or a role (company id + title + dates).
    A corrected entity counts as confirmed and its fixed role as origin 'manual'."""
    table = _table_of(store, entity_id)
    entity_kind = "person" if table == "people" else "company"
    with store.transaction() as db:
        sets: list[str] = ["status = 'confirmed'"]
        args: list[str | None] = []
        if name:
            sets.append("name = ?")
            args.append(to_simplified(name))
            _add_aliases(db, name, entity_kind, entity_id)
        if name_en is not None:
            sets.append("name_en = ?")
            args.append(name_en or None)
            if name_en:
                _add_aliases(db, name_en, entity_kind, entity_id)
        if note is not None:
            sets.append("note = ?")
            args.append(note)
        if name or name_en is not None or note is not None:
            # Edits make the KB row the source of truth for this entity, even a curated one.
            sets.append("origin = CASE WHEN origin = 'curated' THEN 'manual' ELSE origin END")
        db.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id = ?", (*args, entity_id))
        if add_alias:
            _add_aliases(db, add_alias, entity_kind, entity_id)
        if remove_alias:
            db.execute(
                "DELETE FROM aliases WHERE norm = ? AND entity_id = ?", (alias_key(remove_alias), entity_id)
            )
        if company is not None and table == "people":
            db.execute(
                "INSERT INTO affiliations (person_id, company_id, title, since, until, origin) "
                "VALUES (?, ?, ?, ?, ?, 'manual') ON CONFLICT(person_id, company_id, title) DO UPDATE SET "
                "since = excluded.since, until = excluded.until, origin = 'manual'",
                (entity_id, company, title or "", since, until),
            )

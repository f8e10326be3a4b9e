"""An analyst's fixes of a statement: its speaker, its company, its stance on a topic.

Every fix is kept as a row in `corrections` (what was, what is, when, why), applied to the statement
(marked `corrected = 1`), its keyword row refreshed, and the statement queued for its index metadata
to be rewritten (`indexed = 0`: the next `kb ingest` / `kb reindex` re-indexes it, see
`kb.pipeline.Ingestor.resume_indexing`). Fixes also teach the rest of the system:

- a speaker fix to a name the KB does not know records that person as discovered (with the title
  and company the analyst gave), so the registry finds them in later articles;
- a company fix for a discovered (not curated) person records the affiliation, so their later
  statements get that company. Curated people's roles come from the curated registry only: one
  statement's fix must not move every later statement of a chairman to another company;
- stance fixes go through `kb.stance.label_statement`, whose corrections retrain the stance model.

Used by `kb correct` (kb/cli/correct_cmd.py) and the app's statement cards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb.errors import KbError
from kb.registry_store import find_in_store, record_discovered
from kb.store.db import now_iso
from kb.textnorm import search_tokens

if TYPE_CHECKING:
    from kb.registry import Entity, Registry
    from kb.store import Store

FIELDS = ("speaker", "organization")  # plus "stance:<topic>"


def _statement(store: Store, statement_id: str) -> Any:
    row = store.db.execute("SELECT * FROM statements WHERE id = ?", (statement_id,)).fetchone()
    if row is None:
        raise KbError(f"no statement with id {statement_id!r} (see `kb search --json` for ids)")
    return row


def _registry(store: Store, registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from kb.registry import Registry

    return Registry.load(store=store)


def _learns(entity: Entity | None) -> bool:
    """Whether one statement's fix may add a role to this person (see the module docstring)."""
    return entity is None or entity.origin != "curated" or not entity.roles


def _remember(store: Store, registry: Registry, person_id: str) -> Entity | None:
    """Bring what `record_discovered` wrote into the in-memory registry (the app caches one per
    process), so the next lookup in this process sees the new person or role."""
    from kb.registry import Entity, Role

    row = store.db.execute(
        "SELECT name, name_en, origin, status FROM people WHERE id = ?", (person_id,)
    ).fetchone()
    if row is None:
        return registry.get(person_id)
    e = registry.get(person_id)
    if e is None:
        e = Entity(
            person_id, "person", row["name"], row["name_en"], origin=row["origin"], status=row["status"]
        )
        registry.add(e)
    for a in store.db.execute(
        "SELECT alias FROM aliases WHERE entity_kind = 'person' AND entity_id = ?", (person_id,)
    ):
        registry.add_alias(person_id, a[0])
    for r in store.db.execute(
        "SELECT f.company_id, f.title, f.since, f.until, f.origin, c.name, c.name_en, c.kind, c.origin AS c_origin, "
        "c.status AS c_status FROM affiliations f LEFT JOIN companies c ON c.id = f.company_id "
        "WHERE f.person_id = ? AND f.origin != 'curated'",
        (person_id,),
    ):
        if registry.get(r["company_id"]) is None and r["name"]:
            registry.add(Entity(r["company_id"], r["kind"] or "company", r["name"], r["name_en"],
                                origin=r["c_origin"], status=r["c_status"]))  # fmt: skip
        if not any(x.company_id == r["company_id"] and x.title == r["title"] for x in e.roles):
            e.roles.append(Role(r["company_id"], r["title"], r["since"], r["until"], r["origin"]))
    return e


def _company_name(store: Store, registry: Registry, company_id: str | None) -> str | None:
    if not company_id:
        return None
    e = registry.get(company_id)
    if e is not None:
        return e.name
    row = store.db.execute("SELECT name FROM companies WHERE id = ?", (company_id,)).fetchone()
    return str(row[0]) if row else None


def _write(
    store: Store,
    row: Any,
    field: str,
    old: str | None,
    new: str | None,
    changes: dict[str, Any],
    note: str | None,
) -> None:
    """One fix: the statement's new values, the correction row, the keyword row, the index queue."""
    sid = row["id"]
    with store.transaction() as db:
        if changes:
            cols = ", ".join(f"{k} = ?" for k in changes)
            db.execute(f"UPDATE statements SET {cols} WHERE id = ?", (*changes.values(), sid))
        db.execute(
            "INSERT INTO corrections (statement_id, field, old, new, at, note) VALUES (?, ?, ?, ?, ?, ?)",
            (sid, field, old, new, now_iso(), note or None),
        )
        # indexed = 0: the next ingest or `kb reindex` rewrites this statement's filter metadata
        # (speaker_id, company_id, topics) in the vector index.
        db.execute("UPDATE statements SET corrected = 1, indexed = 0 WHERE id = ?", (sid,))
        s = db.execute(
            "SELECT speaker, speaker_mention, organization, text FROM statements WHERE id = ?", (sid,)
        ).fetchone()
        # The keyword row holds the speaker's and company's names: a search for the right name must
        # find the fixed statement, the wrong one must not.
        tokens = search_tokens(" ".join(x for x in s if x))
        if (
            db.execute("UPDATE statements_fts SET tokens = ? WHERE statement_id = ?", (tokens, sid)).rowcount
            == 0
        ):
            db.execute("INSERT INTO statements_fts (tokens, statement_id) VALUES (?, ?)", (tokens, sid))


def _result(
    store: Store, statement_id: str, field: str, old: str | None, new: str | None, **extra: Any
) -> dict[str, Any]:
    row = _statement(store, statement_id)
    out = {"id": statement_id, "field": field, "old": old, "new": new}
    for k in ("speaker", "speaker_id", "speaker_type", "title", "organization", "company_id"):
        out[k] = row[k]
    return {**out, **extra}


def correct_speaker(
    store: Store,
    statement_id: str,
    person: str | None,
    registry: Registry | None = None,
    *,
    title: str | None = None,
    organization: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Set the statement's speaker to `person` (a name in any script, or an id); None or "" makes it
    an unnamed source. A known person's title and company come from the role they held on the
    statement's date (the registry's rule for every statement); `title`/`organization` override that.
    A name the KB does not know becomes a discovered person (with that title and company, when given).
    Returns what the statement holds now, plus `learned` (the person id the registry learned, or None)."""
    row = _statement(store, statement_id)
    old = row["speaker"] or row["speaker_mention"]
    name = (person or "").strip()
    if not name:  # "this was an unnamed source"
        changes: dict[str, Any] = {
            "speaker": None,
            "speaker_id": None,
            "speaker_type": "unnamed",
            "anonymous": 1,
        }
        _write(store, row, "speaker", old, None, changes, note)
        return _result(store, statement_id, "speaker", old, None, learned=None)

    reg = _registry(store, registry)
    day = row["published"]
    entity = reg.find(name, "person") or reg.find(name)
    if entity is None and (pid := find_in_store(store, name, "person")):
        entity = _remember(store, reg, pid)
    learned = None
    if entity is None or (entity.is_person and (title or organization) and _learns(entity)):
        # Unknown, or a discovered person with a role the analyst states: teach the registry.
        learned = record_discovered(store, entity.name if entity else name, title, organization, day)
        entity = _remember(store, reg, learned)
    assert entity is not None

    changes = {"speaker": entity.name, "speaker_id": entity.id, "anonymous": 0}
    if entity.is_person:
        changes["speaker_type"] = "person"
        role = reg.role_on(entity.id, day, approximate=True)
        if title is not None or organization is not None:
            changes["title"] = title or None
            if organization is not None:
                found = reg.find(organization, "company") if organization else None
                changes["organization"] = (found.name if found else organization) or None
                changes["company_id"] = (
                    found.id
                    if found
                    else find_in_store(store, organization, "company")
                    if organization
                    else None
                )
        elif role is not None:
            changes["title"] = role.title or None
            changes["company_id"] = role.company_id
            changes["organization"] = _company_name(store, reg, role.company_id) or row["organization"]
        # else: nothing known about their roles: the title and company the press wrote stay.
    else:  # an organisation or an outlet speaks: it is its own company
        changes["speaker_type"] = "media" if entity.kind == "media" else "organization"
        changes.update(title=None, organization=entity.name, company_id=entity.id)
    _write(store, row, "speaker", old, entity.name, changes, note)
    return _result(store, statement_id, "speaker", old, entity.name, learned=learned)


def correct_company(
    store: Store,
    statement_id: str,
    company: str | None,
    registry: Registry | None = None,
    *,
    note: str | None = None,
) -> dict[str, Any]:
    """Set the statement's company (the speaker's organisation) to `company` (a name in any script,
    or an id); None or "" clears it. For a person the registry may learn from (discovered, or
    without known roles) the fix is also recorded as their role at that company."""
    row = _statement(store, statement_id)
    old = row["organization"]
    name = (company or "").strip()
    if not name:
        _write(store, row, "organization", old, None, {"organization": None, "company_id": None}, note)
        return _result(store, statement_id, "organization", old, None, learned=None)

    reg = _registry(store, registry)
    learned = None
    speaker = reg.get(row["speaker_id"]) if row["speaker_id"] else None
    if (
        row["speaker_type"] == "person"
        and row["speaker"]
        and (speaker is None or speaker.is_person)
        and _learns(speaker)
    ):
        learned = record_discovered(store, speaker.name if speaker else row["speaker"], row["title"], name,
                                    row["published"])  # fmt: skip
        _remember(store, reg, learned)
    found = reg.find(name, "company")
    cid = found.id if found else find_in_store(store, name, "company")
    org = found.name if found else (_company_name(store, reg, cid) if cid else None) or name
    changes: dict[str, Any] = {"organization": org, "company_id": cid}
    if learned and not row["speaker_id"]:
        changes["speaker_id"] = learned  # the speaker the press named is now a discovered person
    _write(store, row, "organization", old, org, changes, note)
    return _result(store, statement_id, "organization", old, org, learned=learned)


def correct_stance(
    store: Store, statement_id: str, topic: str, stance: str, *, note: str | None = None
) -> dict[str, Any]:
    """The speaker's stance on a topic (engineer E's `kb.stance.label_statement`: its corrections
    retrain the stance model), plus the index queue: the topic flags are index metadata."""
    from kb.stance import label_statement
    from kb.topics import find_topic

    _statement(store, statement_id)
    res = label_statement(store, statement_id, find_topic(topic) or topic, stance, note)
    with store.transaction() as db:
        db.execute("UPDATE statements SET indexed = 0 WHERE id = ?", (statement_id,))
    return res


def apply(
    store: Store,
    statement_id: str,
    field: str,
    new: str | None,
    registry: Registry | None = None,
    *,
    note: str | None = None,
) -> dict[str, Any]:
    """One fix by field name: "speaker", "organization" (or "company"), "stance:<topic>"."""
    if field == "speaker":
        return correct_speaker(store, statement_id, new, registry, note=note)
    if field in ("organization", "company"):
        return correct_company(store, statement_id, new, registry, note=note)
    if field.startswith("stance:"):
        if not new:
            raise KbError("a stance fix needs a stance: for, against, neutral or mixed")
        return correct_stance(store, statement_id, field.split(":", 1)[1], new, note=note)
    raise KbError(f"cannot correct {field!r}: use speaker, organization or stance:<topic>")


def history(store: Store, statement_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Corrections newest first (of one statement, or all), with the statement's text."""
    where, args = ("WHERE c.statement_id = ?", [statement_id]) if statement_id else ("", [])
    rows = store.db.execute(
        "SELECT c.id, c.at, c.field, c.old, c.new, c.note, c.statement_id, s.text FROM corrections c "
        f"LEFT JOIN statements s ON s.id = c.statement_id {where} ORDER BY c.id DESC LIMIT ?",
        (*args, limit),
    )
    return [{k: r[k] for k in r.keys()} for r in rows]

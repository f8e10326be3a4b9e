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

A fix outlives its statement id. Statement ids hash the article's content, so a re-extraction (a
summary replaced by the full text of a later snapshot, a re-ingest after the rules improved) gives
every statement a new id. Each correction row keeps anchors (filled by a trigger, migration m005):
the article's guid and URL, the quote's key and text, the speaker as extracted, and (`applied`) the
statement fields the fix set. After every (re-)extraction the pipeline calls `follow`, which finds
each fix's statement among the article's new ones (same quote, else the closest text) and puts the
fix back: same fields, keyword row, index metadata; the row then points at the new statement id.

- A new extraction that already agrees with a fix (same speaker / company / stance) leaves the
  statement as extracted and marks the fix `satisfied`: nothing is applied twice, and should a
  later extraction disagree again the fix is applied again.
- A fix whose quote is gone from the new text is kept, marked `orphaned`, named in the ingest's
  warnings, counted by `kb doctor` and listed by `orphans` (and `kb doctor --json`).

A confirmation (`confirm_speaker`: the speaker as extracted is right) is a speaker fix that keeps
every value; it settles the statement's confidence at 1, here and after a re-extraction that agrees.

Used by `kb correct` and `kb confirm` (kb/cli/correct_cmd.py), the app's statement cards and
kb/pipeline.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from kb.errors import KbError
from kb.registry_store import find_in_store, record_discovered
from kb.store.db import now_iso
from kb.textnorm import alias_key, search_tokens

if TYPE_CHECKING:
    from kb.records import Statement
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
        # An ingest may have re-extracted the article since the statement was read (the app's card):
        # its fix would find no statement to anchor on.
        if db.execute("SELECT 1 FROM statements WHERE id = ?", (sid,)).fetchone() is None:
            raise KbError(
                f"statement {sid} was just re-extracted (its article was updated): reload and fix it again"
            )
        if changes:
            cols = ", ".join(f"{k} = ?" for k in changes)
            db.execute(f"UPDATE statements SET {cols} WHERE id = ?", (*changes.values(), sid))
        # `applied`: what the fix set, so it can be put back on the statement's next extraction
        # (the anchors that find that statement again are filled by a trigger, migration m005).
        db.execute(
            "INSERT INTO corrections (statement_id, field, old, new, at, note, applied) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sid, field, old, new, now_iso(), note or None, json.dumps(changes, ensure_ascii=False)),
        )
        # indexed = 0: the next ingest or `kb reindex` rewrites this statement's filter metadata
        # (speaker_id, company_id, topics) in the vector index.
        db.execute("UPDATE statements SET corrected = 1, indexed = 0 WHERE id = ?", (sid,))
        _refresh_tokens(db, sid)


def _refresh_tokens(db: sqlite3.Connection, sid: str) -> None:
    """The keyword row holds the speaker's and company's names: a search for the right name must
    find the fixed statement, the wrong one must not (so once the speaker is fixed, the name as the
    article wrote it, often the wrong person's, leaves the row)."""
    speaker, mention, org, text = db.execute(
        "SELECT speaker, speaker_mention, organization, text FROM statements WHERE id = ?", (sid,)
    ).fetchone()
    fixed = db.execute(
        "SELECT 1 FROM corrections WHERE statement_id = ? AND field = 'speaker'", (sid,)
    ).fetchone()
    tokens = search_tokens(" ".join(x for x in (speaker, None if fixed else mention, org, text) if x))
    if db.execute("UPDATE statements_fts SET tokens = ? WHERE statement_id = ?", (tokens, sid)).rowcount == 0:
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
            "confidence": 1.0,  # an analyst's word: no longer "unsure" (kb/nlp/confidence.py)
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

    changes = {"speaker": entity.name, "speaker_id": entity.id, "anonymous": 0, "confidence": 1.0}
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


def confirm_speaker(store: Store, statement_id: str, *, note: str | None = None) -> dict[str, Any]:
    """The analyst checked the source and the speaker as extracted is right: a fix that keeps every value
    (kept across re-extraction like any other) and settles the confidence at 1, so the statement is no
    longer an "unsure speaker" (kb/review.py is the queue of those)."""
    row = _statement(store, statement_id)
    name = row["speaker"] or row["speaker_mention"]
    keep = ("speaker", "speaker_id", "speaker_type", "anonymous", "title", "organization", "company_id")
    changes: dict[str, Any] = {k: row[k] for k in keep}
    changes["confidence"] = 1.0
    _write(store, row, "speaker", name, name, changes, note or "confirmed")
    return _result(store, statement_id, "speaker", name, name, confirmed=True)


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
    """Corrections newest first (of one statement, or all), with the statement's text (as it was
    when corrected, for an orphaned fix) and `status`: applied, satisfied or orphaned."""
    where, args = ("WHERE c.statement_id = ?", [statement_id]) if statement_id else ("", [])
    rows = store.db.execute(
        "SELECT c.id, c.at, c.field, c.old, c.new, c.note, c.statement_id, "
        "COALESCE(s.text, c.quote_text) AS text, "
        "CASE WHEN s.id IS NULL THEN 'orphaned' ELSE c.status END AS status FROM corrections c "
        f"LEFT JOIN statements s ON s.id = c.statement_id {where} ORDER BY c.id DESC LIMIT ?",
        (*args, limit),
    )
    return [{k: r[k] for k in r.keys()} for r in rows]


# -- re-extraction: fixes follow their statement to its new id --------------------------------------

# How alike a new statement's text must be to a fixed one's to be "the same statement" (0..1; an
# equal quote key is 1.0). A summary's sentence inside the full text's longer one scores >= 0.85.
MATCH_MIN = 0.8
_MIN_CONTAINED = 8  # normalised characters: shorter quotes must match in full


def _similarity(a: str, b: str) -> float:
    """Similarity of two normalised quotes (textnorm.alias_key): equal 1.0; one inside the other
    (a summary cut a sentence short, or new rules took a longer span) 0.85..0.95 by their length
    ratio; otherwise difflib's ratio, scaled below containment."""
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    if not short:
        return 0.0
    if len(short) >= _MIN_CONTAINED and short in long:
        return 0.85 + 0.1 * len(short) / len(long)
    return 0.9 * SequenceMatcher(None, a, b, autojunk=False).ratio()


def _match(fix: Any, rows: Sequence[Any]) -> str | None:
    """The id of the new statement that is `fix`'s statement, or None when its text is gone. The
    speaker as extracted breaks ties (a quote repeated in the article)."""
    want = alias_key(fix["quote_text"] or "")
    if not want:
        return None
    best, best_score = None, 0.0
    for r in rows:
        score = 1.0 if fix["quote_key"] and r["quote_key"] == fix["quote_key"] else 0.0
        score = score or _similarity(want, alias_key(r["text"]))
        if score and fix["speaker_mention"] and r["speaker_mention"] == fix["speaker_mention"]:
            score += 0.01
        if score > best_score:
            best, best_score = r["id"], score
    return best if best_score >= MATCH_MIN else None


def _identity(field: str, changes: dict[str, Any]) -> tuple[str, ...]:
    """The fields that say whether an extraction agrees with a fix (its title may differ)."""
    if field == "speaker":
        return ("speaker_type", "speaker_id" if changes.get("speaker_id") else "speaker")
    return ("company_id" if changes.get("company_id") else "organization",)


def _changes(fix: Any) -> dict[str, Any]:
    if fix["applied"]:
        return dict(json.loads(fix["applied"]))
    new = fix["new"]  # a fix whose statement was gone before m005 recorded what it set
    if fix["field"] == "speaker":
        return {"speaker": new, "speaker_type": "person" if new else "unnamed", "anonymous": 0 if new else 1}
    return {"organization": new}


def _mirror(stmt: Statement | None, changes: dict[str, Any]) -> None:
    """Keep the pipeline's in-memory statement in step: its index metadata is written from it."""
    if stmt is None:
        return
    for k, v in changes.items():
        if hasattr(stmt, k):
            setattr(stmt, k, bool(v) if k == "anonymous" else v)


def _reapply(db: sqlite3.Connection, fix: Any, sid: str, stmt: Statement | None) -> str:
    """Put one fix on statement `sid`; returns its status: applied or satisfied."""
    field = fix["field"]
    cur = db.execute("SELECT * FROM statements WHERE id = ?", (sid,)).fetchone()
    if field.startswith("stance:"):
        topic, stance = field.split(":", 1)[1], fix["new"]
        had = db.execute(
            "SELECT stance FROM statement_topics WHERE statement_id = ? AND topic = ?", (sid, topic)
        ).fetchone()
        # origin 'manual' either way: the analyst's label stays a training example of the stance model.
        db.execute(
            "INSERT INTO statement_topics (statement_id, topic, score, stance, stance_score, origin) "
            "VALUES (?, ?, 1.0, ?, NULL, 'manual') ON CONFLICT(statement_id, topic) DO UPDATE SET "
            "stance = excluded.stance, origin = 'manual', stance_score = NULL",
            (sid, topic, stance),
        )
        if had is not None and had["stance"] == stance:
            return "satisfied"
        topics = json.loads(cur["topics"] or "[]")
        if topic not in topics:
            topics.append(topic)
        changes: dict[str, Any] = {
            "topics": topics,
            "stance": stance if topics[0] == topic else cur["stance"],
        }
        db.execute(
            "UPDATE statements SET topics = ?, stance = ?, corrected = 1, indexed = 0 WHERE id = ?",
            (json.dumps(topics, ensure_ascii=False), changes["stance"], sid),
        )
        if stmt is not None:
            stmt.stances[topic] = stance
        _mirror(stmt, changes)
        return "applied"
    if field not in FIELDS:
        return str(fix["status"])  # a field this module does not set: left as it is
    changes = _changes(fix)
    if all(cur[k] == changes.get(k) for k in _identity(field, changes)):
        if field == "speaker":
            # the new extraction names the speaker an analyst checked: not in doubt, whatever the model says
            db.execute("UPDATE statements SET confidence = 1.0 WHERE id = ?", (sid,))
            _mirror(stmt, {"confidence": 1.0})
        return "satisfied"
    cols = ", ".join(f"{k} = ?" for k in changes)
    db.execute(
        f"UPDATE statements SET {cols}, corrected = 1, indexed = 0 WHERE id = ?", (*changes.values(), sid)
    )
    _refresh_tokens(db, sid)
    _mirror(stmt, changes)
    return "applied"


def follow(store: Store, article_id: int, statements: Sequence[Statement] | None = None) -> list[str]:
    """Re-apply the fixes made to an earlier extraction of this article (same guid or URL) to its
    statements now stored; call it after every (re-)extraction, in the same transaction.
    `statements`: the pipeline's in-memory copies, updated too (the index metadata comes from them).
    Returns one warning line per fix whose statement is gone (kept, marked orphaned)."""
    from kb.store.db import statement_id

    art = store.db.execute(
        "SELECT guid, url, content_hash FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    keys = [(col, art[k]) for col, k in (("article_guid", "guid"), ("article_url", "url")) if art and art[k]]
    if not keys:
        return []
    where = " OR ".join(f"{col} = ?" for col, _ in keys)
    fixes = store.db.execute(
        f"SELECT * FROM corrections WHERE {where} ORDER BY id", [v for _, v in keys]
    ).fetchall()
    if not fixes:
        return []
    rows = store.article_statements(article_id)
    current = {r["id"]: r for r in rows}
    mem = {statement_id(art["content_hash"], s.start, s.end): s for s in statements or ()}
    groups: dict[str, list[Any]] = {}
    for fix in fixes:
        groups.setdefault(fix["statement_id"], []).append(fix)
    warnings = []
    with store.transaction() as db:
        for old_sid, group in groups.items():
            if old_sid in current and current[old_sid]["corrected"]:
                continue  # this extraction has its fixes already (follow called twice)
            sid = old_sid if old_sid in current else _match(group[-1], rows)
            for fix in group:
                if sid is None:
                    db.execute("UPDATE corrections SET status = 'orphaned' WHERE id = ?", (fix["id"],))
                    continue
                status = _reapply(db, fix, sid, mem.get(sid))
                # The fix now anchors on the newest text: the next version is compared with this one.
                db.execute(
                    "UPDATE corrections SET statement_id = ?, status = ?, article_guid = ?, article_url = ?, "
                    "quote_key = ?, quote_text = ?, speaker_mention = ? WHERE id = ?",
                    (sid, status, art["guid"], art["url"], current[sid]["quote_key"], current[sid]["text"],
                     current[sid]["speaker_mention"], fix["id"]),
                )  # fmt: skip
            if sid is None:
                fix = group[-1]
                warnings.append(
                    f"{art['url'] or art['guid']}: the statement corrected by fix #{fix['id']} "
                    f"({fix['field']} -> {fix['new'] or '—'}) is gone from the new text; the fix is kept "
                    "as orphaned (`kb doctor`)"
                )
    return warnings


def orphans(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    """Corrections whose statement no longer exists (its text is gone from the article's newer
    version), newest first, with the text they were made on."""
    rows = store.db.execute(
        "SELECT c.id, c.at, c.field, c.old, c.new, c.note, c.statement_id, c.article_url, c.article_guid, "
        "c.speaker_mention, c.quote_text AS text FROM corrections c "
        "WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.id = c.statement_id) ORDER BY c.id DESC LIMIT ?",
        (limit,),
    )
    return [{k: r[k] for k in r.keys()} for r in rows]


def count_orphans(store: Store) -> int:
    return int(
        store.db.execute(
            "SELECT COUNT(*) FROM corrections c "
            "WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.id = c.statement_id)"
        ).fetchone()[0]
    )

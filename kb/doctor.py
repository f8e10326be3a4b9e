"""Integrity of a KB: SQLite itself, the keyword index, and the agreement of store and vector index;
and whether the models that attribution leans on are in place.

The store is the record of truth; the vector index and the FTS table are derived from it, so every
mismatch found here is repaired by `kb reindex`.

The three attribution models (the NER tagger, the antecedent ranker, the confidence model) live in the
cache, fitted at set-up. Without one, or with one fitted for other rules or another gold set (stale),
extraction still runs, but quietly worse: the rules alone pick antecedents, statements carry no
confidence and so no "unsure speaker" mark. That is no damage to the KB, so it is a note, not a problem,
with the command that fixes it.
"""

from __future__ import annotations

from typing import Any

from kb.base import KnowledgeBase


def check(kb: KnowledgeBase, *, sample: int = 20) -> dict[str, Any]:
    store = kb.store
    found: dict[str, Any] = {"ok": True, "problems": [], "models": models()}
    for name, m in found["models"].items():
        if m["state"] in ("missing", "stale"):
            found.setdefault("notes", []).append(f"{name}: {m['state']}; {m['effect']} (fix: {FIX})")

    integrity = store.db.execute("PRAGMA quick_check").fetchone()[0]
    found["sqlite"] = integrity
    if integrity != "ok":
        found["problems"].append(f"SQLite integrity check failed: {integrity}")

    stmt_ids = store.statement_ids()
    fts = store.db.execute("SELECT COUNT(*) FROM statements_fts").fetchone()[0]
    found["statements"] = len(stmt_ids)
    found["keyword_index_rows"] = fts
    if fts != len(stmt_ids):
        found["problems"].append(f"keyword index has {fts} rows for {len(stmt_ids)} statements")

    recorded_model = store.get_meta("index_model")
    found["index_model"] = recorded_model
    if recorded_model and recorded_model != kb.embedder.name:
        found["problems"].append(
            f"the index was built with {recorded_model} but settings use {kb.embedder.name}; run `kb reindex`"
        )
        found["ok"] = False
        return found

    vec_ids = kb.index.ids()
    missing = stmt_ids - vec_ids
    orphans = vec_ids - stmt_ids
    unindexed = store.db.execute("SELECT COUNT(*) FROM statements WHERE indexed = 0").fetchone()[0]
    found["vectors"] = len(vec_ids)
    found["missing_vectors"] = len(missing)
    found["orphan_vectors"] = len(orphans)
    found["unindexed"] = unindexed
    found["missing_sample"] = sorted(missing)[:sample]
    found["orphan_sample"] = sorted(orphans)[:sample]
    if missing:
        found["problems"].append(f"{len(missing)} statements are missing a vector (run `kb reindex`)")
    if orphans:
        found["problems"].append(f"{len(orphans)} vectors have no statement (run `kb reindex`)")
    if unindexed and not missing:
        # Corrections mark a statement for a metadata refresh; that is pending work, not damage.
        found.setdefault("notes", []).append(
            f"{unindexed} corrected statements wait for their index metadata to be refreshed "
            "(the next ingest does it, or `kb reindex`)"
        )
    # Fixes whose statement is gone from a re-extracted article: kept, not damage; listed on request.
    from kb import corrections

    if lost := corrections.count_orphans(store):
        found["orphaned_corrections"] = corrections.orphans(store, limit=sample)
        found.setdefault("notes", []).append(
            f"{lost} corrections lost their statement when its article was re-extracted (kept as "
            "orphaned; `kb doctor --json` lists them: orphaned_corrections)"
        )
    found["ok"] = not found["problems"]
    return found


# set-up fits each model that is missing or stale (each needs ../shared/data; without it they stay missing)
FIX = "scripts/setup.sh"
EFFECT = {
    "ner tagger": "speakers the word lists do not know are missed",
    "antecedent ranker": "the rules alone resolve 他/她/该公司",
    "confidence model": "new statements get no confidence, so no 'unsure speaker' mark",
}


def models() -> dict[str, dict[str, Any]]:
    """State of each attribution model: active, off (switched off by its environment variable), missing
    (never fitted here) or stale (fitted for other rules, word lists or gold labels)."""
    from kb.nlp import antecedents, confidence, ner_crf, subjects

    state: dict[str, str] = {}
    if not subjects.enabled():
        state["ner tagger"] = "off"
    else:
        state["ner tagger"] = (
            "active" if ner_crf.load() else _absent(ner_crf.model_dir() / ner_crf.MODEL_FILE)
        )
    if not antecedents.enabled():
        state["antecedent ranker"] = "off"
    else:
        state["antecedent ranker"] = "active" if antecedents.active() else _absent(antecedents.model_path())
    state["confidence model"] = "active" if confidence.active() else _absent(confidence.model_path())
    return {
        name: {"state": st, **({"effect": EFFECT[name]} if st in ("missing", "stale") else {})}
        for name, st in state.items()
    }


def _absent(path: Any) -> str:
    return "stale" if path.exists() else "missing"


def reindex(kb: KnowledgeBase, *, batch: int = 256, progress: Any = None) -> int:
    """Rebuild the vector index (with the current model) and the keyword index from SQLite."""
    from kb.pipeline import index_metadata
    from kb.textnorm import search_tokens

    store = kb.store
    with store.transaction() as db:
        db.execute("DELETE FROM statements_fts")
        rows = db.execute(
            "SELECT id, speaker, speaker_mention, organization, text FROM statements"
        ).fetchall()
        db.executemany(
            "INSERT INTO statements_fts (tokens, statement_id) VALUES (?, ?)",
            [(search_tokens(" ".join(x for x in (r[1], r[2], r[3], r[4]) if x)), r[0]) for r in rows],
        )
    store.mark_all_unindexed()
    _fresh_index(kb)
    total = len(rows)
    done = 0
    bar = progress(total) if progress else None
    while chunk := store.unindexed(limit=batch):
        vectors = kb.embedder.embed_passages([r["text"] for r in chunk])
        kb.index.upsert([r["id"] for r in chunk], vectors, [index_metadata(r, r["published"]) for r in chunk])
        store.mark_indexed([r["id"] for r in chunk])
        done += len(chunk)
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    store.set_meta("index_model", kb.embedder.name)
    return done


def _fresh_index(kb: KnowledgeBase) -> None:
    """An empty index for the current model, whatever model built the old one."""
    from kb.errors import KbError
    from kb.index import VectorIndex

    kb.store.set_meta("index_model", None)
    try:
        index = VectorIndex(
            kb.settings, collection=kb.settings.chroma_collection
        )  # opens the old collection as it is, without a model check
    except KbError:  # there is none yet
        index = kb.index
    index.model_name, index.dim = kb.embedder.name, kb.embedder.dim
    index.reset()
    kb.__dict__["index"] = index
    kb.store.set_meta("index_model", kb.embedder.name)

"""The queue of statements whose speaker is in doubt: the "unsure speakers" (kb/nlp/confidence.py
`unsure`: scored below the KB's `unsure_below`, never corrected), lowest confidence first, so an
analyst's minutes go where a wrong speaker is likeliest. Each comes with the sentence before and after
it and, for a speaker reached through a reference, the sentence that names it (kb.search.hits), which
is usually enough to decide without opening the article. Deciding is a fix (kb.corrections):
`confirm_speaker` when the speaker is right, `correct_speaker` when not; either takes it off the queue.

Used by `kb review` / `kb confirm` (kb/cli/correct_cmd.py) and the app's Corrections page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb.search.filters import SURE_SQL
from kb.search.hits import context, evidence, statement_dict

if TYPE_CHECKING:
    from kb.store import Store

_UNSURE = f"NOT {SURE_SQL}"


def count(store: Store, below: float) -> int:
    """How many statements wait for a check."""
    return int(store.db.execute(f"SELECT COUNT(*) FROM statements s WHERE {_UNSURE}", (below,)).fetchone()[0])


def queue(store: Store, below: float, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Unsure statements, lowest confidence first (newest first among equals), with their article,
    their context and the evidence for their speaker."""
    rows = store.db.execute(
        "SELECT s.*, a.title AS article_title, a.url AS url, a.source_name AS source, a.tz AS tz, "
        f"a.text AS article_text FROM statements s JOIN articles a ON a.id = s.article_id WHERE {_UNSURE} "
        "ORDER BY s.confidence, s.published DESC, s.id LIMIT ? OFFSET ?",
        (below, max(0, int(limit)), max(0, int(offset))),
    ).fetchall()
    out = []
    for r in rows:
        d = statement_dict(r)
        d.update(
            article_title=r["article_title"], url=r["url"], source=r["source"], tz=r["tz"],
            published=r["published"], article_id=r["article_id"],
        )  # fmt: skip
        text = r["article_text"] or ""
        d["context_before"], d["context_after"] = context(text, r["start"], r["end"])
        d["evidence"] = evidence(text, d)
        out.append(d)
    return out

"""Corrections: the statements whose speaker is in doubt, to check (lowest confidence first: confirm
or correct each on its card), then every fix analysts made (speaker, company, stance), newest first,
with its status, and the fixes that lost their statement. Fixes are made on any statement card
("Correct this statement")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.components import flash, md_text, safe_url, statement_card
from ui.data import kb, q
from ui.layout import page

page("Corrections", "Speakers to check, and the fixes made from statement cards. Fixes are kept across "
     "re-extraction and teach the registry and the stance model.")  # fmt: skip

STATUS = {
    "applied": "applied",
    "satisfied": "satisfied (the new extraction agrees)",
    "orphaned": "orphaned (statement gone)",
}


PAGE = 20

flash()
st.subheader("Unsure speakers to check")
waiting = q("review_count")
if not waiting:
    st.caption(
        md_text(
            f"Nothing to check: no statement has a speaker scored below {kb().settings.unsure_below:.2f}."
        )
    )
else:
    st.caption(md_text(
        f"{waiting} statement{'s' if waiting != 1 else ''} with a speaker scored below "
        f"{kb().settings.unsure_below:.2f}, the least sure first. Check each against its context (and the "
        "sentence that names a speaker reached through 他/该公司), then click “Speaker is right” or correct it."
    ))  # fmt: skip
    shown = st.session_state.get("review_shown", PAGE)
    for s in q("review_queue", limit=shown):
        statement_card(s, key="review-")
    if waiting > shown and st.button(f"Show {min(PAGE, waiting - shown)} more", key="review_more"):
        st.session_state["review_shown"] = shown + PAGE
        st.rerun()

st.subheader("Fixes")
rows = q("corrections")
if not rows:
    st.info("No correction yet. Click “Correct speaker, company or stance” on any statement card to fix a speaker, "
            "a company or a stance (or use `kb correct` / `kb label`).")  # fmt: skip
    st.stop()

orphans = q("correction_orphans")
counts = {s: sum(1 for r in rows if r.get("status") == s) for s in STATUS}
c1, c2, c3 = st.columns(3)
c1.metric("Applied", counts["applied"])
c2.metric("Satisfied", counts["satisfied"], help="A re-extraction already gives the corrected value.")
c3.metric("Orphaned", len(orphans), help="The statement is gone after a re-extraction of its article.")

if orphans:
    st.subheader("Orphaned fixes")
    st.warning(
        f"{len(orphans)} fix{'es' if len(orphans) != 1 else ''} lost {'their' if len(orphans) != 1 else 'its'} "
        "statement: the article was re-extracted and the quote is no longer in it. Find the statement "
        "again (Search) and correct it there.",
        icon=":material/link_off:",
    )
    st.dataframe(
        pd.DataFrame([{"when": r["at"], "what": r["field"], "was": r["old"] or "—", "now": r["new"] or "—",
                       "quote": r.get("text") or "—", "speaker as extracted": r.get("speaker_mention") or "",
                       "article": safe_url(r.get("article_url")) or "", "note": r.get("note") or ""}
                      for r in orphans]),
        hide_index=True, width="stretch", key="orphans",
        column_config={"article": st.column_config.LinkColumn("article")},
    )  # fmt: skip

st.subheader("Corrections log")
st.dataframe(
    pd.DataFrame([{"when": r["at"], "what": r["field"], "was": r["old"] or "—", "now": r["new"] or "—",
                   "status": STATUS.get(r.get("status") or "", r.get("status") or ""),
                   "statement": r["text"] or r["statement_id"], "note": r["note"] or ""} for r in rows]),
    hide_index=True, width="stretch", key="log",
)  # fmt: skip
if not orphans:
    st.caption(md_text("No orphaned fix: every correction still has its statement."))

"""Corrections: every fix analysts made (speaker, company, stance), newest first. Fixes are made on
any statement card ("Correct this statement")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.data import q
from ui.layout import page

page("Corrections", "Fixes made from statement cards. They are kept across re-extraction and teach the "
     "registry and the stance model.")  # fmt: skip

rows = q("corrections")
if not rows:
    st.info("No correction yet. Click “Correct speaker, company or stance” on any statement card to fix a speaker, "
            "a company or a stance (or use `kb correct` / `kb label`).")  # fmt: skip
else:
    st.dataframe(
        pd.DataFrame([{"when": r["at"], "what": r["field"], "was": r["old"] or "—", "now": r["new"] or "—",
                       "statement": r["text"] or r["statement_id"], "note": r["note"] or ""} for r in rows]),
        hide_index=True, width="stretch",
    )  # fmt: skip

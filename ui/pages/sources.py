"""Sources: the feeds, when each was last read, how many articles it gave, errors and stale feeds;
add a feed URL or an OPML file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from ui import backend
from ui.components import md_text
from ui.data import clear_data, kb, q
from ui.layout import page

page("Sources", "Feeds and files this KB reads. A feed is stale when it gave nothing new for "
     f"{backend.STALE_AFTER_DAYS} days or its last read failed.")  # fmt: skip


def _when(iso: str | None) -> str:
    """'2026-11-28 05:56 UTC' (stored as ISO UTC): short enough for the table."""
    return f"{iso[:10]} {iso[11:16]} UTC" if iso and len(iso) >= 16 else (iso or "never")


rows = q("sources")
if rows:
    stale = [r for r in rows if r["stale"]]
    failing = [r for r in rows if r.get("last_error")]
    c1, c2, c3 = st.columns(3)
    c1.metric("Sources", len(rows))
    c2.metric("Stale", len(stale))
    c3.metric("Failing", len(failing))
    # The columns an analyst scans first; the location (long paths and URLs) last.
    df = pd.DataFrame(
        [{"name": r["name"] or "—", "kind": r["kind"], "articles": r.get("stored_articles", r["articles"]),
          "last success": _when(r.get("last_success")), "last read": _when(r.get("last_read")),
          "stale": "stale" if r["stale"] else "", "failures in a row": r["consecutive_failures"],
          "error": r.get("last_error") or "", "location": r["url"]} for r in rows]
    )  # fmt: skip
    st.dataframe(df, hide_index=True, width="stretch")
    for r in failing:
        st.error(md_text(f"{r['name'] or r['url']}: {r['last_error']}"), icon=":material/error:")
else:
    st.info("No sources yet: add a feed below.")

st.subheader("Add feeds")
with st.form("add_url"):
    url = st.text_input("Feed URL (RSS or Atom)", placeholder="https://36kr.com/feed")
    add = st.form_submit_button("Add and read now")
upload = st.file_uploader("…or an OPML list of feeds", type=["opml", "xml"], key="opml")
targets: list[str] = []
if add and url.strip():
    if not url.strip().lower().startswith(("http://", "https://")):
        st.error("A feed URL starts with http:// or https://")
    else:
        targets = [url.strip()]
if upload is not None and st.button("Add the feeds of this OPML file", key="add_opml"):
    folder = Path(tempfile.mkdtemp(prefix="kb-opml-"))
    path = folder / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    targets = [str(path)]
if targets:
    with st.spinner("Reading…"):
        try:
            report = backend.add_sources(kb(), targets)
        except Exception as e:  # noqa: BLE001 - one line for the user
            st.error(md_text(f"Could not add: {e}"))
        else:
            clear_data()
            msg = f"Added. New articles: {report.get('new_articles', 0)}."
            if report.get("note"):
                msg += f" ({report['note']})"
            st.session_state["_flash"] = msg
            for f in report.get("failures") or []:
                st.error(md_text(f))
            if not report.get("failures"):
                st.rerun()

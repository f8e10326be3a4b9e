"""A person: aliases, roles over time, stance timeline by topic, statements newest first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.components import md_text, paged_statements, stance_section
from ui.data import q
from ui.layout import clean_label, entity_link, page

page("People")

people = q("people")
if not people:
    st.info("No people yet: ingest some articles (`kb ingest …`) or add feeds on the Sources page.")
    st.stop()
ids = [p["id"] for p in people]
by_id = {p["id"]: p for p in people}
wanted = st.query_params.get("id")
if wanted and wanted not in by_id:
    info = q("person", wanted)
    if info:
        by_id[wanted] = {"id": wanted, "name": info["name"], "statements": 0}
        ids.insert(0, wanted)
pid = st.selectbox(
    "Person", ids, index=ids.index(wanted) if wanted in ids else 0, key="person",
    format_func=lambda i: clean_label(f"{by_id[i]['name']} ({by_id[i]['statements']})"),
)  # fmt: skip
if pid != wanted:
    st.query_params["id"] = pid
info = q("person", pid)
if info is None:
    st.warning("Unknown person.")
    st.stop()

st.header(md_text(info["name"]) + (f" · {md_text(info['name_en'])}" if info.get("name_en") else ""))
if info.get("origin") in ("discovered", "statements") or info.get("status") == "unconfirmed":
    st.caption(":orange-badge[not in the curated registry yet] confirm or merge with `kb people`")
aliases = [a for a in info["aliases"] if a not in (info["name"], info.get("name_en"))]
if aliases:
    st.markdown("**Also written** " + " · ".join(md_text(a) for a in aliases))

st.subheader("Roles over time")
if info["roles"]:
    st.dataframe(
        pd.DataFrame(
            [{"company": r["company"], "title": r["title"], "since": r["since"] or "?",
              "until": r["until"] or "now"} for r in info["roles"]]
        ),
        hide_index=True, width="stretch",
    )  # fmt: skip
    for r in {r["company_id"]: r for r in info["roles"] if r.get("company_id")}.values():
        entity_link("company", r["company_id"], r["company"])
else:
    st.caption("No role known.")

st.subheader("Stance by topic")
by = st.segmented_control("Period", ["month", "week"], default="month", key="by") or "month"
stance_section(q("timeline", person_id=pid, by=by), key=f"p-{pid}-{by}")
paged_statements(pid, card_key="p-", person_id=pid)

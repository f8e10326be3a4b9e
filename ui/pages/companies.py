"""A company: aliases, its people, stance timeline by topic, statements, and a comparison with
another company on one topic."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import components
from ui.components import (
    compare_chart,
    compared_statements,
    md_text,
    paged_statements,
    stance_section,
    statement_card,
    topic_name,
)
from ui.data import q
from ui.layout import clean_label, entity_link, page

page("Companies")

companies = q("companies")
if not companies:
    st.info("No companies yet: ingest some articles (`kb ingest …`) or add feeds on the Sources page.")
    st.stop()
ids = [c["id"] for c in companies]
by_id = {c["id"]: c for c in companies}
wanted = st.query_params.get("id")
cid = st.selectbox(
    "Company", ids, index=ids.index(wanted) if wanted in ids else 0, key="company",
    format_func=lambda i: clean_label(f"{by_id[i]['name']} ({by_id[i]['statements']})"),
)  # fmt: skip
if cid != wanted:
    st.query_params["id"] = cid
info = q("company", cid)
if info is None:
    st.warning("Unknown company.")
    st.stop()

st.header(md_text(info["name"]) + (f" · {md_text(info['name_en'])}" if info.get("name_en") else ""))
aliases = [a for a in info["aliases"] if a not in (info["name"], info.get("name_en"))]
if aliases:
    st.markdown("**Also written** " + " · ".join(md_text(a) for a in aliases))


def overview() -> None:
    st.subheader("People")
    if info["people"]:
        st.dataframe(
            pd.DataFrame([{"name": p["name"], "title": p.get("title") or "", "since": p.get("since") or "?",
                           "until": p.get("until") or "now"} for p in info["people"]]),
            hide_index=True, width="stretch",
        )  # fmt: skip
        cols = st.columns(4)
        for i, p in enumerate(info["people"][:12]):
            with cols[i % 4]:
                entity_link("person", p["id"], p["name"])
    else:
        st.caption("No people known.")

    st.subheader("Stance by topic")
    stance_section(q("timeline", company_id=cid, by="month"), key=f"c-{cid}")
    paged_statements(cid, card_key="c-", company_id=cid)


def compare() -> None:
    others = [i for i in ids if i != cid]
    catalog = components.TOPICS
    if not others or not catalog:
        st.caption("Needs a second company and at least one topic.")
    else:
        c1, c2 = st.columns(2)
        # The tab's widgets are not rendered while the overview is open, so Streamlit forgets their
        # values: the choices are kept aside and come back with the tab.
        kept = st.session_state.get("_cmp", {})
        other = c1.selectbox("Compare with", others, key="other",
                             index=others.index(kept["other"]) if kept.get("other") in others else 0,
                             format_func=lambda i: clean_label(by_id[i]["name"]))  # fmt: skip
        topics = list(catalog)
        topic = c2.selectbox("On topic", topics, key="cmp_topic", format_func=topic_name,
                             index=topics.index(kept["topic"]) if kept.get("topic") in topics else 0)  # fmt: skip
        st.session_state["_cmp"] = {"other": other, "topic": topic}
        crows = q("compare", (cid, other), topic=topic, by="month")
        if crows:
            state = compare_chart(crows, key=f"cmp-{cid}-{other}-{topic}")
            behind = st.expander("Statements behind a dot", key=f"cmp-behind-{cid}", on_change="rerun")
            if behind.open:  # built only when opened: up to 50 cards
                with behind:
                    compared_statements(crows, state, key=f"cmp-{cid}-{other}-{topic}")
        else:
            st.caption("Neither company has a statement on this topic yet.")
        st.markdown("**Latest on this topic**")
        left, right = st.columns(2)
        for col, c in ((left, cid), (right, other)):
            with col:
                st.markdown(f"**{md_text(by_id[c]['name'])}**")
                latest = q("statements_of", company_id=c, topic=topic, limit=3)
                if not latest:
                    st.caption("No statement on this topic.")
                for s in latest:
                    statement_card(s, key=f"cmp-{c}-", corrections=False)


# Only the open tab runs: the comparison (two companies' timelines) is not built for the overview.
tab_overview, tab_compare = st.tabs(["Overview", "Compare"], key="company_tab", on_change="rerun")
if tab_overview.open:
    with tab_overview:
        overview()
if tab_compare.open:
    with tab_compare:
        compare()

"""Timelines: statement counts per period, topic and stance for a company or a person, what changed,
and the statements behind every bar."""

from __future__ import annotations

import streamlit as st

from ui import components
from ui.components import changes_table, stance_chart, statements_behind, topic_name
from ui.data import q
from ui.layout import clean_label, page

page("Timelines", "How positions move: per period, topic and stance; click a dot for its statements.")

c1, c2, c3, c4 = st.columns([1, 2, 2, 1])
kind = c1.radio("For", ["company", "person"], key="tl_kind", horizontal=False)
entities = q("companies") if kind == "company" else q("people")
if not entities:
    st.info("Nothing to show yet: ingest some articles first.")
    st.stop()
names = {e["id"]: e["name"] for e in entities}
eid = c2.selectbox(
    kind.capitalize(), list(names), key=f"tl_{kind}", format_func=lambda i: clean_label(names[i])
)
catalog = components.TOPICS
topic = c3.selectbox("Topic", [None, *catalog], key="tl_topic",
                     format_func=lambda t: "all topics" if t is None else topic_name(t))  # fmt: skip
by = c4.radio("By", ["month", "week"], key="tl_by")

who = {"person_id": eid} if kind == "person" else {"company_id": eid}
rows = q("timeline", topic=topic, by=by, **who)
if not rows:
    st.info("No statement on a known topic in this timeline.")
    st.stop()

state = stance_chart(rows, key=f"tl-{kind}-{eid}-{topic}-{by}")
st.subheader("What changed")
changes_table(q("changes", rows, topic=topic, by=by, **who))
st.subheader("Statements behind a dot")
statements_behind(rows, state, key=f"tl-{eid}")

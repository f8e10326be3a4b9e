"""Search: one box (Chinese or English), the parsed filters as removable chips, explicit filters in
the sidebar, result cards, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date

import streamlit as st

from kb.nlp.confidence import unsure
from ui import components
from ui.components import md_text, statement_card, topic_name
from ui.data import kb, q
from ui.layout import clean_label, entity_link, page

page(
    "Search statements",
    "Who said what — ask in Chinese or English: 「王小川 价格战」, “Robin Li on open source”, 谁认为补贴大战不可持续",
)

query = st.text_input(
    "Search", value=st.query_params.get("q", ""), key="q", placeholder="杨植麟 长文本 · Robin Li on open source · 价格战",
    label_visibility="collapsed",
)  # fmt: skip

if query != st.query_params.get("q", ""):
    st.query_params["q"] = query  # the address bar holds the search: shareable, survives a reload

# Explicit filters (sidebar): people, companies, topics, dates.
people = q("people")
companies = q("companies")
catalog = components.TOPICS
pnames = {p["id"]: p["name"] for p in people}
cnames = {c["id"]: c["name"] for c in companies}
with st.sidebar:
    st.subheader("Filters")
    f_people = st.multiselect(
        "Person", list(pnames), format_func=lambda i: clean_label(pnames[i]), key="f_people"
    )
    f_companies = st.multiselect(
        "Company", list(cnames), format_func=lambda i: clean_label(cnames[i]), key="f_companies"
    )
    f_topics = st.multiselect("Topic", list(catalog), format_func=topic_name, key="f_topics")
    use_dates = st.checkbox("Date range", key="f_use_dates")
    since = until = None
    if use_dates:
        since = st.date_input("Since", value=date(date.today().year, 1, 1), key="f_since")
        until = st.date_input("Until", value=date.today(), key="f_until")
    mark = kb().settings.unsure_below  # the KB's `unsure_below` setting
    hide_unsure = st.checkbox(
        "Hide unsure speakers", key="f_hide_unsure",
        help=f"Leave out statements whose attribution the confidence model doubts: scored below {mark:.2f} "
        "(the KB's unsure_below setting) and not corrected, marked 'unsure speaker'.",
    )  # fmt: skip
    limit = st.slider("Results", 10, 100, 30, step=10, key="f_limit")

# The query's own filters, as chips the user can switch off (their words go back to the text).
parsed = q("parse_query", query) if query.strip() else {"text": "", "chips": [], "notes": []}
chips = parsed["chips"]
removed: tuple[int, ...] = ()
if chips:
    labels = [
        clean_label(c["label"]) if c["kind"] in ("person", "company")
        else f"{'topic (bias)' if c.get('bias') else c['kind']}: {clean_label(c['label'])}"
        for c in chips
    ]  # fmt: skip
    keep = st.pills("Understood as — click a filter to remove it", list(range(len(chips))), selection_mode="multi",
                    default=list(range(len(chips))), format_func=lambda i: labels[i], key=f"chips-{query}")  # fmt: skip
    removed = tuple(i for i in range(len(chips)) if i not in (keep or []))

filters = dict(
    people=tuple(f_people), companies=tuple(f_companies), topics=tuple(f_topics),
    since=since.isoformat() if since else None, until=until.isoformat() if until else None,
)  # fmt: skip
browsing = not query.strip() and not any(filters.values())
if browsing:
    newest = q("statements_of", limit=limit)
    result = {"hits": [h for h in newest if not (hide_unsure and unsure(h.get("confidence"), h.get("corrected"), mark))],
              "text": "", "notes": []}  # fmt: skip
else:
    result = q("search", query, removed=removed, limit=limit, hide_unsure=hide_unsure, **filters)
hits, text = result["hits"], result["text"]
for note in result["notes"]:
    st.caption(md_text(note))

left, right = st.columns([3, 1])
if browsing:
    left.subheader("Latest statements")
else:
    left.subheader(f"{len(hits)} statement{'s' if len(hits) != 1 else ''}")
if hits:
    buf = io.StringIO()
    cols = ["published", "speaker", "title", "organization", "text", "kind", "topics", "stance",
            "source", "article_title", "url", "also_in", "id"]  # fmt: skip
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    for h in hits:
        w.writerow({**h, "topics": ";".join(h.get("topics") or [])})
    right.download_button("Export CSV", buf.getvalue().encode("utf-8-sig"), file_name="statements.csv",
                          mime="text/csv", key="csv")  # fmt: skip
else:
    st.info("No statement matches. Try fewer words, remove a filter chip, or widen the dates.")

for i, h in enumerate(hits):
    statement_card(h, query_text=text, key=f"s{i}-")
if hits:
    with st.sidebar:
        st.subheader("Speakers in these results")
        seen = set()
        for h in hits:
            if h.get("speaker") and h.get("speaker_type") == "person" and h["speaker"] not in seen:
                seen.add(h["speaker"])
                entity_link("person", h.get("speaker_id") or f"name:{h['speaker']}", h["speaker"])

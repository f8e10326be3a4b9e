"""Digests: subscriptions (add, edit, remove) and a preview of the next digest as it will be sent."""

from __future__ import annotations

import base64

import pandas as pd
import streamlit as st

from ui import backend, components
from ui.components import md_text, topic_name
from ui.data import clear_data, kb, q
from ui.layout import clean_label, page

# The preview runs in an iframe of its own origin (a data: URL) with scripts forbidden by CSP, so
# nothing in a digest can reach or restyle the app.
CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"

page("Digests", "Weekly e-mails of what the people and companies you follow said.")

subs = q("subscriptions")
people = {p["id"]: p["name"] for p in q("people")}
companies = {c["id"]: c["name"] for c in q("companies")}
catalog = components.TOPICS

st.subheader("Subscriptions")
if subs:
    st.dataframe(
        pd.DataFrame([{"id": s["id"], "address": s["address"],
                       "people": ", ".join(people.get(p, p) for p in s["people"]),
                       "companies": ", ".join(companies.get(c, c) for c in s["companies"]),
                       "topics": ", ".join(topic_name(t) for t in s["topics"]), "query": s["query"] or "",
                       "unsure speakers": "left out" if s.get("hide_unsure") else "marked"}
                      for s in subs]),
        hide_index=True, width="stretch",
    )  # fmt: skip
else:
    st.caption("No subscription: the digest covers everything in the window.")

options = {0: "New subscription…", **{s["id"]: f"Edit {s['address']} (#{s['id']})" for s in subs}}
sid = st.selectbox("Add or edit", list(options), format_func=lambda i: options[i], key="sub_pick")
cur = next((s for s in subs if s["id"] == sid), None)
with st.form(f"sub-{sid}"):
    address = st.text_input("E-mail address", value=cur["address"] if cur else "", key=f"addr-{sid}")
    f_people = st.multiselect("People", list(people), default=[p for p in (cur or {}).get("people", []) if p in people],
                              format_func=lambda i: clean_label(people[i]), key=f"sp-{sid}")  # fmt: skip
    f_companies = st.multiselect("Companies", list(companies),
                                 default=[c for c in (cur or {}).get("companies", []) if c in companies],
                                 format_func=lambda i: clean_label(companies[i]), key=f"sc-{sid}")  # fmt: skip
    f_topics = st.multiselect("Topics", list(catalog), default=[t for t in (cur or {}).get("topics", []) if t in catalog],
                              format_func=topic_name, key=f"st-{sid}")  # fmt: skip
    query = st.text_input("Query (optional)", value=(cur or {}).get("query") or "", key=f"sq-{sid}")
    f_hide = st.checkbox("Leave out unsure speakers", value=bool((cur or {}).get("hide_unsure")), key=f"sh-{sid}",
                         help="Statements whose speaker the confidence model doubts are listed, marked 'unsure "
                              "speaker', unless this is on. They never count for what changed.")  # fmt: skip
    c1, c2 = st.columns(2)
    save = c1.form_submit_button("Save subscription", type="primary")
    remove = c2.form_submit_button("Remove", disabled=cur is None)
if save:
    try:
        backend.save_subscription(
            kb(), address, f_people, f_companies, f_topics, query, None if cur is None else sid,
            hide_unsure=f_hide,
        )  # fmt: skip
    except Exception as e:  # noqa: BLE001 - KbError, ValueError: shown to the user as one line
        st.error(md_text(f"Not saved: {e}"))
    else:
        clear_data()
        st.session_state["_flash"] = f"Saved subscription for {address}."
        st.rerun()
if remove and cur is not None:
    backend.remove_subscription(kb(), sid)
    clear_data()
    st.session_state["_flash"] = f"Removed subscription for {cur['address']}."
    st.rerun()

st.subheader("Preview of the next digest")
# The next digest covers last week (Monday to Sunday). On a KB whose newest statement is older
# (demo data, a paused feed), the week of the newest statement is the useful default.
newest = q("newest_statement_day")
week_start, week_end, older = backend.digest_window(newest)
if older:
    st.caption(f"Nothing newer than {newest}: showing the week of the newest statements.")
c1, c2, c3 = st.columns(3)
since = c1.date_input("Since", value=week_start, key="d_since")
until = c2.date_input("Until", value=week_end, key="d_until")
recipients = [None, *sorted({s["address"] for s in subs})]
to = c3.selectbox("For", recipients, format_func=lambda a: "everything (no subscription)" if a is None else a,
                  key="d_to")  # fmt: skip
# A subscriber's digest follows their own setting; the everything-digest (`kb digest --hide-unsure`) can too.
hide = to is None and st.checkbox("Leave out unsure speakers", key="d_hide_unsure")
try:
    # Cached like every read (the digest of a busy week takes most of a second to build): editing a
    # subscription or opening the page again does not rebuild it; a save clears it (clear_data).
    # (Without the flag it is the very call whose result the warm-up prebuilt: ui.data._warm_up.)
    preview = q("digest_preview", *((to, since, until, True) if hide else (to, since, until)))
except Exception as e:  # noqa: BLE001 - the preview must not break the page
    st.error(md_text(f"The digest could not be built: {type(e).__name__}: {e}"))
    preview = None
if preview is None:
    st.info("The digest library is not available in this build yet; subscriptions are stored already.")
else:
    st.markdown("**Subject**")
    st.text(preview.get("subject") or "")
    st.download_button("Download as .eml", preview["eml"], file_name=f"digest-{since}-{until}.eml",
                       mime="message/rfc822", key="eml")  # fmt: skip
    tab_html, tab_text = st.tabs(["HTML", "Plain text"])
    with tab_html:
        html = CSP + (preview.get("html") or "")
        st.iframe("data:text/html;charset=utf-8;base64," + base64.b64encode(html.encode("utf-8")).decode("ascii"),
                  height=700)  # fmt: skip
    with tab_text:
        st.text(preview.get("text") or "")

"""What every page does first: the KB's topic names for labels, the sidebar summary, messages."""

from __future__ import annotations

import streamlit as st

from kb.errors import KbError
from ui import components
from ui.components import flash, md_text
from ui.data import home, kb, q, registry, warm_up


def page(title: str, caption: str = "") -> None:
    try:
        kb()  # opens the KB: a setting it cannot work with (unsure_below = 1.5) is one line, not a traceback
    except KbError as e:
        st.error(md_text(f"kb: {e}"))
        st.stop()
    registry()  # loaded once per process; it also brings the curated people and companies into the KB
    warm_up()  # the embedding model and the vector index, in the background
    components.TOPICS.clear()
    components.TOPICS.update(q("topics_catalog"))
    st.title(title)
    if caption:
        st.caption(caption)
    with st.sidebar:
        stats = q("stats")
        st.caption(
            f"KB {md_text(home())}  \n{stats['statements']:,} statements · {stats['articles']:,} articles · "
            f"{stats['people']:,} people · {stats['companies']:,} companies · {stats['sources']:,} sources"
        )
    flash()


def entity_link(kind: str, eid: str | None, name: str) -> None:
    """A link to a person's or a company's page."""
    if not eid:
        st.text(name)
        return
    target = "pages/people.py" if kind == "person" else "pages/companies.py"
    st.page_link(
        target,
        label=clean_label(name),
        query_params={"id": eid},
        icon=":material/person:" if kind == "person" else ":material/domain:",
    )


def clean_label(text: str) -> str:
    """Widget labels render Markdown; names in them lose the characters Markdown acts on."""
    return "".join(c for c in str(text) if c not in "\\`*_{}[]#+!|<>~$:") or "?"

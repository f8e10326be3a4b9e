"""The analyst's app: `kb ui` runs `streamlit run ui/app.py` with the KB home in KB_HOME.

Each page is one small script in ui/pages/ that parses input and calls `ui.backend` (which calls kb/).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent

st.set_page_config(page_title="kb · who said what", page_icon=":material/format_quote:", layout="wide")

PAGES = {
    "Find": [
        st.Page(
            HERE / "pages/search.py",
            title="Search",
            icon=":material/search:",
            url_path="search",
            default=True,
        ),
        st.Page(HERE / "pages/people.py", title="People", icon=":material/person:", url_path="people"),
        st.Page(
            HERE / "pages/companies.py", title="Companies", icon=":material/domain:", url_path="companies"
        ),
        st.Page(
            HERE / "pages/timelines.py", title="Timelines", icon=":material/timeline:", url_path="timelines"
        ),
    ],
    "Manage": [
        st.Page(HERE / "pages/digests.py", title="Digests", icon=":material/mail:", url_path="digests"),
        st.Page(HERE / "pages/sources.py", title="Sources", icon=":material/rss_feed:", url_path="sources"),
        st.Page(
            HERE / "pages/corrections.py",
            title="Corrections",
            icon=":material/edit_note:",
            url_path="corrections",
        ),
    ],
}

st.navigation(PAGES).run()

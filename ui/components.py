"""Pieces the pages share: safe text, statement cards with corrections, stance charts.

Feed content is shown as text, always. Streamlit's markdown (st.markdown, st.caption, widget labels)
would render Markdown, directives (":red[…]"), emoji short codes and maths from an article, so every
piece of content goes through `md_text` first; nothing uses unsafe_allow_html.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

import altair as alt
import pandas as pd
import streamlit as st

from kb.dates import local_day
from kb.errors import KbError
from kb.nlp.confidence import unsure
from kb.records import confidence_text
from ui import backend
from ui.data import clear_data, kb

# Charts: a CJK font first (both scripts), Latin falls back to it too; installed by fonts-noto-cjk.
CJK_FONT = '"Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
STANCE_COLORS = {"for": "#2e7d32", "against": "#c62828", "neutral": "#9e9e9e", "mixed": "#ef8f00"}
STANCE_LABELS = {
    "for": "for 支持",
    "against": "against 反对",
    "neutral": "neutral 中立",
    "mixed": "mixed 两面",
}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'^])")
_EMOJI = re.compile(r":(?=[\w+/-]+:)")


def md_text(text: Any) -> str:
    """Content as Markdown that renders exactly as the characters it holds.

    Backslash-escapes every ASCII punctuation Markdown and Streamlit's extensions act on (so no
    emphasis, links, HTML, colour directives or maths), breaks emoji short codes with a zero-width
    space, and keeps line breaks as hard breaks."""
    s = "" if text is None else str(text)
    s = _EMOJI.sub(":\u200b", s)  # first: the short-code plugin sees the text after unescaping
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("\r", "").replace("\n", "  \n")


def safe_url(url: str | None) -> str | None:
    """http(s) URLs only (no javascript:, data:), with characters that would end a Markdown link quoted."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._")


def highlighted(text: str, query_text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """The quote as safe Markdown with the query's words (or the given spans) highlighted."""
    if spans is None:
        spans = backend.highlight_spans(text, query_text) if query_text.strip() else []
    out, pos = [], 0
    for a, b in spans:
        out.append(md_text(text[pos:a]))
        out.append(f":orange-background[**{md_text(text[a:b])}**]")
        pos = b
    out.append(md_text(text[pos:]))
    return "".join(out)


# Topic id → labels of the KB this process serves; set by `ui.layout.page` on every run. A module
# global (not session state) because format functions are also called outside a script run.
TOPICS: dict[str, dict[str, str]] = {}


def topic_name(topic: str) -> str:
    return backend.topic_label(TOPICS, topic)


def who_line(s: dict[str, Any]) -> str:
    """'王小川 · 创始人兼CEO · 百川智能' (plain text)."""
    if s.get("speaker_type") == "unnamed" or s.get("anonymous"):
        name = f"unnamed source ({s.get('speaker_mention') or '—'})"
    else:
        name = s.get("speaker") or s.get("speaker_mention") or "—"
    bits = [name, s.get("title"), s.get("organization")]
    return " · ".join(b for b in bits if b)


def evidence_line(ev: dict[str, Any]) -> str:
    """'“他” is 王小川, named here: …百川智能创始人**王小川**周三…' (markdown, article text escaped)."""
    sent, a, b = ev["sentence"], ev["name_start"], ev["name_end"]
    quoted = f"{md_text(sent[:a])}**{md_text(sent[a:b])}**{md_text(sent[b:])}"
    return f"“{md_text(ev['reference'])}” is {md_text(ev['name'])}, named here: …{quoted}…"


def statement_card(
    s: dict[str, Any], *, query_text: str = "", key: str = "", corrections: bool = True
) -> None:
    """One statement: quote, who, when, where, topics/stance, context on demand, fix it."""
    k = f"{key}{s['id']}"
    with st.container(border=True):
        spans = [(h["start"], h["end"]) for h in s["highlights"]] if s.get("highlights") is not None else None
        st.markdown(f"#### “{highlighted(s['text'], query_text, spans)}”")
        meta = [md_text(who_line(s))]
        if s.get("speaker_type") and s["speaker_type"] != "person":
            meta.append(f":gray-badge[{s['speaker_type']}]")
        st.markdown(" ".join(meta))
        if "context_before" in s:  # a search hit carries its context
            ctx = {"before": s["context_before"], "after": s["context_after"], "evidence": s.get("evidence")}
        else:
            ctx = backend.context(kb(), s["id"])
        if ev := ctx.get("evidence"):
            # a speaker reached through 他/该公司: where the name stands, so the analyst can check at a glance
            st.caption(evidence_line(ev))
        day = local_day(s.get("published"), s.get("tz"))
        date = day.isoformat() if day else "date unknown"
        where = [date, md_text(s.get("source") or "")]
        url = safe_url(s.get("url"))
        title = md_text(s.get("article_title") or "article")
        where.append(f"[{title}]({url})" if url else title)
        st.caption(" · ".join(w for w in where if w))
        badges = [f":blue-badge[{s.get('kind') or '?'}]"]
        for t, stance in (s.get("stances") or {}).items():
            color = {"for": "green", "against": "red", "mixed": "orange"}.get(stance or "", "gray")
            badges.append(f":{color}-badge[{md_text(topic_name(t))}: {stance or '—'}]")
        if s.get("also_in"):
            n = int(s["also_in"])
            badges.append(f":violet-badge[also in {n} source{'s' if n != 1 else ''}]")
        doubt = not s.get("corrected") and unsure(s.get("confidence"), below=kb().settings.unsure_below)
        if s.get("corrected"):
            badges.append(":orange-badge[corrected]")
        elif doubt:  # below the KB's mark
            badges.append(f":red-badge[unsure speaker · {confidence_text(s['confidence'])}]")
        st.markdown(" ".join(badges))
        if doubt and corrections and st.button(
            "Speaker is right", key=f"ok-{k}", icon=":material/check:", type="tertiary",
            help="You checked the source: keep this speaker, and drop the 'unsure speaker' mark.",
        ):  # fmt: skip
            try:
                backend.confirm(kb(), s["id"])
            except KbError as e:  # e.g. the statement was re-extracted meanwhile: one line
                st.error(md_text(f"Not saved: {e}"))
            else:
                clear_data()
                st.session_state["_flash"] = f"Confirmed: {who_line(s)}."
                st.rerun()
        with st.expander("Context"):
            st.text(ctx["before"] or "(start of article)")
            st.markdown(f"**{md_text(s['text'])}**")
            st.text(ctx["after"] or "(end of article)")
            if s.get("also_sources"):
                st.text("Also in: " + ", ".join(s["also_sources"]))
        if corrections:
            # The form is built only for the card being corrected: 30 cards × 5 widgets would slow
            # every rerun of the page.
            if st.session_state.get("_fixing") == k:
                with st.container(border=True):
                    correction_form(s, k)
            elif st.button("Correct speaker, company or stance", key=f"fixbtn-{k}", type="tertiary",
                           icon=":material/edit:"):  # fmt: skip
                st.session_state["_fixing"] = k
                st.rerun()


def correction_form(s: dict[str, Any], k: str) -> None:
    with st.form(f"fix-{k}", border=False):
        speaker = st.text_input("Speaker (canonical name; empty = unnamed source)", value=s.get("speaker") or "",
                                key=f"sp-{k}")  # fmt: skip
        org = st.text_input("Company / organization", value=s.get("organization") or "", key=f"org-{k}")
        catalog = TOPICS
        topics = list(dict.fromkeys([*(s.get("stances") or {}), *catalog]))
        topic = st.selectbox("Topic for the stance", topics or ["—"], key=f"tp-{k}", format_func=topic_name)
        current = (s.get("stances") or {}).get(topic)
        stance = st.selectbox("Stance", ["(unchanged)", *backend.STANCES], key=f"st-{k}",
                              help=f"now: {current or '—'}")  # fmt: skip
        note = st.text_input("Note (optional)", key=f"nt-{k}")
        c1, c2 = st.columns([1, 3])
        cancel = c2.form_submit_button("Cancel", type="tertiary")
        if c1.form_submit_button("Save correction", type="primary"):
            changed = []
            try:
                if speaker.strip() != (s.get("speaker") or ""):
                    backend.correct(kb(), s["id"], "speaker", speaker.strip() or None, note)
                    changed.append("speaker")
                if org.strip() != (s.get("organization") or ""):
                    backend.correct(kb(), s["id"], "organization", org.strip() or None, note)
                    changed.append("company")
                if stance != "(unchanged)" and topic != "—" and stance != current:
                    backend.correct(kb(), s["id"], f"stance:{topic}", stance, note)
                    changed.append("stance")
            except KbError as e:  # e.g. the statement was re-extracted meanwhile: one line
                clear_data()
                st.error(md_text(f"Not saved: {e}"))
                return
            st.session_state.pop("_fixing", None)
            if changed:
                clear_data()
                st.session_state["_flash"] = f"Saved correction ({', '.join(changed)})."
                st.rerun()
            else:
                st.info("Nothing changed.")
        if cancel:
            st.session_state.pop("_fixing", None)
            st.rerun()


def flash() -> None:
    msg = st.session_state.pop("_flash", None)
    if msg:
        st.success(msg)


def cjk_chart(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Every text in the chart in a font with Chinese (both scripts) and Latin glyphs."""
    return (
        chart.configure(font=CJK_FONT)
        .configure_axis(labelFont=CJK_FONT, titleFont=CJK_FONT)
        .configure_legend(labelFont=CJK_FONT, titleFont=CJK_FONT)
        .configure_header(labelFont=CJK_FONT, titleFont=CJK_FONT)
        .configure_title(font=CJK_FONT)
    )


def stance_chart(rows: list[dict[str, Any]], *, key: str, height: int | None = None) -> Any:
    """A stance matrix over time: one row per topic, one column per period, a dot per stance sized
    by its number of statements. Clicking a dot selects it (see `statements_behind`).
    Returns Streamlit's selection state."""
    df = pd.DataFrame(
        [{"period": r["period"], "topic": topic_name(r["topic"]), "topic_id": r["topic"],
          "stance": r["stance"] or "neutral", "count": r["count"]} for r in rows]
    )  # fmt: skip
    pick = alt.selection_point(name="bar", fields=["period", "topic_id", "stance"])
    stance_scale = alt.Scale(domain=list(STANCE_COLORS), range=list(STANCE_COLORS.values()))
    chart = (
        alt.Chart(df)
        .mark_circle(opacity=0.9, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("period:O", title=None, sort="ascending", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("stance:N", scale=alt.Scale(domain=list(STANCE_COLORS))),
            y=alt.Y("topic:N", title=None, axis=alt.Axis(labelLimit=380)),
            size=alt.Size(
                "count:Q",
                title="statements",
                scale=alt.Scale(domainMin=0, range=[0, 900]),
                legend=alt.Legend(orient="top", format="d", values=sorted({1, int(df["count"].max())})),
            ),  # fmt: skip
            color=alt.Color("stance:N", scale=stance_scale, legend=alt.Legend(title="stance", orient="top")),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
            tooltip=["period", "topic", "stance", "count"],
        )
        .add_params(pick)
        .properties(height=alt.Step(height or 46))
    )
    return st.altair_chart(
        cjk_chart(chart), key=key, on_select="rerun", selection_mode="bar", width="stretch"
    )


def compare_chart(rows: list[dict[str, Any]], *, key: str) -> Any:
    """Companies side by side on one topic: one row per company, one column per period, a dot per
    stance sized by its number of statements. Returns Streamlit's selection state."""
    df = pd.DataFrame(
        [{"period": r["period"], "company": r["company"], "company_id": r["company_id"],
          "stance": r["stance"] or "neutral", "count": r["count"]} for r in rows]
    )  # fmt: skip
    pick = alt.selection_point(name="bar", fields=["period", "company_id", "stance"])
    chart = (
        alt.Chart(df)
        .mark_circle(opacity=0.9, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("period:O", title=None, sort="ascending", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("stance:N", scale=alt.Scale(domain=list(STANCE_COLORS))),
            y=alt.Y("company:N", title=None, sort=list(dict.fromkeys(df["company"])), axis=alt.Axis(labelLimit=380)),
            size=alt.Size("count:Q", title="statements", scale=alt.Scale(domainMin=0, range=[0, 900]),
                          legend=alt.Legend(orient="top", format="d", values=sorted({1, int(df["count"].max())}))),
            color=alt.Color("stance:N", scale=alt.Scale(domain=list(STANCE_COLORS), range=list(STANCE_COLORS.values())),
                            legend=alt.Legend(title="stance", orient="top")),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
            tooltip=["period", "company", "stance", "count"],
        )
        .add_params(pick)
        .properties(height=alt.Step(56))
    )  # fmt: skip
    return st.altair_chart(
        cjk_chart(chart), key=key, on_select="rerun", selection_mode="bar", width="stretch"
    )


def compared_statements(rows: list[dict[str, Any]], state: Any, key: str) -> None:
    """The statements behind one dot of `compare_chart`: the clicked one, or one picked from a list."""
    if not rows:
        return
    labels = [f"{r['period']} · {r['company']} · {r['stance']} ({r['count']})" for r in rows]
    picked = picked_bar(state) or {}
    index = next((i for i, r in enumerate(rows) if (r["period"], r["company_id"], r["stance"]) ==
                  (picked.get("period"), picked.get("company_id"), picked.get("stance"))), 0)  # fmt: skip
    choice = st.selectbox("Period · company · stance (or click a dot in the chart)", range(len(rows)), index=index,
                          format_func=lambda i: labels[i], key=f"cbar-{key}")  # fmt: skip
    for s in backend.statements_by_ids(kb(), rows[choice]["statement_ids"][:50]):
        statement_card(s, key=f"{key}-cbar-", corrections=False)


def picked_bar(state: Any) -> dict[str, Any] | None:
    """The bar a user clicked in `stance_chart`, as {period, topic_id, stance}."""
    try:
        points = state["selection"]["bar"]
    except (KeyError, TypeError):
        return None
    return points[0] if points else None


def statements_behind(rows: list[dict[str, Any]], state: Any, key: str) -> None:
    """The statements behind one bar: the clicked one, or one picked from a list."""
    if not rows:
        return
    labels = [f"{r['period']} · {topic_name(r['topic'])} · {r['stance']} ({r['count']})" for r in rows]
    picked = picked_bar(state)
    index = 0
    if picked:
        for i, r in enumerate(rows):
            if (r["period"], r["topic"], r["stance"]) == (
                picked.get("period"),
                picked.get("topic_id"),
                picked.get("stance"),
            ):
                index = i
    choice = st.selectbox("Period · topic · stance (or click a dot in the chart)", range(len(rows)), index=index,
                          format_func=lambda i: labels[i], key=f"bar-{key}")  # fmt: skip
    # A busy month's dot stands for hundreds of statements: 30 cards at a time.
    ids = rows[choice]["statement_ids"]
    more = f"behind-shown-{key}-{choice}"
    shown = st.session_state.get(more, 30)
    for s in backend.statements_by_ids(kb(), ids[:shown]):
        statement_card(s, key=f"{key}-bar-")
    if len(ids) > shown and st.button(f"Show more ({len(ids) - shown:,} left)", key=f"more-{more}"):
        st.session_state[more] = shown + 30
        st.rerun()


def changes_table(items: list[dict[str, Any]]) -> None:
    if not items:
        st.info("Nothing changed in this window.")
        return

    def what(c: dict[str, Any]) -> str:
        if c.get("change") == "first":
            return "first statement on the topic"
        if c.get("change") == "shift":
            return f"stance {c.get('previous_stance') or '—'} → {c.get('stance') or '—'}"
        return str(c.get("change") or "")

    df = pd.DataFrame(
        [{"period": c["period"], "topic": topic_name(c["topic"]), "change": what(c),
          "stance": c.get("stance") or "", "statements": len(c.get("statement_ids") or [])}
         for c in sorted(items, key=lambda c: c["period"], reverse=True)]
    )  # fmt: skip
    st.dataframe(df, hide_index=True, width="stretch")


def stance_section(rows: list[dict[str, Any]], *, key: str) -> None:
    """A person's or company's stance chart by topic, with the statements behind any dot."""
    if rows:
        state = stance_chart(rows, key=f"chart-{key}")
        # Built only when opened: a busy month's dot stands for hundreds of statements.
        behind = st.expander("Statements behind a dot", key=f"behind-{key}", on_change="rerun")
        if behind.open:
            with behind:
                statements_behind(rows, state, key=key)
    else:
        st.caption("No statement on a known topic yet.")


def paged_statements(ident: str, *, card_key: str, **where: Any) -> None:
    """Statements newest first, 20 cards a page: a busy speaker has tens of thousands, and one
    row more than shown tells whether there is a next page."""
    from ui.data import q

    shown = st.session_state.get(f"shown-{ident}", 20)
    stmts = q("statements_of", limit=shown + 1, **where)
    st.subheader(f"Statements ({q('count_statements_of', **where):,}), newest first")
    for s in stmts[:shown]:
        statement_card(s, key=card_key)
    if len(stmts) > shown and st.button("Show more", key=f"more-{ident}"):
        st.session_state[f"shown-{ident}"] = shown + 20
        st.rerun()

"""Every page of the app under Streamlit's AppTest, on a real KB built from tests/fixtures/ui."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "ui" / "app.py")


def build_fixture_kb(home: Path) -> None:
    """The app's fixture KB (tests/fixtures/ui/build_kb.py) written into `home`."""
    spec = importlib.util.spec_from_file_location("ui_fixture_kb", ROOT / "tests/fixtures/ui/build_kb.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(home).close()


@pytest.fixture
def kb_home(home: Path) -> Path:
    build_fixture_kb(home)
    return home


def run_app(page: str | None = None, **query_params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query_params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown sources, text, captions, titles)."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    parts += [t.value for t in at.title] + [h.value for h in at.header] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


def unescape(md: str) -> str:
    return md.replace("\\", "")


def test_search_finds_quote_with_speaker_chip_and_syndication(kb_home: Path) -> None:
    at = run_app()
    assert "Latest statements" in texts(at)
    at.text_input(key="q").set_value("王小川 价格战").run()
    assert not at.exception
    pills = at.get("button_group")
    assert pills and any("王小川" in o for o in pills[0].options)  # the parsed speaker, as a chip
    shown = unescape(texts(at))
    assert "不建议创业公司参与" in shown and "纯API模式" in shown
    assert "王小川 · 创始人兼CEO · 百川智能" in shown
    assert "also in 1 source" in shown  # 36氪 and 虎嗅 carry the same quote: one card
    assert shown.count("纯API模式在国内很难走通”") == 1
    assert "价格战**]" in shown  # the matched word is highlighted
    assert "https://example.com/" in shown  # link to the article
    csv = at.get("download_button")
    assert csv, "CSV export button"


def test_search_removing_a_chip_widens_the_results(kb_home: Path) -> None:
    at = run_app()
    at.text_input(key="q").set_value("李彦宏").run()
    narrow = unescape(texts(at))
    assert "闭源模型在能力上会持续领先开源模型" in narrow
    assert "不建议创业公司参与" not in narrow
    at.get("button_group")[0].set_value([]).run()  # remove the speaker chip
    assert not at.exception


def test_search_traditional_script_and_english_name(kb_home: Path) -> None:
    at = run_app()
    at.text_input(key="q").set_value("价格战 营销").run()
    assert "價格戰更多是營銷" in unescape(texts(at))  # simplified query finds traditional text
    at.text_input(key="q").set_value("Robin Li").run()
    assert "闭源模型在能力上会持续领先开源模型" in unescape(texts(at))


def test_search_sidebar_filters_and_nothing_found(kb_home: Path) -> None:
    at = run_app()
    at.sidebar.multiselect(key="f_people").set_value(["tan-dai"]).run()
    shown = unescape(texts(at))
    assert "成本必须降下来" in shown and "不建议创业公司参与" not in shown
    at.sidebar.checkbox(key="f_use_dates").check().run()
    at.sidebar.date_input(key="f_since").set_value(date(2030, 1, 1))
    at.sidebar.date_input(key="f_until").set_value(date(2030, 12, 31)).run()  # a window with nothing
    assert not at.exception
    assert any("No statement matches" in i.value for i in at.info)


def test_feed_content_is_text_never_markup(kb_home: Path) -> None:
    at = run_app()
    at.text_input(key="q").set_value("雷军").run()
    md = "\n".join(m.value for m in at.markdown)
    assert "alert" in md
    # Every Markdown/HTML special of the hostile statement reaches st.markdown escaped.
    assert "<script>" not in md and "\\<script\\>" in md
    assert "**加粗**" not in md and "\\*\\*加粗\\*\\*" in md
    assert "[点我](javascript" not in md
    assert ":red[" not in md and ":smile:" not in md
    assert "$x^2$" not in md


def test_people_page_shows_roles_aliases_statements_and_chart(kb_home: Path) -> None:
    at = run_app("people", id="li-yanhong")
    shown = unescape(texts(at))
    assert "李彦宏" in shown and "Robin Li" in shown
    assert "李彥宏" in shown  # aliases
    assert "Statements (3), newest first" in shown
    quotes = [m.value for m in at.markdown if m.value.startswith("#### “")][-3:]  # the list, after the chart
    assert "闭源模型在能力上会持续领先开源模型" in quotes[-1]  # newest first: April 2024 comes last
    roles = at.dataframe[0].value
    assert "百度" in set(roles["company"]) and any("董事长" in t for t in roles["title"])
    assert at.get("vega_lite_chart"), "stance chart"


def test_stance_chart_uses_a_cjk_font(kb_home: Path) -> None:
    at = run_app("people", id="li-yanhong")
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "Noto Sans CJK SC" in spec


def test_companies_page_people_statements_and_compare(kb_home: Path) -> None:
    at = run_app("companies", id="baichuan")
    shown = unescape(texts(at))
    assert "百川智能" in shown and "Baichuan AI" in shown
    assert "王小川" in "".join(at.dataframe[0].value["name"])
    assert "不建议创业公司参与价格战" in shown
    assert not at.get("selectbox") or "other" not in [b.key for b in at.selectbox]  # built when opened
    at.session_state["company_tab"] = "Compare"  # what clicking the tab does (AppTest has no tab click)
    at.run()
    at.selectbox(key="other").set_value("volcano-engine")
    at.selectbox(key="cmp_topic").set_value("pricing").run()
    assert not at.exception
    assert "成本必须降下来" in unescape(texts(at))  # the other company's statement on the topic


def test_timelines_page_changes_and_statements_behind_a_bar(kb_home: Path) -> None:
    at = run_app("timelines")
    at.radio(key="tl_kind").set_value("person").run()
    at.selectbox(key="tl_person").set_value("li-yanhong").run()
    assert not at.exception
    changes = at.dataframe[0].value
    assert "stance against → for" in set(changes["change"])  # the stance moved in July
    bar = at.selectbox(key="bar-tl-li-yanhong")
    assert bar.options[0].startswith("2024-04") and any(o.startswith("2024-07") for o in bar.options)
    bar.set_value(0).run()  # the first bar: April 2024, open source, against
    assert "闭源模型在能力上会持续领先开源模型" in unescape(texts(at))


def test_digests_page_add_edit_remove_subscription(kb_home: Path) -> None:
    at = run_app("digests")
    at.text_input(key="addr-0").set_value("analyst@example.com")
    at.multiselect(key="sp-0").set_value(["wang-xiaochuan"])
    at.button[0].click().run()  # Save (the form's first submit button)
    assert not at.exception
    db = sqlite3.connect(kb_home / "kb.sqlite3")
    rows = db.execute("SELECT id, address, people FROM subscriptions").fetchall()
    assert rows and rows[0][1] == "analyst@example.com" and "wang-xiaochuan" in rows[0][2]
    sid = rows[0][0]
    at.selectbox(key="sub_pick").set_value(sid).run()
    at.text_input(key=f"sq-{sid}").set_value("价格战")
    at.button[0].click().run()
    assert db.execute("SELECT query FROM subscriptions WHERE id = ?", (sid,)).fetchone()[0] == "价格战"
    at.selectbox(key="sub_pick").set_value(sid).run()
    at.button[1].click().run()  # Remove
    assert db.execute("SELECT COUNT(*) FROM subscriptions").fetchone()[0] == 0


def test_digests_page_rejects_a_bad_address(kb_home: Path) -> None:
    at = run_app("digests")
    at.text_input(key="addr-0").set_value("not an address\r\nBcc: x@y.z")
    at.button[0].click().run()
    assert at.error and "Not saved" in at.error[0].value
    assert (
        sqlite3.connect(kb_home / "kb.sqlite3").execute("SELECT COUNT(*) FROM subscriptions").fetchone()[0]
        == 0
    )


def test_sources_page_lists_feeds_errors_and_stale(kb_home: Path) -> None:
    at = run_app("sources")
    df = at.dataframe[0].value
    assert "36氪" in set(df["name"]) and len(df) == 4
    assert any("HTTP 503" in e for e in df["error"])
    assert at.error and "\\<b\\>" in at.error[0].value  # the error text is shown as text
    assert at.metric[0].value == "4"


def test_correction_persists_and_is_shown(kb_home: Path) -> None:
    at = run_app("people", id="tan-dai")
    assert "成本必须降下来" in unescape(texts(at))
    # The card in the statement list (not the one behind the chart's bar) of the only statement.
    fix = next(b for b in at.button if b.key and b.key.startswith("fixbtn-p-") and "-bar-" not in b.key)
    sid = fix.key[len("fixbtn-p-") :]
    fix.click().run()  # opens the correction form of that card
    at.text_input(key=f"org-p-{sid}").set_value("字节跳动")
    at.selectbox(key=f"tp-p-{sid}").set_value("pricing")
    at.selectbox(key=f"st-p-{sid}").set_value("mixed")
    save = next(b for b in at.button if b.key == f"FormSubmitter:fix-p-{sid}-Save correction")
    save.click().run()
    assert not at.exception
    db = sqlite3.connect(kb_home / "kb.sqlite3")
    fixes = db.execute("SELECT field, old, new FROM corrections WHERE statement_id = ?", (sid,)).fetchall()
    assert ("organization", "火山引擎", "字节跳动") in fixes and ("stance:pricing", "for", "mixed") in fixes
    row = db.execute("SELECT organization, corrected FROM statements WHERE id = ?", (sid,)).fetchone()
    assert row == ("字节跳动", 1)
    assert db.execute("SELECT stance, origin FROM statement_topics WHERE statement_id = ? AND topic = 'pricing'",
                      (sid,)).fetchone() == ("mixed", "manual")  # fmt: skip
    shown = texts(at)
    assert ":orange-badge[corrected]" in shown and "Saved correction" in "".join(s.value for s in at.success)
    at.switch_page("pages/corrections.py").run()
    assert "字节跳动" in set(at.dataframe[0].value["now"])


def test_every_page_opens_on_an_empty_kb(home: Path) -> None:
    for page in [None, "people", "companies", "timelines", "digests", "sources", "corrections"]:
        run_app(page)


def test_md_text_escapes_everything_markdown_acts_on() -> None:
    spec = importlib.util.find_spec("ui.components")
    assert spec is not None
    from ui.components import md_text, safe_url

    out = md_text("<img src=x onerror=alert(1)> # h1 *a* _b_ `c` ~~d~~ :blue[e] :rocket: $f$ |g|")
    assert re.search(r"(?<!\\)[<>*_`~\[\]$#|]", out) is None, out  # every special is escaped
    assert ":rocket:" not in out.replace("\\", "")  # the emoji short code is broken up
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url("https://example.com/a b)") == "https://example.com/a%20b%29"


def test_digests_page_previews_the_digest_as_sent(kb_home: Path) -> None:
    pytest.importorskip("kb.digest")
    at = run_app("digests")
    shown = "\n".join(t.value for t in at.text)
    assert "言论周报" in shown  # the subject line of the e-mail
    assert "开源能让生态更快成长" in shown  # the plain-text part: the newest week's statements
    assert any(b.label == "Download as .eml" for b in at.get("download_button"))


def _orphan_a_fix(kb_home: Path) -> tuple[str, str]:
    """Two fixes through the library; then a re-extraction drops the first one's statement (as
    kb.corrections.follow leaves it: the row kept, marked orphaned) and finds the second satisfied."""
    from kb.config import load_settings
    from kb.corrections import apply
    from kb.store import Store

    store = Store(load_settings(kb_home).db_path)
    gone, kept = (r[0] for r in store.db.execute(
        "SELECT id FROM statements WHERE speaker_id IN ('tan-dai', 'li-yanhong') ORDER BY speaker_id DESC, id LIMIT 2"
    ))  # fmt: skip
    quote = store.db.execute("SELECT text FROM statements WHERE id = ?", (gone,)).fetchone()[0]
    apply(store, gone, "organization", "字节跳动", None, note="orphan me")
    apply(store, kept, "organization", "百度智能云", None)
    with store.transaction() as db:
        db.execute("DELETE FROM statement_topics WHERE statement_id = ?", (gone,))
        db.execute("DELETE FROM statements WHERE id = ?", (gone,))
        db.execute("UPDATE corrections SET status = 'orphaned' WHERE statement_id = ?", (gone,))
        db.execute("UPDATE corrections SET status = 'satisfied' WHERE statement_id = ?", (kept,))
    store.close()
    return gone, quote


def test_corrections_page_shows_status_and_orphaned_fixes(kb_home: Path) -> None:
    _gone, quote = _orphan_a_fix(kb_home)
    at = run_app("corrections")
    assert [m.value for m in at.metric] == ["0", "1", "1"]  # applied, satisfied, orphaned
    assert at.warning and "1 fix lost its statement" in at.warning[0].value
    orphans, log = at.dataframe[0].value, at.dataframe[1].value
    assert list(orphans["quote"]) == [quote]  # the quote the fix was made on, though it is gone
    assert list(orphans["now"]) == ["字节跳动"] and list(orphans["note"]) == ["orphan me"]
    assert all(u.startswith("https://") for u in orphans["article"])
    assert set(log["status"]) == {"orphaned (statement gone)", "satisfied (the new extraction agrees)"}
    assert quote in set(log["statement"])  # the log keeps the lost statement's text too


def test_corrections_page_without_orphans_says_so(kb_home: Path) -> None:
    at = run_app("people", id="tan-dai")
    fix = next(b for b in at.button if b.key and b.key.startswith("fixbtn-p-"))
    sid = fix.key[len("fixbtn-p-") :]
    fix.click().run()
    at.text_input(key=f"org-p-{sid}").set_value("字节跳动")
    next(b for b in at.button if b.key == f"FormSubmitter:fix-p-{sid}-Save correction").click().run()
    at.switch_page("pages/corrections.py").run()
    assert not at.exception and not at.warning
    assert [m.value for m in at.metric] == ["1", "0", "0"]
    assert list(at.dataframe[0].value["status"]) == ["applied"]
    assert any("No orphaned fix" in c.value for c in at.caption)


def test_a_write_by_another_process_shows_on_the_next_rerun(kb_home: Path) -> None:
    """Query results are cached, keyed by SQLite's data_version: an ingest or `kb correct` in another
    process (here: another connection) is seen at once, without waiting for the cache to expire."""
    at = run_app("corrections")
    assert at.info and "No correction yet" in at.info[0].value
    _orphan_a_fix(kb_home)
    at.run()
    assert not at.exception and len(at.dataframe) == 2 and [m.value for m in at.metric] == ["0", "1", "1"]


def test_dates_are_the_sources_own_days(kb_home: Path) -> None:
    # 谭待's statement published at 01:30 China time on 15 May: stored as 17:30 UTC on the 14th
    db = sqlite3.connect(kb_home / "kb.sqlite3")
    with db:
        db.execute(
            "UPDATE statements SET published = '2024-05-14T17:30:00+00:00' WHERE speaker_id = 'tan-dai'"
        )
        db.execute(
            "UPDATE articles SET published = '2024-05-14T17:30:00+00:00', tz = '+08:00' "
            "WHERE id IN (SELECT article_id FROM statements WHERE speaker_id = 'tan-dai')"
        )
    db.close()
    at = run_app()
    at.sidebar.multiselect(key="f_people").set_value(["tan-dai"]).run()
    shown = unescape(texts(at))
    assert "成本必须降下来" in shown and "2024-05-15" in shown and "2024-05-14" not in shown
    at.sidebar.checkbox(key="f_use_dates").check().run()
    at.sidebar.date_input(key="f_since").set_value(date(2024, 5, 15))
    at.sidebar.date_input(key="f_until").set_value(date(2024, 5, 15)).run()
    assert "成本必须降下来" in unescape(texts(at))
    at.sidebar.date_input(key="f_since").set_value(date(2024, 5, 14))
    at.sidebar.date_input(key="f_until").set_value(date(2024, 5, 14)).run()
    assert "成本必须降下来" not in unescape(texts(at))


def test_search_marks_an_unsure_speaker_and_can_hide_it(kb_home: Path) -> None:
    """A statement the confidence model doubts carries an "unsure speaker" badge; the sidebar's "Hide
    unsure speakers" leaves it out and keeps the rest."""
    db = sqlite3.connect(kb_home / "kb.sqlite3")
    with db:
        db.execute("UPDATE statements SET confidence = 0.37 WHERE text LIKE '%纯API模式%'")
        db.execute("UPDATE statements SET confidence = 0.97 WHERE text NOT LIKE '%纯API模式%'")
    db.close()
    at = run_app()
    at.text_input(key="q").set_value("价格战").run()
    shown = unescape(texts(at))
    assert "纯API模式" in shown and "更多是營銷" in shown
    assert "unsure speaker · 0.37" in shown and shown.count("unsure speaker") == 1
    at.checkbox(key="f_hide_unsure").check().run()
    assert not at.exception
    hidden = unescape(texts(at))
    assert "纯API模式" not in hidden and "更多是營銷" in hidden


def test_the_kb_setting_moves_the_apps_mark(kb_home: Path) -> None:
    """The badge and "Hide unsure speakers" follow the KB's `unsure_below`, not a constant."""
    db = sqlite3.connect(kb_home / "kb.sqlite3")
    with db:
        db.execute(
            "UPDATE statements SET confidence = CASE WHEN text LIKE '%纯API模式%' THEN 0.37 ELSE 0.6 END"
        )
    db.close()
    (kb_home / "settings.toml").write_text('model = "fake"\nunsure_below = 0.5\n', encoding="utf-8")
    at = run_app()
    at.text_input(key="q").set_value("价格战").run()
    shown = unescape(texts(at))
    assert "unsure speaker · 0.37" in shown and "unsure speaker · 0.60" not in shown  # 0.6 is sure here
    assert "below 0.50" in at.sidebar.checkbox(key="f_hide_unsure").help
    at.checkbox(key="f_hide_unsure").check().run()
    hidden = unescape(texts(at))
    assert "纯API模式" not in hidden and "更多是營銷" in hidden
    at.text_input(key="q").set_value("").run()  # browsing the latest statements filters alike
    latest = unescape(texts(at))
    assert "纯API模式" not in latest and "开源能让生态更快成长" in latest


def test_a_bad_setting_is_one_line_in_the_app(kb_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_UNSURE_BELOW", "1.5")
    for page in [None, "digests"]:
        at = run_app(page)  # no exception reaches the page
        assert len(at.error) == 1
        assert unescape(at.error[0].value).startswith(
            "kb: setting unsure_below must be a confidence from 0 to 1 (got 1.5 from KB_UNSURE_BELOW)"
        )
        assert not at.text_input and not at.dataframe  # the page stops there


def test_digests_page_marks_and_can_leave_out_unsure_speakers(kb_home: Path) -> None:
    """The newest week (李彦宏, July): his open-source quote turns his April "against" into a stance
    shift, unless that quote is the unsure one; a subscription or the preview can leave it out."""
    db = sqlite3.connect(kb_home / "kb.sqlite3")
    at = run_app("digests")
    preview = "\n".join(t.value for t in at.text)
    assert "立场变化" in preview and "unsure speaker" not in preview  # no scores yet: nothing unsure
    with db:
        db.execute(
            "UPDATE statements SET confidence = CASE WHEN text LIKE '开源能让生态%' THEN 0.41 ELSE 0.97 END"
        )
    at.run()
    preview = "\n".join(t.value for t in at.text)
    assert "[发言人存疑 · unsure speaker · 0.41 — 李彦宏? 请核对原文 check the source]" in preview
    assert "立场变化" not in preview  # the shift stood on the doubtful quote only
    at.checkbox(key="d_hide_unsure").check().run()
    preview = "\n".join(t.value for t in at.text)
    assert "开源能让生态更快成长" not in preview and "文心大模型的调用量增长很快" in preview

    # a subscription that leaves them out: stored, listed, and its preview has no doubtful quote
    at.text_input(key="addr-0").set_value("cio@example.com")
    at.checkbox(key="sh-0").check()
    at.button[0].click().run()
    assert not at.exception
    assert db.execute("SELECT address, hide_unsure FROM subscriptions").fetchall() == [("cio@example.com", 1)]
    assert list(at.dataframe[0].value["unsure speakers"]) == ["left out"]
    at.selectbox(key="d_to").set_value("cio@example.com").run()
    preview = "\n".join(t.value for t in at.text)
    assert "cio@example.com" in preview and "开源能让生态更快成长" not in preview
    assert "文心大模型的调用量增长很快" in preview
    sid = db.execute("SELECT id FROM subscriptions").fetchone()[0]
    at.selectbox(key="sub_pick").set_value(sid).run()
    assert at.checkbox(key=f"sh-{sid}").value is True  # the edit form shows the stored choice

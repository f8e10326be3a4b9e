"""Unsure speakers in the digest (kb/digest/build.py, module docstring): a statement scored below the
KB's `unsure_below` and not corrected is listed with a visible "unsure speaker" mark, or left out for a
subscription with `hide_unsure`, and counts for nothing in "what changed" and "most quoted" — in the
window or in the history before it.

The KB is test_digest's `build_kb` (W20 before the window, W21 the window); each test sets
`statements.confidence` on the rows it is about, so the expectation can be read off the test.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from kb.digest import build_digest, list_subscriptions, render_html, render_text, subscribe
from kb.store import Store
from tests.test_digest import SINCE, UNTIL, build_kb, kb_cli

# 王小川 in W21 (the window), against price cuts: with his W20 "for" it is the stance shift of the week
AGAINST = "创业公司不应该卷入价格战，而应该找准自己的场景"
API = "API在国内很难成为一家创业公司的主要收入来源"  # 王小川 in W21, business_model: a new topic
W20_FOR = "大模型降价是好事，能让更多人用起来"  # 王小川 in W20, pricing: for
TEN_X = "推理成本每年下降十倍左右是可以预期的"  # 李开复 in W21


@pytest.fixture
def kb(home: Path) -> Store:
    store = Store(build_kb(home))
    store.db.execute("UPDATE statements SET confidence = 0.97")  # all confident, unless a test says not
    yield store
    store.close()


def score(store: Store, text_start: str, confidence: float | None, corrected: int = 0) -> None:
    n = store.db.execute(
        "UPDATE statements SET confidence = ?, corrected = ? WHERE text LIKE ?",
        (confidence, corrected, text_start + "%"),
    ).rowcount
    assert n >= 1, text_start


def items(d):  # type: ignore[no-untyped-def]
    return {i.text: i for g in d.groups for p in g.people for i in p.items}


def shifts(d) -> dict[tuple[str, str], tuple[str | None, str | None]]:  # type: ignore[no-untyped-def]
    return {(c.who, c.topic_id): (c.before, c.after) for c in d.stance_shifts}


def test_only_the_unsure_statement_is_marked_in_both_parts(kb: Store) -> None:
    score(kb, AGAINST, 0.62)
    d = build_digest(kb, SINCE, UNTIL)
    got = items(d)
    assert (got[AGAINST].unsure, got[AGAINST].confidence) == (True, 0.62)
    assert not got[API].unsure and got[API].confidence == 0.97  # same speaker, same article: confident
    assert [t for t, i in got.items() if i.unsure] == [AGAINST] and d.unsure_count == 1
    assert d.to_dict()["unsure_statements"] == 1

    text = render_text(d)
    assert text.count("unsure speaker") == 2  # the item's mark, and the count in the header
    # the mark is on the line right under the doubtful quote, naming the speaker in doubt
    line = text.splitlines()[text.splitlines().index(f"  {AGAINST}") + 1]
    assert line == "    [发言人存疑 · unsure speaker · 0.62 — 王小川? 请核对原文 check the source]"
    assert "1 statement with an unsure speaker (confidence below 0.90)" in text

    html = render_html(d)
    # one item table carries the badge, and it is the doubtful quote's, above its text; inline styles only
    tables = re.findall(
        r"<table role=\"presentation\" width=\"100%\"[^>]*style=\"margin:6px.*?</table>", html, re.S
    )
    marked = [t for t in tables if "unsure speaker" in t]
    assert len(marked) == 1 and AGAINST in marked[0] and API not in marked[0]
    badge = re.search(r'<span style="([^"]+)">发言人存疑 · unsure speaker · 0.62</span>', marked[0])
    assert badge and "background:#ffebe9" in badge.group(1)
    assert "王小川? 请核对原文 — check the source" in marked[0]
    assert "<style" not in html and "<script" not in html and "class=" not in html


def test_null_and_corrected_are_never_unsure(kb: Store) -> None:
    score(kb, AGAINST, None)  # no model: no claim either way
    score(kb, API, 0.12, corrected=1)  # an analyst fixed it
    d = build_digest(kb, SINCE, UNTIL)
    assert not any(i.unsure for i in items(d).values()) and d.unsure_count == 0
    assert "unsure speaker" not in render_text(d) + render_html(d)
    assert shifts(d)[("王小川", "pricing")] == ("for", "against")


def test_an_unsure_quote_makes_no_stance_shift_a_confident_one_does(kb: Store) -> None:
    assert shifts(build_digest(kb, SINCE, UNTIL))[("王小川", "pricing")] == ("for", "against")
    score(kb, AGAINST, 0.62)
    d = build_digest(kb, SINCE, UNTIL)
    assert ("王小川", "pricing") not in shifts(d)
    assert "立场变化" not in render_text(d) and "STANCE SHIFTS" not in render_html(d)
    assert items(d)[AGAINST].unsure  # still listed, marked
    # the same quote once an analyst has checked it: the shift is back
    score(kb, AGAINST, 0.62, corrected=1)
    assert shifts(build_digest(kb, SINCE, UNTIL))[("王小川", "pricing")] == ("for", "against")


def test_unsure_history_is_no_evidence(kb: Store) -> None:
    """An unsure statement before the window sets no stance to shift from and makes nobody known."""
    d = build_digest(kb, SINCE, UNTIL)
    assert ("王小川", "business_model") in {(c.who, c.topic_id) for c in d.new_topics}
    score(kb, W20_FOR, 0.4)
    d = build_digest(kb, SINCE, UNTIL)
    assert ("王小川", "pricing") not in shifts(d)  # nothing confident before: nothing to shift from
    # 王小川 was heard before only through an unsure statement: not "known", so no "first time on"
    assert not [c for c in d.new_topics if c.who in ("王小川", "百川智能")]


def test_most_quoted_counts_confident_statements_only(kb: Store) -> None:
    before = {q.name: q.count for q in build_digest(kb, SINCE, UNTIL).most_quoted}
    assert before["李开复"] == 2 and before["王小川"] == 2
    score(kb, TEN_X, 0.5)
    score(kb, AGAINST, 0.5)
    score(kb, API, 0.5)
    d = build_digest(kb, SINCE, UNTIL)
    after = {q.name: q.count for q in d.most_quoted}
    assert after["李开复"] == 1 and "王小川" not in after
    assert d.statement_count == 8 and d.unsure_count == 3  # all still listed


def test_a_confident_copy_vouches_for_a_syndicated_quote(kb: Store) -> None:
    ofo_cn, ofo_hk = "我们不希望大模型行业变成ofo", "我們不希望大模型行業變成ofo"
    score(kb, ofo_cn, 0.5)  # the copy the digest shows is unsure, the Hong Kong outlet's is not
    ofo = next(i for t, i in items(build_digest(kb, SINCE, UNTIL)).items() if "ofo" in t)
    assert (ofo.unsure, ofo.confidence, ofo.also_in) == (False, 0.97, ["港科財經（示範）"])
    score(kb, ofo_hk, 0.6)  # both unsure: unsure, with the better score
    ofo = next(i for t, i in items(build_digest(kb, SINCE, UNTIL)).items() if "ofo" in t)
    assert (ofo.unsure, ofo.confidence) == (True, 0.6)
    d = build_digest(kb, SINCE, UNTIL, hide_unsure=True)
    assert not any("ofo" in t for t in items(d))


def test_a_subscription_can_leave_unsure_speakers_out(kb: Store) -> None:
    score(kb, AGAINST, 0.62)
    marked = subscribe(kb, "ana@example.com", people=["王小川"])
    assert not marked.hide_unsure
    d = build_digest(kb, SINCE, UNTIL, marked)
    assert set(items(d)) == {AGAINST, API} and items(d)[AGAINST].unsure

    hidden = subscribe(kb, "bob@example.com", people=["王小川"], hide_unsure=True)
    assert hidden.hide_unsure and hidden.to_dict()["hide_unsure"] is True
    assert [s.hide_unsure for s in list_subscriptions(kb)] == [False, True]
    d = build_digest(kb, SINCE, UNTIL, hidden)
    assert set(items(d)) == {API} and d.hide_unsure and d.unsure_count == 0
    text = render_text(d)
    assert AGAINST not in text and "unsure speakers left out" in text  # follows: … (unsure speakers left out)
    assert "Statements with an unsure speaker (confidence below 0.90) are left out" in text
    assert AGAINST not in render_html(d)


def test_the_mark_moves_with_the_setting(kb: Store) -> None:
    score(kb, AGAINST, 0.62)
    score(kb, TEN_X, 0.93)

    def unsure(below: float) -> set[str]:
        return {t for t, i in items(build_digest(kb, SINCE, UNTIL, unsure_below=below)).items() if i.unsure}

    assert unsure(0.5) == set()
    assert unsure(0.9) == {AGAINST}
    assert unsure(0.95) == {AGAINST, TEN_X}
    d = build_digest(kb, SINCE, UNTIL, unsure_below=0.5)
    assert shifts(d)[("王小川", "pricing")] == ("for", "against") and d.unsure_count == 0
    assert "confidence below 0.95" in render_text(build_digest(kb, SINCE, UNTIL, unsure_below=0.95))


def test_cli_takes_the_mark_from_the_kb_and_hides_on_request(
    kb: Store, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    score(kb, AGAINST, 0.62)
    score(kb, TEN_X, 0.93)

    def digest(*extra: str) -> dict:  # type: ignore[type-arg]
        code, out, err = kb_cli(["digest", "--week", "2024-W21", "--json", *extra], capsys)
        assert code == 0, err
        return json.loads(out.splitlines()[0])

    def unsure(d: dict) -> set[str]:  # type: ignore[type-arg]
        return {i["text"] for g in d["groups"] for p in g["people"] for i in p["items"] if i["unsure"]}

    (home / "settings.toml").write_text('model = "fake"\nunsure_below = 0.5\n', encoding="utf-8")
    d = digest()
    assert unsure(d) == set() and d["unsure_below"] == 0.5 and d["stance_shifts"]
    monkeypatch.setenv("KB_UNSURE_BELOW", "0.95")
    d = digest()
    assert unsure(d) == {AGAINST, TEN_X} and d["unsure_statements"] == 2 and not d["stance_shifts"]
    d = digest("--hide-unsure")
    assert d["statements"] == 6 and d["unsure_statements"] == 0 and d["hide_unsure"] is True
    # the plain-text preview says so too
    code, out, _ = kb_cli(["digest", "--week", "2024-W21"], capsys)
    assert code == 0 and "[发言人存疑 · unsure speaker · 0.93 — 李开复? 请核对原文 check the source]" in out


def test_cli_subscribe_hide_unsure(kb: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kb_cli(["subscribe", "ana@example.com", "--person", "王小川", "--hide-unsure"], capsys)
    assert code == 0, err
    assert out.strip().endswith("people: 王小川 (unsure speakers left out)")
    code, out, _ = kb_cli(["subscriptions", "--json"], capsys)
    assert json.loads(out.splitlines()[0])["hide_unsure"] is True
    code, out, _ = kb_cli(["subscriptions"], capsys)
    assert "(unsure speakers left out)" in out
    # subscribing again replaces what the address follows, this flag included
    kb_cli(["subscribe", "ana@example.com", "--person", "王小川"], capsys)
    code, out, _ = kb_cli(["subscriptions", "--json"], capsys)
    assert json.loads(out.splitlines()[0])["hide_unsure"] is False


def test_migration_adds_the_flag_and_keeps_subscriptions(tmp_path: Path) -> None:
    """A KB at schema 6 with a subscription: m007 adds `hide_unsure`, off, and its digest is as before
    (unsure speakers listed, marked)."""
    from kb.store.migrations import MIGRATIONS

    home = tmp_path / "kb"
    home.mkdir()
    path = build_kb(home)  # the statements, at the current schema …
    old = tmp_path / "old.sqlite3"
    db = sqlite3.connect(old, isolation_level=None)
    for m in MIGRATIONS[:6]:  # … copied into a KB that stopped at schema 6
        m(db)
    db.execute("INSERT INTO meta VALUES ('schema_version', '6')")
    db.execute("ATTACH DATABASE ? AS cur", (str(path),))
    tables = "articles statements statement_topics people companies aliases affiliations"
    for table in tables.split():  # the columns a schema-6 table has (later migrations add some)
        cols = ", ".join(r[1] for r in db.execute(f"PRAGMA main.table_info({table})"))
        db.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM cur.{table}")
    db.execute("DETACH DATABASE cur")
    db.execute(
        "INSERT INTO subscriptions (address, people, companies, topics, query, created_at) "
        "VALUES ('ana@example.com', '[\"wang-xiaochuan\"]', '[]', '[\"pricing\"]', NULL, '2024-05-01T00:00:00+00:00')"
    )
    db.execute("UPDATE statements SET confidence = 0.62 WHERE text = ?", (AGAINST,))
    db.close()

    with Store(old) as store:
        assert store.schema_version() == len(MIGRATIONS) >= 7
        (sub,) = list_subscriptions(store)
        assert (sub.address, sub.people, sub.topics, sub.hide_unsure) == (
            "ana@example.com",
            ["wang-xiaochuan"],
            ["pricing"],
            False,
        )
        assert sub.created_at == "2024-05-01T00:00:00+00:00"
        d = build_digest(store, SINCE, UNTIL, sub)
        assert items(d)[AGAINST].unsure and d.unsure_count == 1

"""Digest logic: subscriptions, selection, grouping, "what changed", rendering and its safety.

The KBs are built with Store.add_article and Statements written here (no NLP involved), so each
expectation below can be read off `build_kb`.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest

from kb.config import load_settings
from kb.digest import (
    build_digest,
    eml_bytes,
    list_subscriptions,
    render,
    render_html,
    subscribe,
    unsubscribe,
    validate_address,
)
from kb.errors import KbError, UsageError
from kb.records import ParsedItem, Statement
from kb.store import Store

CST = timezone(timedelta(hours=8))
SINCE, UNTIL = date(2024, 5, 20), date(2024, 5, 26)  # ISO week 2024-W21


def st(
    text: str,
    speaker: str | None,
    *,
    kind: str = "indirect",
    type_: str = "person",
    title: str | None = None,
    org: str | None = None,
    topics: tuple[str, ...] = (),
    stance: str | None = None,
    mention: str | None = None,
) -> Statement:
    return Statement(
        text=text,
        start=0,
        end=len(text),
        kind=kind,  # type: ignore[arg-type]
        cue="表示",
        speaker=speaker,
        speaker_mention=mention or speaker or "一位不愿透露姓名的业内人士",
        speaker_type=type_,  # type: ignore[arg-type]
        anonymous=type_ == "unnamed",
        title=title,
        organization=org,
        topics=list(topics),
        stance=stance,  # type: ignore[arg-type]
        stances={t: stance for t in topics} if stance else {},  # type: ignore[misc]
    )


def add(store: Store, slug: str, when: str, outlet: str, statements: list[Statement]) -> None:
    """One article whose text is its statements (offsets made consistent)."""
    text, placed = "", []
    for s in statements:
        s.start, s.end = len(text), len(text) + len(s.text)
        text += s.text + "\n\n"
        placed.append(s)
    item = ParsedItem(
        title=f"标题 {slug}",
        text=text,
        url=f"https://demo.kb.invalid/{slug}",
        guid=f"https://demo.kb.invalid/{slug}",
        published=datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=CST),
        source=outlet,
        demo=True,
    )
    assert store.add_article(item, placed) is not None


OFO = "我们不希望大模型行业变成ofo那样，大家拼命烧钱，最后谁都没有赢"


def build_kb(home: Path) -> Path:
    """W20 (before the window): 王小川 for price cuts, 谭待 on pricing. W21 (the window): 王小川 against
    (a stance shift) and on a new topic (business_model), 谭待 again, 李开复's quote in two outlets
    and two scripts, an unnamed source, a media claim, an organisation statement."""
    s = load_settings(home)
    with Store(s.db_path) as store:
        add(store, "w20-wang", "2024-05-10 10:00", "科技速递（演示）", [
            st("大模型降价是好事，能让更多人用起来", "王小川", title="创始人兼CEO", org="百川智能",
               topics=("pricing",), stance="for"),
        ])  # fmt: skip
        add(store, "w20-tan", "2024-05-15 18:30", "科技速递（演示）", [
            st("只有成本降下来，才会有更多企业愿意尝试大模型", "谭待", title="总裁", org="火山引擎",
               topics=("pricing",), stance="for"),
        ])  # fmt: skip
        add(store, "w21-wang", "2024-05-22 16:40", "AI前哨（演示）", [
            st("创业公司不应该卷入价格战，而应该找准自己的场景", "王小川", title="创始人兼CEO", org="百川智能",
               topics=("pricing",), stance="against"),
            st("API在国内很难成为一家创业公司的主要收入来源", "王小川", kind="direct", title="创始人兼CEO",
               org="百川智能", topics=("business_model",), stance="against"),
        ])  # fmt: skip
        add(store, "w21-tan", "2024-05-21 09:00", "云端观察（演示）", [
            st("降价不是目的，目的是让大模型的应用尽快繁荣起来", "谭待", title="总裁", org="火山引擎",
               topics=("pricing",), stance="for"),
        ])  # fmt: skip
        add(store, "w21-lee", "2024-05-23 14:25", "科技速递（演示）", [
            st(OFO, "李开复", kind="direct", title="创始人兼CEO", org="零一万物", topics=("pricing",), stance="against"),
            st("推理成本每年下降十倍左右是可以预期的", "李开复", title="创始人兼CEO", org="零一万物",
               topics=("pricing",), stance="for"),
        ])  # fmt: skip
        add(store, "w21-lee-hk", "2024-05-24 08:50", "港科財經（示範）", [
            st("我們不希望大模型行業變成ofo那樣，大家拼命燒錢，最後誰都沒有贏", "李开复", kind="direct",
               title="創辦人兼行政總裁", org="零一萬物", mention="李開復", topics=("pricing",), stance="against"),
        ])  # fmt: skip
        add(store, "w21-misc", "2024-05-25 12:00", "AI前哨（演示）", [
            st("几家大厂有云业务托底，可以把模型当作引流工具", None, type_="unnamed", topics=("pricing",)),
            st("苹果已与百度、阿里巴巴等中国公司接触", "彭博社", type_="media"),
            st("相关消息不实", "字节跳动", type_="organization", org="字节跳动"),
        ])  # fmt: skip
        add(store, "w22-after", "2024-05-28 19:30", "云端观察（演示）", [
            st("长文本是通往通用智能的第一步", "杨植麟", title="创始人", org="月之暗面"),
        ])  # fmt: skip
    return s.db_path


@pytest.fixture
def kb(home: Path) -> Store:
    path = build_kb(home)
    store = Store(path)
    yield store
    store.close()


# -- addresses and subscriptions -----------------------------------------------------------------


@pytest.mark.parametrize(
    "good,expected",
    [
        ("ana@example.com", "ana@example.com"),
        ("Ana <ana.li+kb@mail.example.cn>", "ana.li+kb@mail.example.cn"),
    ],
)
def test_valid_addresses(good: str, expected: str) -> None:
    assert validate_address(good) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ana",
        "ana@",
        "@example.com",
        "ana@example.com\r\nBcc: evil@example.com",
        "ana@example.com\nX: y",
        "ana@exa mple.com",
        "a..b@example.com",
        "ana@-example.com",
        "ana@example.com, bob@example.com",
        '"a b"@example.com',
    ],
)
def test_invalid_addresses(bad: str) -> None:
    with pytest.raises(UsageError):
        validate_address(bad)


def test_subscribe_list_replace_unsubscribe(kb: Store) -> None:
    a = subscribe(kb, "Ana <ana@example.com>", people=["王小川"], topics=["价格战"])
    assert a.address == "ana@example.com" and a.topics == ["pricing"]
    b = subscribe(kb, "bob@example.com", companies=["火山引擎"], query="成本")
    assert [s.address for s in list_subscriptions(kb)] == ["ana@example.com", "bob@example.com"]
    # Subscribing again replaces what the address follows (one subscription per address).
    a2 = subscribe(kb, "ANA@example.com", topics=["open source"])
    subs = {s.address.lower(): s for s in list_subscriptions(kb)}
    assert (
        len(subs) == 2
        and subs["ana@example.com"].topics == ["open_source"]
        and subs["ana@example.com"].people == []
    )
    assert unsubscribe(kb, str(b.id)) == 1
    assert unsubscribe(kb, "ana@example.com") == 1
    assert unsubscribe(kb, "ana@example.com") == 0 and a2.id
    assert list_subscriptions(kb) == []


def test_subscribe_rejects_bad_input(kb: Store) -> None:
    with pytest.raises(UsageError):
        subscribe(kb, "not-an-address")
    with pytest.raises(KbError, match="topic"):
        subscribe(kb, "ana@example.com", topics=["no such topic at all"])
    assert list_subscriptions(kb) == []


# -- the digest as data ----------------------------------------------------------------------------


def _items(d):  # type: ignore[no-untyped-def]
    return [i for g in d.groups for p in g.people for i in p.items]


def test_everything_digest(kb: Store) -> None:
    d = build_digest(kb, SINCE, UNTIL)
    assert d.week == "2024-W21"
    items = _items(d)
    # 8 statements in the window; 李开复's syndicated copy is folded into "also in".
    assert len(items) == d.statement_count == 8
    ofo = next(i for i in items if "ofo" in i.text)
    assert ofo.outlet == "科技速递（演示）" and ofo.also_in == ["港科財經（示範）"]
    assert (
        ofo.date == "2024-05-23"
        and ofo.url == "https://demo.kb.invalid/w21-lee"
        and ofo.title == "创始人兼CEO"
    )
    assert "杨植麟" not in {i.speaker for i in items}  # outside the window
    kinds = {g.name: g.kind for g in d.groups}
    assert kinds["百川智能"] == kinds["零一万物"] == kinds["火山引擎"] == kinds["字节跳动"] == "company"
    assert "媒体报道 · Media reports" in kinds and "匿名信源 · Unnamed sources" in kinds
    # Companies come first, the busiest first; media and unnamed sources last.
    assert [g.kind for g in d.groups][-2:] == ["media", "unnamed"]
    assert d.people_count == 3  # 王小川, 谭待, 李开复 (not 字节跳动's official statement)
    assert [q.name for q in d.most_quoted][:2] == ["李开复", "王小川"]


def test_what_changed(kb: Store) -> None:
    d = build_digest(kb, SINCE, UNTIL)
    shifts = {(c.who, c.topic_id): (c.before, c.after) for c in d.stance_shifts}
    assert shifts[("王小川", "pricing")] == ("for", "against")
    assert ("谭待", "pricing") not in shifts  # for before, for now
    new = {(c.who, c.topic_id) for c in d.new_topics}
    assert ("王小川", "business_model") in new and ("百川智能", "business_model") in new
    assert ("王小川", "pricing") not in new  # spoke on pricing in W20
    assert ("李开复", "pricing") not in new  # first heard this week: nothing to compare with


def test_subscription_selects(kb: Store) -> None:
    def who(sub) -> set[str]:  # type: ignore[no-untyped-def]
        return {i.speaker for i in _items(build_digest(kb, SINCE, UNTIL, sub))}

    assert who(subscribe(kb, "a@example.com", people=["王小川"])) == {"王小川"}
    assert who(subscribe(kb, "a@example.com", people=["王小川"], topics=["business model"])) == {"王小川"}
    only_bm = build_digest(
        kb, SINCE, UNTIL, subscribe(kb, "a@example.com", people=["王小川"], topics=["business_model"])
    )
    assert only_bm.statement_count == 1
    assert who(subscribe(kb, "a@example.com", companies=["零一万物"])) == {"李开复"}
    assert who(subscribe(kb, "a@example.com", companies=["字节跳动"])) == {"字节跳动"}
    assert who(subscribe(kb, "a@example.com", query="成本 十倍")) == {"李开复"}
    assert who(subscribe(kb, "a@example.com", query="燒錢")) == {"李开复"}  # either script matches
    d = build_digest(kb, SINCE, UNTIL, subscribe(kb, "a@example.com", query="没有人说过这句话"))
    assert d.empty and d.statement_count == 0


def test_until_before_since(kb: Store) -> None:
    with pytest.raises(UsageError):
        build_digest(kb, UNTIL, SINCE)


# -- rendering ------------------------------------------------------------------------------------


def _parts(msg):  # type: ignore[no-untyped-def]
    parsed = message_from_bytes(eml_bytes(msg), policy=default_policy)
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert text.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
    return parsed, text.get_content(), html.get_content()


def test_render_multipart_utf8(kb: Store) -> None:
    d = build_digest(kb, SINCE, UNTIL)
    msg = render(d, to="ana@example.com", mail_from="kb 周报 <digest@kb.example>")
    parsed, text, html = _parts(msg)
    assert parsed["Subject"] == "kb 言论周报 2024-W21：8 条言论 · 3 位发言人 (8 statements, 3 people)"
    assert str(parsed["To"]) == "ana@example.com"
    assert parsed["From"].addresses[0].display_name == "kb 周报"
    assert parsed["Message-ID"].endswith("@kb.example>") and parsed["Date"]
    for body in (text, html):
        assert "王小川" in body and "百川智能" in body and "港科財經（示範）" in body
        assert "ofo" in body and "2024-05-23" in body and "https://demo.kb.invalid/w21-lee" in body
    assert "立场变化" in text and "支持 for -> 反对 against" in text
    assert "width:600px" in html and "<table" in html


def test_hostile_content_cannot_inject(home: Path) -> None:
    s = load_settings(home)
    evil = '<script>alert(1)</script>"\r\nBcc: victim@example.com\r\n'
    with Store(s.db_path) as store:
        add(store, "evil", "2024-05-21 10:00", "<b>outlet</b>\r\nX-Evil: 1", [
            st('<img src=x onerror="alert(2)"> 降价\r\nSubject: hacked', evil, title=evil, org="<i>公司</i>\r\nX-Org: 1",
               topics=("pricing",), stance="for"),
        ])  # fmt: skip
        store.db.execute("UPDATE articles SET url = 'javascript:alert(3)'")
        d = build_digest(store, SINCE, UNTIL)
    msg = render(d, to="ana@example.com")
    raw = eml_bytes(msg)
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert b"Bcc" not in header_block and b"X-Evil" not in header_block and b"X-Org" not in header_block
    assert b"hacked" not in header_block
    parsed, text, html = _parts(msg)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert "<script>" not in html and "<img" not in html and "<i>" not in html and "<b>outlet" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html
    assert "javascript:" not in html  # not a link
    assert "<script>alert(1)</script>" in text  # the text part shows it as text


def test_eml_file_parses(kb: Store, tmp_path: Path) -> None:
    msg = render(build_digest(kb, SINCE, UNTIL), to="ana@example.com")
    f = tmp_path / "d.eml"
    f.write_bytes(eml_bytes(msg))
    with f.open("rb") as fh:
        from email import message_from_binary_file

        parsed = message_from_binary_file(fh, policy=default_policy)
    assert parsed.is_multipart() and not parsed.defects
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert "李开复" in parsed.get_body(("html",)).get_content()


def test_render_empty_digest(home: Path) -> None:
    with Store(load_settings(home).db_path) as store:
        d = build_digest(store, SINCE, UNTIL)
    assert d.empty
    html = render_html(d)
    assert "No statements matched" in html
    assert "本周无新言论" in str(render(d, to="a@example.com")["Subject"])


# -- the CLI -----------------------------------------------------------------------------------------


def kb_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from kb.cli import main

    with pytest.raises(SystemExit) as e:
        main(args)
    out, err = capsys.readouterr()
    return int(e.value.code or 0), out, err


def test_cli_subscriptions(kb: Store, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kb_cli(
        ["subscribe", "ana@example.com", "--person", "王小川", "--topic", "pricing"], capsys
    )
    assert code == 0 and "subscribed ana@example.com" in out
    code, out, _ = kb_cli(["subscriptions", "--json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows[0]["address"] == "ana@example.com" and rows[0]["topics"] == ["pricing"]
    code, _, err = kb_cli(["subscribe", "bad\r\naddress@example.com"], capsys)
    assert code == 1 and err.startswith("kb: invalid email address") and len(err.strip().splitlines()) == 1
    code, out, _ = kb_cli(["unsubscribe", "ana@example.com"], capsys)
    assert code == 0
    code, _, err = kb_cli(["unsubscribe", "ana@example.com"], capsys)
    assert code == 1 and "no subscription" in err


def test_cli_digest_out_and_preview(kb: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d.eml"
    code, _, err = kb_cli(
        ["digest", "--since", "2024-05-20", "--until", "2024-05-26", "--out", str(out)], capsys
    )
    assert code == 0, err
    parsed = message_from_bytes(out.read_bytes(), policy=default_policy)
    assert "2024-W21" in parsed["Subject"]
    # Several recipients: FILE-<addr>.eml each.
    code, _, err = kb_cli(
        ["digest", "--week", "2024-W21", "--to", "a@example.com", "--to", "b@example.com", "--out", str(out)],
        capsys,
    )
    assert code == 0, err
    assert (tmp_path / "d-a@example.com.eml").exists() and (tmp_path / "d-b@example.com.eml").exists()
    code, out_text, _ = kb_cli(["digest", "--week", "2024-W21"], capsys)
    assert code == 0 and "王小川" in out_text and "2024-W21" in out_text
    code, out_json, _ = kb_cli(["digest", "--week", "2024-W21", "--json"], capsys)
    assert code == 0 and json.loads(out_json.splitlines()[0])["statements"] == 8
    code, _, err = kb_cli(["digest", "--since", "2024-05-26", "--until", "2024-05-20"], capsys)
    assert code == 1 and "before" in err


def test_default_window_is_last_full_week() -> None:
    from kb.cli.digest_cmd import window

    assert window(None, None, None, today=date(2024, 5, 27)) == (date(2024, 5, 20), date(2024, 5, 26))
    assert window(None, None, None, today=date(2024, 5, 29)) == (date(2024, 5, 20), date(2024, 5, 26))
    assert window(None, None, "2024-W21") == (date(2024, 5, 20), date(2024, 5, 26))

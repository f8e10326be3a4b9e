"""Hostile and broken input: each bad source gets one clear line, good ones are read, nothing is
expanded or leaked, and no half-parsed item comes out. Plus property tests (hypothesis)."""

from __future__ import annotations

import resource
import string
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import ingest
from ingest.clean import MAX_TEXT, TAG_RE, clean_html, clean_title, html_to_text, markdown_to_text
from ingest.dates import parse_date
from ingest.encoding import decode
from ingest.feeds import parse_feed
from kb.config import Settings
from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "ingest" / "hostile"
SECRET = (HOSTILE / "xxe-secret.dat").read_text(encoding="utf-8").split()[0]


@pytest.fixture(scope="module")
def reads() -> dict[str, ingest.SourceRead]:
    s = Settings(home=Path("/nonexistent"), per_host_delay_s=0)
    specs = ingest.expand_sources([str(HOSTILE)])
    return {Path(sp.location).name: ingest.read_source(sp, s, fetch_full_text=False) for sp in specs}


def test_folder_lists_feeds_only(reads: dict[str, ingest.SourceRead]) -> None:
    assert "xxe-secret.dat" not in reads
    assert len(reads) == len(list(HOSTILE.glob("*.xml")))


def test_good_feeds_read_and_failures_are_one_line(reads: dict[str, ingest.SourceRead]) -> None:
    failed = {name for name, r in reads.items() if r.error}
    assert failed == {"13-mismatched.xml", "14-empty.xml", "15-garbage.xml", "19-not-xml.xml"}
    for name in failed:
        err = reads[name].error or ""
        assert err.startswith(name + ":") and "\n" not in err and "Traceback" not in err
        assert reads[name].items == []
    assert "not a feed" in (reads["13-mismatched.xml"].error or "")
    assert "empty" in (reads["14-empty.xml"].error or "")
    assert "binary" in (reads["15-garbage.xml"].error or "")
    for r in reads.values():
        assert all("\n" not in e for e in r.errors)
    assert [i.title for i in reads["01-good.xml"].items] == [
        "王小川：创业公司不要参与价格战",
        "李开复：不能像 ofo 一样烧钱",
    ]
    (atom,) = reads["02-atom.xml"].items
    assert atom.published == datetime(2024, 5, 20, 2, 0, tzinfo=UTC) and "\n\n他说" in atom.text


def test_undeclared_chinese_encodings(reads: dict[str, ingest.SourceRead]) -> None:
    gb = reads["03-gb18030-undeclared.xml"]
    assert gb.encoding == "gb18030" and gb.name == "国标编码新闻"
    assert gb.items[0].title == "贾扬清：价格战更多是营销，对收入影响有限"
    assert gb.items[0].published == datetime(2024, 5, 22, 6, 5, tzinfo=UTC)
    big5 = reads["04-big5-undeclared.xml"]
    assert big5.encoding.startswith("big5") and big5.items[0].title == "李開復：推理成本每年下降十倍"


def test_entity_bombs_and_external_entities_never_expand(reads: dict[str, ingest.SourceRead]) -> None:
    for name in ("10-billion-laughs.xml", "11-xxe.xml"):
        r = reads[name]
        assert r.error is None and any("entity declarations ignored" in e for e in r.errors)
        for it in r.items:
            blob = it.title + it.text
            assert "lollol" not in blob and SECRET not in blob and "root:" not in blob
            assert "&" not in blob  # unresolved references are dropped, not shown


def test_billion_laughs_memory_stays_small(tmp_path: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = parse_feed((HOSTILE / "10-billion-laughs.xml").read_bytes(), label="bomb")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert r.error is None
    assert after - before < 50_000  # KiB; expanded, it would be gigabytes


def test_truncated_feed_keeps_only_complete_items(reads: dict[str, ingest.SourceRead]) -> None:
    r = reads["12-truncated.xml"]
    assert r.error is None
    assert [i.title for i in r.items] == ["完整的一条"]
    assert any("malformed XML" in e and "dropped 1" in e for e in r.errors)


def test_scripts_and_handlers_never_survive(reads: dict[str, ingest.SourceRead]) -> None:
    (it,) = reads["16-scripts.xml"].items
    assert it.title == "正常标题"
    assert it.text == "第一段正文。\n\n链接文字第二段。"
    for bad in ("alert", "onerror", "onclick", "javascript", "color:red", "<", ">"):
        assert bad not in it.title + it.text


def test_odd_dates(reads: dict[str, ingest.SourceRead]) -> None:
    by_title = {i.title: i for i in reads["17-dates.xml"].items}
    assert by_title["中文日期"].published == datetime(2024, 5, 15, 2, 30, tzinfo=UTC)
    assert by_title["无时区"].published == datetime(2016, 10, 26, 8, 53, 42, tzinfo=UTC)
    for t in ("无日期", "乱写的日期", "纪元"):
        assert by_title[t].published is None
    # dated items first, in date order; undated last
    assert [i.title for i in reads["17-dates.xml"].items][:2] == ["无时区", "中文日期"]


def test_duplicate_guids(reads: dict[str, ingest.SourceRead]) -> None:
    r = reads["18-duplicates.xml"]
    assert [(i.guid, i.text) for i in r.items] == [("dup-1", "原始内容。"), ("dup-2", "第一个版本。")]
    assert len(r.errors) == 1 and "dup-2" in r.errors[0] and "different content" in r.errors[0]


def test_item_of_many_megabytes_is_capped() -> None:
    para = "<p>" + "大模型价格战。" * 1000 + "</p>"
    body = para * 700  # ~5 MB of HTML, ~4.9 M characters of text
    data = (
        "<rss version='2.0'><channel><title>巨大</title><item><title>巨型条目</title><guid>big</guid>"
        f"<description><![CDATA[{body}]]></description></item>"
        "<item><title>正常</title><guid>ok</guid><description>正常条目。</description></item></channel></rss>"
    ).encode()
    assert len(data) > 5_000_000
    r = parse_feed(data, label="big.xml")
    assert r.error is None and len(r.items) == 2
    big = next(i for i in r.items if i.guid == "big")
    assert len(big.text) <= MAX_TEXT and big.text.endswith("。")
    assert any("cut to" in e for e in r.errors)


def test_file_over_size_limit(tmp_path: Path) -> None:
    p = tmp_path / "huge.xml"
    p.write_bytes(b"<rss>" + b" " * 2000 + b"</rss>")
    r = ingest.read_source(ingest.SourceSpec(str(p)), Settings(home=tmp_path, max_bytes=1000))
    assert r.error and "limit" in r.error


def test_opml_refuses_entities(tmp_path: Path) -> None:
    p = tmp_path / "bomb.opml"
    p.write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<opml><body><outline xmlUrl="https://x.example/&b;"/></body></opml>',
        encoding="utf-8",
    )
    (spec,) = ingest.expand_sources([str(p)])
    assert spec.error and "OPML" in spec.error


def test_feed_data_is_never_taken_for_a_file_name(tmp_path: Path) -> None:
    """feedparser opens a *str* that names a file; we always hand it a stream."""
    secret = tmp_path / "secret.xml"
    secret.write_text("<rss><channel><title>LEAKED</title></channel></rss>", encoding="utf-8")
    r = parse_feed(str(secret).encode(), label="x")
    assert r.error is not None and "LEAKED" not in (r.title or "")


# -- property tests ---------------------------------------------------------------------------

_TAGS = ["p", "br", "div", "script", "style", "img", "a", "b", "small", "iframe", "svg", "li", "table", "td"]
html_fragments = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    lambda inner: st.tuples(
        st.sampled_from(_TAGS),
        st.lists(inner, max_size=4),
        st.sampled_from(["", ' onclick="x()"', ' href="javascript:1"']),
    ).map(lambda t: f"<{t[0]}{t[2]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=20,
)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), html_fragments, st.binary().map(lambda b: b.decode("latin-1"))))
def test_cleaner_never_raises_and_never_outputs_markup(markup: str) -> None:
    text, _ = clean_html(markup)
    assert isinstance(text, str)
    assert not TAG_RE.search(text)
    assert "\x00" not in text
    assert "\n\n\n" not in text and text == text.strip()
    assert isinstance(clean_title(markup), str) and "\n" not in clean_title(markup)
    assert not TAG_RE.search(markdown_to_text(markup))


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200))
def test_plain_text_survives_cleaning(s: str) -> None:
    """Text without markup characters comes out with the same words (whitespace normalised)."""
    s = s.replace("<", "").replace(">", "").replace("&", "")
    assert html_to_text(s).split() == s.split()


@hsettings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.from_regex(r"\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?( \d{1,2}:\d{2})?", fullmatch=True),
    )
)
def test_date_parsing_never_raises(s: str) -> None:
    when, tz = parse_date(s)
    assert when is None or (when.tzinfo is not None and when.utcoffset().total_seconds() == 0)  # type: ignore[union-attr]
    assert len(tz) == 6 and tz[0] in "+-"


@hsettings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=2000), st.sampled_from([None, "gb2312", "big5", "utf-8", "bogus-charset", "utf-16"])
)
def test_decoding_and_parsing_never_raise(data: bytes, charset: str | None) -> None:
    text, enc, notes = decode(data, charset)
    assert isinstance(text, str) and enc
    r = parse_feed(data, label="fuzz.xml", http_charset=charset)
    assert (r.error is None) or ("\n" not in r.error and r.items == [])
    for it in r.items:
        assert not TAG_RE.search(it.text)


@hsettings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet=string.ascii_letters + "中文价格战<>&;/\"' ", max_size=40), min_size=1, max_size=5
    )
)
def test_any_item_text_round_trips_through_a_feed(texts: list[str]) -> None:
    from xml.sax.saxutils import escape

    items = "".join(
        f"<item><title>t{i}</title><guid>g{i}</guid><description>{escape(t)}</description></item>"
        for i, t in enumerate(texts)
    )
    r = parse_feed(f"<rss version='2.0'><channel><title>x</title>{items}</channel></rss>".encode(), label="x")
    assert r.error is None and len(r.items) == len(texts)
    for it in r.items:
        assert not TAG_RE.search(it.text)


@pytest.mark.parametrize(
    "markup",
    [
        "<div>" * 100_000 + "x",
        "&lt;!--" * 50_000,
        "&lt;a " * 50_000,
        "<" * 200_000,
        "[a](" * 50_000,
        "![a](" * 50_000,
        "**a" * 50_000 + "__" * 50_000,
    ],
    ids=["nested", "escaped-comments", "escaped-tags", "lt", "md-links", "md-images", "md-bold"],
)
def test_pathological_markup_stays_linear(markup: str) -> None:
    t = time.perf_counter()
    assert not TAG_RE.search(clean_html(markup)[0])
    assert not TAG_RE.search(markdown_to_text(markup))
    assert time.perf_counter() - t < 5  # quadratic regexes took minutes here


@pytest.mark.parametrize(
    "doc",
    [
        "<!DOCTYPE x [" * 50_000 + "<rss></rss>",
        "<rss>" + "<!ENTITY " * 50_000 + "</rss>",
        "<rss>" + "</aaaa" * 50_000 + "</rss>",
    ],
    ids=["doctypes", "stray-entities", "close-tags"],
)
def test_pathological_feeds_stay_linear(doc: str) -> None:
    t = time.perf_counter()
    r = parse_feed(doc.encode(), label="p.xml")
    assert r.error is None or "\n" not in r.error
    assert time.perf_counter() - t < 5

"""Fetching over HTTP from a local server the test starts (no internet): conditional GET, limits,
User-Agent, address checks, redirects, politeness, and full text for summary-only items."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import ingest
from ingest.net import BREAKER, FetchError, check_url, fetch
from kb.config import Settings
from tests.conftest import FIXTURES

Route = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str], float]] = field(default_factory=list)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for p, h, _ in self.requests if p == path]


@pytest.fixture
def server() -> Iterator[Server]:
    srv_state = Server(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            srv_state.requests.append(
                (self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            )
            route = srv_state.routes.get(self.path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                status, headers, body = route(self)
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers and "X-No-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body and status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    srv_state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    BREAKER.reset()
    try:
        yield srv_state
    finally:
        httpd.shutdown()
        httpd.server_close()
        BREAKER.reset()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, allow_private_network=True, per_host_delay_s=0.0, timeout_s=3.0)


GOOD = (FIXTURES / "ingest" / "hostile" / "01-good.xml").read_bytes()


def static(body: bytes, ctype: str = "application/rss+xml", **headers: str) -> Route:
    return lambda h: (200, {"Content-Type": ctype, **headers}, body)


def test_feed_url_with_conditional_get(server: Server, settings: Settings) -> None:
    etag, lm = '"v1"', "Wed, 15 May 2024 10:00:00 GMT"

    def feed(h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == lm:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": etag, "Last-Modified": lm}, GOOD

    server.routes["/feed"] = feed
    (spec,) = ingest.expand_sources([server.base + "/feed"])
    first = ingest.read_source(spec, settings, fetch_full_text=False)
    assert first.error is None and len(first.items) == 2 and first.name == "示例科技"
    assert first.etag == etag and first.last_modified == lm and not first.not_modified
    assert first.items[0].source_url == server.base + "/feed"

    again = ingest.read_source(spec, settings, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.items == [] and again.error is None
    assert again.etag == etag and again.last_modified == lm  # kept for the next run
    sent = server.hits("/feed")[-1]
    assert sent["if-none-match"] == etag and sent["if-modified-since"] == lm
    assert sent["user-agent"] == settings.user_agent and "kb-quotes" in sent["user-agent"]


def test_http_charset_overrides_declaration(server: Server, settings: Settings) -> None:
    body = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>国标</title>"
        "<item><title>杨植麟谈长文本</title><guid>1</guid><description>月之暗面创始人杨植麟表示，长文本是关键。</description>"
        "</item></channel></rss>"
    ).encode("gb18030")
    server.routes["/gb"] = static(body, "application/rss+xml; charset=gb2312")
    r = ingest.read_source(ingest.SourceSpec(server.base + "/gb"), settings, fetch_full_text=False)
    assert r.error is None and r.encoding == "gb18030" and r.items[0].title == "杨植麟谈长文本"


def test_encoding_fixture_served_with_its_header(server: Server, settings: Settings) -> None:
    from tests.conftest import shared

    f = shared(
        "feeds", "encoding", "tests_encoding_http_application_atom_xml_gb2312_charset_overrides_encoding.xml"
    )
    server.routes["/enc"] = static(f.read_bytes(), "application/atom+xml; charset='gb2312'")
    r = ingest.read_source(ingest.SourceSpec(server.base + "/enc"), settings, fetch_full_text=False)
    assert r.error is None and r.encoding == "gb18030"


def test_size_cap_streamed_and_gzip(server: Server, settings: Settings) -> None:
    big = b"<rss><channel>" + b"x" * 200_000 + b"</channel></rss>"
    server.routes["/big"] = static(big)
    # Without Content-Length the cap is enforced while streaming.
    server.routes["/big-stream"] = static(big, "text/xml", **{"X-No-Length": "1"})
    bomb = gzip.compress(b"<rss>" + b" " * 5_000_000 + b"</rss>")
    server.routes["/gzbomb"] = static(bomb, "text/xml", **{"Content-Encoding": "gzip"})
    settings.max_bytes = 100_000
    r = ingest.read_source(ingest.SourceSpec(server.base + "/big"), settings)
    assert r.error and "limit" in r.error
    r = ingest.read_source(ingest.SourceSpec(server.base + "/big-stream"), settings)
    assert r.error and "limit" in r.error
    r = ingest.read_source(ingest.SourceSpec(server.base + "/gzbomb"), settings)
    assert r.error and "limit" in r.error  # counted after decompression
    ok = gzip.compress(GOOD)
    server.routes["/gz"] = static(ok, "text/xml", **{"Content-Encoding": "gzip"})
    assert (
        len(ingest.read_source(ingest.SourceSpec(server.base + "/gz"), settings, fetch_full_text=False).items)
        == 2
    )


def test_timeout_and_http_errors(server: Server, settings: Settings) -> None:
    def slow(h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return 200, {}, GOOD

    server.routes["/slow"] = slow
    server.routes["/500"] = lambda h: (500, {}, b"oops")
    settings.timeout_s = 0.5
    t = time.monotonic()
    r = ingest.read_source(ingest.SourceSpec(server.base + "/slow"), settings)
    assert r.error and "timed out" in r.error and time.monotonic() - t < 1.4
    r = ingest.read_source(ingest.SourceSpec(server.base + "/404"), settings)
    assert r.error and "404" in r.error
    BREAKER.reset()
    r = ingest.read_source(ingest.SourceSpec(server.base + "/500"), settings)
    assert r.error and "500" in r.error


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost/feed",
        "http://10.1.2.3/feed",
        "http://192.168.0.1/feed",
        "http://172.16.5.4/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed",
        "http://0.0.0.0/feed",
        "http://[::ffff:127.0.0.1]/feed",
    ],
)
def test_default_refuses_private_addresses(url: str) -> None:
    with pytest.raises(FetchError, match="non-public|resolve"):
        check_url(url, allow_private=False)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_schemes(url: str) -> None:
    with pytest.raises(FetchError, match="only http"):
        check_url(url, allow_private=True)


def test_default_settings_refuse_local_server(server: Server, tmp_path: Path) -> None:
    server.routes["/feed"] = static(GOOD)
    r = ingest.read_source(
        ingest.SourceSpec(server.base + "/feed"), Settings(home=tmp_path, per_host_delay_s=0)
    )
    assert r.error and "non-public" in r.error and r.items == []
    assert server.requests == []  # refused before connecting


def test_redirects_are_rechecked(server: Server, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    server.routes["/moved"] = lambda h: (301, {"Location": "/feed"}, b"")
    server.routes["/feed"] = static(GOOD)
    server.routes["/to-file"] = lambda h: (302, {"Location": "file:///etc/passwd"}, b"")
    server.routes["/to-metadata"] = lambda h: (302, {"Location": "http://169.254.169.254/latest/"}, b"")
    server.routes["/loop"] = lambda h: (302, {"Location": "/loop"}, b"")
    r = ingest.read_source(ingest.SourceSpec(server.base + "/moved"), settings, fetch_full_text=False)
    assert r.error is None and len(r.items) == 2
    r = ingest.read_source(ingest.SourceSpec(server.base + "/to-file"), settings)
    assert r.error and "only http" in r.error
    r = ingest.read_source(ingest.SourceSpec(server.base + "/loop"), settings)
    assert r.error and "redirects" in r.error
    # Default safety, except that this test's own loopback server counts as public: the first hop
    # is fetched, the redirect to the cloud metadata address is refused before connecting.
    import ingest.net as net

    monkeypatch.setattr(net, "_blocked", lambda ip: ip.is_link_local)
    strict = Settings(home=settings.home, allow_private_network=False, per_host_delay_s=0, timeout_s=2)
    r = ingest.read_source(ingest.SourceSpec(server.base + "/to-metadata"), strict)
    assert server.hits("/to-metadata")
    assert r.error and "non-public" in r.error and "169.254.169.254" in r.error


def test_per_host_politeness_delay(server: Server, settings: Settings) -> None:
    server.routes["/feed"] = static(GOOD)
    settings.per_host_delay_s = 0.4
    for _ in range(3):
        fetch(server.base + "/feed", settings)
    times = [t for p, _, t in server.requests if p == "/feed"]
    assert len(times) == 3
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.35, gaps


def test_full_text_for_summary_only_items(server: Server, settings: Settings) -> None:
    article = (
        "<html><head><title>页面</title></head><body><nav>首页 科技 财经</nav><article>"
        "<h1>王小川：不要参与价格战</h1>"
        + "".join(
            f"<p>第{i}段：百川智能创始人王小川表示，创业公司不应卷入大模型价格战，纯 API 的商业模式很难走通，"
            f"需要找到自己的应用场景和用户价值。</p>"
            for i in range(1, 6)
        )
        + "<script>alert('x')</script></article><footer>版权所有</footer></body></html>"
    ).encode("utf-8")
    server.routes["/a/1"] = static(article, "text/html; charset=utf-8")
    feed = (
        "<rss version='2.0'><channel><title>摘要源</title>"
        f"<item><title>有全文页</title><link>{server.base}/a/1</link><guid>1</guid>"
        "<description>王小川谈价格战（摘要）</description></item>"
        f"<item><title>页面不存在</title><link>{server.base}/a/404</link><guid>2</guid>"
        "<description>这条只有摘要。</description></item>"
        "</channel></rss>"
    ).encode()
    server.routes["/summary.xml"] = static(feed)
    spec = ingest.SourceSpec(server.base + "/summary.xml")

    r = ingest.read_source(spec, settings, fetch_full_text=True)
    assert r.error is None
    full, missing = sorted(r.items, key=lambda i: i.guid or "")
    assert not full.summary_only and full.text.count("王小川表示") == 5 and "\n\n" in full.text
    assert "alert" not in full.text
    assert missing.summary_only and missing.text == "这条只有摘要。"
    assert any("full text not fetched for 1" in n for n in r.notes)
    assert server.hits("/a/1")[0]["user-agent"] == settings.user_agent

    # --no-fetch: no page requests, summaries kept and marked.
    before = len(server.requests)
    r = ingest.read_source(spec, settings, fetch_full_text=False)
    assert all(i.summary_only for i in r.items)
    assert len(server.requests) == before + 1  # the feed only


def test_unreachable_host_is_skipped_after_failures(settings: Settings) -> None:
    """A run without internet must not try every article page of a dead host."""
    from ingest.fulltext import fetch_full_text

    BREAKER.reset()
    reasons = [
        fetch_full_text(f"http://host-that-does-not-resolve.invalid/a/{i}", settings)[1] for i in range(6)
    ]
    assert all(reasons)
    assert "skipped" in (reasons[-1] or "")
    BREAKER.reset()


def test_connection_checks_the_address_it_reached(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name passed the check, but the socket lands on a loopback address."""
    import ingest.net as net

    server.routes["/feed"] = static(GOOD)
    monkeypatch.setattr(net, "check_url", lambda url, allow_private: ("127.0.0.1", 0))  # "public" answer
    strict = Settings(per_host_delay_s=0, timeout_s=2, allow_private_network=False)
    with pytest.raises(FetchError, match="connected address is not public"):
        fetch(server.base + "/feed", strict)
    assert server.requests == []  # refused before the request was sent

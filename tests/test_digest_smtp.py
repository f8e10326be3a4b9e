"""Delivery through a real SMTP server (aiosmtpd) that each test starts on loopback.

What is checked is what the server received, byte for byte where it matters: the envelope, the
headers (Chinese subject as encoded words that decode back exactly), both parts' UTF-8 text, and the
delivery record (re-run sends nothing; a stopped server gives one clear line, records nothing as
sent, and a later run delivers).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from kb.config import load_settings
from kb.digest import build_digest, render_html, render_text, run_digest, send_status, smtp_config, subscribe
from kb.digest.send import SmtpConfig
from kb.store import Store
from tests.test_digest import SINCE, UNTIL, build_kb, kb_cli

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
aiosmtpd_smtp = pytest.importorskip("aiosmtpd.smtp")


class Inbox:
    """aiosmtpd handler: keeps each message's envelope and raw bytes; refuses refuse-*@ addresses."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address.startswith("refuse"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "data": bytes(envelope.original_content),
            }
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    inbox = Inbox()
    port = free_port()
    c = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port)
    c.start()
    inbox.port = port  # type: ignore[attr-defined]
    inbox.controller = c  # type: ignore[attr-defined]
    yield inbox
    c.stop()


@pytest.fixture
def store(home: Path):  # type: ignore[no-untyped-def]
    s = Store(build_kb(home))
    yield s
    s.close()


def cfg(port: int, **kw: Any) -> SmtpConfig:
    return SmtpConfig("127.0.0.1", port, kw.pop("security", "starttls"), timeout=10, **kw)


def test_delivers_exact_message_once(store: Store, home: Path, server: Inbox) -> None:
    settings = load_settings(home)
    settings.mail_from = "kb 言论周报 <digest@kb.example>"
    res = run_digest(store, settings, SINCE, UNTIL, to=["ana@example.com"], smtp=cfg(server.port))
    assert [r.status for r in res] == ["sent"]
    assert len(server.messages) == 1
    got = server.messages[0]
    assert got["from"] == "digest@kb.example" and got["to"] == ["ana@example.com"]
    raw: bytes = got["data"]
    head, _ = raw.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    # Headers on the wire: ASCII only, Chinese as RFC 2047 encoded words that decode back exactly.
    assert all(max(line, default=0) < 128 for line in lines)
    assert b"To: ana@example.com" in lines and b"MIME-Version: 1.0" in lines
    assert b"Auto-Submitted: auto-generated" in lines
    assert b"X-KB-Window: 2024-05-20/2024-05-26" in lines
    msg = message_from_bytes(raw, policy=default_policy)
    expected = "kb 言论周报 2024-W21：8 条言论 · 3 位发言人 (8 statements, 3 people)"
    assert str(make_header(decode_header(msg["Subject"]))) == expected
    assert b"=?utf-8?" in head
    assert msg["From"].addresses[0].display_name == "kb 言论周报"
    assert msg["From"].addresses[0].addr_spec == "digest@kb.example"
    assert msg["Message-ID"] == res[0].message_id
    # Both parts: UTF-8, and their bytes decode to exactly what the templates render.
    d = build_digest(store, SINCE, UNTIL)
    d.address = "ana@example.com"
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert (
        text["Content-Type"].params["charset"] == "utf-8"
        and html["Content-Type"].params["charset"] == "utf-8"
    )
    assert text.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n") == render_text(d)
    assert html.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n") == render_html(d)
    assert "王小川" in text.get_content() and "李开复" in html.get_content()
    # The same run again sends nothing; --resend does.
    again = run_digest(store, settings, SINCE, UNTIL, to=["ana@example.com"], smtp=cfg(server.port))
    assert [r.status for r in again] == ["skipped"] and len(server.messages) == 1
    row = send_status(store, "ana@example.com", SINCE, UNTIL)
    assert row["status"] == "sent" and row["attempts"] == 1 and row["message_id"] == res[0].message_id
    re_sent = run_digest(
        store, settings, SINCE, UNTIL, to=["ana@example.com"], smtp=cfg(server.port), resend=True
    )
    assert [r.status for r in re_sent] == ["sent"] and len(server.messages) == 2
    # Another window is another digest.
    other = run_digest(
        store, settings, date(2024, 5, 27), date(2024, 6, 2), to=["ana@example.com"], smtp=cfg(server.port)
    )
    assert [r.status for r in other] == ["sent"] and len(server.messages) == 3


def test_subscribers_get_their_own_digest(store: Store, home: Path, server: Inbox) -> None:
    subscribe(store, "wang@example.com", people=["王小川"])
    subscribe(store, "lee@example.com", companies=["零一万物"])
    res = run_digest(store, load_settings(home), SINCE, UNTIL, smtp=cfg(server.port))
    assert {r.address: r.statements for r in res} == {"wang@example.com": 2, "lee@example.com": 2}
    by_rcpt = {m["to"][0]: message_from_bytes(m["data"], policy=default_policy) for m in server.messages}
    wang = by_rcpt["wang@example.com"].get_body(("plain",)).get_content()
    assert "王小川" in wang and "李开复" not in wang and "follows: people: 王小川" in wang
    lee = by_rcpt["lee@example.com"].get_body(("html",)).get_content()
    assert "李开复" in lee and "王小川" not in lee


def test_unsure_speakers_over_the_wire(store: Store, home: Path, server: Inbox) -> None:
    """The KB's mark decides what is unsure; a subscriber who leaves unsure speakers out does not get
    the doubtful quote, one who does not gets it with its mark in both parts, and neither is told of a
    stance shift that only the doubtful quote would make."""
    # 王小川, against: his stance shift of the week
    doubtful = "创业公司不应该卷入价格战，而应该找准自己的场景"
    store.db.execute(
        "UPDATE statements SET confidence = CASE WHEN text = ? THEN 0.62 ELSE 0.97 END", (doubtful,)
    )
    subscribe(store, "marked@example.com", people=["王小川"])
    subscribe(store, "hidden@example.com", people=["王小川"], hide_unsure=True)
    settings = load_settings(home)
    assert settings.unsure_below == 0.9
    res = run_digest(store, settings, SINCE, UNTIL, smtp=cfg(server.port))
    assert {r.address: (r.status, r.statements) for r in res} == {
        "marked@example.com": ("sent", 2),
        "hidden@example.com": ("sent", 1),
    }
    got = {m["to"][0]: message_from_bytes(m["data"], policy=default_policy) for m in server.messages}
    text = got["marked@example.com"].get_body(("plain",)).get_content()
    html = got["marked@example.com"].get_body(("html",)).get_content()
    assert doubtful in text
    assert "[发言人存疑 · unsure speaker · 0.62 — 王小川? 请核对原文 check the source]" in text
    assert doubtful in html and "发言人存疑 · unsure speaker · 0.62</span>" in html
    assert "立场变化" not in text and "STANCE SHIFTS" not in html
    for part in ("plain", "html"):
        body = got["hidden@example.com"].get_body((part,)).get_content()
        assert doubtful not in body and "unsure speaker · 0.62" not in body and "王小川" in body
    # A KB that draws the mark lower trusts the quote: no mark, and the shift is reported.
    settings.unsure_below = 0.5
    again = run_digest(store, settings, SINCE, UNTIL, smtp=cfg(server.port), to=["lower@example.com"])
    assert [r.status for r in again] == ["sent"]
    last = message_from_bytes(server.messages[-1]["data"], policy=default_policy)
    text = last.get_body(("plain",)).get_content()
    assert doubtful in text and "unsure speaker" not in text
    assert "王小川 / 价格战与定价: 支持 for -> 反对 against" in text


def test_stopped_server_then_retry(store: Store, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()  # nothing listens here
    args = ["digest", "--since", "2024-05-20", "--until", "2024-05-26", "--to", "ana@example.com"]
    code, out, err = kb_cli([*args, "--smtp", f"127.0.0.1:{port}"], capsys)
    assert code == 1
    # One clear line, and nothing else.
    assert err == (
        f"kb: could not connect to 127.0.0.1:{port}: connection refused; "
        "nothing recorded as sent, the next run retries\n"
    )
    row = send_status(store, "ana@example.com", SINCE, UNTIL)
    assert row["status"] == "failed" and "connection refused" in row["error"]
    # The server comes up; the next run delivers.
    inbox = Inbox()
    c = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port)
    c.start()
    try:
        code, _, err = kb_cli([*args, "--smtp", f"127.0.0.1:{port}"], capsys)
        assert code == 0, err
        assert len(inbox.messages) == 1
        row = send_status(store, "ana@example.com", SINCE, UNTIL)
        assert row["status"] == "sent" and row["attempts"] == 2 and row["error"] is None
        code, _, err = kb_cli([*args, "--smtp", f"127.0.0.1:{port}", "--json"], capsys)
        assert code == 0 and len(inbox.messages) == 1  # nothing twice
    finally:
        c.stop()


def test_refused_recipient_is_retried(store: Store, home: Path, server: Inbox) -> None:
    settings = load_settings(home)
    to = ["ana@example.com", "refuse-me@example.com"]
    res = {r.address: r for r in run_digest(store, settings, SINCE, UNTIL, to=to, smtp=cfg(server.port))}
    assert res["ana@example.com"].status == "sent"
    assert res["refuse-me@example.com"].status == "failed"
    assert "550" in (res["refuse-me@example.com"].error or "")
    assert send_status(store, "refuse-me@example.com", SINCE, UNTIL)["status"] == "failed"
    again = {
        r.address: r.status for r in run_digest(store, settings, SINCE, UNTIL, to=to, smtp=cfg(server.port))
    }
    assert again == {"ana@example.com": "skipped", "refuse-me@example.com": "failed"}
    assert send_status(store, "refuse-me@example.com", SINCE, UNTIL)["attempts"] == 2
    assert len(server.messages) == 1


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_and_login(
    store: Store, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = _self_signed(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        logins.append((auth_data.login, auth_data.password))
        return aiosmtpd_smtp.AuthResult(success=auth_data.password == b"s3cret")

    inbox, port = Inbox(), free_port()
    c = aiosmtpd_controller.Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
        authenticator=authenticator, auth_required=True,
    )  # fmt: skip
    c.start()
    try:
        # Login and the CA come from the environment and the KB's settings file, as in production.
        monkeypatch.setenv("KB_SMTP_USER", "digest")
        monkeypatch.setenv("KB_SMTP_PASSWORD", "s3cret")
        (home / "settings.toml").write_text(
            f'model = "fake"\ntimeout_s = 3.0\nsmtp_security = "starttls"\nsmtp_cafile = "{cert}"\n',
            encoding="utf-8",
        )
        settings = load_settings(home)
        server = smtp_config(settings, f"127.0.0.1:{port}")
        assert server is not None and server.cafile == str(cert) and server.user == "digest"
        res = run_digest(store, settings, SINCE, UNTIL, to=["ana@example.com"], smtp=server)
        assert [r.status for r in res] == ["sent"], res
        assert logins == [(b"digest", b"s3cret")] and len(inbox.messages) == 1
        # A wrong password: one clear failure, recorded as failed, nothing sent.
        monkeypatch.setenv("KB_SMTP_PASSWORD", "wrong")
        bad = run_digest(
            store,
            settings,
            SINCE,
            UNTIL,
            to=["bob@example.com"],
            smtp=smtp_config(settings, f"127.0.0.1:{port}"),
        )
        # (smtplib falls back from PLAIN to LOGIN, which this test server answers slowly: short timeout.)
        assert bad[0].status == "failed" and f"127.0.0.1:{port}" in (bad[0].error or "")
        assert send_status(store, "bob@example.com", SINCE, UNTIL)["status"] == "failed"
    finally:
        c.stop()


def test_off_loopback_tls_rules(server: Inbox) -> None:
    """Off the machine, STARTTLS is required (unless security = none) and a password never goes
    out unencrypted. The server is local; the config pretends it is remote."""
    from kb.digest.send import ConnectError, Mailer

    class Remote(SmtpConfig):
        loopback = False  # type: ignore[assignment]

    assert cfg(25).loopback and not SmtpConfig("192.0.2.1", 25).loopback
    with pytest.raises(ConnectError, match="does not offer STARTTLS"):
        Mailer(Remote("127.0.0.1", server.port, "starttls", timeout=5)).connect()
    with pytest.raises(ConnectError, match="refusing to send the SMTP password unencrypted"):
        Mailer(Remote("127.0.0.1", server.port, "none", user="u", password="p", timeout=5)).connect()
    m = Mailer(Remote("127.0.0.1", server.port, "none", timeout=5))
    m.connect()  # explicitly unencrypted, no password: allowed
    m.close()

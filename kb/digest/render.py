"""A Digest as an email: multipart/alternative (text/plain + text/html) from the Jinja2 templates
in kb/digest/templates, UTF-8 throughout.

Safety: the HTML template is autoescaped and only http(s) links are emitted, so no article or
speaker name can inject markup or script; headers are built from `email.headerregistry.Address`
objects and a subject made of counts and dates (with control characters stripped anyway), so
nothing from the content can add a header.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from kb.digest.build import Digest
from kb.digest.subscriptions import validate_address
from kb.errors import UsageError
from kb.records import confidence_text

STANCE = {"for": "支持 for", "against": "反对 against", "neutral": "中立 neutral", "mixed": "有保留 mixed"}
STANCE_COLOR = {"for": "#1a7f37", "against": "#cf222e", "mixed": "#bf8700", "neutral": "#8c959f"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def safe_url(url: Any) -> str | None:
    """The URL when it is a plain http(s) link, else None (no javascript:, data:, mailto: …)."""
    if not isinstance(url, str) or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def one_line(text: str) -> str:
    """A header-safe single line: control characters (CR, LF, NUL …) become a space."""
    return _CONTROL.sub(" ", text).strip()


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kb.digest", "templates"),
        # Autoescape for every HTML template; the text template is text/plain and stays raw.
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["stance"] = lambda s: STANCE.get(s or "", s or "")
    env.filters["stance_color"] = lambda s: STANCE_COLOR.get(s or "", "#d0d7de")
    env.filters["confidence"] = confidence_text
    return env


def render_text(digest: Digest) -> str:
    return environment().get_template("digest.txt.j2").render(digest=digest)


def render_html(digest: Digest) -> str:
    return environment().get_template("digest.html.j2").render(digest=digest)


def subject(digest: Digest) -> str:
    n, p = digest.statement_count, digest.people_count
    if digest.empty:
        return one_line(f"kb 言论周报 {digest.week}：本周无新言论 (no statements)")
    return one_line(f"kb 言论周报 {digest.week}：{n} 条言论 · {p} 位发言人 ({n} statements, {p} people)")


def parse_sender(mail_from: str) -> Address:
    """The From address from settings ("Name <addr>" or "addr"), validated like any address."""
    name, addr = parseaddr(one_line(mail_from or ""))
    try:
        addr = validate_address(addr)
    except UsageError:
        raise UsageError(f"invalid mail_from setting {mail_from!r} (expected 'Name <name@host>')") from None
    return Address(display_name=one_line(name), addr_spec=addr)


def render(
    digest: Digest,
    *,
    to: str | None = None,
    mail_from: str = "kb digest <digest@localhost>",
    now: datetime | None = None,
) -> EmailMessage:
    """The digest as a multipart/alternative message, ready for `smtplib.send_message` or a .eml."""
    sender = parse_sender(mail_from)
    msg = EmailMessage()
    msg["From"] = sender
    recipient = to or digest.address
    if recipient:
        msg["To"] = Address(addr_spec=validate_address(recipient))
    msg["Subject"] = subject(digest)
    msg["Date"] = format_datetime((now or datetime.now(UTC)).astimezone())
    # The domain of the sender, not the host's FQDN: no lookup, nothing about the machine leaks.
    msg["Message-ID"] = make_msgid(idstring="digest", domain=sender.domain or "localhost")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders stay quiet
    msg["X-KB-Window"] = f"{digest.since.isoformat()}/{digest.until.isoformat()}"
    msg.set_content(render_text(digest), subtype="plain", charset="utf-8")
    msg.add_alternative(render_html(digest), subtype="html", charset="utf-8")
    return msg


def eml_bytes(msg: EmailMessage) -> bytes:
    """The message as a standard .eml file (RFC 5322, CRLF line ends)."""
    return msg.as_bytes(policy=SMTP)

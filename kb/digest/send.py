"""Delivery that can be trusted: one email per recipient and window, recorded in `digest_sends`.

- A recipient whose digest for the window was sent is skipped on the next run (unless resend).
- A send is recorded as `sent` only after the SMTP server accepted the message; a failure
  (server down, recipient refused, TLS or login problem) is recorded as `failed` with its reason,
  so the next run retries it. A crash between the server's "250 OK" and our commit means one
  duplicate on the next run, never a lost digest (at-least-once, the safe side for a digest).
- TLS: `tls` (implicit TLS, port 465), `starttls` (required, except on loopback where a local
  relay without it is accepted) or `none`. A password is never sent unencrypted off the machine.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import socket
import ssl
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.digest.build import build_digest
from kb.digest.lookup import Names
from kb.digest.render import eml_bytes, render
from kb.digest.subscriptions import Subscription, list_subscriptions, validate_address
from kb.errors import UsageError

if TYPE_CHECKING:
    from kb.config import Settings
    from kb.store import Store

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
SECURITIES = tuple(DEFAULT_PORTS)
RETRY_NOTE = "nothing recorded as sent, the next run retries"


class DeliveryError(Exception):
    """A send that failed; `str()` is one line for the user and for digest_sends.error."""


class ConnectError(DeliveryError):
    """The session could not be opened (server down, TLS, login): no recipient can be reached."""


@dataclass
class SmtpConfig:
    host: str
    port: int
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    cafile: str | None = None  # extra CA to trust (a self-signed relay, the tests)

    @property
    def where(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def loopback(self) -> bool:
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_smtp(value: str, security: str = "starttls") -> tuple[str, int]:
    """'HOST:PORT', 'HOST' (the security's default port) or '[::1]:PORT'."""
    v = (value or "").strip()
    if security not in DEFAULT_PORTS:
        raise UsageError(f"smtp_security must be one of {', '.join(SECURITIES)} (got {security!r})")
    m = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::(\d+))?|([A-Za-z0-9.-]+)(?::(\d+))?", v)
    if not m:
        raise UsageError(f"cannot read the SMTP server {value!r} (expected HOST:PORT, e.g. 127.0.0.1:2525)")
    host = m.group(1) or m.group(3)
    port = int(m.group(2) or m.group(4) or DEFAULT_PORTS[security])
    if not 0 < port < 65536:
        raise UsageError(f"SMTP port out of range in {value!r}")
    return host, port


def _home_settings(settings: Settings) -> dict[str, Any]:
    """Keys of <home>/settings.toml that Settings does not model (smtp_user, smtp_password,
    smtp_cafile)."""
    path = settings.home / "settings.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def smtp_config(
    settings: Settings, server: str | None = None, security: str | None = None
) -> SmtpConfig | None:
    """The SMTP server to use: `server` (from --smtp) or settings.smtp; None when neither is set.
    Login from KB_SMTP_USER/KB_SMTP_PASSWORD, else smtp_user/smtp_password in the KB's settings."""
    value = server or settings.smtp
    if not value:
        return None
    extra = _home_settings(settings)
    sec = (security or os.environ.get("KB_SMTP_SECURITY") or settings.smtp_security or "starttls").lower()
    host, port = parse_smtp(value, sec)
    user = os.environ.get("KB_SMTP_USER") or getattr(settings, "smtp_user", None) or extra.get("smtp_user")
    password = (
        os.environ.get("KB_SMTP_PASSWORD")
        or getattr(settings, "smtp_password", None)
        or extra.get("smtp_password")
    )
    cafile = os.environ.get("KB_SMTP_CAFILE") or extra.get("smtp_cafile")
    return SmtpConfig(host, port, sec, user or None, password or None, float(settings.timeout_s), cafile)


def _reason(e: BaseException) -> str:
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(e, socket.gaierror):
        return f"unknown host ({e.strerror or e})"
    if isinstance(e, ssl.SSLError | ssl.CertificateError):
        return f"TLS failed ({getattr(e, 'reason', None) or e})"
    if isinstance(e, smtplib.SMTPAuthenticationError):
        return f"login refused ({e.smtp_code})"
    if isinstance(e, smtplib.SMTPResponseException):
        msg = (
            e.smtp_error.decode("utf-8", "replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        )
        return f"server said {e.smtp_code} {' '.join(msg.split())}"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror.lower()
    return " ".join(str(e).split()) or type(e).__name__


class Mailer:
    """One SMTP session, opened on first use and reopened after the server drops it."""

    def __init__(self, cfg: SmtpConfig, local_hostname: str = "kb.localhost"):
        self.cfg = cfg
        self.local_hostname = local_hostname
        self.smtp: smtplib.SMTP | None = None

    def _tls_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        if self.cfg.cafile:
            ctx.load_verify_locations(cafile=self.cfg.cafile)
        return ctx

    def connect(self) -> smtplib.SMTP:
        if self.smtp is not None:
            return self.smtp
        c = self.cfg
        try:
            smtp: smtplib.SMTP
            if c.security == "tls":
                smtp = smtplib.SMTP_SSL(
                    c.host,
                    c.port,
                    local_hostname=self.local_hostname,
                    timeout=c.timeout,
                    context=self._tls_context(),
                )
            else:
                smtp = smtplib.SMTP(c.host, c.port, local_hostname=self.local_hostname, timeout=c.timeout)
        except (OSError, smtplib.SMTPException) as e:
            raise ConnectError(f"could not connect to {c.where}: {_reason(e)}; {RETRY_NOTE}") from e
        try:
            smtp.ehlo()
            encrypted = c.security == "tls"
            if c.security == "starttls":
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=self._tls_context())
                    smtp.ehlo()
                    encrypted = True
                elif not c.loopback:
                    raise ConnectError(
                        f'{c.where} does not offer STARTTLS; set smtp_security = "none" (or --smtp-security none) '
                        f"to send unencrypted; {RETRY_NOTE}"
                    )
            if c.user:
                if not encrypted and not c.loopback:
                    raise ConnectError(
                        f"refusing to send the SMTP password unencrypted to {c.where}; {RETRY_NOTE}"
                    )
                smtp.login(c.user, c.password or "")
        except ConnectError:
            _quit(smtp)
            raise
        except (OSError, smtplib.SMTPException) as e:
            _quit(smtp)
            raise ConnectError(f"SMTP session with {c.where} failed: {_reason(e)}; {RETRY_NOTE}") from e
        self.smtp = smtp
        return smtp

    def send(self, msg: EmailMessage, to: str) -> None:
        smtp = self.connect()
        try:
            refused = smtp.send_message(msg, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as e:
            reasons = [
                _reason(smtplib.SMTPResponseException(code, text)) for code, text in e.recipients.values()
            ]
            self._reset(smtp)
            raise DeliveryError(f"{to} refused by {self.cfg.where}: {'; '.join(reasons)}") from e
        except smtplib.SMTPServerDisconnected as e:
            self.smtp = None  # the next recipient reconnects
            raise DeliveryError(f"{self.cfg.where} closed the connection while sending to {to}") from e
        except (OSError, smtplib.SMTPException) as e:
            self._reset(smtp)
            raise DeliveryError(f"sending to {to} via {self.cfg.where} failed: {_reason(e)}") from e
        if refused:
            raise DeliveryError(f"{to} refused by {self.cfg.where}")

    def _reset(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        if self.smtp is not None:
            _quit(self.smtp)
            self.smtp = None


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


# -- the record of what was sent ---------------------------------------------------------------


def send_status(store: Store, address: str, since: date, until: date) -> Any:
    return store.db.execute(
        "SELECT * FROM digest_sends WHERE address = ? AND window_start = ? AND window_end = ?",
        (address.lower(), since.isoformat(), until.isoformat()),
    ).fetchone()


def record_send(
    store: Store,
    address: str,
    since: date,
    until: date,
    *,
    ok: bool,
    message_id: str | None = None,
    error: str | None = None,
) -> None:
    from kb.store.db import now_iso

    key = (address.lower(), since.isoformat(), until.isoformat())
    with store.transaction() as db:
        if ok:
            db.execute(
                "INSERT INTO digest_sends (address, window_start, window_end, status, attempts, at, message_id, error) "
                "VALUES (?, ?, ?, 'sent', 1, ?, ?, NULL) ON CONFLICT(address, window_start, window_end) DO UPDATE "
                "SET status = 'sent', attempts = attempts + 1, at = excluded.at, message_id = excluded.message_id, "
                "error = NULL",
                (*key, now_iso(), message_id),
            )
        else:
            # A failed re-send (--resend) does not undo an earlier successful one.
            db.execute(
                "INSERT INTO digest_sends (address, window_start, window_end, status, attempts, at, message_id, error) "
                "VALUES (?, ?, ?, 'failed', 1, ?, NULL, ?) ON CONFLICT(address, window_start, window_end) DO UPDATE "
                "SET attempts = attempts + 1, at = excluded.at, error = excluded.error",
                (*key, now_iso(), error),
            )


def sends(store: Store, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    q = "SELECT * FROM digest_sends"
    params: tuple[str, ...] = ()
    if since and until:
        q, params = q + " WHERE window_start = ? AND window_end = ?", (since.isoformat(), until.isoformat())
    return [dict(r) for r in store.db.execute(q + " ORDER BY at, address", params)]


# -- one run -------------------------------------------------------------------------------------


@dataclass
class Delivery:
    address: str | None
    status: str  # sent | failed | skipped (already sent) | empty (nothing to send) | written
    statements: int = 0
    people: int = 0
    subject: str | None = None
    message_id: str | None = None
    file: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def recipients(store: Store, to: Iterable[str] = ()) -> list[tuple[str | None, Subscription | None]]:
    """--to addresses (each gets the everything-digest), else every subscriber with their own
    subscription, else one everything-digest without an address (for --out or a preview)."""
    given = [validate_address(a) for a in to]
    if given:
        return [(a, None) for a in dict.fromkeys(given)]
    subs = list_subscriptions(store)
    if subs:
        return [(s.address, s) for s in subs]
    return [(None, None)]


def out_path(out: Path, address: str | None, several: bool) -> Path:
    """Where a recipient's .eml goes. A folder (existing, or written with a trailing slash) gets
    `<address>.eml` per recipient; a file name is used as is for one message and becomes
    `<stem>-<address><suffix>` when there are several."""
    safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", address or "digest")
    if out.is_dir() or str(out).endswith(("/", os.sep)):
        return out / f"{safe}.eml"
    if not several:
        return out
    return out.with_name(f"{out.stem}-{safe}{out.suffix or '.eml'}")


def run_digest(
    store: Store,
    settings: Settings,
    since: date,
    until: date,
    *,
    to: Iterable[str] = (),
    smtp: SmtpConfig | None = None,
    out: Path | None = None,
    resend: bool = False,
    send_empty: bool = False,
    names: Names | None = None,
    hide_unsure: bool = False,
) -> list[Delivery]:
    """Build, write and/or send one digest per recipient. Never raises for a failed send: each
    failure is a Delivery with status 'failed' and is recorded, so the next run retries it.
    Unsure speakers are marked by the KB's `unsure_below`; `hide_unsure` leaves them out of every
    digest of the run (a subscription's own `hide_unsure` does for its address)."""
    names = names or Names.load(store)
    targets = recipients(store, to)
    several = len(targets) > 1
    mailer = Mailer(smtp) if smtp else None
    fatal: str | None = None  # the server could not be reached: don't retry it per recipient
    results: list[Delivery] = []
    try:
        for address, sub in targets:
            if mailer and address and not resend:
                row = send_status(store, address, since, until)
                if row is not None and row["status"] == "sent":
                    results.append(Delivery(address, "skipped", message_id=row["message_id"]))
                    continue
            digest = build_digest(
                store,
                since,
                until,
                sub,
                names=names,
                unsure_below=settings.unsure_below,
                hide_unsure=hide_unsure,
            )
            if address and digest.address is None:
                digest.address = address
            msg = render(digest, to=address, mail_from=settings.mail_from)
            d = Delivery(
                address,
                "written",
                digest.statement_count,
                digest.people_count,
                str(msg["Subject"]),
                str(msg["Message-ID"]),
            )
            if out is not None:
                path = out_path(out, address, several)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(eml_bytes(msg))
                d.file = str(path)
            if mailer and address:
                if digest.empty and not send_empty:
                    d.status = "empty"
                elif fatal:
                    d.status, d.error = "failed", fatal
                    record_send(store, address, since, until, ok=False, error=fatal)
                else:
                    try:
                        mailer.send(msg, address)
                    except DeliveryError as e:
                        d.status, d.error = "failed", str(e)
                        if isinstance(e, ConnectError):
                            fatal = str(e)
                        record_send(store, address, since, until, ok=False, error=str(e))
                    else:
                        d.status = "sent"
                        record_send(store, address, since, until, ok=True, message_id=d.message_id)
            results.append(d)
    finally:
        if mailer:
            mailer.close()
    return results

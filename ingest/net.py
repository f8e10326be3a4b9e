"""Fetching feeds and article pages safely and politely.

Safety: http(s) only; the host is resolved and every address checked before connecting (no
loopback, private, link-local, multicast or reserved addresses unless
`settings.allow_private_network`); redirects are followed by hand so that each hop is checked
the same way; the body is streamed and cut at `settings.max_bytes` (after decompression, so a
gzip bomb stops there too); every request has a timeout. A DNS answer could still change between
our check and the connection (DNS rebinding), so the connection itself checks the address it
reached before any request is sent (`_CheckedHTTPConnection`).

Politeness: one module-level limiter keyed by host keeps `settings.per_host_delay_s` between
requests to the same host, across all sources of a run (and threads). A host that keeps failing
is skipped for a while (`HostBreaker`), so a run without internet does not wait on every article.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(Exception):
    """One clear line about why a URL could not be fetched."""


class ResolveError(FetchError):
    """The host name does not resolve (no network, or a typo)."""


@dataclass
class Response:
    url: str  # final URL after redirects
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class RateLimiter:
    """Keeps at least `delay` seconds between the starts of two requests to one host."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + max(delay, 0.0)
        if start > now:
            time.sleep(start - now)


class HostBreaker:
    """After `threshold` consecutive failures a host is skipped for `cooldown_s` seconds."""

    def __init__(self, threshold: int = 3, cooldown_s: float = 600.0) -> None:
        self.threshold, self.cooldown_s = threshold, cooldown_s
        self._fails: dict[str, int] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def open_reason(self, host: str) -> str | None:
        with self._lock:
            if self._until.get(host, 0.0) > time.monotonic():
                return f"{host}: skipped after {self._fails.get(host, 0)} failures in a row"
            return None

    def record(self, host: str, ok: bool) -> None:
        with self._lock:
            if ok:
                self._fails.pop(host, None)
                self._until.pop(host, None)
                return
            n = self._fails.get(host, 0) + 1
            self._fails[host] = n
            if n >= self.threshold:
                self._until[host] = time.monotonic() + self.cooldown_s

    def reset(self) -> None:
        with self._lock:
            self._fails.clear()
            self._until.clear()


LIMITER = RateLimiter()
BREAKER = HostBreaker()


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _blocked(ip.ipv4_mapped)
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"))
    )


_PEER_REFUSED = "connected address is not public"


class _PeerCheck:
    """Mixin for urllib3 connections: refuse a socket whose peer is not a public address."""

    sock: Any

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        try:
            peer = ipaddress.ip_address(str(self.sock.getpeername()[0]).split("%", 1)[0])
        except (OSError, ValueError, AttributeError):
            return
        if _blocked(peer):
            self.sock.close()
            raise OSError(f"{_PEER_REFUSED} ({peer})")


class _CheckedHTTPConnection(_PeerCheck, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_PeerCheck, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}


def check_url(url: str, allow_private: bool) -> tuple[str, int]:
    """Raise FetchError unless `url` is http(s) to a public address (or private is allowed).

    Returns (host, port). Every address the host resolves to must pass, so a name that also
    points inside the network is refused.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchError(f"{url}: bad URL ({e})") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched (not {parts.scheme or 'a path'!r})")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: no host in URL")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as e:
        raise ResolveError(f"{host}: cannot resolve host ({e})") from None
    if not allow_private:
        for info in infos:
            addr = str(info[4][0]).split("%", 1)[0]
            ip = ipaddress.ip_address(addr)
            if _blocked(ip):
                raise FetchError(
                    f"{url}: refused, {host} resolves to a non-public address ({ip}); "
                    "set allow_private_network to allow it"
                )
    return host, port


def fetch(
    url: str,
    settings: Any,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
) -> Response:
    """GET `url` with the safety rules above; 304 comes back as a Response with no body.

    Raises FetchError with one clear line for anything else that is not a 2xx answer.
    """
    allow_private = bool(getattr(settings, "allow_private_network", False))
    timeout = float(getattr(settings, "timeout_s", 20.0))
    max_bytes = int(getattr(settings, "max_bytes", 20_000_000))
    delay = float(getattr(settings, "per_host_delay_s", 1.0))
    headers = {"User-Agent": str(getattr(settings, "user_agent", "kb-quotes")), "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    current = url
    with requests.Session() as session:
        session.trust_env = False  # no proxies or netrc from the environment: we checked this host
        if not allow_private:
            session.mount("http://", _PublicOnlyAdapter(max_retries=0))
            session.mount("https://", _PublicOnlyAdapter(max_retries=0))
        for _hop in range(MAX_REDIRECTS + 1):
            key = _host_key(current)
            reason = BREAKER.open_reason(key)
            if reason:
                raise FetchError(reason)
            try:
                check_url(current, allow_private)
            except ResolveError:
                BREAKER.record(key, ok=False)
                raise
            LIMITER.wait(key, delay)
            try:
                r = session.get(current, headers=headers, timeout=timeout, stream=True, allow_redirects=False)
            except requests.Timeout:
                BREAKER.record(key, ok=False)
                raise FetchError(f"{current}: timed out after {timeout:g} s") from None
            except requests.RequestException as e:
                if _PEER_REFUSED in str(e):
                    raise FetchError(f"{current}: refused, the {_PEER_REFUSED}") from None
                BREAKER.record(key, ok=False)
                raise FetchError(f"{current}: {type(e).__name__}: {_short(e)}") from None
            with r:
                if r.status_code in (301, 302, 303, 307, 308) and r.headers.get("location"):
                    current = urljoin(current, r.headers["location"])
                    continue
                if r.status_code == 304:
                    BREAKER.record(key, ok=True)
                    return Response(current, 304, b"", {k.lower(): v for k, v in r.headers.items()})
                if not 200 <= r.status_code < 300:
                    if r.status_code >= 500 or r.status_code == 429:
                        BREAKER.record(key, ok=False)
                    raise FetchError(f"{current}: HTTP {r.status_code} {r.reason or ''}".rstrip())
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(
                        f"{current}: larger than the {max_bytes:,}-byte limit ({int(declared):,} bytes)"
                    )
                body = bytearray()
                try:
                    for chunk in r.iter_content(CHUNK):
                        body += chunk
                        if len(body) > max_bytes:
                            raise FetchError(f"{current}: larger than the {max_bytes:,}-byte limit")
                except requests.RequestException as e:
                    BREAKER.record(key, ok=False)
                    raise FetchError(f"{current}: read failed: {_short(e)}") from None
                BREAKER.record(key, ok=True)
                return Response(
                    current, r.status_code, bytes(body), {k.lower(): v for k, v in r.headers.items()}
                )
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _host_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{parts.hostname or ''}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    except ValueError:
        return url


def _short(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:200]

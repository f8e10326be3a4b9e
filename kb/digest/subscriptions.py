"""Subscriptions: who gets a digest, and what they follow.

One subscription per address (subscribing again replaces what the address follows), stored in the
KB's `subscriptions` table. People and companies are resolved through the registry when it knows
them (stored as registry ids, so renames and aliases in either script keep matching); topics through
the topic taxonomy. Addresses are validated strictly, because they end up in mail headers.
`hide_unsure` leaves statements whose speaker is in doubt out of the address's digests (kb.digest.build).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from kb.digest.lookup import Names
from kb.errors import UsageError

if TYPE_CHECKING:
    from kb.store import Store

# A deliberately plain addr-spec: what people really use, nothing that needs quoting in a header.
_ADDR = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)


def validate_address(address: str) -> str:
    """The bare address (`name@host`) or a UsageError. Rejects CR/LF and anything a header could
    misread; accepts `Name <name@host>` and returns just the address."""
    raw = address or ""
    if any(c in raw for c in "\r\n\x00") or any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise UsageError(f"invalid email address {raw!r}: control characters are not allowed")
    raw = raw.strip()
    _, addr = parseaddr(raw)
    # Either the bare address or `Display Name <address>`, exactly: parseaddr alone is lenient
    # (it folds "a@exa mple.com" and reads the first of "a@x, b@y").
    if raw != addr and not re.fullmatch(r'[^<>@,;:"\\]*<' + re.escape(addr) + ">", raw):
        raise UsageError(f"invalid email address {raw!r} (expected name@example.com)")
    if not addr or not _ADDR.match(addr) or ".." in addr or addr.startswith("."):
        raise UsageError(f"invalid email address {raw!r} (expected name@example.com)")
    if addr.split("@", 1)[0].endswith("."):
        raise UsageError(f"invalid email address {raw!r} (expected name@example.com)")
    try:  # the email package must agree: it is what builds the header later
        Address(addr_spec=addr)
    except (ValueError, IndexError) as e:
        raise UsageError(f"invalid email address {raw!r}: {e}") from None
    return addr


@dataclass
class Subscription:
    id: int | None
    address: str
    people: list[str] = field(default_factory=list)  # registry ids (or names the registry lacks)
    companies: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # topic ids
    query: str | None = None
    created_at: str | None = None
    hide_unsure: bool = False  # leave "unsure speaker" statements out (default: list them, marked)

    @property
    def follows_everything(self) -> bool:
        return not (self.people or self.companies or self.topics or self.query)

    def to_dict(self, names: Names | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "address": self.address,
            "people": list(self.people),
            "companies": list(self.companies),
            "topics": list(self.topics),
            "query": self.query,
            "created_at": self.created_at,
            "hide_unsure": self.hide_unsure,
        }
        if names is not None:  # display names beside the ids, for people reading the list
            d["people_names"] = [names.entity_name(p) for p in self.people]
            d["company_names"] = [names.entity_name(c) for c in self.companies]
            d["topic_names"] = [names.topic_label(t) for t in self.topics]
        return d

    def describe(self, names: Names | None = None) -> str:
        n = names or Names.empty()
        parts = []
        if self.people:
            parts.append("people: " + ", ".join(n.entity_name(p) for p in self.people))
        if self.companies:
            parts.append("companies: " + ", ".join(n.entity_name(c) for c in self.companies))
        if self.topics:
            parts.append("topics: " + ", ".join(n.topic_label(t) for t in self.topics))
        if self.query:
            parts.append(f"query: {self.query}")
        what = "; ".join(parts) or "everything"
        return f"{what} (unsure speakers left out)" if self.hide_unsure else what


def _row(r: Any) -> Subscription:
    return Subscription(
        id=int(r["id"]),
        address=r["address"],
        people=json.loads(r["people"] or "[]"),
        companies=json.loads(r["companies"] or "[]"),
        topics=json.loads(r["topics"] or "[]"),
        query=r["query"],
        created_at=r["created_at"],
        hide_unsure=bool(r["hide_unsure"]),
    )


def subscribe(
    store: Store,
    address: str,
    people: list[str] | tuple[str, ...] = (),
    companies: list[str] | tuple[str, ...] = (),
    topics: list[str] | tuple[str, ...] = (),
    query: str | None = None,
    *,
    names: Names | None = None,
    hide_unsure: bool = False,
) -> Subscription:
    """Add or replace the subscription of `address`. Unknown names raise a UsageError that
    suggests the closest ones. `hide_unsure` leaves statements whose speaker is in doubt out of its
    digests (they are listed, marked, by default)."""
    addr = validate_address(address)
    n = names or Names.load(store)
    person_ids = _unique(n.resolve_person(p) for p in people)
    company_ids = _unique(n.resolve_company(c) for c in companies)
    topic_ids = _unique(n.resolve_topic(t) for t in topics)
    q = (query or "").strip() or None
    if q and len(q) > 500:
        raise UsageError("the query is too long (500 characters at most)")
    from kb.store.db import now_iso

    with store.transaction() as db:
        db.execute("DELETE FROM subscriptions WHERE lower(address) = lower(?)", (addr,))
        cur = db.execute(
            "INSERT INTO subscriptions (address, people, companies, topics, query, created_at, hide_unsure) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                addr,
                json.dumps(person_ids, ensure_ascii=False),
                json.dumps(company_ids, ensure_ascii=False),
                json.dumps(topic_ids, ensure_ascii=False),
                q,
                now_iso(),
                int(bool(hide_unsure)),
            ),
        )
        sid = int(cur.lastrowid or 0)
    found = get_subscription(store, sid)
    assert found is not None
    return found


def _unique(values: Any) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def list_subscriptions(store: Store) -> list[Subscription]:
    return [_row(r) for r in store.db.execute("SELECT * FROM subscriptions ORDER BY id")]


def get_subscription(store: Store, sub_id: int) -> Subscription | None:
    r = store.db.execute("SELECT * FROM subscriptions WHERE id = ?", (sub_id,)).fetchone()
    return _row(r) if r else None


def unsubscribe(store: Store, address_or_id: str | int) -> int:
    """Remove a subscription by id or address; returns how many were removed (0 or 1). Delivery
    records are kept: they are the history of what was sent."""
    key = str(address_or_id).strip()
    with store.transaction() as db:
        if key.isdigit():
            cur = db.execute("DELETE FROM subscriptions WHERE id = ?", (int(key),))
        else:
            addr = validate_address(key)
            cur = db.execute("DELETE FROM subscriptions WHERE lower(address) = lower(?)", (addr,))
        return int(cur.rowcount or 0)

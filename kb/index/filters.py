"""Chroma `where` filters for the statement metadata the index stores.

Metadata per statement (kb.index.metadata builds it): speaker_id, company_id, speaker_type, kind
(strings, "" when unknown), published (int epoch seconds, 0 when unknown) and one boolean key
`topic_<id>` per topic of the statement. Search applies these filters inside the vector retriever,
so the k nearest neighbours it gets back are already the ones that match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

Epoch = int | float | dt.datetime | dt.date


def to_epoch(value: Epoch, *, end_of_day: bool = False) -> int:
    """Epoch seconds. A naive datetime is UTC; a date is its midnight UTC (the next midnight when
    `end_of_day`, so that `until=<date>` includes that whole day)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return int(value.timestamp())
    if isinstance(value, dt.date):
        day = value + dt.timedelta(days=1) if end_of_day else value
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
    return int(value)


def _one_of(key: str, values: Iterable[Any] | None) -> dict | None:
    if values is None:
        return None
    vals = sorted({str(v) for v in values})
    if not vals:
        # An explicit empty list matches nothing: a filter that no record satisfies.
        return {key: {"$in": ["\x00no-match"]}}
    return {key: vals[0]} if len(vals) == 1 else {key: {"$in": vals}}


def where_clause(
    speaker_ids: Iterable[str] | None = None,
    company_ids: Iterable[str] | None = None,
    since: Epoch | None = None,
    until: Epoch | None = None,
    topics: Iterable[str] | None = None,
    speaker_types: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
) -> dict | None:
    """A Chroma `where` dict (None when nothing is filtered).

    Within one argument the values are alternatives (any speaker of the list, any topic of the
    list); the arguments combine with AND. `since` is inclusive; `until` is inclusive for an
    epoch or datetime and covers the whole day for a date. A date filter excludes statements
    whose date is unknown (published = 0)."""
    parts: list[dict] = []
    for key, values in (
        ("speaker_id", speaker_ids),
        ("company_id", company_ids),
        ("speaker_type", speaker_types),
        ("kind", kinds),
    ):
        clause = _one_of(key, values)
        if clause:
            parts.append(clause)
    if since is not None:
        parts.append({"published": {"$gte": max(1, to_epoch(since))}})
    if until is not None:
        if isinstance(until, dt.date) and not isinstance(until, dt.datetime):
            parts.append({"published": {"$lt": to_epoch(until, end_of_day=True)}})
        else:
            parts.append({"published": {"$lte": to_epoch(until)}})
        if since is None:
            parts.append({"published": {"$gt": 0}})
    if topics is not None:
        keys = sorted({topic_key(t) for t in topics})
        if not keys:
            parts.append({"topic_\x00none": True})
        elif len(keys) == 1:
            parts.append({keys[0]: True})
        else:
            parts.append({"$or": [{k: True} for k in keys]})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def topic_key(topic_id: str) -> str:
    return topic_id if topic_id.startswith("topic_") else f"topic_{topic_id}"


def statement_metadata(
    speaker_id: str | None = None,
    company_id: str | None = None,
    speaker_type: str | None = None,
    kind: str | None = None,
    published: Epoch | None = None,
    topics: Iterable[str] = (),
) -> dict[str, str | int | bool]:
    """The metadata dict for one statement, in the shape `where_clause` filters on."""
    meta: dict[str, str | int | bool] = {
        "speaker_id": speaker_id or "",
        "company_id": company_id or "",
        "speaker_type": speaker_type or "",
        "kind": kind or "",
        "published": to_epoch(published) if published else 0,
    }
    for t in topics:
        meta[topic_key(t)] = True
    return meta


_CMP = {
    "$eq": lambda a, b: a == b,
    "$ne": lambda a, b: a != b,
    "$gt": lambda a, b: a is not None and a > b,
    "$gte": lambda a, b: a is not None and a >= b,
    "$lt": lambda a, b: a is not None and a < b,
    "$lte": lambda a, b: a is not None and a <= b,
    "$in": lambda a, b: a in b,
    "$nin": lambda a, b: a not in b,
}


def matches(where: dict | None, meta: dict | None) -> bool:
    """Whether one record's metadata satisfies a Chroma `where` filter, evaluated in Python (the
    index post-filters over-fetched neighbours with it). A key the record lacks matches nothing
    but `$ne`/`$nin`, as in Chroma."""
    if not where:
        return True
    meta = meta or {}
    for key, cond in where.items():
        if key == "$and":
            if not all(matches(c, meta) for c in cond):
                return False
        elif key == "$or":
            if not any(matches(c, meta) for c in cond):
                return False
        elif isinstance(cond, dict):
            value = meta.get(key)
            for op, arg in cond.items():
                if op not in _CMP:
                    raise ValueError(f"unsupported filter operator {op}")
                if value is None and op not in ("$ne", "$nin"):
                    return False
                try:
                    if not _CMP[op](value, arg):
                        return False
                except TypeError:  # e.g. comparing a str with an int
                    return False
        elif meta.get(key) != cond or key not in meta:
            return False
    return True

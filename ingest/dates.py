"""Dates as Chinese tech press writes them, to a UTC datetime plus the source's own UTC offset.

Handles RFC 822 (`Wed, 26 Oct 2016 16:53:42 +0800`), ISO 8601, the zone-less `2016-10-26 16:53:42`
of the 2016 press feeds, Chinese forms (`2024年5月15日 10:30`, `2024年05月15日`), and timestamps.
A date without a zone is China time (+08:00): that is what every zone-less feed here means.
Dates before 1990 or after 2100 are treated as absent (techweb writes the epoch, 1970-01-01,
for "unknown"). `parse_date` never raises.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

CHINA = timezone(timedelta(hours=8))
MIN_YEAR, MAX_YEAR = 1990, 2100

_NUMERIC = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[T\s]*(?:(上午|下午|晚上|凌晨|中午)\s*)?(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}(?:\.\d+)?))?秒?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$",
    re.I,
)
_ZONE_NAMES = {"GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "CST": 8, "BJT": 8, "HKT": 8, "EST": -5, "EDT": -4,
               "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "JST": 9, "KST": 9}  # fmt: skip


def format_offset(tz: timezone | None) -> str:
    off = tz.utcoffset(None) if tz else None
    if off is None:
        return "+08:00"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    t = text.upper()
    if t in _ZONE_NAMES:
        return timezone(timedelta(hours=_ZONE_NAMES[t]))
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", t)
    if not m:
        return None
    sign = 1 if m.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


def _finish(dt: datetime) -> tuple[datetime | None, str]:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=CHINA)
    if not (MIN_YEAR <= dt.year <= MAX_YEAR):
        return None, "+08:00"
    offset = dt.utcoffset()
    tz = timezone(offset) if offset is not None else CHINA
    return dt.astimezone(UTC), format_offset(tz)


def _numeric(text: str) -> datetime | None:
    m = _NUMERIC.match(text)
    if not m:
        return None
    y, mo, d, ampm, hh, mi, ss, zone = m.groups()
    hour = int(hh or 0)
    if ampm in ("下午", "晚上") and hour < 12:
        hour += 12
    if ampm == "凌晨" and hour == 12:
        hour = 0
    sec = float(ss or 0)
    dt = datetime(int(y), int(mo), int(d), hour, int(mi or 0), int(sec))
    tz = _zone(zone)
    return dt.replace(tzinfo=tz) if tz else dt


def _rfc822(text: str) -> datetime | None:
    try:
        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None:
        return None
    # Named zones email.utils does not know (CST, BJT…): it returns them as naive/-0000.
    tail = text.strip().split()[-1].upper() if text.strip() else ""
    # Named zones mean what Chinese press means by them (CST = China Standard Time, not US Central).
    if tail in _ZONE_NAMES:
        dt = dt.replace(tzinfo=_zone(tail))
    return dt


def _iso(text: str) -> datetime | None:
    t = text.strip()
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(t)
    except ValueError:
        return None


def _timestamp(text: str) -> datetime | None:
    if not re.fullmatch(r"\d{9,13}", text.strip()):
        return None
    n = int(text)
    if n > 10**11:  # milliseconds
        n //= 1000
    try:
        return datetime.fromtimestamp(n, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _dateutil(text: str) -> datetime | None:
    if len(text) > 80:
        return None
    try:
        from dateutil import parser as du

        return du.parse(text, tzinfos={k: v * 3600 for k, v in _ZONE_NAMES.items()})
    except Exception:  # noqa: BLE001 - dateutil raises odd types on odd input; absent is the answer
        return None


def parse_date(value: object) -> tuple[datetime | None, str]:
    """Anything date-like → (UTC-aware datetime or None, the source's offset like "+08:00")."""
    try:
        if value is None:
            return None, "+08:00"
        if isinstance(value, datetime):
            return _finish(value)
        if isinstance(value, date):
            return _finish(datetime(value.year, value.month, value.day))
        text = str(value).strip()
        if not text or len(text) > 200:
            return None, "+08:00"
        text = text.replace("\u3000", " ")
        for parser in (_numeric, _rfc822, _iso, _timestamp, _dateutil):
            try:
                dt = parser(text)
            except (ValueError, OverflowError):
                dt = None
            if dt is not None:
                return _finish(dt)
    except Exception:  # noqa: BLE001 - a date we cannot read is an absent date, never a crash
        pass
    return None, "+08:00"

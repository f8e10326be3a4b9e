"""Dates typed by users on the command line and in the app (feeds' dates are ingest's business)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from kb.errors import UsageError

CHINA = timezone(timedelta(hours=8))


def parse_user_datetime(value: str, *, default_tz: timezone = CHINA) -> datetime:
    """'2024-05-15', '2024-05-15 10:30', '2024-05-15T10:30:00+08:00', '2024/5/15', '2024年5月15日'.
    Without a zone, China time (+08:00) is assumed, as in the Chinese press."""
    from dateutil import parser

    v = value.strip().replace("年", "-").replace("月", "-").replace("日", " ").strip()
    try:
        dt = parser.isoparse(v) if "T" in v else parser.parse(v, yearfirst=True)
    except (ValueError, OverflowError):
        raise UsageError(f"cannot read the date {value!r} (try 2024-05-15)") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=default_tz)
    return dt.astimezone(UTC)


def parse_user_date(value: str) -> date:
    return parse_user_datetime(value).astimezone(CHINA).date()


def local_day(published: str | None, tz: str | None) -> date | None:
    """The date a statement was published where its source is ("2024-06-24T16:00:00+00:00" with the
    source's "+08:00" is 2024-06-25): stored dates are UTC, the article's own offset beside them."""
    if not published:
        return None
    try:
        dt = datetime.fromisoformat(published)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        sign = -1 if (tz or "+08:00").startswith("-") else 1
        hh, mm = (tz or "+08:00").lstrip("+-").split(":")
        offset = timezone(sign * timedelta(hours=int(hh), minutes=int(mm)))
    except ValueError:
        offset = CHINA
    return dt.astimezone(offset).date()

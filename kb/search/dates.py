"""Time expressions in a query, in Chinese and English, turned into a date range.

Every rule is a regular expression plus a function from (match, today) to (since, until), both
inclusive dates. `today` is the `--as-of` date, so results are reproducible. Rules are tried in
order; the longest, most specific patterns come first so "2024年5月" wins over "5月".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

Range = tuple[date | None, date | None]
Span = tuple[date, date]

MONTHS_EN = {
    m.lower(): i
    for i, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MON = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_CN_NUM = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "半": 0,
}
_EN_NUM = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
}


def month_range(y: int, m: int) -> Span:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def quarter_range(y: int, q: int) -> Range:
    start = date(y, 3 * (q - 1) + 1, 1)
    end_month = 3 * q
    return start, date(y, end_month, calendar.monthrange(y, end_month)[1])


def week_range(d: date) -> Range:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _recent_month(m: int, today: date) -> int:
    """The year of the most recent month `m` (this year, or last year if it is still ahead)."""
    return today.year if m <= today.month else today.year - 1


def _num(s: str) -> int:
    if s.isdigit():
        return int(s)
    s = s.lower()
    if s in _EN_NUM:
        return _EN_NUM[s]
    if s.startswith("十"):  # 十二 = 12
        return 10 + (_CN_NUM.get(s[1:], 0) if len(s) > 1 else 0)
    if len(s) == 2 and s[1] == "十":  # 二十 = 20
        return _CN_NUM[s[0]] * 10
    return _CN_NUM.get(s, 1)


def _span(unit: str, n: int, today: date) -> Range:
    """The last n days/weeks/months/years up to today."""
    unit = unit.lower()
    if unit.startswith(("day", "天", "日")):
        return today - timedelta(days=n - 1 if n else 0), today
    if unit.startswith(("week", "周", "星期", "个星期", "礼拜", "个礼拜")):
        return today - timedelta(days=7 * n), today
    if unit.startswith(("month", "月", "个月")):
        return add_months(today, -n) if n else today - timedelta(days=15), today
    if unit.startswith(("quarter", "季")):
        return add_months(today, -3 * n), today
    return date(today.year - n, today.month, min(today.day, 28)), today


def _parse_date(y: str | None, m: str | None, d: str | None, today: date, *, end: bool = False) -> date:
    """A date from parts; a missing day means the month's first (or last, with end=True) day."""
    month = int(m) if m else (12 if end else 1)
    year = int(y) if y else _recent_month(month, today)
    if d:
        return date(year, month, int(d))
    if not m:
        return date(year, 12, 31) if end else date(year, 1, 1)
    lo, hi = month_range(year, month)
    return hi if end else lo


def _day_before(d: date | None) -> date | None:
    return d - timedelta(days=1) if d else None


def _mon(name: str) -> int:
    return MONTHS_EN[name.lower()]


@dataclass
class Rule:
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], date], Range]


_ISO = r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?"
_CN_DATE = r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})[日号])?"
_CN_N = r"(\d+|[一二两三四五六七八九十半]+)"
_EN_N = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)"


def _r(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE)


def _iso_range(m: re.Match[str], today: date, i: int = 1) -> Range:
    y, mo, d = m.group(i), m.group(i + 1), m.group(i + 2)
    return _parse_date(y, mo, d, today), _parse_date(y, mo, d, today, end=True)


def _cn_range(m: re.Match[str], today: date, i: int = 1) -> Range:
    y, mo, d = m.group(i), m.group(i + 1), m.group(i + 2)
    return _parse_date(y, mo, d, today), _parse_date(y, mo, d, today, end=True)


def _en_month_range(m: re.Match[str], today: date) -> Range:
    mon = _mon(m.group(1))
    y = m.group(2) if (m.lastindex or 0) >= 2 else None
    year = int(y) if y else _recent_month(mon, today)
    return month_range(year, mon)


# Order matters: explicit ranges and anchored "since/until" forms before bare dates.
RULES: list[Rule] = [
    # -- ranges ------------------------------------------------------------------------------
    Rule(
        _r(rf"\b(?:from|between)\s+{_ISO}\s+(?:to|and|until)\s+{_ISO}\b"),
        lambda m, t: (_iso_range(m, t, 1)[0], _iso_range(m, t, 4)[1]),
    ),
    Rule(
        _r(rf"(?:从)?{_CN_DATE}\s*(?:到|至|-|—|~)\s*{_CN_DATE}"),
        lambda m, t: (_cn_range(m, t, 1)[0], _cn_range(m, t, 4)[1]),
    ),
    # -- since / until -----------------------------------------------------------------------
    Rule(_r(rf"\b(?:since|after|from)\s+{_ISO}\b"), lambda m, t: (_iso_range(m, t)[0], None)),
    Rule(
        _r(rf"\b(?:since|after|from)\s+{_MON}(?:\s+(\d{{4}}))?\b"),
        lambda m, t: (_en_month_range(m, t)[0], None),
    ),
    Rule(_r(r"\b(?:since|after)\s+(\d{4})\b"), lambda m, t: (date(int(m.group(1)), 1, 1), None)),
    # "before X" ends the day before X starts; "until X" includes X.
    Rule(_r(rf"\bbefore\s+{_ISO}\b"), lambda m, t: (None, _day_before(_iso_range(m, t)[0]))),
    Rule(
        _r(rf"\bbefore\s+{_MON}(?:\s+(\d{{4}}))?\b"),
        lambda m, t: (None, _day_before(_en_month_range(m, t)[0])),
    ),
    Rule(_r(rf"\b(?:until|till|by)\s+{_ISO}\b"), lambda m, t: (None, _iso_range(m, t)[1])),
    Rule(
        _r(rf"\b(?:until|till)\s+{_MON}(?:\s+(\d{{4}}))?\b"),
        lambda m, t: (None, _en_month_range(m, t)[1]),
    ),
    Rule(_r(rf"(?:自|从)?{_ISO}(?:以来|之后|以后|起)"), lambda m, t: (_iso_range(m, t)[0], None)),
    Rule(_r(rf"(?:自|从)?{_CN_DATE}(?:以来|之后|以后|起|至今)"), lambda m, t: (_cn_range(m, t)[0], None)),
    Rule(
        _r(r"(?:自|从)?(\d{4})年(?:以来|之后|以后|起|至今)"), lambda m, t: (date(int(m.group(1)), 1, 1), None)
    ),
    Rule(_r(r"(?:自|从)(\d{4})年"), lambda m, t: (date(int(m.group(1)), 1, 1), None)),
    Rule(_r(rf"{_CN_DATE}(?:之前|以前)"), lambda m, t: (None, _day_before(_cn_range(m, t)[0]))),
    Rule(_r(r"(\d{4})年(?:之前|以前)"), lambda m, t: (None, date(int(m.group(1)) - 1, 12, 31))),
    # -- relative spans ("last 3 months", "最近一周", "过去30天") ------------------------------
    Rule(
        _r(
            rf"\b(?:in\s+the\s+)?(?:last|past|previous)\s+{_EN_N}\s+(days?|weeks?|months?|quarters?|years?)\b"
        ),
        lambda m, t: _span(m.group(2), _num(m.group(1)), t),
    ),
    Rule(
        _r(rf"(?:最近|近|过去|前)\s*{_CN_N}\s*(天|日|周|个星期|星期|个礼拜|个月|月|个季度|季度|年)"),
        lambda m, t: _span(m.group(2), _num(m.group(1)), t),
    ),
    Rule(_r(r"\b(?:recently|lately)\b|最近|近期|近来"), lambda m, t: (t - timedelta(days=30), t)),
    # -- named periods -----------------------------------------------------------------------
    Rule(_r(r"\blast\s+week\b|上周|上星期|上个星期|上礼拜"), lambda m, t: week_range(t - timedelta(days=7))),
    Rule(_r(r"\bthis\s+week\b|本周|这周|这个星期|本星期"), lambda m, t: (week_range(t)[0], t)),
    Rule(
        _r(r"\blast\s+month\b|上个月|上月"),
        lambda m, t: month_range(add_months(t, -1).year, add_months(t, -1).month),
    ),
    Rule(_r(r"\bthis\s+month\b|本月|这个月"), lambda m, t: (date(t.year, t.month, 1), t)),
    Rule(
        _r(r"\blast\s+quarter\b|上季度|上个季度|上一季度"),
        lambda m, t: quarter_range(add_months(t, -3).year, (add_months(t, -3).month - 1) // 3 + 1),
    ),
    Rule(
        _r(r"\bthis\s+quarter\b|本季度|这个季度|这季度"),
        lambda m, t: (quarter_range(t.year, (t.month - 1) // 3 + 1)[0], t),
    ),
    Rule(
        _r(r"\bq([1-4])\s+(\d{4})\b|\b(\d{4})\s*q([1-4])\b"),
        lambda m, t: quarter_range(int(m.group(2) or m.group(3)), int(m.group(1) or m.group(4))),
    ),
    Rule(
        _r(r"(\d{4})年(?:第)?([一二三四1-4])季度"),
        lambda m, t: quarter_range(int(m.group(1)), _num(m.group(2))),
    ),
    Rule(_r(r"\blast\s+year\b|去年"), lambda m, t: (date(t.year - 1, 1, 1), date(t.year - 1, 12, 31))),
    Rule(_r(r"\bthis\s+year\b|今年|本年"), lambda m, t: (date(t.year, 1, 1), t)),
    Rule(_r(r"\byesterday\b|昨天|昨日"), lambda m, t: (t - timedelta(days=1), t - timedelta(days=1))),
    Rule(_r(r"\btoday\b|今天|今日"), lambda m, t: (t, t)),
    # -- bare dates ---------------------------------------------------------------------------
    Rule(_r(rf"\b{_ISO}\b"), _iso_range),
    Rule(
        _r(r"(\d{4})年(?!\d{0,2}月)"),
        lambda m, t: (date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31)),
    ),
    Rule(_r(_CN_DATE), _cn_range),
    Rule(_r(rf"\b(?:in\s+)?{_MON}\s+(\d{{4}})\b"), _en_month_range),
    # "in May" / "in march": bare English month names need "in" (may/march are also words).
    Rule(_r(rf"\bin\s+{_MON}\b"), _en_month_range),
    Rule(_r(r"\bin\s+(\d{4})\b"), lambda m, t: (date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31))),
]


@dataclass
class DateMatch:
    start: int
    end: int
    text: str
    since: date | None
    until: date | None


def find_dates(text: str, today: date) -> list[DateMatch]:
    """Time expressions in `text`, left to right, without overlaps (earlier rules win)."""
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            try:
                since, until = rule.resolve(m, today)
            except (ValueError, KeyError, IndexError):  # "2024-13" or "2月30日": not a date, leave it as text
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMatch(m.start(), m.end(), m.group(0), since, until))
    return sorted(found, key=lambda d: d.start)

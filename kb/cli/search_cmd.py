"""`kb search`: parse the options, call kb.search.search, print hits (text, JSON Lines or CSV)."""

from __future__ import annotations

import csv
import re
import sys
from datetime import date
from typing import Any

import click

from kb.cli.common import Ctx, kb_command
from kb.dates import local_day
from kb.errors import KbError, UsageError

CSV_FIELDS = [
    "score", "published", "speaker", "title", "organization", "speaker_type", "kind", "cue", "text",
    "topics", "stance", "source", "article_title", "url", "also_in_count", "context_before",
    "context_after", "id",
]  # fmt: skip


class _Lazy:
    """Builds the embedder/index on first use: a name-only or keyword query never loads a model."""

    def __init__(self, factory: Any):
        self._factory = factory
        self._obj: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._obj is None:
            self._obj = self._factory()
        return getattr(self._obj, name)


def parse_day(value: str | None, as_of: date | None, *, end: bool = False) -> date | None:
    """YYYY-MM-DD, YYYY-MM, YYYY, or a time expression ("last week", "2024年5月")."""
    if not value:
        return None
    v = value.strip()
    try:
        return date.fromisoformat(v)
    except ValueError:
        pass
    from kb.search.dates import find_dates

    found = find_dates(v if re.search(r"\D", v) else f"in {v}", as_of or date.today())
    if found:
        d = found[0]
        picked = (d.until or d.since) if end else (d.since or d.until)
        if picked:
            return picked
    raise UsageError(f"cannot read the date {value!r}; use YYYY-MM-DD (e.g. 2024-05-01)")


def _unsure(h: dict[str, Any], below: float | None) -> str:
    """A mark for a speaker the confidence model doubts (kb/nlp/confidence.py: scored below the KB's
    `unsure_below`, CONFIDENT when None), unless an analyst fixed it."""
    from kb.nlp.confidence import CONFIDENT, unsure
    from kb.records import confidence_text

    c = h.get("confidence")
    if c is None or not unsure(c, h.get("corrected"), CONFIDENT if below is None else below):
        return ""
    return f" [unsure speaker: {confidence_text(c)}]"


def _fmt_hit(n: int, h: dict[str, Any], color: bool, unsure_below: float | None = None) -> str:
    text = h["text"]
    if color:
        out, last = [], 0
        for s in h.get("highlights", []):
            out.append(text[last : s["start"]])
            out.append(click.style(text[s["start"] : s["end"]], fg="yellow", bold=True))
            last = s["end"]
        out.append(text[last:])
        text = "".join(out)
    who = h["speaker"] or h["speaker_mention"] or "?"
    if h.get("anonymous"):
        who = f"{h['speaker_mention']} (unnamed source)"
    role = ", ".join(x for x in (h.get("title"), h.get("organization")) if x)
    # the day where the source is, as the app shows it (stored dates are UTC: "2026-11-30T16:00:00+00:00"
    # of a Chinese outlet is 2026-12-01)
    local = local_day(h.get("published"), h.get("tz"))
    day = local.isoformat() if local else "undated"
    also = (
        f" · also in {h['also_in_count']} source{'s' if h['also_in_count'] != 1 else ''}"
        if h.get("also_in_count")
        else ""
    )
    lines = [
        f"{n}. “{text}”",
        f"   — {who}"
        + (f" ({role})" if role else "")
        + f"{_unsure(h, unsure_below)} · {day} · {h.get('source') or '?'}{also}",
        f"   {h.get('article_title') or ''}" + (f" <{h['url']}>" if h.get("url") else ""),
    ]
    if ev := h.get("evidence"):
        # a speaker reached through 他/该公司: where the name it stands for is written
        lines.insert(2, f"   “{ev['reference']}” is {ev['name']}, named here: …{ev['sentence']}…")
    if not color and h.get("highlights"):
        lines.append("   matched: " + ", ".join(dict.fromkeys(s["term"] for s in h["highlights"])))
    return "\n".join(lines)


def write_csv(hits: list[dict[str, Any]], target: str) -> None:
    fh = sys.stdout if target == "-" else open(target, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
    try:
        w = csv.DictWriter(fh, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for h in hits:
            row = dict(h)
            row["topics"] = ",".join(h.get("topics") or [])
            w.writerow(row)
    finally:
        if fh is not sys.stdout:
            fh.close()


def register(group: click.Group) -> None:
    @kb_command(group, "search")
    @click.argument("query", required=False, default="")
    @click.option("--speaker", help="Only statements by this person (any script, English or pinyin).")
    @click.option("--company", help="Only statements by this company or by people who worked there then.")
    @click.option("--topic", help="Only statements on this topic (id or label, e.g. pricing, 开源).")
    @click.option("--since", help="From this date (YYYY-MM-DD, YYYY-MM, or e.g. 'last month').")
    @click.option("--until", help="Up to this date, inclusive.")
    @click.option(
        "--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Hits to show."
    )
    @click.option("--as-of", "as_of", help="Today's date for relative dates in the query (default: today).")
    @click.option(
        "--mode", type=click.Choice(["hybrid", "keyword", "vector"]), default="hybrid", show_default=True,
        help="Retrievers to use.",
    )  # fmt: skip
    @click.option(
        "--hide-unsure", is_flag=True,
        help="Leave out statements whose speaker the confidence model doubts: scored below the KB's "
        "unsure_below (or --unsure-below) and not corrected, marked 'unsure speaker'.",
    )  # fmt: skip
    @click.option(
        "--unsure-below", type=click.FloatRange(0, 1), metavar="X",
        help="Mark (and with --hide-unsure leave out) speakers scored below X for this search "
        "[default: the KB's unsure_below setting, 0.9].",
    )  # fmt: skip
    @click.option("--explain", is_flag=True, help="Show how the query was understood (filters, text).")
    @click.option(
        "--csv", "csv_out", metavar="FILE|-", help="Also write the hits as CSV to FILE (or - for stdout)."
    )
    def search_cmd(
        ctx: Ctx,
        query: str,
        speaker: str | None,
        company: str | None,
        topic: str | None,
        since: str | None,
        until: str | None,
        limit: int,
        as_of: str | None,
        mode: str,
        hide_unsure: bool,
        unsure_below: float | None,
        explain: bool,
        csv_out: str | None,
    ) -> None:
        """Search statements, best first: words, meaning, names, companies, topics and dates.

        Names, companies, topics and time expressions in QUERY become filters ("王小川 上周",
        "Robin Li on open source since May"); --explain shows them.

        \b
        Example:
          kb search "王小川 价格战"
          kb search "what did Xiaomi say about chips last quarter" --explain
          kb search 价格战 --company 百度 --since 2024-05-01 --json
          kb search 开源 --csv results.csv
          kb search "price war marketing" --hide-unsure
          kb search 价格战 --hide-unsure --unsure-below 0.95
        """
        from kb.base import KnowledgeBase
        from kb.search import search
        from kb.search.qvec import light_query_embedder
        from kb.store import StoreError

        today = parse_day(as_of, None) if as_of else None
        # the "unsure speaker" mark: the KB's setting, or this command's --unsure-below
        mark = ctx.settings.unsure_below if unsure_below is None else unsure_below
        try:
            kb = KnowledgeBase(ctx.settings, readonly=True)
            store = kb.store
        except StoreError as e:
            raise KbError(str(e)) from None
        try:
            result = search(
                store,
                _Lazy(lambda: kb.index),
                # One query needs no torch: a numpy encoder of the same model when it can (kb.search.qvec).
                _Lazy(lambda: light_query_embedder(kb.embedder) or kb.embedder),
                kb.registry,
                query or "",
                speaker=speaker,
                company=company,
                topic=topic,
                since=parse_day(since, today),
                until=parse_day(until, today, end=True),
                limit=limit,
                mode=mode,
                as_of=today,
                hide_unsure=hide_unsure,
                unsure_below=mark,
            )
        finally:
            kb.close()

        if csv_out:
            write_csv(result.hits, csv_out)
            if csv_out == "-":
                return
        if ctx.json:
            if explain:
                ctx.emit({"type": "query", **result.query.as_dict(), "notes": result.notes})
            for h in result.hits:
                ctx.emit({k: v for k, v in h.items() if k not in {"quote_key", "article_id"}})
            if not result.hits:
                click.echo(f"kb: {result.message()}", err=True)
            return
        if explain:
            click.echo("query understood as:")
            for line in result.query.explain():
                click.echo(f"  {line}")
            click.echo(f"  mode: {result.mode}")
            click.echo("")
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        if not result.hits:
            click.echo(result.message())
            return
        color = sys.stdout.isatty()
        for n, h in enumerate(result.hits, 1):
            click.echo(_fmt_hit(n, h, color, mark))
            click.echo("")

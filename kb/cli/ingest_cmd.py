"""`kb ingest`, `kb extract`, `kb sources`, `kb watch`: getting articles in."""

from __future__ import annotations

from datetime import datetime

import click

from kb.base import KnowledgeBase
from kb.cli.common import Ctx, kb_command
from kb.errors import KbError


def _parse_when(value: str | None) -> datetime | None:
    if not value:
        return None
    from kb.dates import parse_user_datetime

    return parse_user_datetime(value)


def _print_report(ctx: Ctx, report) -> None:  # type: ignore[no-untyped-def]
    if ctx.json:
        ctx.emit(report.as_dict())
        return
    for line in report.warnings[:20]:
        click.echo(f"warning: {line}", err=True)
    if len(report.warnings) > 20:
        click.echo(f"warning: … and {len(report.warnings) - 20} more", err=True)
    for line in report.failures:
        click.echo(f"failed: {line}", err=True)
    click.echo(
        f"{report.sources} sources, {report.items} items: {report.new_articles} new articles, "
        f"{report.duplicates} already stored, {report.statements} statements"
        + (f", {report.reindexed} statements re-indexed after an interrupted run" if report.reindexed else "")
    )


def register(group: click.Group) -> None:
    _register_watch(group)

    @kb_command(group, "ingest")
    @click.argument("sources", nargs=-1, required=True)
    @click.option(
        "--published", help="Publication date for article files (e.g. 2024-05-15 or '2024-05-15 10:30')."
    )
    @click.option("--source", "source_name", help="Outlet name for article files (e.g. 36氪).")
    @click.option("--no-fetch", is_flag=True, help="Never fetch article pages for summary-only items.")
    @click.option("--no-wait", is_flag=True, help="Fail at once if another ingest is running on this KB.")
    def ingest_cmd(
        ctx: Ctx,
        sources: tuple[str, ...],
        published: str | None,
        source_name: str | None,
        no_fetch: bool,
        no_wait: bool,
    ) -> None:
        """Read feeds (URLs, files, OPML lists) or article files (.txt/.html/.md, first line is
        the title) and store their statements. Ingesting the same thing twice changes nothing.

        \b
        Example:
          kb ingest ../shared/data/feeds/press-2016/36kr.xml
          kb ingest ../shared/data/feeds/cnbeta-2026/          # a folder, in name (date) order
          kb ingest data/feeds.opml
          kb ingest interview.md --published 2024-05-20 --source 晚点LatePost
        """
        from kb.pipeline import ingest_sources

        with KnowledgeBase(ctx.settings) as kb:
            report = ingest_sources(
                kb,
                list(sources),
                published=_parse_when(published),
                source_name=source_name,
                fetch=not no_fetch,
                wait=not no_wait,
                progress=lambda specs: ctx.progress(specs, total=len(specs), desc="ingest", unit="src"),
                notify=ctx.info,
            )
        _print_report(ctx, report)
        if report.failures and not report.new_articles and not report.duplicates:
            raise SystemExit(1)

    @kb_command(group, "extract")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--published", help="Publication date, used to pick the speaker's role on that day.")
    def extract_cmd(ctx: Ctx, file: str, published: str | None) -> None:
        """Print the statements of one article file (.txt/.html/.md, first line is the title)
        without storing anything.

        \b
        Example:
          kb extract data/demo/articles/kaifu-lee-interview.md
          kb extract article.txt --json | jq '{speaker, title, organization, text}'
        """
        import ingest
        from kb.nlp import extract
        from kb.registry import Registry

        specs = ingest.expand_sources([file])
        read = ingest.read_source(
            specs[0], ctx.settings, published=_parse_when(published), fetch_full_text=False
        )
        if read.error:
            raise KbError(read.error)
        if not read.items:
            raise KbError(f"{file}: no article text found")
        item = read.items[0]
        registry = Registry.load()
        day = item.published.date() if item.published else None
        (statements,) = extract([item.text], [day], registry=registry)
        for s in statements:
            if ctx.json:
                ctx.emit({"id": f"{s.start}-{s.end}", **s.to_dict()})
            else:
                who = s.speaker or s.speaker_mention
                role = " ".join(x for x in (s.organization, s.title) if x)
                click.echo(f"[{s.kind} · {s.cue or '—'}] {who}{f' ({role})' if role else ''}: {s.text}")
        if not ctx.json:
            click.echo(f"{len(statements)} statements", err=True)

    @kb_command(group, "sources")
    def sources_cmd(ctx: Ctx) -> None:
        """Feed health: last read, last success, consecutive failures, articles, stale since.

        \b
        Example:
          kb sources
          kb sources --json
        """
        from kb.store import Store

        if not ctx.settings.db_path.exists():
            raise KbError(f"no knowledge base at {ctx.home} (run `kb ingest SOURCE` first)")
        with Store(ctx.settings.db_path) as store:
            rows = store.sources()
        for r in rows:
            row = {k: r[k] for k in r.keys()}
            if ctx.json:
                ctx.emit(row)
            else:
                state = "ok" if not r["consecutive_failures"] else f"failing ×{r['consecutive_failures']}"
                stale = f", stale since {r['stale_since'][:10]}" if r["stale_since"] else ""
                click.echo(
                    f"{r['name'][:24]:24} {state:12} {r['articles']:>5} art.  last ok {(r['last_success'] or 'never')[:16]}{stale}  {r['url']}"
                )
                if r["last_error"]:
                    click.echo(f"{'':24} error: {r['last_error']}")


def _register_watch(group: click.Group) -> None:
    @kb_command(group, "watch")
    @click.option(
        "--every", default="15m", show_default=True, help="How often each feed is read (15m, 1h, 90s)."
    )
    @click.option("--rounds", type=int, help="Stop after this many rounds (default: run until stopped).")
    @click.option(
        "--add",
        "add",
        multiple=True,
        help="Add a feed URL, feed file or OPML list to the watched sources first.",
    )
    @click.option("--no-fetch", is_flag=True, help="Never fetch article pages for summary-only items.")
    def watch_cmd(ctx: Ctx, every: str, rounds: int | None, add: tuple[str, ...], no_fetch: bool) -> None:
        """Read all configured feeds on a schedule, with per-host politeness and backoff for
        failing feeds; `kb sources` shows their health. Feeds become configured when they are
        first ingested or added with --add.

        \b
        Example:
          kb watch --add data/feeds.opml --every 15m
          kb watch --rounds 1 --json        # one pass over the due feeds, for cron
        """
        from kb.watch import parse_every, watch

        interval = parse_every(every)
        with KnowledgeBase(ctx.settings) as kb:
            if add:
                import ingest

                for spec in ingest.expand_sources(list(add)):
                    kb.store.upsert_source(spec.location, spec.name or spec.location, spec.kind)

            def on_round(report) -> None:  # type: ignore[no-untyped-def]
                _print_report(ctx, report)

            try:
                watch(kb, interval, rounds=rounds, fetch=not no_fetch, on_round=on_round, notify=ctx.info)
            except KeyboardInterrupt:
                ctx.info("watch stopped; everything committed so far is kept")

"""`kb digest`, `kb subscribe`, `kb subscriptions`, `kb unsubscribe`: argument parsing only; the
work is in kb.digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import click

from kb.cli.common import Ctx, kb_command
from kb.errors import KbError, UsageError


def _day(value: str, option: str) -> date:
    from kb.dates import parse_user_date

    try:
        return parse_user_date(value)
    except UsageError:
        raise UsageError(
            f"{option}: cannot read the date {value!r} (use YYYY-MM-DD, e.g. 2024-05-20)"
        ) from None


def window(
    since: str | None, until: str | None, week: str | None, today: date | None = None
) -> tuple[date, date]:
    """--since/--until (inclusive days), or --week 2024-W21, or by default the last full ISO week
    (Monday to Sunday) before today — what a Monday-morning cron job wants."""
    if week:
        if since or until:
            raise UsageError("use either --week or --since/--until, not both")
        try:
            monday = datetime.strptime(week.strip() + "-1", "%G-W%V-%u").date()
        except ValueError:
            raise UsageError(f"--week: cannot read {week!r} (expected e.g. 2024-W21)") from None
        return monday, monday + timedelta(days=6)
    if since or until:
        if not (since and until):
            raise UsageError("give both --since and --until (or --week, or neither for last week)")
        return _day(since, "--since"), _day(until, "--until")
    t = today or date.today()
    monday = t - timedelta(days=t.weekday() + 7)
    return monday, monday + timedelta(days=6)


def register(group: click.Group) -> None:
    @kb_command(group, "digest")
    @click.option("--since", help="First day of the window (YYYY-MM-DD, China time).")
    @click.option("--until", help="Last day of the window, included (YYYY-MM-DD).")
    @click.option("--week", help="An ISO week instead of --since/--until, e.g. 2024-W21.")
    @click.option(
        "--to",
        "to",
        multiple=True,
        metavar="ADDR",
        help="Send the everything-digest to ADDR (repeatable) instead of to the subscribers.",
    )
    @click.option(
        "--smtp", metavar="HOST:PORT", help="SMTP server to send through (default: the KB's smtp setting)."
    )
    @click.option(
        "--smtp-security",
        type=click.Choice(["starttls", "tls", "none"]),
        help="starttls (default; a loopback server without it is accepted), tls (implicit, port 465) or none.",
    )
    @click.option(
        "--out",
        type=click.Path(dir_okay=True),
        help="Write .eml files: FILE.eml for one recipient; FILE-<addr>.eml for several, or DIR/<addr>.eml when it is a folder.",
    )
    @click.option(
        "--resend", is_flag=True, help="Send again to recipients already sent this window's digest."
    )
    @click.option("--send-empty", is_flag=True, help="Also send digests that have no statements.")
    @click.option(
        "--hide-unsure",
        is_flag=True,
        help="Leave statements whose speaker is in doubt (below the KB's unsure_below) out of every digest "
        "of this run; by default they are listed, marked 'unsure speaker' (a subscription can leave them "
        "out for good: kb subscribe --hide-unsure).",
    )
    @click.option("--dry-run", is_flag=True, help="Build and show the digests; send nothing.")
    def digest(
        ctx: Ctx,
        since: str | None,
        until: str | None,
        week: str | None,
        to: tuple[str, ...],
        smtp: str | None,
        smtp_security: str | None,
        out: str | None,
        resend: bool,
        send_empty: bool,
        hide_unsure: bool,
        dry_run: bool,
    ) -> None:
        """The digest email of a window: one per subscriber (or per --to address).

        Each message is multipart (HTML + plain text, UTF-8): what changed (new topics, stance
        shifts, most-quoted people), then the statements grouped by company and person. A statement
        whose speaker is in doubt (confidence below the KB's unsure_below setting, not corrected) is
        marked "unsure speaker · 0.62 — check the source" and counts for nothing in what changed.

        \b
        It is sent when an SMTP server is known (--smtp, or the KB's `smtp` setting when no --out is
        given); each recipient's send is recorded per window, so running it again sends nothing twice
        (unless --resend), and a failed send is retried by the next run. Login comes from
        KB_SMTP_USER/KB_SMTP_PASSWORD or smtp_user/smtp_password in <home>/settings.toml.
        Without an SMTP server and without --out, the plain-text digest is printed.

        \b
        Examples:
          kb digest --since 2024-05-20 --until 2024-05-26 --out d.eml
          kb digest --week 2024-W21 --to ana@example.com --smtp 127.0.0.1:2525
          kb digest --week 2024-W21 --hide-unsure          # preview without unsure speakers
          kb digest                # last full week to every subscriber, via the smtp setting
          (cron) 0 7 * * 1  kb digest --home /srv/kb >> /var/log/kb-digest.log 2>&1
        """
        from kb.digest import Names, build_digest, recipients, render_text, run_digest, smtp_config
        from kb.store import Store

        start, end = window(since, until, week)
        if end < start:
            raise UsageError(f"--until {end} is before --since {start}")
        # Send when --smtp is given, or through the KB's smtp setting unless --out asks for files only.
        server = None
        if not dry_run and (smtp or not out):
            server = smtp_config(ctx.settings, smtp, smtp_security)
        with Store(ctx.settings.db_path) as store:
            names = Names.load(store)
            if server is None and out is None:  # preview
                for address, sub in recipients(store, to):
                    d = build_digest(
                        store, start, end, sub, names=names,
                        unsure_below=ctx.settings.unsure_below, hide_unsure=hide_unsure,
                    )  # fmt: skip
                    d.address = d.address or address
                    if ctx.json:
                        ctx.emit(d.to_dict())
                    else:
                        click.echo(render_text(d))
                return
            if (
                server is not None
                and to == ()
                and not store.db.execute("SELECT 1 FROM subscriptions").fetchone()
            ):
                raise UsageError("no recipients: give --to ADDR or add a subscriber with `kb subscribe ADDR`")
            results = run_digest(
                store,
                ctx.settings,
                start,
                end,
                to=to,
                smtp=server,
                out=Path(out) if out else None,
                resend=resend,
                send_empty=send_empty,
                names=names,
                hide_unsure=hide_unsure,
            )
        failed = [r for r in results if r.status == "failed"]
        # The same failure for everyone (server down): that one line is the whole story.
        one_error = bool(failed) and len(failed) == len(results) and len({f.error for f in failed}) == 1
        for r in results:
            if ctx.json:
                ctx.emit({"since": start, "until": end, **r.to_dict()})
                continue
            who = r.address or "(everything)"
            if r.status == "skipped":
                ctx.info(f"already sent  {who}  for {start}…{end} (use --resend to send again)")
            elif r.status == "failed":
                if not one_error:
                    ctx.info(f"FAILED        {who}  {r.error}")
            else:
                label = {"sent": "sent", "written": "written", "empty": "nothing to send"}[r.status]
                where = f"  → {r.file}" if r.file else ""
                ctx.info(f"{label:<13} {who}  {r.statements} statements, {r.people} people{where}")
        if failed:
            if one_error:
                raise KbError(str(failed[0].error))
            names_ = ", ".join(f.address or "?" for f in failed)
            raise KbError(
                f"{len(failed)} of {len(results)} digests not sent ({names_}: {failed[0].error}); "
                "nothing recorded as sent for them, the next run retries"
            )

    @kb_command(group, "subscribe")
    @click.argument("address")
    @click.option(
        "--person",
        "people",
        multiple=True,
        metavar="P",
        help="Follow a person (any script, English or pinyin; repeatable).",
    )
    @click.option(
        "--company",
        "companies",
        multiple=True,
        metavar="C",
        help="Follow a company: its statements and those of people in a role there (repeatable).",
    )
    @click.option(
        "--topic",
        "topics",
        multiple=True,
        metavar="T",
        help="Follow a topic, e.g. pricing, 价格战, open source (repeatable).",
    )
    @click.option("--query", metavar="Q", help="Words a statement must contain (all of them).")
    @click.option(
        "--hide-unsure",
        is_flag=True,
        help="Leave statements whose speaker is in doubt (below the KB's unsure_below) out of this "
        "address's digests; by default they are listed, marked 'unsure speaker'.",
    )
    def subscribe_cmd(
        ctx: Ctx,
        address: str,
        people: tuple[str, ...],
        companies: tuple[str, ...],
        topics: tuple[str, ...],
        query: str | None,
        hide_unsure: bool,
    ) -> None:
        """Subscribe ADDRESS to the weekly digest (subscribing again replaces what it follows).

        People and companies choose who; topics and the query choose what; with both, a
        statement must match both. With nothing, the digest has everything. Statements whose
        speaker is in doubt are listed, marked "unsure speaker", unless --hide-unsure; they never
        count for what changed (new topics, stance shifts, most quoted).

        \b
        Examples:
          kb subscribe ana@example.com --person 王小川 --person "Kai-Fu Lee" --topic pricing
          kb subscribe ops@example.com --company 字节跳动 --query 芯片
          kb subscribe all@example.com
          kb subscribe cio@example.com --company 百度 --hide-unsure
        """
        from kb.digest import Names, subscribe
        from kb.store import Store

        with Store(ctx.settings.db_path) as store:
            names = Names.load(store)
            sub = subscribe(
                store, address, list(people), list(companies), list(topics), query,
                names=names, hide_unsure=hide_unsure,
            )  # fmt: skip
            if ctx.json:
                ctx.emit(sub.to_dict(names))
            else:
                click.echo(f"subscribed {sub.address} (id {sub.id}): {sub.describe(names)}")

    @kb_command(group, "subscriptions")
    def subscriptions_cmd(ctx: Ctx) -> None:
        """List the digest subscriptions, with the last window sent to each.

        \b
        Example:
          kb subscriptions --json
        """
        from kb.digest import Names, list_subscriptions
        from kb.store import Store

        with Store(ctx.settings.db_path) as store:
            names = Names.load(store)
            subs = list_subscriptions(store)
            for s in subs:
                last = store.db.execute(
                    "SELECT window_start, window_end, status, at FROM digest_sends WHERE address = ? "
                    "ORDER BY window_end DESC, at DESC LIMIT 1",
                    (s.address.lower(),),
                ).fetchone()
                if ctx.json:
                    ctx.emit({**s.to_dict(names), "last_send": dict(last) if last else None})
                else:
                    tail = (
                        f"  [last: {last['window_start']}…{last['window_end']} {last['status']}]"
                        if last
                        else ""
                    )
                    click.echo(f"{s.id:>3}  {s.address}  {s.describe(names)}{tail}")
            if not subs and not ctx.json:
                ctx.info("no subscriptions (add one with `kb subscribe ADDRESS`)")

    @kb_command(group, "unsubscribe")
    @click.argument("address_or_id")
    def unsubscribe_cmd(ctx: Ctx, address_or_id: str) -> None:
        """Remove a subscription by address or id (see `kb subscriptions`).

        \b
        Examples:
          kb unsubscribe ana@example.com
          kb unsubscribe 3
        """
        from kb.digest import unsubscribe
        from kb.store import Store

        with Store(ctx.settings.db_path) as store:
            n = unsubscribe(store, address_or_id)
        if not n:
            raise UsageError(f"no subscription for {address_or_id!r} (see `kb subscriptions`)")
        if ctx.json:
            ctx.emit({"removed": address_or_id})
        else:
            click.echo(f"unsubscribed {address_or_id}")

"""`kb timeline`, `kb compare`, `kb changes`, `kb label`: thin shells over kb.timeline and kb.stance."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from kb.cli.common import Ctx, kb_command
from kb.errors import KbError

BY = click.Choice(["week", "month"])


@contextmanager
def _store(ctx: Ctx, *, write: bool = False) -> Iterator[Any]:
    from kb.store import Store, StoreError

    if not write and not ctx.settings.db_path.exists():
        raise KbError(f"no knowledge base at {ctx.home} (run `kb ingest` first)")
    try:
        store = Store(ctx.settings.db_path, readonly=not write)
    except StoreError as e:
        raise KbError(str(e)) from e
    try:
        yield store
    finally:
        store.close()


def _print_rows(ctx: Ctx, rows: list[dict[str, Any]], as_csv: bool, fields: list[str], empty: str) -> None:
    if ctx.json:
        for r in rows:
            ctx.emit(r)
        return
    if as_csv:
        w = csv.writer(sys.stdout)
        w.writerow(fields)
        for r in rows:
            w.writerow([" ".join(r[f]) if isinstance(r.get(f), list) else r.get(f) for f in fields])
        return
    if not rows:
        click.echo(empty)
        return
    for r in rows:
        ids = r.get("statement_ids", [])
        shown = ", ".join(ids[:3]) + (f" … (+{len(ids) - 3})" if len(ids) > 3 else "")
        lead = "  ".join(
            str(r.get(f) if r.get(f) is not None else "-") for f in fields if f not in ("statement_ids",)
        )
        click.echo(f"{lead}  [{shown}]")


def register(group: click.Group) -> None:
    @kb_command(group, "timeline")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV (statement ids space-separated).")
    @click.option("--until", help="Last day (YYYY-MM-DD or YYYY-MM).")
    @click.option("--since", help="First day (YYYY-MM-DD or YYYY-MM).")
    @click.option("--by", type=BY, default="month", show_default=True, help="Period length.")
    @click.option("--topic", help="Only this topic (id, or a name in any language: 价格战, pricing).")
    @click.option("--person", help="A person (any script, English or pinyin).")
    @click.option("--company", help="A company (its statements and those of its people while there).")
    def timeline_cmd(ctx: Ctx, company: str | None, person: str | None, topic: str | None, by: str,
                     since: str | None, until: str | None, as_csv: bool) -> None:  # fmt: skip
        """Statement counts per period, topic and stance for a company or a person.

        A company's timeline counts the statements of the people who held a role there on
        each date, plus the company's own statements. Rows: period, topic, stance, count,
        statement_ids.

        \b
        Example:
          kb timeline --company 百度 --topic 开源 --by month
          kb timeline --person "Wang Xiaochuan" --since 2024-05 --json
          kb timeline --company Xiaomi --by week --csv > xiaomi.csv
        """
        from kb.timeline import timeline

        if bool(company) == bool(person):
            raise KbError("give exactly one of --company or --person")
        with _store(ctx) as store:
            rows = timeline(
                store, company=company, person=person, topic=topic, by=by, since=since, until=until
            )
        _print_rows(ctx, rows, as_csv, ["period", "topic", "stance", "count", "statement_ids"],
                    "no statements in this window")  # fmt: skip

    @kb_command(group, "compare")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
    @click.option("--until", help="Last day (YYYY-MM-DD or YYYY-MM).")
    @click.option("--since", help="First day (YYYY-MM-DD or YYYY-MM).")
    @click.option("--by", type=BY, default="month", show_default=True, help="Period length.")
    @click.option("--topic", help="Topic (id or a name in any language).")
    @click.option("--company", "companies", multiple=True, required=True, help="A company; give two or more.")
    def compare_cmd(ctx: Ctx, companies: tuple[str, ...], topic: str | None, by: str, since: str | None,
                    until: str | None, as_csv: bool) -> None:  # fmt: skip
        """Two or more companies side by side: counts per period, topic and stance.

        \b
        Example:
          kb compare --company 阿里云 --company 火山引擎 --topic pricing
          kb compare --company Baidu --company Alibaba --topic open_source --by week --json
        """
        from kb.timeline import compare

        with _store(ctx) as store:
            rows = compare(store, list(companies), topic=topic, by=by, since=since, until=until)
        _print_rows(ctx, rows, as_csv, ["period", "company", "topic", "stance", "count", "statement_ids"],
                    "no statements in this window")  # fmt: skip

    @kb_command(group, "changes")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
    @click.option("--until", help="Last day (YYYY-MM-DD or YYYY-MM).")
    @click.option("--since", help="First day (YYYY-MM-DD or YYYY-MM).")
    @click.option("--by", type=BY, default="month", show_default=True, help="Period length.")
    @click.option("--topic", help="Only this topic.")
    @click.option("--person", help="A person.")
    @click.option("--company", help="A company.")
    def changes_cmd(ctx: Ctx, company: str | None, person: str | None, topic: str | None, by: str,
                    since: str | None, until: str | None, as_csv: bool) -> None:  # fmt: skip
        """What changed per period: first statement on a topic, and stance shifts from the
        previous period that had a stance.

        \b
        Example:
          kb changes --company 百度
          kb changes --person 王小川 --by week --json
        """
        from kb.timeline import changes

        if bool(company) == bool(person):
            raise KbError("give exactly one of --company or --person")
        with _store(ctx) as store:
            rows = changes(
                store, company=company, person=person, by=by, since=since, until=until, topic=topic
            )
        fields = ["period", "topic", "change", "previous_stance", "stance", "count", "statement_ids"]
        _print_rows(ctx, rows, as_csv, fields, "nothing changed in this window")

    @kb_command(group, "label")
    @click.option("--no-retrain", is_flag=True, help="Store the correction without refitting the model.")
    @click.option(
        "--retrain", is_flag=True, help="Refit the stance model on all corrections (alone: just that)."
    )
    @click.option("--note", help="Why (kept with the correction).")
    @click.option(
        "--stance", type=click.Choice(["for", "against", "neutral", "mixed"]), help="The right stance."
    )
    @click.option("--topic", help="The topic the stance is about (id or name).")
    @click.argument("statement_id", required=False)
    def label_cmd(ctx: Ctx, statement_id: str | None, topic: str | None, stance: str | None, note: str | None,
                  retrain: bool, no_retrain: bool) -> None:  # fmt: skip
        """Correct a statement's stance on a topic; the stance model learns from corrections.

        The correction is kept (table `corrections`, origin 'manual') and survives re-annotation.
        By default the model is refitted right away and saved in the KB home.

        \b
        Example:
          kb label 3f2a9c0d1e2b4a5c6d7e --topic pricing --stance against
          kb label 3f2a9c0d1e2b4a5c6d7e --topic 开源 --stance for --no-retrain
          kb label --retrain
        """
        from kb.stance import default_embedder, label_statement
        from kb.stance import retrain as refit
        from kb.topics import find_topic

        if statement_id is None and not retrain:
            raise KbError("give a STATEMENT_ID with --topic and --stance, or --retrain")
        with _store(ctx, write=True) as store:
            if statement_id is not None:
                if not topic or not stance:
                    raise KbError("a correction needs --topic and --stance")
                res = label_statement(store, statement_id, find_topic(topic) or topic, stance, note)
                if ctx.json:
                    ctx.emit(res)
                else:
                    was = res["previous"] or "none"
                    click.echo(f"{statement_id}: {res['topic']} stance {was} -> {res['stance']}")
            if retrain or (statement_id is not None and not no_retrain):
                model = refit(store, default_embedder(ctx.settings), ctx.home)
                summary = {"retrained": True, "model": model.model_name, "examples": model.n_train,
                           "sources": model.sources}  # fmt: skip
                if ctx.json:
                    ctx.emit(summary)
                else:
                    ctx.info(f"stance model refitted on {model.n_train} examples {model.sources}")

"""`kb correct`: fix a statement's speaker or company from the command line (kb.corrections)."""

from __future__ import annotations

import click

from kb.cli.common import Ctx, kb_command
from kb.errors import KbError


def register(group: click.Group) -> None:
    @kb_command(group, "correct")
    @click.option("--note", help="Why (kept with the correction).")
    @click.option("--title", help="The speaker's title, with --speaker (e.g. 创始人兼CEO).")
    @click.option("--company", help='The right company (name in any script or id); "" clears it.')
    @click.option("--speaker", help='The right speaker (name in any script or id); "" = an unnamed source.')
    @click.argument("statement_id")
    def correct_cmd(ctx: Ctx, statement_id: str, speaker: str | None, company: str | None, title: str | None,
                    note: str | None) -> None:  # fmt: skip
        """Correct who said a statement, or their company.

        The fix is kept (table `corrections`), the statement is shown as corrected, its search
        words are updated at once and its index metadata at the next `kb ingest` or `kb reindex`.
        A speaker the knowledge base does not know is recorded as a discovered person (confirm
        with `kb people confirm`). Stance fixes: `kb label`.

        \b
        Example:
          kb correct 3f2a9c0d1e2b4a5c6d7e --speaker 王小川
          kb correct 3f2a9c0d1e2b4a5c6d7e --speaker 张三 --title 副总裁 --company 百川智能
          kb correct 3f2a9c0d1e2b4a5c6d7e --company "Volcano Engine" --note "is ByteDance's cloud"
        """
        from kb.base import KnowledgeBase
        from kb.corrections import correct_company, correct_speaker

        if speaker is None and company is None:
            raise KbError("say what to correct: --speaker and/or --company")
        if title is not None and speaker is None:
            raise KbError("--title goes with --speaker")
        if not ctx.settings.db_path.exists():
            raise KbError(f"no knowledge base at {ctx.home} (run `kb ingest` first)")
        with KnowledgeBase(ctx.settings) as kb:
            results = []
            if speaker is not None:
                results.append(correct_speaker(kb.store, statement_id, speaker, kb.registry, title=title,
                                               organization=company if title is not None else None, note=note))  # fmt: skip
            if company is not None and not (speaker is not None and title is not None):
                results.append(correct_company(kb.store, statement_id, company, kb.registry, note=note))
        for r in results:
            if ctx.json:
                ctx.emit(r)
            else:
                click.echo(f"{statement_id}: {r['field']} {r['old'] or '—'} -> {r['new'] or '—'}")
                if r.get("learned"):
                    ctx.info(
                        f"the registry learned {r['learned']} (confirm with `kb people confirm {r['learned']}`)"
                    )
        if not ctx.json:
            ctx.info("the search index picks this up at the next `kb ingest` or `kb reindex`")

    @kb_command(group, "review")
    @click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
    @click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many (the next page).")
    def review_cmd(ctx: Ctx, limit: int, offset: int) -> None:
        """List the statements whose speaker is in doubt ("unsure speaker": a confidence below the KB's
        `unsure_below`, never corrected), lowest confidence first, with the sentence around each and, for
        a speaker reached through 他/该公司, the sentence that names it. Decide each with `kb confirm ID`
        (the speaker is right) or `kb correct ID --speaker NAME`; either takes it off the list.

        \b
        Example:
          kb review
          kb review --limit 50 --json
        """
        from kb import review
        from kb.base import KnowledgeBase
        from kb.records import confidence_text

        if not ctx.settings.db_path.exists():
            raise KbError(f"no knowledge base at {ctx.home} (run `kb ingest` first)")
        below = ctx.settings.unsure_below
        with KnowledgeBase(ctx.settings) as kb:
            total = review.count(kb.store, below)
            items = review.queue(kb.store, below, limit=limit, offset=offset)
        if ctx.json:
            for it in items:
                ctx.emit(it)
            return
        if not items:
            click.echo(
                f"no more to review: {total} in all (kb review --offset 0)"
                if total
                else f"nothing to review: no unsure speaker (confidence below {below:.2f})"
            )
            return
        noun = "statement" if total == 1 else "statements"
        click.echo(f"{total} {noun} with an unsure speaker (confidence below {below:.2f}), lowest first:")
        for n, it in enumerate(items, offset + 1):
            who = it["speaker"] or f"{it['speaker_mention']} (unnamed source)"
            click.echo(f"\n{n}. [{confidence_text(it['confidence'])}] {who}: “{it['text']}”")
            click.echo(f"   {it['id']} · {it.get('source') or '?'} · {it.get('article_title') or ''}")
            if ev := it.get("evidence"):
                click.echo(f"   “{ev['reference']}” is {ev['name']}, named here: …{ev['sentence']}…")
            if it["context_before"] and not (ev and ev["sentence"] == it["context_before"]):
                click.echo(f"   before: {it['context_before']}")
        if total > offset + len(items):
            ctx.info(f"{total - offset - len(items)} more: kb review --offset {offset + len(items)}")

    @kb_command(group, "confirm")
    @click.option("--note", help="Why (kept with the confirmation).")
    @click.argument("statement_id")
    def confirm_cmd(ctx: Ctx, statement_id: str, note: str | None) -> None:
        """Confirm that a statement's speaker is right (after checking the source): it is kept as a fix,
        the statement is no longer an "unsure speaker", and the confirmation holds when the article is
        extracted again.

        \b
        Example:
          kb confirm 3f2a9c0d1e2b4a5c6d7e
        """
        from kb.base import KnowledgeBase
        from kb.corrections import confirm_speaker

        if not ctx.settings.db_path.exists():
            raise KbError(f"no knowledge base at {ctx.home} (run `kb ingest` first)")
        with KnowledgeBase(ctx.settings) as kb:
            r = confirm_speaker(kb.store, statement_id, note=note)
        if ctx.json:
            ctx.emit(r)
        else:
            click.echo(f"{statement_id}: speaker {r['new'] or '—'} confirmed")

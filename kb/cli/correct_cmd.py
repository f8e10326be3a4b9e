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

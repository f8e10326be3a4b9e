"""`kb articles`, `kb stats`, `kb doctor`, `kb reindex`: what is stored and whether it is whole."""

from __future__ import annotations

import click

from kb.base import KnowledgeBase
from kb.cli.common import Ctx, kb_command
from kb.errors import KbError


def _open(ctx: Ctx) -> KnowledgeBase:
    if not ctx.settings.db_path.exists():
        raise KbError(f"no knowledge base at {ctx.home} (run `kb ingest SOURCE` first, or pass --home)")
    return KnowledgeBase(ctx.settings)


def register(group: click.Group) -> None:
    @kb_command(group, "articles")
    @click.option("--limit", default=20, show_default=True, help="How many articles, newest first.")
    def articles(ctx: Ctx, limit: int) -> None:
        """List stored articles, newest first.

        \b
        Example:
          kb articles --limit 5
          kb articles --json | jq .title
        """
        with _open(ctx) as kb:
            for r in kb.store.articles(limit=limit):
                row = {
                    "id": r["id"],
                    "title": r["title"],
                    "published": r["published"],
                    "source": r["source_name"],
                    "url": r["url"],
                    "statements": r["statements"],
                    "demo": bool(r["demo"]),
                }
                if ctx.json:
                    ctx.emit(row)
                else:
                    date = (r["published"] or "")[:10]
                    click.echo(
                        f"{r['id']:>6}  {date:10}  {r['statements']:>3} st.  {r['source_name'][:12]:12}  {r['title']}"
                    )

    @kb_command(group, "stats")
    def stats(ctx: Ctx) -> None:
        """Counts of what the KB holds: articles, statements, people, companies, sources.

        \b
        Example:
          kb stats --json
        """
        with _open(ctx) as kb:
            counts = kb.store.stats()
            if ctx.json:
                ctx.emit(counts)
            else:
                for k, v in counts.items():
                    click.echo(f"{k:>11}: {v}")

    @kb_command(group, "doctor")
    def doctor(ctx: Ctx) -> None:
        """Check the KB: SQLite integrity, and that the vector and keyword indexes agree with
        the statements. Exits 1 when something needs `kb reindex`. Also says whether the attribution
        models (NER tagger, antecedent ranker, confidence) are active, missing or stale; a missing or
        stale one is a note with its fix, since the KB itself is whole.

        \b
        Example:
          kb doctor
          kb doctor --json
        """
        from kb.doctor import check

        with _open(ctx) as kb:
            found = check(kb)
        if ctx.json:
            ctx.emit(found)
        else:
            click.echo(
                f"statements: {found['statements']}  vectors: {found.get('vectors', '?')}  "
                f"keyword rows: {found['keyword_index_rows']}  sqlite: {found['sqlite']}"
            )
            click.echo("models: " + " · ".join(f"{k} {m['state']}" for k, m in found["models"].items()))
            for p in found["problems"]:
                click.echo(f"problem: {p}")
            for n in found.get("notes", []):
                click.echo(f"note: {n}")
            click.echo("ok" if found["ok"] else "not ok")
        if not found["ok"]:
            raise SystemExit(1)

    @kb_command(group, "reindex")
    def reindex(ctx: Ctx) -> None:
        """Rebuild the vector index and the keyword index from the statements in SQLite (after a
        lost index folder, or to switch the embedding model).

        \b
        Example:
          kb reindex
          KB_MODEL=/path/to/st-model kb reindex
        """
        from kb.doctor import reindex as rebuild
        from kb.pipeline import ingest_lock

        def bar(total: int):  # type: ignore[no-untyped-def]
            if ctx.json:
                return None
            import sys

            from tqdm import tqdm

            return tqdm(
                total=total, unit="st", desc="reindex", file=sys.stderr, disable=not sys.stderr.isatty()
            )

        with _open(ctx) as kb, ingest_lock(ctx.home, notify=ctx.info):
            n = rebuild(kb, progress=bar)
        if ctx.json:
            ctx.emit({"reindexed": n, "model": kb.embedder.name})
        else:
            click.echo(f"reindexed {n} statements with {kb.embedder.name}")

"""`kb people …` and `kb companies …`: the registry as analysts see it — list, show, confirm,
merge, correct. Thin: every command calls kb.registry."""

from __future__ import annotations

from typing import Any

import click

from kb.cli.common import Ctx, kb_command
from kb.errors import UsageError
from kb.registry import Entity, Registry, confirm, correct, merge
from kb.store import Store


def _open(ctx: Ctx, *, write: bool = False) -> tuple[Registry, Store | None]:
    """The registry with what this KB discovered; the KB is opened (and created) only to write."""
    path = ctx.settings.db_path
    store = None
    if write or path.exists():
        store = Store(path)
    reg = Registry.load(store=store)
    if store is not None and write:
        # Analysts act on curated entries too: they must exist as rows before a merge.
        reg.sync_to_store(store)
    return reg, store


def _counts(store: Store | None, column: str) -> dict[str, int]:
    if store is None:
        return {}
    return {
        r[0]: r[1]
        for r in store.db.execute(
            f"SELECT {column}, COUNT(*) FROM statements WHERE {column} IS NOT NULL GROUP BY {column}"
        )
    }


def _role_rows(reg: Registry, e: Entity) -> list[dict[str, Any]]:
    out = []
    for r in sorted(e.roles, key=lambda r: r.since or "", reverse=True):
        c = reg.get(r.company_id)
        out.append(
            {
                "company_id": r.company_id,
                "company": c.name if c else r.company_id,
                "title": r.title,
                "since": r.since,
                "until": r.until,
                "origin": r.origin,
            }
        )
    return out


def _recent(store: Store | None, column: str, eid: str, n: int = 5) -> list[dict[str, Any]]:
    if store is None:
        return []
    rows = store.db.execute(
        f"SELECT id, text, published, speaker, title FROM statements WHERE {column} = ? "
        f"ORDER BY published DESC LIMIT ?",
        (eid, n),
    ).fetchall()
    return [dict(r) for r in rows]


def _span(r: dict[str, Any]) -> str:
    since, until = r["since"] or "?", r["until"] or ("now" if r["since"] else "?")
    return f"{since}–{until}"


def _entity_group(group: click.Group, noun: str, kind: str) -> None:
    plural = "people" if kind == "person" else "companies"
    column = "speaker_id" if kind == "person" else "company_id"
    example = "王小川" if kind == "person" else "百川智能"
    example2 = "Wang Xiaochuan" if kind == "person" else "Baichuan"

    @group.group(plural)
    def grp() -> None:
        pass

    grp.help = (
        f"The {plural} of the registry: curated ones (data/registry) and those ingest discovered.\n\n"
        f"\b\nExample:\n  kb {plural} list --status unconfirmed\n  kb {plural} show {example}\n"
        f"  kb {plural} confirm d-…\n  kb {plural} merge d-… {example}"
    )

    def resolve(reg: Registry, name: str) -> Entity:
        return reg.require(name, kind=kind)

    @click.option(
        "--status", type=click.Choice(["all", "confirmed", "unconfirmed"]), default="all", show_default=True
    )
    @click.option(
        "--origin",
        type=click.Choice(["all", "curated", "discovered", "manual"]),
        default="all",
        show_default=True,
    )
    @click.option("--kind", "ekind", type=click.Choice(["all", "company", "media", "organization"]), default="all",
                  help="Companies only: which kind of organisation.", hidden=kind == "person")  # fmt: skip
    @click.option("--limit", type=int, default=0, help="At most N rows (0: all).")
    def list_cmd(ctx: Ctx, status: str, origin: str, ekind: str, limit: int) -> None:
        reg, store = _open(ctx)
        counts = _counts(store, column)
        items = reg.people() if kind == "person" else reg.companies(None if ekind == "all" else ekind)
        items = [
            e
            for e in items
            if (status == "all" or e.status == status) and (origin == "all" or e.origin == origin)
        ]
        items.sort(key=lambda e: (-counts.get(e.id, 0), e.origin != "curated", e.name))
        if limit:
            items = items[:limit]
        for e in items:
            role = reg.role_on(e.id, None) if kind == "person" else None
            company = reg.get(role.company_id) if role else None
            row = {
                "id": e.id,
                "name": e.name,
                "name_en": e.name_en,
                "kind": e.kind,
                "origin": e.origin,
                "status": e.status,
                "statements": counts.get(e.id, 0),
            }
            if kind == "person":
                row["title"] = role.title if role else None
                row["company"] = company.name if company else None
            if ctx.json:
                ctx.emit(row)
            else:
                mark = "" if e.status == "confirmed" else " [unconfirmed]"
                extra = (
                    f"  {row.get('company') or ''} {row.get('title') or ''}".rstrip()
                    if kind == "person"
                    else f"  ({e.kind})"
                )
                click.echo(f"{e.id:<24} {e.display()}{mark}{extra}  · {row['statements']} statements")
        ctx.info(f"{len(items)} {plural}")

    list_cmd.__doc__ = f"""List the {plural} of the registry, most quoted first.

    \b
    Example:
      kb {plural} list
      kb {plural} list --status unconfirmed --json
    """
    kb_command(grp, "list")(list_cmd)

    @click.argument("name")
    def show_cmd(ctx: Ctx, name: str) -> None:
        reg, store = _open(ctx)
        e = resolve(reg, name)
        d = e.to_dict()
        d["statements"] = _counts(store, column).get(e.id, 0)
        d["recent"] = _recent(store, column, e.id)
        if kind == "person":
            d["roles"] = _role_rows(reg, e)
        else:
            d["people"] = [
                {"id": p.id, "name": p.name, **{k: v for k, v in r.items() if k != "company"}}
                for p in reg.people_of(e.id)
                for r in _role_rows(reg, p)
                if r["company_id"] == e.id
            ]
        if ctx.json:
            ctx.emit(d)
            return
        click.echo(f"{e.display()}  [{e.id}] {e.kind}, {e.origin}, {e.status}")
        if e.note:
            click.echo(f"  {e.note}")
        click.echo(f"  aliases: {', '.join(e.aliases)}")
        for r in d.get("roles", []):
            click.echo(f"  {r['company']} {r['title']} ({_span(r)})")
        for p in d.get("people", []):
            click.echo(f"  {p['name']} {p['title']} ({_span(p)})")
        click.echo(f"  statements: {d['statements']}")
        for s in d["recent"]:
            click.echo(f"    {(s['published'] or '')[:10]}  {s['text'][:60]}")

    show_cmd.__doc__ = f"""Who a {noun} is: aliases, roles with dates, statements.

    NAME may be written in any script, in English or pinyin, or be an id.

    \b
    Example:
      kb {plural} show {example}
      kb {plural} show "{example2}" --json
    """
    kb_command(grp, "show")(show_cmd)

    @click.argument("names", nargs=-1, required=True)
    def confirm_cmd(ctx: Ctx, names: tuple[str, ...]) -> None:
        reg, store = _open(ctx, write=True)
        assert store is not None
        for name in names:
            e = resolve(reg, name)
            confirm(store, e.id)
            if ctx.json:
                ctx.emit({"id": e.id, "name": e.name, "status": "confirmed"})
            else:
                click.echo(f"confirmed {e.display()} [{e.id}]")

    confirm_cmd.__doc__ = f"""Confirm discovered {plural} (an analyst vouches for them).

    \b
    Example:
      kb {plural} list --status unconfirmed
      kb {plural} confirm d-姜大昕
    """
    kb_command(grp, "confirm")(confirm_cmd)

    # One two-value argument: the order of separate arguments must not depend on how decorators
    # are stacked.
    @click.argument("pair", nargs=2, metavar="SOURCE TARGET")
    def merge_cmd(ctx: Ctx, pair: tuple[str, str]) -> None:
        source, target = pair
        reg, store = _open(ctx, write=True)
        assert store is not None
        a, b = resolve(reg, source), resolve(reg, target)
        if a.id == b.id:
            raise UsageError(f"{source!r} and {target!r} are already the same {noun} ({a.id})")
        n = merge(store, a.id, b.id)
        if ctx.json:
            ctx.emit({"merged": a.id, "into": b.id, "statements": n})
        else:
            click.echo(f"merged {a.display()} [{a.id}] into {b.display()} [{b.id}]; {n} statements rewritten")
            if n:
                click.echo("their index entries are refreshed by the next `kb ingest` or `kb reindex`")

    merge_cmd.__doc__ = f"""Merge SOURCE into TARGET: aliases and roles move, statements follow.

    Use it when ingest discovered a {noun} the registry already knows under another name.

    \b
    Example:
      kb {plural} merge d-王小川先生 {example}
    """
    kb_command(grp, "merge")(merge_cmd)

    @click.argument("name")
    @click.option("--name", "new_name", help="New canonical name.")
    @click.option("--name-en", help="English name.")
    @click.option("--alias", "add_alias", help="Add an alias.")
    @click.option("--remove-alias", help="Remove an alias stored in the KB.")
    @click.option("--company", help="People only: company (any name or id) of a role to add or fix.")
    @click.option("--title", help="People only: the role's title.")
    @click.option("--since", help="People only: role start (YYYY, YYYY-MM or YYYY-MM-DD).")
    @click.option("--until", help="People only: role end.")
    def correct_cmd(ctx: Ctx, name: str, new_name: str | None, name_en: str | None, add_alias: str | None,
                    remove_alias: str | None, company: str | None, title: str | None, since: str | None,
                    until: str | None) -> None:  # fmt: skip
        reg, store = _open(ctx, write=True)
        assert store is not None
        e = resolve(reg, name)
        cid = reg.require(company, kind="company").id if company else None
        if cid and kind != "person":
            raise UsageError("--company applies to people only")
        correct(store, e.id, name=new_name, name_en=name_en, add_alias=add_alias, remove_alias=remove_alias,
                company=cid, title=title, since=since, until=until)  # fmt: skip
        e2 = Registry.load(store=store).get(e.id)
        if ctx.json:
            ctx.emit(e2.to_dict() if e2 else {"id": e.id})
        else:
            click.echo(f"corrected {e2.display() if e2 else e.id} [{e.id}]")

    correct_cmd.__doc__ = f"""Fix a {noun}: name, aliases{", or a role with dates" if kind == "person" else ""}.

    \b
    Example:
      kb {plural} correct {example} --alias "{example2}"
    """ + (
        "  kb people correct d-张三 --company 阶跃星辰 --title CTO --since 2024-01\n"
        if kind == "person"
        else ""
    )
    kb_command(grp, "correct")(correct_cmd)


def register(group: click.Group) -> None:
    _entity_group(group, "person", "person")
    _entity_group(group, "company", "company")

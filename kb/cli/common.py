"""What every command shares: --home/--json options, JSON Lines output, progress, one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from kb.config import Settings, load_settings

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Ctx:
    """Per-invocation state handed to each command: settings and the output mode."""

    def __init__(self, home: str | None, as_json: bool):
        self.settings: Settings = load_settings(home)
        self.json = as_json

    @property
    def home(self) -> Path:
        return self.settings.home

    def emit(self, obj: Any) -> None:
        """One JSON object per line on stdout (JSON Lines)."""
        click.echo(json.dumps(obj, ensure_ascii=False, default=_json_default))

    def progress(
        self, items: Iterable[T], *, total: int | None = None, desc: str = "", unit: str = "it"
    ) -> Iterator[T]:
        """A bar with counts and rate on a terminal; silent in --json mode or when piped."""
        if self.json or not sys.stderr.isatty():
            yield from items
            return
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)

    def info(self, msg: str) -> None:
        """Human-readable status on stderr (never pollutes --json stdout)."""
        if not self.json:
            click.echo(msg, err=True)


def _json_default(o: Any) -> Any:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, set | tuple):
        return list(o)
    if hasattr(o, "keys"):  # sqlite3.Row
        return {k: o[k] for k in o.keys()}
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def kb_command(group: click.Group, name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a command with the shared --home and --json options; the function receives `ctx: Ctx`
    as its first argument."""

    def decorate(fn: F) -> F:
        @click.option(
            "--json", "as_json", is_flag=True, help="Print JSON Lines (one object per line) on stdout."
        )
        @click.option(
            "--home",
            envvar="KB_HOME",
            type=click.Path(file_okay=False),
            help="Knowledge base folder (default $KB_HOME or ~/.kb).",
        )
        def wrapper(home: str | None, as_json: bool, **kw: Any) -> Any:
            # `kb --home H --json cmd` and `kb cmd --home H --json` mean the same.
            top = click.get_current_context().find_root().obj or {}
            return fn(Ctx(home or top.get("home"), as_json or bool(top.get("json"))), **kw)

        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        # click keeps decorator params in reverse order and reverses them when it builds the
        # command; appending fn's list as is keeps the declared order of arguments.
        wrapper.__click_params__.extend(getattr(fn, "__click_params__", []))  # type: ignore[attr-defined]
        group.command(name, **kwargs)(wrapper)
        return fn

    return decorate

"""The `kb` command. Each command group lives in its own module and only parses arguments and
calls the library; `main` turns any user-facing error into one line on stderr."""

from __future__ import annotations

import importlib
import os
import sys

import click

from kb.errors import KbError

# Modules that add commands to the group (each defines `register(group)`).
COMMAND_MODULES = [
    "kb.cli.ingest_cmd",  # ingest, extract, watch, sources
    "kb.cli.admin_cmd",  # articles, stats, doctor, reindex
    "kb.cli.search_cmd",  # search
    "kb.cli.people_cmd",  # people, companies
    "kb.cli.timeline_cmd",  # timeline, compare, changes, label
    "kb.cli.digest_cmd",  # digest, subscribe, subscriptions, unsubscribe
    "kb.cli.eval_cmd",  # eval statements|ner|search|topics|stance
    "kb.cli.bench_cmd",  # bench ingest|search
    "kb.cli.ui_cmd",  # ui
    "kb.cli.correct_cmd",  # correct, confirm, review
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kb-quotes")
@click.option(
    "--home",
    envvar="KB_HOME",
    type=click.Path(file_okay=False),
    help="Knowledge base folder (default $KB_HOME or ~/.kb).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines on stdout.")
@click.pass_context
def cli(ctx: click.Context, home: str | None, as_json: bool) -> None:
    """Who said what in Chinese tech press.

    \b
    Example:
      kb --help
      kb ingest data/demo/demo-feed.xml --home ~/kb
      kb search "王小川 价格战" --home ~/kb

    --home and --json may be given before or after the command.
    """
    ctx.obj = {"home": home, "json": as_json}


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        cli.main(args=argv, prog_name="kb", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("kb: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except KbError as e:
        click.echo(f"kb: {e}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("kb: interrupted; everything committed so far is kept", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:  # noqa: BLE001 - last line of defence: no traceback for users
        if os.environ.get("KB_DEBUG"):
            raise
        click.echo(f"kb: unexpected error: {type(e).__name__}: {e} (set KB_DEBUG=1 for details)", err=True)
        sys.exit(2)
    sys.exit(0)

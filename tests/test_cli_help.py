"""Every command documents itself with an example (STYLE 14), and errors never show a traceback."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from kb.cli import cli


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((prefix + (name,), cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, prefix + (name,))
    return out


COMMANDS = _commands(cli)


def test_the_contract_commands_exist() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    for required in [
        "ingest",
        "extract",
        "search",
        "articles",
        "stats",
        "doctor",
        "reindex",
        "ui",
        "timeline",
        "digest",
    ]:
        assert required in names, f"kb {required} is missing"


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path: tuple[str, ...], cmd: click.Command) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert (cmd.help or "").strip(), f"kb {' '.join(path)} has no help text"
    assert "Example" in result.output, f"kb {' '.join(path)} --help shows no example"


def test_every_leaf_command_takes_home_and_json() -> None:
    for path, cmd in COMMANDS:
        if isinstance(cmd, click.Group):
            continue
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert {"--home", "--json"} <= opts, f"kb {' '.join(path)} lacks --home or --json"

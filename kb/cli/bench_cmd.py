"""`kb bench` is registered together with `kb eval` in kb.cli.eval_cmd."""

import click


def register(group: click.Group) -> None:
    return None

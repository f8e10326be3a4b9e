"""Placeholder: commands of this group are added by their owner."""

import click


def register(group: click.Group) -> None:
    return None

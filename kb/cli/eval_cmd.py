"""`kb eval …` and `kb bench …`: groups whose subcommands live with the code they measure."""

from __future__ import annotations

import importlib

import click

EVALS = ["statements", "agreement", "ner", "search", "topics", "stance"]
BENCHES = ["ingest", "search"]


def _attach(group: click.Group, package: str, names: list[str]) -> None:
    for name in names:
        module = f"{package}.{name}"
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name == module:  # not written yet
                continue
            raise
        mod.register(group)


def register(group: click.Group) -> None:
    @group.group("eval")
    def eval_group() -> None:
        """Score extraction, entities, search, topics and stance on labelled data.

        \b
        Example:
          kb eval statements --json
          kb eval ner --cluener ../shared/data/cluener/dev.json
        """

    @group.group("bench")
    def bench_group() -> None:
        """Measure throughput and latency, and how they grow with size.

        \b
        Example:
          kb bench ingest ../shared/data/feeds/cnbeta-2026 --json
          kb bench search --size 100000 --json
        """

    _attach(eval_group, "kb.eval", EVALS)
    _attach(bench_group, "kb.bench", BENCHES)

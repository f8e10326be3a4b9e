"""`kb eval agreement`: how far two labellers agree on the same articles, scored like the extractor.

A second labeller labels, blind to the gold labels, articles the gold set already holds
(data/gold/agreement.jsonl). Their statements are scored against the gold ones with the rules
`kb eval statements` uses, and the other way round. That is the ceiling to read the extractor's
scores against: a target above what two careful people agree on cannot be measured.

Labels give only where a statement starts (its anchor), so each label becomes a span from its
anchor to the next anchor of the same labeller or the end of the paragraph, whichever comes first:
about what a sentence-level extractor would predict. The extractor is scored on the same articles
against both labellers, so the three numbers sit side by side.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kb.errors import KbError
from kb.eval.statements import (
    GOLD,
    ROOT,
    Report,
    anchor_pos,
    feeds_and_registry,
    load_articles,
    load_gold,
    score_article,
)
from kb.records import Statement

SECOND = ROOT / "data" / "gold" / "agreement.jsonl"


def as_predictions(text: str, labels: list[dict[str, Any]]) -> list[Statement]:
    """One labeller's non-optional statements as predicted spans (see the module docstring)."""
    starts = sorted(
        (p, i) for i, s in enumerate(labels) if (p := anchor_pos(text, s["anchor"], s.get("nth", 1))) >= 0
    )
    out = []
    for j, (pos, i) in enumerate(starts):
        s = labels[i]
        if s.get("optional"):
            continue
        nxt = starts[j + 1][0] if j + 1 < len(starts) else len(text)
        para = text.find("\n", pos)
        end = min(nxt, para if para >= 0 else len(text))
        out.append(
            Statement(
                text=text[pos:end],
                start=pos,
                end=max(end, pos + 1),
                kind="direct" if s["kind"].startswith("d") else "indirect",
                cue=None,
                speaker=s["speaker"],
                speaker_mention=s["speaker"] or "",
                speaker_type=s["speaker_type"],
                title=s.get("title"),
                organization=s.get("organization"),
            )
        )
    return out


def agreement(
    second_path: Path = SECOND, gold_path: Path = GOLD, data: Path | None = None, registry: Any = None
) -> dict[str, Any]:
    """Scores of the second labeller against gold, gold against the second labeller, and the
    extractor against each, on the articles both labelled."""
    from kb.nlp import extract

    second = {(g["feed"], g["guid"]): g for g in load_gold(second_path)}
    gold = {(g["feed"], g["guid"]): g for g in load_gold(gold_path)}
    keys = [k for k in second if k in gold]
    if not keys:
        raise KbError(f"no article of {second_path} is in {gold_path}")
    arts = load_articles(keys, data)
    keys = [k for k in keys if k in arts]
    texts = [arts[k][0] for k in keys]
    preds = extract(texts, [arts[k][1] for k in keys], registry=registry)
    reports = {
        name: Report() for name in ("second_vs_gold", "gold_vs_second", "system_vs_gold", "system_vs_second")
    }
    for k, text, ps in zip(keys, texts, preds, strict=True):
        a, b = gold[k]["statements"], second[k]["statements"]
        score_article(text, a, as_predictions(text, b), reports["second_vs_gold"], registry)
        score_article(text, b, as_predictions(text, a), reports["gold_vs_second"], registry)
        score_article(text, a, ps, reports["system_vs_gold"], registry)
        score_article(text, b, ps, reports["system_vs_second"], registry)
    return {name: r.as_dict() for name, r in reports.items()}


def register(group: click.Group) -> None:
    from kb.cli.common import Ctx, kb_command

    @kb_command(group, "agreement")
    @click.option(
        "--second",
        "second_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="The second labeller's JSONL (default data/gold/agreement.jsonl).",
    )
    def agreement_cmd(ctx: Ctx, second_path: str | None) -> None:
        """Agreement of two labellers on the same articles, next to the extractor's scores.

        Scores the second labelling against the gold set and the other way round, with the rules of
        `kb eval statements`; the extractor is scored against both. Needs ../shared/data.

        \b
        Example:
          kb eval agreement
          kb eval agreement --json
        """
        data, registry = feeds_and_registry()
        res = agreement(Path(second_path) if second_path else SECOND, GOLD, data, registry)
        if ctx.json:
            for name, r in res.items():
                ctx.emit({"pair": name, **r})
            return
        for name, r in res.items():
            t = r["all"]
            click.echo(
                f"{name:17s} P={t['precision']:.3f} R={t['recall']:.3f} (pred {t['predicted']}, gold {t['gold']})"
                f"  title acc={r['title_accuracy']}  organization acc={r['organization_accuracy']}"
            )

"""`kb eval ner`: the entity tagger (registry + discovery patterns) scored on CLUENER2020.

CLUENER files are a sequence of JSON objects ({"text": …, "label": {label: {mention: [[s, e]…]}}}),
spans with the end INCLUDED. We score exact spans for three labels, mapping the tagger's
PERSON → name, ORG (companies) → company, TITLE → position. Registry organisations of kind
"organization"/"media" and universities are not CLUENER companies (CLUENER calls them
organization/government), so they are left out of the predictions.

Configurations reported (all without a statistical model):
  registry+patterns   the tagger exactly as ingest runs it
  +train lexicons     plus position words and company-name endings harvested from CLUENER's
                      train split (fair: the train split exists for this), when train.json is
                      beside the dev file or given with --train
Published BERT-base on dev (../shared/README.md): name 88.3, company 83.9, position 81.1.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kb.errors import UsageError

if TYPE_CHECKING:
    from kb.cli.common import Ctx

LABELS = {"PERSON": "name", "ORG": "company", "TITLE": "position"}
BASELINE_BERT_DEV = {"name": 88.3, "company": 83.9, "position": 81.1}
NOT_COMPANY_ENDINGS = ("大学", "学院", "研究院", "研究所", "实验室", "协会", "委员会", "俱乐部")


def read_cluener(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a CLUENER file (one per line or pretty-printed, one after another)."""
    text = Path(path).read_text(encoding="utf-8")
    dec = json.JSONDecoder()
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        obj, i = dec.raw_decode(text, i)
        yield obj


def gold_spans(obj: dict[str, Any]) -> set[tuple[str, int, int]]:
    """(label, start, end exclusive) for the labels we score."""
    out = set()
    for label, mentions in (obj.get("label") or {}).items():
        if label not in BASELINE_BERT_DEV:
            continue
        for spans in mentions.values():
            for s, e in spans:
                out.add((label, int(s), int(e) + 1))
    return out


@dataclass
class Score:
    gold: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)

    def add(self, gold: set[tuple[str, int, int]], pred: set[tuple[str, int, int]]) -> None:
        for g in gold:
            self.gold[g[0]] += 1
        for p in pred:
            self.pred[p[0]] += 1
        for c in gold & pred:
            self.correct[c[0]] += 1

    def row(self, label: str | None) -> dict[str, Any]:
        labels = [label] if label else list(BASELINE_BERT_DEV)
        g = sum(self.gold[x] for x in labels)
        p = sum(self.pred[x] for x in labels)
        c = sum(self.correct[x] for x in labels)
        prec = c / p if p else 0.0
        rec = c / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {
            "label": label or "micro",
            "precision": round(prec, 4),
            "recall": round(rec, 4),
            "f1": round(f1, 4),
            "gold": g,
            "predicted": p,
            "correct": c,
        }


def harvest_train(path: Path, min_count: int = 2) -> tuple[list[str], list[str]]:
    """Position words seen at least `min_count` times in train, and company-name endings (the
    last two characters) that end at least 30 train company names and are mostly company-final."""
    positions: Counter[str] = Counter()
    endings: Counter[str] = Counter()
    for obj in read_cluener(path):
        for label, mentions in (obj.get("label") or {}).items():
            for m, spans in mentions.items():
                if label == "position":
                    positions[m] += len(spans)
                elif label == "company" and len(m) >= 4:
                    endings[m[-2:]] += len(spans)
    titles = [w for w, k in positions.items() if k >= min_count and 1 < len(w) <= 12]
    suffixes = [s for s, k in endings.items() if k >= 30 and all("\u4e00" <= c <= "\u9fff" for c in s)]
    return titles, suffixes


def evaluate(dev: Path, train: Path | None = None, limit: int = 0) -> dict[str, Any]:
    from kb.nlp.ner import EntityTagger
    from kb.registry import Registry
    from kb.textnorm import to_simplified

    reg = Registry.load()
    configs: dict[str, Any] = {"registry+patterns": EntityTagger(reg)}
    if train is not None:
        titles, suffixes = harvest_train(train)
        configs["+train lexicons"] = EntityTagger(reg, extra_titles=titles, extra_suffixes=suffixes)
    docs = list(read_cluener(dev))
    if limit:
        docs = docs[:limit]
    out: dict[str, Any] = {"sentences": len(docs), "configs": {}}
    for name, tagger in configs.items():
        score = Score()
        for obj in docs:
            text = to_simplified(obj["text"])
            pred = set()
            for s in tagger.tag(text):
                label = LABELS.get(s.label)
                if label is None:
                    continue
                if label == "company":
                    e = reg.get(s.entity_id) if s.entity_id else None
                    if (e is not None and e.kind != "company") or s.text.endswith(NOT_COMPANY_ENDINGS):
                        continue
                pred.add((label, s.start, s.end))
            score.add(gold_spans(obj), pred)
        rows = [score.row(x) for x in BASELINE_BERT_DEV] + [score.row(None)]
        for r in rows:
            r["baseline_bert_dev_f1"] = BASELINE_BERT_DEV.get(r["label"])
        out["configs"][name] = rows
    return out


def register(group: click.Group) -> None:
    # Imported here: kb.cli imports this module while it builds its command groups.
    from kb.cli.common import kb_command

    @click.option("--cluener", "dev", required=True, type=click.Path(exists=True, dir_okay=False),
                  help="CLUENER2020 file to score (dev.json).")  # fmt: skip
    @click.option("--train", type=click.Path(exists=True, dir_okay=False), default=None,
                  help="CLUENER train.json to harvest lexicons from (default: beside --cluener, if there).")  # fmt: skip
    @click.option("--no-train", is_flag=True, help="Score the tagger as ingest runs it only.")
    @click.option("--limit", type=int, default=0, help="Score the first N sentences only.")
    def ner(ctx: Ctx, dev: str, train: str | None, no_train: bool, limit: int) -> None:
        """Precision, recall and F1 of the entity tagger on CLUENER (name, company, position).

        Registry plus discovery patterns, no statistical model; a second configuration adds
        lexicons harvested from CLUENER's train split. Compared with BERT-base on dev.

        \b
        Example:
          kb eval ner --cluener ../shared/data/cluener/dev.json
          kb eval ner --cluener ../shared/data/cluener/dev.json --no-train --json
        """
        dev_path = Path(dev)
        train_path = None if no_train else Path(train) if train else dev_path.with_name("train.json")
        if train_path is not None and not train_path.exists():
            train_path = None
        try:
            res = evaluate(dev_path, train_path, limit)
        except (json.JSONDecodeError, KeyError, ValueError) as e:
            raise UsageError(f"{dev}: not a CLUENER file ({e})") from e
        for cfg, rows in res["configs"].items():
            for r in rows:
                if ctx.json:
                    ctx.emit({"config": cfg, "sentences": res["sentences"], **r})
            if not ctx.json:
                click.echo(f"{cfg}  ({res['sentences']} sentences)")
                click.echo(f"  {'label':<10}{'P':>7}{'R':>7}{'F1':>7}   BERT-base dev F1")
                for r in rows:
                    base = r["baseline_bert_dev_f1"]
                    click.echo(
                        f"  {r['label']:<10}{r['precision'] * 100:7.1f}{r['recall'] * 100:7.1f}"
                        f"{r['f1'] * 100:7.1f}   {base if base is not None else ''}"
                    )

    kb_command(group, "ner")(ner)

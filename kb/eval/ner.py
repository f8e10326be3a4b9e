"""`kb eval ner`: the entity tagger (registry + discovery patterns) scored on CLUENER2020.

CLUENER files are a sequence of JSON objects ({"text": …, "label": {label: {mention: [[s, e]…]}}}),
spans with the end INCLUDED. We score exact spans for three labels, mapping the tagger's
PERSON → name, ORG (companies) → company, TITLE → position. Registry organisations of kind
"organization"/"media" and universities are not CLUENER companies (CLUENER calls them
organization/government), so they are left out of the predictions.

Configurations reported:
  crf                 the trained character CRF (kb/nlp/ner_crf.py), when its model is cached
                      (scripts/setup.sh trains it from CLUENER train); scored on every CLUENER
                      label it predicts, "micro" being over name/company/position as for the rules
  registry+patterns   the rule tagger exactly as ingest runs it (no statistical model)
  +train lexicons     plus position words and company-name endings harvested from CLUENER's
                      train split (fair: the train split exists for this), when train.json is
                      beside the dev file or given with --train
`--rules` leaves the CRF out. Each configuration reports its tagging speed (characters/s).
Published BERT-base on dev (../shared/README.md): name 88.3, company 83.9, position 81.1.

Where we stand (dev F1, name/company/position): rules 35.7/24.2/50.1, rules + train lexicons
44.2/20.6/67.5, CRF 81.4/77.9/76.5 (all ten labels 74.0, against BiLSTM-CRF 70.0 and BERT-base 78.8
on the test set). What the rest of the gap needs: context a linear model over a ±3 window cannot
see — a pre-trained Chinese encoder (BERT/RoBERTa-wwm, ~100M parameters) fine-tuned on CLUENER
train. No such weights can be fetched here (no model hub); the e5-small encoder we bundle is a
multilingual sentence model whose token layer could be fine-tuned as a tagger (untested; hours on
2 CPU cores, minutes on a GPU). Cheaper steps for the CRF: character clusters or embeddings learnt
from the unlabelled feeds as extra features (typically +1–3 F1), more registry entries.
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


def gold_spans(obj: dict[str, Any], all_labels: bool = False) -> set[tuple[str, int, int]]:
    """(label, start, end exclusive) for the labels we score (name/company/position, or all)."""
    out = set()
    for label, mentions in (obj.get("label") or {}).items():
        if not all_labels and label not in BASELINE_BERT_DEV:
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

    def row(self, label: str | None, over: list[str] | None = None) -> dict[str, Any]:
        labels = [label] if label else over or list(BASELINE_BERT_DEV)
        g = sum(self.gold[x] for x in labels)
        p = sum(self.pred[x] for x in labels)
        c = sum(self.correct[x] for x in labels)
        prec = c / p if p else 0.0
        rec = c / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {
            "label": label or ("micro-all" if over else "micro"),
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


def evaluate(dev: Path, train: Path | None = None, limit: int = 0, use_crf: bool = True) -> dict[str, Any]:
    """Scores per configuration; `tagger` says whether the trained CRF was used (and which)."""
    import time

    from kb.nlp.ner import EntityTagger
    from kb.nlp.ner_crf import load
    from kb.registry import Registry
    from kb.textnorm import to_simplified

    reg = Registry.load()
    crf = load() if use_crf else None
    configs: dict[str, Any] = {}
    if crf is not None:
        configs["crf"] = crf
    configs["registry+patterns"] = EntityTagger(reg)
    if train is not None:
        titles, suffixes = harvest_train(train)
        configs["+train lexicons"] = EntityTagger(reg, extra_titles=titles, extra_suffixes=suffixes)
    docs = list(read_cluener(dev))
    if limit:
        docs = docs[:limit]
    texts = [to_simplified(obj["text"]) for obj in docs]
    n_chars = sum(len(t) for t in texts)
    if crf is not None:
        which = crf.describe()
    elif use_crf:
        which = "rules (no trained model cached: python -m kb.nlp.ner_crf train)"
    else:
        which = "rules (--rules)"
    out: dict[str, Any] = {
        "sentences": len(docs),
        "tagger": which,
        "configs": {},
        "chars_per_s": {},
    }
    for name, tagger in configs.items():
        score = Score()
        preds: list[set[tuple[str, int, int]]] = []
        tagger.tag("小米集团董事长雷军表示")  # warm-up: jieba and lexicons load on first use, not timed
        t0 = time.perf_counter()
        if name == "crf":
            preds = [{(lab, s, e) for s, e, lab in tagger.tag(text)} for text in texts]
        else:
            for text in texts:
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
                preds.append(pred)
        elapsed = time.perf_counter() - t0
        all_labels = name == "crf"
        for obj, pred in zip(docs, preds, strict=True):
            score.add(gold_spans(obj, all_labels), pred)
        rows = [score.row(x) for x in BASELINE_BERT_DEV] + [score.row(None)]
        if all_labels:
            others = sorted((set(score.pred) | set(score.gold)) - set(BASELINE_BERT_DEV))
            rows += [score.row(x) for x in others] + [score.row(None, list(BASELINE_BERT_DEV) + others)]
        for r in rows:
            r["baseline_bert_dev_f1"] = BASELINE_BERT_DEV.get(r["label"])
            r["chars_per_s"] = round(n_chars / elapsed) if elapsed > 0 else 0
        out["configs"][name] = rows
        out["chars_per_s"][name] = round(n_chars / elapsed) if elapsed > 0 else 0
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
    @click.option("--rules", is_flag=True, help="Leave the trained CRF out even when it is cached.")
    def ner(ctx: Ctx, dev: str, train: str | None, no_train: bool, limit: int, rules: bool) -> None:
        """Precision, recall and F1 of the entity taggers on CLUENER (name, company, position, …).

        The trained CRF (when set-up has trained it) on every label it predicts; the rule tagger
        (registry plus discovery patterns); and the rules plus lexicons harvested from CLUENER's
        train split. Compared with BERT-base on dev; each with its tagging speed.

        \b
        Example:
          kb eval ner --cluener ../shared/data/cluener/dev.json
          kb eval ner --cluener ../shared/data/cluener/dev.json --rules --no-train --json
        """
        dev_path = Path(dev)
        train_path = None if no_train else Path(train) if train else dev_path.with_name("train.json")
        if train_path is not None and not train_path.exists():
            train_path = None
        try:
            res = evaluate(dev_path, train_path, limit, use_crf=not rules)
        except (json.JSONDecodeError, KeyError, ValueError) as e:
            raise UsageError(f"{dev}: not a CLUENER file ({e})") from e
        for cfg, rows in res["configs"].items():
            for r in rows:
                if ctx.json:
                    ctx.emit({"config": cfg, "tagger": res["tagger"], "sentences": res["sentences"], **r})
            if not ctx.json:
                if cfg == next(iter(res["configs"])):
                    click.echo(f"tagger: {res['tagger']}")
                speed = res["chars_per_s"][cfg]
                click.echo(f"{cfg}  ({res['sentences']} sentences, {speed:,} chars/s)")
                click.echo(f"  {'label':<13}{'P':>7}{'R':>7}{'F1':>7}   BERT-base dev F1")
                for r in rows:
                    base = r["baseline_bert_dev_f1"]
                    click.echo(
                        f"  {r['label']:<13}{r['precision'] * 100:7.1f}{r['recall'] * 100:7.1f}"
                        f"{r['f1'] * 100:7.1f}   {base if base is not None else ''}"
                    )

    kb_command(group, "ner")(ner)

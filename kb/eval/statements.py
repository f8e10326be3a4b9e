"""`kb eval statements`: precision and recall of statements with the right speaker, on a gold set of
real articles from ../shared/data (referenced by feed file + guid, statements by a short anchor).

Gold format (data/gold/statements.jsonl, one article per line):
  {"feed": "press-2016/techweb.xml", "guid": "...", "split": "dev"|"test",
   "batch": 2 (optional; test items labelled in later batches, blind, before the rules were run on
   them, are reported apart: batch 1 as "test-old", batch 2 as "test-new", batch N >= 3 as "test-bN"),
   "blind": true (optional; the batch has never been tuned on: all such articles are also reported
   together as "unseen", the honest estimate on new articles; drop the flag once a round tunes on it),
   "statements": [{"anchor": "物联网（让一切", "nth": 1, "speaker": "孙正义"|null,
                   "speaker_type": "person", "kind": "indirect", "title": "CEO"|null,
                   "organization": "软银"|null, "optional": false}]}
A predicted statement matches a gold one when its span contains the anchor's first character.
Optional gold statements (borderline: rumours, document excerpts) count neither way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from kb.errors import KbError
from kb.records import Statement
from kb.textnorm import alias_key, same_alias, to_simplified

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "data" / "gold" / "statements.jsonl"


def shared_data() -> Path:
    return Path(os.environ.get("KB_SHARED_DATA", ROOT.parent / "shared" / "data"))


def feeds_and_registry() -> tuple[Path, Any]:
    """../shared/data (a clear error when its feeds are absent) and the curated registry (None when it
    cannot be loaded), as the gold-set commands read them."""
    data = shared_data()
    if not (data / "feeds").exists():
        raise KbError(f"skipped: {data}/feeds is absent (../shared/data is not beside this checkout)")
    try:
        from kb.registry import Registry

        return data, Registry.load()
    except Exception:  # a missing or broken registry: score without it rather than not at all
        return data, None


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    if not path.exists():
        raise KbError(f"gold file not found: {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_articles(
    refs: Iterable[tuple[str, str]], data: Path | None = None
) -> dict[tuple[str, str], tuple[str, date | None]]:
    """(feed, guid) -> (clean text, published date), read with the ingest package."""
    import sys

    try:
        from ingest import expand_sources, read_source
    except ImportError:
        # an editable install made before ingest/__init__.py existed maps `ingest` to a namespace
        # package; the checkout itself has the real one
        sys.modules.pop("ingest", None)
        sys.path.insert(0, str(ROOT))
        from ingest import expand_sources, read_source

    from kb.config import Settings

    base = (data or shared_data()) / "feeds"
    wanted: dict[str, set[str]] = {}
    for feed, guid in refs:
        wanted.setdefault(feed, set()).add(guid)
    out: dict[tuple[str, str], tuple[str, date | None]] = {}
    settings = Settings(home=Path("/nonexistent"))
    for feed, guids in wanted.items():
        for spec in expand_sources([str(base / feed)]):
            read = read_source(spec, settings, fetch_full_text=False)
            for it in read.items:
                for key in (it.guid, it.url):
                    if key in guids:
                        out[(feed, key)] = (it.text, it.published.date() if it.published else None)
    return out


def anchor_pos(text: str, anchor: str, nth: int = 1) -> int:
    """Offset of the nth occurrence of the anchor (matched on simplified text, so both scripts work)."""
    simp, a = to_simplified(text), to_simplified(anchor)
    pos = -1
    for _ in range(max(1, nth)):
        pos = simp.find(a, pos + 1)
        if pos < 0:
            return -1
    return pos


def same_name(pred: str | None, gold: str | None, registry: Any = None) -> bool:
    if not pred or not gold:
        return False
    return same_alias(pred, gold) or _same_entry(pred, gold, registry)


def _same_body(pred: str | None, gold: str, registry: Any = None) -> bool:
    """The organisation written as the gold writes it (alias key), or the same registry entry."""
    if not pred:
        return False
    return alias_key(pred) == alias_key(gold) or _same_entry(pred, gold, registry)


def _same_entry(a: str, b: str, registry: Any) -> bool:
    if registry is None:
        return False
    try:
        ea, eb = registry.find(a), registry.find(b)
    except Exception:
        return False
    return ea is not None and eb is not None and ea.id == eb.id


def speaker_ok(p: Statement, g: dict[str, Any], registry: Any = None) -> bool:
    if g.get("speaker") is None:
        return p.speaker is None and p.speaker_type == "unnamed"
    return same_name(p.speaker, g["speaker"], registry)


@dataclass
class Tally:
    tp: int = 0  # predictions matched to gold with the right speaker
    pred: int = 0
    gold: int = 0
    hit: int = 0  # gold statements found with the right speaker

    def as_dict(self) -> dict[str, Any]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.hit / self.gold if self.gold else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "predicted": self.pred, "gold": self.gold}


@dataclass
class Report:
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {k: Tally() for k in ("all", "direct", "indirect", "unnamed", "confident")}
    )
    title: list[int] = field(default_factory=lambda: [0, 0])
    org: list[int] = field(default_factory=lambda: [0, 0])
    # the same statements as title / org, counting only a value written exactly as the gold's (the same alias
    # key, or for an organisation the same registry entry): accuracy takes one inside the other ("Indeed"
    # for "Indeed的经济研究"), which an analyst reading the card would not
    title_exact: int = 0
    org_exact: int = 0
    # a title / an organisation given where the gold has none (the article writes none, or a ruling
    # leaves it out), for people the registry does not know (for those it knows, the registry's role on
    # the day is given on purpose): [given, such statements]. Accuracy alone would reward filling every slot.
    title_extra: list[int] = field(default_factory=lambda: [0, 0])
    org_extra: list[int] = field(default_factory=lambda: [0, 0])
    articles: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: t.as_dict() for k, t in self.tallies.items()}
        d["title_accuracy"] = round(self.title[0] / self.title[1], 4) if self.title[1] else None
        d["organization_accuracy"] = round(self.org[0] / self.org[1], 4) if self.org[1] else None
        d["title_n"], d["organization_n"], d["articles"] = self.title[1], self.org[1], self.articles
        d["title_exact"] = round(self.title_exact / self.title[1], 4) if self.title[1] else None
        d["organization_exact"] = round(self.org_exact / self.org[1], 4) if self.org[1] else None
        d["title_extra"] = (
            round(self.title_extra[0] / self.title_extra[1], 4) if self.title_extra[1] else None
        )
        d["organization_extra"] = (
            round(self.org_extra[0] / self.org_extra[1], 4) if self.org_extra[1] else None
        )
        return d


def confident(p: Statement) -> bool:
    """The statement is in the "confident only" view (kb/nlp/confidence.py)."""
    from kb.nlp.confidence import CONFIDENT

    return p.confidence is not None and p.confidence >= CONFIDENT


def _cats(kind: str, stype: str) -> list[str]:
    cats = ["all", "direct" if kind == "direct" else "indirect"]
    if stype == "unnamed":
        cats.append("unnamed")
    return cats


def match_statements(text: str, gold: list[dict[str, Any]], preds: list[Statement]) -> dict[int, int]:
    """Prediction index -> gold index: each gold statement, in order, takes the first prediction not yet
    taken whose span holds its anchor."""
    match_of: dict[int, int] = {}
    for gi, g in enumerate(gold):
        pos = anchor_pos(text, g["anchor"], g.get("nth", 1))
        if pos < 0:
            continue
        pi = next((i for i, p in enumerate(preds) if i not in match_of and p.start <= pos < p.end), None)
        if pi is not None:
            match_of[pi] = gi
    return match_of


def score_article(
    text: str,
    gold: list[dict[str, Any]],
    preds: list[Statement],
    rep: Report,
    registry: Any = None,
    ref: str = "",
) -> None:
    rep.articles += 1
    match_of = match_statements(text, gold, preds)
    for pi, p in enumerate(preds):
        mgi = match_of.get(pi)
        mg: dict[str, Any] | None = gold[mgi] if mgi is not None else None
        if mg is not None and mg.get("optional"):
            continue
        cats = (
            _cats("direct" if mg["kind"].startswith("d") else "indirect", mg["speaker_type"])
            if mg
            else _cats(p.kind, p.speaker_type)
        )
        ok = mg is not None and speaker_ok(p, mg, registry)
        for c in cats + (["confident"] if confident(p) else []):
            rep.tallies[c].pred += 1
            rep.tallies[c].tp += int(ok)
        if not ok:
            rep.errors.append(
                {
                    "ref": ref,
                    "kind": "fp" if mg is None else "wrong_speaker",
                    "pred_speaker": p.speaker,
                    "pred_type": p.speaker_type,
                    "gold_speaker": mg and mg.get("speaker"),
                    "at": p.start,
                    "cue": p.cue,
                }
            )
    found = {gi: pi for pi, gi in match_of.items()}
    for gi, g in enumerate(gold):
        if g.get("optional"):
            continue
        kind = "direct" if g["kind"].startswith("d") else "indirect"
        fpi = found.get(gi)
        ok = fpi is not None and speaker_ok(preds[fpi], g, registry)
        for c in _cats(kind, g["speaker_type"]):
            rep.tallies[c].gold += 1
            rep.tallies[c].hit += int(ok)
        # the confident view's recall is over all gold statements: what an analyst misses by using it
        rep.tallies["confident"].gold += 1
        rep.tallies["confident"].hit += int(ok and fpi is not None and confident(preds[fpi]))
        if not ok:
            rep.errors.append(
                {
                    "ref": ref,
                    "kind": "missed" if fpi is None else "missed_speaker",
                    "anchor": g["anchor"],
                    "gold_speaker": g.get("speaker"),
                }
            )
        if ok and fpi is not None:
            p = preds[fpi]
            if g.get("title"):
                rep.title[1] += 1
                rep.title[0] += int(bool(p.title) and same_name(p.title, g["title"]))
                rep.title_exact += int(bool(p.title) and alias_key(p.title or "") == alias_key(g["title"]))
            elif p.speaker_type == "person" and not p.speaker_id:
                rep.title_extra[1] += 1
                rep.title_extra[0] += int(bool(p.title))
            if g.get("organization"):
                rep.org[1] += 1
                rep.org[0] += int(
                    bool(p.organization) and same_name(p.organization, g["organization"], registry)
                )
                rep.org_exact += int(
                    bool(p.organization) and _same_body(p.organization, g["organization"], registry)
                )
            elif p.speaker_type == "person" and not p.speaker_id:
                rep.org_extra[1] += 1
                rep.org_extra[0] += int(bool(p.organization))


# "test-old": the first test items; "test-new" (batch 2) and "test-bN" (batch N >= 3): later
# batches, each labelled before the rules saw it
SPLITS = ("dev", "test", "test-old", "test-new", "unseen", "all")  # plus "test-bN" for each later batch


def _batch_split(batch: int) -> str:
    return {1: "test-old", 2: "test-new"}.get(batch, f"test-b{batch}")


def evaluate(
    gold_path: Path = GOLD, data: Path | None = None, registry: Any = None, traditional: bool = False
) -> dict[str, Any]:
    """Scores per split ('dev', 'test', its batches 'test-old'/'test-new'/'test-bN', the never-tuned
    'unseen') and overall; `traditional` runs the articles converted to
    traditional script (the result must not change)."""
    from kb.nlp import extract

    gold = load_gold(gold_path)
    arts = load_articles([(g["feed"], g["guid"]) for g in gold], data)
    missing = [g["guid"] for g in gold if (g["feed"], g["guid"]) not in arts]
    texts, pubs, golds = [], [], []
    for g in gold:
        if (g["feed"], g["guid"]) not in arts:
            continue
        text, pub = arts[(g["feed"], g["guid"])]
        if traditional:
            from kb.registry import to_traditional

            text = to_traditional(text)
        texts.append(text)
        pubs.append(pub)
        golds.append(g)
    preds = extract(texts, pubs, registry=registry)
    reports = {k: Report() for k in SPLITS}
    for g in golds:
        if g.get("split") == "test":
            reports.setdefault(_batch_split(int(g.get("batch", 1))), Report())
    for g, text, ps in zip(golds, texts, preds, strict=True):
        split = g.get("split", "dev")
        subsets = [split, "all"]
        if split == "test":
            subsets.append(_batch_split(int(g.get("batch", 1))))
        if g.get("blind"):
            subsets.append("unseen")
        for split in subsets:
            score_article(text, g["statements"], ps, reports[split], registry, ref=f"{g['feed']}#{g['guid']}")
    out: dict[str, Any] = {k: r.as_dict() for k, r in reports.items()}
    out["missing_articles"] = missing
    out["_errors"] = reports["all"].errors
    return out


def _shown(res: dict[str, Any]) -> list[str]:
    """Splits with articles: dev, test and its batches in order, then unseen and all."""
    later = sorted((k for k in res if k.startswith("test-b")), key=lambda k: int(k[6:]))
    names = [k for k in SPLITS if k not in ("unseen", "all")] + later + ["unseen", "all"]
    return [k for k in names if isinstance(res.get(k), dict) and res[k].get("articles")]


def register(group: click.Group) -> None:
    from kb.cli.common import Ctx, kb_command

    @kb_command(group, "statements")
    @click.option(
        "--gold",
        "gold_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Gold JSONL (default data/gold/statements.jsonl).",
    )
    @click.option("--errors", is_flag=True, help="Also list each miss and wrong attribution.")
    def statements_cmd(ctx: Ctx, gold_path: str | None, errors: bool) -> None:
        """Precision/recall of extracted statements with the right speaker, on the gold set.

        Reports overall, direct, indirect and unnamed, plus title and organization accuracy,
        separately for the dev and test splits. Needs ../shared/data beside the checkout.

        \b
        Example:
          kb eval statements
          kb eval statements --json --gold data/gold/statements.jsonl
        """
        data, registry = feeds_and_registry()
        res = evaluate(Path(gold_path) if gold_path else GOLD, data, registry)
        errs = res.pop("_errors")
        from kb.nlp import antecedents

        ctx.info(
            "antecedent ranker: "
            + (
                "on"
                if antecedents.active()
                else "off (KB_RANKER=off, or run: python -m kb.nlp.antecedents train)"
            )
        )
        from kb.nlp import confidence

        ctx.info(
            f"statement confidence: on (confident = {confidence.CONFIDENT} and above)"
            if confidence.active()
            else "statement confidence: off (run: python -m kb.nlp.confidence train)"
        )
        if ctx.json:
            for split in _shown(res):
                ctx.emit({"split": split, **res[split]})
            if errors:
                for e in errs:
                    ctx.emit({"error": e})
            return
        for split in _shown(res):
            r = res[split]
            click.echo(f"[{split}] articles={r['articles']}")
            for k in ("all", "direct", "indirect", "unnamed", "confident"):
                t = r[k]
                if k == "confident" and not t["predicted"]:
                    continue  # no confidence model (run: python -m kb.nlp.confidence train)
                click.echo(
                    f"  {k:9s} P={t['precision']:.3f} R={t['recall']:.3f} (pred {t['predicted']}, gold {t['gold']})"
                )
            click.echo(
                f"  title acc={r['title_accuracy']} (n={r['title_n']})  organization acc={r['organization_accuracy']} (n={r['organization_n']})"
            )
            click.echo(
                f"  written exactly as the gold: title {r['title_exact']}  organization {r['organization_exact']}"
            )
            click.echo(
                f"  given where the article gives none (people not in the registry): title {r['title_extra']}  organization {r['organization_extra']}"
            )
        if res["missing_articles"]:
            click.echo(f"missing articles: {len(res['missing_articles'])}", err=True)
        if errors:
            for e in errs:
                click.echo(json.dumps(e, ensure_ascii=False))

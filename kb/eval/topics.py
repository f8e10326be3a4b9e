"""`kb eval topics`: per-topic precision and recall of the topic tagger on the team's labelled set.

The gold files (data/gold/topics-{dev,test}.jsonl) never contain article text: each line names a
feed file under ../shared/data/feeds, an item guid and an anchor (the first characters of the
statement's sentence); the sentence is read from the feed at evaluation time. Thresholds were chosen
on the dev split; the test split is reported as the honest number.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import click

from kb.errors import KbError

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "data" / "gold"
_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(p|div|br|li|h\d|blockquote)[^>]*>", re.I)
_SMALL = re.compile(r"<small[^>]*>.*?</small>", re.I | re.S)
_SENT_END = re.compile(r"[。！？!?\n]")
_CLOSERS = '”’」』"）)'


def shared_data_dir() -> Path:
    """../shared/data beside the checkout (or $KB_SHARED_DATA)."""
    return Path(os.environ.get("KB_SHARED_DATA", ROOT.parent / "shared" / "data"))


def html_text(raw: str) -> str:
    """Plain text of an item description: block tags become line breaks, the feed filter's
    `<small>[recommended] …</small>` notes are dropped."""
    s = _SMALL.sub("", raw)
    s = _BLOCK.sub("\n", s)
    s = html.unescape(_TAG.sub("", s))
    lines = (re.sub(r"\s+", " ", ln).strip() for ln in s.splitlines())
    return "\n".join(ln for ln in lines if ln)


@lru_cache(maxsize=64)
def feed_items(feed: str) -> dict[str, str]:
    """guid (or link) -> plain text of the item, for a feed path relative to ../shared/data/feeds."""
    import feedparser

    path = shared_data_dir() / "feeds" / feed
    if not path.exists():
        raise KbError(f"{path} is absent (../shared/data is needed for this evaluation)")
    parsed = feedparser.parse(path.read_bytes())
    out: dict[str, str] = {}
    for e in parsed.entries:
        key = e.get("id") or e.get("link") or ""
        body = e.get("content", [{}])[0].get("value") if e.get("content") else e.get("description", "")
        out[key] = html_text(body or "")
    return out


def sentence_at(text: str, anchor: str) -> str | None:
    """The sentence that starts at `anchor`: up to the next sentence end, closing quotes kept."""
    i = text.find(anchor)
    if i < 0:
        return None
    m = _SENT_END.search(text, i + len(anchor))
    end = m.end() if m else len(text)
    while end < len(text) and text[end] in _CLOSERS:
        end += 1
    return text[i:end].strip()


def resolve(ref: dict[str, Any]) -> str:
    """The statement text a gold line refers to (feed + guid + anchor)."""
    items = feed_items(ref["feed"])
    text = items.get(ref["guid"])
    if text is None:
        raise KbError(f"gold item not found: {ref['feed']} {ref['guid']}")
    sent = sentence_at(text, ref["anchor"])
    if sent is None:
        raise KbError(f"gold anchor not found: {ref['feed']} {ref['guid']} {ref['anchor']!r}")
    return sent


def load_gold(prefix: str, split: str | None = None) -> list[dict[str, Any]]:
    """Lines of data/gold/<prefix>-<split>.jsonl (both splits when split is None), each with its
    resolved `text`."""
    splits = [split] if split else ["dev", "test"]
    rows: list[dict[str, Any]] = []
    for sp in splits:
        path = GOLD_DIR / f"{prefix}-{sp}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                row = json.loads(line)
                row["split"] = sp
                row["text"] = resolve(row)
                rows.append(row)
    return rows


# -- scoring ----------------------------------------------------------------------------------


def prf(gold: Sequence[set[str]], pred: Sequence[set[str]], topics: Sequence[str]) -> dict[str, Any]:
    """Per-topic precision/recall/F1 plus micro and macro averages (multi-label)."""
    per: dict[str, dict[str, float]] = {}
    tp_all = fp_all = fn_all = 0
    for t in topics:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if t not in g and t in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t not in p)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        p_ = tp / (tp + fp) if tp + fp else 0.0
        r_ = tp / (tp + fn) if tp + fn else 0.0
        f_ = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
        per[t] = {"precision": p_, "recall": r_, "f1": f_, "support": tp + fn}
    mp = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
    mr = tp_all / (tp_all + fn_all) if tp_all + fn_all else 0.0
    supported = [v for v in per.values() if v["support"]]
    n = max(1, len(supported))
    return {
        "per_topic": per,
        "micro": {"precision": mp, "recall": mr, "f1": 2 * mp * mr / (mp + mr) if mp + mr else 0.0},
        "macro": {k: sum(v[k] for v in supported) / n for k in ("precision", "recall", "f1")},
    }


def evaluate(
    split: str = "test", modes: Sequence[str] = ("keyword", "embedding", "combined")
) -> dict[str, Any]:
    """Scores of the tagger in each mode on one split of the gold set."""
    from kb.stance import cached_passages, default_embedder
    from kb.textnorm import to_simplified
    from kb.topics import TopicTagger, load_taxonomy

    rows = load_gold("topics", split)
    if not rows:
        raise KbError("no topic gold set found in data/gold")
    embedder = default_embedder()
    texts = [to_simplified(r["text"]) for r in rows]
    vecs = cached_passages(embedder, texts, f"gold-topics-{split}")
    ids = [t.id for t in load_taxonomy()]
    gold = [set(r["topics"]) for r in rows]
    out: dict[str, Any] = {"split": split, "statements": len(rows), "model": embedder.name}
    for mode in modes:
        tagger = TopicTagger(embedder, mode=mode)
        pred = [{t for t, _ in tags} for tags in tagger.tag(texts, vecs)]
        out[mode] = prf(gold, pred, ids)
    return out


def register(group: click.Group) -> None:
    from kb.cli.common import Ctx, kb_command

    @kb_command(group, "topics")
    @click.option("--split", type=click.Choice(["dev", "test", "all"]), default="test", show_default=True)
    def topics_cmd(ctx: Ctx, split: str) -> None:
        """Per-topic precision and recall of the topic tagger (keyword, embedding, combined).

        Needs ../shared/data (the gold set points into its feeds).

        \b
        Example:
          kb eval topics
          kb eval topics --split dev --json
        """
        res = evaluate(None if split == "all" else split)  # type: ignore[arg-type]
        if ctx.json:
            ctx.emit(res)
            return
        click.echo(
            f"topics gold ({res['split'] or 'all'}): {res['statements']} statements, model {res['model']}"
        )
        for mode in ("keyword", "embedding", "combined"):
            m = res[mode]
            click.echo(
                f"  {mode:<10} micro P {m['micro']['precision']:.3f} R {m['micro']['recall']:.3f} "
                f"F1 {m['micro']['f1']:.3f} | macro P {m['macro']['precision']:.3f} "
                f"R {m['macro']['recall']:.3f} F1 {m['macro']['f1']:.3f}"
            )
        click.echo("  per topic (combined):")
        for t, v in res["combined"]["per_topic"].items():
            click.echo(
                f"    {t:<15} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} n={v['support']}"
            )

"""`kb eval search`: Recall@5, MRR and nDCG@10 of keyword-only, vector-only and hybrid search on
the team's query set (data/gold/search.jsonl) over real feeds in ../shared/data.

The gold set names each relevant statement by feed file + item guid + a short anchor (a few
characters of what was said), never by copying article text. The evaluation builds a KB from the
needed feeds with the real default embedder through the one ingest pipeline, caches it under
kb.config.cache_dir() (keyed by the feeds, the model and the NLP code, so it is rebuilt when they
change), maps each anchor to the statements that contain it, and scores every query in every mode.
Relevance is judged by quote: a syndicated copy of a relevant statement counts as that statement.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from kb.config import cache_dir, load_settings
from kb.errors import KbError
from kb.textnorm import to_simplified

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "data" / "gold" / "search.jsonl"
AS_OF = date(2016, 10, 31)  # the 2016 feeds were read in the last week of October 2016
MODES = ("keyword", "vector", "hybrid")
# Data that only query understanding reads: editing it must not rebuild the evaluation KB.
QUERY_SIDE_DATA = {"glossary.json"}
_HAN = re.compile(r"[\u3400-\u9fff]")


def query_lang(text: str) -> str:
    """ "en" for a query without Chinese characters (English words, names, dates), else "zh"."""
    return "zh" if _HAN.search(text) else "en"


def shared_data() -> Path:
    return Path(os.environ.get("KB_SHARED_DATA", ROOT.parent / "shared" / "data"))


@dataclass
class Query:
    id: str
    query: str
    kind: str
    relevant: list[dict[str, str]]
    keys: set[str] = field(default_factory=set)  # quote_keys of the mapped relevant statements


def load_gold(path: Path = GOLD) -> list[Query]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Query(d["id"], d["query"], d["kind"], d["relevant"]))
    return out


def _fingerprint(feeds: list[Path], model: str) -> str:
    """Changes when the feeds, the model, or the code and data that make statements change."""
    h = hashlib.sha1(model.encode())
    for f in feeds:
        h.update(f"{f.name}:{f.stat().st_size}".encode())
    parts = [ROOT / "kb" / n for n in ("nlp", "index", "embed", "pipeline.py", "topics.py", "stance.py")]
    parts.append(ROOT / "data")
    for p in parts:
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.name in QUERY_SIDE_DATA:
                continue
            if f.is_file() and f.suffix in {".py", ".json", ".txt", ".tsv", ".csv"} and "gold" not in f.parts:
                h.update(f.read_bytes())
    from kb.nlp import antecedents

    ranker = antecedents.active()  # the trained antecedent ranker takes part in attribution
    h.update(f"ranker:{ranker.digest if ranker else 'off'}".encode())
    return h.hexdigest()[:16]


def build_kb(
    feeds: list[Path], *, model: str | None = None, rebuild: bool = False, notify: Any = None
) -> Path:
    """A KB of these feeds under the cache folder (built once per fingerprint)."""
    from kb.base import KnowledgeBase
    from kb.pipeline import ingest_sources

    settings = load_settings(cache_dir() / "eval-search" / "tmp", **({"model": model} if model else {}))
    home = cache_dir() / "eval-search" / _fingerprint(feeds, settings.model)
    done = home / "built.ok"
    if done.exists() and not rebuild:
        return home
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    if model:
        (home / "settings.toml").write_text(f'model = "{model}"\n', encoding="utf-8")
    t = time.perf_counter()
    with KnowledgeBase(load_settings(home)) as kb:
        report = ingest_sources(kb, [str(f) for f in feeds], fetch=False)
    if report.failures:
        raise KbError(f"building the evaluation KB failed: {report.failures[0]}")
    done.write_text(
        json.dumps({"seconds": round(time.perf_counter() - t, 1), "statements": report.statements})
    )
    if notify:
        notify(f"built the evaluation KB in {home} ({report.statements} statements)")
    return home


def map_anchors(store: Any, queries: list[Query]) -> list[str]:
    """Fill each query's relevant quote_keys; returns the anchors that matched no statement."""
    missing = []
    for q in queries:
        for rel in q.relevant:
            guid = rel["guid"]
            rows = store.db.execute(
                "SELECT s.quote_key, s.text_simplified FROM statements s JOIN articles a ON a.id = s.article_id "
                "WHERE a.guid = ? OR a.url = ?",
                (guid, guid),
            ).fetchall()
            anchor = to_simplified(rel["anchor"])
            keys = {r[0] for r in rows if anchor in r[1]}
            if not keys:
                missing.append(f"{q.id} {rel['anchor']}")
            q.keys |= keys
    return missing


def score(ranked_keys: list[str], relevant: set[str]) -> dict[str, float]:
    """Recall@5, reciprocal rank of the first relevant hit, nDCG@10 (binary gains)."""
    r5 = len(relevant & set(ranked_keys[:5])) / len(relevant)
    rr = next((1.0 / i for i, k in enumerate(ranked_keys, 1) if k in relevant), 0.0)
    dcg = sum(1.0 / math.log2(i + 1) for i, k in enumerate(ranked_keys[:10], 1) if k in relevant)
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), 10) + 1))
    return {"recall@5": r5, "mrr": rr, "ndcg@10": dcg / idcg}


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    keys = ("recall@5", "mrr", "ndcg@10")
    return {k: round(sum(r[k] for r in rows) / len(rows), 4) if rows else 0.0 for k in keys}


def evaluate(
    *,
    model: str | None = None,
    rebuild: bool = False,
    notify: Any = None,
    fusion: Any = None,
    modes: tuple[str, ...] = MODES,
    home: Path | None = None,
) -> dict[str, Any]:
    """Score every mode on the gold set. Returns {"modes": {mode: metrics}, "by_kind": …,
    "by_lang": …, …}. `home`: score an already built KB (to compare search variants on fixed
    statements while the extractor changes) instead of the cached one for the current code."""
    from kb.base import KnowledgeBase
    from kb.search import search

    queries = load_gold()
    data = shared_data()
    feeds = sorted({data / "feeds" / r["feed"] for q in queries for r in q.relevant})
    absent = [f for f in feeds if not f.exists()]
    if absent:
        raise KbError(f"{absent[0]} is absent: the search evaluation needs ../shared/data")
    if home is None:
        home = build_kb(feeds, model=model, rebuild=rebuild, notify=notify)
    t0 = time.perf_counter()
    with KnowledgeBase(load_settings(home), readonly=True) as kb:
        missing = map_anchors(kb.store, queries)
        scored = [q for q in queries if q.keys]
        per: dict[str, list[dict[str, float]]] = defaultdict(list)
        per_kind: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
        per_lang: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
        per_query: list[dict[str, Any]] = []
        kw: dict[str, Any] = {"fusion": fusion} if fusion is not None else {}
        for q in scored:
            lang = query_lang(q.query)
            row: dict[str, Any] = {"id": q.id, "query": q.query, "kind": q.kind, "lang": lang}
            for mode in modes:
                res = search(
                    kb.store, kb.index, kb.embedder, kb.registry, q.query,
                    limit=10, mode=mode, as_of=AS_OF, context=False, **kw,
                )  # fmt: skip
                s = score([h["quote_key"] for h in res.hits], q.keys)
                per[mode].append(s)
                per_kind[(q.kind, mode)].append(s)
                per_lang[(lang, mode)].append(s)
                row[mode] = round(s["ndcg@10"], 3)
            per_query.append(row)
        stats = kb.store.stats()
    return {
        "queries": len(queries),
        "scored": len(scored),
        "unmapped_anchors": missing,
        "statements": stats["statements"],
        "kb": str(home),
        "seconds": round(time.perf_counter() - t0, 1),
        "modes": {m: _mean(per[m]) for m in modes},
        "by_kind": {f"{k}/{m}": {**_mean(v), "n": len(v)} for (k, m), v in sorted(per_kind.items())},
        "by_lang": {f"{k}/{m}": {**_mean(v), "n": len(v)} for (k, m), v in sorted(per_lang.items())},
        "per_query": per_query,
    }


def fusion_grid() -> list[Any]:
    """The fusion variants `kb eval search --grid` compares (hybrid mode only)."""
    from kb.search.engine import Fusion

    grid = [Fusion("rrf", k=k) for k in (5, 10, 20, 60)]
    grid += [
        Fusion("rrf", k=60, w_keyword=1.5, w_vector=1.0),
        Fusion("rrf", k=60, w_keyword=1.0, w_vector=1.5),
    ]
    grid += [Fusion("minmax", w_keyword=a, w_vector=round(1 - a, 2)) for a in (0.3, 0.4, 0.5, 0.6, 0.7)]
    grid += [Fusion("minmax", topic_boost=0.0), Fusion("minmax", topic_boost=0.3)]
    # English queries: how their Chinese rendering is used (kb.search.crosslingual).
    grid += [Fusion(crosslingual_hybrid=c) for c in ("concat", "mean", "both")]
    grid += [
        Fusion(keyword_translation=False),
        Fusion(crosslingual_hybrid="concat", keyword_translation=False),
    ]
    return grid


def register(group: click.Group) -> None:
    from kb.cli.common import Ctx, kb_command

    @kb_command(group, "search")
    @click.option("--rebuild", is_flag=True, help="Rebuild the cached evaluation KB.")
    @click.option("--model", help="Embedding model for the evaluation KB (default: the KB default).")
    @click.option("--per-query", is_flag=True, help="Also print nDCG@10 per query and mode.")
    @click.option("--grid", is_flag=True, help="Compare fusion methods and weights (hybrid mode).")
    def eval_search(ctx: Ctx, rebuild: bool, model: str | None, per_query: bool, grid: bool) -> None:
        """Score keyword, vector and hybrid search (Recall@5, MRR, nDCG@10) on the query set.

        Builds (once, cached) a KB of the feeds the query set needs from ../shared/data.

        \b
        Example:
          kb eval search
          kb eval search --json
        """
        if grid:
            for f in fusion_grid():
                r = evaluate(model=model, fusion=f, modes=("hybrid",))
                en = r["by_lang"].get("en/hybrid", {})
                m = {
                    **r["modes"]["hybrid"],
                    "en_ndcg@10": en.get("ndcg@10"),
                    "en_recall@5": en.get("recall@5"),
                }
                label = {"method": f.method, "k": f.k, "w_keyword": f.w_keyword, "w_vector": f.w_vector,
                         "topic_boost": f.topic_boost, "crosslingual_hybrid": f.crosslingual_hybrid,
                         "keyword_translation": f.keyword_translation}  # fmt: skip
                if ctx.json:
                    ctx.emit({**label, **m})
                else:
                    click.echo(" ".join(f"{k}={v}" for k, v in {**label, **m}.items()))
            return
        r = evaluate(model=model, rebuild=rebuild, notify=ctx.info)
        if ctx.json:
            for mode, m in r["modes"].items():
                ctx.emit({"mode": mode, **m, "queries": r["scored"]})
            for key, m in r["by_lang"].items():
                lang, mode = key.split("/")
                ctx.emit({"lang": lang, "mode": mode, **m})
            if per_query:
                for row in r["per_query"]:
                    ctx.emit(row)
            return
        click.echo(
            f"search evaluation: {r['scored']} of {r['queries']} queries scored over {r['statements']} statements "
            f"({r['seconds']} s)"
        )
        click.echo(f"{'mode':<10}{'Recall@5':>10}{'MRR':>8}{'nDCG@10':>10}")
        for mode, m in r["modes"].items():
            click.echo(f"{mode:<10}{m['recall@5']:>10.3f}{m['mrr']:>8.3f}{m['ndcg@10']:>10.3f}")
        for lang, what in (("zh", "Chinese"), ("en", "English")):
            if f"{lang}/hybrid" not in r["by_lang"]:
                continue
            click.echo(f"\n{what} queries ({r['by_lang'][f'{lang}/hybrid']['n']}):")
            for mode in MODES:
                m = r["by_lang"][f"{lang}/{mode}"]
                click.echo(f"  {mode:<8}{m['recall@5']:>10.3f}{m['mrr']:>8.3f}{m['ndcg@10']:>10.3f}")
        click.echo("\nnDCG@10 by kind of query (n):")
        kinds = sorted({k.split("/")[0] for k in r["by_kind"]})
        for kind in kinds:
            cells = [f"{m}={r['by_kind'][f'{kind}/{m}']['ndcg@10']:.3f}" for m in MODES]
            click.echo(f"  {kind:<14}({r['by_kind'][f'{kind}/hybrid']['n']:>2}) " + "  ".join(cells))
        if r["unmapped_anchors"]:
            click.echo(f"\n{len(r['unmapped_anchors'])} gold anchors matched no extracted statement:")
            for a in r["unmapped_anchors"]:
                click.echo(f"  {a}")
        if per_query:
            for row in r["per_query"]:
                click.echo(
                    f"  {row['id']} {row['kind']:<13} "
                    + " ".join(f"{m}={row[m]}" for m in MODES)
                    + f"  {row['query']}"
                )

"""`kb bench ingest PATH...`: ingest throughput overall and per stage, in a fresh temporary KB.

Besides the pipeline's own stage times it measures sentence-transformers' plain `encode` on the
very same statement texts, so the embedding stage can be compared with the library's best case.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import click

from kb.base import KnowledgeBase
from kb.cli.common import Ctx, kb_command
from kb.config import load_settings

SAMPLE = 3000  # statements for the plain-encode reference


def bench_ingest(paths: list[str], *, model: str | None = None, fetch: bool = False) -> dict[str, Any]:
    from kb.pipeline import ingest_sources

    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        settings = load_settings(Path(tmp), model=model)
        with KnowledgeBase(settings) as kb:
            # Load the parts first: start-up cost is not throughput.
            t0 = time.perf_counter()
            _ = kb.registry, kb.nlp, kb.index
            kb.embedder.embed_passages(["预热"])  # the model itself loads lazily, on first use
            warm_s = time.perf_counter() - t0
            t = time.perf_counter()
            report = ingest_sources(kb, paths, fetch=fetch)
            total_s = time.perf_counter() - t
            texts = [r[0] for r in kb.store.db.execute("SELECT text FROM statements")]
            st_encode = _plain_encode_rate(kb, texts)
    n = report.new_articles
    times = report.times.as_dict()
    per_stage = {
        stage: {"seconds": secs, "articles_per_s": round(n / secs, 1) if secs else None}
        for stage, secs in times.items()
    }
    nlp_s = times["nlp"] + times["topics"]
    embed_rate = len(texts) / times["embed"] if times["embed"] else None
    return {
        "articles": n,
        "items_read": report.items,
        "statements": report.statements,
        "seconds": round(total_s, 2),
        "articles_per_s": round(n / total_s, 1) if total_s else None,
        "stages": per_stage,
        "nlp_articles_per_s": round(n / nlp_s, 1) if nlp_s else None,
        "embed_statements_per_s": round(embed_rate, 1) if embed_rate else None,
        "st_encode_statements_per_s": st_encode,
        "embed_vs_st_encode": round(embed_rate / st_encode, 3) if embed_rate and st_encode else None,
        "startup_s": round(warm_s, 2),
        "model": kb.embedder.name,
        "failures": report.failures,
    }


def _plain_encode_rate(kb: KnowledgeBase, texts: list[str]) -> float | None:
    """Statements/s of sentence-transformers' own encode on the same texts (None for the fake)."""
    model = getattr(kb.embedder, "model", None)
    if model is None or not texts:
        return None
    import random

    # A fixed sample keeps the reference measurement short on large inputs; rates per text
    # are comparable because the sample has the same length distribution.
    sample = random.Random(0).sample(texts, min(len(texts), SAMPLE))
    prefix = getattr(kb.embedder, "passage_prefix", "")
    batch = kb.settings.embed_batch_size
    t = time.perf_counter()
    model.encode([prefix + x for x in sample], batch_size=batch, normalize_embeddings=True)
    return round(len(sample) / (time.perf_counter() - t), 1)


def register(group: click.Group) -> None:
    @kb_command(group, "ingest")
    @click.argument("paths", nargs=-1, required=True)
    @click.option("--model", help="Embedding model to measure (default: the KB's settings).")
    def bench_ingest_cmd(ctx: Ctx, paths: tuple[str, ...], model: str | None) -> None:
        """Ingest PATHs into a fresh temporary KB and report articles/s overall and per stage
        (parse, NLP, embed, topics, store, index), plus sentence-transformers' own encode rate on
        the same statements. Nothing is fetched from the network.

        \b
        Example:
          kb bench ingest ../shared/data/feeds/cnbeta-2026 --json
        """
        result = bench_ingest(list(paths), model=model or ctx.settings.model)
        if ctx.json:
            ctx.emit(result)
            return
        click.echo(
            f"{result['articles']} articles, {result['statements']} statements in {result['seconds']} s "
            f"= {result['articles_per_s']} articles/s (model {result['model']}, start-up {result['startup_s']} s)"
        )
        for stage, v in result["stages"].items():
            click.echo(f"  {stage:7} {v['seconds']:8.2f} s  {v['articles_per_s'] or '-':>8} articles/s")
        click.echo(f"  NLP stages: {result['nlp_articles_per_s']} articles/s")
        click.echo(
            f"  embedding: {result['embed_statements_per_s']} statements/s in the pipeline vs "
            f"{result['st_encode_statements_per_s']} with plain encode (ratio {result['embed_vs_st_encode']})"
        )

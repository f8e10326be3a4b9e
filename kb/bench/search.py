"""`kb bench search --size N`: search latency on a KB of N statements.

The KB is built by replicating real statements (the search evaluation's KB of real feeds): every
replica gets a fresh id, its own article row (fresh guid and hash, so syndication does not merge
replicas), a date jittered over two years, and the seed's vector COPIED with a little noise (so
the HNSW graph does not hold exact duplicates) — embedding is measured by `kb bench ingest`, not
here. Latency is measured for the whole `search()` call in process (query embedding included,
model loaded, warm), per mode, and for a cold `kb search` subprocess (start-up, imports, model).
Built KBs are cached under kb.config.cache_dir()/bench-search/<N>.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import numpy as np

from kb.config import cache_dir, load_settings


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    i = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return round(xs[i] * 1000, 1)


def seed_kb() -> Path:
    """The real KB the replicas come from: the search evaluation's (built once, cached)."""
    from kb.eval.search import build_kb, load_gold, shared_data

    # Any evaluation KB already built will do: replicas need real statements, not current ones.
    built = sorted((cache_dir() / "eval-search").glob("*/built.ok"), key=lambda p: p.stat().st_mtime)
    if built:
        return built[-1].parent
    feeds = sorted({shared_data() / "feeds" / r["feed"] for q in load_gold() for r in q.relevant})
    return build_kb(feeds)


def build(size: int, *, rebuild: bool = False, notify: Any = None) -> Path:
    """A KB of `size` statements replicated from the seed KB (cached)."""
    from kb.base import KnowledgeBase

    home = cache_dir() / "bench-search" / str(size)
    if (home / "built.ok").exists() and not rebuild:
        from kb.store import Store

        Store(load_settings(home).db_path).close()  # a KB cached by older code gets new migrations
        return home
    seed_home = seed_kb()
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    t0 = time.perf_counter()
    with KnowledgeBase(load_settings(seed_home), readonly=True) as seed:
        arts = {r["id"]: dict(r) for r in seed.store.db.execute("SELECT * FROM articles")}
        stmts = [dict(r) for r in seed.store.db.execute("SELECT * FROM statements ORDER BY article_id, seq")]
        # The seed vectors are copied from the seed's index (embedding is measured elsewhere).
        stored = seed.index.get_vectors([s["id"] for s in stmts])
        missing = [s["text"] for s in stmts if s["id"] not in stored]
        extra = iter(seed.embedder.embed_passages(missing)) if missing else iter(())
        vecs = np.asarray(
            [stored[s["id"]] if s["id"] in stored else next(extra) for s in stmts], dtype=np.float32
        )
        topics = {
            (r[0], r[1]): r[2]
            for r in seed.store.db.execute("SELECT statement_id, topic, stance FROM statement_topics")
        }
    settings = load_settings(home)
    (home / "settings.toml").write_text(f'model = "{settings.model}"\n', encoding="utf-8")
    kb = KnowledgeBase(load_settings(home))
    replicate(kb, arts, stmts, vecs, topics, size, notify=notify)
    kb.close()
    (home / "built.ok").write_text(json.dumps({"seconds": round(time.perf_counter() - t0, 1)}))
    return home


def replicate(
    kb: Any,
    arts: dict[int, dict[str, Any]],
    stmts: list[dict[str, Any]],
    vecs: np.ndarray,
    topics: dict[tuple[str, str], Any],
    size: int,
    *,
    notify: Any = None,
) -> None:
    """Fill an empty KB with `size` statements copied from seed rows: each pass re-dates every seed
    article at random over two years, and each statement's vector gets a little noise, so replicas
    are neither duplicates to dedupe nor identical neighbours in the index."""
    from kb.pipeline import index_metadata
    from kb.textnorm import search_tokens

    t0 = time.perf_counter()
    by_article: dict[int, list[int]] = {}
    for i, s in enumerate(stmts):
        by_article.setdefault(s["article_id"], []).append(i)
    tokens = [
        search_tokens(
            " ".join(x for x in (s["speaker"], s["speaker_mention"], s["organization"], s["text"]) if x)
        )
        for s in stmts
    ]
    rng = random.Random(42)
    nprng = np.random.default_rng(42)
    store, index = kb.store, kb.index
    store.db.execute("PRAGMA synchronous = OFF")
    made = 0
    rep = 0
    start = datetime(2024, 9, 1, tzinfo=UTC)
    pending: tuple[list[str], list[np.ndarray], list[dict[str, Any]]] = ([], [], [])
    while made < size:
        with store.transaction() as db:
            for aid, idxs in by_article.items():
                if made >= size:
                    break
                a = arts[aid]
                when = start + timedelta(seconds=rng.randrange(0, 730 * 86400))
                pub = when.replace(microsecond=0).isoformat()
                cur = db.execute(
                    "INSERT INTO articles (guid, url, content_hash, title, text, published, tz, source_name, "
                    "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (f"bench:{rep}:{aid}", f"{a['url']}#r{rep}", f"bench-{rep}-{aid}", a["title"], a["text"], pub,
                     a["tz"], a["source_name"], pub),
                )  # fmt: skip
                new_aid = cur.lastrowid
                for i in idxs[: size - made]:
                    s = stmts[i]
                    sid = f"b{rep:05d}{i:05d}"
                    db.execute(
                        "INSERT INTO statements (id, article_id, seq, text, text_simplified, start, end, kind, cue, "
                        "speaker, speaker_id, speaker_mention, speaker_type, anonymous, title, organization, "
                        "company_id, published, quote_key, topics, stance, confidence, indexed) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                        (sid, new_aid, s["seq"], s["text"], s["text_simplified"], s["start"], s["end"], s["kind"],
                         s["cue"], s["speaker"], s["speaker_id"], s["speaker_mention"], s["speaker_type"],
                         s["anonymous"], s["title"], s["organization"], s["company_id"], pub, sid, s["topics"],
                         s["stance"], s.get("confidence")),
                    )  # fmt: skip
                    for t in json.loads(s["topics"] or "[]"):
                        db.execute(
                            "INSERT INTO statement_topics (statement_id, topic, stance) VALUES (?, ?, ?)",
                            (sid, t, topics.get((s["id"], t))),
                        )
                    db.execute(
                        "INSERT INTO statements_fts (tokens, statement_id) VALUES (?, ?)", (tokens[i], sid)
                    )
                    v = vecs[i] + np.asarray(nprng.normal(0, 0.02, vecs.shape[1]), dtype=np.float32)
                    pending[0].append(sid)
                    pending[1].append(v / np.linalg.norm(v))
                    pending[2].append(index_metadata(s, pub))
                    made += 1
        rep += 1
        if len(pending[0]) >= 5000 or made >= size:
            index.upsert(pending[0], np.asarray(pending[1], dtype=np.float32), pending[2])
            pending = ([], [], [])
            if notify:
                notify(f"  {made:,}/{size:,} statements ({time.perf_counter() - t0:.0f} s)")
    store.db.execute("INSERT INTO statements_fts(statements_fts) VALUES ('optimize')")


def bench_queries() -> list[str]:
    from kb.eval.search import load_gold

    return [q.query for q in load_gold()]


def measure(home: Path, *, repeat: int = 1, cli_runs: int = 5) -> dict[str, Any]:
    from kb.base import KnowledgeBase
    from kb.eval.search import AS_OF
    from kb.search import search

    queries = bench_queries()
    out: dict[str, Any] = {}
    with KnowledgeBase(load_settings(home), readonly=True) as kb:
        n = kb.store.stats()["statements"]
        out["statements"] = n
        args = (kb.store, kb.index, kb.embedder, kb.registry)
        search(*args, queries[0], as_of=AS_OF)  # warm: model, registry, index files
        # ("hybrid_hide_unsure": the app's "Hide unsure speakers", a filter no retriever's index holds)
        for name, mode, hide in (
            ("hybrid", "hybrid", False),
            ("keyword", "keyword", False),
            ("vector", "vector", False),
            ("hybrid_hide_unsure", "hybrid", True),
        ):
            times = []
            for _ in range(repeat):
                for q in queries:
                    # Every call embeds its query: the embedder's cache of query vectors would
                    # otherwise serve later modes and passes.
                    getattr(kb.embedder, "clear_query_cache", lambda: None)()
                    t = time.perf_counter()
                    search(*args, q, mode=mode, as_of=AS_OF, hide_unsure=hide)
                    times.append(time.perf_counter() - t)
            out[name] = {
                "p50_ms": _pct(times, 50),
                "p95_ms": _pct(times, 95),
                "max_ms": _pct(times, 100),
                "n": len(times),
            }
    cold = []
    for q in queries[:cli_runs]:
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kb",
                "search",
                q,
                "--home",
                str(home),
                "--json",
                "--as-of",
                AS_OF.isoformat(),
            ],
            capture_output=True,
            check=False,
        )
        cold.append(time.perf_counter() - t)
    out["cli_cold"] = {"p50_ms": _pct(cold, 50), "p95_ms": _pct(cold, 95), "n": len(cold)}
    out["cli_cold_mean_ms"] = round(statistics.mean(cold) * 1000, 1) if cold else 0.0
    return out


def register(group: click.Group) -> None:
    from kb.cli.common import Ctx, kb_command

    @kb_command(group, "search")
    @click.option("--size", type=click.IntRange(1, 10_000_000), multiple=True, default=[10_000], show_default=True,
                  help="Statements in the benchmark KB (repeat for several sizes).")  # fmt: skip
    @click.option(
        "--repeat", type=click.IntRange(1, 100), default=1, show_default=True, help="Passes over the queries."
    )
    @click.option(
        "--cli-runs", type=click.IntRange(0, 100), default=5, show_default=True, help="Cold `kb search` runs."
    )
    @click.option("--rebuild", is_flag=True, help="Rebuild the cached benchmark KB.")
    def bench_search(ctx: Ctx, size: tuple[int, ...], repeat: int, cli_runs: int, rebuild: bool) -> None:
        """Search latency (p50/p95) at N statements: in process per mode, and a cold CLI call.

        Builds (once, cached) a KB of N statements by replicating real ones with copied vectors.

        \b
        Example:
          kb bench search --size 10000 --json
          kb bench search --size 10000 --size 100000
        """
        for n in size:
            t = time.perf_counter()
            home = build(n, rebuild=rebuild, notify=ctx.info)
            built_s = round(time.perf_counter() - t, 1)
            r = measure(home, repeat=repeat, cli_runs=cli_runs)
            r["size"] = n
            r["build_s"] = built_s
            if ctx.json:
                ctx.emit(r)
                continue
            click.echo(f"{r['statements']:,} statements (built in {built_s} s):")
            for mode in ("hybrid", "keyword", "vector", "hybrid_hide_unsure"):
                m = r[mode]
                click.echo(
                    f"  in process {mode:<18} p50 {m['p50_ms']:>7.1f} ms   p95 {m['p95_ms']:>7.1f} ms   (n={m['n']})"
                )
            c = r["cli_cold"]
            click.echo(
                f"  cold CLI  hybrid             p50 {c['p50_ms']:>7.1f} ms   p95 {c['p95_ms']:>7.1f} ms   (n={c['n']})"
            )

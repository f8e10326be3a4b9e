"""Page timings of the app on a large KB: `python -m ui.bench [--size 100000] [--profile digests]`.

The KB (cached under /tmp/kb-ui-bench/<size>) is built like `kb bench search` builds its own: the
real statements of the search evaluation's KB replicated with fresh ids, articles and dates spread
over two years — but embedded with the fake embedder (a few hundred seed texts), so building takes
a minute or two and no model is loaded. A few corrections (one orphaned) and subscriptions make the
Corrections and Digests pages realistic.

Each page is timed with Streamlit's AppTest in this process: "first" is the page opened in a new
session with the data caches empty (the process's resources — KB, registry — already loaded, as in
a running server), "again" the same page opened by a second session within the cache's lifetime,
and "interaction" a typical widget change on it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "ui" / "app.py")
BENCH_ROOT = Path(os.environ.get("KB_UI_BENCH", "/tmp/kb-ui-bench"))


def build(size: int, *, rebuild: bool = False) -> Path:
    """A KB of `size` statements with the fake embedder (cached under BENCH_ROOT/<size>)."""
    from kb.base import KnowledgeBase
    from kb.bench.search import replicate, seed_kb
    from kb.config import load_settings
    from kb.embed.fake import FakeEmbedder
    from kb.store import Store

    home = BENCH_ROOT / str(size)
    if (home / "built.ok").exists() and not rebuild:
        Store(load_settings(home).db_path).close()  # new migrations
        return home
    seed = Store(seed_kb() / "kb.sqlite3", readonly=True)
    arts = {r["id"]: dict(r) for r in seed.db.execute("SELECT * FROM articles")}
    stmts = [dict(r) for r in seed.db.execute("SELECT * FROM statements ORDER BY article_id, seq")]
    topics = {
        (r[0], r[1]): r[2]
        for r in seed.db.execute("SELECT statement_id, topic, stance FROM statement_topics")
    }
    seed.close()
    vecs = FakeEmbedder().embed_passages([s["text"] for s in stmts])
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    (home / "settings.toml").write_text('model = "fake"\n', encoding="utf-8")
    kb = KnowledgeBase(load_settings(home))
    kb.registry  # noqa: B018 - the curated people and companies, as the app's first start writes them
    replicate(kb, arts, stmts, vecs, topics, size, notify=lambda line: print(line, flush=True))
    store = kb.store
    store.set_meta("index_model", kb.embedder.name)
    _extras(kb)
    kb.close()
    (home / "built.ok").write_text("ok")
    return home


def _extras(kb: Any) -> None:
    """Corrections (one whose statement is then gone) and subscriptions."""
    from kb.corrections import apply

    db = kb.store.db
    people = [r[0] for r in db.execute("SELECT DISTINCT speaker FROM statements WHERE speaker_type = 'person' "
                                       "AND speaker IS NOT NULL LIMIT 3")]  # fmt: skip
    sids = [r[0] for r in db.execute("SELECT id FROM statements ORDER BY published DESC LIMIT 12")]
    for i, sid in enumerate(sids[:10]):
        apply(kb.store, sid, "organization", f"公司{i}", kb.registry, note="bench")
    with kb.store.transaction() as tx:  # a re-extraction dropped this statement: its fix is orphaned
        tx.execute("DELETE FROM statement_topics WHERE statement_id = ?", (sids[0],))
        tx.execute("DELETE FROM statements WHERE id = ?", (sids[0],))
        tx.execute("UPDATE corrections SET status = 'orphaned' WHERE statement_id = ?", (sids[0],))
    from kb import digest

    for n, who in enumerate(people):
        digest.subscribe(
            kb.store, f"analyst{n}@example.com", people=[who], companies=[], topics=[], query=None
        )
    digest.subscribe(kb.store, "pricing@example.com", people=[], companies=[], topics=["pricing"], query=None)


# -- timing ---------------------------------------------------------------------------------------


def _interactions() -> dict[str | None, tuple[str, Callable[[Any], None]]]:
    def search(at: Any) -> None:
        at.text_input(key="q").set_value("价格战").run()

    def person(at: Any) -> None:
        at.selectbox(key="person").select_index(1).run()

    def company(at: Any) -> None:
        at.selectbox(key="company").select_index(1).run()

    def timeline(at: Any) -> None:
        at.radio(key="tl_kind").set_value("person").run()

    def digests(at: Any) -> None:
        at.selectbox(key="d_to").select_index(1).run()

    def rerun(at: Any) -> None:
        at.run()

    return {
        None: ("type 价格战", search),
        "people": ("next person", person),
        "companies": ("next company", company),
        "timelines": ("switch to person", timeline),
        "digests": ("preview for a subscriber", digests),
        "sources": ("rerun", rerun),
        "corrections": ("rerun", rerun),
    }


_SHARED: dict[str, Any] = {}


def _app(page: str | None) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=300)
    # A server scans the installed component packages once at start; AppTest does it per instance
    # (0.3-0.5 s), which would be counted in every "first" and "again" otherwise.
    if "bidi" in _SHARED:
        at._bidi_component_manager = _SHARED["bidi"]
    if page:
        at.switch_page(f"pages/{page}.py")
    return at


def _run(at: Any) -> None:
    at.run()
    _SHARED.setdefault("bidi", at._bidi_component_manager)


_PROFILE: dict[str, cProfile.Profile] = {}


def _profile_pages() -> None:
    """The script runs in AppTest's own thread: profile the page's run there."""
    from streamlit.navigation.page import StreamlitPage

    original = StreamlitPage.run

    def run(self: Any) -> None:
        prof = _PROFILE.get("on")
        if prof is None:
            return original(self)
        prof.enable()
        try:
            return original(self)
        finally:
            prof.disable()

    StreamlitPage.run = run  # type: ignore[method-assign]


def _report(prof: cProfile.Profile | None, title: str) -> None:
    if prof is not None:
        print(f"== profile of {title}")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)


def _timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def measure(home: Path, pages: list[str | None], profile: str | None = None) -> list[dict[str, Any]]:
    import streamlit as st

    os.environ["KB_HOME"] = str(home)
    _profile_pages()
    at = _app(None)
    start = _timed(lambda: _run(at))  # the process's resources (KB, registry, warm-up), once per server
    for t in threading.enumerate():  # a server has done its warm-up by the time anyone types a query
        if t.name == "kb-warm-up":
            t.join()
    # The warm-up also built the Digests page's default preview: what an analyst gets after start.
    warmed = _timed(lambda: _run(_app("digests")))
    out = [
        {"page": "(server start)", "first_ms": start, "again_ms": 0.0, "interaction": "", "interaction_ms": 0.0},
        {"page": "digests*", "first_ms": warmed, "again_ms": 0.0, "interaction": "(* after the warm-up)",
         "interaction_ms": 0.0},
    ]  # fmt: skip
    for page, (what, act) in ((p, _interactions()[p]) for p in pages):
        st.cache_data.clear()
        at = _app(page)
        profiling = profile == (page or "search")
        _PROFILE["on"] = cProfile.Profile() if profiling else None  # type: ignore[assignment]
        first = _timed(lambda: _run(at))  # noqa: B023 - called at once
        assert not at.exception, [e.value for e in at.exception]
        _report(_PROFILE.pop("on", None), f"{page or 'search'}: first load")
        again = _timed(lambda: _run(_app(page)))  # noqa: B023
        _PROFILE["on"] = cProfile.Profile() if profiling else None  # type: ignore[assignment]
        inter = _timed(lambda: act(at))  # noqa: B023
        _report(_PROFILE.pop("on", None), f"{page or 'search'}: {what}")
        assert not at.exception, [e.value for e in at.exception]
        out.append({"page": page or "search", "first_ms": first, "again_ms": again, "interaction": what,
                    "interaction_ms": inter})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--page", action="append", help="only these pages (search, people, …)")
    p.add_argument("--profile", help="cProfile this page's first load and interaction")
    a = p.parse_args(argv)
    t = time.perf_counter()
    home = build(a.size, rebuild=a.rebuild)
    print(f"KB {home} ready in {time.perf_counter() - t:.1f} s")
    names = a.page or ["search", "people", "companies", "timelines", "digests", "sources", "corrections"]
    pages = [None if n == "search" else n for n in names]
    rows = measure(home, pages, a.profile)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"{'page':<12} {'first ms':>9} {'again ms':>9} {'interaction ms':>15}  interaction")
    for r in rows:
        print(f"{r['page']:<12} {r['first_ms']:>9.0f} {r['again_ms']:>9.0f} {r['interaction_ms']:>15.0f}  "
              f"{r['interaction']}")  # fmt: skip


if __name__ == "__main__":
    main()

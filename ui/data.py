"""Process-wide loaders (st.cache_resource) and per-query data (st.cache_data).

The knowledge base (and through it the store, registry, embedding model and vector index) is opened
once per process and per KB home; its heavy parts load lazily on first use. Query results are cached
so that widget reruns and other sessions do not repeat work. They stay right without a short expiry:
the cache key holds SQLite's `data_version`, which changes as soon as another process (an ingest,
`kb correct`) commits to the KB, and the app's own writes call `clear_data()`.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from kb.base import KnowledgeBase
from kb.config import default_home, load_settings
from kb.textnorm import search_tokens

DATA_TTL_S = 600  # a bound on memory; freshness comes from the data version in the cache key


def home() -> str:
    """The KB home: `kb ui` passes it as KB_HOME."""
    return _resolved(os.environ.get("KB_HOME") or str(default_home()))


@functools.lru_cache(maxsize=8)
def _resolved(path: str) -> str:
    # Called by every query of every run: resolving the path (a few lstat calls) once is enough.
    return str(Path(path).resolve())


@st.cache_resource(show_spinner=False)
def _kb(home_dir: str) -> KnowledgeBase:
    return KnowledgeBase(load_settings(home_dir))


def kb() -> KnowledgeBase:
    return _kb(home())


@st.cache_resource(show_spinner="Loading the people and companies registry…")
def _registry(home_dir: str) -> Any:
    try:
        return _kb(home_dir).registry
    except NotImplementedError:  # the registry API is still a stub
        return None
    except Exception as e:  # noqa: BLE001 - the app must open even if the registry data is broken
        st.session_state["_registry_error"] = f"{type(e).__name__}: {e}"
        return None


def registry() -> Any:
    return _registry(home())


@st.cache_resource(show_spinner="Loading the embedding model…")
def _embedder(home_dir: str) -> Any:
    return _kb(home_dir).embedder


def embedder() -> Any:
    return _embedder(home())


@dataclass
class _WarmUp:
    thread: threading.Thread
    search_ready: threading.Event


@st.cache_resource(show_spinner=False)
def _warm_up(home_dir: str) -> _WarmUp:
    """Load the embedding model, open the vector index and load the search's own dictionaries (jieba's
    0.6 s, the registry's name matcher) in the background, once per process, as soon as any page is
    shown: the first search then answers at once instead of after the model's 10+ s load. Then it
    builds the Digests page's default preview (most of a second on a large KB) into the data cache.
    Failures are left for the pages to report."""
    kbase = _kb(home_dir)
    ready = threading.Event()

    def run() -> None:
        try:
            kbase.embedder.embed_query("预热 warm-up")
            kbase.index.count()
        except Exception:  # noqa: BLE001, S110 - the search shows the error in its own words
            pass
        try:
            from ui import backend

            search_tokens("预热 warm-up")
            backend.parse_query(kbase, "王小川 价格战")
        except Exception:  # noqa: BLE001, S110 - as above
            pass
        ready.set()
        try:
            from ui import backend

            since, until, _ = backend.digest_window(
                _call(home_dir, _data_version(home_dir), "newest_statement_day", (), ())
            )
            _call(home_dir, _data_version(home_dir), "digest_preview", (None, since, until), ())
        except Exception:  # noqa: BLE001, S110 - as above
            pass

    t = threading.Thread(target=run, name="kb-warm-up", daemon=True)
    t.start()
    return _WarmUp(t, ready)


def warm_up() -> None:
    _warm_up(home())


def _wait_for_model() -> None:
    """Searches wait for the warm-up instead of loading a second copy of the model beside it."""
    w = _warm_up(home())
    if not w.search_ready.is_set():
        with st.spinner("Loading the embedding model (once per process)…"):
            w.search_ready.wait()


def clear_data() -> None:
    """After a write (correction, subscription, source): drop cached query results."""
    st.cache_data.clear()


def _data_version(home_dir: str) -> int:
    """Changes whenever another connection (another process) has committed to the KB since."""
    try:
        return int(_kb(home_dir).store.db.execute("PRAGMA data_version").fetchone()[0])
    except sqlite3.Error:
        return -1


@st.cache_data(ttl=DATA_TTL_S, show_spinner=False, max_entries=2000)
def _call(
    home_dir: str, version: int, fn_name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> Any:
    from ui import backend

    return getattr(backend, fn_name)(_kb(home_dir), *args, **dict(kwargs))


def q(fn_name: str, *args: Any, **kwargs: Any) -> Any:
    """A read through `ui.backend`, cached per KB home, data version and arguments."""
    if fn_name == "search":
        _wait_for_model()
    h = home()
    return _call(h, _data_version(h), fn_name, args, tuple(sorted(kwargs.items())))

"""Process-wide loaders (st.cache_resource) and per-query data (st.cache_data).

The knowledge base (and through it the store, registry, embedding model and vector index) is opened
once per process and per KB home; its heavy parts load lazily on first use. Query results are cached
for a short while so that widget reruns do not repeat work; writes clear them.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import streamlit as st

from kb.base import KnowledgeBase
from kb.config import default_home, load_settings

DATA_TTL_S = 60  # query results: short, so a running ingest shows up within a minute


def home() -> str:
    """The KB home: `kb ui` passes it as KB_HOME."""
    return str(Path(os.environ.get("KB_HOME") or default_home()).resolve())


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


@st.cache_resource(show_spinner=False)
def _warm_up(home_dir: str) -> threading.Thread:
    """Load the embedding model and open the vector index in the background, once per process, as
    soon as any page is shown: the first search then answers at once instead of after the model's
    10+ s load. Failures are left for the search itself to report."""
    kbase = _kb(home_dir)

    def run() -> None:
        try:
            kbase.embedder.embed_query("预热 warm-up")
            kbase.index.count()
        except Exception:  # noqa: BLE001, S110 - the search shows the error in its own words
            pass

    t = threading.Thread(target=run, name="kb-warm-up", daemon=True)
    t.start()
    return t


def warm_up() -> None:
    _warm_up(home())


def _wait_for_model() -> None:
    """Searches wait for the warm-up instead of loading a second copy of the model beside it."""
    t = _warm_up(home())
    if t.is_alive():
        with st.spinner("Loading the embedding model (once per process)…"):
            t.join()


def clear_data() -> None:
    """After a write (correction, subscription, source): drop cached query results."""
    st.cache_data.clear()


@st.cache_data(ttl=DATA_TTL_S, show_spinner=False)
def _call(home_dir: str, fn_name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> Any:
    from ui import backend

    return getattr(backend, fn_name)(_kb(home_dir), *args, **dict(kwargs))


def q(fn_name: str, *args: Any, **kwargs: Any) -> Any:
    """A read through `ui.backend`, cached per KB home and arguments for DATA_TTL_S."""
    if fn_name == "search":
        _wait_for_model()
    return _call(home(), fn_name, args, tuple(sorted(kwargs.items())))

"""Shared fixtures. Real parts everywhere (SQLite files, Chroma folders); the fake embedder only
where a test is about logic around embeddings, not about the model."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("KB_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).with_name("fixtures")


def shared(*parts: str) -> Path:
    """A path under ../shared/data; skips the test with a reason when it is absent."""
    p = SHARED_DATA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (../shared/data is not beside this checkout)")
    return p


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty KB home that uses the fake embedder (fast, deterministic)."""
    h = tmp_path / "kb"
    h.mkdir()
    (h / "settings.toml").write_text('model = "fake"\n', encoding="utf-8")
    monkeypatch.setenv("KB_HOME", str(h))
    return h


@pytest.fixture
def fixture_kb(home: Path) -> Iterator[Any]:
    """The app's fixture KB (tests/fixtures/ui/build_kb.py) written into `home`, open."""
    import importlib.util

    from kb.base import KnowledgeBase
    from kb.config import load_settings

    spec = importlib.util.spec_from_file_location("ui_fixture_kb", FIXTURES / "ui" / "build_kb.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(home).close()
    kbase = KnowledgeBase(load_settings(home))
    yield kbase
    kbase.close()


# ------------------------------------------------------------------------------ a Chroma server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on loopback (the index's server mode); its URL."""
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(exe).exists():
        pytest.skip("the `chroma` command (from the chromadb package) is not installed")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path.parent / f"chroma-{port}.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma server did not start (exit {proc.poll()}); see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def crf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attribution with the NER model; skips where set-up could not train it (no ../shared)."""
    monkeypatch.delenv("KB_NER_CRF", raising=False)
    from kb.nlp import ner_crf

    if ner_crf.load() is None:
        pytest.skip("no trained CRF model in the cache (python -m kb.nlp.ner_crf train; needs ../shared)")


@pytest.fixture
def rules_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attribution by the rules alone, as on a machine without the NER model (unless the test also
    asks for `crf`)."""
    monkeypatch.setenv("KB_RANKER", "off")  # the rules' own choice of antecedent (kb/nlp/antecedents.py)
    if "crf" not in request.fixturenames:
        monkeypatch.setenv("KB_NER_CRF", "off")

"""Shared fixtures. Real parts everywhere (SQLite files, Chroma folders); the fake embedder only
where a test is about logic around embeddings, not about the model."""

from __future__ import annotations

import os
from pathlib import Path

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

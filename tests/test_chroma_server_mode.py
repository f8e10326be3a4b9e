"""The same commands against a Chroma server (KB_CHROMA_URL) instead of the embedded index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES


def kb(home: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_ingest_search_doctor_reindex_through_a_chroma_server(home: Path, chroma_server: str) -> None:
    env = {**os.environ, "KB_CHROMA_URL": chroma_server, "KB_CHROMA_COLLECTION": "server_mode_test"}
    kb(home, env, "ingest", str(FIXTURES / "pipeline" / "feed.xml"))
    assert not (home / "chroma").exists()  # nothing embedded: the vectors live in the server
    doctor = json.loads(kb(home, env, "doctor", "--json").stdout)
    assert doctor["ok"] and doctor["vectors"] == doctor["statements"] > 0

    hits = [
        json.loads(line)
        for line in kb(home, env, "search", "降价", "--mode", "vector", "--json").stdout.splitlines()
    ]
    assert hits and all(h["text"] for h in hits)

    # A KB of its own name on the same server does not see these vectors.
    other = home.parent / "other"
    other.mkdir()
    shutil.copy(home / "settings.toml", other / "settings.toml")
    env2 = {**env, "KB_CHROMA_COLLECTION": "another_kb"}
    kb(other, env2, "ingest", str(FIXTURES / "pipeline" / "feed.xml"))
    assert json.loads(kb(home, env, "doctor", "--json").stdout)["vectors"] == doctor["vectors"]

    out = json.loads(kb(home, env, "reindex", "--json").stdout)
    assert out["reindexed"] == doctor["statements"]
    assert json.loads(kb(home, env, "doctor", "--json").stdout)["ok"]

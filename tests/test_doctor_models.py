"""`kb doctor` says whether the attribution models are in place: a missing or stale model leaves
extraction quietly worse (no ranker, no confidence marks), so the analyst must be told, with the fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.config import cache_dir
from tests.conftest import FIXTURES


def doctor(home: Path, cache: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), "doctor", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "KB_CACHE": str(cache), **env},
    )


def init(home: Path) -> None:
    feed = str(FIXTURES / "pipeline" / "feed.xml")
    subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), "ingest", feed], check=True, capture_output=True
    )


def test_missing_models_are_notes_with_the_fix_and_the_kb_stays_ok(home: Path, tmp_path: Path) -> None:
    init(home)
    proc = doctor(home, tmp_path / "empty-cache", "--json")
    assert proc.returncode == 0, proc.stderr  # the KB itself is whole
    found = json.loads(proc.stdout)
    assert found["ok"] is True
    assert {m["state"] for m in found["models"].values()} == {"missing"}
    notes = "\n".join(found["notes"])
    for name in ("ner tagger", "antecedent ranker", "confidence model"):
        assert f"{name}: missing" in notes
    assert "scripts/setup.sh" in notes
    text = doctor(home, tmp_path / "empty-cache").stdout
    assert "models: ner tagger missing · antecedent ranker missing · confidence model missing" in text
    assert "note: confidence model: missing; new statements get no confidence" in text


def test_a_model_fitted_for_other_rules_is_stale(home: Path, tmp_path: Path) -> None:
    init(home)
    cache = tmp_path / "cache"
    (cache / "kb" / "models").mkdir(parents=True)
    stale = {"feature_version": "conf-1", "fingerprint": "fitted-for-other-rules", "weights": {}, "bias": 0.0}
    (cache / "kb" / "models" / "confidence.json").write_text(json.dumps(stale), encoding="utf-8")
    found = json.loads(doctor(home, cache, "--json").stdout)
    assert found["models"]["confidence model"]["state"] == "stale"
    assert found["models"]["antecedent ranker"]["state"] == "missing"


def test_switched_off_models_are_not_reported_as_problems(home: Path, tmp_path: Path) -> None:
    init(home)
    found = json.loads(doctor(home, tmp_path / "c", "--json", KB_RANKER="off", KB_NER_CRF="off").stdout)
    assert found["models"]["ner tagger"] == {"state": "off"}
    assert found["models"]["antecedent ranker"] == {"state": "off"}
    assert not any(n.startswith(("ner tagger", "antecedent ranker")) for n in found.get("notes", []))


def test_models_fitted_at_set_up_are_active(home: Path, tmp_path: Path) -> None:
    models = cache_dir() / "models"
    if not all((models / f).exists() for f in ("antecedents.json", "confidence.json", "ner-crf")):
        pytest.skip("set-up fitted no models here (they need ../shared/data)")
    init(home)
    # the set-up cache itself, copied: the test must not depend on another test's environment
    cache = tmp_path / "cache"
    shutil.copytree(models, cache / "kb" / "models", symlinks=True)
    found = json.loads(doctor(home, cache, "--json").stdout)
    assert {n: m["state"] for n, m in found["models"].items()} == {
        "ner tagger": "active",
        "antecedent ranker": "active",
        "confidence model": "active",
    }

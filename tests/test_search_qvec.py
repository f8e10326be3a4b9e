"""The torch-free query encoder of the cold `kb search` (kb.search.qvec) gives the vectors of
sentence-transformers itself, and the embedder's own fast query path (kb.embed.st) those of
`encode`."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from kb.config import load_settings
from kb.embed import get_embedder
from kb.embed.fake import FakeEmbedder
from kb.embed.st import default_model_dir
from kb.search.qvec import light_query_embedder

QUERIES = ["杨植麟 长文本", "Robin Li on open source", "李開復認為推理成本", "🚀", "", "价格战" * 400]


def real_embedder():  # type: ignore[no-untyped-def]
    if not (default_model_dir() / "kb-verified.json").exists():
        pytest.skip("the converted model is not built; run `python -m kb.embed.convert`")
    return get_embedder(load_settings(model="multilingual-e5-small", device="cpu"))


def test_other_embedders_get_no_light_encoder() -> None:
    assert light_query_embedder(FakeEmbedder()) is None


@pytest.mark.slow
def test_numpy_query_vectors_match_sentence_transformers() -> None:
    emb = real_embedder()
    light = light_query_embedder(emb)
    assert light is not None and light.name == emb.name and light.dim == emb.dim == 384
    for q in QUERIES:
        a, b = light.embed_query(q), emb.embed_query(q)
        assert a.shape == (384,) and a.dtype == np.float32
        assert float(a @ b) >= 0.99999, q
        # the fast path of kb.embed.st equals sentence-transformers' encode (long queries are cut
        # to 128 tokens there, deliberately, so only short ones are compared)
        if len(q) < 100:
            ref = emb._encode([emb.query_prefix + q])[0]  # type: ignore[attr-defined]
            assert float(b @ ref) >= 0.99999, q


@pytest.mark.slow
def test_light_encoder_imports_no_torch() -> None:
    real_embedder()
    code = (
        "import sys; from kb.config import load_settings; from kb.embed import get_embedder; "
        "from kb.search.qvec import light_query_embedder; "
        "e = light_query_embedder(get_embedder(load_settings(model='multilingual-e5-small'))); "
        "e.embed_query('大模型'); print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["False", "False"]

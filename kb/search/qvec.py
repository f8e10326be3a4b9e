"""Query vectors without torch, for the cold `kb search` call.

A cold `kb search` spent ~14 s of its ~21 s (2 cores under load 9) importing torch (3.8 s) and
sentence-transformers/transformers (6.7 s) and loading the model (3.4 s), all to embed one query
of a dozen tokens. For a sentence-transformers folder that is a plain BERT encoder with mean
pooling and normalisation (the default multilingual-e5-small as kb.embed.convert builds it), the
same forward pass in numpy needs only the `tokenizers` library and the weights it reads through a
memory map: the 96M-parameter word-embedding table is never loaded, only the query's rows.

`light_query_embedder(embedder)` returns such an encoder with the embedder's name, size and query
prefix, or None when the model is anything else (then the full embedder is used). Its vectors
match sentence-transformers' to float32 rounding (tests/test_search_qvec.py checks cosine
≥ 0.99999 on the real model); queries are cut to QUERY_MAX_TOKENS tokens like kb.embed.st does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

QUERY_MAX_TOKENS = 128


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): BERT's exact GELU without scipy.
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (
        ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t * np.exp(-a * a)
    return s * y


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _plain_bert_folder(folder: Path) -> dict[str, Any] | None:
    """The BERT config when `folder` is Transformer(BERT) + mean Pooling + Normalize, else None."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds != ["Transformer", "Pooling", "Normalize"] or modules[0].get("path", "") != "":
            return None
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
        modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
        if (
            modes not in (["pooling_mode_mean_tokens"], ["pooling_mode"])
            and pooling.get("pooling_mode") != "mean"
        ):
            return None
        cfg: dict[str, Any] = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if cfg.get("model_type") != "bert" or cfg.get("hidden_act") != "gelu":
            return None
        if cfg.get("position_embedding_type", "absolute") != "absolute":
            return None
        if not (folder / "model.safetensors").exists() or not (folder / "tokenizer.json").exists():
            return None
        return cfg
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


class NumpyBertQuery:
    """embed_query for a plain BERT sentence-transformers folder, in numpy."""

    def __init__(self, folder: Path, cfg: dict[str, Any], *, name: str, dim: int, query_prefix: str):
        from safetensors import safe_open
        from tokenizers import Tokenizer

        self.name, self.dim, self.query_prefix, self.passage_prefix = name, dim, query_prefix, ""
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        limit = min(QUERY_MAX_TOKENS, int(cfg.get("max_position_embeddings", 512)))
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(max_length=limit)
        self._f = safe_open(str(folder / "model.safetensors"), framework="np")

        def get(key: str) -> np.ndarray:
            return np.asarray(self._f.get_tensor(key), dtype=np.float32)

        self.pos = np.asarray(
            self._f.get_slice("embeddings.position_embeddings.weight")[:limit], dtype=np.float32
        )
        self.type0 = get("embeddings.token_type_embeddings.weight")[0]
        self.emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.words = self._f.get_slice("embeddings.word_embeddings.weight")
        self.layers = []
        for i in range(int(cfg["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([get(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")])
            qkv_b = np.concatenate([get(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
            self.layers.append(
                (
                    np.ascontiguousarray(qkv_w.T), qkv_b,
                    np.ascontiguousarray(get(p + "attention.output.dense.weight").T),
                    get(p + "attention.output.dense.bias"),
                    get(p + "attention.output.LayerNorm.weight"), get(p + "attention.output.LayerNorm.bias"),
                    np.ascontiguousarray(get(p + "intermediate.dense.weight").T), get(p + "intermediate.dense.bias"),
                    np.ascontiguousarray(get(p + "output.dense.weight").T), get(p + "output.dense.bias"),
                    get(p + "output.LayerNorm.weight"), get(p + "output.LayerNorm.bias"),
                )
            )  # fmt: skip

    def embed_query(self, text: str) -> np.ndarray:
        # One BLAS thread: a dozen-token query gains nothing from threads, and on shared cores
        # OpenBLAS's spinning workers made it 10x slower (1.2 s against 0.1 s under load 9).
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            return self._forward(text)
        with threadpool_limits(limits=1, user_api="blas"):
            return self._forward(text)

    def _forward(self, text: str) -> np.ndarray:
        ids = self.tok.encode(self.query_prefix + text).ids
        n = len(ids)
        x = np.stack([np.asarray(self.words[i : i + 1], dtype=np.float32)[0] for i in ids])
        x = _layer_norm(x + self.pos[:n] + self.type0, *self.emb_ln, self.eps)
        h, d = self.heads, x.shape[1] // self.heads
        for qkv_w, qkv_b, o_w, o_b, ln1_w, ln1_b, i_w, i_b, out_w, out_b, ln2_w, ln2_b in self.layers:
            qkv = x @ qkv_w + qkv_b
            q, k, v = (
                qkv[:, j * h * d : (j + 1) * h * d].reshape(n, h, d).transpose(1, 0, 2) for j in range(3)
            )
            att = q @ k.transpose(0, 2, 1) / np.sqrt(d)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(n, h * d)
            x = _layer_norm(ctx @ o_w + o_b + x, ln1_w, ln1_b, self.eps)
            x = _layer_norm(_gelu(x @ i_w + i_b) @ out_w + out_b + x, ln2_w, ln2_b, self.eps)
        vec = x.mean(0)
        return np.asarray(vec / max(float(np.linalg.norm(vec)), 1e-12), dtype=np.float32)


def light_query_embedder(embedder: Any) -> NumpyBertQuery | None:
    """A torch-free query encoder equivalent to `embedder` (a SentenceTransformerEmbedder over a
    local plain-BERT folder), or None."""
    source = getattr(embedder, "_source", None)
    if not source or not getattr(embedder, "_local", False):
        return None
    folder = Path(source)
    cfg = _plain_bert_folder(folder)
    if cfg is None:
        return None
    try:
        return NumpyBertQuery(
            folder, cfg, name=embedder.name, dim=int(embedder.dim), query_prefix=embedder.query_prefix
        )
    except (OSError, ValueError, KeyError, ImportError):
        return None

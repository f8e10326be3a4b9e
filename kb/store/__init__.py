"""The record of truth: one SQLite file per knowledge base (see kb.store.db.Store)."""

from kb.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]

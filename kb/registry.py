"""The registry of people, companies and media outlets (placeholder API; owner: registry work).

Curated entries live in data/registry/*.json; entities that ingest discovers are stored in the KB
with origin = 'discovered'. See the docstrings for the contract other stages rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@dataclass
class Role:
    company_id: str
    title: str = ""
    since: str | None = None  # ISO date (YYYY or YYYY-MM or YYYY-MM-DD) or None
    until: str | None = None


@dataclass
class Entity:
    id: str
    kind: str  # person | company | media | organization
    name: str  # canonical (simplified script for Chinese names)
    name_en: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    origin: str = "curated"


class Registry:
    """Lookup of names in any script (simplified, traditional, English, pinyin)."""

    def find(self, mention: str) -> Entity | None:
        raise NotImplementedError

    def get(self, entity_id: str) -> Entity | None:
        raise NotImplementedError

    def role_on(self, person_id: str, day: date | None) -> Role | None:
        """The role a person held on a date (the latest-starting one that covers it)."""
        raise NotImplementedError

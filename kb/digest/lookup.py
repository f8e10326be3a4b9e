"""Names for the digest: people and companies through the registry, topics through the taxonomy.

The registry (kb.registry) and the topic module (kb.topics) belong to other parts of the product;
this adapter is the one place the digest touches them, and it degrades gracefully (names typed as
they are, topics read from data/topics.json) when either is missing or empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import UsageError
from kb.textnorm import alias_key

if TYPE_CHECKING:
    from kb.store import Store

TOPICS_FILE = Path(__file__).resolve().parents[2] / "data" / "topics.json"


def _load_registry(store: Store | None) -> Any:
    try:
        from kb.registry import Registry

        return Registry.load(store=store)
    except Exception:  # noqa: BLE001 - a registry that cannot load must not stop a digest
        return None


def _load_topic_labels() -> dict[str, dict[str, Any]]:
    """topic id -> {"zh", "en", "aliases"} from the taxonomy file (fallback for kb.topics)."""
    try:
        data = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for t in data.get("topics", []):
        labels = t.get("labels", {})
        out[t["id"]] = {
            "zh": labels.get("zh") or t["id"],
            "en": labels.get("en") or t["id"],
            "aliases": list(t.get("aliases", [])),
        }
    return out


@dataclass
class Names:
    registry: Any = None  # kb.registry.Registry or None
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    known_speakers: set[str] = field(default_factory=set)  # alias keys of speakers in the KB
    # Lookups repeat for every statement of a speaker (a digest reads thousands): memoised per
    # Names, which lives for one digest run or one app cache entry.
    _memo: dict[tuple[str, Any, Any], Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, store: Store | None) -> Names:
        speakers: set[str] = set()
        if store is not None:
            for (name,) in store.db.execute(
                "SELECT DISTINCT speaker FROM statements WHERE speaker IS NOT NULL"
            ):
                speakers.add(alias_key(name))
        return cls(_load_registry(store), _load_topic_labels(), speakers)

    @classmethod
    def empty(cls) -> Names:
        return cls(None, _load_topic_labels())

    # -- resolving what a user typed ---------------------------------------------------------

    def _find(self, name: str, kind: str) -> Any:
        if self.registry is None:
            return None
        key = ("find", name, kind)
        if key not in self._memo:
            try:
                self._memo[key] = self.registry.find(name, kind)
            except Exception:  # noqa: BLE001 - a stub registry (NotImplementedError) = no registry
                self._memo[key] = None
        return self._memo[key]

    def _suggest(self, name: str, kind: str) -> list[str]:
        if self.registry is None:
            return []
        try:
            return list(self.registry.suggest(name, kind))
        except Exception:  # noqa: BLE001
            return []

    def _resolve(self, name: str, kind: str) -> str:
        name = (name or "").strip()
        if not name:
            raise UsageError(f"empty {kind} name")
        e = self._find(name, kind)
        if e is not None:
            return str(e.id)
        # Not in the registry: still fine when statements in the KB carry the name (the
        # registry may not have caught up), or when there is no registry to ask at all.
        if alias_key(name) in self.known_speakers or self.registry is None or not self._has_entries():
            return name
        close = self._suggest(name, kind)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"unknown {kind} {name!r} in the registry{hint}")

    def _has_entries(self) -> bool:
        return bool(getattr(self.registry, "entities", None))

    def resolve_person(self, name: str) -> str:
        return self._resolve(name, "person")

    def resolve_company(self, name: str) -> str:
        return self._resolve(name, "company")

    def resolve_topic(self, name: str) -> str:
        """A topic id from a name or alias in any language (kb.topics.find_topic, whose error
        names the closest topics), or from the taxonomy file while that module is absent."""
        name = (name or "").strip()
        try:
            from kb.topics import find_topic
        except ImportError:
            pass
        else:
            found = find_topic(name)
            if found:
                return str(found)
        key = alias_key(name)
        for tid, t in self.topics.items():
            keys = {alias_key(tid), alias_key(t["zh"]), alias_key(t["en"])}
            keys |= {alias_key(a) for a in t["aliases"]}
            if key in keys:
                return tid
        if not self.topics:
            return name
        known = ", ".join(sorted(self.topics))
        raise UsageError(f"unknown topic {name!r}; known topics: {known}")

    # -- display and matching ---------------------------------------------------------------

    def entity(self, entity_id: str | None) -> Any:
        if not entity_id or self.registry is None:
            return None
        try:
            return self.registry.get(entity_id)
        except Exception:  # noqa: BLE001
            return None

    def entity_name(self, entity_id: str) -> str:
        e = self.entity(entity_id)
        return str(e.name) if e is not None else entity_id

    def entity_keys(self, entity_id: str) -> set[str]:
        """Alias keys under which statements may name this person or company."""
        e = self.entity(entity_id)
        keys = {alias_key(entity_id)}
        if e is not None:
            keys |= {alias_key(a) for a in [e.name, e.name_en or "", *e.aliases] if a}
        return {k for k in keys if k}

    def topic_label(self, topic_id: str) -> str:
        t = self.topics.get(topic_id)
        return f"{t['zh']} ({t['en']})" if t else topic_id

    def topic_zh(self, topic_id: str) -> str:
        t = self.topics.get(topic_id)
        return str(t["zh"]) if t else topic_id

    def company_on(self, person_id: str | None, day: date | None) -> tuple[str | None, str | None]:
        """(company id, title) of the role a person held on a day, per the registry."""
        if not person_id or self.registry is None:
            return None, None
        key = ("role", person_id, day)
        if key not in self._memo:
            try:
                role = self.registry.role_on(person_id, day)
            except Exception:  # noqa: BLE001
                role = None
            self._memo[key] = (role.company_id, role.title or None) if role is not None else (None, None)
        found: tuple[str | None, str | None] = self._memo[key]
        return found

    def company_member_ids(self, company_id: str, day: date | None) -> set[str]:
        """Ids of people who held a role at the company on that day."""
        if self.registry is None:
            return set()
        try:
            return {str(e.id) for e in self.registry.people_of(company_id, day)}
        except Exception:  # noqa: BLE001
            return set()

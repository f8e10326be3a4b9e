"""What the user named → the sources to read: feed URLs, feed files, OPML lists, article files, folders.

`expand_sources` never raises: a path that does not exist or an OPML list that cannot be read
becomes a `SourceSpec` with `error` set, which `read_source` returns as that source's one-line
failure, so the rest of the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from defusedxml import ElementTree as SafeET

from ingest.articles import ARTICLE_SUFFIXES

FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".feed")
OPML_SUFFIXES = (".opml",)
MAX_OPML_BYTES = 5_000_000


@dataclass
class SourceSpec:
    location: str  # a URL, or an absolute path
    kind: Literal["feed", "article"] = "feed"
    name: str = ""  # from the OPML title, when there is one
    error: str | None = None  # set when the source cannot even be listed (missing file, bad OPML)


def is_url(arg: str) -> bool:
    return urlsplit(arg).scheme.lower() in ("http", "https") and "://" in arg


def _looks_like_opml(path: Path) -> bool:
    if path.suffix.lower() in OPML_SUFFIXES:
        return True
    if path.suffix.lower() != ".xml":
        return False
    try:
        with path.open("rb") as f:
            head = f.read(1024).lower()
    except OSError:
        return False
    return b"<opml" in head


def parse_opml(path: Path) -> tuple[list[SourceSpec], str | None]:
    """Feed outlines of an OPML file (nested outlines too) → specs; or ([], one-line error)."""
    try:
        data = path.read_bytes()[: MAX_OPML_BYTES + 1]
    except OSError as e:
        return [], f"{path.name}: cannot read ({e.strerror or e})"
    if len(data) > MAX_OPML_BYTES:
        return [], f"{path.name}: OPML larger than {MAX_OPML_BYTES:,} bytes"
    try:
        root = SafeET.fromstring(data)  # defusedxml: entity declarations are refused, never expanded
    except SafeET.ParseError as e:
        return [], f"{path.name}: not a valid OPML file (XML error: {e})"
    except Exception as e:  # noqa: BLE001 - defusedxml's EntitiesForbidden and friends
        return [], f"{path.name}: not a valid OPML file ({type(e).__name__})"
    if root.tag.lower() != "opml":
        return [], f"{path.name}: not an OPML file (root element <{root.tag}>)"
    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or outline.get("url") or "").strip()
        if not url:
            continue  # a folder outline; its children are visited by iter()
        title = (outline.get("title") or outline.get("text") or "").strip()
        if is_url(url):
            location = url
        else:
            p = Path(url[7:] if url.startswith("file://") else url)
            location = str((path.parent / p).resolve() if not p.is_absolute() else p)
        if location in seen:
            continue
        seen.add(location)
        specs.append(SourceSpec(location=location, kind="feed", name=title))
    if not specs:
        return [], f"{path.name}: OPML file lists no feeds (no <outline xmlUrl=…>)"
    return specs, None


def _file_spec(path: Path) -> list[SourceSpec]:
    if _looks_like_opml(path):
        specs, err = parse_opml(path)
        return specs if err is None else [SourceSpec(str(path), "feed", error=err)]
    kind: Literal["feed", "article"] = "article" if path.suffix.lower() in ARTICLE_SUFFIXES else "feed"
    return [SourceSpec(str(path), kind)]


def expand_sources(args: list[str]) -> list[SourceSpec]:
    """Arguments → sources in the order given; a folder's files sorted by name (date order for
    snapshots named like `2026-02-01T09.xml`). Duplicates are listed once."""
    out: list[SourceSpec] = []
    for arg in args:
        arg = str(arg).strip()
        if is_url(arg):
            out.append(SourceSpec(arg, "feed"))
            continue
        path = Path(arg).expanduser()
        try:
            path = path.resolve()
        except (OSError, RuntimeError):
            pass
        if path.is_dir():
            names = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and p.suffix.lower() in FEED_SUFFIXES + OPML_SUFFIXES + ARTICLE_SUFFIXES
            )
            for p in names:
                out.extend(_file_spec(p))
        elif path.is_file():
            out.extend(_file_spec(path))
        elif "://" in arg:
            out.append(SourceSpec(arg, "feed", error=f"{arg}: only http and https URLs are read"))
        else:
            out.append(SourceSpec(str(path), "feed", error=f"{arg}: no such file or folder"))
    unique: dict[str, SourceSpec] = {}
    for spec in out:
        unique.setdefault(spec.location, spec)
    return list(unique.values())

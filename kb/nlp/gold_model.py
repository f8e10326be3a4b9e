"""What the small models fitted on the gold set share (kb/nlp/antecedents.py, kb/nlp/confidence.py):
writing one into the cache so that a crash never leaves half a file, and the `python -m … train`
command that set-up runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def save(path: Path, meta: dict[str, Any]) -> None:
    """Write the model's JSON beside `path`, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=0), encoding="utf-8")
    os.replace(tmp, path)


def train_command(
    prog: str,
    label: str,
    train: Callable[..., dict[str, Any] | None],
    model_path: Callable[[], Path],
    without: str,
    argv: list[str] | None = None,
) -> int:
    """`prog train [--force] [--quiet]`: fit the model unless the cached one is current. `without` says
    what happens when ../shared/data is absent and nothing can be fitted."""
    ap = argparse.ArgumentParser(prog=prog)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help=f"fit the {label} on the gold set (skipped when current)")
    t.add_argument("--force", action="store_true")
    t.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    meta = train(force=args.force, quiet=args.quiet)
    if meta is None:
        if not args.quiet:
            print(f"{label}: skipped (../shared/data is absent); {without}", file=sys.stderr)
        return 0
    if meta.get("skipped") and not args.quiet:
        print(f"{label}: current ({model_path()})", file=sys.stderr)
    return 0

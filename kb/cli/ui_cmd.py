"""`kb ui`: the Streamlit app (ui/app.py) on a port, for the KB in --home / KB_HOME."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import click

from kb.cli.common import Ctx, kb_command
from kb.errors import KbError


def app_path() -> Path:
    """ui/app.py beside the kb package (editable checkout or installed side by side)."""
    spec = importlib.util.find_spec("ui.app")
    if spec is not None and spec.origin:
        return Path(spec.origin)
    return Path(__file__).resolve().parents[2] / "ui" / "app.py"


def streamlit_argv(port: int, address: str) -> list[str]:
    """`streamlit run` headless, without usage statistics and without opening a browser."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path()),
        "--server.port", str(port), "--server.address", address, "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.runOnSave", "false",
        "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",
        "--theme.base", "light",
    ]  # fmt: skip


def register(group: click.Group) -> None:
    @kb_command(group, "ui")
    @click.option(
        "--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to serve on."
    )
    @click.option(
        "--address", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: all)."
    )
    def ui_command(ctx: Ctx, port: int, address: str) -> None:
        """Open the analyst's app (Streamlit) for this knowledge base.

        \b
        Example:
          kb ui --home ~/kb --port 8501     # then open http://127.0.0.1:8501
        """
        path = app_path()
        if not path.exists():
            raise KbError(f"the app is missing: {path}")
        env = {
            **os.environ,
            "KB_HOME": str(ctx.home.resolve()),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
        ctx.info(f"kb ui: http://{address}:{port}  (KB {ctx.home})")
        # exec: Ctrl-C and signals go straight to Streamlit; nothing of this process remains.
        os.execve(sys.executable, streamlit_argv(port, address), env)

"""The digest's HTML in a real browser (Debian's chromium, headless) at a mail client's width:
the screenshot must show the page (not blank), and the 600px layout must fit a 640px window."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kb.digest import build_digest, render_html
from kb.store import Store
from tests.test_digest import SINCE, UNTIL, build_kb

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def screenshot(html_file: Path, png: Path, width: int = 640, height: int = 1800) -> None:
    assert CHROMIUM
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}",
         f"--user-data-dir={png.parent / 'chromium-profile'}", f"--screenshot={png}", html_file.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_digest_screenshot(home: Path, tmp_path: Path) -> None:
    from PIL import Image

    with Store(build_kb(home)) as store:
        d = build_digest(store, SINCE, UNTIL)
    d.address = "ana@example.com"
    html_file = tmp_path / "digest.html"
    html_file.write_text(render_html(d), encoding="utf-8")
    out = Path(os.environ.get("KB_DIGEST_SCREENSHOT") or tmp_path / "digest.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    screenshot(html_file, out)
    img = Image.open(out).convert("RGB")
    assert img.size == (640, 1800)
    small = img.resize((160, 450))
    colors = small.getcolors(maxcolors=1 << 16) or []
    assert len(colors) > 20, "the screenshot is blank"
    # The dark header band is there (the page rendered, styles applied)…
    assert img.getpixel((320, 40)) == (0x1D, 0x3C, 0x6E)
    # …and the 600px card fits the window: the right margin is page background, not content.
    assert img.getpixel((636, 300)) == (0xF2, 0xF3, 0xF5)
    # Some text (dark pixels) in the body below the header.
    body = img.crop((40, 200, 600, 1200)).convert("L")
    dark = sum(1 for v in body.getdata() if v < 100)
    assert dark > 2000

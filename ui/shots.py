"""Screenshots of every page of a running app in headless Chromium (Debian's chromium).

    kb ui --port 8599 &
    python -m ui.shots http://127.0.0.1:8599 /tmp/ui-shots --query "王小川 价格战" --person wang-xiaochuan

Each page is captured at its full height, so a reviewer sees what an analyst sees.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import urllib.parse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def driver(width: int = 1400) -> object:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="kb-shots-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", f"--window-size={width},1000", f"--user-data-dir={profile}"):  # fmt: skip
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def capture(
    d: object, url: str, out: Path, *, tab: str = "", settle_s: float = 6.0, max_h: int = 5000
) -> None:
    # Back to the base size first: a page's scrollHeight is at least the window's height, so a
    # window left tall by the previous page would make every later shot as tall, mostly blank.
    d.set_window_size(1400, 1000)  # type: ignore[attr-defined]
    d.get(url)  # type: ignore[attr-defined]
    time.sleep(settle_s)
    if tab:  # a tab of the page (e.g. the company page's "Compare"): click it and let it draw
        from selenium.webdriver.common.by import By

        d.find_element(By.XPATH, f"//*[@role='tab'][normalize-space()='{tab}']").click()  # type: ignore[attr-defined]
        time.sleep(settle_s / 2)
    h = d.execute_script(  # type: ignore[attr-defined]
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.body;"
        "return Math.max(m.scrollHeight, document.body.scrollHeight);"
    )
    d.set_window_size(1400, min(max(1000, int(h) + 120), max_h))  # type: ignore[attr-defined]
    time.sleep(1.5)
    d.save_screenshot(str(out))  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("out", type=Path)
    ap.add_argument("--query", default="王小川 价格战")
    ap.add_argument("--person", default="")
    ap.add_argument("--company", default="")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    base = a.url.rstrip("/")
    pages = {
        "search-home": "/",
        "search-query": "/?q=" + urllib.parse.quote(a.query),
        "people": "/people" + (f"?id={urllib.parse.quote(a.person)}" if a.person else ""),
        "companies": "/companies" + (f"?id={urllib.parse.quote(a.company)}" if a.company else ""),
        "companies-compare": "/companies" + (f"?id={urllib.parse.quote(a.company)}" if a.company else ""),
        "timelines": "/timelines",
        "digests": "/digests",
        "sources": "/sources",
        "corrections": "/corrections",
    }
    d = driver()
    try:
        for name, path in pages.items():
            capture(
                d, base + path, a.out / f"{name}.png", tab="Compare" if name == "companies-compare" else ""
            )
            print(a.out / f"{name}.png")
    finally:
        d.quit()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()

"""`kb ui` for real: the server answers /_stcore/health within 20 s, and headless Chromium (Debian's
chromium + chromedriver) searches, opens a person page and takes screenshots that are not blank."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("KB_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = Path(os.environ.get("KB_UI_SHOTS", "/tmp/ui-shots"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_health(port: int, proc: subprocess.Popen[bytes], limit_s: float) -> float:
    """Seconds until /_stcore/health answers "ok"; fails after `limit_s`."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if proc.poll() is not None:
            pytest.fail(
                f"kb ui exited with {proc.returncode}: {proc.stdout.read().decode() if proc.stdout else ''}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"/_stcore/health did not answer within {limit_s} s")


def start_ui(home: Path, port: int) -> subprocess.Popen[bytes]:
    kb = shutil.which("kb") or str(Path(sys.executable).with_name("kb"))
    env = {**os.environ, "KB_HOME": str(home)}
    return subprocess.Popen(
        [kb, "ui", "--port", str(port), "--home", str(home)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def fixture_home(home: Path) -> Path:
    spec = importlib.util.spec_from_file_location("ui_fixture_kb", ROOT / "tests/fixtures/ui/build_kb.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(home).close()
    return home


@pytest.fixture
def server(fixture_home: Path) -> Iterator[tuple[str, float]]:
    port = free_port()
    proc = start_ui(fixture_home, port)
    try:
        took = wait_health(port, proc, 20.0)
        yield f"http://127.0.0.1:{port}", took
    finally:
        stop(proc)


def test_kb_ui_answers_health_within_20_s(server: tuple[str, float]) -> None:
    url, took = server
    assert took < 20.0
    with urllib.request.urlopen(url + "/", timeout=5) as r:  # the app's page itself is served
        assert r.status == 200 and b'<div id="root"' in r.read()


def test_kb_ui_help_has_an_example() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kb", "ui", "--help"], capture_output=True, text=True, check=True
    )
    assert "Example" in out.stdout and "--port" in out.stdout


# -- the browser ---------------------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(
            f"Debian's chromium is absent ({CHROMIUM}, {CHROMEDRIVER}): apt-get install chromium chromium-driver"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):  # fmt: skip
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait_text(driver: object, text: str, timeout: float = 45.0) -> None:
    from selenium.webdriver.common.by import By

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            if text in driver.find_element(By.TAG_NAME, "body").text:  # type: ignore[attr-defined]
                return
        except Exception:  # noqa: BLE001 - the page is still being built
            pass
        time.sleep(0.3)
    body = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    pytest.fail(f"{text!r} did not appear within {timeout} s; page shows: {body[:800]!r}")


def not_blank(png: Path) -> float:
    """Standard deviation of the grey levels: a blank (all-white) page is ~0."""
    from PIL import Image, ImageStat

    img = Image.open(png).convert("L")
    return float(ImageStat.Stat(img).stddev[0])


def test_browser_searches_and_opens_a_person_page(server: tuple[str, float], browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    url, _ = server
    d = browser
    SHOTS.mkdir(parents=True, exist_ok=True)
    d.get(url + "/")  # type: ignore[attr-defined]
    wait_text(d, "Latest statements")
    box = WebDriverWait(d, 30).until(
        expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, "input[aria-label='Search']"))
    )
    box.send_keys("王小川 价格战", Keys.ENTER)
    wait_text(d, "纯API模式在国内很难走通")
    wait_text(d, "also in 1 source")
    time.sleep(1.0)
    shot = SHOTS / "smoke-search.png"
    d.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert not_blank(shot) > 10

    # Feed content is text: the hostile statement shows its markup literally and injects nothing.
    d.get(url + "/?q=" + urllib.request.quote("雷军"))  # type: ignore[attr-defined]  # a shareable search URL
    wait_text(d, "<script>alert(1)</script>")
    wait_text(d, "**加粗**")
    assert not d.find_elements(By.XPATH, "//b[text()='硬件']")  # type: ignore[attr-defined]
    assert not d.find_elements(By.XPATH, "//a[starts-with(@href, 'javascript')]")  # type: ignore[attr-defined]

    d.get(url + "/people?id=li-yanhong")  # type: ignore[attr-defined]
    wait_text(d, "Roles over time")
    wait_text(d, "闭源模型在能力上会持续领先开源模型")
    time.sleep(2.0)  # the chart draws after the data arrives
    shot = SHOTS / "smoke-person.png"
    d.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert not_blank(shot) > 10

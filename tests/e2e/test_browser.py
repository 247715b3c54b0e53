"""The status page in a real browser (Debian chromium, headless, driven by Playwright): at a
phone's 360×740 and a desktop's 1280×800 the Thai status is visible, nothing overflows sideways,
and screenshots are kept under tests/e2e/out/ for the CI artifacts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.i18n import translate
from tests.web.server import seeded_server

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).parent / "out"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = seeded_server(tmp_path_factory.mktemp("browser"), 5)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("chromium missing: install the Debian package chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_status_page_fits_and_shows_the_status(server, browser, width, height, lang):
    known = server.seeded["known"]
    page = browser.new_page(viewport={"width": width, "height": height})
    blocked = []
    page.on("request", lambda r: blocked.append(r.url) if not r.url.startswith(server.url) else None)
    response = page.goto(f"{server.url}/t/{known.token}?lang={lang}")
    assert response.status == 200
    status = page.locator("#status")
    assert status.is_visible() and status.inner_text() == translate("status.received", lang)
    assert page.locator(".ticket").inner_text() == known.ticket_no
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Sarabun")
    assert blocked == []  # no third-party request
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"status-{lang}-{width}x{height}.png"), full_page=True)
    page.close()


def test_not_found_page_fits_on_a_phone(server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    assert page.goto(f"{server.url}/t/no-such-token-here").status == 404
    assert page.locator("h1").inner_text() == translate("web.not_found_title", "th")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(OUT / "not-found-360x740.png"), full_page=True)
    page.close()

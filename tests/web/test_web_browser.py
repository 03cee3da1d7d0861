"""Browser tests: Debian's chromium driven by Playwright against a live server on 127.0.0.1.

A journalist pastes a text, reads the highlights, filters them, opens an event and the
comparison dashboard; the same with JavaScript switched off. Screenshots go to
``$SPINSCOPE_SCREENSHOTS`` (default: a pytest temporary folder) for a human to look at.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium "
                "(apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (dev extra)")
uvicorn = pytest.importorskip("uvicorn", reason="needs the [web] extra")

from web_fakes import make_sample_store  # noqa: E402

from spinscope.analyze.testing import KeywordAnalyser  # noqa: E402
from spinscope.samples import samples_dir  # noqa: E402
from spinscope.settings import Settings  # noqa: E402
from spinscope.web import WebSettings, create_app  # noqa: E402
from spinscope.web.pages import EXAMPLE  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser") / "corpus.sqlite"
    store = make_sample_store(path)
    settings = Settings(store=str(path), outlets=str(samples_dir() / "outlets.json"))
    app = create_app(settings, analyser=KeywordAnalyser(), store=store,
                     web=WebSettings(rate_limit=0))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("SPINSCOPE_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class Watched:
    """A page plus every CSP violation, console error and uncaught exception it produced."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **context)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(m.text)
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.close()
    assert w.problems == [], w.problems  # no CSP violation, no script error


def test_paste_text_read_highlights_and_filter(watched: Watched, base_url: str,
                                               shots: Path) -> None:
    page = watched.page
    page.goto(base_url + "/")
    page.screenshot(path=str(shots / "01-home.png"), full_page=True)
    page.fill("#text", EXAMPLE)
    page.click("button[type=submit]")
    page.wait_for_url("**/analysis/**")
    marks = page.locator("mark.hl")
    assert marks.count() >= 3
    assert page.locator("table.findings tbody tr").count() >= 3
    first = marks.first
    first.hover()
    tip = page.locator("#spinscope-tip")
    tip.wait_for(state="visible")
    assert "confident" in tip.inner_text() and len(tip.inner_text()) > 40
    page.screenshot(path=str(shots / "02-result-tooltip.png"), full_page=False)
    page.screenshot(path=str(shots / "03-result-full.png"), full_page=True)
    # Filter to one group: the other highlights switch off at once, no reload.
    page.locator("form[data-filters] input[name=group]").first.check()
    off = page.locator("mark.hl.off").count()
    shown_rows = page.locator("table.findings tbody tr:not(.off)").count()
    assert shown_rows >= 1 and (off > 0 or shown_rows == marks.count())
    assert "group=" in page.url
    page.screenshot(path=str(shots / "04-result-filtered.png"), full_page=True)


def test_reading_without_javascript(browser: Any, base_url: str, shots: Path) -> None:
    w = Watched(browser, java_script_enabled=False)
    try:
        page = w.page
        page.goto(base_url + "/?example=1")
        assert "so-called reformers" in page.input_value("#text")
        page.click("button[type=submit]")
        page.wait_for_url("**/analysis/**")
        assert page.locator("mark.hl").count() >= 3
        assert page.locator("mark.hl").first.get_attribute("title")  # native tooltip
        page.locator("form[data-filters] input[name=technique]").first.check()
        page.click("form[data-filters] button[type=submit]")
        page.wait_for_url("**technique=**")
        assert page.locator("table.findings tbody tr.off").count() >= 1
        page.screenshot(path=str(shots / "05-nojs-filtered.png"), full_page=True)
    finally:
        w.close()


def test_event_side_by_side_and_dashboard(watched: Watched, base_url: str, shots: Path) -> None:
    page = watched.page
    page.goto(base_url + "/events")
    page.screenshot(path=str(shots / "06-events.png"), full_page=True)
    page.click("text=velsha dam")
    page.wait_for_url("**/events/velsha-dam")
    columns = page.locator(".outlet-col")
    assert columns.count() >= 4
    assert page.locator("table.heat tbody tr").count() >= 1
    page.screenshot(path=str(shots / "07-event-side-by-side.png"), full_page=True)
    page.goto(base_url + "/compare?by=bloc")
    imgs = page.locator("img.chart")
    assert imgs.count() == 2
    for i in range(2):  # the SVG charts really load and render
        assert imgs.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(shots / "08-compare-bloc.png"), full_page=True)


def test_documents_and_phone_layout(browser: Any, base_url: str, shots: Path) -> None:
    w = Watched(browser)
    phone = Watched(browser, is_mobile=True, has_touch=True)
    try:
        page = w.page
        page.goto(base_url + "/documents?q=dam")
        assert page.locator(".doc-list li").count() >= 1
        page.screenshot(path=str(shots / "09-documents-search.png"), full_page=True)
        page.locator(".doc-list a.title").first.click()
        page.wait_for_url("**/documents/**")
        page.screenshot(path=str(shots / "10-document.png"), full_page=True)
        p = phone.page
        p.set_viewport_size({"width": 390, "height": 844})
        p.goto(base_url + "/?example=1")
        p.click("button[type=submit]")
        p.wait_for_url("**/analysis/**")
        # nothing wider than the screen (no sideways scrolling on a phone)
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        p.screenshot(path=str(shots / "11-phone-result.png"), full_page=True)
        assert w.problems == [] and phone.problems == []
    finally:
        w.close()
        phone.close()

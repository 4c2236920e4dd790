"""Shared pytest fixtures.

Browser fixtures (they need the built site: `python -m site_builder build` runs before pytest
in scripts/test):

* `site_dir` (session) — Path of a snapshot of the built site `site/`, copied at session start;
  fails clearly if it was not built.
* `site_url` (session) — base URL, ending in "/", of the built site served by the project's own
  server (`site_builder.server`, with its CSP and headers) on a free localhost port.
* `browser` (session) — Playwright Chromium: Debian's /usr/bin/chromium, headless, no network
  chatter. Never `playwright install`.
* `offsite_requests` — list of URLs the page tried to fetch from any other host (each was
  aborted). Assert it is empty.
* `console_errors` — list of console errors, page errors and CSP violations seen by `page`.
* `page` — a fresh page in a fresh context (phone-agnostic 1280×800) whose every non-local
  request is aborted and recorded in `offsite_requests`. Use `page.goto(site_url + "education/")`.
* `new_page(**context_options)` — factory for more pages (e.g. `viewport={"width": 390, ...}`)
  with the same recording; closed at the end of the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    site = ROOT / "site"
    if not (site / "index.html").is_file():
        pytest.fail("site/ is not built: run `.venv/bin/python -m site_builder build` first")
    # A snapshot taken once per session: a rebuild of site/ while the suite runs (several
    # people share one checkout) must not pull files from under the tests.
    snapshot = tmp_path_factory.mktemp("built") / "site"
    shutil.copytree(site, snapshot)
    return snapshot


@pytest.fixture(scope="session")
def site_url(site_dir):
    from site_builder.server import serve_in_background

    server = serve_in_background(site_dir)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup --browser")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def offsite_requests() -> list[str]:
    return []


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def new_page(browser, offsite_requests, console_errors):
    contexts = []

    def make(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)

        def guard(route):
            host = urlsplit(route.request.url).hostname
            if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                offsite_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda error: console_errors.append(f"pageerror: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1280, "height": 800})

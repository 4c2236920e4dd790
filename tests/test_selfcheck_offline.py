""""离线使用" (web/offline.js): the campus poster page offers to store the whole 自测 for use with
no network, shows the size first, says when it is stored; and nothing of Python loads before
it is asked for. In Chromium against the built site (own contexts without request routing,
which would bypass the service worker)."""

from __future__ import annotations

import json
import re

from tests.test_selfcheck_browser import (PROFILES, READY_MS, assert_shows, cpython_result, fill_form, open_selfcheck,
                                         submit_and_wait)


def test_poster_page_stores_the_selfcheck_for_offline_use(browser, site_url, site_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        page.goto(site_url + "guide/campus/")
        box = page.locator("[data-hc-offline]")
        button = box.locator("button")
        # The size first, as the build measured it.
        expected = json.loads((site_dir / "assets" / "hc" / "offline.json").read_text(encoding="utf-8"))["bytes"]
        page.locator("[data-hc-offline][data-bytes]").wait_for(state="attached")
        assert button.is_visible()
        assert button.inner_text() == f"离线使用（约 {expected / 1e6:.1f} MB）"
        assert re.search(r"没有网络", box.inner_text())
        page.wait_for_load_state("networkidle")
        assert not [u for u in requests if "pyodide" in u or ".whl" in u or "sw.js" in u], "loaded before asked"

        button.click()
        page.locator("[data-hc-offline][data-state=stored]").wait_for(state="attached", timeout=READY_MS)
        assert "已保存" in box.inner_text() and button.is_disabled()
        assert any(u.endswith(".wasm") for u in requests)  # the runtime is part of it

        context.set_offline(True)
        profile = PROFILES["education_d_graduate"]["profile"]
        open_selfcheck(page, site_url, "?path=graduate")
        fill_form(page, profile)
        submit_and_wait(page)
        assert_shows(page, site_url, cpython_result(profile))
        # The 自测 page's own box knows it is stored already.
        page.locator("#hc-selfcheck [data-hc-offline][data-state=stored]").wait_for(state="attached")
    finally:
        context.close()


def test_no_offline_box_without_service_workers(new_page, site_url):
    page = new_page()
    page.add_init_script("delete Navigator.prototype.serviceWorker;")
    page.goto(site_url + "guide/campus/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-hc-offline]").is_hidden()


def _ready_timings(page, site_url) -> dict:
    page.goto("about:blank")
    open_selfcheck(page, site_url)
    page.locator("#hc-selfcheck[data-state=ready]").wait_for(state="attached", timeout=READY_MS)
    return json.loads(page.locator("#hc-selfcheck").get_attribute("data-boot-timings"))


SNAPSHOT_ENTRY = """async () => {
  const cache = await caches.open("hc-snapshot");
  const [request] = await cache.keys();
  return request ? {url: request.url, key: (await cache.match(request)).headers.get("x-hc-key")} : null;
}"""


def test_return_visit_restores_the_memory_snapshot_or_boots_again(browser, site_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        assert "snapshot" not in _ready_timings(page, site_url)  # first visit: a normal boot
        page.locator("#hc-selfcheck[data-offline=ready]").wait_for(state="attached", timeout=READY_MS)
        for _ in range(120):  # stored a moment after ready
            entry = page.evaluate(SNAPSHOT_ENTRY)
            if entry:
                break
            page.wait_for_timeout(500)
        assert entry and site_url + "assets/checker/" in entry["key"]  # tied to this build's files

        timings = _ready_timings(page, site_url)
        assert "snapshot" in timings and "restoreError" not in timings, timings
        profile = PROFILES["health_b_two_achievements"]["profile"]
        fill_form(page, profile)
        submit_and_wait(page)
        assert_shows(page, site_url, cpython_result(profile))

        # A damaged snapshot: restoring fails, the worker boots normally and drops it.
        page.evaluate("""async ({url, key}) => {
            const cache = await caches.open("hc-snapshot");
            const junk = new Uint8Array(1000).fill(7);
            await cache.put(url, new Response(junk, {headers: {"x-hc-key": key}}));
        }""", entry)
        timings = _ready_timings(page, site_url)
        assert "restoreError" in timings, timings
        profile = PROFILES["health_a_aged_56"]["profile"]
        fill_form(page, profile)
        submit_and_wait(page)
        assert_shows(page, site_url, cpython_result(profile))
    finally:
        context.close()

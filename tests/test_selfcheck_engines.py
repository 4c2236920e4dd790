"""The 自测 page in all three engines: iPhones (and WeChat on iPhone) run WebKit, some people run
Firefox. Each engine answers the five browser profiles (tests/pyodide/selfcheck_profiles.json)
on the built site, and the result reads exactly as in Chromium, whose results
tests/test_selfcheck_browser.py compares with CPython's. Texts are compared with whitespace
removed: the engines break SVG text into lines differently.

One browser per engine for the session, one page, the answers given through the page's share
fragment (which fills in and submits the form). Then a return visit, which restores the
memory snapshot the first visit stored (or boots again) and must answer the same.

  * WebKit: Debian's WebKitWebDriver driving MiniBrowser under Xvfb, from selenium.
  * Firefox ESR: Debian's firefox-esr over WebDriver BiDi, from npm puppeteer-core
    (tests/pyodide/engine_firefox.mjs).
`scripts/setup --browser` installs both."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = json.loads((ROOT / "tests" / "pyodide" / "selfcheck_profiles.json").read_text(encoding="utf-8"))
PROFILE_NAMES = sorted(PROFILES.keys() - {"_comment"})
FIREFOX_DRIVER = ROOT / "tests" / "pyodide" / "engine_firefox.mjs"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
ENGINE_SECONDS = 300  # a browser start, a cold boot and six results, on two shared cores

# The same page function in every engine: answer through the share fragment, wait for the
# result, return its text. (Fills the form exactly as a shared link does.)
PROBE = """async (fragment) => {
  const result = document.querySelector(".hc-result");
  result.dataset.state = "stale";
  location.hash = fragment;
  const started = Date.now();
  while (result.dataset.state !== "done") {
    const root = document.getElementById("hc-selfcheck");
    if (root.dataset.state === "error" || Date.now() - started > 180000) {
      throw new Error("no result; page state " + root.dataset.state + ": " + root.innerText.slice(0, 300));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return result.innerText;
}"""


def fragment(profile: dict) -> str:
    """The share fragment of a profile, encoded as web/selfcheck.js encodes it."""
    data = json.dumps(profile, ensure_ascii=False, separators=(",", ":")).encode()
    return "a=" + base64.urlsafe_b64encode(data).decode().rstrip("=")


FRAGMENTS = [fragment(PROFILES[name]["profile"]) for name in PROFILE_NAMES]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def chromium_texts(browser, site_url) -> list[str]:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(site_url + "selfcheck/")
        page.locator("#hc-selfcheck[data-form=usable]").wait_for(state="attached")
        return [page.evaluate(f"({PROBE})({json.dumps(f)})") for f in FRAGMENTS]
    finally:
        page.close()


def run_firefox(url: str) -> dict:
    node = shutil.which("node")
    if not Path("/usr/bin/firefox-esr").exists() or not (ROOT / "node_modules" / "puppeteer-core").is_dir():
        pytest.fail("firefox-esr or puppeteer-core is missing: run scripts/setup --browser")
    done = subprocess.run(
        [node, str(FIREFOX_DRIVER)], cwd=ROOT, text=True, capture_output=True, timeout=ENGINE_SECONDS,
        input=json.dumps({"url": url, "probe": PROBE, "fragments": FRAGMENTS}),
    )
    try:
        out = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        pytest.fail(f"Firefox driver failed: {done.stderr[-2000:]}")
    if "error" in out:
        pytest.fail(f"Firefox: {out['error'][:2000]}")
    return out


def run_webkit(url: str, tmp_path: Path) -> dict:
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.service import Service

    if not (Path(WEBKIT_DRIVER).exists() and Path(MINIBROWSER).exists() and shutil.which("Xvfb")):
        pytest.fail("WebKitWebDriver, MiniBrowser or Xvfb is missing: run scripts/setup --browser")
    # MiniBrowser hangs with --headless here: it gets a virtual display of its own instead.
    read_display, write_display = os.pipe()
    command = ["Xvfb", "-displayfd", str(write_display), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"]
    xvfb = subprocess.Popen(command, pass_fds=(write_display,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_display)
    driver = None
    try:
        with os.fdopen(read_display) as pipe:
            display = pipe.readline().strip()
        options = webdriver.WebKitGTKOptions()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": f":{display}"},
                          log_output=str(tmp_path / "webkitwebdriver.log"))
        driver = webdriver.WebKitGTK(options=options, service=service)
        driver.set_script_timeout(ENGINE_SECONDS)
        driver.set_page_load_timeout(120)

        def wait_usable():
            driver.execute_async_script("""const done = arguments[arguments.length - 1];
                const usable = () => document.querySelector("#hc-selfcheck[data-form=usable]");
                const poll = () => usable() ? done(true) : setTimeout(poll, 100);
                poll();""")

        def run(frag: str) -> str:
            reply = driver.execute_async_script(
                f"const done = arguments[arguments.length - 1]; ({PROBE})(arguments[0]).then("
                "(text) => done({text}), (error) => done({error: String(error)}));", frag)
            if "error" in reply:
                pytest.fail(f"WebKit: {reply['error']}")
            return reply["text"]

        driver.get(url)
        wait_usable()
        texts = [run(f) for f in FRAGMENTS]
        driver.get(url)  # the return visit
        wait_usable()
        text = run(FRAGMENTS[0])
        timings = driver.execute_script("return document.getElementById('hc-selfcheck').dataset.bootTimings")
        return {"texts": texts, "reload": {"text": text, "timings": json.loads(timings or "{}")}}
    finally:
        if driver is not None:
            driver.quit()
        xvfb.terminate()
        xvfb.wait(timeout=10)


@pytest.mark.parametrize("engine", ["webkit", "firefox"])
def test_engine_results_read_as_in_chromium(engine, site_url, chromium_texts, tmp_path):
    url = site_url + "selfcheck/"
    out = run_webkit(url, tmp_path) if engine == "webkit" else run_firefox(url)
    for name, expected, shown in zip(PROFILE_NAMES, chromium_texts, out["texts"], strict=True):
        assert squeeze(shown) == squeeze(expected), f"{engine}: {name} reads differently from Chromium"
    assert squeeze(out["reload"]["text"]) == squeeze(chromium_texts[0]), f"{engine}: the return visit differs"
    # Where the return visit's time went (with "snapshot" when it restored the stored one).
    print(f"{engine} return visit boot timings: {out['reload']['timings']}")

"""Benchmark the 自测 page in ONE browser session (Debian Chromium, headless) against the built
site served by the project's own server, and print the figures.

  (a) bare loadPyodide() in a module worker          (b) navigation -> checker ready
  (c) navigation -> form usable                      (d) submit -> result painted
each cold (browser cache, service worker and its caches cleared) and warm (visited before: the
caches, the service worker and the memory snapshot the first visit stored), the ratio (b)/(a),
and the bytes the server sent for a cold visit of the 自测 page and of a text page.
Targets (the issue): (c) < 1 s, (b)/(a) <= 1.15, (d) < 100 ms, 自测 cold transfer within 10% of
the compressed Pyodide files it needs; text pages load no Pyodide at all.

Then a weak-network run (campus Wi-Fi: 1.6 Mbps down, 150 ms round trip, Chromium's network
emulation, which throttles the worker's downloads too): bytes until ready (Playwright's
requestfinished sizes, which count the worker's requests), seconds to form usable, to ready,
and to the result when the person submits at 10 s; cold, then a return visit.
Targets (issue 10): cold transfer <= 3.6 MB, ready <= 20 s, warm ready <= 1 s.

Usage: .venv/bin/python -m site_builder build && .venv/bin/python bench/selfcheck_bench.py [--runs N] [--weak-only]
"""

from __future__ import annotations

import argparse
import base64
import functools
import json
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.assets import PYODIDE_FILES  # noqa: E402
from site_builder.server import PRECOMPRESSED, SiteRequestHandler, SiteServer, accepted_encodings  # noqa: E402

SITE = ROOT / "site"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
# The worker passes the lock's info itself: the page never fetches pyodide-lock.json.
PYODIDE_NEEDED = tuple(name for name in PYODIDE_FILES if name != "pyodide-lock.json")
PROFILE = json.loads((ROOT / "tests" / "pyodide" / "selfcheck_profiles.json").read_text(encoding="utf-8"))[
    "health_b_two_achievements"]["profile"]


BOOT_TIMINGS: list[dict] = []  # the worker's own stage timings, per 自测 visit


class CountingHandler(SiteRequestHandler):
    """The project's handler, counting the bytes it writes (headers and bodies) per request."""

    lock = threading.Lock()
    requests: list[list] = []  # [path, bytes], in the order the requests arrived
    wasm_accept = ""  # the Accept-Encoding the browser sent for the .wasm
    quiet = True

    def setup(self):
        super().setup()
        write = self.wfile.write
        self.current = None

        def counting_write(data):
            if self.current is not None:
                self.current[1] += len(data)
            return write(data)

        self.wfile.write = counting_write

    def parse_request(self):
        ok = super().parse_request()
        if ok:
            self.current = [self.path, 0]
            with CountingHandler.lock:
                CountingHandler.requests.append(self.current)
                if self.path.endswith(".wasm"):
                    CountingHandler.wasm_accept = self.headers.get("Accept-Encoding", "")
        return ok

    @classmethod
    def reset(cls):
        with cls.lock:
            cls.requests = []

    @classmethod
    def sent(cls, until: str | None = None) -> int:
        """Bytes sent, optionally only for requests that arrived before the first `until` path."""
        total = 0
        for path, count in list(cls.requests):
            if until and path == until:
                break
            total += count
        return total


def set_site(path: Path) -> None:
    global SITE
    SITE = path


def serve():
    handler = functools.partial(CountingHandler, directory=str(SITE))
    server = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def runtime_paths() -> dict:
    html = (SITE / "selfcheck" / "index.html").read_text(encoding="utf-8")
    import re

    found = {key: re.search(rf'data-{key}="([^"]+)"', html) for key in ("pyodide", "stdlib", "wheel")}
    return {key: match and match.group(1) for key, match in found.items()}  # no stdlib: an older build


def compressed_pyodide_bytes(accept: str) -> int:
    """What the server sends for the Pyodide files the page needs, given the browser's codings."""
    total = 0
    accepted = accepted_encodings(accept)
    paths = runtime_paths()
    stdlib = SITE / (paths["stdlib"] or paths["pyodide"] + "python_stdlib.zip")
    for path in [SITE / paths["pyodide"] / name for name in PYODIDE_NEEDED] + [stdlib]:
        name = path.name
        for coding, suffix in PRECOMPRESSED:
            if coding in accepted and path.with_name(name + suffix).is_file():
                path = path.with_name(name + suffix)
                break
        total += path.stat().st_size
    return total


def clear_everything(cdp, origin):
    cdp.send("Network.clearBrowserCache")
    cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})


def bare_load_ms(page, base, paths):
    """(a): a module worker that only runs loadPyodide() (with the site's standard library),
    started from a text page."""
    page.goto(base + "education/")
    return page.evaluate(
        """([workerURL, pyodideURL, stdlibURL]) => new Promise((resolve, reject) => {
            const started = performance.now();
            const worker = new Worker(workerURL, { type: "module" });
            worker.onmessage = ({ data }) => {
              if (data.type === "ready") { resolve(performance.now() - started); worker.terminate(); }
              if (data.type === "error") reject(new Error(data.message));
            };
            worker.postMessage({ type: "bare", pyodideURL, stdlibURL: stdlibURL || undefined });
        })""",
        [base + "assets/hc/selfcheck-worker.js", base + paths["pyodide"], paths["stdlib"] and base + paths["stdlib"]],
    )


def wasm_compile_ms(page, base, paths) -> float:
    """WebAssembly.compileStreaming of the runtime's wasm from the page (the best of two): from
    the HTTP cache before the service worker is installed, from its Cache Storage after. A low
    figure means Chromium reused its compiled-code cache for that response."""
    url = base + paths["pyodide"] + "pyodide.asm.wasm"
    times = []
    for _ in range(2):
        times.append(page.evaluate(
            "async (url) => { const t = performance.now(); await WebAssembly.compileStreaming(fetch(url));"
            " return performance.now() - t; }", url))
    return min(times)


def share_fragment() -> str:
    return base64.urlsafe_b64encode(json.dumps(PROFILE, ensure_ascii=False).encode()).decode().rstrip("=")


# Campus Wi-Fi as measured for issue 10: 1.6 Mbps down, 150 ms round trip.
WEAK_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.8e6 / 8}
SUBMIT_AT_MS = 10_000


def weak_network_visit(page, cdp, base, sizes: list) -> dict:
    """One visit of the 自测 page under WEAK_NETWORK: the person fills in the form (the share
    fragment, set at 10 s, fills and submits it); bytes counted until ready."""
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", WEAK_NETWORK)
    sizes.clear()
    page.goto(base + "selfcheck/", wait_until="commit")
    root = page.locator("#hc-selfcheck")
    page.locator("#hc-selfcheck[data-form=usable]").wait_for(state="attached", timeout=120_000)
    usable = float(root.get_attribute("data-usable-ms"))
    ready_at = page.locator("#hc-selfcheck[data-ready-ms]")
    now = page.evaluate("performance.now()")
    if now < SUBMIT_AT_MS:
        page.wait_for_timeout(SUBMIT_AT_MS - now)
    page.evaluate("(fragment) => (location.hash = fragment)", "a=" + share_fragment())
    ready_at.wait_for(state="attached", timeout=300_000)
    sent = sum(sizes)  # before the service worker's offline copy, which starts after ready
    page.locator(".hc-result[data-state=done]").wait_for(state="attached", timeout=300_000)
    result = page.evaluate("performance.now()")
    ready = float(root.get_attribute("data-ready-ms"))
    timings = json.loads(root.get_attribute("data-boot-timings"))
    page.locator("#hc-selfcheck[data-offline]:not([data-offline=pending])").wait_for(state="attached", timeout=300_000)
    cdp.send("Network.emulateNetworkConditions", {**WEAK_NETWORK, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    return {"bytes": sent, "usable": usable, "ready": ready, "result": result, "timings": timings}


def wait_for_snapshot(page) -> None:
    """A return visit comes once the worker has stored its memory snapshot (a moment after ready),
    as it has when a person comes back later."""
    for _ in range(240):
        if page.evaluate("async () => (await (await caches.open('hc-snapshot')).keys()).length"):
            return
        page.wait_for_timeout(500)
    raise RuntimeError("no memory snapshot stored within 120 s: the warm figures would not be a return visit")


def weak_network_run(browser, base) -> list[str]:
    """Cold visit, then a return visit, in one fresh context; printed lines."""
    context = browser.new_context()
    sizes: list[int] = []

    def finished(request):
        if request.url.endswith("/sw.js") or getattr(request, "service_worker", None):
            return  # the offline copy, made after ready
        try:
            got = request.sizes()
            sizes.append(got["responseBodySize"] + got["responseHeadersSize"])
        except Exception:  # a request whose sizes are gone (page navigated)
            pass

    context.on("requestfinished", finished)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cold = weak_network_visit(page, cdp, base, sizes)
    wait_for_snapshot(page)
    page.goto("about:blank")
    warm = weak_network_visit(page, cdp, base, sizes)
    context.close()
    lines = ["weak network (1.6 Mbps down, 150 ms RTT), 自测 page; submit at 10 s:",
             f"{'':34}{'cold':>10}{'warm':>10}"]
    for key, label, unit, target in (
        ("bytes", "bytes until ready", 1e6, "MB  target cold <= 3.6 MB"),
        ("usable", "s to form usable", 1e3, "s"),
        ("ready", "s to ready", 1e3, "s   target cold <= 20 s, warm <= 1 s"),
        ("result", "s to result (submitted at 10 s)", 1e3, "s"),
    ):
        lines.append(f"{label:34}{cold[key] / unit:>10.2f}{warm[key] / unit:>10.2f}  {target}")
    lines.append(f"worker stage timings: cold {cold['timings']}; warm {warm['timings']}")
    return lines


def selfcheck_visit(page, base):
    """(b), (c), (d) for one navigation to the 自测 page, opened by a share link (fragment) so
    the whole profile is filled in; (d) is a second submission once the first was answered."""
    page.goto(base + "selfcheck/#a=" + share_fragment())
    root = page.locator("#hc-selfcheck")
    page.locator(".hc-result[data-paint-ms]").wait_for(state="attached", timeout=120_000)
    ready, usable = float(root.get_attribute("data-ready-ms")), float(root.get_attribute("data-usable-ms"))
    BOOT_TIMINGS.append(json.loads(root.get_attribute("data-boot-timings")))
    page.click(".hc-submit")
    page.locator(".hc-result[data-paint-ms]").wait_for(state="attached", timeout=30_000)
    painted = float(page.locator(".hc-result").get_attribute("data-paint-ms"))
    return ready, usable, painted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (median shown)")
    parser.add_argument("--no-weak", dest="weak", action="store_false", help="skip the weak-network run")
    parser.add_argument("--weak-only", action="store_true", help="only the weak-network run")
    parser.add_argument("--site", type=Path, default=SITE, help="built site (default: site/)")
    args = parser.parse_args()
    set_site(args.site.resolve())
    if not (SITE / "selfcheck" / "index.html").is_file():
        print("site/ is not built: run `.venv/bin/python -m site_builder build`", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    server = serve()
    base = f"http://127.0.0.1:{server.server_port}/"
    origin = base.rstrip("/")
    paths = runtime_paths()
    figures: dict[str, list[float]] = {}

    def record(key, value):
        figures.setdefault(key, []).append(value)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)

        for _ in range(0 if args.weak_only else args.runs):
            # Cold: nothing cached, no service worker.
            clear_everything(cdp, origin)
            page.goto("about:blank")
            record("a_cold", bare_load_ms(page, base, paths))
            record("wasm_http_cache", wasm_compile_ms(page, base, paths))  # no service worker yet
            clear_everything(cdp, origin)
            page.goto("about:blank")
            CountingHandler.reset()
            b, c, d = selfcheck_visit(page, base)
            record("b_cold", b), record("c_cold", c), record("d_cold", d)
            page.locator("#hc-selfcheck[data-offline=ready]").wait_for(state="attached", timeout=120_000)
            wait_for_snapshot(page)
            # The service worker is registered once the checker is ready: what came before is
            # the visit itself; what follows, the offline copy of the site.
            record("bytes_selfcheck_until_ready", CountingHandler.sent(until="/sw.js"))
            record("bytes_selfcheck_with_offline_copy", CountingHandler.sent())
            # Warm: the same visits again (HTTP cache, compiled wasm, service worker, memory snapshot).
            record("a_warm", bare_load_ms(page, base, paths))
            b, c, d = selfcheck_visit(page, base)
            record("b_warm", b), record("c_warm", c), record("d_warm", d)
            record("wasm_service_worker", wasm_compile_ms(page, base, paths))
            # A text page, cold.
            clear_everything(cdp, origin)
            page.goto("about:blank")
            CountingHandler.reset()
            page.goto(base + "health/")
            page.wait_for_load_state("networkidle")
            record("bytes_text_page", CountingHandler.sent())
            runtime_requests = sum("pyodide" in p or ".whl" in p for p, _ in CountingHandler.requests)
            record("text_page_pyodide_requests", runtime_requests)
        weak = weak_network_run(browser, base) if args.weak else []
        browser.close()
    server.shutdown()
    if args.weak_only:
        print("\n".join(weak))
        return 0

    med = {key: statistics.median(values) for key, values in figures.items()}
    accept = CountingHandler.wasm_accept
    pyodide_bytes = compressed_pyodide_bytes(accept)
    print(f"自测 benchmark — {args.runs} run(s), median; Chromium's Accept-Encoding for the wasm: {accept!r}")
    print(f"{'':34}{'cold':>10}{'warm':>10}")
    for key, label, target in (
        ("a", "(a) bare loadPyodide() in worker", ""),
        ("b", "(b) navigation -> checker ready", ""),
        ("c", "(c) navigation -> form usable", "target < 1000 ms"),
        ("d", "(d) submit -> result painted", "target < 100 ms"),
    ):
        print(f"{label:34}{med[key + '_cold']:>8.0f}ms{med[key + '_warm']:>8.0f}ms  {target}")
    for temp in ("cold", "warm"):
        print(f"ratio (b)/(a) {temp}: {med['b_' + temp] / med['a_' + temp]:.2f}  (target <= 1.15)")
    sent = med["bytes_selfcheck_until_ready"]
    print(f"bytes, cold 自测 visit until ready:     {sent:>12,.0f}  "
          f"({sent / pyodide_bytes - 1:+.1%} vs {pyodide_bytes:,} compressed Pyodide files; target within +10%)")
    print(f"bytes, same visit incl. offline copy:   {med['bytes_selfcheck_with_offline_copy']:>12,.0f}  "
          "(the service worker's precache of the whole site)")
    print(f"bytes, cold text page (health/):        {med['bytes_text_page']:>12,.0f}  "
          f"(Pyodide/wheel requests: {med['text_page_pyodide_requests']:.0f})")
    print(f"compileStreaming of the wasm (compiled-code cache): from the HTTP cache {med['wasm_http_cache']:.0f} ms, "
          f"from the service worker's Cache Storage {med['wasm_service_worker']:.0f} ms")
    print("worker stage timings (ms since worker start; cold, warm per run):")
    for timings in BOOT_TIMINGS:
        print("   ", "  ".join(f"{k} {v}" for k, v in timings.items()))
    for line in weak:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

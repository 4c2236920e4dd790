// Starts the 自测's checker worker as early as the page allows.
//
// The 自测 page's HTML preloads the runtime files (site_builder/assets.py preload_links) so they
// download while the page renders, and loads this module with <script type=module async> right
// after them: it runs as soon as it has arrived, while the rest of the page is still parsed and
// before the page script (selfcheck.js, deferred behind the theme's scripts and its own imports)
// runs. It starts the worker then (about 0.3 s earlier on a return visit) and keeps the worker's
// messages until the page script takes it over with startWorker(). Loaded on other pages (as an
// import of selfcheck.js), it finds no 自测 and does nothing until asked.
//
// Chromium hands a download in flight to a later request for the same URL (its HTTP cache
// lock); WebKit was seen to download the file a second time when the worker asked for it before
// the preload had finished. Elsewhere than in Chromium, the worker therefore waits for the
// preloads still in flight (the "preloaded" messages below) and then gets each file from the HTTP
// cache; its byte progress then moves file by file.

// Its own copies of page.js's two constants: this module runs first and alone, and an import
// would cost a round trip before the worker starts.
const ROOT_ID = "hc-selfcheck";
const SITE_ROOT = new URL("../../", import.meta.url); // this file is <site root>/assets/hc/preload.js

let early = null; // {worker, events, keep} started by this module's own run, not yet taken over

// URLs of the runtime preloads still downloading, posting {type: "preloaded", url} to the
// worker as each finishes. Empty in Chromium (navigator.userAgentData is Chromium's).
function pendingPreloads(worker) {
  if ("userAgentData" in navigator) return [];
  const pending = [];
  for (const link of document.querySelectorAll("link[rel=preload][data-hc-runtime]")) {
    const url = link.href;
    if (performance.getEntriesByName(url).length) continue; // finished: in the HTTP cache
    pending.push(url);
    const done = () => worker.postMessage({ type: "preloaded", url });
    link.addEventListener("load", done, { once: true });
    link.addEventListener("error", done, { once: true });
  }
  return pending;
}

// A new worker, told where the runtime is (the data-* attributes of the 自测's root element);
// throws where module workers cannot be made.
function newWorker(root) {
  const worker = new Worker(new URL("selfcheck-worker.js", import.meta.url), { type: "module" });
  const abs = (path) => new URL(path, SITE_ROOT).href;
  const download = JSON.parse(root.dataset.download);
  worker.postMessage({
    type: "init",
    pyodideURL: abs(root.dataset.pyodide),
    stdlibURL: abs(root.dataset.stdlib),
    wheelURL: abs(root.dataset.wheel),
    download: Object.fromEntries(Object.entries(download).map(([path, sizes]) => [abs(path), sizes])),
    lockInfo: JSON.parse(root.dataset.lockInfo),
    preloading: pendingPreloads(worker),
  });
  return worker;
}

// The worker for the 自测's root element, with `handlers` ({message, error}) listening: the one
// started early (its events so far are replayed to them at once), else a new one. Throws where
// module workers cannot be made.
export function startWorker(root, handlers) {
  const taken = early;
  early = null;
  const worker = taken ? taken.worker : newWorker(root);
  for (const [type, handler] of Object.entries(handlers)) worker.addEventListener(type, handler);
  if (taken) {
    for (const type of ["message", "error"]) worker.removeEventListener(type, taken.keep);
    for (const event of taken.events) handlers[event.type]?.(event);
  }
  return worker;
}

function startEarly() {
  const root = document.getElementById(ROOT_ID);
  if (!root || !root.dataset.download || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  try {
    const events = [];
    const keep = (event) => {
      if (event.type === "error") event.preventDefault(); // reported by the page script instead
      events.push(event);
    };
    const worker = newWorker(root);
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keep);
    early = { worker, events, keep };
  } catch {
    early = null; // the page script tries again and reports the failure
  }
}

startEarly();

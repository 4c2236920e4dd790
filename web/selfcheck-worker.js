// Module worker: loads Pyodide (self-hosted) and the checker wheel, then answers JSON requests.
// Everything stays inside this worker: no network request carries an answer.
//
// Messages in:  {type: "init", pyodideURL, stdlibURL, wheelURL, lockInfo, download}  (URLs absolute)
//                 download: {<absolute URL>: [bytes, bytes over the network]} of each runtime file
//                 (pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip, checker.whl); optional
//               {type: "check", id, request}                    (request: JSON string)
//               {type: "bare", pyodideURL, stdlibURL}           (benchmark: plain loadPyodide)
// Messages out: {type: "stage", stage}   stages: runtime, python, checker
//               {type: "progress", loaded, total}
//                 bytes over the network received so far / in all for the runtime files, e.g. to
//                 show "1.2/3.3 MB". Estimated per file as its compressed size times the share of
//                 it received (the body is counted after decoding). Posted at most every 100 ms
//                 while downloading and once with loaded === total when every file is in; files
//                 that come from a cache count at once.
//               {type: "ready", ms, timings, warm}
//                 timings: ms since boot per stage ("snapshot": a stored memory snapshot was read;
//                 "restoreError": why restoring it failed, then booted normally);
//                 warm: true when restored from this device's memory snapshot (absent for "bare")
//               {type: "result", id, response}
//               {type: "error", stage, message, id?}
//
// Return visits: after the first ready, the worker stores Pyodide's memory snapshot (Python
// booted, the checker imported; gzip-compressed, ~6 MB) in Cache Storage, keyed by the exact
// runtime, standard library and wheel URLs (all versioned). The next visit restores it instead
// of booting Python and importing the checker (about 1.7 s less). Any failure to read, restore
// or store it falls back to a normal boot; a changed key replaces it.

const SNAPSHOT_CACHE = "hc-snapshot";
const SNAPSHOT_TIMEOUT_MS = 20000; // a restore that hangs is abandoned for a normal boot
const SNAPSHOT_DELAY_MS = 1000;
const PROGRESS_EVERY_MS = 100;

let checker = null; // Promise of the long-lived handle_json PyProxy

function post(message) {
  self.postMessage(message);
}

// --- byte progress --------------------------------------------------------------------------
// Pyodide fetches the wasm and the standard library with the global fetch: counting a clone of
// each response leaves the original (and the browser's compiled-wasm cache for it) untouched.
const progress = { files: new Map(), lastPost: 0, done: false };

function progressTotals() {
  let loaded = 0;
  let total = 0;
  for (const file of progress.files.values()) {
    total += file.wire;
    loaded += file.raw ? Math.min(1, file.read / file.raw) * file.wire : 0;
  }
  return { loaded: Math.round(loaded), total };
}

function postProgress(force) {
  if (progress.done || !progress.files.size) return;
  const now = performance.now();
  const { loaded, total } = progressTotals();
  const complete = loaded >= total;
  if (!force && !complete && now - progress.lastPost < PROGRESS_EVERY_MS) return;
  progress.lastPost = now;
  progress.done = complete;
  post({ type: "progress", loaded, total });
}

function expectDownloads(download) {
  for (const [url, [raw, wire]] of Object.entries(download || {})) {
    progress.files.set(url, { raw, wire, read: 0 });
  }
  postProgress(true);
}

function received(url, bytes) {
  const file = progress.files.get(url);
  if (!file) return;
  file.read += bytes;
  postProgress(false);
}

async function count(url, response) {
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received(url, value.byteLength);
    }
  } catch {
    // the original response reports any failure
  }
}

const networkFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const response = await networkFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input, self.location.href).href;
  if (progress.files.has(url) && response.ok && response.body) count(url, response.clone());
  return response;
};

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

// --- memory snapshot --------------------------------------------------------------------------
function snapshotStore(pyodideURL, key) {
  const url = new URL("hc-memory-snapshot", pyodideURL).href; // never fetched: a cache key only
  const usable = typeof caches === "object" && typeof CompressionStream === "function";
  return {
    async load() {
      if (!usable) return null;
      try {
        const cache = await caches.open(SNAPSHOT_CACHE);
        const hit = await cache.match(url);
        if (!hit) return null;
        if (hit.headers.get("x-hc-key") !== key) {
          await cache.delete(url); // another build's: never restored, never kept
          return null;
        }
        const body = hit.body.pipeThrough(new DecompressionStream("gzip"));
        return new Uint8Array(await new Response(body).arrayBuffer());
      } catch (error) {
        console.warn("memory snapshot not read:", String(error && error.message || error));
        return null;
      }
    },
    async save(bytes) {
      if (!usable) return;
      try {
        const gzip = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
        const blob = await new Response(gzip).blob(); // whole, before put: not every engine stores streams
        const cache = await caches.open(SNAPSHOT_CACHE);
        await cache.put(url, new Response(blob, { headers: { "x-hc-key": key } }));
      } catch (error) {
        console.warn("memory snapshot not stored:", String(error && error.message || error));
      }
    },
    async drop() {
      try {
        await (await caches.open(SNAPSHOT_CACHE)).delete(url);
      } catch {
        // nothing stored
      }
    },
  };
}

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), ms)),
  ]);
}

// --- boot ------------------------------------------------------------------------------------
let restoring = false; // failures while restoring a snapshot fall back instead of being reported

async function boot({ pyodideURL, stdlibURL, wheelURL, lockInfo, download }) {
  const started = performance.now();
  const timings = {}; // ms since boot, per finished stage: where the time goes
  const mark = (name) => (timings[name] = Math.round(performance.now() - started));
  let stage = "runtime";
  post({ type: "stage", stage });
  expectDownloads(download);
  try {
    const store = snapshotStore(pyodideURL, JSON.stringify([pyodideURL, stdlibURL, wheelURL]));
    const snapshot = store.load();
    // The wheel downloads while the runtime boots.
    const wheel = fetchBytes(wheelURL);
    wheel.catch(() => {}); // reported below, once awaited
    // Pyodide imports pyodide.asm.mjs itself; importing it here too (same URL, same module)
    // starts it at once and tells when its bytes are in.
    const asmURL = new URL("pyodide.asm.mjs", pyodideURL).href;
    import(asmURL).then(() => received(asmURL, progress.files.get(asmURL)?.raw || 0), () => {});
    const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideURL).href);
    mark("runtime");
    stage = "python";
    post({ type: "stage", stage });
    const options = {
      indexURL: pyodideURL,
      stdLibURL: stdlibURL,
      // The shipped lock's info and no packages: nothing is fetched for it, and any
      // accidental package load fails here instead of reaching for a CDN.
      lockFileContents: { info: lockInfo, packages: {} },
      packageBaseUrl: pyodideURL,
    };
    let pyodide = null;
    const saved = await snapshot;
    if (saved) {
      mark("snapshot"); // read from Cache Storage: this boot restores it
      restoring = true;
      try {
        pyodide = await withTimeout(loadPyodide({ ...options, _loadSnapshot: saved }), SNAPSHOT_TIMEOUT_MS);
      } catch (error) {
        timings.restoreError = String(error && error.message || error).slice(0, 200);
        console.warn("memory snapshot not restored:", String(error && error.message || error));
        store.drop();
      }
      restoring = false;
    }
    const warm = pyodide !== null;
    if (!warm) pyodide = await loadPyodide({ ...options, _makeSnapshot: true });
    mark("python");
    stage = "checker";
    post({ type: "stage", stage });
    // A snapshot holds Python's memory, not its files: the wheel is unpacked on every boot
    // (the checker reads its rule data files from it).
    const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
    pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
    pyodide.runPython("import importlib; importlib.invalidate_caches()");
    mark("wheel");
    // One long-lived proxy for the whole visit (borrowed from the module, which stays alive).
    const handle = pyodide.pyimport("checker.api").handle_json;
    mark("checker");
    postProgress(true);
    post({ type: "ready", ms: performance.now() - started, timings, warm });
    if (!warm) {
      // A moment after ready, so a check already waiting (and its rendering) goes first: the
      // copy takes ~40 ms and compressing it a few hundred more.
      setTimeout(() => {
        try {
          store.save(pyodide.makeMemorySnapshot());
        } catch (error) {
          console.warn("memory snapshot not made:", String(error && error.message || error));
        }
      }, SNAPSHOT_DELAY_MS);
    }
    // Resolve with a plain JS function: resolving a promise with a PyProxy makes the promise
    // machinery probe it for `then`, which never settles.
    return (request) => handle(request);
  } catch (error) {
    const message = String(error && error.message || error);
    // A failed fetch (of the runtime or the wheel) reads differently from a Python error.
    const network = /HTTP \d|fetch|network|load/i.test(message) && !/Traceback/.test(message);
    if (!failed) post({ type: "error", stage: network ? "download" : "python", message });
    failed = true;
    throw error;
  }
}

async function bare({ pyodideURL, stdlibURL }) {
  const started = performance.now();
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideURL).href);
    await loadPyodide({ indexURL: pyodideURL, ...(stdlibURL ? { stdLibURL: stdlibURL } : {}) });
    post({ type: "ready", ms: performance.now() - started });
  } catch (error) {
    post({ type: "error", stage: "bare", message: String(error && error.message || error) });
  }
}

// A failed runtime download can abort Emscripten in a promise loadPyodide never settles:
// report any uncaught failure of this worker instead of loading forever.
let failed = false;
function reportUncaught(reason) {
  if (failed || restoring) return; // a failed restore falls back to a normal boot
  failed = true;
  const message = String((reason && reason.message) || reason);
  post({ type: "error", stage: /Traceback/.test(message) ? "python" : "download", message });
}
self.addEventListener("unhandledrejection", (event) => reportUncaught(event.reason));
// Pyodide 314 only warns "wasm instantiation failed!" when the .wasm cannot be fetched, and its
// loadPyodide() then never settles: treat that warning as the failure it is.
const warn = console.warn.bind(console);
console.warn = (...args) => {
  if (String(args[0]).startsWith("wasm instantiation failed")) reportUncaught("wasm download failed");
  else warn(...args);
};
self.addEventListener("error", (event) => reportUncaught(event.message));

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "init" && !checker) {
    checker = boot(message);
    checker.catch(() => {}); // already reported
  } else if (message.type === "bare") {
    bare(message);
  } else if (message.type === "check") {
    let handle;
    try {
      handle = await checker;
    } catch {
      return; // the boot error was already reported
    }
    try {
      post({ type: "result", id: message.id, response: handle(message.request) });
    } catch (error) {
      post({ type: "error", stage: "run", id: message.id, message: String(error && error.message || error) });
    }
  }
});

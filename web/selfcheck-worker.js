// Module worker: loads Pyodide (self-hosted) and the checker wheel, then answers JSON requests.
// Everything stays inside this worker: no network request carries an answer.
//
// Messages in:  {type: "init", pyodideURL, stdlibURL, wheelURL, lockInfo, download, preloading}
//                 (URLs absolute) download: {<URL>: [bytes, bytes over the network]} of each
//                 runtime file (pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip, checker.whl);
//                 preloading: [<URL>] the page's preloads to wait for (web/preload.js); optional
//               {type: "preloaded", url}                        (that preload has finished)
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
// booted, the checker imported) in Cache Storage, keyed by the exact runtime, standard
// library and wheel URLs (all versioned). The next visit restores it instead of booting Python
// and importing the checker (about 1.7 s less). It is stored without its all-zero pages (~15 MB;
// see packSnapshot), not gzip-compressed: inflating it cost more than reading it. Its body is
// read while Pyodide loads its runtime and fetches the wasm. Any failure to read, restore or
// store it falls back to a normal boot; a changed key replaces it.

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
  if (file.read >= file.raw) startWheelIfOthersIn();
}

// The wheel's URL and what starts its fetch, set by boot(). The wheel is fetched once every other
// runtime file is in (counted above): fetched with the others, it would share their bandwidth on a
// slow network and delay the moment Python can start, while Python's start (half a second or
// more) does not need it.
const wheelWait = { url: null, start: null };

function startWheelIfOthersIn() {
  const othersIn = [...progress.files].every(([url, file]) => url === wheelWait.url || file.read >= file.raw);
  if (wheelWait.start && othersIn) wheelWait.start();
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

// The page's preloads still in flight: a request for the same file waits for its preload (then
// reads the HTTP cache) instead of downloading it a second time.
const PRELOAD_WAIT_MS = 180000; // a preload that never reports does not hold the boot forever
const preloads = new Map(); // URL -> {promise, resolve}

function expectPreloads(urls) {
  for (const url of urls || []) {
    let resolve;
    const promise = new Promise((done) => (resolve = done));
    setTimeout(resolve, PRELOAD_WAIT_MS);
    preloads.set(url, { promise, resolve });
  }
}

function preloaded(url) {
  return preloads.get(url)?.promise;
}

const networkFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input, self.location.href).href;
  await preloaded(url);
  const response = await networkFetch(input, init);
  if (progress.files.has(url) && response.ok && response.body) count(url, response.clone());
  return response;
};

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

// --- memory snapshot --------------------------------------------------------------------------
// Stored without its all-zero 64 KB pages, which are about half of the ~32 MB: a page list, then
// the other pages. Reading 15 MB back and filling a zeroed buffer is faster than reading 32 MB,
// and far faster than inflating gzip (measured: bench/selfcheck_bench.py, warm).
const PAGE = 65536;

function packSnapshot(bytes) {
  if (bytes.byteOffset % 4) bytes = bytes.slice(); // word-aligned for the zero test
  const pages = [];
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  for (let page = 0; page * PAGE < bytes.length; page++) {
    const from = (page * PAGE) / 4;
    const to = Math.min(from + PAGE / 4, words.length);
    let used = to * 4 < Math.min((page + 1) * PAGE, bytes.length); // a tail beyond the last word
    for (let i = from; i < to && !used; i++) used = words[i] !== 0;
    if (used) pages.push(page);
  }
  const head = new Uint32Array([bytes.length, pages.length, ...pages]);
  const parts = [head];
  for (const page of pages) parts.push(bytes.subarray(page * PAGE, Math.min((page + 1) * PAGE, bytes.length)));
  return new Blob(parts);
}

function unpackSnapshot(buffer) {
  const damaged = () => new Error("memory snapshot damaged");
  if (buffer.byteLength < 8) throw damaged();
  const [length, count] = new Uint32Array(buffer, 0, 2);
  const start = 8 + 4 * count;
  if (count > Math.ceil(length / PAGE) || start > buffer.byteLength) throw damaged();
  const pages = new Uint32Array(buffer, 8, count);
  const size = (page) => Math.min(PAGE, length - page * PAGE);
  if (pages.some((page) => page * PAGE >= length) || pages.reduce((sum, page) => sum + size(page), start) !== buffer.byteLength) {
    throw damaged(); // checked before allocating: a damaged length cannot ask for gigabytes
  }
  const bytes = new Uint8Array(length);
  let at = start;
  for (const page of pages) {
    bytes.set(new Uint8Array(buffer, at, size(page)), page * PAGE);
    at += size(page);
  }
  return bytes;
}

function snapshotStore(pyodideURL, key) {
  const url = new URL("hc-memory-snapshot", pyodideURL).href; // never fetched: a cache key only
  const usable = typeof caches === "object";
  return {
    // {bytes: a promise of the stored snapshot, read while the runtime loads}, or null.
    async find() {
      if (!usable) return null;
      try {
        const cache = await caches.open(SNAPSHOT_CACHE);
        const hit = await cache.match(url);
        if (!hit) return null;
        if (hit.headers.get("x-hc-key") !== key) {
          await cache.delete(url); // another build's: never restored, never kept
          return null;
        }
        return { bytes: hit.arrayBuffer().then(unpackSnapshot) };
      } catch (error) {
        console.warn("memory snapshot not read:", String(error && error.message || error));
        return null;
      }
    },
    async save(bytes) {
      if (!usable) return;
      try {
        const cache = await caches.open(SNAPSHOT_CACHE);
        await cache.put(url, new Response(packSnapshot(bytes), { headers: { "x-hc-key": key } }));
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

// --- wheel ----------------------------------------------------------------------------------
// The build stores the wheel's entries uncompressed (site_builder/wheel.py browser_wheel): writing
// them to Pyodide's file system straight from JavaScript takes a few ms, where unpackArchive
// (Python's zipfile, in wasm not yet warmed up) took 100-250 ms of every return visit. Any
// other wheel (an entry compressed, an odd header) goes to unpackArchive.
function unpackStoredZip(FS, bytes, dir) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22; // the end-of-central-directory record (no archive comment)
  if (end < 0 || view.getUint32(end, true) !== 0x06054b50) return false;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) return false;
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (name.endsWith("/")) continue;
    if (method !== 0 || view.getUint32(local, true) !== 0x04034b50 || name.split("/").includes("..")) return false;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > bytes.length) return false;
    files.push([name, bytes.subarray(start, start + size)]);
  }
  for (const [name, data] of files) {
    const path = `${dir}/${name}`;
    FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    FS.writeFile(path, data);
  }
  return true;
}

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), ms)),
  ]);
}

// --- boot ------------------------------------------------------------------------------------
let restoring = false; // failures while restoring a snapshot fall back instead of being reported

async function boot({ pyodideURL, stdlibURL, wheelURL, lockInfo, download, preloading }) {
  const started = performance.now();
  const timings = {}; // ms since boot, per finished stage: where the time goes
  const mark = (name) => (timings[name] = Math.round(performance.now() - started));
  let stage = "runtime";
  post({ type: "stage", stage });
  expectDownloads(download);
  expectPreloads(preloading);
  try {
    const store = snapshotStore(pyodideURL, JSON.stringify([pyodideURL, stdlibURL, wheelURL]));
    const snapshot = store.find();
    // The wheel downloads while Python starts: once the runtime's other files are in, at once on
    // a return visit (a snapshot stored: every file comes from a cache), and at the latest once
    // Python has started, should the count fall short.
    let startWheel;
    const wheel = new Promise((resolve) => (startWheel = resolve)).then(() => fetchBytes(wheelURL));
    wheel.catch(() => {}); // reported below, once awaited
    Object.assign(wheelWait, { url: wheelURL, start: startWheel });
    startWheelIfOthersIn();
    snapshot.then((found) => found && startWheel(), () => {});
    // Pyodide imports pyodide.asm.mjs itself; importing it here too (same URL, same module)
    // starts it at once and tells when its bytes are in.
    const asmURL = new URL("pyodide.asm.mjs", pyodideURL).href;
    const asm = Promise.resolve(preloaded(asmURL)).then(() => import(asmURL));
    asm.then(() => received(asmURL, progress.files.get(asmURL)?.raw || 0), () => {});
    const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideURL).href);
    if (preloads.has(asmURL)) await asm.catch(() => {}); // else Pyodide's own import fetches it again
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
    const saved = (await snapshot)?.bytes; // found: its bytes are still being read
    if (saved) {
      saved.then(() => mark("snapshot"), () => {}); // read from Cache Storage: this boot restores it
      restoring = true;
      try {
        // Pyodide awaits the bytes only once its runtime module is in, the wasm fetch started.
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
    startWheel();
    mark("python");
    stage = "checker";
    post({ type: "stage", stage });
    // A snapshot holds Python's memory, not its files: the wheel is unpacked on every boot
    // (the checker reads its rule data files from it).
    const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
    const wheelBytes = await wheel;
    if (!unpackStoredZip(pyodide.FS, wheelBytes, sitePackages)) {
      pyodide.unpackArchive(wheelBytes, "wheel", { extractDir: sitePackages });
    }
    // Only site-packages' finder may have listed the folder before the wheel was written;
    // importlib.invalidate_caches() would also import importlib.metadata (six more modules).
    pyodide.runPython("import site, sys\nfinder = sys.path_importer_cache.get(site.getsitepackages()[0])\n"
      + "if finder: finder.invalidate_caches()");
    mark("wheel");
    // One long-lived proxy for the whole visit (borrowed from the module, which stays alive).
    const handle = pyodide.pyimport("checker.api").handle_json;
    mark("checker");
    postProgress(true);
    post({ type: "ready", ms: performance.now() - started, timings, warm });
    if (!warm) {
      // A moment after ready, so a check already waiting (and its rendering) goes first: the
      // copy takes ~40 ms and storing it some more.
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
  } else if (message.type === "preloaded") {
    preloads.get(message.url)?.resolve();
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

// Module worker: loads Pyodide (self-hosted) and the checker wheel, then answers JSON requests.
// Everything stays inside this worker: no network request carries an answer.
//
// Messages in:  {type: "init", pyodideURL, wheelURL, lockInfo}  (URLs absolute)
//               {type: "check", id, request}                    (request: JSON string)
//               {type: "bare", pyodideURL}                      (benchmark: plain loadPyodide)
// Messages out: {type: "stage", stage}   stages: runtime, python, checker
//               {type: "ready", ms, timings}  (timings: ms since boot per stage; absent for "bare")
//               {type: "result", id, response}
//               {type: "error", stage, message, id?}

let checker = null; // Promise of the long-lived handle_json PyProxy

function post(message) {
  self.postMessage(message);
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function boot({ pyodideURL, wheelURL, lockInfo }) {
  const started = performance.now();
  const timings = {}; // ms since boot, per finished stage: where the time goes
  const mark = (name) => (timings[name] = Math.round(performance.now() - started));
  let stage = "runtime";
  post({ type: "stage", stage });
  try {
    // The wheel downloads while the runtime boots.
    const wheel = fetchBytes(wheelURL);
    wheel.catch(() => {}); // reported below, once awaited
    const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideURL).href);
    mark("runtime");
    stage = "python";
    post({ type: "stage", stage });
    const pyodide = await loadPyodide({
      indexURL: pyodideURL,
      // The shipped lock's info and no packages: nothing is fetched for it, and any
      // accidental package load fails here instead of reaching for a CDN.
      lockFileContents: { info: lockInfo, packages: {} },
      packageBaseUrl: pyodideURL,
    });
    mark("python");
    stage = "checker";
    post({ type: "stage", stage });
    const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
    pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
    pyodide.runPython("import importlib; importlib.invalidate_caches()");
    mark("wheel");
    // One long-lived proxy for the whole visit (borrowed from the module, which stays alive).
    const handle = pyodide.pyimport("checker.api").handle_json;
    mark("checker");
    post({ type: "ready", ms: performance.now() - started, timings });
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

async function bare({ pyodideURL }) {
  const started = performance.now();
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideURL).href);
    await loadPyodide({ indexURL: pyodideURL });
    post({ type: "ready", ms: performance.now() - started });
  } catch (error) {
    post({ type: "error", stage: "bare", message: String(error && error.message || error) });
  }
}

// A failed runtime download can abort Emscripten in a promise loadPyodide never settles:
// report any uncaught failure of this worker instead of loading forever.
let failed = false;
function reportUncaught(reason) {
  if (failed) return;
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

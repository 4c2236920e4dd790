// Runs the checker wheel in real Pyodide (offline) and answers JSON lines.
// Usage: node driver.mjs <runtime dir> <checker wheel> [<python_stdlib.zip>]
// (the runtime dir: Pyodide's files as the site serves them; the last argument: the site's
// trimmed standard library instead of the runtime dir's full one)
// Prints {"ready": true, "python": "3.14.x"} once, then for each input line {"id", "request"}
// (request: the JSON string handle_json takes) one line {"id", "response"} or {"id", "error"}.
// A line {"id", "modules": [names]} imports those modules (each may be missing) and answers
// {"id", "modules": [the zip entry of every loaded module read from the standard library zip]}.
// The worker's own steps (site-packages path, unpacking the wheel, pyimport) are repeated here in
// the same order, so what the browser imports, this process imports too.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const [pyodideDir, wheel, stdlib] = process.argv.slice(2).map((arg) => path.resolve(arg));
const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));

function fail(error) {
  // One short line, not the minified runtime source Node prints for an uncaught error.
  process.stdout.write(JSON.stringify({ ready: false, error: String(error && error.message || error) }) + "\n");
  process.exit(1);
}
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

const lock = JSON.parse(fs.readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8"));
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  ...(stdlib ? { stdLibURL: stdlib } : {}),
  // No packages: an accidental package load fails here instead of downloading from a CDN.
  lockFileContents: { info: lock.info, packages: {} },
  stdout: (line) => process.stderr.write(line + "\n"), // stdout carries the protocol only
  stderr: (line) => process.stderr.write(line + "\n"),
});
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", {
  extractDir: sitePackages,
});
// Only site-packages' finder may have listed the folder before the wheel was written;
// importlib.invalidate_caches() would also import importlib.metadata (six more modules).
pyodide.runPython("import site, sys\nfinder = sys.path_importer_cache.get(site.getsitepackages()[0])\n"
  + "if finder: finder.invalidate_caches()");
const api = pyodide.pyimport("checker.api");
const handle = api.handle_json;
const python = pyodide.runPython("import sys; '.'.join(map(str, sys.version_info[:3]))");
process.stdout.write(JSON.stringify({ ready: true, python }) + "\n");

// Imports the given names, then lists the loaded modules read from the standard library zip.
const RECORD = `
import importlib, json, sys
for _name in json.loads(_names):
    try:
        importlib.import_module(_name)
    except ImportError:
        pass  # not in this zip, or not a module: the caller compares the lists
_zip = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
# A frozen module (os, site, codecs ...) runs from the runtime's own copy: its __file__ names the
# zip, but the zip need not hold it.
_files = (getattr(m, "__file__", None) or "" for m in list(sys.modules.values())
          if getattr(getattr(m, "__spec__", None), "origin", None) != "frozen")
json.dumps(sorted({f.removeprefix(_zip) for f in _files if f.startswith(_zip)}))
`;

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { id, request, modules } = JSON.parse(line);
  let reply;
  try {
    if (modules) {
      const globals = pyodide.toPy({ _names: JSON.stringify(modules) });
      reply = { id, modules: JSON.parse(pyodide.runPython(RECORD, { globals })) };
      globals.destroy();
    } else {
      reply = { id, response: handle(request) };
    }
  } catch (error) {
    reply = { id, error: String(error && error.message || error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}

// Runs the checker wheel in real Pyodide (from node_modules, offline) and answers JSON lines.
// Usage: node driver.mjs <checker wheel>
// Prints {"ready": true, "python": "3.14.x"} once, then for each input line {"id", "request"}
// (request: the JSON string handle_json takes) one line {"id", "response"} or {"id", "error"}.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const pyodideDir = path.join(root, "node_modules", "pyodide");
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
  // No packages: an accidental package load fails here instead of downloading from a CDN.
  lockFileContents: { info: lock.info, packages: {} },
  stdout: (line) => process.stderr.write(line + "\n"), // stdout carries the protocol only
  stderr: (line) => process.stderr.write(line + "\n"),
});
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(process.argv[2])), "wheel", {
  extractDir: sitePackages,
});
const api = pyodide.pyimport("checker.api");
const handle = api.handle_json;
const python = pyodide.runPython("import platform; platform.python_version()");
process.stdout.write(JSON.stringify({ ready: true, python }) + "\n");

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { id, request } = JSON.parse(line);
  let reply;
  try {
    reply = { id, response: handle(request) };
  } catch (error) {
    reply = { id, error: String(error && error.message || error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}

// Compiles a standard library zip to bytecode with Pyodide's own Python (under Node), for
// site_builder/stdlib.py compiled_stdlib. Usage: node stdlib_compile.mjs <in.zip> <out.zip>
// Each x.py entry becomes x.pyc (sourceless; zipimport loads it without its source), the other
// entries are copied; entries stay stored (uncompressed) and in order, with their timestamps.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pyodideDir = path.join(root, "node_modules", "pyodide");
const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
const lock = JSON.parse(fs.readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8"));
const [input, output] = process.argv.slice(2);

const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  lockFileContents: { info: lock.info, packages: {} },
  stdout: (line) => process.stderr.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});
pyodide.FS.writeFile("/tmp/in.zip", new Uint8Array(fs.readFileSync(input)));
pyodide.runPython(`
import importlib.util, marshal, sys, zipfile

def one_line_per_function(code):
    # The line table reduced to "every instruction is on the function's first line": about a
    # sixth of a .pyc is its line and column table, which only tracebacks read. A table that
    # says something (rather than none) keeps f_lineno a number for warnings and linecache.
    units = len(code.co_code) // 2
    table = bytearray()
    while units > 0:
        n = min(units, 8)
        table += bytes((0xE8 | (n - 1), 0))  # "no columns" entry of n code units, line delta 0
        units -= n
    consts = tuple(one_line_per_function(c) if hasattr(c, "co_code") else c for c in code.co_consts)
    return code.replace(co_linetable=bytes(table), co_consts=consts)

# Where Pyodide puts the zip: tracebacks name the same files as when compiled from source.
PREFIX = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
# Unchecked hash-based .pyc (PEP 552): no source to compare with, and no timestamp.
HEADER = importlib.util.MAGIC_NUMBER + (0b01).to_bytes(4, "little") + bytes(8)
with zipfile.ZipFile("/tmp/in.zip") as source, zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_STORED) as out:
    for info in source.infolist():
        data = source.read(info)
        if info.filename.endswith(".py"):
            # As python -OO does: no assert statements, no docstrings (20 KB less, brotli).
            code = compile(data, PREFIX + info.filename, "exec", dont_inherit=True, optimize=2)
            data = HEADER + marshal.dumps(one_line_per_function(code))
            info = zipfile.ZipInfo(info.filename + "c", info.date_time)
        out.writestr(zipfile.ZipInfo(info.filename, info.date_time), data)
`);
fs.writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));

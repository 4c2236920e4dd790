"""JavaScript the site ships, minified with terser (npm, pinned): the page glue (web/ and the
theme's overrides) and Pyodide's runtime module.

Brotli already squeezes whitespace; what minifying removes beyond it is comments and long local
names: the glue the 自测 loads before its checker is ready shrinks from 24 to 14 KB over the
network, and `pyodide.asm.mjs` (Emscripten's output, published only whitespace-minified) from 207
to 180 KB. Pyodide's module keeps its function and class names (`keep_fnames`): Pyodide names
some on purpose, and a name may show in an error. terser leaves the names in a scope that calls
`eval` (Emscripten's EM_ASM) alone. The parity suite and the browser tests run the minified files.

Results are cached by content (build/minified/): Node runs only for what changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).with_name("minify.mjs")
TERSER = ROOT / "node_modules" / "terser" / "package.json"
CACHE = ROOT / "build" / "minified"


def _key(source: bytes, tools: bytes, module: bool, keep_names: bool) -> str:
    """Of the source, the minifier (`tools`: minify.mjs and terser's package.json) and the options."""
    digest = hashlib.sha256(source)
    for part in (tools, bytes([module, keep_names])):
        digest.update(part)
    return digest.hexdigest()[:24]


def minified(sources: dict[Path, bytes], *, module: bool, keep_names: bool = False) -> dict[Path, bytes]:
    """Each source minified, as an ES module (its top-level names are its own, so they shrink too)
    or as a classic script (top-level names are globals other scripts may read: kept)."""
    if not TERSER.is_file():
        raise FileNotFoundError("node_modules/terser is missing: run scripts/setup (npm ci)")
    tools = SCRIPT.read_bytes() + TERSER.read_bytes()  # read once, not once per source
    cached = {path: CACHE / f"{_key(source, tools, module, keep_names)}.js" for path, source in sources.items()}
    todo = [path for path in sources if not cached[path].is_file()]
    if todo:
        node = shutil.which("node")
        if not node:
            raise FileNotFoundError("node is needed to minify the site's scripts: run scripts/setup")
        with tempfile.TemporaryDirectory() as scratch:
            jobs = []
            for number, path in enumerate(todo):
                source = Path(scratch) / f"{number}.js"
                source.write_bytes(sources[path])
                jobs.append({"in": str(source), "out": str(source.with_suffix(".min.js")), "module": module,
                             "keepNames": keep_names})
            done = subprocess.run([node, str(SCRIPT)], input=json.dumps(jobs), text=True, capture_output=True,
                                  cwd=ROOT, timeout=600)
            if done.returncode:
                raise RuntimeError(f"terser failed: {done.stderr.strip()[-2000:]}")
            CACHE.mkdir(parents=True, exist_ok=True)
            for path, job in zip(todo, jobs):
                shutil.move(job["out"], cached[path])  # into the cache only once written whole
    return {path: cached[path].read_bytes() for path in sources}


def minify_in_place(paths: list[Path], *, module: bool) -> None:
    for path, code in minified({path: path.read_bytes() for path in paths}, module=module).items():
        path.write_bytes(code)

"""A trimmed Python standard library for the 自测 page: only the modules Pyodide's bootstrap,
the worker and the checker import, instead of the whole 2.5 MB `python_stdlib.zip`.

The module list (`stdlib_modules.txt`, one zip entry a line) is recorded by running every test
case in Pyodide under Node with the full standard library and listing what was imported, plus
what the checker's modules import inside functions, less the frozen modules (os, site, codecs
... run from the runtime's own copy whatever the zip holds) and the optional ones in LEFT_OUT.
`tests/test_selfcheck_parity.py` records it again and fails when it changed;
`python -m tests.test_selfcheck_parity --write-stdlib-modules` rewrites it. The parity suite
itself runs against the trimmed zip.

Entries are stored uncompressed: the server sends the whole zip brotli- or gzip-compressed,
which compresses across files far better than per-entry deflate (and Python then reads the
entries without inflating them).

Then `compiled_stdlib` compiles the entries to bytecode with Pyodide's own Python under Node
(`stdlib_compile.mjs`, as -OO: no docstrings, no asserts): Python then no longer compiles
~1.8 MB of source on every first visit, 1.2-1.7 s of this machine's CPU (more on a phone) after
the last byte has arrived, where unmarshalling takes 0.03 s. Bytecode is bigger than source
with its docstrings blanked (about 0.16 MB more over the network, ~0.8 s at 1.6 Mbps). Its line
tables keep one line per function: a traceback in the standard library names the function's
first line.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

MODULES_FILE = Path(__file__).with_name("stdlib_modules.txt")
# Loaded when present, yet the 自测 does without them: every import of them is guarded by
# `except ImportError` (the recording leaves them out; the parity suite runs without them).
# Together about 25 KB of the download.
LEFT_OUT = {
    "ssl.py": "asyncio's optional TLS support; a worker opens no sockets",
    "_ssl.py": "imported by ssl only",
    "base64.py": "imported by ssl only",
    "bz2.py": "shutil's and zipfile's optional bzip2; the wheel is stored uncompressed",
    "lzma.py": "shutil's and zipfile's optional xz",
    "compression/__init__.py": "the package of the optional zstd",
    "compression/_common/__init__.py": "part of the optional zstd",
    "compression/_common/_streams.py": "part of the optional zstd",
    "compression/zstd/__init__.py": "shutil's and zipfile's optional zstd",
    "compression/zstd/_zstdfile.py": "part of the optional zstd",
}
COMPILE_SCRIPT = Path(__file__).with_name("stdlib_compile.mjs")
ROOT = Path(__file__).resolve().parent.parent
COMPILED_CACHE = ROOT / "build" / "stdlib"  # by content: Node and Pyodide run only when it changed
# A fixed timestamp: the same list gives a byte-identical zip, so its URL and caches survive rebuilds.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def required_entries(path: Path = MODULES_FILE) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _read_entry(archive: zipfile.ZipFile, raw: bytes, info: zipfile.ZipInfo) -> bytes:
    """An entry's bytes, read from its local header without the CRC check: the shipped zip has
    at least one entry (_sysconfigdata__emscripten_wasm32-emscripten.py) whose stored CRC does
    not match its content, which `ZipFile.read` rejects."""
    try:
        return archive.read(info)
    except zipfile.BadZipFile:
        pass
    name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data = raw[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return data
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompress(data, -15)
    raise ValueError(f"{info.filename}: unsupported compression {info.compress_type}")


def trimmed_stdlib(source: Path, entries: list[str] | None = None) -> bytes:
    """A zip of the given entries of `source` (default: the recorded list), stored uncompressed,
    in list order, with fixed timestamps. A listed entry missing from `source` is an error: the
    list belongs to another Pyodide version."""
    entries = required_entries() if entries is None else entries
    raw = source.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as trimmed:
        available = {info.filename: info for info in archive.infolist()}
        missing = [name for name in entries if name not in available]
        if missing:
            raise KeyError(f"{source.name} lacks {', '.join(missing)}: record stdlib_modules.txt again")
        for name in entries:
            data = _read_entry(archive, raw, available[name])
            trimmed.writestr(zipfile.ZipInfo(name, FIXED_DATE), data)
    return out.getvalue()


def compiled_stdlib(trimmed: bytes) -> bytes:
    """`trimmed` with every .py entry compiled to a sourceless .pyc by the Pyodide runtime that
    will load it (node_modules/pyodide, so the bytecode version always matches)."""
    pyodide = ROOT / "node_modules" / "pyodide"
    sha = hashlib.sha256(trimmed)
    for part in (COMPILE_SCRIPT, pyodide / "package.json", pyodide / "python_stdlib.zip"):
        sha.update(part.read_bytes())
    cached = COMPILED_CACHE / f"{sha.hexdigest()[:16]}.zip"
    if cached.is_file():
        return cached.read_bytes()
    node = shutil.which("node")
    if not node:
        raise FileNotFoundError("node is needed to compile the 自测's standard library: run scripts/setup")
    with tempfile.TemporaryDirectory() as scratch:
        source, out = Path(scratch) / "in.zip", Path(scratch) / "out.zip"
        source.write_bytes(trimmed)
        subprocess.run([node, str(COMPILE_SCRIPT), str(source), str(out)], check=True, capture_output=True, timeout=600)
        compiled = out.read_bytes()
    COMPILED_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(compiled)
    return compiled

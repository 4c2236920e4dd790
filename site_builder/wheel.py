"""Build the checker as a pure-Python wheel, the only Python package the browser loads, and the
browser's copy of it.

Pyodide unpacks it straight into site-packages (no micropip), so it must stay `py3-none-any`.
The copy the site serves (`browser_wheel`) holds only the modules the 自测 can import (not the
command line, the batch or the spreadsheet reader, nor their entry point), with docstrings and
comment lines blanked (line numbers kept) and no long description in its METADATA, every entry
stored uncompressed: the server compresses the whole file, across entries. Its RECORD lists
what it holds. The parity suite runs this very copy in Pyodide.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY_MODULE = "checker.api"  # what the browser's worker imports


def build_wheel(out_dir: Path) -> Path:
    """Build the project's wheel into out_dir and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # A fixed timestamp makes the wheel byte-identical between builds of the same sources,
    # so its content-hashed URL (and browser caches) survive rebuilds.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps",
             "--quiet", "--wheel-dir", scratch, str(ROOT)],
            check=True, env=env, cwd=ROOT,
        )
        wheels = list(Path(scratch).glob("*-py3-none-any.whl"))
        if len(wheels) != 1:
            raise RuntimeError(f"expected one pure-Python wheel, got {wheels}")
        target = out_dir / wheels[0].name
        target.write_bytes(wheels[0].read_bytes())
    return target


def imported_names(source: str) -> set[str]:
    """Every module named in an import statement of `source`, at any depth (an import inside a
    function runs only on some answers)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def browser_modules() -> set[str]:
    """The checker's modules the browser may import: those importing ENTRY_MODULE loads (in a
    fresh Python), and every checker module any of them names in an import statement."""
    listing = f"import sys, {ENTRY_MODULE}; print(*(m for m in sys.modules if m.startswith('checker')))"
    loaded = subprocess.run([sys.executable, "-c", listing], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.split()
    modules, todo = set(), list(loaded)
    while todo:
        module = todo.pop()
        path = module_path(module)
        if module in modules or path is None:
            continue
        modules.add(module)
        todo.extend(name for name in imported_names(path.read_text(encoding="utf-8")) if name.startswith("checker"))
    return modules


def module_path(module: str) -> Path | None:
    """The source file of a checker module, or None (a name that is not a module)."""
    base = ROOT / module.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def strip_source(source: bytes) -> bytes:
    """`source` with each docstring replaced by an empty string and each comment line blank, every
    line kept in its place (tracebacks name the right lines); unchanged when it does not parse
    before and after (ast positions are UTF-8 byte offsets, so this works on bytes)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    in_string = set()  # lines inside a multi-line string: a "#" there is content, not a comment
    docs = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.end_lineno > node.lineno:
            in_string.update(range(node.lineno, node.end_lineno + 1))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            is_string = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            if is_string and isinstance(first.value.value, str):
                docs.append(first.value)
    for doc in sorted(docs, key=lambda n: (n.lineno, n.col_offset), reverse=True):
        start, end = doc.lineno - 1, doc.end_lineno - 1
        head, tail = lines[start][: doc.col_offset], lines[end][doc.end_col_offset :]
        lines[start : end + 1] = [head + b'""' + tail] + [b"\n"] * (end - start)
    for number, line in enumerate(lines, 1):
        if number not in in_string and line.lstrip().startswith(b"#"):
            lines[number - 1] = b"\n"
    stripped = b"".join(lines)
    try:
        compile(stripped, "<stripped>", "exec", dont_inherit=True)
    except SyntaxError:
        return source
    return stripped


def browser_wheel(built: Path) -> bytes:
    """The site's copy of the wheel `built` (see the module's docstring)."""
    keep = {module_path(m).relative_to(ROOT).as_posix() for m in browser_modules()}
    out = io.BytesIO()
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as stored:
        record = next(info for info in source.infolist() if info.filename.endswith(".dist-info/RECORD"))
        lines = []
        for info in source.infolist():
            name = info.filename
            left_out = name.endswith(".py") and name not in keep or name.endswith(".dist-info/entry_points.txt")
            if info is record or left_out:
                continue
            data = source.read(info)
            if name.endswith(".py"):
                data = strip_source(data)
            elif name.endswith(".dist-info/METADATA"):
                data = data.split(b"\n\n", 1)[0] + b"\n"  # the headers; the body is the README
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{name},sha256={digest},{len(data)}\n")
            stored.writestr(zipfile.ZipInfo(name, info.date_time), data)
        lines.append(f"{record.filename},,\n")
        stored.writestr(zipfile.ZipInfo(record.filename, record.date_time), "".join(lines))
    return out.getvalue()

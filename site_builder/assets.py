"""The 自测 page's runtime in the built site: Pyodide, the checker wheel, the browser glue,
the service worker, and precompressed copies of everything large.

Layout (all paths relative to the site root):
  assets/pyodide/<version>-<hash>/ the runtime files from the npm package `pyodide` (as served)
  assets/stdlib/<content hash>/    the trimmed Python standard library (site_builder/stdlib.py)
  assets/checker/<source hash>/    the checker wheel
  assets/hc/                       web/ (page script, worker, result renderer, CSS)
  sw.js                            the service worker (at the root, so it controls every page)
Versioned directories never change content, so the server may let browsers cache them for a
year; a new build gets new directory names instead.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from functools import lru_cache
from pathlib import Path

import brotli

from site_builder.minify import minified, minify_in_place
from site_builder.stdlib import compiled_stdlib, trimmed_stdlib
from site_builder.wheel import browser_wheel, build_wheel

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
WEB = ROOT / "web"
OVERRIDES = ROOT / "overrides"  # the theme overrides: their assets/javascripts are ours too
# What the page needs from the npm package; the rest (console pages, source maps, typings) is not
# shipped, nor its full python_stdlib.zip: the page loads the trimmed one.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
# The runtime files the worker downloads, in its progress messages (bytes in the page's data).
DOWNLOADED = ("pyodide.asm.mjs", "pyodide.asm.wasm")
SERVICE_WORKER = "sw.js"
OFFLINE_SIZE = "assets/hc/offline.json"  # the offline copy's size, shown before it is stored
PRECOMPRESS_CACHE = ROOT / "build" / "precompressed"
WHEEL_CACHE = ROOT / "build" / "wheels"  # by checker source hash: pip runs only when it changed
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".map", ".whl", ".csv",
                ".zip"}
MIN_COMPRESS_SIZE = 1024
# The search files a Chinese site loads (mkdocs.yml: search lang zh); Material ships ~40 others.
LUNR_NEEDED = re.compile(r"lunr\.(stemmer\.support|zh|multi)\.min\.js$")


def _digest(paths: list[Path], base: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(paths):
        sha.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


@lru_cache(maxsize=None)
def pyodide_version() -> str:
    package = PYODIDE_NPM / "package.json"
    if not package.is_file():
        raise FileNotFoundError("node_modules/pyodide is missing: run scripts/setup (npm ci)")
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def checker_source_hash() -> str:
    """Hash of what goes into the wheel: a changed checker gets a new wheel URL."""
    files = [p for p in (ROOT / "checker").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    makers = [ROOT / "pyproject.toml", ROOT / "site_builder" / "wheel.py"]
    return _digest(files + makers, ROOT)[:12]


@lru_cache(maxsize=None)
def pyodide_file(name: str) -> bytes:
    """A runtime file as the site serves it: as published, but the runtime module minified
    (site_builder/minify.py)."""
    path = PYODIDE_NPM / name
    if name == "pyodide.asm.mjs":
        return minified({path: path.read_bytes()}, module=True, keep_names=True)[path]
    return path.read_bytes()


@lru_cache(maxsize=None)
def runtime_hash() -> str:
    """Of the runtime files as served: a new minification gets a new directory (see above)."""
    digest = hashlib.sha256()
    for name in PYODIDE_FILES:
        digest.update(hashlib.sha256(pyodide_file(name)).digest())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=None)
def stdlib_zip() -> bytes:
    """The trimmed standard library, compiled to bytecode (cached per build process: the page
    and the install use it)."""
    return compiled_stdlib(trimmed_stdlib(PYODIDE_NPM / "python_stdlib.zip"))


def wheel_file() -> Path:
    """The site's copy of the checker wheel (site_builder/wheel.py), built once per source hash."""
    cached = WHEEL_CACHE / checker_source_hash() / "checker.whl"
    if not cached.is_file():
        built = build_wheel(cached.parent)
        cached.write_bytes(browser_wheel(built))
        built.unlink()
    return cached


def transfer_size(data: bytes) -> int:
    """Bytes over the network for a file served brotli-compressed when that pays (see precompress)."""
    return len(_served(data, "br") or data)


def runtime_paths() -> dict:
    """Site-root-relative paths of the runtime, the standard library and the wheel (where the
    install puts them)."""
    version = pyodide_version()  # first: says how to install a missing node_modules/pyodide
    return {
        "pyodide": f"assets/pyodide/{version}-{runtime_hash()}/",
        "stdlib": f"assets/stdlib/{hashlib.sha256(stdlib_zip()).hexdigest()[:12]}/python_stdlib.zip",
        "wheel": f"assets/checker/{checker_source_hash()}/checker.whl",
    }


def runtime() -> dict:
    """The paths and facts the page script needs (data-* attributes of the page): runtime_paths(),
    each download's size as stored and as sent, and the lock file's info."""
    paths = runtime_paths()
    lock = json.loads(pyodide_file("pyodide-lock.json"))
    files = {paths["pyodide"] + name: pyodide_file(name) for name in DOWNLOADED}
    files[paths["stdlib"]] = stdlib_zip()
    files[paths["wheel"]] = wheel_file().read_bytes()
    download = {path: [len(data), transfer_size(data)] for path, data in files.items()}
    return {
        **paths,
        "download": json.dumps(download, separators=(",", ":")),
        "lock-info": json.dumps(lock["info"], separators=(",", ":")),
    }


def preload_links(paths: dict, page_prefix: str = "../") -> str:
    """<link rel=preload> tags for the 自测 page: the runtime files start downloading while the
    page and its form render, instead of once the page script has started the worker. The
    worker's requests then come from the HTTP cache (or join the download in flight). Low
    priority: the page's own CSS and scripts, which make the form usable, go first. (Outside
    Chromium the worker waits for them rather than download a file twice: web/preload.js.)
    Not the wheel: the worker fetches it once these are in, while Python starts.
    Then web/preload.js itself, async: it starts the worker as soon as it arrives, before the
    page script runs (placed inside the 自测's root element, whose data-* it reads)."""
    urls = [paths["pyodide"] + name for name in DOWNLOADED] + [paths["stdlib"]]
    links = "".join(
        f'<link rel="preload" as="fetch" crossorigin fetchpriority="low" data-hc-runtime href="{page_prefix}{url}">'
        for url in urls
    )
    return links + f'<script type="module" async src="{page_prefix}assets/hc/preload.js"></script>'


def offline_box() -> str:
    """The "离线使用" box (poster page, 自测 page): web/offline.js shows it where service workers
    work, with the size of the offline copy, and stores it when asked. Never printed."""
    return (
        '<div class="hc-offline hc-noprint" data-hc-offline hidden>'
        '<button type="button" class="md-button hc-offline-button">离线使用</button>'
        '<p class="hc-offline-status" role="status" aria-live="polite">'
        "把本站和自测保存到手机上，没有网络时（例如在招聘会现场）也能使用。</p></div>"
    )


def install_selfcheck_assets(site_dir: Path) -> None:
    """Post-build step: Pyodide, the checker wheel and web/ into the built site."""
    paths = runtime_paths()  # not runtime(): the download sizes are the page's
    target = site_dir / paths["pyodide"]
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        (target / name).write_bytes(pyodide_file(name))
    stdlib_path = site_dir / paths["stdlib"]
    stdlib_path.parent.mkdir(parents=True, exist_ok=True)
    stdlib_path.write_bytes(stdlib_zip())
    wheel_path = site_dir / paths["wheel"]
    if wheel_path.parent.exists():
        shutil.rmtree(wheel_path.parent)
    # A fixed file name in a directory named by the source hash: the page knows the URL before
    # the wheel is built. Pyodide's unpackArchive does not need the wheel's own name.
    wheel_path.parent.mkdir(parents=True)
    shutil.copyfile(wheel_file(), wheel_path)
    web = site_dir / "assets" / "hc"
    web.mkdir(parents=True, exist_ok=True)
    for path in WEB.iterdir():
        if path.suffix in {".js", ".css"} and not path.name.endswith(".template.js"):
            shutil.copyfile(path, web / path.name)


def minify_scripts(site_dir: Path) -> None:
    """Post-build step: the page glue the site serves (web/, and the theme's own scripts from
    overrides/), minified (site_builder/minify.py)."""
    web = [site_dir / "assets" / "hc" / p.name for p in WEB.glob("*.js") if not p.name.endswith(".template.js")]
    minify_in_place(web, module=True)  # the page glue and the worker are ES modules
    theme = [site_dir / "assets" / "javascripts" / p.name for p in (OVERRIDES / "assets" / "javascripts").glob("*.js")]
    minify_in_place(theme, module=False)  # classic scripts (hc-page.js too: it works either way)


def _precache_list(site_dir: Path) -> list[str]:
    """Everything a visitor may need offline: every page and asset, once, uncompressed."""
    skip_suffixes = {".gz", ".br", ".map"}
    files = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or path.suffix in skip_suffixes or rel in (SERVICE_WORKER, OFFLINE_SIZE):
            continue
        if rel.endswith("pyodide-lock.json") or rel.endswith("sitemap.xml"):
            continue  # the worker passes the lock's info itself; sitemaps are for crawlers
        if rel.startswith("assets/javascripts/lunr/") and not LUNR_NEEDED.search(rel):
            continue  # search tokenizers of other languages
        if rel.endswith("index.html"):
            rel = rel[: -len("index.html")]  # pages are requested by their directory URL
        files.append(rel)
    return files


def write_service_worker(site_dir: Path) -> None:
    """Post-build step: sw.js with this build's version and file list (after all files exist)."""
    files = _precache_list(site_dir)
    own = (SERVICE_WORKER, OFFLINE_SIZE)
    built = [p for p in site_dir.rglob("*") if p.is_file() and p.relative_to(site_dir).as_posix() not in own]
    version = _digest(built, site_dir)[:16]  # any changed byte makes a new cache
    source = (WEB / "sw.template.js").read_text(encoding="utf-8")
    source = source.replace("__VERSION__", json.dumps(version))
    source = source.replace("__FILES__", json.dumps(files, ensure_ascii=False))
    (site_dir / SERVICE_WORKER).write_text(source, encoding="utf-8")
    # What "离线使用" downloads at most (files the visit already loaded come from the HTTP cache).
    on_disk = [site_dir / (f + "index.html" if f.endswith("/") or not f else f) for f in files]
    total = sum(transfer_size(path.read_bytes()) for path in on_disk) + len(source.encode())
    (site_dir / OFFLINE_SIZE).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / OFFLINE_SIZE).write_text(json.dumps({"bytes": total, "files": len(files)}), encoding="utf-8")


# Brotli's default window (4 MB) and block size are not always its best: a 2 MB window with
# 64 KB blocks makes Pyodide 314's wasm 29 KB smaller. Both are tried; the smaller is kept.
BROTLI_SETTINGS = ({}, {"lgwin": 21, "lgblock": 16})
_BROTLI_KEY = "-" + hashlib.sha256(repr(BROTLI_SETTINGS).encode()).hexdigest()[:8]  # the settings tried


def _compressed(data: bytes, kind: str) -> bytes:
    """gzip/brotli at the highest level, cached by content: the 9 MB wasm costs a minute once."""
    key = hashlib.sha256(data).hexdigest()
    if kind == "br":  # the settings tried are part of the key
        key += _BROTLI_KEY
    cached = PRECOMPRESS_CACHE / f"{key}.{kind}"
    if cached.is_file():
        return cached.read_bytes()
    if kind == "gz":
        out = gzip.compress(data, compresslevel=9, mtime=0)
    else:
        out = min((brotli.compress(data, quality=11, **settings) for settings in BROTLI_SETTINGS), key=len)
    PRECOMPRESS_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(out)
    return out


def _served(data: bytes, kind: str) -> bytes | None:
    """The compressed copy the server sends for `data`, or None: a small file, or one already
    compressed (it would not shrink by 5 %), is served as it is."""
    if len(data) < MIN_COMPRESS_SIZE:
        return None
    out = _compressed(data, kind)
    return out if len(out) < 0.95 * len(data) else None


def precompress(site_dir: Path) -> None:
    """Post-build step (last): file.gz and file.br next to each file worth compressing."""
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        for kind in ("gz", "br"):
            out = _served(data, kind)
            if out is not None:
                path.with_name(f"{path.name}.{kind}").write_bytes(out)

"""A PREVIEW server for the BUILT site (not the sources), with the production headers: correct MIME
types, the security headers, precompressed copies and cache headers. Production sites use a web
server such as nginx (DEPLOY.md); this one is for checking a build on a laptop or a LAN.

`SiteRequestHandler` is a small subclass of the standard library's static file handler; headers
every response carries are added in `end_headers`, MIME types in `MIME_TYPES`; `send_head`
resolves the request to a file inside the root (`resolve`: 400 for a malformed path, 404 for
dotfiles, directories without index.html and symlinks leading out), serves the precompressed
copies the build wrote and sets the cache headers from the resolved path (`IMMUTABLE_PATHS`);
`send_error` answers a missing path with the site's own 404 page.
"""

from __future__ import annotations

import email.utils
import functools
import http.server
import os
import re
import sys
import threading
import urllib.parse
from pathlib import Path

# Only the site's own origin. 'wasm-unsafe-eval' lets Pyodide compile WebAssembly; styles need
# no 'unsafe-inline' because the theme's inline scripts were moved to files (see overrides/) and
# Material sets styles through the CSSOM, which style-src does not restrict.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
}


# Precompressed siblings written by the build (site_builder/assets.py), best first.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))
# Files whose URL changes whenever their content does: browsers may keep them for a year.
# Everything else is revalidated on each use (no-cache), so a new build shows at once.
IMMUTABLE_PATHS = re.compile(
    r"^/(assets/pyodide/[^/]+/|assets/stdlib/[^/]+/|assets/checker/[^/]+/|assets/javascripts/bundle\.[0-9a-f]+\.min\.js"
    r"|assets/stylesheets/[a-z]+\.[0-9a-f]+\.min\.css)"
)
LONG_CACHE = "public, max-age=31536000, immutable"
CONNECTION_TIMEOUT = 20  # seconds a client may take to send its request (the stdlib default: forever)
# Seconds a client may pause reading a response: browsers hold back a preloaded file until the
# page uses it, so this is long; it only frees the thread of a client that went away.
SEND_TIMEOUT = 300
REQUEST_QUEUE = 1024  # connections the OS queues before the server accepts them (the stdlib's: 5)


class BadPath(Exception):
    """The request's path is malformed (NUL or other control characters, bad escapes): 400."""


def accepted_encodings(header: str | None) -> set[str]:
    """Codings the client accepts (q=0 means refused), from an Accept-Encoding header."""
    accepted = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip()
        if q.startswith("q=") and q[2:].strip() in {"0", "0.0", "0.00", "0.000"}:
            continue
        if name.strip():
            accepted.add(name.strip().lower())
    return accepted


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    quiet = False
    timeout = CONNECTION_TIMEOUT

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def resolve(self, url_path: str) -> tuple[str | None, str | None, bool]:
        """(file to serve, its path from the root as a URL, whether the URL named a directory);
        (None, None, False) when there is none to serve. A directory's file is its index.html
        (no listings). Raises BadPath."""
        try:
            decoded = urllib.parse.unquote(url_path, errors="strict")
        except UnicodeDecodeError:
            raise BadPath from None
        if not decoded.startswith("/") or any(ord(c) < 0x20 or c == "\x7f" for c in decoded):
            raise BadPath
        segments = [s for s in decoded.split("/") if s]
        if any(s.startswith(".") for s in segments):  # dotfiles, and ".." that clients normalise away
            return None, None, False
        root = os.path.realpath(self.directory)
        path = os.path.realpath(os.path.join(root, *segments))
        is_dir = os.path.isdir(path)
        if is_dir:
            path = os.path.realpath(os.path.join(path, "index.html"))
        if not (self._inside(root, path) and os.path.isfile(path)):
            return None, None, False
        return path, self._url_of(root, path), is_dir

    @staticmethod
    def _inside(root: str, path: str) -> bool:
        """In the root, and no dotfile once symlinks are resolved."""
        if os.path.commonpath([root, path]) != root:
            return False
        return not any(s.startswith(".") for s in os.path.relpath(path, root).split(os.sep))

    @staticmethod
    def _url_of(root: str, path: str) -> str:
        return "/" + os.path.relpath(path, root).replace(os.sep, "/")

    def send_head(self):
        """Serve a file (its precompressed copy when the client accepts it) with cache headers."""
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        try:
            path, resolved_url, is_dir = self.resolve(url_path)
        except BadPath:
            self.send_error(400, explain="请求的路径无效")
            return None
        if path is None:
            self.send_error(404)
            return None
        if is_dir and not url_path.endswith("/"):
            self.send_response(301)  # relative links in the page need the slash
            self.send_header("Location", url_path + "/" + self.path[len(url_path):])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        root = os.path.realpath(self.directory)
        served, coding = path, None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        has_copies = False
        for name, suffix in PRECOMPRESSED:
            copy = os.path.realpath(path + suffix)
            if self._inside(root, copy) and os.path.isfile(copy):
                has_copies = True
                if coding is None and name in accepted:
                    served, coding = copy, name
        try:
            f = open(served, "rb")
        except OSError:
            self.send_error(404)
            return None
        stat = os.fstat(f.fileno())
        if self._not_modified(stat.st_mtime):
            f.close()
            self.send_response(304)
            self._send_cache_headers(resolved_url, has_copies)
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self._send_cache_headers(resolved_url, has_copies)
        self.end_headers()
        return f

    def copyfile(self, source, outputfile) -> None:
        self.connection.settimeout(SEND_TIMEOUT)
        try:
            super().copyfile(source, outputfile)
        finally:
            self.connection.settimeout(self.timeout)

    def list_directory(self, path):
        self.send_error(404)  # never a listing (send_head does not call this; a safety net)
        return None

    def send_error(self, code, message=None, explain=None) -> None:
        """A missing page gets the site's own 404 page (in Chinese), still with status 404."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_cache_headers(self, url_path: str, has_copies: bool) -> None:
        if has_copies:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", LONG_CACHE if IMMUTABLE_PATHS.match(url_path) else "no-cache")

    def _not_modified(self, mtime: float) -> bool:
        since = self.headers.get("If-Modified-Since")
        if not since or self.headers.get("If-None-Match"):
            return False
        try:
            return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False

    def log_message(self, format, *args) -> None:
        if not self.quiet:
            super().log_message(format, *args)


class QuietSiteRequestHandler(SiteRequestHandler):
    quiet = True  # no access log (tests)


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = REQUEST_QUEUE

    def handle_error(self, request, client_address) -> None:
        # Browsers drop connections all the time (navigation, cancelled downloads), and a silent
        # client is cut off after CONNECTION_TIMEOUT: not errors.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def make_server(root: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False,
                timeout: float = CONNECTION_TIMEOUT):
    """A threaded server for `root` (port 0 picks a free port: read `server.server_port`)."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} holds no built site; run `python -m site_builder build`")
    base = QuietSiteRequestHandler if quiet else SiteRequestHandler
    handler_class = type(base.__name__, (base,), {"timeout": timeout})  # StreamRequestHandler applies it
    handler = functools.partial(handler_class, directory=str(root))
    return SiteServer((host, port), handler)


def serve_in_background(root: Path, host: str = "127.0.0.1", port: int = 0, timeout: float = CONNECTION_TIMEOUT):
    """Start a quiet server in a daemon thread (for tests); returns the server (call shutdown)."""
    server = make_server(root, host, port, quiet=True, timeout=timeout)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

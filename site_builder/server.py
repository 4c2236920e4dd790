"""Serve the BUILT site (not the sources) with correct MIME types and security headers.

`SiteRequestHandler` is a small subclass of the standard library's static file handler; headers
every response carries are added in `end_headers`, MIME types in `MIME_TYPES`; `send_head` serves
the precompressed copies the build wrote and sets the cache headers (`IMMUTABLE_PATHS`), and
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
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
}


# Precompressed siblings written by the build (site_builder/assets.py), best first.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))
# Files whose URL changes whenever their content does: browsers may keep them for a year.
# Everything else is revalidated on each use (no-cache), so a new build shows at once.
IMMUTABLE_PATHS = re.compile(
    r"^/(assets/pyodide/[^/]+/|assets/checker/[^/]+/|assets/javascripts/bundle\.[0-9a-f]+\.min\.js"
    r"|assets/stylesheets/[a-z]+\.[0-9a-f]+\.min\.css)"
)
LONG_CACHE = "public, max-age=31536000, immutable"


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

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def send_head(self):
        """Serve a file's precompressed copy when the client accepts it, with cache headers.
        Directories, redirects and errors stay with the standard library."""
        path = self.translate_path(self.path)
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        if os.path.isdir(path) and url_path.endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path) or path.endswith("/"):
            return super().send_head()
        served, coding = path, None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        has_copies = False
        for name, suffix in PRECOMPRESSED:
            if os.path.isfile(path + suffix):
                has_copies = True
                if coding is None and name in accepted:
                    served, coding = path + suffix, name
        try:
            f = open(served, "rb")
        except OSError:
            return super().send_head()
        stat = os.fstat(f.fileno())
        if self._not_modified(stat.st_mtime):
            f.close()
            self.send_response(304)
            self._send_cache_headers(url_path, has_copies)
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self._send_cache_headers(url_path, has_copies)
        self.end_headers()
        return f

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

    def handle_error(self, request, client_address) -> None:
        # Browsers drop connections all the time (navigation, cancelled downloads): not an error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(root: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False):
    """A threaded server for `root` (port 0 picks a free port: read `server.server_port`)."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} holds no built site; run `python -m site_builder build`")
    handler_class = QuietSiteRequestHandler if quiet else SiteRequestHandler
    handler = functools.partial(handler_class, directory=str(root))
    return SiteServer((host, port), handler)


def serve_in_background(root: Path, host: str = "127.0.0.1", port: int = 0):
    """Start a quiet server in a daemon thread (for tests); returns the server (call shutdown)."""
    server = make_server(root, host, port, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

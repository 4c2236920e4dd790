"""Serve the BUILT site (not the sources) with correct MIME types and security headers.

`SiteRequestHandler` is a small subclass of the standard library's static file handler; headers
every response carries are added in `end_headers`, MIME types in `MIME_TYPES`. To serve
precompressed files or add cache headers, override `send_head` / extend `end_headers` here.
"""

from __future__ import annotations

import functools
import http.server
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


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    quiet = False

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def make_server(root: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False):
    """A threaded server for `root` (port 0 picks a free port: read `server.server_port`)."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} holds no built site; run `python -m site_builder build`")
    handler = functools.partial(SiteRequestHandler, directory=str(root))
    handler.quiet = quiet  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_in_background(root: Path, host: str = "127.0.0.1", port: int = 0):
    """Start a quiet server in a daemon thread (for tests); returns the server (call shutdown)."""
    server = make_server(root, host, port, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

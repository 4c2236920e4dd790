"""`python -m site_builder serve`: the built files with the right MIME types and security headers."""

import urllib.request
from pathlib import Path

import pytest

from site_builder.server import (CONTENT_SECURITY_POLICY, LONG_CACHE, SiteRequestHandler, SiteServer,
                                 serve_in_background)

FILES = {
    "index.html": ("<!doctype html><p>首页</p>", "text/html"),
    "assets/x.wasm": (b"\0asm\1\0\0\0", "application/wasm"),
    "assets/x.mjs": ("export {}", "text/javascript"),
    "assets/x.js": ("1", "text/javascript"),
    "assets/x.json": ("{}", "application/json"),
    "assets/x-0.1-py3-none-any.whl": (b"PK", "application/zip"),
    "assets/x.svg": ("<svg/>", "image/svg+xml"),
    "site.webmanifest": ("{}", "application/manifest+json"),
    "404.html": ("<!doctype html><h1>404 - 页面不存在</h1>", "text/html"),
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    for path, (content, _) in FILES.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.write_bytes if isinstance(content, bytes) else target.write_text)(content)
    server = serve_in_background(root)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def get(url):
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.parametrize("path, mime", [(p, m) for p, (_, m) in FILES.items()])
def test_each_file_type_is_served_with_its_mime_type(tiny_site, path, mime):
    status, headers = get(tiny_site + path)
    assert status == 200
    assert headers.get_content_type() == mime


@pytest.mark.parametrize("path", ["", "assets/x.wasm", "no-such-page/"])
def test_every_response_carries_the_security_headers(tiny_site, path):
    _, headers = get(tiny_site + path)
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_policy_allows_only_the_sites_own_origin_and_wasm():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY


def test_serving_an_unbuilt_directory_is_a_clear_error(tmp_path):
    from site_builder.__main__ import main

    assert main(["serve", "--root", str(tmp_path), "--port", "0"]) == 1


def test_built_site_is_served_with_the_policy(site_url):
    status, headers = get(site_url + "education/")
    assert status == 200
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_missing_page_gets_the_sites_own_404_page(tiny_site):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(tiny_site + "no-such-page/")
    assert error.value.code == 404
    assert "页面不存在" in error.value.read().decode("utf-8")


def test_a_revalidation_of_an_unchanged_file_is_304_with_the_same_headers(tiny_site):
    _, headers = get(tiny_site + "assets/x.js")
    modified = headers["Last-Modified"]
    request = urllib.request.Request(tiny_site + "assets/x.js", headers={"If-Modified-Since": modified})
    status, revalidated = get(request)
    assert status == 304
    assert revalidated["Cache-Control"] == "no-cache"
    assert revalidated["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    # A copy older than the file is sent the file again.
    older = urllib.request.Request(
        tiny_site + "assets/x.js", headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}
    )
    assert get(older)[0] == 200


def raw_request(base, target, timeout=10):
    """Send a request line as given (urllib would quote or normalise it); return the status."""
    import http.client
    import urllib.parse

    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


@pytest.mark.parametrize("target", ["/index.html%00.png", "/index.html%00", "/a%0d%0ab", "/%ff%fe.html",
                                    "index.html"])
def test_a_malformed_path_is_a_bad_request(tiny_site, target):
    status, headers = raw_request(tiny_site, target)
    assert status == 400
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert raw_request(tiny_site, "/")[0] == 200  # and the server still serves


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory):
    """A site with a dotfile, a directory without index.html, symlinks out of and inside the root."""
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("secret")
    root = tmp_path_factory.mktemp("tricky")
    (root / "index.html").write_text("<p>首页</p>")
    (root / ".env").write_text("TOKEN=1")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]")
    (root / "assets" / "pyodide" / "0.1").mkdir(parents=True)
    (root / "assets" / "pyodide" / "0.1" / "pyodide.js").write_text("1")
    (root / "assets" / "pyodide" / "0.1" / "page.html").symlink_to(root / "index.html")
    (root / "data").mkdir()
    (root / "data" / "rules.csv").write_text("a,b\n")
    (root / "escape.txt").symlink_to(outside / "secret.txt")
    (root / "out").symlink_to(outside, target_is_directory=True)
    server = serve_in_background(root)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("target", ["/.env", "/.git/config", "/.git/", "/assets/", "/data/", "/escape.txt",
                                    "/out/secret.txt", "/assets/pyodide/0.1/%2e%2e/%2e%2e/%2e%2e/.env"])
def test_no_dotfiles_listings_or_symlinks_out_of_the_root(tricky_site, target):
    status, _ = raw_request(tricky_site, target)
    assert status == 404


def test_cache_headers_follow_the_resolved_path(tricky_site):
    """A link inside a versioned directory to a page is still the page: revalidated, not kept a year."""
    assert raw_request(tricky_site, "/assets/pyodide/0.1/page.html")[1]["Cache-Control"] == "no-cache"
    assert raw_request(tricky_site, "/assets//pyodide/0.1/pyodide.js")[1]["Cache-Control"] == LONG_CACHE


def test_csv_is_served_as_utf8_text(tricky_site):
    status, headers = raw_request(tricky_site, "/data/rules.csv")
    assert (status, headers["Content-Type"]) == (200, "text/csv; charset=utf-8")


def test_a_silent_connection_is_closed(tmp_path):
    """Per-connection timeout: a client that connects and sends nothing does not hold a thread forever."""
    import socket

    (tmp_path / "index.html").write_text("x")
    server = serve_in_background(tmp_path, timeout=0.5)
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
            assert sock.recv(1) == b""  # closed by the server, long before our own 10 s
    finally:
        server.shutdown()
        server.server_close()
    assert SiteRequestHandler.timeout and SiteRequestHandler.timeout <= 60


def test_a_client_that_pauses_reading_still_gets_the_whole_file(tmp_path):
    """The connection timeout bounds a silent request, not a download: Chrome holds back the body
    of a preloaded file (the 9.6 MB runtime) until the page asks for it."""
    import socket
    import time

    (tmp_path / "index.html").write_text("x")
    (tmp_path / "big.bin").write_bytes(b"x" * 4_000_000)
    server = serve_in_background(tmp_path, timeout=0.3)
    try:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # the server's writes block soon
            sock.settimeout(10)
            sock.connect(("127.0.0.1", server.server_port))
            sock.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
            time.sleep(1)  # longer than the timeout
            data = b""
            while chunk := sock.recv(1 << 16):
                data += chunk
    finally:
        server.shutdown()
        server.server_close()
    assert data.endswith(b"\r\n\r\n" + b"x" * 4_000_000)


def test_two_hundred_parallel_requests_are_all_answered(tiny_site):
    """The listen queue takes a burst of connections (the stdlib's 5 dropped some for 30 s)."""
    from concurrent.futures import ThreadPoolExecutor

    assert SiteServer.request_queue_size >= 128
    with ThreadPoolExecutor(200) as pool:
        statuses = list(pool.map(lambda _: raw_request(tiny_site, "/")[0], range(200)))
    assert statuses == [200] * 200


def test_the_server_says_it_is_a_preview_server(capsys):
    from site_builder.__main__ import main

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert "preview server" in capsys.readouterr().out.lower()
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert "**preview** server" in readme


def nginx_example() -> str:
    import re

    text = (Path(__file__).parent.parent / "DEPLOY.md").read_text("utf-8")
    return "\n".join(re.findall(r"```nginx\n(.*?)```", text, re.S))


def test_the_nginx_example_matches_this_server():
    """DEPLOY.md: one type per extension, the same types and charsets as MIME_TYPES, TLS with a
    redirect from HTTP and HSTS, and the http2 directive of nginx 1.25.1+."""
    import re

    from site_builder.server import MIME_TYPES

    conf = nginx_example()
    assert "include mime.types" not in conf  # its js and wasm entries duplicated the ones below
    types_block = re.search(r"\btypes \{(.*?)\}", conf, re.S).group(1)
    listed = [(ext, mime) for mime, *exts in (line.split("#")[0].rstrip(";").split()
                                              for line in types_block.strip().splitlines()) for ext in exts]
    extensions = [ext for ext, _ in listed]
    assert len(extensions) == len(set(extensions))
    assert dict(listed) == {ext.lstrip("."): mime.split(";")[0] for ext, mime in MIME_TYPES.items()}
    charset_types = set(re.search(r"charset_types ([^;]+);", conf).group(1).split())
    assert charset_types | {"text/html"} == {m.split(";")[0] for m in MIME_TYPES.values() if "charset=utf-8" in m}
    assert re.search(r"^\s*charset\s+utf-8;", conf, re.M)
    assert re.search(r"^\s*http2 on;", conf, re.M) and not re.search(r"listen[^;]*http2", conf)
    assert re.search(r"listen 80;.*?return 301 https://\$host\$request_uri;", conf, re.S)
    assert re.search(r"listen 443 ssl;", conf) and "ssl_certificate_key" in conf
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d+[^"]*" always;', conf)

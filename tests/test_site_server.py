"""`python -m site_builder serve`: the built files with the right MIME types and security headers."""

import urllib.request

import pytest

from site_builder.server import CONTENT_SECURITY_POLICY, serve_in_background

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

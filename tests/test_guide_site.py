"""The built site (site/): no broken internal link or anchor on any page; the open data is there."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

import checker.policy
from checker.citation import MEASURES
from site_builder.guide.common import criterion_tree


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "source") and attrs.get("src"):
            self.links.append(attrs["src"])


def _parse(path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site_dir, page_rel: PurePosixPath, href: str):
    """(file in site/, fragment) an internal link points to, or None for other hosts / schemes."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = page_rel.parent
    path = unquote(parts.path)
    if not path:
        return site_dir / page_rel, unquote(parts.fragment)
    # A root-relative path (the 404 page uses them) starts from the site's root.
    resolved = site_dir / path.lstrip("/") if path.startswith("/") else site_dir / base / path
    if path.endswith("/") or resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved.resolve(), unquote(parts.fragment)


def test_no_broken_internal_link_or_anchor(site_dir):
    pages = {p.resolve(): _parse(p) for p in site_dir.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        rel = PurePosixPath(page.relative_to(site_dir.resolve()).as_posix())
        for href in parsed.links:
            target = _target(site_dir.resolve(), rel, href)
            if target is None:
                continue
            file, fragment = target
            if not file.is_file():
                broken.append(f"{rel}: {href} (no such file)")
            elif fragment and file.suffix == ".html" and fragment not in pages[file].ids:
                broken.append(f"{rel}: {href} (no anchor #{fragment})")
    assert not broken, "\n".join(broken[:40])


def test_link_checker_reports_a_broken_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/#x">x</a><a href="a/#y">y</a><a href="b/">b</a>', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2>', encoding="utf-8")
    try:
        test_no_broken_internal_link_or_anchor(tmp_path)
    except AssertionError as error:
        assert "a/#y (no anchor #y)" in str(error) and "b/ (no such file)" in str(error)
        assert "a/#x" not in str(error)
    else:
        raise AssertionError("the link checker missed the broken links")


@pytest.mark.parametrize("measure", MEASURES)
def test_guide_links_every_line_to_its_article(site_dir, measure):
    """Each checklist line of a tiers page links to the article or item its criterion cites."""
    rules = checker.policy.load()["measures"][measure]
    parser = _parse(site_dir / "guide" / f"{measure}-tiers" / "index.html")
    linked = {h.split("#", 1)[1] for h in parser.links if f"/{measure}/#article-" in h}
    expected = {
        criterion["citation"]["anchor"]
        for programme in rules["programmes"]
        for entry in programme["tiers"]
        for cid in rules["tiers"][entry["tier"]]["criteria"] + entry["also"]
        for _, criterion in criterion_tree(rules, cid)
    }
    assert len(expected) > 10
    assert not expected - linked, sorted(expected - linked)


def test_open_data_is_in_the_built_site(site_dir):
    document = json.loads((site_dir / "data" / "rules.json").read_text(encoding="utf-8"))
    assert list(document["measures"]) == list(MEASURES)
    for name in ("rules.schema.json", "benefits.csv", "criteria.csv", "funding.csv", "questions.csv",
                 "universities.csv", "university_aliases.csv"):
        assert (site_dir / "data" / name).is_file(), name
    page = (site_dir / "guide" / "opendata" / "index.html").read_text(encoding="utf-8")
    assert document["version"] in page


class _ReaderText(HTMLParser):
    """What a reader sees or hears on a page: text outside scripts and styles, and the text
    attributes screen readers announce. Text inside <code> is kept apart (the open-data page
    names the files' fields, which are the data's own)."""

    SKIP = {"script", "style", "template"}
    SPOKEN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.skip = self.code = 0
        self.text: list[str] = []
        self.code_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in self.SKIP
        self.code += tag == "code"
        self.text += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag):
        self.skip -= tag in self.SKIP
        self.code -= tag == "code"

    def handle_data(self, data):
        if not self.skip:
            (self.code_text if self.code else self.text).append(data)


# Developer wording: code quotes, test cases, rule or question ids, file and version codes.
DEVELOPER_WORDING = re.compile(
    r"`|Python|pytest|tests?/|\.toml|\.py\b|测试用例|用例|\b[a-z]+_[a-z0-9_]+\b"
    r"|\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,}\b"
)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Latin words a reader meets as such: the browser setting the 自测 needs, and on the open-data
# page the names of the file formats it offers.
ALLOWED_WORDS = {"JavaScript"}
OPEN_DATA_WORDS = {"CSV", "JSON", "Schema", "UTF", "BOM"}


def reader_text(html: str) -> str:
    parser = _ReaderText()
    parser.feed(html)
    return " ".join(parser.text)


def test_no_developer_wording_on_any_public_page(site_dir):
    """No code quotes, test cases, ids, version codes or stray English on a page a reader sees."""
    problems = []
    for page in sorted(site_dir.rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        text = reader_text(page.read_text(encoding="utf-8"))
        allowed = ALLOWED_WORDS | (OPEN_DATA_WORDS if rel == "guide/opendata/index.html" else set())
        found = set(DEVELOPER_WORDING.findall(text)) | (set(LATIN_WORD.findall(text)) - allowed)
        if found:
            problems.append(f"{rel}: {sorted(found)[:8]}")
    assert not problems, "\n".join(problems)


def test_developer_wording_scan_is_not_vacuous():
    page = ('<p>金额见 `settling`（tests/cases/edu_a.toml），数据版本 bf6e1859334a</p>'
            '<script>const not_shown = 1</script><p title="Python 出错">x</p>')
    found = set(DEVELOPER_WORDING.findall(reader_text(page)))
    assert {"`", "tests/", ".toml", "edu_a", "bf6e1859334a", "Python"} <= found
    assert "not_shown" not in found

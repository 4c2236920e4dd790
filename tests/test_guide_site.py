"""The built site (site/): no broken internal link or anchor on any page; the open data is there."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

import checker.policy
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


@pytest.mark.parametrize("measure", ["education", "health"])
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
    assert set(document["measures"]) == {"education", "health"}
    for name in ("rules.schema.json", "benefits.csv", "criteria.csv", "funding.csv", "questions.csv",
                 "universities.csv", "university_aliases.csv"):
        assert (site_dir / "data" / name).is_file(), name
    page = (site_dir / "guide" / "opendata" / "index.html").read_text(encoding="utf-8")
    assert document["version"] in page

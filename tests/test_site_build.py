"""The built site (site/, from `python -m site_builder build`), read as files."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker.citation import MEASURE_SHORT_NAMES, MEASURES
from site_builder.build import BuildError, check_no_inline_scripts
from site_builder.search import SearchWorkerChanged, patch_search_worker, search_terms
from site_builder.text import load_measure

ROOT = Path(__file__).resolve().parent.parent


def squash(text: str) -> str:
    return "".join(text.split())


class PageText(HTMLParser):
    """Collects the text of `.hc-text` elements (the official text) and every id on a page."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # >0 while inside an .hc-text element
        self.skip = 0  # >0 while inside a permalink
        self.chunks: list[str] = []
        self.ids: list[str] = []
        self.toc_links: list[str] = []
        self.stylesheets: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        classes = (attrs.get("class") or "").split()
        if tag == "a" and "md-nav__link" in classes and (attrs.get("href") or "").startswith("#"):
            self.toc_links.append(attrs["href"][1:])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append((attrs["href"], attrs.get("media") or "all"))
        if self.depth:
            self.depth += 1
            if self.skip or "headerlink" in classes:
                self.skip += 1
        elif "hc-text" in classes:
            self.depth = 1
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if self.skip:
                self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.chunks.append(data)


def read_page(site_dir: Path, path: str) -> PageText:
    parser = PageText()
    parser.feed((site_dir / path / "index.html").read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("measure_id", MEASURES)
def test_text_in_the_built_page_equals_the_source(site_dir, measure_id):
    page = read_page(site_dir, measure_id)
    source = (ROOT / "policy" / f"{measure_id}.txt").read_text(encoding="utf-8")
    assert squash("".join(page.chunks)) == squash(source)


@pytest.mark.parametrize("measure_id", MEASURES)
def test_every_article_and_item_has_its_anchor_once_on_the_page(site_dir, measure_id):
    page = read_page(site_dir, measure_id)
    anchors = [node.anchor for node in load_measure(measure_id).nodes()]
    for anchor in anchors:
        assert page.ids.count(anchor) == 1, anchor
    assert len(page.ids) == len(set(page.ids)), "duplicate ids on the page"


@pytest.mark.parametrize("measure_id", MEASURES)
def test_table_of_contents_lists_chapters_and_articles(site_dir, measure_id):
    page = read_page(site_dir, measure_id)
    measure = load_measure(measure_id)
    expected = []
    for chapter in measure.chapters:
        expected.append(chapter.anchor)
        expected += [article.anchor for article in chapter.articles]
    # The TOC appears twice (in the drawer for phones and in the sidebar): same entries in each.
    links = [link for link in page.toc_links if link != "measure-title"]
    assert list(dict.fromkeys(links)) == expected


def test_each_article_is_its_own_search_section(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"]: doc for doc in index["docs"]}
    for measure_id in MEASURES:
        for article in load_measure(measure_id).articles:
            doc = locations[f"{measure_id}/#{article.anchor}"]
            # titled with its measure too (site_builder/search.py tag_article_sections)
            short = MEASURE_SHORT_NAMES[measure_id]
            assert doc["title"].replace("\u200b", "") == f"{article.heading}（{short}办法）"


def test_the_measures_terms_are_whole_tokens_in_the_search_index(site_dir):
    """jieba's user dictionary (site_builder/search_terms.txt) keeps every term in one piece."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    tokens = set()
    for doc in index["docs"]:
        for field in ("title", "text"):
            tokens.update(separator.split(re.sub(r"<[^>]+>", " ", doc[field])))
    source = "".join(squash(load_measure(m).plain_text()) for m in MEASURES)
    for term in search_terms():
        assert term in source, f"{term} is not in the text: drop it from search_terms.txt"
        assert term in tokens, f"{term} is split in the search index"


def test_search_worker_keeps_a_whole_token_query_whole(site_dir):
    (worker,) = (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    assert "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e" in worker.read_text(encoding="utf-8")


def test_search_worker_patch_applies_once_and_refuses_a_changed_worker(tmp_path):
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    worker = workers / "search.abc.min.js"
    worker.write_text("x;for(let o=s+1;o<t.length;o++)t.slice(s,o)in e;y", encoding="utf-8")
    patch_search_worker(tmp_path)
    patched = "x;for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e;y"
    assert worker.read_text(encoding="utf-8") == patched
    patch_search_worker(tmp_path)  # a rebuild that kept the patched file
    assert worker.read_text(encoding="utf-8") == patched
    worker.write_text("for(let o=s+1;o<t.length-1;o++)", encoding="utf-8")
    with pytest.raises(SearchWorkerChanged, match="segmenter changed"):
        patch_search_worker(tmp_path)
    worker.unlink()
    with pytest.raises(SearchWorkerChanged, match="expected one"):
        patch_search_worker(tmp_path)


def test_print_stylesheet_is_linked_for_print_only_and_hides_navigation(site_dir):
    page = read_page(site_dir, "education")
    print_sheets = [href for href, media in page.stylesheets if media == "print"]
    assert len(print_sheets) == 1
    css = (site_dir / "education" / print_sheets[0]).resolve().read_text(encoding="utf-8")
    for hidden in (".md-header", ".md-sidebar", ".md-footer", ".md-search"):
        assert hidden in css


def test_no_page_refers_to_another_host_for_scripts_styles_images_or_fonts(site_dir):
    # <link rel="canonical"> names the public address (site_url) but fetches nothing.
    fetching = re.compile(r"""<(?:script|img|source|iframe|link(?![^>]*rel="canonical"))\b[^>]*"""
                          r"""\b(?:src|href)=["']?(?:https?:)?//""")
    for html in site_dir.rglob("*.html"):
        assert not fetching.search(html.read_text(encoding="utf-8")), html


def test_built_site_has_no_inline_scripts(site_dir):
    check_no_inline_scripts(site_dir)


def test_inline_script_check_catches_inline_scripts_and_handlers(tmp_path):
    (tmp_path / "a.html").write_text('<p>ok</p><script type="application/json">{}</script>')
    check_no_inline_scripts(tmp_path)
    (tmp_path / "b.html").write_text("<script>alert(1)</script>")
    (tmp_path / "c.html").write_text('<button onclick="x()">x</button>')
    with pytest.raises(BuildError, match="b.html:1.*c.html:1"):
        check_no_inline_scripts(tmp_path)


def test_home_page_links_every_text(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{m}/"' in html for m in MEASURES)


def test_the_site_name_and_description_name_every_measure():
    """mkdocs.yml's site_name and site_description are the deployer's words: a new measure must be
    added to them by hand, and this names the one left out."""
    from site_builder import siteconfig

    config = siteconfig.load()
    for short in MEASURE_SHORT_NAMES.values():
        assert short in config["site_name"] and short in config["site_description"], short

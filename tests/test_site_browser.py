"""The built site in Chromium, served by the project's own server with its CSP: no request to any
other host, no CSP violation or console error, anchors open their article, Chinese search finds
the measures' terms, phone width without sideways scrolling, a clean print view."""

import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from checker.citation import MEASURES, Citation
from checker.measures import DESCRIPTIONS
from site_builder.text import lookup

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "test-results"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def site_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, as a path relative to the site root ("" is the home page)."""
    pages = sorted(str(p.parent.relative_to(site_dir)) for p in site_dir.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in pages if not p.startswith("assets")]


def test_the_site_has_the_home_page_and_both_texts(site_dir):
    assert {"", *(f"{m}/" for m in MEASURES)} <= set(site_pages(site_dir))


def test_every_page_loads_without_offsite_requests_or_errors(
    site_dir, site_url, page, offsite_requests, console_errors
):
    for path in site_pages(site_dir) + ["404.html"]:
        page.goto(site_url + path, wait_until="networkidle")
        # Open search too: it starts a worker that loads more scripts (the 自测 has none).
        if path not in ("404.html", "selfcheck/"):
            page.locator("input.md-search__input").click()
            page.locator("input.md-search__input").fill("人才")
            page.wait_for_load_state("networkidle")
    assert offsite_requests == []
    assert console_errors == []


def test_the_selfcheck_page_has_no_search_and_loads_none(site_url, page):
    # Its index and worker would share a weak network's bandwidth with the checker's runtime.
    page.set_viewport_size({"width": 390, "height": 844})  # the phone width, where the button shows
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "selfcheck/", wait_until="networkidle")
    assert page.locator(".md-search").count() == 0
    expect(page.locator('.md-header__button[for="__search"]')).to_be_hidden()
    assert not [url for url in requested if "/search" in url or "/lunr/" in url], requested
    # Other pages keep it, button and all.
    page.goto(site_url + "education/")
    expect(page.locator('.md-header__button[for="__search"]')).to_be_visible()


@pytest.mark.parametrize(
    "anchor",
    ["education/#article-8", "education/#article-8-1", "education/#article-4-a",
     "education/#article-12-2-1-2", "health/#article-5-1-1-3", "health/#article-26"],
)
def test_an_anchor_link_opens_its_article_or_item(site_url, page, anchor):
    page.goto(site_url + anchor)
    target = page.locator("#" + anchor.split("#")[1])
    expect(target).to_be_in_viewport()
    # Not hidden under the sticky header.
    header_bottom = page.locator(".md-header").bounding_box()["height"]
    assert target.bounding_box()["y"] >= header_bottom - 1


def search(page, site_url, query: str) -> list[str]:
    """Type a query in the site's search box; return the result links in ranked order."""
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    links = page.locator(".md-search-result__list a.md-search-result__link")
    deadline = time.monotonic() + 30  # generous: the machine running the suite may be busy
    while time.monotonic() < deadline:  # the index loads in a worker: retype until it answers
        box.fill(query)
        box.press("End")  # Material reacts to key events, not to fill() alone
        page.wait_for_timeout(300)
        if links.count():
            page.wait_for_timeout(200)  # let the list finish rendering
            break
    return links.evaluate_all("links => links.map(a => a.getAttribute('href'))")


def section_hits(hrefs: list[str]) -> list[str]:
    """Result links to a section of a page, as "education/#article-8", best first. (A page's
    own entry, without a fragment, heads each group of results and is left out.)"""
    hits = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.fragment:
            hit = f"{parts.path.strip('/')}/#{parts.fragment}"
            if hit not in hits:
                hits.append(hit)
    return hits


# The queries: each expected article among the first five hits, for both measures.
QUERIES = [
    ("安家补助", ["education/#article-8", "health/#article-9"]),
    ("柔性引进", ["education/#article-9", "health/#article-10"]),
    ("定向帮扶", ["education/#article-17", "health/#article-18"]),
    ("硕士研究生导师", ["health/#article-5"]),
    ("一级教师", ["education/#article-12"]),
    ("追回", ["education/#article-20", "health/#article-21"]),
    # Terms jieba's default dictionary splits, and the query segmenter used to cut short.
    ("一事一议", ["education/#article-10", "health/#article-11"]),
    ("人才培养基地", ["education/#article-16", "health/#article-17"]),
    ("生活资助", ["education/#article-8", "health/#article-9"]),
]


@pytest.mark.parametrize("query, expected", QUERIES)
def test_search_finds_the_article_in_the_first_five_and_opens_it(
    site_url, page, console_errors, query, expected
):
    hits = section_hits(search(page, site_url, query))
    top = hits[:5]
    for hit in expected:
        assert hit in top, f"{query}: {hit} not in the first five {top}"
    # The articles come first, before any page that explains them ...
    articles = [hit for hit in hits if "#article-" in hit]
    assert hits[: len(articles)] == articles, f"{query}: articles not first in {hits}"
    # ... and each holds the term itself (no match on scattered characters).
    for hit in articles:
        measure_id, anchor = hit.split("/#")
        node = lookup(Citation.parse(measure_id, anchor.removeprefix("article-").replace("-", ".")))
        assert query in "".join(node.lines()), f"{query}: the text of {hit} lacks the term"

    # The first expected hit's link opens that article.
    link = page.locator(".md-search-result__list a.md-search-result__link").filter(
        has=page.locator("article")
    ).and_(page.locator(f'[href*="#{expected[0].split("#")[1]}"]')).first
    if not link.is_visible():  # sections beyond the first of a page sit in a <details>
        link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()
    fragment = expected[0].split("#")[1]
    page.wait_for_url(f"**#{fragment}")
    assert unquote(urlsplit(page.url).path).strip("/") == expected[0].split("/#")[0]
    expect(page.locator("#" + fragment)).to_be_in_viewport()
    assert console_errors == []


# Several words, one naming the measure: that measure's article comes first (the search index titles
# each article with its measure, site_builder/search.py).
MULTI_WORD_QUERIES = [
    ("卫生 拔尖人才 条件", "health/#article-13"),
    ("教育 青年骨干 条件", "education/#article-12"),
    ("卫生 安家补助", "health/#article-9"),
]


@pytest.mark.parametrize("query, expected", MULTI_WORD_QUERIES)
def test_a_multi_word_query_ranks_the_named_measures_article_first(site_url, page, query, expected):
    hits = section_hits(search(page, site_url, query))
    assert hits[:1] == [expected], f"{query}: {hits[:5]}"


def test_the_selfcheck_search_entry_is_its_introduction_not_the_no_script_notice(site_dir):
    import json

    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(doc for doc in index["docs"] if doc["location"] == "selfcheck/")
    text = entry["text"].replace("\u200b", "")
    assert "JavaScript" not in text and "启用" not in text and "正在准备" not in text
    import checker

    labels = [q["label"] for q in checker.questions()]
    assert text.startswith("<p>") and not [label for label in labels if label in text]


# Elements sticking out past the phone's width, except inside a box of the content that scrolls
# or clips on its own (Material wraps wide tables in one: the table scrolls, not the page).
OVERFLOWING = """(els, width) => els.filter(e => {
  if (e.getBoundingClientRect().right <= width + 1) return false
  for (let a = e.parentElement; a && !a.classList.contains("md-content"); a = a.parentElement)
    if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return false
  return true
}).map(e => e.tagName + "#" + e.id + "." + e.className)"""


def test_phone_width_has_no_sideways_scrolling_on_any_page(site_dir, site_url, new_page):
    page = new_page(**PHONE)
    phone_width = PHONE["viewport"]["width"]
    RESULTS_DIR.mkdir(exist_ok=True)
    for path in site_pages(site_dir):
        page.goto(site_url + path, wait_until="networkidle")
        name = (path.strip("/").replace("/", "-") or "home") + "-390px.png"
        page.screenshot(path=str(RESULTS_DIR / name), full_page=path in ("", "education/"))
        # A mobile browser widens its layout viewport to fit content that is too wide.
        width = page.evaluate("[innerWidth, document.documentElement.scrollWidth]")
        assert max(width) <= phone_width, f"/{path} is {max(width)} px wide at {phone_width} px"
        overflowing = page.locator(".md-content *").evaluate_all(OVERFLOWING, phone_width)
        assert overflowing == [], f"/{path}"


def test_phone_menu_opens_the_navigation(site_url, new_page):
    page = new_page(**PHONE)
    page.goto(site_url + "education/")
    page.locator("label.md-header__button[for=__drawer]").click()
    for about in DESCRIPTIONS.values():  # each text's entry (the open page's: its label first, then a link)
        expect(page.locator(".md-nav--primary").get_by_text(about["nav"]["text"]).first).to_be_visible()


def test_print_view_shows_the_text_without_navigation(site_url, page):
    page.goto(site_url + "education/")
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator("#article-25")).to_be_visible()
    pdf = page.pdf(format="A4")  # Chromium's own print path renders the page
    assert pdf.startswith(b"%PDF")

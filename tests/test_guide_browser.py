"""Every page of the built site in Chromium: axe-core (from its npm package) finds no serious or
critical violation, on a 390 px phone and on a desktop; at phone width nothing overflows
horizontally and wide tables become cards; the campus poster's QR code, drawn in the browser,
decodes to the address it was served from; the home page's entries open the 自测 with their
preset; the benefit tables and the campus poster print (the poster on exactly one A4 sheet)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from checker.citation import MEASURES
from checker.measures import DESCRIPTIONS

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "test-results"
PHONE = {"width": 390, "height": 844}


def _pages(site_dir: Path) -> list[str]:
    """Site-root-relative URL of every HTML page (directory URLs for index.html)."""
    urls = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        urls.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run scripts/setup (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_every_page_has_no_serious_accessibility_violation(site_dir, site_url, new_page, axe_source, offsite_requests,
                                                            width):
    """At 390 px too: a table that only scrolls on a phone must not be a scroll box the keyboard
    cannot reach (axe scrollable-region-focusable)."""
    page = new_page(viewport={"width": width, "height": 844})
    problems = []
    for url in _pages(site_dir):
        page.goto(site_url + url)  # "load": page scripts (tables as cards) have run; the 自测's
        # runtime downloads go on in the background and are not waited for
        page.evaluate(axe_source)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
        )
        problems += [f"{url}: {v}" for v in violations]
    assert not problems, f"at {width} px:\n" + "\n".join(problems)
    assert not offsite_requests


def test_no_page_overflows_a_phone_screen(site_dir, site_url, new_page):
    phone = new_page(viewport=PHONE, is_mobile=True, device_scale_factor=2)
    wide = []
    for url in _pages(site_dir):
        phone.goto(site_url + url)
        # Open every folded block: the literate view must fit too.
        phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{url}: {width}px")
    assert not wide, "pages wider than the phone: " + ", ".join(wide)


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_campus_poster_prints_on_one_a4_sheet_with_its_qr_code(site_url, page):
    page.goto(site_url + "guide/campus/")
    page.locator(".hc-qr-box[data-hc-qr-drawn]").wait_for(state="attached")  # drawn in the browser
    page.emulate_media(media="print")
    assert page.locator(".hc-poster svg.hc-qr").is_visible()
    assert all(p.is_visible() for p in page.locator(".hc-poster p").all())
    assert not page.locator(".hc-noprint").first.is_visible()
    assert not page.locator(".md-header").is_visible()
    qr = page.locator(".hc-poster svg.hc-qr").bounding_box()
    assert qr["width"] >= 150  # about 40 mm or more: scannable from a booth table
    assert _pdf_pages(page.pdf(format="A4", print_background=True)) == 1


@pytest.mark.parametrize("measure", MEASURES)
def test_benefit_tables_print_whole(site_url, page, measure):
    page.set_viewport_size({"width": 700, "height": 1000})  # about an A4 sheet's printable width
    page.goto(site_url + f"guide/{measure}-benefits/")
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert all(p.is_visible() for p in page.locator(".hc-guide > p").all())
    tables = page.locator(".hc-table table")
    assert tables.count() >= 4
    for i in range(tables.count()):
        box = tables.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 700, f"table {i} is cut off in print"
    assert _pdf_pages(page.pdf(format="A4")) >= 1


def test_wide_tables_become_cards_on_a_phone_and_stay_tables_on_a_desktop(site_url, new_page):
    phone = new_page(viewport=PHONE, is_mobile=True)
    phone.goto(site_url + "guide/health-benefits/", wait_until="networkidle")
    table = phone.locator(".hc-table table").first
    expect(table).to_have_attribute("data-hc-cards", "")
    cell = table.locator("tbody tr").first.locator("td").nth(1)
    assert cell.get_attribute("data-label") == "个人每年约（税前）"
    assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= PHONE["width"]
    RESULTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(RESULTS / "guide-health-benefits-cards-390px.png"))
    desktop = new_page(viewport={"width": 1280, "height": 800})
    desktop.goto(site_url + "guide/health-benefits/", wait_until="networkidle")
    assert desktop.locator(".hc-table table").first.get_attribute("data-hc-cards") is None


def _decode_qr(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_campus_poster_qr_code_opens_the_graduate_path_where_it_was_served(site_url, new_page, console_errors):
    """A graduate scans the poster: the code is drawn from the page's own address, so it decodes
    to the origin and path the poster was served from (never the placeholder of mkdocs.yml)."""
    phone = new_page(viewport=PHONE, is_mobile=True, device_scale_factor=2)
    phone.goto(site_url + "guide/campus/", wait_until="networkidle")
    box = phone.locator(".hc-qr-box[data-hc-qr-drawn]")
    expect(box).to_be_attached()
    svg = box.locator("svg.hc-qr")
    assert _decode_qr(svg.screenshot()) == [site_url + "selfcheck/?path=graduate"]
    expect(box.locator(".hc-url")).to_have_text(site_url + "selfcheck/?path=graduate")
    RESULTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(RESULTS / "campus-qr-390px.png"), full_page=True)
    # The scanned link opens the 自测 with the graduate path chosen.
    phone.goto(_decode_qr(svg.screenshot())[0])
    expect(phone.locator('input[name="situation"][value="graduate"]')).to_be_checked()
    assert console_errors == []


@pytest.mark.parametrize("entry, field, value", [
    *((f"我是{d['person']}", "measure", m) for m, d in DESCRIPTIONS.items()),
    ("我是应届毕业生", "situation", "graduate"),
])
def test_home_page_entry_opens_the_selfcheck_with_its_path_preset(site_url, new_page, entry, field, value):
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(site_url)
    link = phone.locator("a.hc-start__entry", has_text=entry)
    box = link.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    link.tap()
    expect(phone.locator(f'input[name="{field}"][value="{value}"]')).to_be_checked()
    if entry == "我是教师":
        RESULTS.mkdir(exist_ok=True)
        phone.goto(site_url)
        phone.screenshot(path=str(RESULTS / "home-390px-entries.png"))


def test_a_link_to_a_tier_opens_its_fold(site_url, new_page):
    phone = new_page(viewport=PHONE, is_mobile=True)
    phone.goto(site_url + "guide/health-tiers/")
    folds = phone.locator("details.hc-tier")
    assert folds.count() >= 7 and all(not f.get_attribute("open") for f in folds.all()[:3])
    phone.goto(site_url + "guide/health-tiers/#introduction-c")
    expect(phone.locator("details#introduction-c")).to_have_attribute("open", "")
    expect(phone.locator("details#introduction-c li").first).to_be_in_viewport()


def test_the_table_of_contents_marks_the_section_in_view(site_url, page):
    page.goto(site_url + "guide/health-benefits/")
    page.evaluate("document.getElementById('who-pays').scrollIntoView()")  # heading at the top
    page.mouse.wheel(0, 10)
    active = page.locator(".md-sidebar--secondary .md-nav__link--active")
    expect(active).to_have_count(1)
    expect(active).to_have_attribute("href", re.compile("#who-pays$"))


@pytest.mark.parametrize("anchor", ["health/#article-9", "education/#article-12"])
def test_a_link_to_an_article_marks_that_article_in_the_table_of_contents(site_url, page, anchor):
    page.goto(site_url + anchor, wait_until="networkidle")
    active = page.locator(".md-sidebar--secondary .md-nav__link--active")
    expect(active).to_have_attribute("href", "#" + anchor.split("#")[1])


def test_the_literate_block_under_an_article_is_folded_and_quiet(site_url, new_page):
    phone = new_page(viewport=PHONE, is_mobile=True)
    phone.goto(site_url + "health/")
    blocks = phone.locator("details.hc-literate")
    assert blocks.count() > 10
    assert blocks.evaluate_all("bs => bs.filter(b => b.open).length") == 0
    summary = blocks.first.locator("summary")
    text_size = phone.locator(".hc-article p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    summary_style = summary.evaluate("e => [parseFloat(getComputedStyle(e).fontSize), getComputedStyle(e).fontWeight]")
    assert summary_style[0] < text_size and int(summary_style[1]) < 600
    assert summary.bounding_box()["height"] >= 24  # still easy to tap open

"""Every page of the built site in Chromium: axe-core (from its npm package) finds no serious or
critical violation; at phone width (390 px) nothing overflows horizontally; the benefit tables
and the campus poster print (the poster on exactly one A4 sheet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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


def test_every_page_has_no_serious_accessibility_violation(site_dir, site_url, page, axe_source, offsite_requests):
    problems = []
    for url in _pages(site_dir):
        page.goto(site_url + url)
        page.evaluate(axe_source)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
        )
        problems += [f"{url}: {v}" for v in violations]
    assert not problems, "\n".join(problems)
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
    page.emulate_media(media="print")
    assert page.locator(".hc-poster svg.hc-qr").is_visible()
    assert all(p.is_visible() for p in page.locator(".hc-poster p").all())
    assert not page.locator(".hc-noprint").first.is_visible()
    assert not page.locator(".md-header").is_visible()
    qr = page.locator(".hc-poster svg.hc-qr").bounding_box()
    assert qr["width"] >= 150  # about 40 mm or more: scannable from a booth table
    assert _pdf_pages(page.pdf(format="A4", print_background=True)) == 1


@pytest.mark.parametrize("measure", ["education", "health"])
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

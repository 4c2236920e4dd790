"""The 自测 page in Chromium, against the built site served by the project's own server (with its
CSP): the form filled like a person would, the result compared with what the CPython checker
returns for the same answers, share links, printing, offline use, privacy and failures."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

import checker
from checker.api import handle_json

ROOT = Path(__file__).resolve().parent.parent
PROFILES = json.loads((ROOT / "tests" / "pyodide" / "selfcheck_profiles.json").read_text(encoding="utf-8"))
PROFILE_NAMES = sorted(PROFILES.keys() - {"_comment"})
QUESTIONS = checker.questions()
READY_MS = 60_000  # generous: two cores shared with other engineers


def cpython_result(profile: dict) -> dict:
    response = json.loads(handle_json(json.dumps({"profile": profile}, ensure_ascii=False)))
    assert response["ok"], response
    return response["result"]


def open_selfcheck(page, site_url, query=""):
    page.goto(site_url + "selfcheck/" + query)
    page.locator("#hc-selfcheck[data-form=usable]").wait_for(state="attached")


def fill_form(page, profile: dict):
    """Answer in form order, as a person would; every answered question must be on screen."""
    for question in QUESTIONS:
        qid = question["id"]
        if qid not in profile or profile[qid] is None:
            continue
        box = page.locator(f'.hc-q[data-qid="{qid}"]')
        assert box.is_visible(), f"{qid} should be shown for this profile"
        value = profile[qid]
        kind = question["type"]
        if kind == "bool":
            page.check(f"#hc-{qid}-{0 if value else 1}")
        elif kind in ("choice", "multi"):
            values = [c["value"] for c in question["choices"]]
            for wanted in value if kind == "multi" else [value]:
                page.check(f"#hc-{qid}-{values.index(wanted)}")
        else:
            page.fill(f"#hc-{qid}", str(value))


def submit_and_wait(page):
    page.click(".hc-submit")
    page.locator(".hc-result[data-state=done]").wait_for(state="attached", timeout=READY_MS)


def amount(text: str) -> float:
    return float(re.sub(r"[^\d.]", "", text))


def assert_shows(page, site_url, result: dict):
    """What the page shows equals the CPython result: verdicts, tiers, findings, citations, money."""
    area = page.locator(".hc-result")
    assert result["disclaimer"]["text"] in area.locator(".hc-disclaimer").inner_text()
    for programme in result["programmes"]:
        box = area.locator(f'.hc-programme[data-programme="{programme["id"]}"]')
        # text_content: programmes that do not apply are folded away (but present).
        assert box.locator("h3 .hc-verdict").text_content() == programme["verdict_label"]
        assert box.locator(".hc-tier").text_content() == (programme["highest_tier_name"] or "未达到任何层次")
        for tier in programme["tiers"]:
            assert box.locator(f'.hc-tiers tr[data-tier="{tier["id"]}"] .hc-verdict').text_content() == tier["verdict_label"]
        findings = box.locator(":scope > .hc-findings > .hc-finding")
        assert findings.count() == len(programme["findings"])
        for n, finding in enumerate(programme["findings"]):
            shown = findings.nth(n)
            assert shown.get_attribute("data-verdict") == finding["verdict"]
            assert finding["label"] in shown.text_content()
            link = shown.locator("a.hc-cite")
            assert link.get_attribute("href") == site_url + finding["citation"]["url"]
    money = result["money"]
    if money is None:
        assert area.locator(".hc-money").count() == 0
        return
    assert amount(area.locator('.hc-totals tr[data-total="total"] td').inner_text()) == money["totals"]["total"]
    years = area.locator(".hc-yearly tbody tr")
    assert years.count() == len(money["yearly"])
    for n, year in enumerate(money["yearly"]):
        assert amount(years.nth(n).locator(".hc-year-total").inner_text()) == year["total"]
    if money["yearly"]:
        assert area.locator("svg.hc-chart rect.hc-bar").count() == len(money["yearly"])


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_filled_form_shows_what_cpython_returns(page, site_url, offsite_requests, console_errors, name):
    profile = PROFILES[name]["profile"]
    result = cpython_result(profile)
    expect = PROFILES[name]["expect"]  # the profile means what its name says
    (programme,) = [p for p in result["programmes"] if p["id"] == expect["programme"]]
    assert programme["highest_tier"] == expect["highest_tier"]

    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url, r.post_data)))
    open_selfcheck(page, site_url)
    fill_form(page, profile)
    submit_and_wait(page)
    assert_shows(page, site_url, result)
    assert page.locator("#hc-selfcheck").get_attribute("data-state") == "ready"

    assert offsite_requests == [] and console_errors == []
    # No answer leaves the page: only GETs of site files, none carrying an answer.
    personal = {q["id"] for q in QUESTIONS if q["type"] in ("date", "text")}
    answers = [profile[qid] for qid in personal if qid in profile]
    for method, url, body in requests:
        assert method == "GET" and body is None, url
        assert urlsplit(url).query == "", url
        assert not any(a in unquote(url) or quote(a) in url for a in answers), url


def test_submission_before_ready_is_answered_once_ready(page, site_url):
    held = []
    page.route("**/checker.whl", lambda route: held.append(route))  # hold the checker back
    open_selfcheck(page, site_url)
    profile = PROFILES["education_d_graduate"]["profile"]
    fill_form(page, profile)
    page.click(".hc-submit")
    assert page.locator("#hc-selfcheck").get_attribute("data-state") == "loading"
    assert "加载完成后会立即给出结果" in page.locator(".hc-status").inner_text()
    page.wait_for_timeout(200)
    assert page.locator(".hc-result").get_attribute("data-state") == "pending"
    assert held, "the worker should be fetching the wheel"
    held[0].continue_()
    page.locator(".hc-result[data-state=done]").wait_for(state="attached", timeout=READY_MS)
    assert_shows(page, site_url, cpython_result(profile))


def test_skip_logic_and_graduate_path_preset(page, site_url):
    open_selfcheck(page, site_url, "?path=graduate")
    assert page.is_checked("#hc-situation-0")  # graduate
    assert not page.locator('.hc-q[data-qid="normal_major"]').is_visible()  # education only
    page.check("#hc-measure-0")
    assert page.locator('.hc-q[data-qid="normal_major"]').is_visible()
    assert not page.locator('.hc-q[data-qid="medical_school"]').is_visible()
    page.check("#hc-measure-1")
    assert page.locator('.hc-q[data-qid="medical_school"]').is_visible()
    assert not page.locator('.hc-q[data-qid="normal_major"]').is_visible()
    # A hidden question's inputs are disabled, so it is not part of the answers.
    assert page.locator("#hc-normal_major-0").is_disabled()


def test_share_link_restores_form_and_result_in_a_fresh_context(page, new_page, site_url):
    profile = PROFILES["health_b_two_achievements"]["profile"]
    open_selfcheck(page, site_url)
    fill_form(page, profile)
    submit_and_wait(page)
    link = page.locator(".hc-share").get_attribute("href")
    base, _, fragment = link.partition("#")
    assert base == site_url + "selfcheck/" and fragment.startswith("a=")
    first = page.locator(".hc-programme").all_text_contents()

    # Following the link on the same page (only the fragment changes) gives the same result.
    page.locator(".hc-result").evaluate("area => area.removeAttribute('data-paint-ms')")
    page.click(".hc-share")
    page.locator(".hc-result[data-paint-ms]").wait_for(state="attached", timeout=READY_MS)
    assert page.url == link
    assert page.locator(".hc-programme").all_text_contents() == first

    other = new_page()
    other.goto(link)
    other.locator(".hc-result[data-state=done]").wait_for(state="attached", timeout=READY_MS)
    assert other.locator(".hc-programme").all_text_contents() == first
    assert other.is_checked("#hc-health_b_achievements-0") and other.is_checked("#hc-health_b_achievements-1")
    assert other.input_value("#hc-birth_date") == profile["birth_date"]
    assert_shows(other, site_url, cpython_result(profile))


@pytest.mark.parametrize("name", ["education_young_backbone_in_district", "health_a_aged_56"])
def test_print_layout_is_one_page_with_date_and_policy_version(page, site_url, name):
    profile = PROFILES[name]["profile"]
    open_selfcheck(page, site_url)
    fill_form(page, profile)
    submit_and_wait(page)
    page.emulate_media(media="print")
    assert not page.locator(".hc-form").is_visible()
    assert not page.locator(".hc-share").is_visible()
    meta = page.locator(".hc-meta").inner_text()
    assert "评估日期" in meta and re.search(r"\d{4}-\d{2}-\d{2}", meta) and "政策版本" in meta
    assert page.locator(".hc-disclaimer").is_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_bad_input_gets_a_clear_chinese_message_on_the_field(page, site_url, console_errors):
    open_selfcheck(page, site_url)
    page.check("#hc-measure-1")
    page.check("#hc-situation-1")
    page.fill("#hc-years_director", "99")  # above the question's max
    submit_and_wait(page)
    expected = json.loads(handle_json(json.dumps({"profile": {
        "measure": "health", "situation": "recruit", "years_director": 99}})))
    assert expected["ok"] is False
    shown = page.locator(".hc-errors li").all_inner_texts()
    assert len(shown) == len(expected["errors"])
    for error, text in zip(expected["errors"], shown):
        assert error["message"] in text
    label = next(q["label"] for q in QUESTIONS if q["id"] == "years_director")
    assert any(label in text for text in shown)
    assert page.locator('.hc-q[data-qid="years_director"][data-invalid]').count() == 1
    assert console_errors == []


def test_text_pages_do_not_load_pyodide(page, site_url):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + "education/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "pyodide" in u or "checker.whl" in u or "selfcheck-worker" in u]


def test_download_failure_explains_and_keeps_the_answers(page, site_url, site_dir):
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    open_selfcheck(page, site_url)
    page.check("#hc-measure-1")
    page.check("#hc-situation-1")
    page.fill("#hc-birth_date", "1980-01-02")
    page.locator("#hc-selfcheck[data-state=error]").wait_for(state="attached", timeout=READY_MS)
    error = page.locator(".hc-error")
    assert error.is_visible() and "保留" in error.inner_text()
    hrefs = error.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert {site_url + "education/", site_url + "health/"} <= set(hrefs)
    assert any("tiers" in h for h in hrefs) and any("benefits" in h for h in hrefs)
    for href in hrefs:  # every fallback page exists in the built site
        assert (site_dir / href[len(site_url):] / "index.html").is_file(), href
    assert page.is_checked("#hc-measure-1") and page.input_value("#hc-birth_date") == "1980-01-02"


def test_broken_checker_package_gets_a_clear_message(page, site_url):
    page.route("**/checker.whl", lambda route: route.fulfill(status=200, body=b"not a wheel"))
    open_selfcheck(page, site_url)
    page.check("#hc-measure-0")
    page.locator("#hc-selfcheck[data-state=error]").wait_for(state="attached", timeout=READY_MS)
    assert "自测程序" in page.locator(".hc-error").inner_text()
    assert page.locator(".hc-error a").count() >= 2
    assert page.is_checked("#hc-measure-0")


def test_no_webassembly_gets_a_clear_message(new_page, site_url):
    page = new_page()
    page.add_init_script("delete globalThis.WebAssembly;")
    open_selfcheck(page, site_url)
    page.locator("#hc-selfcheck[data-state=error]").wait_for(state="attached")
    assert "WebAssembly" in page.locator(".hc-error").inner_text()


def test_offline_after_first_visit_still_answers(browser, site_url):
    # Own context without request interception (routing bypasses the service worker); off-site
    # requests are still recorded.
    context = browser.new_context()
    offsite = []
    context.on("request", lambda r: offsite.append(r.url) if not r.url.startswith(site_url) else None)
    try:
        page = context.new_page()
        open_selfcheck(page, site_url)
        page.locator("#hc-selfcheck[data-offline=ready]").wait_for(state="attached", timeout=READY_MS)
        context.set_offline(True)
        page.goto(site_url + "education/")  # the site too
        assert page.locator("h1").count() == 1
        profile = PROFILES["health_a_aged_56"]["profile"]
        open_selfcheck(page, site_url)
        fill_form(page, profile)
        submit_and_wait(page)
        assert_shows(page, site_url, cpython_result(profile))
        assert offsite == []
    finally:
        context.close()

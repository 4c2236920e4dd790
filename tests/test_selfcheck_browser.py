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
from checker.citation import MEASURES

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
    """Yuan as the checker writes them: "500元", "116万元" or "1.12万元"."""
    number = float(re.sub(r"[^\d.]", "", text))
    return round(number * 10000, 2) if "万元" in text else number


def applies(result: dict, programme: dict) -> bool:
    """The checker's summary says whether a programme applies to the chosen situation."""
    return next(p for p in result["summary"]["programmes"] if p["id"] == programme["id"])["applies"]


def assert_finding(shown, site_url, finding: dict):
    assert shown.get_attribute("data-verdict") == finding["verdict"]
    assert shown.get_attribute("data-criterion") == finding["criterion"]
    text = shown.text_content()
    for key in ("label", "verdict_label", "values", "reason"):
        if finding.get(key):
            assert finding[key] in text, (key, finding[key])
    assert shown.locator("a.hc-cite").get_attribute("href") == site_url + finding["citation"]["url"]


def assert_summary(page, site_url, result: dict):
    """The summary card shows the checker's summary: headline, each programme's status (不适用
    where it does not apply), the money lines, obligations, next tiers, the next step."""
    card = page.locator(".hc-result .hc-summary")
    assert card.is_visible()
    summary = result["summary"]
    assert card.locator(".hc-headline").inner_text().endswith(summary["headline"])
    lines = card.locator(".hc-summary-programme")
    assert lines.count() == len(summary["programmes"])
    for n, shown in enumerate(summary["programmes"]):
        line = lines.nth(n)
        assert line.get_attribute("data-programme") == shown["id"]
        assert shown["name"] in line.inner_text()
        assert line.locator(".hc-verdict").inner_text() == shown["status_label"]
        assert line.locator(".hc-summary-tier").get_attribute("data-tier") == (shown["tier"] or "")
    money = summary["money"]
    if money is None:
        assert card.locator(".hc-summary-amount").count() == 0
    else:
        shown = card.locator(".hc-per-year, .hc-money-lines").all_inner_texts()
        assert all(line in "".join(shown) for line in money["lines"])
        if money["per_year"] is not None:
            assert card.locator(".hc-summary-amount").inner_text() == money["lines"][0]
    if summary["obligations"]:
        assert summary["obligations"]["items"][0]["text"] in card.locator(".hc-obligations").inner_text()
    assert card.locator(".hc-next-tier").all_inner_texts() == [n["text"] for n in summary["next_tiers"]]
    link = card.locator("a.hc-next-link").get_attribute("href")
    assert link.startswith(site_url + f"guide/{result['measure']}-procedures/")
    assert result["disclaimer"]["text"] in card.locator(".hc-disclaimer").inner_text()
    # The card comes first: above the criterion-by-criterion detail.
    top = card.bounding_box()["y"]
    assert all(top < box.bounding_box()["y"] for box in page.locator(".hc-programme").all() if box.is_visible())


def assert_shows(page, site_url, result: dict):
    """What the page shows equals the CPython result: verdicts, tiers, every finding of every
    tier (folded or not), citations, money."""
    area = page.locator(".hc-result")
    assert result["disclaimer"]["text"] in area.locator(".hc-disclaimer").inner_text()
    for programme in result["programmes"]:
        box = area.locator(f'.hc-programme[data-programme="{programme["id"]}"]')
        # text_content: programmes that do not apply and tiers are folded away (but present).
        on_path = applies(result, programme)
        assert box.locator("h3 .hc-verdict").text_content() == (programme["verdict_label"] if on_path else "不适用")
        none = "未达到任何层次" if on_path else "不适用于所选情况"
        assert box.locator(".hc-tier").text_content() == (programme["highest_tier_name"] or none)
        details = box.locator("details.hc-tier-detail")
        assert details.count() == len(programme["tiers"])
        for n, tier in enumerate(programme["tiers"]):
            detail = details.nth(n)
            assert detail.get_attribute("data-tier") == tier["id"]
            assert detail.locator(":scope > summary .hc-verdict").text_content() == (
                tier["verdict_label"] if on_path else "不适用")
            findings = detail.locator(":scope > .hc-findings > .hc-finding")
            assert findings.count() == len(tier["findings"])
            for k, finding in enumerate(tier["findings"]):
                assert_finding(findings.nth(k), site_url, finding)
        # The deciding tier (the programme's findings) is the only one that may start open: it
        # does when a tier was reached on the chosen path; the others are folded.
        deciding = box.locator("details.hc-tier-detail[data-deciding]")
        assert deciding.count() == 1
        assert box.locator("details.hc-tier-detail[open]:not([data-deciding])").count() == 0
        assert (deciding.get_attribute("open") is not None) == (bool(programme["highest_tier"]) and on_path)
        findings = deciding.locator(":scope > .hc-findings > .hc-finding")
        assert findings.count() == len(programme["findings"])
        for n, finding in enumerate(programme["findings"]):
            assert_finding(findings.nth(n), site_url, finding)
    # The detail is of the money the summary speaks of: the firm money, or with no firm tier the
    # money after a favourable review.
    shown = result["summary"]["money"]
    if shown is None:
        assert area.locator(".hc-money").count() == 0
        return
    money = result["money"] if shown["firm"] else result["money_if_review"]
    assert amount(area.locator('.hc-totals tr[data-total="total"] td').inner_text()) == money["totals"]["total"]
    years = area.locator(".hc-yearly tbody tr")
    assert years.count() == len(money["yearly"])
    for n, year in enumerate(money["yearly"]):
        assert amount(years.nth(n).locator(".hc-year-total").inner_text()) == year["total"]
    assert area.locator("svg.hc-chart rect.hc-bar").count() == len(money["yearly"])


def assert_next_tier_is_visible(page, result: dict):
    """What the next tier takes (the checker's actions) is on screen without unfolding anything."""
    shown = page.locator(".hc-summary .hc-next-tier")
    assert shown.count() == len(result["summary"]["next_tiers"])
    for n, step in enumerate(result["summary"]["next_tiers"]):
        assert shown.nth(n).is_visible() and shown.nth(n).get_attribute("data-tier") == step["tier"]


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
    assert_summary(page, site_url, result)
    assert page.locator("#hc-selfcheck").get_attribute("data-state") == "ready"

    assert offsite_requests == [] and console_errors == []
    # No answer leaves the page: only GETs of site files, none carrying an answer.
    personal = {q["id"] for q in QUESTIONS if q["type"] in ("date", "text")}
    answers = [profile[qid] for qid in personal if qid in profile]
    for method, url, body in requests:
        assert method == "GET" and body is None, url
        assert urlsplit(url).query == "", url
        assert not any(a in unquote(url) or quote(a) in url for a in answers), url


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_phone_summary_card_matches_cpython(new_page, site_url, console_errors, name):
    """At 390 px the result opens on a summary card that says what the CPython checker says."""
    page = new_page(viewport={"width": 390, "height": 844})
    profile = PROFILES[name]["profile"]
    result = cpython_result(profile)
    open_selfcheck(page, site_url)
    fill_form(page, profile)
    submit_and_wait(page)
    assert_summary(page, site_url, result)
    assert_next_tier_is_visible(page, result)
    # The answer is on the first screen: the page scrolls to the result, whose heading, the
    # headline and the money per year sit between the header and the fold.
    header = page.locator(".md-header").bounding_box()
    heading = page.locator(".hc-result h2").bounding_box()
    assert heading["y"] >= header["y"] + header["height"] - 1
    first = page.locator(".hc-summary .hc-per-year, .hc-summary .hc-money-lines").first.bounding_box()
    assert first["y"] + first["height"] <= 844
    # Nothing wider than the phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert console_errors == []


def test_submission_before_ready_is_answered_once_ready(page, site_url):
    held, released = [], []
    # Hold the checker back (the page's preload and the worker's own request alike).
    page.route("**/checker.whl", lambda route: route.continue_() if released else held.append(route))
    open_selfcheck(page, site_url)
    profile = PROFILES["education_d_graduate"]["profile"]
    fill_form(page, profile)
    page.click(".hc-submit")
    assert page.locator("#hc-selfcheck").get_attribute("data-state") == "loading"
    assert page.locator(".hc-submit").inner_text() == "工具就绪后将自动给出结果"
    page.wait_for_timeout(200)
    assert page.locator(".hc-result").get_attribute("data-state") == "pending"
    assert held, "the worker should be fetching the wheel"
    released.append(True)
    for route in held:
        route.continue_()
    page.locator(".hc-result[data-state=done]").wait_for(state="attached", timeout=READY_MS)
    assert_shows(page, site_url, cpython_result(profile))


def test_skip_logic_and_graduate_path_preset(page, site_url):
    open_selfcheck(page, site_url, "?path=graduate")
    assert page.is_checked("#hc-situation-0")  # graduate
    assert not page.locator('.hc-q[data-qid="edu_normal_major"]').is_visible()  # education only
    page.check("#hc-measure-0")
    assert page.locator('.hc-q[data-qid="edu_normal_major"]').is_visible()
    assert not page.locator('.hc-q[data-qid="health_med_degree_level"]').is_visible()
    page.check("#hc-measure-1")
    assert page.locator('.hc-q[data-qid="health_med_degree_level"]').is_visible()
    assert not page.locator('.hc-q[data-qid="health_medical_school"]').is_visible()  # asked about a medical degree
    page.check("#hc-health_med_degree_level-3")
    assert page.locator('.hc-q[data-qid="health_medical_school"]').is_visible()
    assert not page.locator('.hc-q[data-qid="edu_normal_major"]').is_visible()
    # A hidden question's inputs are disabled, so it is not part of the answers.
    assert page.locator("#hc-edu_normal_major-0").is_disabled()


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
    choices = [c["value"] for c in next(q for q in QUESTIONS if q["id"] == "health_achievements")["choices"]]
    assert all(other.is_checked(f"#hc-health_achievements-{choices.index(v)}") for v in profile["health_achievements"])
    assert other.input_value("#hc-birth_date") == profile["birth_date"]
    assert_shows(other, site_url, cpython_result(profile))


@pytest.mark.parametrize("name", ["education_young_backbone_in_district", "health_a_aged_56"])
def test_print_layout_is_one_page_with_date_and_the_version_the_result_used(page, site_url, name):
    profile = PROFILES[name]["profile"]
    open_selfcheck(page, site_url)
    fill_form(page, profile)
    submit_and_wait(page)
    page.emulate_media(media="print")
    assert not page.locator(".hc-form").is_visible()
    assert not page.locator(".hc-copy").is_visible()  # nothing to click; the link prints as text
    meta = page.locator(".hc-meta").inner_text()
    provenance = cpython_result(profile)["provenance"]  # the text's and the rule data's version
    assert provenance["text"] in meta and provenance["text_checksum"] in meta and provenance["rules_checksum"] in meta
    assert page.locator(".hc-disclaimer").is_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_bad_input_gets_a_clear_chinese_message_on_the_field(page, site_url, console_errors):
    open_selfcheck(page, site_url)
    page.check("#hc-measure-1")
    page.check("#hc-situation-1")
    page.fill("#hc-health_years_director", "99")  # above the question's max
    submit_and_wait(page)
    expected = json.loads(handle_json(json.dumps({"profile": {
        "measure": "health", "situation": "recruit", "health_years_director": 99}})))
    assert expected["ok"] is False
    shown = page.locator(".hc-errors li").all_inner_texts()
    assert len(shown) == len(expected["errors"])
    for error, text in zip(expected["errors"], shown):
        assert error["message"] in text
    label = next(q["label"] for q in QUESTIONS if q["id"] == "health_years_director")
    assert any(label in text for text in shown)
    assert page.locator('.hc-q[data-qid="health_years_director"][data-invalid]').count() == 1
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
    assert {site_url + f"{m}/" for m in MEASURES} <= set(hrefs)
    assert any("tiers" in h for h in hrefs) and any("benefits" in h for h in hrefs)
    for href in hrefs:  # every fallback page exists in the built site
        assert (site_dir / href[len(site_url):] / "index.html").is_file(), href
    assert page.is_checked("#hc-measure-1") and page.input_value("#hc-birth_date") == "1980-01-02"


def test_broken_checker_package_gets_a_clear_message(page, site_url):
    page.route("**/checker.whl", lambda route: route.fulfill(status=200, body=b"not a wheel"))
    open_selfcheck(page, site_url)
    page.check("#hc-measure-0")
    page.locator("#hc-selfcheck[data-state=error]").wait_for(state="attached", timeout=READY_MS)
    assert "测算工具" in page.locator(".hc-error").inner_text()
    assert page.locator(".hc-error a").count() >= 2
    assert page.is_checked("#hc-measure-0")


def test_no_webassembly_gets_a_clear_message(new_page, site_url):
    page = new_page()
    page.add_init_script("delete globalThis.WebAssembly;")
    open_selfcheck(page, site_url)
    page.locator("#hc-selfcheck[data-state=error]").wait_for(state="attached")
    assert "浏览器版本较旧" in page.locator(".hc-error").inner_text()


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


@pytest.mark.parametrize("name", ["health_b_two_achievements", "qualifies_for_nothing"])
def test_phone_result_has_no_serious_accessibility_violation(new_page, site_url, name):
    """axe-core on the result at 390 px, every fold opened (contrast of badges, greyed lines …)."""
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.fail("node_modules/axe-core is missing: run scripts/setup (npm ci)")
    page = new_page(viewport={"width": 390, "height": 844})
    open_selfcheck(page, site_url)
    fill_form(page, PROFILES[name]["profile"])
    submit_and_wait(page)
    page.locator(".hc-result details").evaluate_all("folds => folds.forEach(d => (d.open = true))")
    page.evaluate(axe.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document.querySelector('.hc-result'), {resultTypes: ['violations']}))"
        ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => [v.id, v.nodes.map(n => n.target.join(' '))])")
    assert violations == []

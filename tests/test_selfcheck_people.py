"""The five people of issue 9 on a 390 px phone, each doing what they came for and checking
what they see: the plain-words summary the checker returns, 每年约, the obligations, 不适用,
the next-tier action, copying and printing the result, the stale marker, the queued submit.
Each leaves a screenshot in test-results/ for review."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from tests.test_selfcheck_browser import READY_MS, cpython_result
from tests.test_selfcheck_browser import open_selfcheck as open_form

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-results"
PHONE = {"width": 390, "height": 844}
AS_SHOWN = re.compile(r"\s+")


def summary_of(profile: dict) -> dict:
    return cpython_result(profile)["summary"]


def flat(text: str) -> str:
    return AS_SHOWN.sub("", text)


def phone(new_page, **options):
    return new_page(viewport=PHONE, **options)


def tick(page, qid: str, label: str):
    """Tap the choice of a question by the words on it, as a person does."""
    page.locator(f'.hc-q[data-qid="{qid}"] label.hc-choice', has_text=label).first.click()


def yes(page, qid: str, answer: bool = True):
    tick(page, qid, "是" if answer else "否")


def wait_result(page):
    page.locator(".hc-result[data-state=done]").wait_for(state="attached", timeout=READY_MS)


def shot(page, name: str, **options):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"people-{name}.png"), **options)


def assert_summary_shown(page, summary: dict):
    """The card says what the checker's summary says, first thing in the result."""
    card = page.locator(".hc-result .hc-summary")
    text = flat(card.inner_text())
    assert flat(summary["headline"]) in text
    for line in (summary["money"] or {}).get("lines", []):
        assert flat(line) in text, line
    if summary["obligations"]:
        assert flat(summary["obligations"]["text"].split("；")[0]) in text
    for step in summary["next_tiers"]:
        assert flat(step["text"]) in text
    for p in summary["programmes"]:
        line = card.locator(f'.hc-summary-programme[data-programme="{p["id"]}"] .hc-verdict')
        assert line.inner_text() == p["status_label"]
    # Plain words first: the card sits above the criterion-by-criterion trace.
    assert card.bounding_box()["y"] < page.locator(".hc-detail-title").bounding_box()["y"]


def test_teacher_from_another_district(new_page, site_url, console_errors):
    """市级骨干教师, 一级教师, 34, considering a move: 重庆市 counts as 省（市）级 (the form says
    so); C, money per year, obligations, the other programmes 不适用, what B would take."""
    page = phone(new_page)
    open_form(page, site_url, "?path=teacher")
    assert page.is_checked("#hc-measure-0")
    tick(page, "situation", "考虑调入合川")
    page.fill("#hc-birth_date", "1992-03-01")
    honours = page.locator('.hc-q[data-qid="edu_honours"]')
    assert "重庆市级的荣誉属于省（市）级" in honours.inner_text()
    tick(page, "edu_honours", "省（市）级骨干教师")
    yes(page, "service_commitment")
    # 一级教师 only matters for the training programme (in-district teachers): not asked here.
    assert not page.locator('.hc-q[data-qid="edu_teacher_title"]').is_visible()
    page.click(".hc-submit")
    wait_result(page)
    profile = {"measure": "education", "situation": "recruit", "birth_date": "1992-03-01",
               "edu_honours": ["provincial_backbone_teacher"], "service_commitment": True}
    summary = summary_of(profile)
    assert summary["main"]["tier"] == "c"
    assert_summary_shown(page, summary)
    card = page.locator(".hc-summary")
    assert card.locator(".hc-per-year").inner_text().startswith("每年约")
    assert "服务满5年" in card.locator(".hc-obligations").inner_text()
    off_path = [p for p in summary["programmes"] if not p["applies"]]
    assert off_path and card.locator('.hc-verdict[data-verdict="not_applicable"]').count() == len(off_path)
    assert card.locator('.hc-verdict[data-verdict="not_met"]').count() == 0
    assert "B类教育人才" in card.locator(".hc-next-tier").inner_text()
    # 不适用 is grey, not the red of 不符合.
    grey = card.locator('.hc-verdict[data-verdict="not_applicable"]').first.evaluate(
        "b => getComputedStyle(b).backgroundColor")
    assert grey == "rgb(224, 224, 224)"
    page.locator(".hc-summary").scroll_into_view_if_needed()
    shot(page, "teacher")
    assert console_errors == []


def test_senior_doctor_is_told_what_c_takes_and_no_campus_fair(new_page, site_url, console_errors):
    """副主任医师, full-time doctorate, 38: the next tier is an action with its value; the next
    step is not the graduates' 现场考核招聘."""
    page = phone(new_page)
    open_form(page, site_url, "?path=doctor")
    tick(page, "situation", "考虑调入合川")
    page.fill("#hc-birth_date", "1988-03-01")
    tick(page, "health_degree", "博士研究生")
    tick(page, "health_full_time_degree", "博士研究生")
    tick(page, "health_med_degree_level", "医学博士")
    yes(page, "health_med_degree_full_time")
    tick(page, "health_medical_school", "医学类院校")
    for qid in ("health_good_theory", "health_rich_clinical", "health_c_declaration", "service_commitment"):
        yes(page, qid)
    yes(page, "health_primary_care_shortage", False)
    tick(page, "health_title", "副高级")
    for qid, years in (("health_years_affiliated_hospital", 0), ("health_years_tertiary_hospital", 6),
                       ("health_years_deputy_director", 0), ("health_years_director", 0)):
        page.fill(f"#hc-{qid}", str(years))
    yes(page, "health_overseas_achievement", False)
    tick(page, "health_achievements", "省（市）级及以上科研项目课题主要参与人员")
    page.click(".hc-submit")
    wait_result(page)
    step = page.locator(".hc-summary .hc-next-tier")
    assert "还差2年" in step.inner_text() and "→ C类卫生人才" in step.inner_text()
    assert "安家补助多" in step.inner_text()
    assert "现场考核招聘" not in page.locator(".hc-summary").inner_text()
    shot(page, "doctor")
    assert console_errors == []


def test_graduate_from_the_poster_queued_submit(new_page, site_url, console_errors):
    """Opened from the poster's QR code (?path=graduate) on weak Wi-Fi: tapped 查看结果 before the
    tool was ready; the button says it will run, shows the progress, then the result comes by
    itself. The school type was left out: the split is shown for each type."""
    page = phone(new_page)
    held, released = [], []

    def hold(route):  # the tool is still loading (the preload and the worker both ask for it)
        if released:
            route.continue_()
        else:
            held.append(route)
    page.route("**/checker.whl", hold)
    open_form(page, site_url, "?path=graduate")
    tick(page, "measure", "教育")
    assert not page.locator('.hc-q[data-qid="birth_date"]').is_visible()  # D/E have no age limit
    assert page.locator('.hc-q[data-qid="edu_school_type"] .hc-optional').is_visible()
    tick(page, "edu_grad_level", "硕士研究生")
    yes(page, "edu_grad_full_time")
    page.fill("#hc-edu_university", "西南大学")
    yes(page, "edu_normal_major")
    yes(page, "edu_fresh_graduate")
    yes(page, "edu_excellent_graduate")
    yes(page, "service_commitment")
    page.click(".hc-submit")
    submit = page.locator(".hc-submit")
    assert submit.inner_text() == "工具就绪后将自动给出结果"
    queued = page.locator(".hc-queued")
    assert queued.is_visible() and queued.inner_text().startswith("正在准备测算工具")
    assert "Python" not in queued.inner_text() + page.locator(".hc-status").inner_text()
    shot(page, "graduate-queued")
    page.wait_for_timeout(300)
    assert held, "the worker should be fetching the checker"
    released.append(True)
    for route in held:
        route.continue_()
    wait_result(page)
    assert submit.inner_text() == "查看结果" and not queued.is_visible()
    profile = {"measure": "education", "situation": "graduate", "edu_university": "西南大学",
               "edu_grad_level": "master", "edu_grad_full_time": True, "edu_normal_major": True,
               "edu_fresh_graduate": True, "edu_excellent_graduate": True, "service_commitment": True}
    summary = summary_of(profile)
    assert_summary_shown(page, summary)
    assert page.locator(".hc-summary .hc-next").inner_text().startswith("下一步：现场考核招聘")
    options = page.locator(".hc-split-options li")
    assert options.count() == len(summary["money"]["split_options"]) > 1
    page.locator(".hc-summary").scroll_into_view_if_needed()
    shot(page, "graduate")
    assert console_errors == []


def fill_teacher(page, site_url):
    open_form(page, site_url, "?path=teacher")
    tick(page, "situation", "考虑调入合川")
    page.fill("#hc-birth_date", "1980-05-01")
    tick(page, "edu_honours", "省（市）级特级教师")
    yes(page, "service_commitment")
    tick(page, "edu_school_type", "义务教育")
    page.click(".hc-submit")
    wait_result(page)


def test_recruiter_prints_one_a4_page(new_page, site_url):
    """The printout: summary and obligations, the answers, site name, date, what it was computed
    from, the link as text (and as a QR code when the site ships the encoder), on one A4 page."""
    page = phone(new_page)
    fill_teacher(page, site_url)
    link = page.locator(".hc-share").get_attribute("href")
    page.emulate_media(media="print")
    result = page.locator(".hc-result")
    assert not page.locator(".hc-form").is_visible() and not page.locator(".hc-copy").is_visible()
    assert page.locator(".hc-summary .hc-headline").is_visible()
    assert "服务满5年" in page.locator(".hc-obligations").inner_text()
    answers = page.locator("section.hc-answers")
    assert answers.is_visible() and "省（市）级特级教师" in answers.inner_text()
    footer = page.locator(".hc-print-footer").inner_text()
    assert "合川区教育卫生人才政策" in footer and "打印日期" in footer and "计算依据" in footer
    assert re.search(r"计算依据：依据《.+》（文本校验码 [0-9a-f]{8}）；"
                     r"规则数据更新于 \d{4}-\d{2}-\d{2}（校验码 [0-9a-f]{8}）；评估日期 \d{4}-\d{2}-\d{2}。", footer)
    assert page.locator(".hc-link-text").is_visible() and link in page.locator(".hc-link-text").inner_text()
    if (ROOT / "web" / "qr.js").is_file():
        code = result.locator(".hc-result-qr svg")
        code.wait_for()
        assert code.get_attribute("data-url") == link
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    shot(page, "recruiter-print", full_page=True)


def test_someone_shares_a_result(new_page, site_url, console_errors):
    """复制链接 copies without reloading; changing an answer marks the result out of date; a
    broken link says so instead of showing a blank form."""
    page = phone(new_page, permissions=["clipboard-read", "clipboard-write"])
    fill_teacher(page, site_url)
    page.evaluate("window.hcSameDocument = true")
    link = page.locator(".hc-share").get_attribute("href")
    copy = page.locator(".hc-copy")
    assert copy.inner_text() == "复制链接"
    copy.click()
    page.locator(".hc-copy[data-done]").wait_for()  # the clipboard write is asynchronous
    assert copy.inner_text() == "已复制"
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.evaluate("window.hcSameDocument === true")  # no reload
    assert page.locator(".hc-stale").is_hidden()
    tick(page, "edu_school_type", "其他非义务教育阶段学校")
    stale = page.locator(".hc-stale")
    assert stale.is_visible() and "已过期" in stale.inner_text()
    shot(page, "share-stale")

    other = phone(new_page)
    open_form(other, site_url, "#a=eyJtZWFzdXJlIjoi")  # cut short when copied
    message = other.locator(".hc-error .hc-bad-link")
    assert message.is_visible() and "无法读取" in message.inner_text()
    shot(other, "share-bad-link")

    # A link from before a question was renamed (`degree`, now `health_degree`) restores what it
    # can, says how many answers it could not, and waits instead of showing a different result.
    old_answers = {"measure": "health", "situation": "recruit", "degree": "doctor", "health_title": "senior"}
    encoded = base64.urlsafe_b64encode(json.dumps(old_answers).encode()).decode().rstrip("=")
    part = phone(new_page)
    open_form(part, site_url, f"#a={encoded}")
    message = part.locator(".hc-error .hc-bad-link")
    assert message.is_visible() and "有 1 项回答无法恢复" in message.inner_text()
    assert part.locator("input[name=health_title][value=senior]").is_checked()
    part.locator("#hc-selfcheck[data-state=ready]").wait_for(state="attached", timeout=READY_MS)
    assert part.locator(".hc-result[data-state=done]").count() == 0
    assert console_errors == []

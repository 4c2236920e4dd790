"""Taps and typed fields to a verdict on the graduate path (the campus poster's ?path=graduate),
on a 390 px phone in Debian Chromium, against the built site; prints the figures.

A graduate answers only what the checker still needs: starting from the preset, the answers
added are those of criteria the checker reports as unanswered on the path's tiers, one question
at a time in form order, until no tier on the path is left 待补充. Those answers are then given on
the page as a person would (one tap per choice, one per ticked box, typed fields counted apart)
and the result must show a verdict. Target (issue 9): at most 8 taps, no typed field except the
university.

Usage: .venv/bin/python -m site_builder build && .venv/bin/python bench/selfcheck_taps.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import checker  # noqa: E402
from checker.policy import rules  # noqa: E402
from checker.questions import by_id  # noqa: E402
from site_builder.selfcheck import PRESETS  # noqa: E402
from site_builder.server import serve_in_background  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGET_TAPS = 8
# Two graduates from the poster, with everything they could answer; only what the checker
# needs is given.
GRADUATES = {
    "education": {"measure": "education", "edu_grad_level": "master", "edu_grad_full_time": True,
                  "edu_university": "西南大学", "edu_normal_major": True, "edu_fresh_graduate": True,
                  "edu_excellent_graduate": True,
                  "service_commitment": True, "birth_date": "2002-03-15", "edu_school_type": "compulsory",
                  "start_date": "2026-09-01"},
    "health": {"measure": "health", "birth_date": "2001-05-01", "health_full_time_degree": "master",
               "health_med_degree_level": "master", "health_med_degree_full_time": True,
               "health_medical_school": "medical",
               "health_primary_care_shortage": False, "health_good_theory": True, "health_rich_clinical": True,
               "health_title": "none", "service_commitment": True, "health_institution_urban_quality": False,
               "start_date": "2026-09-01"},
}


def _leaf_fields(measure_rules: dict, cid: str) -> list[str]:
    c = measure_rules["criteria"][cid]
    if c["op"] in ("all", "any"):
        return [f for child in c["of"] for f in _leaf_fields(measure_rules, child)]
    return [c["field"]] if "field" in c else []


def needed_answers(person: dict) -> dict:
    """The smallest profile, grown in form order, that leaves no tier of the path 待补充."""
    order = [q["id"] for q in checker.questions()]
    profile = {**PRESETS["graduate"], "measure": person["measure"]}
    measure_rules = rules(person["measure"])
    while True:
        result = checker.evaluate(profile).to_dict()
        on_path = {p["id"] for p in result["summary"]["programmes"] if p["applies"]}
        wanted = []
        for p in result["programmes"]:
            if p["id"] not in on_path:
                continue
            for tier in p["tiers"]:
                if any(f["verdict"] == "not_met"
                       and measure_rules["criteria"][f["criterion"]].get("field") == "situation"
                       for f in tier["findings"]):
                    continue  # a tier of another path (调入 A–C)
                for finding in tier["findings"]:
                    if finding["verdict"] == "unanswered":
                        wanted += [f for f in _leaf_fields(measure_rules, finding["criterion"])
                                   if f not in profile and f in person]
        if not wanted:
            return profile
        field = min(wanted, key=order.index)
        profile[field] = person[field]


def play(page, site_url: str, profile: dict) -> dict:
    """Give the answers on the page; count taps and typed fields; return the figures."""
    questions = by_id()
    page.goto(site_url + "selfcheck/?path=graduate")
    page.locator("#hc-selfcheck[data-form=usable]").wait_for(state="attached")
    taps, typed = 0, []
    for qid in [q["id"] for q in checker.questions()]:
        if qid not in profile or PRESETS["graduate"].get(qid) == profile[qid]:
            continue
        q = questions[qid]
        box = page.locator(f'.hc-q[data-qid="{qid}"]')
        if not box.is_visible():
            raise SystemExit(f"{qid} is needed but not on screen")
        value = profile[qid]
        if q["type"] == "bool":
            page.click(f"#hc-{qid}-{0 if value else 1}")
            taps += 1
        elif q["type"] in ("choice", "multi"):
            values = [c["value"] for c in q["choices"]]
            for v in value if q["type"] == "multi" else [value]:
                page.click(f"#hc-{qid}-{values.index(v)}")
                taps += 1
        else:
            page.fill(f"#hc-{qid}", str(value))
            typed.append(qid)
    page.click(".hc-submit")
    taps += 1
    page.locator(".hc-result[data-state=done]").wait_for(state="attached", timeout=120_000)
    headline = page.locator(".hc-summary .hc-headline").inner_text()
    return {"taps": taps, "typed": typed, "headline": headline}


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not (ROOT / "site" / "selfcheck" / "index.html").is_file():
        raise SystemExit("site/ is not built: run .venv/bin/python -m site_builder build")
    server = serve_in_background(ROOT / "site")
    site_url = f"http://127.0.0.1:{server.server_port}/"
    ok = True
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for measure, person in GRADUATES.items():
                profile = needed_answers(person)
                page = browser.new_page(viewport={"width": 390, "height": 844})
                figures = play(page, site_url, profile)
                page.close()
                extra_typed = [t for t in figures["typed"] if t != "edu_university"]
                meets = figures["taps"] <= TARGET_TAPS and not extra_typed and "还需补充" not in figures["headline"]
                ok &= meets
                print(f"graduate path, {measure}: {figures['taps']} taps, {len(figures['typed'])} typed field(s)"
                      f" ({'、'.join(by_id()[t]['label'] for t in figures['typed']) or '无'}) → {figures['headline']}"
                      f"  [target ≤ {TARGET_TAPS} taps, typed only the university: {'met' if meets else 'NOT met'}]")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"as of {dt.date.today().isoformat()}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The plain-words summary the checker returns (checker/summary.py): what a person reads first on
the page, the printout, the CLI text and the batch report. Amounts come from the rule data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

import checker
from checker.batch import report_row as summarise
from checker.batch import run_batch
from checker.policy import rules
from checker.summary import yuan_text

AS_OF = dt.date(2026, 6, 1)
PROFILES = json.loads((Path(__file__).parent / "pyodide" / "selfcheck_profiles.json").read_text("utf-8"))

# The five people of issue 9.
TEACHER = {"measure": "education", "situation": "recruit", "birth_date": "1992-03-01",
           "edu_honours": ["provincial_backbone_teacher"], "service_commitment": True}
DOCTOR = {"measure": "health", "situation": "recruit", "birth_date": "1988-03-01", "health_title": "deputy_senior",
          "health_degree": "doctor", "health_full_time_degree": "doctor",
          "health_med_degree_level": "doctor", "health_med_degree_full_time": True,
          "health_medical_school": "medical", "health_primary_care_shortage": False,
          "health_good_theory": True, "health_rich_clinical": True,
          "health_years_tertiary_hospital": 6, "health_years_deputy_director": 0,
          "health_years_director": 0, "health_years_affiliated_hospital": 0, "health_c_declaration": True,
          "health_achievements": ["project_participant"], "service_commitment": True}


def summary(profile: dict) -> dict:
    return checker.evaluate(profile, as_of=AS_OF).to_dict()["summary"]


def benefit(measure: str, benefit_id: str) -> dict:
    return next(b for b in rules(measure, AS_OF)["benefits"] if b["id"] == benefit_id)


@pytest.mark.parametrize("amount, text", [(11200, "1.12万元"), (500, "500元"), (100000, "10万元"),
                                          (1234567, "123.4567万元"), (0, "0元"), (None, "—")])
def test_one_amount_format_never_rounds(amount, text):
    assert yuan_text(amount) == text


def test_teacher_reads_tier_money_per_year_obligations_first():
    """A 市级骨干教师 recruit is C (edu art.4 C): per year = 安家补助 / 5 + 生活资助 × 12 (art.8)."""
    s = summary(TEACHER)
    assert s["headline"] == "您可能属于C类教育人才（符合）"
    assert s["main"]["tier"] == "c" and s["main"]["verdict"] == "met"
    settling, living = benefit("education", "settling"), benefit("education", "living")
    per_year = settling["amounts"]["c"] // settling["parts"] + living["amounts"]["c"] * 12
    assert s["money"]["per_year"] == per_year
    assert s["lines"][1] == f"每年约{yuan_text(per_year)}（税前）"
    # 教研资助 is applied for per project (art.8.2): never counted as the person's money.
    research = benefit("education", "research")["amounts"]["c"]
    assert s["money"]["personal_total"] == settling["amounts"]["c"] + living["amounts"]["c"] * 60
    assert s["money"]["project_total"] == research
    assert any("不是个人收入" in line and yuan_text(research) in line for line in s["money"]["lines"])


def test_obligations_are_one_line_with_their_articles():
    s = summary(TEACHER)
    text = s["obligations"]["text"]
    for part in ("服务满5年", "每年考核合格方兑现当年安家补助", "合同期未满调离的，待遇按规定取消或追回"):
        assert part in text
    articles = [i["citation"]["article"] for i in s["obligations"]["items"]]
    assert articles == sorted(articles) and {8, 20} <= set(articles)
    assert f"须知：{text}" in s["lines"]


def test_programmes_off_the_chosen_path_are_not_applicable_not_failed():
    lines = {p["id"]: p for p in summary(TEACHER)["programmes"]}
    assert lines["introduction"]["status_label"] == "符合"
    for pid in ("flexible", "training", "paired_support"):
        assert (lines[pid]["status"], lines[pid]["status_label"], lines[pid]["applies"]) == \
            ("not_applicable", "不适用", False)


def test_teacher_next_tier_is_b_with_its_extra_money():
    (step,) = summary(TEACHER)["next_tiers"]
    assert (step["from_tier"], step["tier"]) == ("c", "b")
    settling = benefit("education", "settling")["amounts"]
    more = settling["b"] - settling["c"]
    assert step["gain"][0] == {"benefit": "settling", "name": "安家补助", "difference": more, "per_month": False,
                               "project": False, "text": f"安家补助多{yuan_text(more)}"}
    assert f"→ B类教育人才，安家补助多{yuan_text(more)}" in step["text"]
    assert [g["project"] for g in step["gain"]] == sorted(g["project"] for g in step["gain"])  # person's money first


def test_senior_doctor_is_told_the_years_still_needed_and_not_sent_to_a_campus_fair():
    """副主任医师, full-time doctorate, 38, 6 years in a 三级医院: D on the recruit path; C needs 8
    years there and 主任1年 or 副主任2年 (health art.5 (三)1.(6)): the cheaper alternative is named."""
    s = summary(DOCTOR)
    assert s["main"]["tier"] == "d"
    (step,) = s["next_tiers"]
    assert step["tier"] == "c"
    assert [a["text"] for a in step["actions"]] == ["在国内三级医院从事专业工作8年以上（还差2年）",
                                                     "担任本专科主任1年以上（还差1年）"]
    settling = benefit("health", "settling")["amounts"]
    assert f"安家补助多{yuan_text(settling['c'] - settling['d'])}" in step["text"]
    assert s["next_step"]["procedure"] is None  # 现场考核招聘 is for graduates (health art.8)
    assert "现场考核招聘" not in "".join(s["lines"])


def test_graduate_next_step_is_the_campus_recruitment():
    s = summary(PROFILES["education_d_graduate"]["profile"])
    assert s["main"]["tier"] == "d"
    assert s["next_step"]["procedure"] == "现场考核招聘（D类、E类）"
    assert s["next_step"]["citation"]["article"] == 7


def test_a_teacher_with_no_honours_gets_an_answer_not_a_request_to_answer():
    """An empty list means "answered, none" (the form's 以上都没有): 不符合 with what C needs."""
    s = summary({**TEACHER, "edu_honours": []})
    assert s["headline"] == "按您的回答，暂未达到任何层次"
    (step,) = s["next_tiers"]
    assert step["tier"] == "c" and all(a["kind"] == "meet" for a in step["actions"])
    unanswered = summary({k: v for k, v in TEACHER.items() if k != "edu_honours"})
    assert unanswered["headline"].startswith("还需补充回答")
    assert unanswered["next_tiers"][0]["actions"][0]["text"].startswith("请回答：")


def test_flexible_money_is_per_month_worked():
    s = summary({"measure": "education", "situation": "flexible", "birth_date": "1980-01-01",
                 "edu_honours": ["provincial_special_teacher"]})
    amount = benefit("education", "flexible_living")["amounts"]["b"]
    assert s["money"]["per_year"] is None
    assert f"生活资助（柔性引进）每月{yuan_text(amount)}，按实际在合工作月数发放" in s["money"]["lines"]


def test_batch_report_and_summary_name_the_same_next_tier():
    """One rule, not two: the report row's "missing" is the summary's next-tier actions."""
    profile = PROFILES["qualifies_for_nothing"]["profile"]
    result = checker.evaluate(profile, as_of=AS_OF)
    (step,) = result.to_dict()["summary"]["next_tiers"]
    row = summarise(result)
    assert row["missing"] == "；".join(a["text"] for a in step["actions"])
    assert row["next_tier"] == step["text"]
    assert step["tier"] == "c"  # the tier needing fewest steps; the lower one on a tie


def test_batch_row_content_comes_from_the_summary(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    header = list(TEACHER)
    rows = io.StringIO()
    cells = [";".join(v) if isinstance(v, list) else str(v).lower() for v in TEACHER.values()]
    csv.writer(rows).writerows([header, cells])
    rows.seek(0)
    assert run_batch(rows, out, err, AS_OF) == (1, 0)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["next_tier"] == summary(TEACHER)["next_tiers"][0]["text"]


def test_items_still_needed_count_distinct_items_of_the_list_only():
    """Two answers that meet one item of health B's list (key project led, two projects
    completed: both B (1)) are one item, so B's 两项 still lacks one; the next-tier action says
    so, as the criterion's own explanation does (health art.5 (二)2.)."""
    profile = {**DOCTOR, "health_title": "senior", "birth_date": "1976-03-01", "health_b_declaration": True,
               "health_years_affiliated_hospital": 15, "health_years_tertiary_hospital": 15,
               "health_years_deputy_director": 2, "health_overseas_achievement": False,
               "health_achievements": ["key_project_leader", "two_projects_completed"]}
    (step,) = [s for s in summary(profile)["next_tiers"] if s["tier"] == "b"]
    criterion = rules("health")["criteria"]["b_achievements"]
    assert [a["text"] for a in step["actions"]] == [f"{criterion['label']}（还差{criterion['n'] - 1}项）"]

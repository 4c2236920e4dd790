"""Worked examples: typical people, rendered from the checker's own test cases (tests/cases/)
through `checker.evaluate`, so the page shows exactly what the checker answers."""

from __future__ import annotations

import datetime as dt
import tomllib
from html import escape
from pathlib import Path

import checker
from site_builder.guide.common import MEASURE_SHORT_NAMES, cite, yuan

PAGE = "guide/examples.md"
CASES = Path(__file__).resolve().parents[2] / "tests" / "cases"
# The typical people shown: file stem of tests/cases/ → who they are, in page order.
EXAMPLES = {
    "edu_d_moe_normal_master": "教育部直属师范大学师范专业的应届硕士毕业生",
    "edu_e_985_normal_major": "“985”高校师范专业的应届本科毕业生",
    "edu_c_backbone_teacher": "省级骨干教师，调入非义务教育阶段学校",
    "edu_training_young_age_40": "区内的一级教师，申报青年骨干",
    "health_a_two_achievements_b": "有两项业绩的副高级职称医生",
    "health_d_medical_doctor": "医学院校毕业的全日制医学博士",
    "health_e_age_36_review": "超过“原则上”年龄上限的医学硕士",
}


def _answer(question: dict, value) -> str:
    labels = {c["value"]: c["label"] for c in question.get("choices", [])}
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(labels.get(v, str(v)) for v in value) or "无"
    return labels.get(value, str(value))


def example_section(index: int, title: str, case: dict, questions: dict[str, dict]) -> list[str]:
    """One worked example; `questions` maps question id → question (labels of the answers)."""
    profile = case["profile"]
    as_of = dt.date.fromisoformat(case["as_of"])
    result = checker.evaluate(profile, as_of=as_of).to_dict()
    situation = _answer(questions["situation"], profile.get("situation"))
    out = [f"## 示例{index}：{escape(title)} {{: #example-{index} }}", "",
           f"{MEASURE_SHORT_NAMES[profile['measure']]}人才 · {escape(situation)} · 评估日期：{case['as_of']}", "", "<details class=\"note\"><summary>填写的情况</summary>", "", "<ul>"]
    for qid, value in profile.items():
        if qid in ("measure", "situation"):
            continue
        label = questions[qid]["label"].rstrip("？?")
        out.append(f"<li>{escape(label)}：{escape(_answer(questions[qid], value))}</li>")
    out += ["</ul>", "</details>", ""]
    for programme in result["programmes"]:
        if programme["verdict"] == "not_met" and programme["highest_tier"] is None:
            continue
        tier = programme["highest_tier_name"] or "—"
        out += [f"**{escape(programme['name'])}**：{programme['verdict_label']}（{escape(tier)}）", ""]
        for f in programme["findings"]:
            values = f"：{escape(f['values'])}" if f.get("values") else ""
            out.append(f"- {f['verdict_label']} · {escape(f['label'])}{values} {cite(f['citation'], PAGE)}")
        for b in programme["benefits"]:
            out.append(f"- 待遇 · {escape(b['name'])}：{escape(b['description'])} {cite(b['citation'], PAGE)}")
        out.append("")
    money = result.get("money")
    if money:
        totals = money["totals"]
        line = f"按规定标准合计 **{yuan(totals['total'])}**"
        if totals.get("employer") is not None:
            line += f"，其中用人单位承担{yuan(totals['employer'])}、区人才专项资金承担{yuan(totals['fund'])}"
        out += [line + "。", ""]
    return out


def examples_page() -> str:
    out = ["# 典型示例", "",
           "以下示例的结果由自测程序按同一份规则数据计算得出（以示例中的评估日期计算年龄）。"
           "“需评审”表示该项须由评审认定，自测无法判断。", ""]
    questions = {q["id"]: q for q in checker.questions()}
    for index, (stem, title) in enumerate(EXAMPLES.items(), start=1):
        case = tomllib.loads((CASES / f"{stem}.toml").read_text(encoding="utf-8"))
        out += example_section(index, title, case, questions)
    disclaimer = checker.evaluate({"measure": "education"}).to_dict()["disclaimer"]
    out += [f"*{escape(disclaimer['text'])}*", ""]
    return "\n".join(out)

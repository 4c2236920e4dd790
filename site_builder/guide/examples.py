"""Worked examples: typical people, rendered from the checker's own test cases (tests/cases/)
through `checker.evaluate`, so the page shows exactly what the checker answers."""

from __future__ import annotations

import datetime as dt
import tomllib
from html import escape
from pathlib import Path

import checker
from checker.citation import MEASURES
from site_builder.guide.common import MEASURE_SHORT_NAMES, cite, yuan

PAGE = "guide/examples.md"
CASES = Path(__file__).resolve().parents[2] / "tests" / "cases"


def worked_examples() -> list[dict]:
    """The cases that say they are a worked example (`example = "who they are"`), each as
    {"stem", "title", "case"}: which cases are shown is said by the cases, so renaming one
    does not break the page."""
    out = []
    for path in sorted(CASES.glob("*.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        if "example" in case:
            out.append({"stem": path.stem, "title": case["example"], "case": case})
    return out


def _answer(question: dict, value) -> str:
    labels = {c["value"]: c["label"] for c in question.get("choices", [])}
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(labels.get(v, str(v)) for v in value) or "无"
    return labels.get(value, str(value))


def _evaluate(case: dict) -> dict:
    return checker.evaluate(case["profile"], as_of=dt.date.fromisoformat(case["as_of"])).to_dict()


def _order(result: dict) -> tuple[int, int]:
    """Page order within a measure: the programme and tier the result names, in the data's order."""
    for i, programme in enumerate(result["programmes"]):
        if programme["highest_tier"]:
            return i, [t["id"] for t in programme["tiers"]].index(programme["highest_tier"])
    return len(result["programmes"]), 0


def example_section(index: int, title: str, case: dict, result: dict, questions: dict[str, dict]) -> list[str]:
    """One worked example; `questions` maps question id → question (labels of the answers)."""
    profile = case["profile"]
    situation = _answer(questions["situation"], profile.get("situation"))
    who = f"{MEASURE_SHORT_NAMES[profile['measure']]}人才 · {escape(situation)}"
    out = [f"### 示例{index}：{escape(title)} {{: #example-{index} }}", "",
           f"{who} · 评估日期：{case['as_of']}", "",
           "<details class=\"note\"><summary>填写的情况</summary>", "", "<ul>"]
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
    """The worked examples grouped by measure (every measure of MEASURES, in order), each group
    closed by its own measure's disclaimer."""
    out = ["# 典型示例", "",
           "以下示例的结果由自测程序按同一份规则数据计算得出（以示例中的评估日期计算年龄）。"
           "“需评审”表示该项须由评审认定，自测无法判断。", ""]
    questions = {q["id"]: q for q in checker.questions()}
    examples = [{**e, "result": _evaluate(e["case"])} for e in worked_examples()]
    index = 0
    for measure in MEASURES:
        shown = sorted((e for e in examples if e["result"]["measure"] == measure),
                       key=lambda e: (_order(e["result"]), e["stem"]))
        out += [f"## {MEASURE_SHORT_NAMES[measure]}人才 {{: #{measure} }}", ""]
        if not shown:
            out += ["暂无示例。", ""]
            continue
        for e in shown:
            index += 1
            out += example_section(index, e["title"], e["case"], e["result"], questions)
        out += [f"*{escape(shown[0]['result']['disclaimer']['text'])}*", ""]
    return "\n".join(out)

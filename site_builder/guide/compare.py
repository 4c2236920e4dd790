"""The measures side by side (a column each, in their order): amounts, age limits, programmes and
who pays."""

from __future__ import annotations

from html import escape

from checker.labels import count_numeral
from site_builder.guide.common import (KINDS, MEASURE_SHORT_NAMES, age_limit, cite, md_cell,
                                       short_label, tier_ids,
                                       income_text, tier_money)
from site_builder.guide.measure_pages import funding_table
from site_builder.measures import joined, role_programme

PAGE = "guide/compare.md"


def _tier_label(rules: dict, tier: str) -> str:
    """"A类教育人才" → "A类人才": the same row for every measure."""
    name = rules["tiers"][tier]["name"]
    for short in MEASURE_SHORT_NAMES.values():
        name = name.replace(short, "")
    return name


def _first_with(measures: dict, tier: str) -> dict:
    """The rules of the first measure that has the tier (its name labels the row)."""
    return next(r for r in measures.values() if tier in r["tiers"])


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ['<div class="hc-table" markdown>', "",
            "| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows), "", "</div>", ""]


def compare_page(data: dict) -> str:
    measures = data["measures"]
    head = ["类别", *(f"{MEASURE_SHORT_NAMES[m]}人才" for m in measures)]
    out = [f"# {joined((MEASURE_SHORT_NAMES[m] for m in measures), '与')}人才办法对照", "",
           f"{count_numeral(len(measures))}个办法结构相同，标准不同。下表逐项对照，每个数字后的链接直达对应条款。", ""]

    # Benefits present in either measure, in the order they first appear.
    benefit_ids = []
    for rules in measures.values():
        for b in rules["benefits"]:
            if b.get("amounts") and b["id"] not in benefit_ids:
                benefit_ids.append(b["id"])
    for bid in benefit_ids:
        entries = {m: next((b for b in r["benefits"] if b["id"] == bid), None) for m, r in measures.items()}
        names = "／".join(dict.fromkeys(e["name"] for e in entries.values() if e))
        first = next(e for e in entries.values() if e)
        monthly = KINDS[first["kind"]].per_month
        programme = next(p["name"] for r in measures.values() for p in r["programmes"] if p["id"] == first["programme"])
        programme = programme.split("（")[0]
        out += [f"## {programme}：{escape(names)}{'（每月）' if monthly else ''} {{: #{bid.replace('_', '-')} }}", ""]
        tiers = list(dict.fromkeys(t for m, r in measures.items() if entries[m]
                                   for t in tier_ids(r, first["programme"]) if t in entries[m]["amounts"]))
        rows = []
        for t in tiers:
            row = [_tier_label(_first_with(measures, t), t)]
            for m, e in entries.items():
                amount = e["amounts"].get(t) if e else None
                if amount is None:
                    row.append("—")
                else:
                    link = cite(e["citation"], PAGE, short_label(e["citation"]))
                    row.append(f"{KINDS[e['kind']].amount_text(amount)} {link}")
            rows.append(row)
        out += _table(head, rows)

    out += ["## 引进人才：个人每年约多少 {: #introduction-total }", "",
            "安家补助和生活资助按发放年限平均到每一年（税前）；教研（科研）资助按项目申请、经评审后拨付，"
            "不是个人收入，不计入（柔性引进、其他待遇也不计入）。", ""]
    recruiting = {m: role_programme(r, "introduction") for m, r in measures.items()}
    tiers = list(dict.fromkeys(t for m, r in measures.items() if recruiting[m]
                               for t in tier_ids(r, recruiting[m]["id"])))
    rows = []
    for t in tiers:
        row = [_tier_label(_first_with(measures, t), t)]
        for m, rules in measures.items():
            programme = recruiting[m]
            text = income_text(tier_money(rules, programme["id"], t)) if programme and t in rules["tiers"] else None
            row.append(text or "—")
        rows.append(row)
    out += _table(head, rows)

    out += ["## 年龄限制 {: #age }", ""]
    tiers = list(dict.fromkeys(t for r in measures.values() for t in r["tiers"]))
    rows = []
    for t in tiers:
        row = [_tier_label(_first_with(measures, t), t)]
        for rules in measures.values():
            limit = age_limit(rules, t) if t in rules["tiers"] else None
            row.append(f"{'原则上' if limit.get('principle') else ''}不超过{limit['limit']}周岁 "
                       f"{cite(limit['citation'], PAGE, short_label(limit['citation']))}" if limit else "未作规定")
        rows.append(row)
    out += _table(head, rows)

    out += ["## 引进培养项目 {: #programmes }", ""]
    programme_ids = list(dict.fromkeys(p["id"] for r in measures.values() for p in r["programmes"]))
    rows = []
    for pid in programme_ids:
        row = [next(p["name"] for r in measures.values() for p in r["programmes"] if p["id"] == pid)]
        for rules in measures.values():
            p = next((p for p in rules["programmes"] if p["id"] == pid), None)
            row.append(f"有 {cite(p['citation'], PAGE, short_label(p['citation']))}" if p else "无")
        rows.append(row)
    out += _table(["项目", *head[1:]], rows)

    out += ["## 谁来出资 {: #who-pays }", ""]
    for measure, rules in measures.items():
        out += [f"### {MEASURE_SHORT_NAMES[measure]}人才 {{: #who-pays-{measure} }}", "",
                '<div class="hc-table" markdown>', "", *funding_table(rules, PAGE), "", "</div>", ""]
    return "\n".join(out)

"""The guide pages of one measure: tiers (conditions as checklists), benefits (amounts, payment,
who pays, staying eligible) and procedures (diagrams + steps), all from the rule data and the
parsed text of the measure."""

from __future__ import annotations

from html import escape

from checker.benefit_kinds import KINDS
from checker.citation import Citation
from checker.operators import OPERATORS
from site_builder.guide.common import (MEASURE_SHORT_NAMES, badge, benefit_total, cite, cite_html,
                                       income_text, md_cell, months, per_month, programme_total,
                                       summable, tier_ids, tier_money, yuan)
from site_builder.guide.diagram import procedure_svg
from site_builder.measures import role_note
from site_builder.text import lookup
from site_builder.value_changes import value_changes

# Roles of notes (the [measure] table's notes) that belong to another section than the programme they name.
ELIGIBILITY_NOTES = ("annual_assessment", "benefits_end", "benefits_clawback")


def page_path(measure: str, topic: str) -> str:
    return f"guide/{measure}-{topic}.md"


def procedure_notes(rules: dict) -> list[dict]:
    """The notes that describe a procedure: the rule data gives its title and who goes through it."""
    return [n for n in rules["notes"] if "procedure" in n]


def tier_procedure(rules: dict, programme_id: str, tier: str) -> dict | None:
    """The procedure note a tier of a programme goes through, if the measure names one."""
    return next((n for n in procedure_notes(rules)
                 if programme_id in n["programmes"] and tier in n.get("tiers", ())), None)


def procedure_anchor(note_id: str) -> str:
    """The heading id of a procedure on the procedures page (the tiers page and 自测 link to it)."""
    return note_id.replace("_", "-")


def _choice_labels(questions: dict, field: str) -> dict:
    return {c["value"]: c["label"] for c in questions[field].get("choices", [])}


def criterion_lines(rules: dict, questions: dict, cid: str, page: str, depth: int = 0) -> list[str]:
    c = rules["criteria"][cid]
    op = OPERATORS[c["op"]]
    marks = []
    if c.get("principle"):
        marks.append(badge("原则上：超出需评审", "principle"))
    if op.guide_badge:
        marks.append(badge(*op.guide_badge))
    if c.get("declaration"):
        marks.append(badge("本人声明", "declaration"))
    hint = op.guide_hint
    indent = "    " * depth
    text = escape(c["label"]) + (f"（{hint}）" if hint else "")
    lines = [indent + "- " + " ".join([text, *marks, cite(c["citation"], page)])]
    for child in c.get("of", []):
        lines += criterion_lines(rules, questions, child, page, depth + 1)
    if op.lists_choices:
        labels = _choice_labels(questions, c["field"])
        review = set(c.get("review_values", []))
        values = c.get("values") or [v for v in labels if v not in review]
        for value in values:
            lines.append(f"{indent}    - {escape(labels[value])}")
        for value in c.get("review_values", []):
            lines.append(f"{indent}    - {escape(labels[value])} {badge('同等层次：需评审', 'review')}")
    return lines


def changes_note(measure: str) -> list[str]:
    """A page of figures shows those in force when the site was built; when the rule data dates a
    value (past or ahead), the page says so, with each change as the text's page words it."""
    changes = value_changes(measure)
    if not changes:
        return []
    return ['!!! note "数值变动"', "",
            "    本页列出建站时施行的数值。规则数据中的数值变动（自测按评估日期采用当日施行的数值）：", "",
            *(f"    - {line}" for line in changes), ""]


def tiers_page(measure: str, rules: dict, questions: dict) -> str:
    page = page_path(measure, "tiers")
    short = MEASURE_SHORT_NAMES[measure]
    out = [
        f"# {short}人才：类别与条件",
        "",
        f"下面按《{rules['name']}》列出每一类人才须具备的条件。每一行后面的链接直达办法原文的对应条款。"
        f"标有{badge('原则上：超出需评审', 'principle')}的条件是“原则上”的限制，超出时不一定不符合，需由评审认定；"
        f"标有{badge('需评审', 'review')}的条件（如“同等层次”）自测无法判断，由专家评审认定。",
        "",
        "想知道自己符合哪一类，请用[自测](../selfcheck.md)。",
        "",
        *changes_note(measure),
    ]
    for programme in rules["programmes"]:
        out += [f"## {programme['name']} {{: #{programme['id']} }}", "",
                f"依据：{cite(programme['citation'], page)}", ""]
        for entry in programme["tiers"]:
            # One fold per tier: a phone shows the list of tiers first (web: hc-page.js opens the
            # fold a link points into).
            tier = rules["tiers"][entry["tier"]]
            income = income_text(tier_money(rules, programme["id"], entry["tier"]))
            money = f'<span class="hc-tier__money">{escape(income)}</span>' if income else ""
            out += [f'<details class="hc-tier" id="{programme["id"]}-{entry["tier"]}" markdown>',
                    f'<summary><strong>{escape(tier["name"])}</strong>{money}</summary>', ""]
            for cid in tier["criteria"] + entry["also"]:
                out += criterion_lines(rules, questions, cid, page)
            out += ["", _tier_summary(measure, rules, programme["id"], entry["tier"]), "", "</details>", ""]
    return "\n".join(out)


def _tier_summary(measure: str, rules: dict, programme_id: str, tier: str) -> str:
    """One line under a tier's checklist: its money at a glance and where to read on."""
    parts = []
    money = tier_money(rules, programme_id, tier)
    income = income_text(money)
    if income:
        parts.append(f"**{income}**")
    if money.project:
        parts.append(f"另可申请项目资助{yuan(money.project)}（不是个人收入）")
    parts.append(f"[待遇详情]({page_path(measure, 'benefits').removeprefix('guide/')}#{programme_id})")
    procedure = tier_procedure(rules, programme_id, tier)
    if procedure:
        procedures = page_path(measure, "procedures").removeprefix("guide/")
        parts.append(f"[办理程序]({procedures}#{procedure_anchor(procedure['id'])})")
    return "> " + " · ".join(parts)


# --- benefits ------------------------------------------------------------------------------------

def benefit_table(rules: dict, programme_id: str, only: set[str] | None = None) -> list[str]:
    """Amounts per tier of one programme (or of the tiers in `only`): one column per benefit
    (+ the term total for monthly ones) and a total column when more than one benefit adds up."""
    entries = [b for b in rules["benefits"] if b["programme"] == programme_id and b.get("amounts")]
    tiers = [t for t in tier_ids(rules, programme_id)
             if any(t in b["amounts"] for b in entries) and (only is None or t in only)]
    if not entries or not tiers:
        return []
    # Income (paid to the person) is totalled apart from project funding, which is not income;
    # with the income columns, a monthly benefit's term total is in the personal total already.
    money = {t: tier_money(rules, programme_id, t) for t in tiers}
    per_year = any(m.per_year for m in money.values())
    years = {m.years for m in money.values() if m.years}
    term_totals = not per_year
    head = ["类别"]
    for b in entries:
        spec = KINDS[b["kind"]]
        if spec.per_month:
            head.append(f"{b['name']}（每月）")
            if not spec.by_time and term_totals:
                head.append(f"{b['name']}（{months(b)}个月合计）")
        else:
            head.append(b["name"])
    adds_up = not per_year and sum(1 for b in entries if summable(b)) > 1
    if adds_up:
        head.append("合计")
    if per_year:
        total_head = f"个人{years.pop()}年合计（税前）" if len(years) == 1 else "个人合计（税前）"
        head[1:1] = ["个人每年约（税前）", total_head]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in tiers:
        cells = [rules["tiers"][t]["name"]]
        for b in entries:
            amount = b["amounts"].get(t)
            spec = KINDS[b["kind"]]
            if spec.per_month:
                cells.append(per_month(amount) if amount is not None else "—")
                if not spec.by_time and term_totals:
                    cells.append(yuan(benefit_total(b, t)) if amount is not None else "—")
            else:
                cells.append(yuan(amount) if amount is not None else "—")
        if adds_up:
            cells.append(f"**{yuan(programme_total(rules, programme_id, t))}**")
        if per_year:
            m = money[t]
            cells[1:1] = [f"**{yuan(m.per_year)}**", yuan(m.income)] if m.per_year else ["—", "—"]
        rows.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    return rows


def funding_table(rules: dict, page: str) -> list[str]:
    rows = ["| 单位类型 | 适用于 | 用人单位承担 | 区人才专项资金承担 | 依据 |", "|---|---|---|---|---|"]
    programme_names = {p["id"]: p["name"] for p in rules["programmes"]}
    for f in rules["funding"]:
        kind = f["label"].split("：")[0]
        mark = "（原则上）" if f.get("principle") else ""
        rows.append("| " + " | ".join([
            md_cell(kind), md_cell("、".join(programme_names[p] for p in f["programmes"])),
            f"{f['employer_percent']}%{mark}", f"{f['fund_percent']}%{mark}", cite(f["citation"], page),
        ]) + " |")
    return rows


def _article(citation: dict):
    """The whole article a rule entry cites (its items are the steps or cases to list)."""
    return lookup(Citation(citation["measure"], citation["article"]))


def _items_list(citation: dict, page: str) -> list[str]:
    """The numbered items of an article of the text, each linked to its own anchor."""
    article = _article(citation)
    lines = []
    for item in article.items:
        anchor = {**citation, "anchor": item.anchor, "label": item.citation.label}
        lines.append(f"- {escape(item.text.rstrip('；;。'))} {cite(anchor, page, item.citation.label)}")
    return lines


def eligibility_section(rules: dict, page: str) -> list[str]:
    out = ["## 保持待遇资格 {: #eligibility }", ""]
    assessment, end, clawback = (role_note(rules, role) for role in ELIGIBILITY_NOTES)
    if assessment:
        out += ["### 年度考核 {: #annual-assessment }", "",
                f"{escape(assessment['text'])} {cite(assessment['citation'], page)}", ""]
    if end:
        out += ["### 不再享受待遇的情况 {: #benefits-end }", "",
                f"有下列情况之一的，不再作为引进人才或培养对象享受相应待遇（{cite(end['citation'], page)}）：", ""]
        out += _items_list(end["citation"], page) + [""]
    if clawback:
        out += ["### 取消或追回待遇的情形 {: #benefits-clawback }", "",
                "有下列情形之一的，按有关规定取消或追回已享受的物质待遇"
                f"（{cite(clawback['citation'], page)}）：", ""]
        out += _items_list(clawback["citation"], page) + [""]
    return out


def benefits_page(measure: str, rules: dict) -> str:
    page = page_path(measure, "benefits")
    short = MEASURE_SHORT_NAMES[measure]
    out = [
        f"# {short}人才：待遇、出资与资格保持",
        "",
        "下表中的金额均为办法规定的标准（安家补助为税前金额）。每一项后面的链接直达办法原文。",
        "本页可直接打印。",
        "",
        *changes_note(measure),
    ]
    skip = {n["id"] for n in procedure_notes(rules)} | {rules["description"]["notes"].get(r) for r in ELIGIBILITY_NOTES}
    for programme in rules["programmes"]:
        pid = programme["id"]
        out += [f"## {programme['name']} {{: #{pid} }}", "", f"依据：{cite(programme['citation'], page)}", ""]
        table = benefit_table(rules, pid)
        if table:
            out += ['<div class="hc-table" markdown>', "", *table, "", "</div>", ""]
        for b in (b for b in rules["benefits"] if b["programme"] == pid):
            extra = ""
            if not KINDS[b["kind"]].has_amount and b.get("tiers"):
                extra = "适用于" + "、".join(rules["tiers"][t]["name"] for t in b["tiers"]) + "："
            how_paid = escape(KINDS[b["kind"]].how_paid(b))
            out.append(f"- **{escape(b['name'])}**：{extra}{how_paid} {cite(b['citation'], page)}")
        for n in rules["notes"]:
            if pid not in n["programmes"] or n["id"] in skip:
                continue
            if n["scope"] == "programme" or n["programmes"][0] == pid:  # a shared note: once
                out.append(f"- {escape(n['text'])} {cite(n['citation'], page)}")
        out.append("")
    out += ["## 谁来出资 {: #who-pays }", "", "各项待遇所需资金按用人单位类型分担：", "",
            '<div class="hc-table" markdown>', "", *funding_table(rules, page), "", "</div>", ""]
    out += eligibility_section(rules, page)
    return "\n".join(out)


# --- procedures ----------------------------------------------------------------------------------

def procedure_steps(citation: dict) -> list[tuple[str, str, str]]:
    """(text, anchor, label) of each step: the article's items, or else the sentences of its text."""
    article = _article(citation)
    if article.items:
        return [(item.text, item.anchor, item.citation.label) for item in article.items]
    sentences = [s + "。" for s in article.text.split("。") if s.strip()]
    return [(s, article.anchor, article.citation.label) for s in sentences]


def procedures_page(measure: str, rules: dict) -> str:
    page = page_path(measure, "procedures")
    short = MEASURE_SHORT_NAMES[measure]
    out = [f"# {short}人才：办理程序", "", "每个程序先以流程图示意，再逐步列出办法原文的规定。", ""]
    for n in procedure_notes(rules):
        note_id, title = n["id"], n["procedure"]
        steps = procedure_steps(n["citation"])
        out += [f"## {title} {{: #{procedure_anchor(note_id)} }}", "",
                f"{escape(n['text'])} {cite(n['citation'], page)}", ""]
        svg = procedure_svg([text for text, _, _ in steps], f"{title}流程图")
        caption = f"<figcaption>{escape(title)}流程示意（文字步骤见下）</figcaption>"
        out += [f'<figure class="hc-figure">{svg}{caption}</figure>', ""]
        out.append('<ol class="hc-steps">')
        for text, anchor, label in steps:
            target = {**n["citation"], "anchor": anchor}
            out.append(f"<li>{escape(text)} {cite_html(target, page, label)}</li>")
        out += ["</ol>", ""]
    return "\n".join(out)

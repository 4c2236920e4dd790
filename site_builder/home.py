"""The home page: where to go. Entries into the 自测 (one per measure — teacher, doctor — from
its [measure] table, and the graduates'), each tier's money per year and over its schedule (from
the rule data), the measures with the bodies the text names and their 试行 status, links into the
guide, and the departments to ask — with an address or phone only where `mkdocs.yml`
`extra.contacts` sets one.

`home_markdown(data, settings)` takes (modified) rule data and settings, which is how the tests
prove that no figure and no contact detail is typed here.
"""

from __future__ import annotations

import re
from html import escape

import checker.policy
from checker.citation import Citation
from checker.labels import count_numeral
from site_builder import siteconfig
from site_builder.generated import GeneratedPage
from site_builder.guide.common import (KINDS, MEASURE_SHORT_NAMES, PROJECT_KINDS, cite, short_label,
                                       tier_ids, tier_money, yuan)
from site_builder.guide.measure_pages import page_path
from site_builder.measures import compare_title, joined, role_programme
from site_builder.selfcheck import GRADUATE_PRESET
from site_builder.text import load_measure

PAGE = "index.md"
CONTACT_FIELDS = {"address": "地址", "phone": "电话", "hours": "办公时间"}
TRIAL_MARK = "（试行）"
START_WORDS = "自发布之日起实施"
# Article 3 of each measure: "……由区委人才办统筹，区教委具体负责，……".
_BODIES = re.compile(r"由(?P<lead>[^，。]+)统筹，(?P<charge>[^，。]+)具体负责")


def _article_with(measure: str, words: str):
    """The first article of a measure whose text contains `words`."""
    return next(a for a in load_measure(measure).articles if words in a.text)


def _citation(article) -> dict:
    c: Citation = article.citation
    return {"measure": c.measure, "anchor": article.anchor, "label": c.label}


def bodies(measure: str) -> dict:
    """Who leads, who is in charge (the article naming them) and who interprets the measure."""
    article = _article_with(measure, "具体负责")
    match = _BODIES.search(article.text)
    return {"lead": match["lead"], "charge": match["charge"], "citation": _citation(article)}


def departments(data: dict) -> list[tuple[str, str]]:
    """(department, what the measures give it to do), each once: the lead body first."""
    out: dict[tuple[str, str], list[str]] = {}
    for measure in data["measures"]:
        b = bodies(measure)
        out.setdefault((b["lead"], "统筹"), []).append(MEASURE_SHORT_NAMES[measure])
        out.setdefault((b["charge"], "具体负责"), []).append(MEASURE_SHORT_NAMES[measure])
    return [(name, f"{verb}{'、'.join(shorts)}人才引进培养工作") for (name, verb), shorts in out.items()]


def money_table(rules: dict, programme_id: str) -> list[str]:
    """Per tier: income a year and over its schedule, and the project funding kept apart."""
    tiers = [t for t in tier_ids(rules, programme_id) if tier_money(rules, programme_id, t).income]
    if not tiers:
        return []
    money = {t: tier_money(rules, programme_id, t) for t in tiers}
    years = {m.years for m in money.values()}
    project_names = sorted({b["name"] for b in rules["benefits"]
                            if b["programme"] == programme_id and b["kind"] in PROJECT_KINDS})
    total_head = f"{years.pop()}年合计" if len(years) == 1 else "合计"
    head = ["类别", "每年约（税前）", total_head]
    if project_names:
        head.append(f"另可申请{'、'.join(project_names)}")
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in tiers:
        m = money[t]
        total = yuan(m.income) + ("" if total_head != "合计" else f"（{m.years}年）")
        cells = [rules["tiers"][t]["name"], f"**{yuan(m.per_year)}**", total]
        if project_names:
            cells.append(yuan(m.project) if m.project else "—")
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def entries(data: dict) -> list[tuple[str, str, str]]:
    """(preset of the 自测 it opens, title, who it is for): one per measure, then the graduates'."""
    about = [r["description"] for r in data["measures"].values()]
    persons = "、".join(d["person"] for d in about)
    return [*((d["preset"], f"我是{d['person']}", f"{d['short_name']}人才：看看您可能属于哪一类、可享受哪些待遇")
              for d in about),
            (GRADUATE_PRESET, "我是应届毕业生", f"应届毕业生：{persons}岗位都可以测")]


def _entries(data: dict) -> list[str]:
    out = ['<nav class="hc-start" aria-label="从这里开始" markdown>', ""]
    for preset, title, hint in entries(data):
        out.append(f"[**{title}**<br>{escape(hint)}](selfcheck.md?path={preset}){{: .hc-start__entry }}")
        out.append("")
    out += ["</nav>", ""]
    return out


def _money_section(data: dict) -> list[str]:
    out = ["## 待遇一览 {: #money }", ""]
    for measure, rules in data["measures"].items():
        short = MEASURE_SHORT_NAMES[measure]
        programme = role_programme(rules, "introduction")
        if programme is None:
            continue
        out += [f"### 引进{short}人才 {{: #money-{measure} }}", ""]
        out += ['<div class="hc-table" markdown>', "", *money_table(rules, programme["id"]), "", "</div>", ""]
        own = [b for b in rules["benefits"] if b["programme"] == programme["id"]]
        recurring = [b["name"] for b in own if KINDS[b["kind"]].recurring]  # what 每年约 averages
        project = [b["name"] for b in own if b["kind"] in PROJECT_KINDS]
        notes = [f"每年约：{joined(recurring, '与')}按发放年限平均到每一年"] if recurring else []
        if project:
            notes.append(f"{'、'.join(project)}按项目申请、经评审后拨付，不是个人收入")
        out += [f"{'；'.join(notes)}。依据：{cite(programme['citation'], PAGE)}。"
                f"[{short}人才待遇详情]({page_path(measure, 'benefits')})", ""]
    return out


def _cite_short(citation: dict) -> str:
    """（第三条） linked to the article: the measure is already named in the sentence."""
    return cite(citation, PAGE, f"（{short_label(citation)}）")


def _measures_section(data: dict) -> list[str]:
    out = [f"## {count_numeral(len(data['measures']))}项办法 {{: #measures }}", ""]
    for measure, rules in data["measures"].items():
        b = bodies(measure)
        interpret = rules["disclaimer"]
        start = _article_with(measure, START_WORDS)
        trial = "试行办法；" if TRIAL_MARK in rules["name"] else ""
        out.append(
            f"- **《{rules['name']}》**（[全文]({measure}.md)）：{trial}"
            f"由{b['lead']}统筹、{b['charge']}具体负责{_cite_short(b['citation'])}，"
            f"由{interpret['interpreters']}负责解释{_cite_short(interpret['citation'])}；"
            f"{START_WORDS}{_cite_short(_citation(start))}。"
        )
    out.append("")
    return out


def _guide_section(data: dict) -> list[str]:
    out = ["## 政策指南 {: #guide }", "",
           "不读条文也能看懂：[政策指南](guide/index.md)按类别列出条件、待遇和办理程序。", ""]
    for measure in data["measures"]:
        short = MEASURE_SHORT_NAMES[measure]
        out.append(f"- {short}人才：[类别与条件]({page_path(measure, 'tiers')}) · "
                   f"[待遇]({page_path(measure, 'benefits')}) · [办理程序]({page_path(measure, 'procedures')})")
    out += [f"- [{compare_title()}](guide/compare.md) · [典型示例](guide/examples.md) · "
            "[术语与常见问题](guide/glossary.md) · [校园招聘](guide/campus.md)", "",
            f"页面右上角的搜索框可以检索{count_numeral(len(data['measures']))}项办法的全文，"
            "例如输入“安家补助”“柔性引进”“青年骨干”。", ""]
    return out


def _contact_section(data: dict, settings: dict) -> list[str]:
    contacts = settings.get("contacts") or {}
    out = ["## 咨询 {: #contact }", "", "办法规定的负责部门：", ""]
    for name, role in departments(data):
        details = siteconfig.filled(contacts.get(name), tuple(CONTACT_FIELDS))
        line = f"- **{escape(name)}**：{role}"
        if details:
            line += "。" + "；".join(f"{CONTACT_FIELDS[k]}：{escape(v)}" for k, v in details.items())
        out.append(line)
    out.append("")
    return out


def home_markdown(data: dict | None = None, settings: dict | None = None) -> str:
    data = data if data is not None else checker.policy.load()
    settings = settings if settings is not None else siteconfig.extra()
    interpreters = [r["disclaimer"] for r in data["measures"].values()]
    about = [r["description"] for r in data["measures"].values()]
    shorts = [d["short_name"] for d in about]
    count = count_numeral(len(about))
    out = [
        "---",
        "title: 首页",
        f"description: 合川区{'、'.join(s + '人才' for s in shorts)}引进培养办法："
        "您可能属于哪一类人才、每年能拿多少、怎么办理。",
        "# The home page points elsewhere: keep search results for the pages it points to.",
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# 合川区{'、'.join(shorts)}人才政策",
        "",
        f"来合川{'、'.join(d['work'] for d in about)}，可能属于哪一类人才、每年能拿多少、要满足什么条件？"
        "请先选择您的身份，回答几个问题即可看到结果；您的回答只在您自己的设备上计算。",
        "",
        *_entries(data),
        *_money_section(data),
        *_measures_section(data),
        *_guide_section(data),
        *_contact_section(data, settings),
        '!!! note "说明"',
        f"    本站内容以{count}项办法原文为准。本站提供的信息和自测结果仅供参考，不是官方认定；办法由"
        + "、".join(f"{d['interpreters']}（{cite(d['citation'], PAGE, d['citation']['label'])}）" for d in interpreters)
        + "负责解释。",
        "",
    ]
    return "\n".join(out)


def home_pages():
    """Page generator (site_builder.pages.PAGE_GENERATORS): the home page."""
    yield GeneratedPage(PAGE, home_markdown())

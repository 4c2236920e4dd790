"""Literate view: under each article of the full text, folded, the rules that cite it and their
values, so a reader can check the checker's encoding against the text it rests on."""

from __future__ import annotations

from functools import lru_cache
from html import escape

import checker.policy
from checker.benefit_kinds import KINDS
from checker.operators import OPERATORS
from site_builder.guide.common import short_label


@lru_cache(maxsize=None)
def _choice_labels() -> dict[tuple[str, str], str]:
    """(question id, choice value) → the label the form shows, so no rule id reaches a reader."""
    return {
        (q["id"], choice["value"]): choice["label"]
        for q in checker.policy.load()["questions"]
        for choice in q.get("choices", ())
    }


def _label(c: dict, value: str) -> str:
    return _choice_labels().get((c.get("field"), value), value)


def _criterion_values(c: dict) -> str:
    return OPERATORS[c["op"]].guide_text(c, lambda value: _label(c, value))


def _benefit_values(b: dict, tiers: dict) -> str:
    if not b.get("amounts"):
        return b["condition"]
    kind = KINDS[b["kind"]]
    return "；".join(f"{tiers[t]['name']}：{kind.amount_text(a)}" for t, a in b["amounts"].items())


@lru_cache(maxsize=None)
def _rules_by_article(measure: str) -> dict[int, list[tuple[str, str, str]]]:
    """article number → [(kind, what, values)] of every rule entry citing it."""
    rules = checker.policy.load()["measures"][measure]
    found: dict[int, list[tuple[str, str, str]]] = {}

    def add(citation: dict, kind: str, what: str, values: str) -> None:
        found.setdefault(citation["article"], []).append((kind, f"{what}（{short_label(citation)}）", values))

    add(rules["disclaimer"]["citation"], "说明", "自测结果的声明：解释机关", rules["disclaimer"]["interpreters"])
    for c in rules["criteria"].values():
        add(c["citation"], "条件", c["label"], _criterion_values(c))
    for b in rules["benefits"]:
        add(b["citation"], "待遇", b["name"], _benefit_values(b, rules["tiers"]))
    for f in rules["funding"]:
        add(f["citation"], "出资", f["label"], f"用人单位{f['employer_percent']}%，专项资金{f['fund_percent']}%")
    for n in rules["notes"]:
        add(n["citation"], "说明", "自测结果附注", n["text"])
    for n in rules["not_modelled"]:
        add(n["citation"], "未建模", "自测不使用本条", n["reason"])
    return found


def article_rules(measure: str, article_number: int) -> str:
    """HTML of the folded block for one article ("" when no rule cites it)."""
    entries = _rules_by_article(measure).get(article_number)
    if not entries:
        return ""
    rows = "".join(
        f"<tr><td>{escape(kind)}</td><td>{escape(what)}</td><td>{escape(values)}</td></tr>"
        for kind, what, values in entries
    )
    return (
        '<details class="hc-literate" data-search-exclude><summary>自测程序如何使用本条</summary>'
        '<div class="hc-table"><table><thead><tr><th scope="col">类型</th><th scope="col">规则</th>'
        f'<th scope="col">取值</th></tr></thead><tbody>{rows}</tbody></table></div></details>'
    )

"""Shared helpers of the guide pages: figures written as text, links to the cited articles.

Every figure a guide page shows is formatted here from a value of the rule data
(`checker.policy.load()`); no page module writes a number of the policy itself.
"""

from __future__ import annotations

from html import escape

# Re-exported for the page modules: the checker's one format of an amount, the measures' names
# and the benefit kinds.
from checker.amounts import per_month_text as per_month  # noqa: F401
from checker.amounts import yuan_text as yuan  # noqa: F401
from checker.benefit_kinds import KINDS, MONTHS_PER_YEAR, PROJECT_KINDS  # noqa: F401
from checker.citation import MEASURE_SHORT_NAMES  # noqa: F401
from checker.money import Benefit, Income, income, own_benefits


def root_prefix(page: str) -> str:
    """`../` once per folder of the page's source path (guide/x.md → "../")."""
    return "../" * page.count("/")


def cite(citation: dict, page: str, text: str | None = None) -> str:
    """A Markdown link from `page` (source path) to the cited article or item; MkDocs checks it."""
    target = f"{root_prefix(page)}{citation['measure']}.md#{citation['anchor']}"
    return f"[{text or citation['label']}]({target}){{: .hc-cite }}"


def cite_html(citation: dict, page: str, text: str | None = None) -> str:
    """The same link as HTML, for use inside raw HTML blocks (directory URLs: one more `../`)."""
    target = f"{root_prefix(page)}../{citation['measure']}/#{citation['anchor']}"
    return f'<a class="hc-cite" href="{target}">{escape(text or citation["label"])}</a>'


def benefit_total(entry: dict, tier: str) -> int | None:
    """What a tier receives from one benefit over its whole term (None: not a fixed sum)."""
    amount = entry.get("amounts", {}).get(tier)
    if amount is None:
        return None
    return Benefit(entry, tier, amount).total


def summable(entry: dict) -> bool:
    """Benefits that add up to a fixed sum (not the per-month-worked flexible allowance)."""
    return bool(entry.get("amounts")) and not KINDS[entry["kind"]].by_time


def programme_total(rules: dict, programme_id: str, tier: str) -> int | None:
    """What a tier receives in total from the fixed-sum benefits of a programme (None: nothing)."""
    totals = [benefit_total(b, tier) for b in rules["benefits"]
              if b["programme"] == programme_id and summable(b) and tier in b["amounts"]]
    return sum(totals) if totals else None


def tier_money(rules: dict, programme_id: str, tier: str) -> Income:
    """What one tier of a programme receives, as every page shows it: the checker's income per
    year and over its schedule (checker.money.income, as the result's summary), project funding
    apart."""
    return income(own_benefits(rules, programme_id, tier))


def income_text(money: Income) -> str | None:
    """每年约X万元（税前），N年共Y万元: the income of a tier as every page words it."""
    if not money.per_year:
        return None
    return f"每年约{yuan(money.per_year)}（税前），{money.years}年共{yuan(money.income)}"


def short_label(citation: dict) -> str:
    """第八条（一） without the measure's name, for places where the measure is already clear."""
    return citation["label"].split("办法", 1)[-1]


def months(entry: dict) -> int:
    """The months a benefit's schedule runs (its kind says for how many years)."""
    return KINDS[entry["kind"]].schedule_years(entry) * MONTHS_PER_YEAR


def badge(text: str, kind: str = "") -> str:
    cls = f"hc-badge hc-badge--{kind}" if kind else "hc-badge"
    return f'<span class="{cls}">{escape(text)}</span>'


def md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def tier_ids(rules: dict, programme_id: str) -> list[str]:
    for programme in rules["programmes"]:
        if programme["id"] == programme_id:
            return [entry["tier"] for entry in programme["tiers"]]
    return []


def criterion_tree(rules: dict, cid: str):
    """Yield (depth, criterion) for a criterion and, depth first, the ones it is made of."""
    stack = [(0, cid)]
    while stack:
        depth, current = stack.pop()
        criterion = rules["criteria"][current]
        yield depth, criterion
        for child in reversed(criterion.get("of", [])):
            stack.append((depth + 1, child))


def age_limit(rules: dict, tier: str) -> dict | None:
    """The age criterion of a tier (op age_at_most), if it has one."""
    for cid in rules["tiers"][tier]["criteria"]:
        for _, criterion in criterion_tree(rules, cid):
            if criterion["op"] == "age_at_most":
                return criterion
    return None


def note(rules: dict, note_id: str) -> dict | None:
    return next((n for n in rules["notes"] if n["id"] == note_id), None)

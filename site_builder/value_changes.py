"""The dated values and criteria of a measure's rule data in words, for the page of its text: 自…起 ….

Each change of a value, and each condition added or dropped (checker/dated.py), is one line,
worded from the rule data of the day it takes effect: a criterion or funding entry by its label
(a template filled with the new value), an amount by tier and benefit. Nothing is typed here:
every figure comes from the data.
"""

from __future__ import annotations

import datetime as dt

from checker import policy
from checker.benefit_kinds import KINDS
from checker.errors import ValidationError


def _amount(benefit: dict, value: int) -> str:
    return KINDS[benefit["kind"]].amount_text(value)


def _whose(rules: dict, cid: str) -> str:
    """The tier a criterion belongs to, when it is one tier's alone and its label does not name it
    (青年骨干's 原则上不超过42周岁 would otherwise read as any age limit of the measure)."""
    names = [t["name"] for t in rules["tiers"].values() if cid in t["criteria"]]
    label = rules["criteria"][cid]["label"]
    return f"{names[0]}：" if len(names) == 1 and names[0] not in label else ""


def value_changes(measure: str) -> list[str]:
    """One line per change of a dated value, in date order: "自 2027-01-01 起：…（此前：…）"."""
    lines: list[tuple[str, str]] = []
    for since in policy.change_dates(measure):
        new = policy.rules(measure, since)
        try:
            old = policy.rules(measure, since - dt.timedelta(days=1))
        except ValidationError:
            continue  # the first date of a value: nothing was in force before it
        for cid, c in new["criteria"].items():
            if cid not in old["criteria"]:  # a criterion dated `since`: a condition added
                lines.append((since.isoformat(), f"{_whose(new, cid)}新增条件：{c['label']}"))
            elif c["label"] != old["criteria"][cid]["label"] or any(
                    c.get(k) != old["criteria"][cid].get(k) for k in c.get("history", {})):
                was = old["criteria"][cid]["label"]
                lines.append((since.isoformat(), f"{_whose(new, cid)}{c['label']}（此前：{was}）"))
        for cid in old["criteria"].keys() - new["criteria"].keys():  # dated `until`: a condition dropped
            lines.append((since.isoformat(), f"{_whose(old, cid)}不再要求：{old['criteria'][cid]['label']}"))
        for b, was in zip(new["benefits"], old["benefits"]):
            for tier, amount in b.get("amounts", {}).items():
                if amount != was["amounts"].get(tier):
                    name = new["tiers"][tier]["name"]
                    lines.append((since.isoformat(), f"{name}{b['name']}{_amount(b, amount)}"
                                                     f"（此前：{_amount(b, was['amounts'][tier])}）"))
        for f, was in zip(new["funding"], old["funding"]):
            if f["label"] != was["label"]:
                lines.append((since.isoformat(), f"{f['label']}（此前：{was['label']}）"))
    return [f"自 {since} 起：{text}" for since, text in lines]

"""What a tier receives: amounts, the yearly and monthly schedule, and who pays (employer / fund).

Amounts, durations and shares all come from the rule data; months per year is the calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTHS_PER_YEAR = 12  # the calendar, not a policy number


def yuan(amount: int) -> str:
    return f"{amount // 10000}万元" if amount >= 10000 and amount % 10000 == 0 else f"{amount}元"


@dataclass(frozen=True)
class Benefit:
    entry: dict  # the benefits entry of the rule data
    tier: str
    amount: int | None  # 元; per month for the monthly kinds; None for in_kind
    months: int | None = None  # monthly_by_time: months actually worked, if answered

    @property
    def kind(self) -> str:
        return self.entry["kind"]

    @property
    def total(self) -> int | None:
        if self.kind == "monthly":
            return self.amount * self.entry["years"] * MONTHS_PER_YEAR
        if self.kind == "monthly_by_time":
            return None if self.months is None else self.amount * self.months
        return self.amount

    def yearly(self) -> dict[int, int]:
        """Amount paid in each year (1-based) of the fixed schedule; {} when not scheduled."""
        if self.kind == "instalments":
            parts = self.entry["parts"]
            share, rest = divmod(self.amount, parts)
            return {year: share + (rest if year == parts else 0) for year in range(1, parts + 1)}
        if self.kind == "monthly":
            return {year: self.amount * MONTHS_PER_YEAR for year in range(1, self.entry["years"] + 1)}
        if self.kind == "one_off":
            return {1: self.amount}
        return {}

    def description(self) -> str:
        e, cond = self.entry, self.entry["condition"]
        if self.kind == "instalments":
            return f"共{yuan(self.amount)}，分{e['parts']}年平均发放，每年{yuan(self.amount // e['parts'])}；{cond}"
        if self.kind == "on_application":
            return f"共{yuan(self.amount)}，可在{e['years']}年内{cond}"
        if self.kind == "monthly":
            return f"每月{self.amount}元，连续{e['years']}年（共{yuan(self.total)}），{cond}"
        if self.kind == "monthly_by_time":
            estimate = f"；按在合工作 {self.months} 个月估算共{yuan(self.total)}" if self.months is not None else ""
            return f"每月{self.amount}元，{cond}{estimate}"
        if self.kind == "one_off":
            return f"一次性{yuan(self.amount)}；{cond}"
        return cond


def benefits_for(measure_rules: dict, programme: str, tier: str, answers: dict) -> list[Benefit]:
    """The benefits of one programme at one tier, in data order (in_kind ones carry no amount)."""
    out = []
    months = answers.get("flexible_months")
    for b in measure_rules["benefits"]:
        if b["programme"] != programme:
            continue
        if b["kind"] == "in_kind":
            if tier in b["tiers"]:
                out.append(Benefit(b, tier, None))
        elif tier in b["amounts"]:
            out.append(Benefit(b, tier, b["amounts"][tier], months))
    return out


def benefit_dict(b: Benefit) -> dict:
    return {
        "id": b.entry["id"],
        "name": b.entry["name"],
        "kind": b.kind,
        "amount": b.amount,
        "total": b.total,
        "description": b.description(),
        "citation": b.entry["citation"].to_dict(),
    }


def _holds(condition: dict, answers: dict) -> bool | None:
    value = answers.get(condition["field"])
    return None if value is None else value in condition["in"]


def funding_rule(measure_rules: dict, programme: str, answers: dict) -> dict | None:
    """The first funding entry of the programme whose conditions all hold (None: not answered)."""
    for f in measure_rules["funding"]:
        if programme in f["programmes"] and all(_holds(c, answers) for c in f["when"]):
            return f
    return None


def _month(start: dt.date | None, offset: int) -> str | None:
    """The calendar month `offset` months after the start month (1 = the month after)."""
    if start is None:
        return None
    index = start.year * MONTHS_PER_YEAR + start.month - 1 + offset
    return f"{index // MONTHS_PER_YEAR:04d}-{index % MONTHS_PER_YEAR + 1:02d}"


@dataclass
class Money:
    basis: list  # [(ProgrammeResult, [Benefit])]
    splits: dict  # programme id → funding entry or None
    start: dt.date | None

    def items(self):
        for p, benefits in self.basis:
            for b in benefits:
                if b.kind != "in_kind":
                    yield p, b

    @property
    def total(self) -> int:
        return sum(b.total or 0 for _, b in self.items())

    def programme_shares(self) -> list[tuple[str, dict | None, int, int | None]]:
        """Per programme of the basis: (id, funding entry or None, total 元, employer's 元 or None)."""
        out = []
        for p, benefits in self.basis:
            pid = p.programme["id"]
            rule = self.splits[pid]
            total = sum(b.total or 0 for b in benefits if b.kind != "in_kind")
            out.append((pid, rule, total, None if rule is None else total * rule["employer_percent"] // 100))
        return out

    def shares(self) -> tuple[int | None, int | None]:
        """(employer, fund) in 元 over all programmes; (None, None) while a split is not answered."""
        rows = self.programme_shares()
        if any(rule is None for _, rule, _, _ in rows):
            return None, None
        employer = sum(share for _, _, _, share in rows)
        return employer, sum(total for _, _, total, _ in rows) - employer

    def to_dict(self) -> dict:
        items, yearly, monthly = [], {}, {}
        for p, b in self.items():
            pid = p.programme["id"]
            items.append({"programme": pid, "benefit": b.entry["id"], "name": b.entry["name"],
                          "kind": b.kind, "total": b.total, "citation": b.entry["citation"].to_dict()})
            for year, amount in b.yearly().items():
                yearly.setdefault(year, {}).setdefault(b.entry["id"], 0)
                yearly[year][b.entry["id"]] += amount
            if b.kind == "monthly":
                for i in range(1, b.entry["years"] * MONTHS_PER_YEAR + 1):
                    monthly[i] = monthly.get(i, 0) + b.amount
        employer, fund = self.shares()
        scheduled = sum(sum(amounts.values()) for amounts in yearly.values())  # the schedule built above
        total = self.total
        splits = []
        for pid, rule, p_total, share in self.programme_shares():
            if rule is None:
                splits.append({"programme": pid, "label": "待补充：请回答用人单位的类型", "employer_percent": None,
                               "fund_percent": None, "employer": None, "fund": None,
                               "verdict": "unanswered", "citation": None})
                continue
            splits.append({"programme": pid, "label": rule["label"],
                           "employer_percent": rule["employer_percent"], "fund_percent": rule["fund_percent"],
                           "employer": share, "fund": p_total - share,
                           "verdict": "review" if rule.get("principle") else "met",
                           "citation": rule["citation"].to_dict()})
        return {
            "basis": [{"programme": p.programme["id"], "tier": p.highest.tier["id"], "verdict": p.highest.verdict}
                      for p, _ in self.basis],
            "start_date": self.start.isoformat() if self.start else None,
            "items": items,
            "totals": {"total": total, "scheduled": scheduled,
                       "on_application": sum(b.total for _, b in self.items() if b.kind == "on_application"),
                       "by_time_estimate": sum(b.total or 0 for _, b in self.items() if b.kind == "monthly_by_time"),
                       "employer": employer, "fund": fund},
            "yearly": [{"year": year, "from": _month(self.start, (year - 1) * MONTHS_PER_YEAR + 1),
                        "to": _month(self.start, year * MONTHS_PER_YEAR),
                        "amounts": yearly[year], "total": sum(yearly[year].values())}
                       for year in sorted(yearly)],
            "monthly": [{"index": i, "month": _month(self.start, i), "amount": monthly[i]} for i in sorted(monthly)],
            "split": splits,
        }


def compute(measure_rules: dict, granting: list, answers: dict) -> Money | None:
    """Money of the programmes that are met or under review, at their highest tier (the benefits
    each ProgrammeResult already holds)."""
    basis = [(p, p.benefits) for p in granting if any(b.kind != "in_kind" for b in p.benefits)]
    if not basis:
        return None
    splits = {p.programme["id"]: funding_rule(measure_rules, p.programme["id"], answers) for p, _ in basis}
    return Money(basis, splits, answers.get("start_date"))

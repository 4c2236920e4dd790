"""What a tier receives: amounts, the yearly and monthly schedule, and who pays (employer / fund).

Amounts, durations and shares all come from the rule data; months per year is the calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checker.benefit_kinds import KINDS, MONTHS_PER_YEAR, BenefitKind


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
    def spec(self) -> BenefitKind:
        return KINDS[self.kind]

    @property
    def total(self) -> int | None:
        return self.spec.total(self.entry, self.amount, self.months)

    def yearly(self) -> dict[int, int]:
        """Amount paid in each year (1-based) of the fixed schedule; {} when not scheduled."""
        return self.spec.yearly(self.entry, self.amount)

    def description(self) -> str:
        return self.spec.describe(self.entry, self.amount, self.total, self.months)


def benefits_for(measure_rules: dict, programme: str, tier: str, answers: dict) -> list[Benefit]:
    """The benefits of one programme at one tier, in data order (in_kind ones carry no amount).

    A programme with `benefits_of` pays another programme's listed benefits at the tier its entry
    names as `pays_as` (提升奖励: the introduction's, without 安家补助); nothing without pays_as."""
    out = []
    months = answers.get("flexible_months")
    entry = next(p for p in measure_rules["programmes"] if p["id"] == programme)
    source, only = programme, None
    if "benefits_of" in entry:
        source, only = entry["benefits_of"]["programme"], entry["benefits_of"]["benefits"]
        tier = next(t for t in entry["tiers"] if t["tier"] == tier).get("pays_as")
        if tier is None:
            return []
    for b in measure_rules["benefits"]:
        if b["programme"] != source or (only is not None and b["id"] not in only):
            continue
        if not KINDS[b["kind"]].has_amount:
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


def has_money(benefits: list[Benefit]) -> bool:
    return any(b.spec.has_amount for b in benefits)


def schedule_years(b: Benefit) -> int:
    """How many years a benefit runs (0: one-off, by time or in kind)."""
    return b.spec.schedule_years(b.entry)


@dataclass(frozen=True)
class Income:
    """What a set of benefits pays the person every year of its schedule, and the project funding
    beside it: the one place "per year" is worked out (the result's summary, the guide pages)."""

    per_year: int | None  # 元 a year, averaged over the schedule (rounded)
    years: int | None  # length of the schedule in years
    income: int | None  # 元 over the whole schedule
    project: int | None  # project funding that may be applied for (not income)


def income(benefits) -> Income:
    schedule: dict[int, int] = {}
    project = []
    for b in benefits:
        if b.spec.recurring:
            for year, paid in b.yearly().items():
                schedule[year] = schedule.get(year, 0) + paid
        elif b.spec.project:
            project.append(b.total)
    total = sum(schedule.values()) if schedule else None
    years = len(schedule) or None
    return Income(per_year=round(total / years) if total is not None else None, years=years, income=total,
                  project=sum(project) if project else None)


def own_benefits(measure_rules: dict, programme: str, tier: str) -> list[Benefit]:
    """The benefits with an amount that a programme's own entries give one tier (the guide's
    tables; a programme paying another's benefits, 提升奖励, has none of its own)."""
    return [Benefit(b, tier, b["amounts"][tier]) for b in measure_rules["benefits"]
            if b["programme"] == programme and tier in b.get("amounts", {})]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def _sum(amounts) -> int | None:
    """A sum that is unknown (None) when one of its parts is."""
    amounts = list(amounts)
    return None if any(a is None for a in amounts) else sum(amounts)


def split_amount(total: int, employer_percent: int) -> tuple[int, int]:
    """(employer, fund) 元 of a total under a funding entry's shares; the fund takes the remainder."""
    employer = total * employer_percent // 100
    return employer, total - employer


@dataclass
class Money:
    """One scenario of the money: each programme at one tier. `basis` holds the programmes whose
    money is counted; `withheld` those whose money condition does not hold (edu art.8 / health
    art.9: no 5-year commitment), shown with what they would come to, counted as 0."""

    basis: list  # [(ProgrammeResult, TierResult, [Benefit])]
    withheld: list  # [(ProgrammeResult, TierResult, [Benefit])]
    splits: dict  # programme id → funding entry or None
    start: dt.date | None

    def items(self):
        for p, _, benefits in self.basis:
            for b in benefits:
                if b.spec.has_amount:
                    yield p, b

    @property
    def total(self) -> int | None:
        return _sum(b.total for _, b in self.items())

    def programme_shares(self) -> list[tuple[str, dict | None, int | None, int | None]]:
        """Per programme of the basis: (id, funding entry or None, total 元 or None while a by-time
        amount has no months, employer's 元 or None)."""
        out = []
        for p, _, benefits in self.basis:
            pid = p.programme["id"]
            rule = self.splits[pid]
            total = _sum(b.total for b in benefits if b.spec.has_amount)
            share = None if rule is None or total is None else split_amount(total, rule["employer_percent"])[0]
            out.append((pid, rule, total, share))
        return out

    def shares(self) -> tuple[int | None, int | None]:
        """(employer, fund) in 元 over all programmes; (None, None) while a split is not answered."""
        rows = self.programme_shares()
        if any(share is None for _, _, _, share in rows):
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
            if b.spec.per_month and not b.spec.by_time:
                for i in range(1, schedule_years(b) * MONTHS_PER_YEAR + 1):
                    monthly[i] = monthly.get(i, 0) + b.amount
        employer, fund = self.shares()
        scheduled = sum(sum(amounts.values()) for amounts in yearly.values())  # the schedule built above
        by_time = [b for _, b in self.items() if b.spec.by_time]
        splits = []
        for pid, rule, p_total, share in self.programme_shares():
            if rule is None:
                splits.append({"programme": pid, "label": "待补充：请回答用人单位的类型", "employer_percent": None,
                               "fund_percent": None, "employer": None, "fund": None,
                               "verdict": "unanswered", "citation": None})
                continue
            splits.append({"programme": pid, "label": rule["label"],
                           "employer_percent": rule["employer_percent"], "fund_percent": rule["fund_percent"],
                           "employer": share, "fund": None if share is None else p_total - share,
                           "verdict": "review" if rule.get("principle") else "met",
                           "citation": rule["citation"].to_dict()})
        tier = lambda t: {"tier": t.tier["id"], "tier_name": t.tier["name"], "verdict": t.verdict}
        return {
            "basis": [{"programme": p.programme["id"], **tier(t)} for p, t, _ in self.basis],
            "withheld": [{"programme": p.programme["id"], **tier(t),
                          "criteria": [o.criterion["id"] for o in p.money_conditions if o.verdict == "not_met"],
                          "total": _sum(b.total for b in benefits if b.spec.has_amount)}
                         for p, t, benefits in self.withheld],
            "start_date": self.start.isoformat() if self.start else None,
            "items": items,
            "totals": {"total": self.total, "scheduled": scheduled,
                       "on_application": sum(b.total for _, b in self.items() if b.spec.project),
                       "by_time_estimate": _sum(b.total for b in by_time),
                       "by_time_monthly": sum(b.amount for b in by_time),
                       "estimate": any(b.total is not None for b in by_time),
                       "employer": employer, "fund": fund},
            "yearly": [{"year": year, "from": _month(self.start, (year - 1) * MONTHS_PER_YEAR + 1),
                        "to": _month(self.start, year * MONTHS_PER_YEAR),
                        "amounts": yearly[year], "total": sum(yearly[year].values())}
                       for year in sorted(yearly)],
            "monthly": [{"index": i, "month": _month(self.start, i), "amount": monthly[i]} for i in sorted(monthly)],
            "split": splits,
        }


def compute(measure_rules: dict, scenario: list, answers: dict, any_money: bool = True) -> Money | None:
    """Money of one scenario [(ProgrammeResult, TierResult, [Benefit])]: the programmes with money,
    withheld where the programme's money condition is not met. None when nothing has money
    (unless `any_money`: another scenario has some, so this one reads 0 rather than nothing)."""
    with_money = [entry for entry in scenario if has_money(entry[2])]
    if not with_money and not any_money:
        return None
    basis = [e for e in with_money if e[0].money_verdict != "not_met"]
    withheld = [e for e in with_money if e[0].money_verdict == "not_met"]
    splits = {p.programme["id"]: funding_rule(measure_rules, p.programme["id"], answers) for p, _, _ in basis}
    return Money(basis, withheld, splits, answers.get("start_date"))

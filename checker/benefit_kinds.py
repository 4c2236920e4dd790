"""The kinds of benefit of the rule data (`kind` of each benefit in rules/*.toml), one class each.

A kind says how its money is scheduled (total, the amount of each year, how long it runs), whether
it is income paid to the person or project funding applied for, whether it recurs every year of
its schedule, which answer its schedule reads, and how the result and the guide word it. Adding a
kind is adding one class here with `@kind`; the policy checks, checker.money, the summary and the
guide pages read `KINDS`.
"""

from __future__ import annotations

from typing import ClassVar

from checker.amounts import per_month_text, yuan_text

KINDS: dict[str, "BenefitKind"] = {}
MONTHS_PER_YEAR = 12  # the calendar, not a policy number


def kind(cls):
    """Register a benefit kind under its `name`."""
    KINDS[cls.name] = cls()
    return cls


class BenefitKind:
    """The defaults: a fixed sum paid to the person, not scheduled."""

    name: ClassVar[str]
    label: ClassVar[str]  # how it is paid, in two to seven characters (the open data's columns)
    has_amount: ClassVar[bool] = True  # `amounts` per tier (else `tiers`: given in kind)
    per_month: ClassVar[bool] = False  # the amounts are per month
    by_time: ClassVar[bool] = False  # paid for the months worked: a total only as an estimate
    project: ClassVar[bool] = False  # applied for per project, paid after review: not income
    recurring: ClassVar[bool] = False  # paid every year of its schedule (每年约)
    asks: ClassVar[tuple[str, str] | None] = None  # (question, what for) its money reads
    schedule_key: ClassVar[str | None] = None  # the entry's key that says how many years it runs

    @property
    def needs(self) -> tuple[str, ...]:
        """The keys its entries must have (checked on load): its amounts, and its schedule's length."""
        return ("amounts" if self.has_amount else "tiers",) + ((self.schedule_key,) if self.schedule_key else ())

    def total(self, entry: dict, amount: int, months: int | None) -> int | None:
        """元 over the whole term (None: paid by time and the months are not answered)."""
        return amount

    def yearly(self, entry: dict, amount: int) -> dict[int, int]:
        """Amount paid in each year (1-based) of the fixed schedule; {} when not scheduled."""
        return {}

    def schedule_years(self, entry: dict) -> int:
        """How many years it runs (0: one-off, by time or in kind)."""
        return entry[self.schedule_key] if self.schedule_key else 0

    def amount_text(self, amount: int) -> str:
        """One amount of this kind in words: 每月 for the monthly kinds (1000元/月), else 10万元."""
        return per_month_text(amount) if self.per_month else yuan_text(amount)

    def describe(self, entry: dict, amount: int | None, total: int | None, months: int | None) -> str:
        """The result's description of the benefit at one tier."""
        return entry["condition"]

    def how_paid(self, entry: dict) -> str:
        """How the guide's benefits page says it is paid."""
        return entry["condition"]


@kind
class Instalments(BenefitKind):
    """安家补助: a sum paid in equal parts over `parts` years."""

    name = "instalments"
    label = "分年平均"
    recurring = True
    schedule_key = "parts"

    def yearly(self, entry, amount):
        parts = entry["parts"]
        share, rest = divmod(amount, parts)
        return {year: share + (rest if year == parts else 0) for year in range(1, parts + 1)}

    def describe(self, entry, amount, total, months):
        parts = entry["parts"]
        return f"共{yuan_text(amount)}，分{parts}年平均发放，每年{yuan_text(amount // parts)}；{entry['condition']}"

    def how_paid(self, entry):
        return f"分{entry['parts']}年平均发放；{entry['condition']}"


@kind
class OnApplication(BenefitKind):
    """教研/科研资助: project funding applied for within `years` years."""

    name = "on_application"
    label = "申请使用"
    project = True
    schedule_key = "years"

    def describe(self, entry, amount, total, months):
        return f"共{yuan_text(amount)}，可在{entry['years']}年内{entry['condition']}"

    def how_paid(self, entry):
        return f"可在{entry['years']}年内{entry['condition']}"


@kind
class Monthly(BenefitKind):
    """生活资助: a monthly amount for `years` years."""

    name = "monthly"
    label = "按月"
    per_month = True
    recurring = True
    asks = ("start_date", "schedule")  # the calendar months of the schedule
    schedule_key = "years"

    def total(self, entry, amount, months):
        return amount * entry["years"] * MONTHS_PER_YEAR

    def yearly(self, entry, amount):
        return {year: amount * MONTHS_PER_YEAR for year in range(1, entry["years"] + 1)}

    def describe(self, entry, amount, total, months):
        return f"每月{yuan_text(amount)}，连续{entry['years']}年（共{yuan_text(total)}），{entry['condition']}"

    def how_paid(self, entry):
        return f"连续{entry['years']}年按月发放，{entry['condition']}"


@kind
class MonthlyByTime(BenefitKind):
    """柔性引进的生活补助: a monthly amount for the months actually worked in Hechuan."""

    name = "monthly_by_time"
    label = "按实际时长按月"
    per_month = True
    by_time = True
    asks = ("flexible_months", "estimate")  # the months worked, for an estimate

    def total(self, entry, amount, months):
        return None if months is None else amount * months

    def describe(self, entry, amount, total, months):
        estimate = f"；估算：按在合工作 {months} 个月计共{yuan_text(total)}" if months is not None else ""
        return f"每月{yuan_text(amount)}，{entry['condition']}{estimate}"


@kind
class OneOff(BenefitKind):
    name = "one_off"
    label = "一次性"

    def yearly(self, entry, amount):
        return {1: amount}

    def describe(self, entry, amount, total, months):
        return f"一次性{yuan_text(amount)}；{entry['condition']}"

    def how_paid(self, entry):
        return f"一次性发放；{entry['condition']}"


@kind
class InKind(BenefitKind):
    """Help given in kind (子女入学, 配偶就业 …): no amount, listed for the tiers in `tiers`."""

    name = "in_kind"
    label = "非现金待遇"
    has_amount = False

    def total(self, entry, amount, months):
        return None


PROJECT_KINDS = {k for k, spec in KINDS.items() if spec.project}

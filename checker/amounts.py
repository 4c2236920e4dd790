"""How an amount is written for a reader: the one format of the result, the CLI, the batch report
and the guide pages (the browser shows the strings the checker returns)."""

from __future__ import annotations

TEN_THOUSAND = 10000  # the unit 万, not a policy number


def yuan_text(amount: int | None) -> str:
    """An amount as a reader sees it everywhere: 1.12万元 from 10,000 yuan up, else 500元; exact
    (integer arithmetic: no rounding, and no module the browser's trimmed library lacks)."""
    if amount is None:
        return "—"
    amount = round(amount)
    sign, value = ("-" if amount < 0 else ""), abs(amount)
    if value < TEN_THOUSAND:
        return f"{sign}{value}元"
    wan, rest = divmod(value, TEN_THOUSAND)
    fraction = f".{rest:04d}".rstrip("0") if rest else ""
    return f"{sign}{wan}{fraction}万元"


def per_month_text(amount: int) -> str:
    """A monthly amount in a table cell: 2000元/月."""
    return f"{yuan_text(amount)}/月"

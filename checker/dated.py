"""Values with dates: an amount, limit or count of the rule data may change on a given day.

In rules/<measure>.toml such a value is either a plain value (in force for the whole life of the
measure) or a list of dated values, oldest first, as OpenFisca's parameters are:

    limit = 55
    limit = [{ value = 55 }, { since = "2027-01-01", value = 58 }]
    amounts = { a = 500000, c = [{ value = 500000 }, { since = "2027-01-01", value = 600000 }] }

Each entry holds from its `since` (inclusive, "YYYY-MM-DD") until the next one's. The first may
leave `since` out: it then holds from the start of the measure. A first entry with a `since` is
not in force before it, so an as-of date before it is rejected (see `resolve`). Only the keys in
DATED_KEYS (and the values of DATED_MAPS) may carry dates; a dated list anywhere else is an error.

A criterion as a whole may apply only for a time — a revision that adds a condition, or removes
one — with `since = "YYYY-MM-DD"` (inclusive) and/or `until = "YYYY-MM-DD"` (exclusive) on it
(`span`); outside that time it is absent from the rules in force (checker/policy.py).
"""

from __future__ import annotations

import datetime as dt

from checker.errors import RuleDataError, ValidationError

DATED_KEYS = frozenset({"limit", "min", "n", "parts", "years", "employer_percent", "fund_percent", "retirement_age"})
DATED_MAPS = frozenset({"amounts"})  # tier → value, each value plain or dated
ENTRY_KEYS = frozenset({"since", "value"})


def _looks_dated(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(e, dict) and "value" in e for e in value) \
        and any("since" in e for e in value)


def parse(value, where: str) -> list[tuple[dt.date | None, object]]:
    """A plain or dated value as [(since or None, value)], checked; RuleDataError names `where`."""
    if not isinstance(value, list):
        return [(None, value)]
    if not value or not all(isinstance(e, dict) and e.keys() >= {"value"} for e in value):
        raise RuleDataError(f"{where}: a dated value is a list of {{since, value}} tables")
    out: list[tuple[dt.date | None, object]] = []
    for i, e in enumerate(value):
        if e.keys() - ENTRY_KEYS:
            raise RuleDataError(f"{where}[{i}]: unknown key {sorted(e.keys() - ENTRY_KEYS)[0]!r} (known: since, value)")
        if isinstance(e["value"], (list, dict)):
            raise RuleDataError(f"{where}[{i}]: value must be a number or a word")
        if "since" not in e:
            if i:
                raise RuleDataError(f"{where}[{i}]: only the first value may leave out since")
            out.append((None, e["value"]))
            continue
        since = iso_date(e["since"])
        if since is None:
            raise RuleDataError(f"{where}[{i}]: since must be a date written \"YYYY-MM-DD\", not {e['since']!r}")
        if out and out[-1][0] is not None and since <= out[-1][0]:
            raise RuleDataError(f"{where}[{i}]: since {since} is not after the entry before it")
        out.append((since, e["value"]))
    return out


def _walk(node, where: str):
    """Every (where, raw value) of a dated key in a TOML structure; refuses dated lists elsewhere."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}" if where else key
            if key in DATED_KEYS:
                yield here, value
            elif key in DATED_MAPS and isinstance(value, dict):
                for sub, v in value.items():
                    yield f"{here}.{sub}", v
            else:
                if _looks_dated(value):
                    known = ", ".join(sorted(DATED_KEYS | DATED_MAPS))
                    raise RuleDataError(f"{here}: this key cannot carry dated values (only {known})")
                yield from _walk(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}[{i}]")


def dated_values(raw: dict, where: str = "") -> dict[str, list[tuple[dt.date | None, object]]]:
    """Every value of `raw` that carries dates: {path: [(since, value)]} (plain values left out)."""
    return {path: parse(v, path) for path, v in _walk(raw, where) if isinstance(v, list)}


def change_dates(raw: dict) -> list[dt.date]:
    """The days on which some value of `raw` changes, sorted (a first `since` counts too)."""
    return sorted({since for history in dated_values(raw).values() for since, _ in history if since is not None})


def iso_date(text) -> dt.date | None:
    """The day a rule file writes as "YYYY-MM-DD" (exactly so), else None."""
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None


def _date(text, where: str) -> dt.date:
    day = iso_date(text)
    if day is None:
        raise RuleDataError(f"{where} must be a date written \"YYYY-MM-DD\", not {text!r}")
    return day


def span(entry: dict, where: str) -> tuple[dt.date | None, dt.date | None]:
    """(since, until) of a criterion that applies only for a time; None where it has no bound."""
    since = _date(entry["since"], f"{where}.since") if "since" in entry else None
    until = _date(entry["until"], f"{where}.until") if "until" in entry else None
    if since and until and until <= since:
        raise RuleDataError(f"{where}.until: {until} is not after since {since}")
    return since, until


def applies(bounds: tuple[dt.date | None, dt.date | None], on: dt.date | None) -> bool:
    """Whether a span holds on `on` (None: the start of the measure, before every date)."""
    since, until = bounds
    return (since is None or (on is not None and since <= on)) and (until is None or on is None or on < until)


def within(inner: tuple, outer: tuple) -> bool:
    """Whether the span `inner` lies inside `outer` (None: no bound)."""
    (i_since, i_until), (o_since, o_until) = inner, outer
    return (o_since is None or (i_since is not None and i_since >= o_since)) and \
        (o_until is None or (i_until is not None and i_until <= o_until))


def span_text(bounds: tuple) -> str:
    since, until = bounds
    if since is None and until is None:
        return "always"
    return " ".join(([f"since {since}"] if since else []) + ([f"until {until}"] if until else []))


def value_on(value, on: dt.date | None, where: str):
    """The value in force on `on` (None: the start of the measure)."""
    history = parse(value, where)
    current = None
    for since, v in history:
        if since is not None and (on is None or since > on):
            break
        current = (v,)
    if current is None:
        message = f"评估日期早于规则数据中该数值的起始日期 {history[0][0]}（{where}）"
        raise ValidationError([{"field": "as_of", "message": message}])
    return current[0]


def resolve(node, on: dt.date | None, where: str = ""):
    """A copy of a TOML structure with every dated value replaced by the one in force on `on`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            here = f"{where}.{key}" if where else key
            if key in DATED_KEYS:
                out[key] = value_on(value, on, here)
            elif key in DATED_MAPS and isinstance(value, dict):
                out[key] = {sub: value_on(v, on, f"{here}.{sub}") for sub, v in value.items()}
            else:
                out[key] = resolve(value, on, here)
        return out
    if isinstance(node, list):
        return [resolve(v, on, f"{where}[{i}]") for i, v in enumerate(node)]
    return node


def history(entry: dict) -> dict[str, list[dict]]:
    """The dated values of one raw entry as JSON: {"limit": [{"since": null | "YYYY-MM-DD", "value"}]}
    ("amounts.c" for a tier's amount); {} when none of its values carries a date."""
    return {path: [{"since": since.isoformat() if since else None, "value": v} for since, v in h]
            for path, h in dated_values(entry).items()}

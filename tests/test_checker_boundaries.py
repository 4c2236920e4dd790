"""Boundaries tested from the data: every age limit (age_at_most), year count (at_least) and item
count (count_at_least) of the rules, in every tier that uses it, is evaluated at the limit and one
past it. The profiles are derived from the rule data itself (the limit, the as-of date, the
other criteria of the tier), so a revised limit moves its test with it; no limit is typed here.

At the limit the criterion, every group above it and the tier are 符合; one past it they are
不符合, or 需评审 where the text says 原则上 (`principle = true`). The rest of the tier is held
satisfied (siblings in an all-of group met, alternatives in an any-of group failing), so the
tier's verdict is the criterion's.

Values with dates: each measure is tested on a few ordinary days and on each day a dated value
changes and the day before it, against the rules in force on that day (`rules(measure, as_of)`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import checker
from checker._data import RULES_DIR_VARIABLE, rules_folder
from checker.citation import MEASURES
from checker.engine import MET, NOT_MET, REVIEW, age_in_full_years
from checker.errors import ValidationError
from checker.policy import change_dates, rules
from checker.questions import by_id, checks, rank
from checker.universities import lookup, suggestions

BOUNDARY_OPS = ("age_at_most", "at_least", "count_at_least")
GROUP_OPS = ("all", "any")
# Assessment dates: one ordinary day, one whose day boundary crosses a month end, and (in
# as_of_dates) each day a dated value of the measure changes and the day before it.
AS_OF_DATES = (dt.date(2026, 6, 1), dt.date(2027, 1, 31))


class Conflict(Exception):
    """Two criteria of the tier want different answers to one question."""


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def birth_at_limit(limit: int, as_of: dt.date) -> dt.date:
    """The earliest birth date still `limit` 周岁 on `as_of`: the day after the (limit+1)th
    birthday would fall on as_of."""
    return years_before(as_of, limit + 1) + dt.timedelta(days=1)


def birth_past_limit(limit: int, as_of: dt.date) -> dt.date:
    """Born so that as_of is the (limit+1)th birthday: one year past the limit, by one day."""
    return years_before(as_of, limit + 1)


def distinct_items(c: dict, n: int) -> list[str]:
    """One answer for each of the first n distinct items of a count list."""
    out, seen = [], set()
    for e in c["counts"]:
        if e["item"] not in seen and len(seen) < n:
            seen.add(e["item"])
            out.append(e["value"])
    if len(seen) < n:
        raise Conflict(f"{c['id']}: only {len(seen)} distinct items, {n} needed")
    return out


@cache
def university_with(flags: frozenset, wanted: bool) -> str:
    """A university name the checker finds, with (or without) one of `flags`."""
    for name in suggestions():
        found = lookup(name)
        if found.status == "found" and bool(set(found.flags) & flags) == wanted:
            return name
    raise Conflict(f"no university {'with' if wanted else 'without'} {sorted(flags)}")


def choices(field: str) -> list[str]:
    return [ch["value"] for ch in by_id()[field].get("choices", [])]


def leaf_answer(c: dict, met: bool, as_of: dt.date):
    """The answer that makes a leaf criterion met (met=True) or not met (met=False)."""
    op, field = c["op"], c.get("field")
    if op == "in":
        if met:
            return c["values"][0]
        others = [v for v in choices(field) if v not in c["values"] + c.get("review_values", [])]
        if not others:
            raise Conflict(f"{c['id']}: every choice meets it")
        return others[0]
    if op == "true":
        return met
    if op == "claim":  # true → review, never met
        if met:
            raise Conflict(f"{c['id']}: a claim is never met")
        return False
    if op == "age_at_most":
        if not met and c.get("principle"):
            raise Conflict(f"{c['id']}: past a 原则上 limit is review, not 不符合")
        return (birth_at_limit if met else birth_past_limit)(c["limit"], as_of).isoformat()
    if op == "at_least":
        if met:
            return c["min"]
        low = by_id()[field].get("min", 0)
        if c["min"] - 1 < low:
            raise Conflict(f"{c['id']}: cannot answer below {c['min']}")
        return c["min"] - 1
    if op == "rank_at_least":
        if met:
            return c["min"]
        below = choices(field)[:rank(field, c["min"])]
        if not below:
            raise Conflict(f"{c['id']}: no choice below {c['min']}")
        return below[-1]
    if op == "any_in":
        return [c["values"][0]] if met else []
    if op == "count_at_least":
        return distinct_items(c, c["n"]) if met else []
    if op == "university":
        return university_with(frozenset(c["flags"]), met)
    raise Conflict(f"{c['id']}: {op} cannot be made {'met' if met else 'not met'}")


def assign(answers: dict, field: str, value) -> dict:
    current = answers.get(field)
    if current is None or current == value:
        return {**answers, field: value}
    if isinstance(current, list) and isinstance(value, list) and value:
        return {**answers, field: current + [v for v in value if v not in current]}
    raise Conflict(f"{field}: {current!r} and {value!r}")


def solve(r: dict, cid: str, met: bool, answers: dict, as_of: dt.date) -> dict:
    """Answers (added to `answers`) under which criterion `cid` is met or not met."""
    c = r["criteria"][cid]
    if c["op"] not in GROUP_OPS:
        return assign(answers, c["field"], leaf_answer(c, met, as_of))
    every = (c["op"] == "all") == met  # all met / any not met: every child; else one of them
    if every:
        for child in c["of"]:
            answers = solve(r, child, met, answers, as_of)
        return answers
    problems = []
    for child in c["of"]:
        try:
            return solve(r, child, met, answers, as_of)
        except Conflict as e:
            problems.append(str(e))
    raise Conflict("; ".join(problems))


def visible(answers: dict) -> dict:
    """Answer the questions the show_if of each answered question depends on (first allowed
    value), so the form shows every answer the profile gives."""
    questions = by_id()
    pending = list(answers)
    while pending:
        q = questions[pending.pop()]
        for cond in q["show_if"]:
            value = answers.get(cond["field"])
            if value is None:
                first = cond["in"][0]
                answers[cond["field"]] = [first] if questions[cond["field"]]["type"] == "multi" else first
                pending.append(cond["field"])
            elif not (set(value) & set(cond["in"]) if isinstance(value, list) else value in cond["in"]):
                raise Conflict(f"{q['id']} is hidden: {cond['field']} = {value!r}")
    return answers


def paths(r: dict, cid: str):
    """Every chain of criterion ids from `cid` down to a boundary criterion."""
    c = r["criteria"][cid]
    if c["op"] in BOUNDARY_OPS:
        yield [cid]
    for child in c.get("of", []):
        for rest in paths(r, child):
            yield [cid] + rest


def as_of_dates(measure: str) -> list[dt.date]:
    """The assessment dates to test a measure on: the values in force on each (dated values)."""
    days = set(AS_OF_DATES)
    for day in change_dates(measure):
        days |= {day, day - dt.timedelta(days=1)}
    out = []
    for day in sorted(days):
        try:
            rules(measure, day)
        except ValidationError:  # before the measure's text, or before a value's first date
            continue
        out.append(day)
    return out


def boundaries():
    """(measure, programme, tier, chain from a tier criterion to the boundary criterion, as_of)."""
    for measure in MEASURES:
        for as_of in as_of_dates(measure):
            r = rules(measure, as_of)
            for p in r["programmes"]:
                for entry in p["tiers"]:
                    for top in entry["also"] + r["tiers"][entry["tier"]]["criteria"]:
                        for chain in paths(r, top):
                            yield measure, p["id"], entry["tier"], chain, as_of


BOUNDARIES = list(boundaries())
IDS = [f"{m}-{p}-{t}-{c[-1]}-{d}" for m, p, t, c, d in BOUNDARIES]


def tier_criteria(r: dict, programme: str, tier: str) -> list[str]:
    entry = next(e for p in r["programmes"] if p["id"] == programme for e in p["tiers"] if e["tier"] == tier)
    return entry["also"] + r["tiers"][tier]["criteria"]


def profile_at_limit(measure: str, programme: str, tier: str, chain: list[str], as_of: dt.date) -> dict:
    """The boundary criterion at its limit; its all-of siblings met, its any-of alternatives not
    met, every other criterion of the tier met."""
    r = rules(measure, as_of)
    answers = solve(r, chain[-1], True, {"measure": measure}, as_of)
    for parent, child in zip(reversed(chain[:-1]), reversed(chain[1:])):
        c = r["criteria"][parent]
        for sibling in c["of"]:
            if sibling != child:
                answers = solve(r, sibling, c["op"] == "all", answers, as_of)
    for cid in tier_criteria(r, programme, tier):
        if cid != chain[0]:
            answers = solve(r, cid, True, answers, as_of)
    answers = visible(answers)
    for check in checks():  # answers checked against each other must not contradict
        a, b = answers.get(check["field"]), answers.get(check["not_above"])
        if isinstance(a, int) and isinstance(b, int) and a > b:
            raise Conflict(f"{check['field']} {a} > {check['not_above']} {b}")
    return answers


def one_past(c: dict, as_of: dt.date):
    """The answer one past the limit: a year older, one year less, one item fewer."""
    if c["op"] == "age_at_most":
        return birth_past_limit(c["limit"], as_of).isoformat()
    if c["op"] == "at_least":
        return c["min"] - 1
    return distinct_items(c, c["n"] - 1)


def outcomes(profile: dict, as_of: dt.date, programme: str, tier: str):
    """The tier's result (to_dict) and a function giving any criterion's verdict for it."""
    result = checker.evaluate(profile, as_of=as_of)
    p = next(p for p in result.programmes if p.programme["id"] == programme)
    t = next(t for t in p.tiers if t.tier["id"] == tier)
    return t.to_dict(), lambda cid: t.outcome(cid).verdict


@pytest.mark.parametrize("measure, programme, tier, chain, as_of", BOUNDARIES, ids=IDS)
def test_boundary_at_the_limit_and_one_past(measure, programme, tier, chain, as_of):
    r = rules(measure, as_of)
    c = r["criteria"][chain[-1]]
    try:
        at = profile_at_limit(measure, programme, tier, chain, as_of)
    except Conflict as e:
        pytest.fail(f"no profile holds the rest of {measure} {programme}.{tier} satisfied: {e}")

    if c["op"] == "age_at_most":  # the birth date really is at the limit, to the day
        assert age_in_full_years(dt.date.fromisoformat(at[c["field"]]), as_of) == c["limit"]
    tier_result, verdict = outcomes(at, as_of, programme, tier)
    assert [verdict(cid) for cid in chain] == [MET] * len(chain), (chain, at)
    assert tier_result["verdict"] == MET, [f["criterion"] for f in tier_result["missing"]]
    finding = next(f for f in tier_result["findings"] if f["criterion"] == chain[0])
    assert finding["verdict"] == MET

    past = {**at, c["field"]: one_past(c, as_of)}
    if c["op"] == "age_at_most":
        assert age_in_full_years(dt.date.fromisoformat(past[c["field"]]), as_of) == c["limit"] + 1
    expected = REVIEW if c.get("principle") else NOT_MET
    tier_result, verdict = outcomes(past, as_of, programme, tier)
    assert [verdict(cid) for cid in chain] == [expected] * len(chain), (chain, past)
    assert tier_result["verdict"] == expected
    finding = next(f for f in tier_result["findings"] if f["criterion"] == chain[0])
    assert finding["verdict"] == expected


def _counted(b) -> bool:
    c = rules(b[0], b[4])["criteria"][b[3][-1]]
    return c["op"] == "count_at_least" and bool(c["equivalent"])


@pytest.mark.parametrize("measure, programme, tier, chain, as_of", [b for b in BOUNDARIES if _counted(b)],
                         ids=[i for b, i in zip(BOUNDARIES, IDS) if _counted(b)])
def test_one_item_short_plus_an_equivalent_needs_review(measure, programme, tier, chain, as_of):
    """n-1 listed items and one 其他同等层次条件 reach n only through reviewers: 需评审."""
    c = rules(measure, as_of)["criteria"][chain[-1]]
    at = profile_at_limit(measure, programme, tier, chain, as_of)
    short = {**at, c["field"]: distinct_items(c, c["n"] - 1) + [c["equivalent"][0]["value"]]}
    tier_result, verdict = outcomes(short, as_of, programme, tier)
    assert [verdict(cid) for cid in chain] == [REVIEW] * len(chain)
    assert tier_result["verdict"] == REVIEW


def test_every_boundary_criterion_is_tested():
    """Each age limit, year count and item count of the data is reached by some tier above."""
    tested = {(m, chain[-1], as_of) for m, _, _, chain, as_of in BOUNDARIES}
    for measure in MEASURES:
        for as_of in as_of_dates(measure):
            for cid, c in rules(measure, as_of)["criteria"].items():
                if c["op"] in BOUNDARY_OPS:
                    assert (measure, cid, as_of) in tested, (measure, cid, as_of)


def test_a_revised_limit_moves_its_boundary(monkeypatch):
    """The profiles follow the data: with edu A's age limit raised by 2, the derived birth date
    moves by 2 years and the tier is still met at it and under review one past it."""
    measure, programme, tier, as_of = "education", "introduction", "a", AS_OF_DATES[0]
    chain = next(ch for m, p, t, ch, d in BOUNDARIES if (m, p, t, d) == (measure, programme, tier, as_of)
                 and rules(m, d)["criteria"][ch[-1]]["op"] == "age_at_most")
    before = profile_at_limit(measure, programme, tier, chain, as_of)
    criterion = rules(measure, as_of)["criteria"][chain[-1]]
    monkeypatch.setitem(criterion, "limit", criterion["limit"] + 2)
    after = profile_at_limit(measure, programme, tier, chain, as_of)
    born = lambda profile: dt.date.fromisoformat(profile["birth_date"])
    assert born(before).year - born(after).year == 2
    assert outcomes(after, as_of, programme, tier)[0]["verdict"] == MET
    past = {**after, "birth_date": one_past(criterion, as_of)}
    assert outcomes(past, as_of, programme, tier)[0]["verdict"] == REVIEW


def test_a_dated_limit_is_tested_on_each_side_of_its_change(tmp_path):
    """With a dated limit (55, then 58 from a day on), the boundary tests run on the day before
    the change against 55 and on the day itself against 58, and pass: the data moves them.
    Run in a subprocess on a copy of the rules (HC_RULES_DIR), so the data is read afresh."""
    rules_dir = tmp_path / "rules"
    shutil.copytree(rules_folder(), rules_dir)
    toml = rules_dir / "education.toml"
    criterion = rules("education", AS_OF_DATES[0])["criteria"]["age_high_level"]
    old, new, change = criterion["limit"], criterion["limit"] + 3, dt.date(AS_OF_DATES[0].year + 1, 3, 1)
    block = re.compile(r"(\[criteria\.age_high_level\][^\[]*?)^limit = \d+$", re.M | re.S)
    text, replaced = block.subn(rf'\1limit = [{{ value = {old} }}, {{ since = "{change}", value = {new} }}]',
                                toml.read_text("utf-8"))
    assert replaced == 1
    toml.write_text(text, "utf-8")
    env = {**os.environ, RULES_DIR_VARIABLE: str(rules_dir)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", __file__,
                          "-k", "test_boundary_at and education-introduction-a-age_high_level"],
                         cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    passed = set(re.findall(r"^PASSED .*?-(\d{4}-\d{2}-\d{2})\]$", run.stdout, re.M))
    assert {str(change), str(change - dt.timedelta(days=1))} <= passed, run.stdout[-2000:]
